// datadam's video player and timeline, shared by the video kinds (video_segments,
// video_frames). No player library: the native <video> element, with a timeline under it.
//
// A kind's widget.html includes _video/player.html, which renders a root element
// <div data-video="<kind>"> with the controls, the timeline, the list and a hidden
// <input name="answer">, and loads the kind's widget.js as an ES module; widget.js calls
// registerKind(slug, Mode) with the kind's editing mode (segments.js, frames.js). Modules
// run once per page however often htmx swaps a task in, so the listeners below are
// installed once; new roots are mounted on htmx:load, and a player whose root left the page
// is destroyed. Times are seconds of the video.
//
// A mode is a class constructed with (player, answer) that keeps the model and offers:
// step (seconds per frame step), snapshot()/restore(snap) (undo), toAnswer(),
// lanes() ([{spans: [{id?, label, start, end, on?}]}], one row each on the timeline),
// rows() (the list: [{id, label, start, end, on}]), key(e, digit) (true when used),
// drag(a, b) (a span dragged on the timeline), pick(id, t) (a click on a span or the empty
// timeline), grab(id, edge)/moveEdge(t) (segments: resizing), remove(id), select(id),
// labelPicked(label) (a label button or key), status() and loopSpan(). Drawing the timeline
// and the pointer on it: timeline.js; helpers: util.js.
import { TimelineMethods } from "./timeline.js";
import { clamp, clock, fill, PALETTE, readJson } from "./util.js";

const kinds = {};
const live = new Set();
let active = null; // the player the keyboard talks to: the one used last
const HISTORY_MAX = 200;
const SPEEDS = [0.25, 0.5, 0.75, 1, 1.5, 2];

export function registerKind(slug, Mode) {
  kinds[slug] = Mode;
  mountAll(document);
}

function mountAll(scope) {
  for (const p of live) if (!p.root.isConnected) p.destroy();
  if (!scope || !scope.querySelectorAll) return;
  const roots = [...scope.querySelectorAll("[data-video]")];
  if (scope.matches && scope.matches("[data-video]")) roots.push(scope);
  for (const root of roots) {
    const Mode = kinds[root.dataset.video];
    if (Mode && !root.ddVideo) new Player(root, Mode);
  }
}

export class Player {
  constructor(root, Mode) {
    root.ddVideo = this;
    live.add(this);
    this.root = root;
    this.readonly = root.hasAttribute("data-readonly");
    this.config = readJson(root, "config") || {};
    this.labels = (Array.isArray(this.config.labels) ? this.config.labels : []).map(String);
    this.label = this.labels[0] ?? "";
    this.duration = Number(root.dataset.duration) || 0;
    this.fps = Number(root.dataset.fps) || 0;
    this.video = root.querySelector("video");
    this.input = root.querySelector('input[name="answer"]');
    this.timeline = root.querySelector(".dd-v-timeline");
    this.lanesEl = root.querySelector(".dd-v-lanes");
    this.headEl = root.querySelector(".dd-v-head");
    this.selEl = root.querySelector(".dd-v-sel");
    this.inEl = root.querySelector(".dd-v-in");
    this.listEl = root.querySelector(".dd-v-list");
    this.statusEl = root.querySelector(".dd-v-status");
    this.timeEl = root.querySelector(".dd-v-time");
    this.strings = root.querySelector(".dd-v-strings")?.dataset || {};
    this.inPoint = null; // seconds, or null
    this.sel = null; // {a, b}: a span dragged on the timeline (frames)
    this.loop = false;
    this.ready = false;
    this.mode = new Mode(this, readJson(root, "answer"));
    this.history = [this.mode.snapshot()];
    this.future = [];
    this.bind();
    if (this.video.readyState >= 1) this.loaded();
    else this.say(this.t("loading"));
    this.render();
  }

  t(name, values = {}) {
    return fill(this.strings[name], values);
  }

  colorOf(label) {
    const c = this.config.colors?.[label];
    if (typeof c === "string") return c;
    const i = this.labels.indexOf(label);
    return PALETTE[(i >= 0 ? i : 0) % PALETTE.length];
  }

  say(text, warn = false) {
    this.statusEl.textContent = text || "";
    this.statusEl.classList.toggle("dd-warn", warn);
  }

  // ---- the video ------------------------------------------------------------------------
  get now() {
    return this.video.currentTime || 0;
  }

  loaded() {
    if (this.ready || this.destroyed) return;
    if (!this.blobUrl && !this.seekable()) {
      this.fetchWhole();
      return;
    }
    if (!this.duration && Number.isFinite(this.video.duration)) this.duration = this.video.duration;
    this.ready = true;
    this.sync();
    this.render();
    this.root.dispatchEvent(new CustomEvent("dd:ready", { bubbles: true }));
  }

