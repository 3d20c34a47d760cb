// The consent panel (consent/_panel_root.html). Sign posts the panel's fields with fetch
// (the panel may sit inside the task's <form>, so it has no form of its own), swaps the
// panel for the server's answer and, once signed, dispatches a bubbling
// CustomEvent("dd:consent", {detail: {id}}) from the new root; "New person" swaps in an
// unsigned panel and dispatches it with {id: null}. Listeners sit on the document, so
// panels swapped in by htmx work; the file runs once however often the panel is included.
(function () {
  "use strict";
  if (window.ddConsentPanel) return;
  window.ddConsentPanel = true;

  function announce(root, id) {
    root.dispatchEvent(new CustomEvent("dd:consent", { bubbles: true, detail: { id: id } }));
  }

  function swap(root, html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var next = template.content.querySelector(".dd-consent");
    if (!next) throw new Error("no consent panel in the answer");
    root.replaceWith(next);
    if (next.hasAttribute("data-signed-now")) {
      next.removeAttribute("data-signed-now");
      announce(next, Number(next.dataset.consentId));
      var status = next.querySelector("[data-consent-status]");
      if (status) status.focus();
    } else {
      var error = next.querySelector("[data-consent-error]");
      var first = next.querySelector("input[name=consent_subject_name]");
      if (next.dataset.state === "unsigned" && !error) announce(next, null);
      if (first) first.focus();
    }
  }

  function post(root, url, fields) {
    var body = new URLSearchParams(fields);
    var buttons = root.querySelectorAll("button");
    var netError = root.querySelector("[data-consent-net-error]");
    buttons.forEach(function (b) { b.disabled = true; });
    root.setAttribute("aria-busy", "true");
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": root.dataset.csrf, "X-Requested-With": "fetch" },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      swap(root, html);
    }).catch(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      root.removeAttribute("aria-busy");
      if (netError) netError.hidden = false;
    });
  }

  function sign(root) {
    var value = function (name) {
      var input = root.querySelector("input[name=" + name + "]");
      return input ? input.value : "";
    };
    var agree = root.querySelector("input[name=consent_agree]");
    post(root, root.dataset.signUrl, {
      consent_subject_name: value("consent_subject_name"),
      consent_signature: value("consent_signature"),
      consent_agree: agree && agree.checked ? "yes" : "",
    });
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("[data-consent-sign], [data-consent-new-person]");
    if (!button) return;
    var root = button.closest(".dd-consent");
    if (!root) return;
    ev.preventDefault();
    if (button.hasAttribute("data-consent-sign")) sign(root);
    else post(root, root.dataset.newPersonUrl, {});
  });

  // Enter in the panel signs it rather than submitting the task form around it (or
  // pressing the task page's Enter key), on the capture phase so nothing else sees it.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !ev.target.closest) return;
    var root = ev.target.closest(".dd-consent");
    if (!root || ev.target.tagName !== "INPUT") return;
    ev.preventDefault();
    ev.stopPropagation();
    if (ev.target.type !== "checkbox") {
      var button = root.querySelector("[data-consent-sign]");
      if (button && !button.disabled) button.click();
    }
  }, true);
})();
