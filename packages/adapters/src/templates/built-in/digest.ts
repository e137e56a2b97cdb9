/**
 * The digest mail: the period in the recipient's time zone, each item as its kind's item template rendered it (in the
 * order they happened), and how many earlier updates it could not list. `<%~ item %>` prints an item template's output
 * (HTML that template escaped itself), never payload data. Links to the notifications page only when the host has one.
 */
export const DIGEST_TEMPLATES: Readonly<Record<string, string>> = {
  'digest.subject': `Your <% if (it.productName) { %><%= it.productName %> <% } %>notifications: <%= it.plural(it.totalCount, 'update', 'updates') %>`,

  'digest.html': `<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;font-weight:bold;color:#111827;">Your notifications</h1>
<p style="margin:0 0 16px 0;"><%= it.greeting %>,</p>
<p style="margin:0 0 16px 0;"><%= it.plural(it.totalCount, 'update', 'updates') %> for you, <%= it.period %>:</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px 0;border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:21px;">
<% if (it.moreCount > 0) { -%>
<tr><td style="padding:12px 0;border-top:1px solid #e5e7eb;color:#4b5563;"><%= it.plural(it.moreCount, 'earlier update is', 'earlier updates are') %> not listed here<% if (it.notificationsUrl) { %>: <a href="<%= it.notificationsUrl %>" target="_blank" style="color:#1d4ed8;">see them all</a><% } %>.</td></tr>
<% } -%>
<% for (const item of it.items) { -%>
<tr><td style="padding:12px 0;border-top:1px solid #e5e7eb;"><%~ item %></td></tr>
<% } -%>
</table>
<% if (it.notificationsUrl) { -%>
<%~ include('@_button.html', { label: 'Open your notifications', href: it.notificationsUrl }) %>
<% } -%>
`,

  'digest.text': `<%= it.greeting %>,

<%= it.plural(it.totalCount, 'update', 'updates') %> for you, <%= it.period %>:

<% if (it.moreCount > 0) { -%>
<%= it.plural(it.moreCount, 'earlier update is', 'earlier updates are') %> not listed here<% if (it.notificationsUrl) { %>; see them all:
<%= it.notificationsUrl %><% } else { %>.<% } %>

<% } -%>
<% for (const item of it.items) { -%>
* <%= item %>

<% } -%>
<% if (it.notificationsUrl) { -%>
Open your notifications:
<%= it.notificationsUrl %>
<% } -%>
`,
};
