/**
 * The outbox page's "Retry all" with progress: starts the job through the JSON API and polls it until it is done.
 * Without script the form posts to the console, whose job page refreshes itself.
 */
export const OUTBOX_JS = `
(function () {
  'use strict';
  var form = document.querySelector('form[data-retry-all]');
  var status = document.getElementById('retry-progress');
  if (!form || !status || !window.fetch) return;
  var api = form.getAttribute('data-api');
  var bar = status.querySelector('progress');
  var words = status.querySelector('span');
  function show(job) {
    status.classList.remove('hidden');
    bar.max = Math.max(job.total, 1);
    bar.value = job.done;
    words.textContent = job.finished
      ? 'Done: ' + job.done + ' dead letters back in line. Reload the page to see what is left.'
      : 'Retried ' + job.done + ' of ' + job.total + ' dead letters…';
  }
  function fail(message) {
    status.classList.remove('hidden');
    words.textContent = 'Retry stopped: ' + message;
  }
  function answer(response) {
    return response.json().then(function (body) {
      if (!response.ok) throw new Error(body && body.error ? body.error.message : 'HTTP ' + response.status);
      return body;
    });
  }
  function poll(job) {
    show(job);
    if (job.error) return fail(job.error.message);
    if (job.finished) return;
    setTimeout(function () {
      fetch(api + '/outbox/retry-all/' + encodeURIComponent(job.id), { credentials: 'same-origin' }).then(answer).then(poll, function (e) { fail(e.message); });
    }, 500);
  }
  // After the shared script's listener, which may have been told "no" at its confirmation.
  document.addEventListener('submit', function (event) {
    if (event.target !== form || event.defaultPrevented) return;
    event.preventDefault();
    form.querySelector('button').disabled = true;
    fetch(api + '/outbox/retry-all', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-mailroom-request': '1' },
      body: '{}',
    }).then(answer).then(poll, function (e) { fail(e.message); });
  });
})();
`;