  seekable() {
    const r = this.video.seekable;
    return r.length > 0 && r.end(r.length - 1) > 0;
  }

  // A server that does not answer byte ranges gives a video the browser cannot jump in:
  // fetch the whole file once and play it from memory (a blob URL is always seekable).
  async fetchWhole() {
    if (this.fetching) return;
    this.fetching = true;
    this.say(this.t("loading"));
    try {
      const r = await fetch(this.video.currentSrc || this.video.src, { credentials: "same-origin" });
      if (!r.ok) throw new Error(String(r.status));
      const blob = await r.blob();
      if (this.destroyed) return;
      this.blobUrl = URL.createObjectURL(blob);
      this.video.src = this.blobUrl; // loadedmetadata comes again, now seekable
    } catch {
      if (this.destroyed) return;
      this.blobUrl = "none"; // play it as it is; jumping may not work
      this.loaded();
      this.say(this.t("noSeek"), true);
    }
  }

  seek(t) {
    const to = clamp(t, 0, this.duration || this.video.duration || 0);
    this.video.currentTime = to;
    this.drawHead(to);
  }

  // One frame (the mode's step) back or on, from the frame nearest to the playhead.
  stepBy(n) {
    this.video.pause();
    const step = this.mode.step;
    this.seek((Math.round(this.now / step + 1e-6) + n) * step);
  }

  toggle() {
    if (this.video.paused) {
      const span = this.loop && this.mode.loopSpan();
      if (span && (this.now < span.start || this.now >= span.end - 0.01)) this.seek(span.start);
      this.video.play().catch(() => {});
    } else this.video.pause();
  }

  speed(delta) {
    const select = this.root.querySelector('[data-act="speed"]');
    const i = SPEEDS.indexOf(this.video.playbackRate);
    const next = SPEEDS[clamp((i < 0 ? 3 : i) + delta, 0, SPEEDS.length - 1)];
    this.video.playbackRate = next;
    if (select) select.value = String(next);
  }

  tick() {
    this.raf = 0;
    if (this.destroyed) return;
    const span = this.loop && this.mode.loopSpan();
    if (span && this.now >= span.end) this.seek(span.start);
    this.drawHead(this.now);
    if (!this.video.paused) this.raf = requestAnimationFrame(() => this.tick());
  }

  drawHead(t) {
    const d = this.duration || 1;
    this.headEl.style.left = `${(100 * clamp(t, 0, d)) / d}%`;
    this.timeline.setAttribute("aria-valuenow", t.toFixed(2));
    this.timeline.setAttribute("aria-valuetext", clock(t));
    this.timeEl.textContent = `${clock(t)} / ${clock(this.duration)}`;
  }

  // ---- the model: undo, the answer --------------------------------------------------------
  commit() {
    const snap = this.mode.snapshot();
    if (snap !== this.history[this.history.length - 1]) {
      this.history.push(snap);
      if (this.history.length > HISTORY_MAX) this.history.shift();
      this.future = [];
    }
    this.sync();
    this.render();
  }

  undo() {
    if (this.history.length < 2) return;
    this.future.push(this.history.pop());
    this.mode.restore(this.history[this.history.length - 1]);
    this.sync();
    this.render();
  }

  redo() {
    if (!this.future.length) return;
    const snap = this.future.pop();
    this.history.push(snap);
    this.mode.restore(snap);
    this.sync();
    this.render();
  }

  // The answer in the hidden input, once the video can play (a worker cannot send "nothing
  // happens" for a video that never loaded).
  sync() {
    if (this.input && this.ready) this.input.value = JSON.stringify(this.mode.toAnswer());
    this.root.dispatchEvent(new CustomEvent("dd:change", { bubbles: true }));
  }

  setLabel(label) {
    this.label = label;
    this.mode.labelPicked(label);
    this.render();
  }

  clearMarks() {
    const had = this.inPoint !== null || this.sel !== null || this.mode.select(null);
    this.inPoint = null;
    this.sel = null;
    this.loop = false;
    this.render();
    return had;
  }

  // ---- input ------------------------------------------------------------------------------
  bind() {
    const v = this.video;
    v.addEventListener("loadedmetadata", () => this.loaded());
    v.addEventListener("error", () => this.say(this.t("error"), true));
    v.addEventListener("play", () => {
      this.playing(true);
      if (!this.raf) this.raf = requestAnimationFrame(() => this.tick());
    });
    v.addEventListener("pause", () => this.playing(false));
    v.addEventListener("seeked", () => this.drawHead(this.now));
    v.addEventListener("timeupdate", () => { if (v.paused) this.drawHead(this.now); });
    this.root.addEventListener("focusin", () => this.activate());
    this.root.addEventListener("pointerdown", () => this.activate());
    this.root.addEventListener("click", (e) => this.onClick(e));
    this.root.addEventListener("change", (e) => {
      if (e.target.matches('[data-act="speed"]')) v.playbackRate = Number(e.target.value) || 1;
    });
    const tl = this.timeline;
    tl.addEventListener("pointerdown", (e) => this.onDown(e));
    tl.addEventListener("pointermove", (e) => this.onMove(e));
    tl.addEventListener("pointerup", (e) => this.onUp(e));
    tl.addEventListener("pointercancel", () => { this.drag = null; this.render(); });
  }

