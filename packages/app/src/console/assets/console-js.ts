/**
 * The console's shared script (progressive: every page works without it). `data-show-when="field=value[,value]"`
 * shows an element only while the named field has one of the values (the fields of one authentication type);
 * `data-confirm="…"` asks before a form is submitted.
 */
export const CONSOLE_JS = `
(function () {
  'use strict';
  function applyShowWhen(form) {
    form.querySelectorAll('[data-show-when]').forEach(function (el) {
      var spec = el.getAttribute('data-show-when').split('=');
      var field = form.elements.namedItem(spec[0]);
      var value = field ? (field.value || '') : '';
      var show = spec[1].split(',').indexOf(value) >= 0;
      el.classList.toggle('hidden', !show);
      el.querySelectorAll('input, select, textarea').forEach(function (input) { input.disabled = !show || input.hasAttribute('data-locked'); });
    });
  }
  document.querySelectorAll('form').forEach(function (form) {
    if (form.querySelector('[data-show-when]')) {
      form.addEventListener('change', function () { applyShowWhen(form); });
      applyShowWhen(form);
    }
  });
  document.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute('data-confirm')) || event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
`;
