// Copy buttons (progressive enhancement, issue 9 part E): a button with data-copy="<input id>" is hidden in the page
// and shown here; a click copies that input's value. Served from /admin/assets (the CSP allows no inline script).
(function () {
  function copied(button) {
    var label = button.textContent;
    button.textContent = 'Copied';
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }
  function fallback(field, button) {
    field.select();
    try {
      if (document.execCommand('copy')) { copied(button); }
    } catch (e) { /* the text stays selected: the operator copies it by hand */ }
  }
  function wire() {
    document.querySelectorAll('button[data-copy]').forEach(function (button) {
      var field = document.getElementById(button.getAttribute('data-copy'));
      if (!field) { return; }
      button.hidden = false;
      button.addEventListener('click', function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(function () { copied(button); },
            function () { fallback(field, button); });
        } else {
          fallback(field, button);
        }
      });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', wire);
  } else {
    wire();
  }
})();
