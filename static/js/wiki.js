// Keyboard handling for the wiki. No inline script anywhere (CSP), so everything lives here.
(function () {
  "use strict";

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  // Remember that a form was changed, so Esc asks before throwing the changes away.
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-save-form]");
    if (form) form.setAttribute("data-dirty", "");
  });
  document.addEventListener("submit", function (event) {
    event.target.removeAttribute("data-dirty");
  });

  document.addEventListener("keydown", function (event) {
    // Ctrl+Enter (Cmd+Enter on macOS) saves the form being edited.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = event.target.closest && event.target.closest("form[data-save-form]");
      form = form || document.querySelector("form[data-save-form]");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    // Esc leaves an edit without saving.
    if (event.key === "Escape") {
      var cancel = document.querySelector("[data-cancel]");
      var dirty = document.querySelector("form[data-save-form][data-dirty]");
      if (cancel && (!dirty || window.confirm("Discard your changes?"))) {
        event.preventDefault();
        window.location.assign(cancel.href);
      }
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    var link = document.querySelector('[data-key="' + CSS.escape(event.key) + '"]');
    if (link) {
      event.preventDefault();
      link.click();
    }
  });
})();
