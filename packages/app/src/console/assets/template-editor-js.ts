/**
 * The template editor's live preview: while the admin types, the form is posted (debounced) to the preview route
 * into the two sandboxed iframes, through the same buttons that do it without script. One after the other: a form
 * has one planned navigation, so a second submission at once would cancel the first.
 */
export const TEMPLATE_EDITOR_JS = `
(function () {
  'use strict';
  var form = document.getElementById('template-editor');
  if (!form || typeof form.requestSubmit !== 'function') return;
  var buttons = Array.prototype.slice.call(form.querySelectorAll('button[data-preview-part]'));
  var timer;
  var round = 0;
  function refresh() {
    var mine = ++round;
    var queue = buttons.slice();
    (function next() {
      var button = queue.shift();
      if (!button || mine !== round) return;
      var frame = document.querySelector('iframe[name="' + button.getAttribute('formtarget') + '"]');
      if (frame) frame.addEventListener('load', next, { once: true });
      form.requestSubmit(button);
    })();
  }
  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
`;
