// Capture widgets of the collection kinds (datadam/kinds/_capture/widget.html): the worker
// takes a photo, records sound or records a video clip in the browser, sees it, and uses it or
// retakes it. A used take is uploaded at once (devices.js): the server's checks and
// near-duplicates come back and are shown before the answer is sent. <input name="answer">
// then holds {"capture", "tags", "consent"?} as JSON and the task's Submit is enabled, unless
// a blocking check failed or a tag is still unchosen.
//
// An ES module: the browser runs it once per page however often htmx swaps the next task in,
// so roots are mounted on htmx:load. The camera or microphone is released (its light goes
// off) when a take is uploaded, the form is sent (Submit or Skip), the fragment is swapped
// out, or the page is left. Space takes the photo or starts and stops recording (when focus
// is not in a field or on a button); Enter submits through the page's keys (app.js).
//
// States (data-state on the root): off, starting, live, recording, taken (seen, not sent),
// uploading, done (uploaded: checks shown), failed (no camera or microphone).

import { cameraIds, clock, constraints, deviceProblem, levelMeter, record, snapshot, upload } from "./devices.js";
import { refusals, showChecks, showDuplicates } from "./result.js";

const FILE_TYPE = { photo: "image/", audio: "audio/", video: "video/" };
const live = new Set();

const fill = (text, values) => String(text || "").replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
const positive = (v, fallback) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : fallback);
const id = (v) => (Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : null);
const list = (v) => (Array.isArray(v) ? v : []);
const text = (v) => (typeof v === "string" ? v : "");

function readJson(root, name) {
  const node = root.querySelector(`[data-json="${name}"] script`);
  try { return node ? JSON.parse(node.textContent) : null; } catch { return null; }
}

class Capture {
  constructor(root) {
    root.ddCapture = this;
    live.add(this);
    this.root = root;
    this.mode = FILE_TYPE[root.dataset.capture] ? root.dataset.capture : "photo";
    this.cfg = readJson(root, "config") || {};
    this.t = root.querySelector(".dd-cap-strings")?.dataset || {};
    const q = (sel) => root.querySelector(sel);
    this.view = q(".dd-cap-live");
    this.shown = q(".dd-cap-shot") || q(".dd-cap-play"); // the take: a photo, or a player
    this.meterBox = q(".dd-cap-meter");
    this.timer = q(".dd-cap-timer");
    this.status = q(".dd-cap-status");
    this.need = q(".dd-cap-need");
    this.progress = q(".dd-cap-progress");
    this.result = q(".dd-cap-result");
    this.fileInput = q(".dd-cap-file input[type=file]");
    this.input = q('input[name="answer"]');
    this.consentNote = q(".dd-cap-consent-note");
    this.buttons = Object.fromEntries([...root.querySelectorAll(".dd-cap-bar [data-act]")].map((b) => [b.dataset.act, b]));
    this.form = root.closest("form");
    this.submit = this.form?.querySelector("#submit") || this.form?.querySelector('[data-key="Enter"]');
    this.state = "off";
    this.capture = null; // the uploaded take: {id, url, thumb, checks, duplicates, blocked, message, consent}
    this.take = null; // the take as seen here: {blob, name, source, url}
    this.cameras = [];
    this.camera = -1;
    this.consentId = null;
    this.seq = 0;
    this.preload(readJson(root, "answer"));
    root.addEventListener("click", (ev) => this.onClick(ev));
    root.addEventListener("change", (ev) => this.onChange(ev));
    root.addEventListener("dd:consent", (ev) => { this.consentId = id(ev.detail?.id); this.refresh(); });
    this.watchConsent();
    if (this.state !== "done" && this.root.dataset.upload) this.open();
    else this.render();
    if (!this.root.dataset.upload) this.say(this.t.preview);
    this.sync();
  }

  // A revised answer, or one sent back with an error: show it; Retake starts over.
  preload(answer) {
    if (!answer || typeof answer !== "object") return;
    const tags = answer.tags && typeof answer.tags === "object" ? answer.tags : {};
    for (const box of this.tagBoxes()) {
      const value = tags[box.dataset.tag];
      if (typeof value !== "string") continue;
      const select = box.querySelector("select");
      if (select) select.value = value;
      for (const radio of box.querySelectorAll("input[type=radio]")) radio.checked = radio.value === value;
    }
    const consent = id(answer.consent && typeof answer.consent === "object" ? answer.consent.id : answer.consent);
    if (consent) this.consentId = consent;
    if (!id(answer.capture)) return;
    const checks = list(answer.checks);
    this.capture = {
      id: id(answer.capture), url: text(answer.media), thumb: text(answer.thumb), checks,
      duplicates: list(answer.duplicates), blocked: checks.some((c) => c && !c.passed && c.blocking),
      message: "", consent,
    };
    this.showTake(this.capture.url || this.capture.thumb);
    this.state = "done";
    this.showResult();
    this.say(this.capture.blocked ? this.blockedText() : this.t.stored);
  }

