/** `workflow-task-assigned`: a workflow step now waits for the assignee. */
export const WORKFLOW_TASK_ASSIGNED_TEMPLATES: Readonly<Record<string, string>> = {
  'workflow-task-assigned.subject': `New task: <%= it.line(it.payload.taskName, 80) %><% if (it.payload.dueDate) { %> (due <%= it.date(it.payload.dueDate) %>)<% } %>`,

  'workflow-task-assigned.html': `<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;font-weight:bold;color:#111827;">New task: <%= it.line(it.payload.taskName, 120) %></h1>
<p style="margin:0 0 16px 0;"><%= it.greeting %>,</p>
<p style="margin:0 0 16px 0;">The task “<%= it.line(it.payload.taskName, 120) %>” in the workflow “<%= it.line(it.payload.workflowName, 120) %>” was assigned to <strong><%= it.line(it.payload.assigneeName, 120) %></strong>.</p>
<% if (it.payload.dueDate) { -%>
<p style="margin:0 0 16px 0;">It is due on <strong><%= it.date(it.payload.dueDate) %></strong>.</p>
<% } -%>
<%~ include('@_button.html', { label: 'Open the task', href: it.link(it.payload.linkPath) }) %>
`,

  'workflow-task-assigned.text': `<%= it.greeting %>,

The task "<%= it.line(it.payload.taskName, 120) %>" in the workflow "<%= it.line(it.payload.workflowName, 120) %>" was assigned to <%= it.line(it.payload.assigneeName, 120) %>.
<% if (it.payload.dueDate) { -%>
It is due on <%= it.date(it.payload.dueDate) %>.
<% } -%>

Open the task:
<%= it.link(it.payload.linkPath) %>
`,

  'workflow-task-assigned.item.html': `<a href="<%= it.itemUrl %>" target="_blank" style="color:#1d4ed8;font-weight:bold;text-decoration:none;">Task: <%= it.line(it.payload.taskName, 100) %></a><br>
<span style="font-size:13px;color:#6b7280;"><%= it.line(it.payload.workflowName, 80) %> · assigned to <%= it.line(it.payload.assigneeName, 80) %><% if (it.payload.dueDate) { %> · due <%= it.date(it.payload.dueDate) %><% } %></span>`,

  'workflow-task-assigned.item.text': `Task: <%= it.line(it.payload.taskName, 100) %> in <%= it.line(it.payload.workflowName, 80) %>, assigned to <%= it.line(it.payload.assigneeName, 80) %><% if (it.payload.dueDate) { %> (due <%= it.date(it.payload.dueDate) %>)<% } %>
  <%= it.itemUrl %>`,
};
