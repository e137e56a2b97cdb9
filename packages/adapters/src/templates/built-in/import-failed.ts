/** `import-failed`: a connector's import stopped with an error; the recipient should look at it. */
export const IMPORT_FAILED_TEMPLATES: Readonly<Record<string, string>> = {
  'import-failed.subject': `Import failed: <%= it.line(it.payload.connectorName, 100) %>`,

  'import-failed.html': `<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;font-weight:bold;color:#b91c1c;">Import from <%= it.line(it.payload.connectorName, 120) %> failed</h1>
<p style="margin:0 0 16px 0;"><%= it.greeting %>,</p>
<p style="margin:0 0 16px 0;">The import that started on <%= it.date(it.payload.startedAt) %> failed on <%= it.date(it.payload.failedAt) %>. What the connector reported:</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px 0;">
<tr><td style="padding:12px 16px;background-color:#fef2f2;border-left:4px solid #b91c1c;font-family:Consolas,'Courier New',monospace;font-size:13px;line-height:19px;color:#111827;word-break:break-word;"><% /* <br> per line: Outlook ignores white-space:pre-wrap */ for (const line of it.cut(it.payload.errorSummary, 2000).split(/\\r?\\n/)) { %><%= line %><br><% } %></td></tr>
</table>
<%~ include('@_button.html', { label: 'Open the import', href: it.link(it.payload.linkPath) }) %>
<p style="margin:0 0 16px 0;color:#4b5563;">Once the cause is fixed, run the import again from the connector's page.</p>
`,

  'import-failed.text': `<%= it.greeting %>,

The import from <%= it.line(it.payload.connectorName, 120) %> failed.

  Started: <%= it.date(it.payload.startedAt) %>
  Failed:  <%= it.date(it.payload.failedAt) %>

What the connector reported:

<%= it.cut(it.payload.errorSummary, 2000) %>

Open the import:
<%= it.link(it.payload.linkPath) %>

Once the cause is fixed, run the import again from the connector's page.
`,

  'import-failed.item.html': `<a href="<%= it.itemUrl %>" target="_blank" style="color:#b91c1c;font-weight:bold;text-decoration:none;">Import failed: <%= it.line(it.payload.connectorName, 100) %></a><br>
<span style="font-size:13px;color:#6b7280;"><%= it.line(it.payload.errorSummary, 140) %> · <%= it.date(it.payload.failedAt) %></span>`,

  'import-failed.item.text': `Import failed: <%= it.line(it.payload.connectorName, 100) %> (<%= it.date(it.payload.failedAt) %>)
  <%= it.line(it.payload.errorSummary, 140) %>
  <%= it.itemUrl %>`,
};
