// Keyboard handling for the wiki. No inline script anywhere (CSP), so it all lives here.
//
// KEYS is the one registry: the keydown handler dispatches from it and the "?" overlay
// is built from it, so the two cannot drift apart.
(function () {
  "use strict";

  var G_TIMEOUT_MS = 1200;

  function $(selector, root) {
    return (root || document).querySelector(selector);
  }

  function visible(el) {
    return el && el.offsetParent !== null;
  }

  function clickMarked(key) {
    return function () {
      var el = $('[data-key="' + key + '"]');
      if (!el) return false;
      el.click();
      return true;
    };
  }

  function goTo(letter) {
    return function () {
      var el = $('[data-go="' + letter + '"]');
      if (!el) {
        flash("Open a space first: that list belongs to a space.");
        return true;
      }
      el.click();
      return true;
    };
  }

  // Lists: any element marked data-list; its rows are [data-item] elements.
  function activeList() {
    var dialog = $("dialog[open]");
    var scope = dialog || document;
    var lists = Array.prototype.filter.call(
      scope.querySelectorAll("[data-list]"),
      function (list) { return visible(list) && list.querySelector("[data-item]"); }
    );
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-list]") : null;
    return focused && lists.indexOf(focused) >= 0 ? focused : lists[0];
  }

  function move(step) {
    return function () {
      var list = activeList();
      if (!list) return false;
      var items = Array.prototype.slice.call(list.querySelectorAll("[data-item]"));
      var current = items.findIndex(function (item) { return item.classList.contains("is-selected"); });
      var next = current < 0 ? (step > 0 ? 0 : items.length - 1)
        : Math.max(0, Math.min(items.length - 1, current + step));
      select(items, next);
      return true;
    };
  }

  function select(items, index) {
    items.forEach(function (item, i) {
      var on = i === index;
      item.classList.toggle("is-selected", on);
      if (on) {
        item.setAttribute("aria-current", "true");
      } else {
        item.removeAttribute("aria-current");
      }
    });
    var chosen = items[index];
    if (chosen) {
      chosen.scrollIntoView({ block: "nearest" });
      var link = chosen.querySelector("a[href], button, input");
      if (link && !document.activeElement.closest("dialog input[type=search]")) link.focus({ preventScroll: true });
    }
  }

  function moveSelected(direction) {
    return function () {
      var button = $('[data-item].is-selected [data-move="' + direction + '"]');
      if (!button) return false;
      button.click();
      return true;
    };
  }

  function openSelected() {
    // Enter on a focused control does what that control does, not what the row does.
    var focused = document.activeElement;
    var chosenLink = $("[data-item].is-selected a[href]");
    if (focused && focused !== chosenLink && focused.matches &&
        focused.matches("a[href], button, summary, select, textarea")) return false;
    var list = activeList();
    var chosen = list && list.querySelector("[data-item].is-selected");
    var link = chosen && chosen.querySelector("a[href]");
    if (!link) return false;
    link.click();
    return true;
  }

  function focusSearch() {
    var box = $("#search-q") || $("#topbar-q");
    if (!box) return false;
    box.focus();
    box.select();
    return true;
  }

  function save() {
    var form = (document.activeElement && document.activeElement.closest("form[data-save-form]"))
      || $("form[data-save-form]");
    if (!form) return false;
    form.requestSubmit();
    return true;
  }

  function cancel() {
    var dialog = $("dialog[open]");
    if (dialog) {
      dialog.close();
      return true;
    }
    var link = $("[data-cancel]");
    if (!link) {
      // Nothing to cancel: Esc leaves a field, so single-letter keys work again.
      if (typing(document.activeElement)) {
        document.activeElement.blur();
        return true;
      }
      return false;
    }
    var dirty = $("form[data-save-form][data-dirty]");
    if (dirty && !window.confirm("Discard your changes?")) return true;
    link.click();
    return true;
  }

  function openPalette() {
    var dialog = $("#palette");
    if (!dialog) return false;
    var input = $("#palette-q");
    if (!dialog.open) dialog.showModal();
    input.value = "";
    input.focus();
    window.htmx && window.htmx.trigger(input, "palette:open");
    return true;
  }

  function showHelp() {
    var dialog = $("#keys-help");
    if (!dialog) return false;
    var list = $("#keys-help-list");
    list.replaceChildren();
    KEYS.forEach(function (entry) {
      var row = document.createElement("div");
      row.className = "key-row";
      row.setAttribute("data-keys", entry.keys);
      var dt = document.createElement("dt");
      entry.keys.split(" ").forEach(function (part, i) {
        if (i) dt.append(" then ");
        var kbd = document.createElement("kbd");
        kbd.textContent = part;
        dt.append(kbd);
      });
      var dd = document.createElement("dd");
      dd.textContent = entry.label;
      row.append(dt, dd);
      list.append(row);
    });
    dialog.showModal();
    return true;
  }

  var KEYS = [
    { keys: "/", label: "Search", run: focusSearch },
    { keys: "Ctrl+K", label: "Command palette: jump to a page or action (also Cmd+K)", run: openPalette, anywhere: true },
    { keys: "g s", label: "Go to this space's home", run: goTo("s") },
    { keys: "g a", label: "Go to the working agreement", run: goTo("a") },
    { keys: "g g", label: "Go to the goals", run: goTo("g") },
    { keys: "g b", label: "Go to the backlog", run: goTo("b") },
    { keys: "g o", label: "Go to the definition of done", run: goTo("o") },
    { keys: "g d", label: "Go to the decision log", run: goTo("d") },
    { keys: "g r", label: "Go to the retrospectives", run: goTo("r") },
    { keys: "g u", label: "Go to the runbooks", run: goTo("u") },
    { keys: "g h", label: "Go to this space's health", run: goTo("h") },
    { keys: "g j", label: "Go to the new-joiner path (start here)", run: goTo("j") },
    { keys: "g m", label: "Go to this space's members", run: goTo("m") },
    { keys: "g p", label: "Go to my spaces", run: goTo("p") },
    { keys: "j", label: "Next item in the list", run: move(1) },
    { keys: "k", label: "Previous item in the list", run: move(-1) },
    { keys: "ArrowDown", label: "Next item in the palette", run: move(1), anywhere: true, only: "dialog" },
    { keys: "ArrowUp", label: "Previous item in the palette", run: move(-1), anywhere: true, only: "dialog" },
    { keys: "Enter", label: "Open the selected item", run: openSelected, anywhere: true },
    { keys: "Alt+ArrowUp", label: "Move the selected backlog item up", run: moveSelected("up") },
    { keys: "Alt+ArrowDown", label: "Move the selected backlog item down", run: moveSelected("down") },
    { keys: "e", label: "Edit this page", run: clickMarked("e") },
    { keys: "h", label: "History of this page", run: clickMarked("h") },
    { keys: "c", label: "Create a page here", run: clickMarked("c") },
    { keys: "Ctrl+Enter", label: "Save (also Cmd+Enter)", run: save, anywhere: true },
    { keys: "Esc", label: "Cancel, or close a dialog", run: cancel, anywhere: true },
    { keys: "?", label: "Show these keys", run: showHelp },
  ];

  function keyName(event) {
    var key = event.key === "Escape" ? "Esc" : event.key;
    if (key.length === 1) key = key === " " ? "Space" : key;
    if (event.ctrlKey || event.metaKey) return "Ctrl+" + (key.length === 1 ? key.toUpperCase() : key);
    if (event.altKey) return "Alt+" + key;
    return key;
  }

  function typing(target) {
    return target && target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  var pendingG = null;

  function flash(text) {
    var box = $("#key-flash");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(function () { box.hidden = true; }, 2500);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) return;
    var name = keyName(event);
    var inField = typing(event.target);
    var sequence = name;
    if (pendingG) {
      clearTimeout(pendingG);
      pendingG = null;
      sequence = "g " + name;
    } else if (name === "g" && !inField) {
      pendingG = setTimeout(function () { pendingG = null; }, G_TIMEOUT_MS);
      event.preventDefault();
      return;
    }
    var entry = KEYS.find(function (k) { return k.keys === sequence; });
    if (!entry) return;
    if (inField && !entry.anywhere) return;
    if (entry.only === "dialog" && !$("dialog[open]")) return;
    // Enter in a field submits its form unless a list row was picked in the palette.
    if (entry.keys === "Enter" && inField && !$("dialog[open] [data-item].is-selected")) return;
    if (entry.run()) event.preventDefault();
  });

  // Remember that a form was changed, so Esc asks before throwing the changes away.
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-save-form]");
    if (form) form.setAttribute("data-dirty", "");
  });
  document.addEventListener("submit", function (event) {
    event.target.removeAttribute("data-dirty");
  });

  // A click on a topbar button opens the palette or the key list too.
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-open]");
    if (!trigger) return;
    event.preventDefault();
    if (trigger.getAttribute("data-open") === "palette") openPalette();
    if (trigger.getAttribute("data-open") === "keys") showHelp();
  });

  // Palette results arrive as an htmx fragment: preselect the first row.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "palette-results") {
      var items = Array.prototype.slice.call(event.target.querySelectorAll("[data-item]"));
      if (items.length) select(items, 0);
    }
  });

  // Files are downloads, not pages: let the browser fetch them instead of htmx.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var href = elt && elt.getAttribute && elt.getAttribute("href");
    if (href && /\/attachments\/\d+\//.test(href)) {
      event.preventDefault();
      window.location.assign(href);
    }
  });

  // A write the server could not finish (a 5xx, or no answer at all) must not replace the
  // form: the typed text stays where it was, with a message saying so. A page that failed
  // to load is still shown, since there is nothing on screen to keep. The next page that
  // arrives brings its own, hidden, message box.

  // The text was not saved, so leaving the page must still ask first. A boosted form's
  // event names the body it would have swapped; the request names the form itself.
  function keepDirty(detail) {
    var elt = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    var form = elt && elt.closest && elt.closest("form[data-save-form]");
    if (form) form.setAttribute("data-dirty", "");
  }

  function requestFailed(text) {
    var box = $("#request-failed");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }

  function verbOf(detail) {
    return (detail.requestConfig && detail.requestConfig.verb) || "get";
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var verb = verbOf(event.detail);
    var status = event.detail.xhr.status;
    if (status >= 500 && verb !== "get") {
      event.detail.shouldSwap = false;
      keepDirty(event.detail);
      requestFailed(
        "The server could not finish this (error " + status + "). " +
        "Your text is still here: try again in a moment."
      );
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var verb = verbOf(event.detail);
    if (verb !== "get") keepDirty(event.detail);
    requestFailed(
      verb === "get"
        ? "The server did not answer. Try again in a moment."
        : "The server did not answer, so this may not have been saved. " +
          "Your text is still here: try again in a moment."
    );
  });

  // After an htmx page swap, put focus at the start of the new content, as a page load would.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.boosted) return;
    if ($("dialog[open]")) $("dialog[open]").close();
    var target = $("[autofocus]") || $("#main");
    if (target) target.focus({ preventScroll: true });
  });

  window.WikiKeys = {
    registry: KEYS.map(function (k) { return { keys: k.keys, label: k.label }; }),
  };
})();
