/** `query-results-changed`: a saved query the recipient follows has new or removed rows. */
const SUMMARY = `<% const changes = []; if (it.payload.rowsAdded > 0) changes.push(it.plural(it.payload.rowsAdded, 'row', 'rows') + ' added'); if (it.payload.rowsRemoved > 0) changes.push(it.plural(it.payload.rowsRemoved, 'row', 'rows') + ' removed'); const summary = changes.length > 0 ? changes.join(', ') : 'results updated'; -%>
`;

export const QUERY_RESULTS_CHANGED_TEMPLATES: Readonly<Record<string, string>> = {
  'query-results-changed.subject': `${SUMMARY}Query results changed: <%= it.line(it.payload.queryName, 80) %> (<%= summary %>)`,

  'query-results-changed.html': `${SUMMARY}<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;font-weight:bold;color:#111827;">The results of “<%= it.line(it.payload.queryName, 120) %>” changed</h1>
<p style="margin:0 0 16px 0;"><%= it.greeting %>,</p>
<p style="margin:0 0 16px 0;">The query you follow has new results since it last ran.</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px 0;border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:15px;">
<tr><td style="padding:6px 24px 6px 0;color:#4b5563;">Rows added</td><td align="right" style="padding:6px 0;font-weight:bold;color:#047857;"><%= it.number(it.payload.rowsAdded) %></td></tr>
<tr><td style="padding:6px 24px 6px 0;color:#4b5563;border-top:1px solid #e5e7eb;">Rows removed</td><td align="right" style="padding:6px 0;font-weight:bold;color:#b91c1c;border-top:1px solid #e5e7eb;"><%= it.number(it.payload.rowsRemoved) %></td></tr>
<tr><td style="padding:6px 24px 6px 0;color:#4b5563;border-top:1px solid #e5e7eb;">Rows now</td><td align="right" style="padding:6px 0;font-weight:bold;border-top:1px solid #e5e7eb;"><%= it.number(it.payload.totalRows) %></td></tr>
</table>
<%~ include('@_button.html', { label: 'View results', href: it.link(it.payload.linkPath) }) %>
`,

  'query-results-changed.text': `${SUMMARY}<%= it.greeting %>,

The results of the query "<%= it.line(it.payload.queryName, 120) %>" changed: <%= summary %>.

  Rows added:   <%= it.number(it.payload.rowsAdded) %>
  Rows removed: <%= it.number(it.payload.rowsRemoved) %>
  Rows now:     <%= it.number(it.payload.totalRows) %>

View the results:
<%= it.link(it.payload.linkPath) %>
`,

  'query-results-changed.item.html': `${SUMMARY}<a href="<%= it.itemUrl %>" target="_blank" style="color:#1d4ed8;font-weight:bold;text-decoration:none;"><%= it.line(it.payload.queryName, 100) %></a><br>
<span style="font-size:13px;color:#6b7280;">Query results changed: <%= summary %> · <%= it.date(it.item.createdAt) %></span>`,

  'query-results-changed.item.text': `${SUMMARY}Query results changed: <%= it.line(it.payload.queryName, 100) %> (<%= summary %>)
  <%= it.itemUrl %>`,
};
