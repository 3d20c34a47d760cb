// datadam review batch: keyboard review of one worker's cards; decisions go through htmx.
(function () {
  "use strict";
  var cur = 0;
  function root() { return document.querySelector("[data-review]"); }
  function cards() { var r = root(); return r ? Array.prototype.slice.call(r.querySelectorAll(".rcard")) : []; }
  function decided(card) { return !!card.querySelector(".verdict"); }
  function current() { return cards()[cur] || null; }

  function select(i, focus) {
    var list = cards();
    if (!list.length) return;
    cur = Math.max(0, Math.min(i, list.length - 1));
    list.forEach(function (c, j) {
      c.classList.toggle("current", j === cur);
      if (j === cur) c.setAttribute("aria-current", "true"); else c.removeAttribute("aria-current");
    });
    if (focus) { list[cur].focus({ preventScroll: true }); list[cur].scrollIntoView({ block: "nearest" }); }
  }
  function nextOpen(from) {
    var list = cards();
    for (var k = 1; k <= list.length; k++) {
      var j = (from + k) % list.length;
      if (!decided(list[j])) return j;
    }
    return -1;
  }
  function openPicker(card, decision) {
    var target = null;
    card.querySelectorAll("details.picker").forEach(function (d) {
      d.open = d.dataset.decision === decision;
      if (d.open) target = d;
    });
    if (!target) return;
    var radio = target.querySelector("input[name=reason_code]:checked") || target.querySelector("input[name=reason_code]");
    if (radio) radio.focus();
  }
  function refresh() {
    var list = cards();
    var done = list.filter(decided).length;
    var counter = document.querySelector("[data-done]");
    if (counter) counter.textContent = String(done);
    var panel = document.getElementById("batch-done");
    var all = document.getElementById("approve-all");
    var finished = list.length > 0 && done === list.length;
    if (panel && panel.hidden === finished) {
      panel.hidden = !finished;
      if (finished) panel.querySelector("[data-next]").focus();
    }
    if (all) all.hidden = finished;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!root()) return;
    select(0, true);
    root().addEventListener("click", function (ev) {
      var card = ev.target.closest(".rcard");
      if (card) select(cards().indexOf(card), false);
    });
    // Opening one picker of a card closes the other.
    root().addEventListener("toggle", function (ev) {
      var d = ev.target;
      if (!d.matches || !d.matches("details.picker") || !d.open) return;
      d.closest(".rcard").querySelectorAll("details.picker").forEach(function (o) { if (o !== d) o.open = false; });
    }, true);
  });

  // A refused decision (403, 404, 409, 422) still replaces the card's decision area: the
  // answer carries the message to show there.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var code = ev.detail.xhr.status;
    if ([403, 404, 409, 422].indexOf(code) >= 0 && ev.detail.xhr.responseText) {
      ev.detail.shouldSwap = true;
      ev.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", function (ev) {
    if (!root()) return;
    var card = current();
    refresh();
    if (card && decided(card)) {
      var j = nextOpen(cur);
      if (j >= 0) select(j, true);
    } else if (card && ev.detail.target && card.contains(ev.detail.target)) {
      var open = card.querySelector("details.picker[open] input[name=reason_code]");
      if (open) open.focus(); else card.focus({ preventScroll: true });
    }
  });

  document.addEventListener("keydown", function (ev) {
    if (!root() || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    var typing = t.tagName === "TEXTAREA" || t.tagName === "SELECT" || (t.tagName === "INPUT" && t.type === "text");
    var card = current();
    var picker = (t.closest && t.closest("details.picker[open]")) ||
      (card && card.querySelector("details.picker[open]"));
    if (picker) {
      if (ev.key === "Escape") { ev.preventDefault(); picker.open = false; card.focus(); return; }
      if (ev.key === "Enter" && t.tagName !== "BUTTON" && t.tagName !== "SUMMARY" && t.tagName !== "A") {
        ev.preventDefault(); picker.querySelector("form").requestSubmit(); return;
      }
      if (!typing && /^[1-9]$/.test(ev.key)) {
        var radio = picker.querySelectorAll("input[name=reason_code]")[Number(ev.key) - 1];
        if (radio) { ev.preventDefault(); radio.checked = true; radio.focus(); }
        return;
      }
      if (typing || t.type === "radio") return; // arrows move between reasons, letters type
    }
    if (typing) return;
    var key = ev.key;
    var lower = key.length === 1 ? key.toLowerCase() : key;
    var handled = true;
    if (lower === "j" || key === "ArrowRight" || key === "ArrowDown") select(cur + 1, true);
    else if (lower === "k" || key === "ArrowLeft" || key === "ArrowUp") select(cur - 1, true);
    else if (lower === "a" && ev.shiftKey) {
      var all = document.getElementById("approve-all");
      if (all && !all.hidden) all.requestSubmit(); else handled = false;
    } else if (lower === "a" && card && !decided(card)) card.querySelector("[data-act=approve]").click();
    else if (lower === "r" && card && !decided(card)) openPicker(card, "reject");
    else if (lower === "e" && card && !decided(card)) openPicker(card, "return");
    else if (lower === "n") {
      var panel = document.getElementById("batch-done");
      if (panel && !panel.hidden) panel.querySelector("[data-next]").click(); else handled = false;
    } else handled = false;
    if (handled) ev.preventDefault();
  });
})();
