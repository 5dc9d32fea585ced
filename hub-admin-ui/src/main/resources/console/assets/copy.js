// Copy buttons (progressive enhancement, served from /admin/assets: the CSP allows no inline script). A button
// <button type="button" data-copy="ID" hidden> copies the value of the element #ID; without JavaScript it stays
// hidden and the operator selects the read-only field by hand. The status element data-copy-status="ID" says what
// happened. Nothing is sent anywhere and nothing is logged.
(function () {
  function say(id, text) {
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (status) { status.textContent = text; }
  }
  function fallback(field, id) {
    field.focus();
    field.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    say(id, ok ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (or Cmd+C) to copy.');
  }
  function wire(button) {
    var id = button.getAttribute('data-copy');
    var field = document.getElementById(id);
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      var value = field.value !== undefined ? field.value : field.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(function () { say(id, 'Copied to the clipboard.'); },
          function () { fallback(field, id); });
      } else {
        fallback(field, id);
      }
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), wire);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
