/** `access-review-requested`: the recipient must decide on access items by a due date. */
export const ACCESS_REVIEW_REQUESTED_TEMPLATES: Readonly<Record<string, string>> = {
  'access-review-requested.subject': `Access review requested: <%= it.line(it.payload.reviewName, 80) %> (due <%= it.date(it.payload.dueDate) %>)`,

  'access-review-requested.html': `<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;font-weight:bold;color:#111827;">Please review access: <%= it.line(it.payload.reviewName, 120) %></h1>
<p style="margin:0 0 16px 0;"><%= it.greeting %>,</p>
<p style="margin:0 0 16px 0;">You have been asked to review <strong><%= it.plural(it.payload.itemCount, 'access item', 'access items') %></strong> in “<%= it.line(it.payload.reviewName, 120) %>”. For each one, confirm that the access is still needed or revoke it.</p>
<p style="margin:0 0 16px 0;">Please complete the review by <strong><%= it.date(it.payload.dueDate) %></strong>.</p>
<%~ include('@_button.html', { label: 'Start the review', href: it.link(it.payload.linkPath) }) %>
`,

  'access-review-requested.text': `<%= it.greeting %>,

You have been asked to review <%= it.plural(it.payload.itemCount, 'access item', 'access items') %> in "<%= it.line(it.payload.reviewName, 120) %>". For each one, confirm that the access is still needed or revoke it.

Please complete the review by <%= it.date(it.payload.dueDate) %>.

Start the review:
<%= it.link(it.payload.linkPath) %>
`,

  'access-review-requested.item.html': `<a href="<%= it.itemUrl %>" target="_blank" style="color:#1d4ed8;font-weight:bold;text-decoration:none;">Access review: <%= it.line(it.payload.reviewName, 100) %></a><br>
<span style="font-size:13px;color:#6b7280;"><%= it.plural(it.payload.itemCount, 'item', 'items') %> · due <%= it.date(it.payload.dueDate) %></span>`,

  'access-review-requested.item.text': `Access review: <%= it.line(it.payload.reviewName, 100) %> (<%= it.plural(it.payload.itemCount, 'item', 'items') %>, due <%= it.date(it.payload.dueDate) %>)
  <%= it.itemUrl %>`,
};
