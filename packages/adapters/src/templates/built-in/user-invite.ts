/**
 * `user-invite`: someone invited the recipient to an account; the one action is to accept. The account may be the
 * recipient's own (`ada`) or a shared one (`Acme`): "the account “ada”" reads right for both.
 */
const ACCOUNT = `<% const account = '“' + it.line(it.payload.accountName, 80) + '”'; -%>
`;

export const USER_INVITE_TEMPLATES: Readonly<Record<string, string>> = {
  'user-invite.subject': `${ACCOUNT}<%= it.line(it.payload.inviterName, 60) %> invited you to the account <%= account %><% if (it.productName) { %> on <%= it.productName %><% } %>`,

  'user-invite.html': `${ACCOUNT}<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;font-weight:bold;color:#111827;">You are invited to the account <%= account %></h1>
<p style="margin:0 0 16px 0;"><%= it.greeting %>,</p>
<p style="margin:0 0 16px 0;"><%= it.line(it.payload.inviterName, 120) %> invited you to the account <strong><%= account %></strong><% if (it.productName) { %> on <%= it.productName %><% } %>.</p>
<%~ include('@_button.html', { label: 'Accept invitation', href: it.link(it.payload.acceptLinkPath) }) %>
<p style="margin:0 0 16px 0;color:#4b5563;">The invitation expires on <%= it.date(it.payload.expiresAt) %>. If you did not expect it, you can ignore this message.</p>
`,

  'user-invite.text': `${ACCOUNT}<%= it.greeting %>,

<%= it.line(it.payload.inviterName, 120) %> invited you to the account <%= account %><% if (it.productName) { %> on <%= it.productName %><% } %>.

Accept the invitation:
<%= it.link(it.payload.acceptLinkPath) %>

The invitation expires on <%= it.date(it.payload.expiresAt) %>. If you did not expect it, you can ignore this message.
`,

  'user-invite.item.html': `<a href="<%= it.itemUrl %>" target="_blank" style="color:#1d4ed8;font-weight:bold;text-decoration:none;">Invitation to the account “<%= it.line(it.payload.accountName, 80) %>”</a><br>
<span style="font-size:13px;color:#6b7280;">From <%= it.line(it.payload.inviterName, 80) %> · expires <%= it.date(it.payload.expiresAt) %></span>`,

  'user-invite.item.text': `Invitation to the account “<%= it.line(it.payload.accountName, 80) %>” from <%= it.line(it.payload.inviterName, 80) %> (expires <%= it.date(it.payload.expiresAt) %>)
  <%= it.itemUrl %>`,
};
