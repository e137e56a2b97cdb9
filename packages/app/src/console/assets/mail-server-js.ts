/**
 * The mail server page's script (progressive: the page works without it). The Exchange Online preset fills the form
 * in place; the tenant fills the token URL as it is typed; Check posts the form to `data-check-url` with fetch (the
 * form's CSRF field goes with it) and shows each step of the NDJSON answer as it arrives, then marks the checklist.
 */
export const MAIL_SERVER_JS = `
(function () {
  'use strict';
  var form = document.getElementById('mail-server');
  if (!form) return;
  var results = document.getElementById('check-results');
  var labels = JSON.parse(results.getAttribute('data-labels') || '{}');
  var PRESET = JSON.parse(form.getAttribute('data-preset') || '{}');

  function field(name) { return form.elements.namedItem(name); }
  function setValue(name, value) {
    var el = field(name);
    if (el && !el.hasAttribute('data-locked')) el.value = value;
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fillTenant() {
    var url = field('smtp.auth.tokenUrl');
    var tenant = field('exchange.tenant');
    if (!url || !tenant || url.hasAttribute('data-locked') || !tenant.value.trim()) return;
    var microsoft = /^https:\\/\\/login\\.microsoftonline\\.com\\/[^/]*\\/oauth2\\/v2\\.0\\/token$/;
    if (url.value.indexOf('<tenant>') >= 0 || microsoft.test(url.value))
      url.value = 'https://login.microsoftonline.com/' + encodeURIComponent(tenant.value.trim()) + '/oauth2/v2.0/token';
  }
  var tenantField = field('exchange.tenant');
  if (tenantField) tenantField.addEventListener('input', fillTenant);

  var preset = document.getElementById('exchange-preset');
  if (preset) preset.addEventListener('click', function (event) {
    event.preventDefault();
    Object.keys(PRESET).forEach(function (name) { setValue(name, PRESET[name]); });
    fillTenant();
    form.dispatchEvent(new Event('change'));
    document.getElementById('exchange-checklist').classList.remove('hidden');
    var next = field('exchange.tenant');
    if (next) next.focus();
  });

  function stepItem(step) {
    var state = step.skipped ? 'skip' : step.ok ? 'ok' : 'bad';
    var li = el('li', state);
    li.setAttribute('data-step', step.step);
    li.appendChild(el('strong', '', labels[step.step] || step.step));
    li.appendChild(document.createTextNode(' '));
    li.appendChild(el('span', 'detail', step.detail));
    if (step.code) { li.appendChild(document.createTextNode(' ')); li.appendChild(el('code', '', step.code)); }
    var notes = (step.issues || []).map(function (i) { return i.setting + ': ' + i.problem; }).concat(step.warnings || []);
    if (notes.length) {
      var ul = el('ul', 'notes');
      notes.forEach(function (n) { ul.appendChild(el('li', '', n)); });
      li.appendChild(ul);
    }
    if (step.cause) {
      var p = el('p');
      p.appendChild(el('strong', '', 'Cause:'));
      p.appendChild(document.createTextNode(' '));
      p.appendChild(el('span', 'cause', step.cause));
      li.appendChild(p);
    }
    if (step.fix) {
      var pre = el('pre', 'fix');
      pre.appendChild(el('strong', '', 'Fix:'));
      pre.appendChild(document.createTextNode(' ' + step.fix));
      li.appendChild(pre);
    }
    return li;
  }

  function markChecklist(items) {
    var words = { done: 'Done', failed: 'Missing or wrong', unknown: 'Not known' };
    items.forEach(function (item) {
      var li = document.querySelector('#exchange-checklist-items li[data-item="' + item.id + '"]');
      if (!li) return;
      li.className = item.state;
      li.querySelector('.state').textContent = words[item.state] + ':';
      li.querySelector('.note').textContent = '(' + item.note + ')';
    });
  }

  function show(line, summary, list) {
    if (line.step) list.appendChild(stepItem(line.step));
    else if (line.done) {
      summary.className = 'notice ' + (line.done.ok ? 'ok' : 'bad');
      summary.textContent = (line.done.ok ? 'Every check passed' : 'The check failed') + ': ' + line.done.smtp;
      markChecklist(line.done.checklist);
    } else if (line.invalid) {
      summary.className = 'notice bad';
      summary.textContent = 'The settings have problems: ' + line.invalid.map(function (i) { return i.setting + ' ' + i.problem; }).join('; ');
    } else if (line.error) {
      summary.className = 'notice bad';
      summary.textContent = line.error;
    }
  }

  async function check(button) {
    results.textContent = '';
    var summary = el('p', 'notice info', 'Checking…');
    summary.id = 'check-summary';
    summary.setAttribute('role', 'status');
    var list = el('ol', 'steps');
    list.id = 'check-steps';
    results.appendChild(summary);
    results.appendChild(list);
    button.disabled = true;
    results.setAttribute('aria-busy', 'true');
    try {
      var response = await fetch(form.getAttribute('data-check-url'), {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin',
      });
      if (!response.ok || !response.body) throw new Error('The console answered ' + response.status + '.');
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffered = '';
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buffered += decoder.decode(chunk.value, { stream: true });
        var lines = buffered.split('\\n');
        buffered = lines.pop();
        lines.filter(Boolean).forEach(function (text) { show(JSON.parse(text), summary, list); });
      }
      if (buffered.trim()) show(JSON.parse(buffered), summary, list);
    } catch (error) {
      summary.className = 'notice bad';
      summary.textContent = 'The check could not run: ' + error.message;
    } finally {
      button.disabled = false;
      results.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    if (!submitter || submitter.value !== 'check' || !window.fetch || !window.ReadableStream) return;
    event.preventDefault();
    check(submitter);
  });
})();
`;
