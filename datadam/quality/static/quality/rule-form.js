// datadam quality page: the "Add rule" form shows only the chosen kind's numbers. The other
// kinds' fieldsets are hidden and disabled, so they are neither checked nor sent. Without
// JavaScript every kind's numbers show and the server reads the chosen kind's.
(function () {
  "use strict";
  function sync(form) {
    var select = form.querySelector("select[name='rule-kind']");
    if (!select) return;
    form.querySelectorAll("fieldset[data-rule-kind]").forEach(function (set) {
      var on = set.getAttribute("data-rule-kind") === select.value;
      set.hidden = !on;
      set.disabled = !on;
    });
  }
  function start() {
    var form = document.getElementById("rule-form");
    if (!form) return;
    sync(form);
    form.addEventListener("change", function (ev) {
      if (ev.target && ev.target.name === "rule-kind") sync(form);
    });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