  // ---- consent: while the panel is unsigned, nothing is captured ------------------------------
  panel() { return this.root.querySelector(".dd-consent"); }

  consentMissing() { return this.panel()?.dataset.state === "unsigned"; }

  consent() { return id(this.panel()?.dataset.consentId) || this.consentId; }

  // The panel's state changes (signed; unsigned again for the next person) and the panel
  // itself is swapped when signed: watch its attributes, and its parent for a new panel.
  watchConsent() {
    const panel = this.panel();
    if (!panel) return;
    const attributes = new MutationObserver(() => this.refresh());
    attributes.observe(panel, { attributes: true });
    new MutationObserver(() => {
      attributes.disconnect();
      const now = this.panel();
      if (now) attributes.observe(now, { attributes: true });
      this.refresh();
    }).observe(panel.parentNode, { childList: true });
  }

  refresh() { this.render(); this.sync(); }

  // ---- what is shown ------------------------------------------------------------------------
  say(message) { if (this.status) this.status.textContent = message || ""; }

  setState(state) { this.state = state; this.render(); }

  render() {
    const s = this.state;
    const hold = this.consentMissing();
    const canUpload = !!this.root.dataset.upload;
    const b = this.buttons;
    this.root.dataset.state = s;
    const streaming = s === "live" || s === "recording";
    if (this.view) this.view.hidden = !streaming;
    if (this.shown) this.shown.hidden = !["taken", "uploading", "done"].includes(s) || !this.shown.getAttribute("src");
    if (this.meterBox) this.meterBox.hidden = !streaming;
    if (this.timer) this.timer.hidden = s !== "recording";
    if (b.shoot) { b.shoot.hidden = s !== "live"; b.shoot.disabled = hold; }
    if (b.stop) b.stop.hidden = s !== "recording";
    if (b.use) { b.use.hidden = s !== "taken"; b.use.disabled = hold; }
    if (b.retake) {
      b.retake.hidden = !canUpload || !["off", "taken", "done", "failed"].includes(s);
      const label = s === "failed" ? this.t.tryAgain : s === "off" ? this.t.resume : this.t.retake;
      if (b.retake.textContent !== label) b.retake.textContent = label;
    }
    if (b.switch) b.switch.hidden = s !== "live" || this.cameras.length < 2;
    if (this.fileInput) this.fileInput.disabled = hold || !canUpload || s === "uploading" || s === "recording";
    if (this.progress) this.progress.hidden = s !== "uploading";
    if (this.result) this.result.hidden = s !== "done" || !this.capture;
    if (this.consentNote) this.consentNote.hidden = !hold;
    if (s === "live") this.say(hold ? "" : this.t.live); // the consent note says what to do
  }

  showTake(url) {
    if (!this.shown) return;
    if (url) this.shown.src = url;
    else this.shown.removeAttribute("src");
  }