  playing(on) {
    const b = this.root.querySelector('[data-act="play"]');
    if (!b) return;
    b.setAttribute("aria-pressed", String(on));
    b.firstChild.textContent = `${on ? this.t("pause") : this.t("play")} `;
  }

  onClick(e) {
    const el = e.target.closest("button");
    if (!el || !this.root.contains(el)) return;
    const act = el.dataset.act;
    if (act === "play") this.toggle();
    else if (act === "back") this.stepBy(-1);
    else if (act === "fwd") this.stepBy(1);
    else if (this.readonly) {
      if (el.dataset.pick !== undefined) this.mode.pick(el.dataset.pick, null);
      return;
    } else if (act === "undo") this.undo();
    else if (act === "redo") this.redo();
    else if (act === "in" || act === "out" || act === "loop") this.mode.key({ key: act[0] }, null);
    else if (el.dataset.label !== undefined) this.mode.key({ key: "" }, this.labels.indexOf(el.dataset.label) + 1);
    else if (el.dataset.del !== undefined) this.mode.remove(el.dataset.del);
    else if (el.dataset.pick !== undefined) this.mode.pick(el.dataset.pick, null);
    else return;
    this.render();
  }

  // One key for this player: true when it used the key (then nothing else gets it).
  handleKey(e) {
    const k = e.key;
    if (e.ctrlKey || e.metaKey) {
      if (e.altKey || this.readonly) return false;
      const lower = k.toLowerCase();
      if (lower === "z") e.shiftKey ? this.redo() : this.undo();
      else if (lower === "y") this.redo();
      else return false;
      return true;
    }
    if (e.altKey) return false;
    const onControl = e.target.closest && e.target.closest("button, a, summary, select");
    if (k === " ") {
      if (onControl) return false; // Space presses the focused button
      if (!this.root.contains(e.target) && e.target !== document.body) return false;
      this.toggle();
    } else if (k === "k" || k === "K") this.toggle();
    else if (k === ",") this.stepBy(-1);
    else if (k === ".") this.stepBy(1);
    else if (k === "<") this.speed(-1);
    else if (k === ">") this.speed(1);
    else if (k === "ArrowLeft" || k === "ArrowRight") {
      if (e.target.matches && e.target.matches("select")) return false;
      this.seek(this.now + (k === "ArrowLeft" ? -1 : 1) * (e.shiftKey ? 5 : 1));
    } else if (k === "Home") this.seek(0);
    else if (k === "End") this.seek(this.duration);
    else if (this.readonly) return false;
    else if (k === "Escape") return this.clearMarks();
    else {
      const m = /^(?:Digit|Numpad)(\d)$/.exec(e.code || "") || /^(\d)$/.exec(k);
      if (!this.mode.key(e, m ? Number(m[1]) : null)) return false;
    }
    this.render();
    return true;
  }

  activate() {
    active = this;
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    live.delete(this);
    if (active === this) active = null;
    if (this.raf) cancelAnimationFrame(this.raf);
    this.video.pause();
    if (this.blobUrl && this.blobUrl !== "none") URL.revokeObjectURL(this.blobUrl);
    this.root.ddVideo = null;
  }
}

// timeline.js: drawing the timeline and the pointer on it.
for (const name of Object.getOwnPropertyNames(TimelineMethods.prototype)) {
  if (name !== "constructor") Player.prototype[name] = TimelineMethods.prototype[name];
}

function typing(t) {
  if (!t || !t.tagName) return false;
  if (t.isContentEditable || t.tagName === "TEXTAREA") return true;
  return t.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(t.type);
}

// Keys go to the player used last, else to the one on a task page ([data-keys]). Window,
// capture phase: before app.js (document) turns keys into clicks; Enter and S are left to it.
window.addEventListener("keydown", (e) => {
  const p = active && !active.destroyed && active.root.isConnected ? active
    : [...live].find((x) => x.root.isConnected && x.root.closest("[data-keys]"));
  if (!p || typing(e.target)) return;
  if (p.handleKey(e)) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }
}, true);

document.addEventListener("htmx:load", (e) => mountAll(e.target));
document.addEventListener("htmx:beforeCleanupElement", (e) => {
  if (e.target.ddVideo) e.target.ddVideo.destroy();
});
document.addEventListener("htmx:historyRestore", () => mountAll(document));
