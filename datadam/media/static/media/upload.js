/* Image upload page: each chosen or dropped file is posted to the API on its own
   (XMLHttpRequest, for upload progress), three at a time, with the session and its CSRF
   token. Each file's row shows its progress and what the server made of it; the summary
   adds them up. Without JavaScript the form posts every file to the page instead. */
(function () {
  "use strict";
  var form = document.getElementById("media-upload");
  if (!form) return;
  var input = document.getElementById("media-files");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("media-queue");
  var summary = document.getElementById("media-summary");
  var count = document.getElementById("items-count");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var PARALLEL = 3;
  var queue = [];
  var running = 0;
  var totals = null;

  function msg(name, values) {
    var text = form.getAttribute("data-msg-" + name) || name;
    return text.replace(/%\((\w+)\)s/g, function (all, key) {
      return values && key in values ? String(values[key]) : all;
    });
  }

  function row(file) {
    var li = document.createElement("li");
    li.setAttribute("data-state", "queued");
    var name = document.createElement("div");
    name.className = "name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var status = document.createElement("div");
    status.className = "status";
    status.textContent = msg("queued");
    li.append(name, bar, status);
    list.append(li);
    return { file: file, li: li, bar: bar, status: status };
  }

  function add(files) {
    for (var i = 0; i < files.length; i++) queue.push(row(files[i]));
  }

  function finish(entry, state, text, rejected) {
    entry.li.setAttribute("data-state", state);
    entry.bar.value = 100;
    entry.status.textContent = text;
    if (rejected && rejected.length) {
      var ul = document.createElement("ul");
      rejected.forEach(function (r) {
        var li = document.createElement("li");
        li.textContent = r.file + ": " + r.error;
        ul.append(li);
      });
      entry.li.append(ul);
    }
  }

  function outcome(entry, report) {
    totals.created += report.created;
    totals.duplicates += report.duplicates;
    totals.rejected += report.rejected.length;
    if (count && report.created) {
      count.textContent = String((parseInt(count.textContent, 10) || 0) + report.created);
    }
    var one = report.created + report.duplicates + report.rejected.length === 1;
    var text = msg("counts", {
      created: report.created, duplicates: report.duplicates, rejected: report.rejected.length
    });
    if (one && report.created) text = msg("added");
    else if (one && report.duplicates) text = msg("duplicate");
    else if (one) text = msg("refused") + ": " + report.rejected[0].error;
    var state = report.created || report.duplicates ? "done" : "error";
    finish(entry, state, text, one ? [] : report.rejected);
  }

  function send(entry) {
    running++;
    entry.li.setAttribute("data-state", "uploading");
    entry.status.textContent = msg("uploading");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-api"));
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) entry.bar.value = (e.loaded / e.total) * 100;
    });
    xhr.upload.addEventListener("load", function () {
      entry.li.setAttribute("data-state", "checking");
      entry.status.textContent = msg("checking");
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (body && typeof body.created === "number") {
        outcome(entry, body);
      } else {
        totals.rejected++;
        var why = (body && body.message) || xhr.status + " " + xhr.statusText;
        finish(entry, "error", msg("failed", { error: why }));
      }
      next(-1);
    });
    xhr.addEventListener("error", function () {
      totals.rejected++;
      finish(entry, "error", msg("failed", { error: msg("network") }));
      next(-1);
    });
    var data = new FormData();
    data.append("files", entry.file, entry.file.name);
    xhr.send(data);
  }

  function next(change) {
    running += change;
    while (running < PARALLEL && queue.length) send(queue.shift());
    if (running === 0 && !queue.length && totals) {
      summary.textContent = msg("done", totals);
      summary.setAttribute("data-state", "done");
      form.querySelector("button[type=submit]").disabled = false;
      totals = null;
    }
  }

  input.addEventListener("change", function () {
    add(input.files);
  });
  zone.addEventListener("dragover", function (e) {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", function () {
    zone.classList.remove("over");
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files) add(e.dataTransfer.files);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!queue.length) {
      summary.textContent = msg("empty");
      return;
    }
    if (!totals) totals = { created: 0, duplicates: 0, rejected: 0 };
    summary.textContent = "";
    summary.removeAttribute("data-state");
    form.querySelector("button[type=submit]").disabled = true;
    input.value = "";
    next(0);
  });
})();
