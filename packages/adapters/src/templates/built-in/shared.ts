/**
 * The shared built-in templates. The layout is built for Outlook (Word engine) and Gmail: tables for layout,
 * inline styles only, no images or other external assets, no scripts, a 600 px column that shrinks on phones.
 * `<%~ it.body %>` prints HTML the kind's template rendered (and escaped) itself; it is never payload data.
 */
export const SHARED_BUILT_IN_TEMPLATES: Readonly<Record<string, string>> = {
  '_layout.html': `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title><%= it.title %></title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr>
<td align="center" style="padding:24px 12px;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border:1px solid #e5e7eb;">
<% if (it.productName) { -%>
<tr>
<td style="padding:18px 32px;border-bottom:3px solid #1d4ed8;font-family:Arial,Helvetica,sans-serif;font-size:15px;font-weight:bold;color:#111827;"><%= it.productName %></td>
</tr>
<% } else { -%>
<tr>
<td style="height:0;line-height:0;font-size:0;border-bottom:3px solid #1d4ed8;">&nbsp;</td>
</tr>
<% } -%>
<tr>
<td style="padding:28px 32px 12px 32px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:22px;color:#111827;">
<%~ it.body %>
</td>
</tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;">
<tr>
<td style="padding:16px 32px;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:18px;color:#6b7280;">
This message was sent<% if (it.productName) { %> by <%= it.productName %><% } %> to <%= it.recipient.address %>.
<% if (it.preferencesUrl) { -%>
<a href="<%= it.preferencesUrl %>" target="_blank" style="color:#6b7280;text-decoration:underline;">Manage your notifications</a>.
<% } -%>
<% if (it.footer) { -%>
<br><%= it.footer %>
<% } -%>
</td>
</tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td>
</tr>
</table>
</body>
</html>
`,

  // "-- " (with the space) is the signature separator mail clients recognise (RFC 3676).
  '_layout.text': `<%= it.body %>

-- 
This message was sent<% if (it.productName) { %> by <%= it.productName %><% } %> to <%= it.recipient.address %>.
<% if (it.preferencesUrl) { -%>
Manage your notifications: <%= it.preferencesUrl %>
<% } -%>
<% if (it.footer) { -%>
<%= it.footer %>
<% } -%>
`,

  // The "bulletproof" button: a table cell carries the colour, since Outlook ignores padding on links.
  '_button.html': `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 20px 0;">
<tr>
<td align="center" bgcolor="#1d4ed8" style="background-color:#1d4ed8;border-radius:4px;">
<a href="<%= it.href %>" target="_blank" style="display:inline-block;padding:12px 24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;font-weight:bold;line-height:20px;color:#ffffff;text-decoration:none;border-radius:4px;"><%= it.label %></a>
</td>
</tr>
</table>
<p style="margin:0 0 16px 0;font-size:13px;line-height:19px;color:#6b7280;">If the button does not work, open this link: <a href="<%= it.href %>" target="_blank" style="color:#1d4ed8;word-break:break-all;"><%= it.href %></a></p>
`,

  // An item without a link (no linkPath, no notifications page) is listed by name alone.
  '_item.html': `<% if (it.itemUrl) { %><a href="<%= it.itemUrl %>" target="_blank" style="color:#1d4ed8;font-weight:bold;text-decoration:none;"><%= it.kindName %></a><% } else { %><strong><%= it.kindName %></strong><% } %><br>
<span style="font-size:13px;color:#6b7280;"><%= it.date(it.item.createdAt) %></span>`,

  '_item.text': `<%= it.kindName %> (<%= it.date(it.item.createdAt) %>)<% if (it.itemUrl) { %>
  <%= it.itemUrl %><% } %>`,
};