  // ---- the camera or microphone -------------------------------------------------------------
  async open() {
    this.release();
    const seq = this.seq;
    if (!navigator.mediaDevices?.getUserMedia) return this.fail(null);
    this.setState("starting");
    this.say(this.t.starting);
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(constraints(this.mode, this.cfg, this.cameras[this.camera]));
    } catch (err) {
      if (seq === this.seq) this.fail(err);
      return;
    }
    const stale = () => seq !== this.seq || this.closed || !this.root.isConnected;
    if (stale()) { for (const track of stream.getTracks()) track.stop(); return; }
    this.stream = stream;
    const settings = stream.getVideoTracks()[0]?.getSettings?.() || {};
    if (this.view) {
      this.view.srcObject = stream;
      this.view.classList.toggle("dd-cap-mirror", settings.facingMode ? settings.facingMode === "user" : this.cfg.facing !== "environment");
      this.view.play?.().catch(() => {});
      if (!this.view.videoWidth) { // live once the picture has its size: a photo before is empty
        await new Promise((done) => {
          this.view.addEventListener("loadedmetadata", done, { once: true });
          setTimeout(done, 3000);
        });
      }
      if (this.cameras.length === 0) {
        this.cameras = await cameraIds();
        this.camera = this.cameras.indexOf(settings.deviceId);
      }
      if (stale()) return;
    }
    this.meter = levelMeter(stream, this.meterBox);
    this.setState("live");
  }

  fail(err) {
    const message = this.t[deviceProblem(err)];
    this.setState("failed");
    this.say(this.fileInput ? `${message} ${this.t.orFile}` : message);
  }

  // Stop the recorder (its take is dropped), the tracks and the meter: the light goes off.
  release() {
    this.seq += 1;
    this.recording?.cancel();
    this.recording = null;
    this.meter?.stop();
    this.meter = null;
    for (const track of this.stream?.getTracks() || []) track.stop();
    this.stream = null;
    if (this.view) this.view.srcObject = null;
    if (["live", "recording", "starting"].includes(this.state)) this.setState("off");
  }

  close() {
    this.closed = true;
    this.release();
    this.sending?.abort();
    if (this.take) URL.revokeObjectURL(this.take.url);
    live.delete(this);
  }

  // ---- taking -------------------------------------------------------------------------------
  async photo() {
    const blob = await snapshot(this.view);
    if (blob && !this.closed && this.state === "live") this.taken(blob, "capture.jpg", "camera");
  }

  startRecording() {
    if (!window.MediaRecorder || !this.stream) return this.fail(null);
    this.meter?.resume();
    const max = positive(this.cfg.max_seconds, this.mode === "audio" ? 30 : 15);
    const min = positive(this.cfg.min_seconds, 0);
    this.recording = record(this.stream, this.mode, {
      max,
      onTick: (seconds) => {
        this.timer.textContent = `● ${clock(seconds)} / ${clock(max)}`;
        this.say(fill(this.t.recording, { time: clock(seconds) }));
      },
      onDone: ({ blob, name, seconds }) => {
        this.recording = null;
        this.taken(blob, name, "camera");
        if (seconds >= max - 0.1) this.say(`${fill(this.t.limit, { max: clock(max) })} ${this.t.taken}`);
        else if (seconds < min) this.say(`${fill(this.t.short, { min: `${min} s` })} ${this.t.taken}`);
      },
    });
    this.setState("recording");
  }

  taken(blob, name, source) {
    if (this.closed) return;
    if (this.take) URL.revokeObjectURL(this.take.url);
    this.take = { blob, name, source, url: URL.createObjectURL(blob) };
    this.capture = null;
    this.showTake(this.take.url);
    this.setState("taken");
    this.say(this.t.taken);
    this.sync();
    this.buttons.use?.focus();
  }

  retake() {
    this.sending?.abort();
    if (this.take) URL.revokeObjectURL(this.take.url);
    this.take = null;
    this.capture = null;
    this.showTake("");
    this.sync();
    if (this.stream?.active) this.setState("live");
    else this.open();
  }

  // ---- uploading ----------------------------------------------------------------------------
  async send() {
    const take = this.take;
    if (!take || this.consentMissing() || !this.root.dataset.upload) return;
    const consent = this.consent();
    this.progress.value = 0;
    this.setState("uploading");
    this.say(fill(this.t.uploading, { percent: "0%" }));
    const sending = (this.sending = upload(this.root.dataset.upload, { ...take, consent, form: this.form }, (percent) => {
      this.progress.value = percent;
      this.say(percent >= 100 ? this.t.checking : fill(this.t.uploading, { percent: `${percent}%` }));
    }));
    let reply;
    try {
      reply = await sending.done;
    } catch (err) {
      if (this.sending === sending && err.message === "network") { this.setState("taken"); this.say(this.t.network); }
      return;
    } finally {
      if (this.sending === sending) this.sending = null;
    }
    if (this.closed || this.take !== take) return;
    const { status, data } = reply;
    if (status >= 200 && status < 300 && id(data?.id)) this.uploaded(data, consent);
    else { this.setState("taken"); this.say(fill(this.t.failed, { message: text(data?.message) || `HTTP ${status}` })); }
  }

  uploaded(data, consent) {
    const checks = list(data.checks);
    this.capture = {
      id: id(data.id), url: text(data.url), thumb: text(data.thumb_url), checks,
      duplicates: list(data.duplicates), blocked: data.blocked === true, message: text(data.message),
      consent: id(data.consent) || consent,
    };
    this.release(); // the take is kept: the camera or microphone may rest
    this.setState("done");
    this.showResult();
    this.sync();
    if (this.capture.blocked) {
      this.say(this.blockedText());
      this.buttons.retake?.focus();
    } else {
      this.say(this.t.uploaded);
      const open = this.missingTags()[0];
      (open ? open.querySelector("input, select") : this.submit)?.focus();
    }
  }

  blockedText() {
    const c = this.capture;
    return fill(this.t.blocked, { reasons: c.message || refusals(c.checks) });
  }

  showResult() {
    const c = this.capture;
    if (!c || !this.result) return;
    showChecks(this.result.querySelector(".dd-cap-checks"), c.checks, this.t);
    const mine = this.take?.url || (this.mode === "photo" && c.thumb) || c.url;
    showDuplicates(this.result.querySelector(".dd-cap-dups"), c.duplicates, { mode: this.mode, mine, t: this.t });
  }

  // ---- the answer ---------------------------------------------------------------------------
  tagBoxes() { return [...this.root.querySelectorAll(".dd-cap-tag[data-tag]")]; }

  tags() {
    const out = {};
    for (const box of this.tagBoxes()) {
      const value = box.querySelector("select")?.value || box.querySelector("input[type=radio]:checked")?.value;
      if (value) out[box.dataset.tag] = value;
    }
    return out;
  }

  missingTags() {
    const chosen = this.tags();
    return this.tagBoxes().filter((box) => !(box.dataset.tag in chosen));
  }

  sync() {
    const c = this.capture;
    const usable = !!c && !c.blocked;
    const missing = this.missingTags();
    let answer = "";
    if (usable) {
      const value = { capture: c.id, tags: this.tags() };
      // The consent the take was uploaded under (a third party's), else the current one.
      const consent = c.consent || this.consent();
      if (consent) value.consent = consent;
      answer = JSON.stringify(value);
    }
    if (this.input) this.input.value = answer;
    const ready = usable && missing.length === 0;
    if (this.submit) this.submit.disabled = !ready;
    this.root.toggleAttribute("data-ready", ready);
    if (this.need) {
      this.need.textContent = !c ? this.t.needCapture : c.blocked ? ""
        : missing.length ? fill(this.t.needTags, { names: missing.map((b) => b.dataset.tag).join(", ") }) : this.t.ready;
    }
  }

  // ---- events -------------------------------------------------------------------------------
  onClick(ev) {
    this.meter?.resume(); // browsers start audio only after the page is used
    const button = ev.target.closest("button[data-act]");
    if (!button || !this.root.contains(button) || button.disabled) return;
    const act = button.dataset.act;
    if (act === "shoot") this.primary();
    else if (act === "stop") this.recording?.stop();
    else if (act === "use") this.send();
    else if (act === "retake") this.retake();
    else if (act === "switch" && this.cameras.length > 1) {
      this.camera = (this.camera + 1) % this.cameras.length;
      this.open();
    }
  }

  onChange(ev) {
    const target = ev.target;
    if (target === this.fileInput) {
      const file = target.files?.[0];
      target.value = "";
      if (!file) return;
      if (!file.type.startsWith(FILE_TYPE[this.mode])) { this.say(this.t.wrongFile); return; }
      this.release();
      this.taken(file, file.name, "file");
    } else if (target.closest(".dd-cap-tag")) this.sync();
  }

  // Space: take the photo, or start or stop recording. True when it did something.
  primary() {
    if (this.consentMissing()) return false;
    if (this.state === "recording") { this.recording?.stop(); return true; }
    if (this.state !== "live") return false;
    if (this.mode === "photo") this.photo();
    else this.startRecording();
    return true;
  }
}

