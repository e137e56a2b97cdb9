/** The console's one stylesheet, served from the package (no external assets: on-prem installs are often offline). */
export const CONSOLE_CSS = `
:root { --fg:#111827; --muted:#4b5563; --line:#d1d5db; --bg:#f9fafb; --accent:#1d4ed8; --ok:#047857; --bad:#b91c1c; --warn:#92400e; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:0 24px; display:flex; align-items:center; gap:24px; }
header .brand { font-weight:700; padding:14px 0; }
nav ul { list-style:none; margin:0; padding:0; display:flex; gap:4px; flex-wrap:wrap; }
nav a { display:block; padding:14px 12px; color:var(--muted); text-decoration:none; border-bottom:3px solid transparent; }
nav a[aria-current="page"] { color:var(--fg); border-bottom-color:var(--accent); font-weight:600; }
nav a:hover, nav a:focus { color:var(--fg); }
main { max-width:1100px; margin:0 auto; padding:24px; }
h1 { font-size:22px; margin:0 0 16px; }
h2 { font-size:17px; margin:24px 0 8px; }
section.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin:0 0 16px; }
.notice { padding:10px 14px; border-radius:6px; margin:0 0 16px; border:1px solid; }
.notice.ok { background:#ecfdf5; border-color:#a7f3d0; color:var(--ok); }
.notice.bad { background:#fef2f2; border-color:#fecaca; color:var(--bad); }
.notice.info { background:#eff6ff; border-color:#bfdbfe; color:var(--accent); }
form .field { display:grid; grid-template-columns: 220px 1fr; gap:4px 16px; align-items:start; margin:0 0 12px; }
form .field > label { font-weight:600; padding-top:6px; }
form .field .help { grid-column:2; color:var(--muted); font-size:13px; }
form .field .error { grid-column:2; color:var(--bad); font-size:13px; }
form .field p { margin:0; }
form .field input[type=checkbox] { justify-self:start; margin-top:8px; }
form p.reset { margin:-6px 0 14px 236px; }
input[type=text], input[type=number], input[type=password], input[type=email], input[type=url], select, textarea {
  width:100%; max-width:520px; padding:6px 8px; border:1px solid var(--line); border-radius:6px; font:inherit; background:#fff; }
textarea { max-width:none; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:13px; }
input[readonly], select[disabled], textarea[readonly] { background:#f3f4f6; color:var(--muted); }
[aria-invalid="true"] { border-color:var(--bad); }
button, .button { display:inline-block; padding:7px 14px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; font:inherit; cursor:pointer; text-decoration:none; }
button.secondary, .button.secondary { background:#fff; color:var(--accent); }
button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline:3px solid #93c5fd; outline-offset:1px; }
.actions { display:flex; gap:8px; flex-wrap:wrap; margin-top:12px; }
table { border-collapse:collapse; width:100%; background:#fff; }
th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:13px; color:var(--muted); font-weight:600; }
.lock { color:var(--warn); font-size:13px; }
.muted { color:var(--muted); }
.steps { list-style:none; padding:0; margin:0; }
.steps li { padding:6px 0; border-bottom:1px solid var(--line); }
.steps .ok::before { content:"✔ "; color:var(--ok); }
.steps .bad::before { content:"✖ "; color:var(--bad); }
.steps .skip::before { content:"– "; color:var(--muted); }
.checklist li.done::before { content:"✔ "; color:var(--ok); }
.checklist li.failed::before { content:"✖ "; color:var(--bad); }
.checklist li.unknown::before { content:"○ "; color:var(--muted); }
.checklist { list-style:none; padding-left:0; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:13px; }
pre { white-space:pre-wrap; background:#f3f4f6; padding:10px; border-radius:6px; }
iframe.preview { width:100%; height:480px; border:1px solid var(--line); border-radius:6px; background:#fff; }
.template-part label { display:block; margin-bottom:2px; }
.template-part p { margin:2px 0 6px; }
.template-part .error, p.error { color:var(--bad); font-size:13px; }
.template-part details pre { max-height:320px; overflow:auto; }
.counts { display:flex; gap:12px; flex-wrap:wrap; list-style:none; padding:0; margin:0; }
.counts li { background:#fff; border:1px solid var(--line); border-radius:6px; padding:8px 14px; min-width:110px; }
.counts strong { display:block; font-size:20px; }
.filters { display:flex; gap:12px; flex-wrap:wrap; align-items:end; }
.filters label { display:block; font-size:13px; font-weight:600; }
.filters input, .filters select { width:auto; min-width:180px; }
td form { display:inline; }
td .reason { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:13px; word-break:break-word; }
dl.facts { display:grid; grid-template-columns: 200px 1fr; gap:4px 16px; margin:0; }
dl.facts dt { font-weight:600; color:var(--muted); }
dl.facts dd { margin:0; word-break:break-word; }
progress { width:260px; vertical-align:middle; }
.grid-2 { display:grid; grid-template-columns: 1fr 1fr; gap:16px; }
.hidden { display:none !important; } /* over any display a component sets (form .field is a grid) */
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
`;
