// datadam: small progressive enhancements on top of htmx. No framework.
(function () {
  "use strict";
  // Header menu (narrow screens): the button shows and hides the navigation; "More" (a
  // <details>) closes on a click elsewhere. Escape closes whichever is open and puts focus
  // back on its button. Listeners sit on the document, so a header swapped in by htmx works.
  function setMenu(header, open) {
    header.classList.toggle("open", open);
    var button = header.querySelector(".menu-button");
    if (button) button.setAttribute("aria-expanded", String(open));
  }
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest(".menu-button");
    if (button) {
      var header = button.closest("header.top");
      setMenu(header, !header.classList.contains("open"));
    }
    document.querySelectorAll("details.more[open]").forEach(function (d) {
      if (!d.contains(ev.target)) d.open = false;
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    var more = document.querySelector("details.more[open]");
    var header = document.querySelector("header.top.open");
    if (more) { more.open = false; more.querySelector("summary").focus(); }
    else if (header) { setMenu(header, false); header.querySelector(".menu-button").focus(); }
    else return;
    ev.stopImmediatePropagation();
  });
  // htmx keeps a copy of the page for the back button: keep it with the menus closed.
  document.addEventListener("htmx:beforeHistorySave", function () {
    document.querySelectorAll("header.top.open").forEach(function (h) { setMenu(h, false); });
    document.querySelectorAll("details.more[open]").forEach(function (d) { d.open = false; });
  });
  // Project wizard: show the settings of the chosen task kind only. Elements with
  // data-kind-show="slug1 slug2" are shown while one of those kinds is chosen.
  function showKindSettings() {
    var select = document.querySelector("#wizard select[name=kind]");
    if (!select) return;
    document.querySelectorAll("#wizard [data-kind-show]").forEach(function (el) {
      el.hidden = el.getAttribute("data-kind-show").split(" ").indexOf(select.value) < 0;
    });
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("#wizard select[name=kind]")) showKindSettings();
  });
  document.addEventListener("DOMContentLoaded", showKindSettings);

  // Lease timers: <span class="timer" data-expires="ISO"></span>
  function tick() {
    document.querySelectorAll(".timer[data-expires]").forEach(function (el) {
      var left = Math.max(0, Math.round((Date.parse(el.dataset.expires) - Date.now()) / 1000));
      el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      el.classList.toggle("low", left < 60);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
  document.addEventListener("DOMContentLoaded", tick);

  // Keyboard: elements with data-key="1" are clicked when that key is pressed, unless the
  // user is typing in a field. Scoped to the element marked [data-keys].
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
        (t.tagName === "INPUT" && t.type !== "radio" && t.type !== "checkbox"))) return;
    // Enter or Space on a focused button or link does what that button or link says.
    if (t && (t.tagName === "BUTTON" || t.tagName === "A") && (ev.key === "Enter" || ev.key === " ")) return;
    var scope = document.querySelector("[data-keys]");
    if (!scope) return;
    var key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    var el = scope.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (!el) return;
    ev.preventDefault();
    if (el.type === "radio" || el.type === "checkbox") { el.click(); el.focus(); }
    else el.click();
  });

  // Time spent on a task, sent with the answer.
  document.addEventListener("htmx:configRequest", function (ev) {
    var form = ev.detail.elt.closest && ev.detail.elt.closest("form[data-started]");
    if (form) ev.detail.parameters.duration_ms = Date.now() - Number(form.dataset.started);
  });
  function markStarted() {
    document.querySelectorAll("form[data-started]").forEach(function (f) {
      f.dataset.started = String(Date.now());
    });
  }
  document.addEventListener("DOMContentLoaded", markStarted);
  document.addEventListener("htmx:afterSwap", function () {
    markStarted();
    var first = document.querySelector("[data-autofocus]");
    if (first) first.focus();
  });
})();
