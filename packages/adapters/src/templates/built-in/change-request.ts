/**
 * `change-request`: goes to an IT ticketing mailbox. The renderer puts the stable reference (`[CR-1234]`)
 * at the start of every subject itself, so an overridden subject cannot lose it; the body repeats it.
 * A request can list many changes: the mail shows the first 50 and says how many more there are.
 */
const CHANGES = `<% const shown = it.payload.changes.slice(0, 50); const hidden = it.payload.changes.length - shown.length; -%>
`;

export const CHANGE_REQUEST_TEMPLATES: Readonly<Record<string, string>> = {
  'change-request.subject': `Change request: <%= it.line(it.payload.title, 100) %>`,

  'change-request.html': `${CHANGES}<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;font-weight:bold;color:#111827;">[<%= it.ticket %>] <%= it.line(it.payload.title, 160) %></h1>
<p style="margin:0 0 16px 0;"><%= it.line(it.payload.requester, 120) %> requested <%= it.plural(it.payload.changes.length, 'change', 'changes') %>:</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px 0;border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;">
<tr>
<th align="left" style="padding:8px;border-bottom:2px solid #d1d5db;color:#4b5563;">Field</th>
<th align="left" style="padding:8px;border-bottom:2px solid #d1d5db;color:#4b5563;">From</th>
<th align="left" style="padding:8px;border-bottom:2px solid #d1d5db;color:#4b5563;">To</th>
</tr>
<% for (const change of shown) { -%>
<tr>
<td valign="top" style="padding:8px;border-bottom:1px solid #e5e7eb;font-weight:bold;"><%= it.line(change.field, 120) %></td>
<td valign="top" style="padding:8px;border-bottom:1px solid #e5e7eb;color:#6b7280;word-break:break-word;"><%= change.from == null ? '(empty)' : it.cut(change.from, 500) %></td>
<td valign="top" style="padding:8px;border-bottom:1px solid #e5e7eb;word-break:break-word;"><%= change.to == null ? '(empty)' : it.cut(change.to, 500) %></td>
</tr>
<% } -%>
</table>
<% if (hidden > 0) { -%>
<p style="margin:0 0 16px 0;color:#4b5563;">And <%= it.plural(hidden, 'more change', 'more changes') %> not listed here.</p>
<% } -%>
<% if (it.payload.linkPath) { -%>
<%~ include('@_button.html', { label: 'Open the change request', href: it.link(it.payload.linkPath) }) %>
<% } -%>
<p style="margin:0 0 16px 0;font-size:13px;color:#6b7280;">Reference <%= it.ticket %>: keep it in the subject when you reply, so the reply is filed with this request.</p>
`,

  'change-request.text': `${CHANGES}[<%= it.ticket %>] <%= it.line(it.payload.title, 160) %>

<%= it.line(it.payload.requester, 120) %> requested <%= it.plural(it.payload.changes.length, 'change', 'changes') %>:

<% for (const change of shown) { -%>
- <%= it.line(change.field, 120) %>: <%= change.from == null ? '(empty)' : it.cut(change.from, 500) %> -> <%= change.to == null ? '(empty)' : it.cut(change.to, 500) %>
<% } -%>
<% if (hidden > 0) { -%>
- and <%= it.plural(hidden, 'more change', 'more changes') %> not listed here
<% } -%>
<% if (it.payload.linkPath) { -%>

Open the change request:
<%= it.link(it.payload.linkPath) %>
<% } -%>

Reference <%= it.ticket %>: keep it in the subject when you reply, so the reply is filed with this request.
`,

  'change-request.item.html': `<% if (it.itemUrl) { %><a href="<%= it.itemUrl %>" target="_blank" style="color:#1d4ed8;font-weight:bold;text-decoration:none;">[<%= it.ticket %>] <%= it.line(it.payload.title, 100) %></a><% } else { %><strong>[<%= it.ticket %>] <%= it.line(it.payload.title, 100) %></strong><% } %><br>
<span style="font-size:13px;color:#6b7280;">Change request by <%= it.line(it.payload.requester, 80) %> · <%= it.plural(it.payload.changes.length, 'change', 'changes') %></span>`,

  'change-request.item.text': `[<%= it.ticket %>] <%= it.line(it.payload.title, 100) %> (change request by <%= it.line(it.payload.requester, 80) %>)<% if (it.itemUrl) { %>
  <%= it.itemUrl %><% } %>`,
};
