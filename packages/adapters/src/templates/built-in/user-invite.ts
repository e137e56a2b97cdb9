/** `user-invite`: someone invited the recipient to an account; the one action is to accept. */
export const USER_INVITE_TEMPLATES: Readonly<Record<string, string>> = {
  'user-invite.subject': `<%= it.line(it.payload.inviterName, 60) %> invited you to <%= it.line(it.payload.accountName, 80) %>`,

  'user-invite.html': `<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;font-weight:bold;color:#111827;">You are invited to <%= it.line(it.payload.accountName, 120) %></h1>
<p style="margin:0 0 16px 0;"><%= it.greeting %>,</p>
<p style="margin:0 0 16px 0;"><%= it.line(it.payload.inviterName, 120) %> invited you to join <strong><%= it.line(it.payload.accountName, 120) %></strong> on <%= it.productName %>.</p>
<%~ include('@_button.html', { label: 'Accept invitation', href: it.link(it.payload.acceptLinkPath) }) %>
<p style="margin:0 0 16px 0;color:#4b5563;">The invitation expires on <%= it.date(it.payload.expiresAt) %>. If you did not expect it, you can ignore this message.</p>
`,

  'user-invite.text': `<%= it.greeting %>,

<%= it.line(it.payload.inviterName, 120) %> invited you to join <%= it.line(it.payload.accountName, 120) %> on <%= it.productName %>.

Accept the invitation:
<%= it.link(it.payload.acceptLinkPath) %>

The invitation expires on <%= it.date(it.payload.expiresAt) %>. If you did not expect it, you can ignore this message.
`,

  'user-invite.item.html': `<a href="<%= it.itemUrl %>" target="_blank" style="color:#1d4ed8;font-weight:bold;text-decoration:none;">Invitation to <%= it.line(it.payload.accountName, 100) %></a><br>
<span style="font-size:13px;color:#6b7280;">From <%= it.line(it.payload.inviterName, 80) %> · expires <%= it.date(it.payload.expiresAt) %></span>`,

  'user-invite.item.text': `Invitation to <%= it.line(it.payload.accountName, 100) %> from <%= it.line(it.payload.inviterName, 80) %> (expires <%= it.date(it.payload.expiresAt) %>)
  <%= it.itemUrl %>`,
};