function mountAll(scope) {
  for (const c of live) if (!c.root.isConnected) c.close();
  if (!scope?.querySelectorAll) return;
  const selector = ".dd-cap[data-capture]:not([data-readonly])";
  const roots = [...scope.querySelectorAll(selector)];
  if (scope.matches?.(selector)) roots.push(scope);
  for (const root of roots) if (!root.ddCapture) new Capture(root);
}

const FIELD = "input, textarea, select, button, a[href], summary, audio, video, [contenteditable]";
document.addEventListener("keydown", (ev) => {
  if (ev.key !== " " || ev.repeat || ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return;
  if (ev.target?.closest?.(FIELD)) return;
  for (const c of live) if (c.root.isConnected && c.primary()) { ev.preventDefault(); return; }
});
// Swapped out, sent (Submit or Skip) or left: the camera or microphone goes off.
document.addEventListener("htmx:beforeSwap", (ev) => {
  for (const c of live) if (ev.detail.target?.contains(c.root)) c.close();
});
document.addEventListener("htmx:beforeRequest", (ev) => {
  for (const c of live) if (ev.detail.elt === c.form) c.release();
});
document.addEventListener("submit", (ev) => {
  for (const c of live) if (ev.target === c.form) c.release();
});
window.addEventListener("pagehide", () => { for (const c of live) c.release(); });

mountAll(document);
document.addEventListener("htmx:load", (ev) => mountAll(ev.target));
