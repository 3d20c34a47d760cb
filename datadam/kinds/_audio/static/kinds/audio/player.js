// datadam's audio player, shared by the audio kinds (audio_transcription,
// audio_classification, audio_segments).
//
// A kind's widget.html extends _audio/player.html, which renders a root
// <div data-audio-player="<kind>"> with the toolbar and an empty waveform box, and loads the
// kind's widget.js (an ES module). widget.js calls registerAudioKind(slug, spec); every root
// of that kind on the page gets a Player. Modules run once per page however often htmx swaps
// a task in, so the listeners below are installed once: new roots are mounted on htmx:load,
// and a player whose root left the page is destroyed with its wavesurfer.
//
// The waveform is drawn by wavesurfer.js from the item's precomputed peaks (a JSON file of
// min/max pairs made by the media app) when there are some, so nothing is decoded in the
// browser; otherwise wavesurfer fetches and decodes the file. Times are seconds.
//
// spec (all optional): setup(player) after the waveform exists; ready(player) once it is
// drawn; key(player, event) → true when the kind used a key; region(player) → the region to
// loop ({start, end}) or null; destroy(player).
import WaveSurfer from "../../vendor/wavesurfer/wavesurfer.esm.js";
import RegionsPlugin from "../../vendor/wavesurfer/regions.esm.js";

const kinds = {};
const live = new Set();
let active = null; // the player the keyboard talks to: the one used last
export const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2];
const LOOP_COLOR = "rgba(11, 87, 208, 0.15)";

export function registerAudioKind(slug, spec) {
  kinds[slug] = spec || {};
  mountAll(document);
}

function mountAll(scope) {
  for (const p of live) if (!p.root.isConnected) p.destroy();
  if (!scope || !scope.querySelectorAll) return;
  const roots = [...scope.querySelectorAll("[data-audio-player]")];
  if (scope.matches && scope.matches("[data-audio-player]")) roots.push(scope);
  for (const root of roots) {
    const spec = kinds[root.dataset.audioPlayer];
    if (spec && !root.ddPlayer) new Player(root, spec);
  }
}

export function readJson(root, name) {
  const el = root.querySelector(`[data-json="${name}"] script`);
  try {
    return el ? JSON.parse(el.textContent) : null;
  } catch (e) {
    return null;
  }
}

export function clock(t) {
  const s = Math.max(0, t || 0);
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, "0")}`;
}

export class Player {
  constructor(root, spec) {
    root.ddPlayer = this;
    live.add(this);
    active = this;
    this.root = root;
    this.spec = spec;
    this.config = readJson(root, "config") || {};
    this.answer = readJson(root, "answer");
    this.readonly = root.hasAttribute("data-readonly");
    this.strings = root.querySelector(".dd-au-strings").dataset;
    this.status = root.querySelector(".dd-au-status");
    this.timeEl = root.querySelector(".dd-au-time");
    this.rateEl = root.querySelector(".dd-au-rate");
    this.waveEl = root.querySelector(".dd-au-wave");
    this.rateIndex = RATES.indexOf(1);
    this.looping = false;
    this.loopRegion = null; // a part to loop marked by dragging (kinds without segments)
    this.isReady = false;
    this.say(this.strings.loading);
    this.waveEl.replaceChildren(); // a copy restored from htmx's history cache has an old one
    root.addEventListener("click", (e) => this.onClick(e));
    root.addEventListener("pointerdown", () => { active = this; });
    root.addEventListener("focusin", () => { active = this; });
    this.load();
  }

  async load() {
    const src = this.root.dataset.src;
    let peaks = null;
    let duration = Number(this.root.dataset.duration) || undefined;
    if (this.root.dataset.peaks) {
      try {
        const r = await fetch(this.root.dataset.peaks, { credentials: "same-origin" });
        const data = r.ok ? await r.json() : null;
        if (data && Array.isArray(data.max) && Array.isArray(data.min)) {
          peaks = [data.max, data.min]; // top half from the maxima, bottom from the minima
          duration = Number(data.duration) || duration;
        }
      } catch (e) {
        peaks = null; // draw from the file instead
      }
    }
    if (!this.root.isConnected) return;
    this.regions = RegionsPlugin.create();
    this.ws = WaveSurfer.create({
      container: this.waveEl,
      url: src,
      peaks: peaks || undefined,
      duration: peaks ? duration : undefined,
      height: 112,
      normalize: true,
      waveColor: "#8fa8d8",
      progressColor: "#0b57d0",
      cursorColor: "#d93025",
      cursorWidth: 2,
      dragToSeek: false,
      plugins: [this.regions],
    });
    this.ws.on("ready", () => this.onReady());
    this.ws.on("error", () => this.say(this.strings.error, true));
    this.ws.on("timeupdate", (t) => this.onTime(t));
    this.ws.on("play", () => this.showPlaying(true));
    this.ws.on("pause", () => this.showPlaying(false));
    this.ws.on("finish", () => {
      if (this.looping && !this.loopPart()) this.play(0);
    });
    if (this.spec.setup) this.spec.setup(this);
    else if (!this.readonly) this.enableLoopSelection();
    this.keepSeekable(src);
  }

  async keepSeekable(src) {
    // Seeking needs byte ranges. A server without them (Django's own static view: DEBUG, the
    // test server) answers a one-byte range request with the whole file: play that from
    // memory instead. A recording elsewhere that refuses the question is left as it is.
    const seekable = () => this.root.setAttribute("data-seekable", "");
    if (!src || /^(data|blob):/.test(src)) return seekable();
    let response = null;
    try {
      response = await fetch(src, { headers: { Range: "bytes=0-0" }, credentials: "same-origin" });
    } catch (e) {
      return seekable();
    }
    if (response.status !== 200) return seekable(); // 206: ranges work (or an error shows)
    const blob = await response.blob().catch(() => null);
    const media = this.ws && this.ws.getMediaElement();
    if (!blob || !media || !this.root.isConnected) return seekable();
    const t = this.now();
    this.blobUrl = URL.createObjectURL(blob);
    media.addEventListener("loadedmetadata", () => {
      if (t) media.currentTime = t;
      seekable();
    }, { once: true });
    media.src = this.blobUrl;
  }

  onReady() {
    if (this.isReady) return;
    this.isReady = true;
    this.duration = this.ws.getDuration();
    this.root.setAttribute("data-ready", ""); // drawn: tests and styles wait for this
    this.onTime(0);
    this.say(this.strings.ready);
    if (this.spec.ready) this.spec.ready(this);
  }

  enableLoopSelection() {
    // Kinds without segments: a drag marks one part to loop (not part of the answer).
    this.regions.enableDragSelection({ color: LOOP_COLOR });
    this.regions.on("region-created", (region) => {
      if (this.loopRegion && this.loopRegion !== region) this.loopRegion.remove();
      this.loopRegion = region;
      this.setLoop(true);
    });
  }

  say(text, error = false) {
    this.status.textContent = text || "";
    this.status.classList.toggle("errorlist", error);
  }

  onTime(t) {
    const total = this.duration || (this.ws && this.ws.getDuration()) || 0;
    this.timeEl.textContent = `${clock(t)} / ${clock(total)}`;
    const part = this.looping && this.loopPart();
    if (part && this.ws.isPlaying() && (t >= part.end - 0.02 || t < part.start - 0.25)) {
      this.setTime(part.start);
    }
  }

  showPlaying(on) {
    const button = this.root.querySelector('[data-act="play"]');
    button.setAttribute("aria-pressed", String(on));
    button.querySelector(".dd-au-play").hidden = on;
    button.querySelector(".dd-au-pause").hidden = !on;
  }

  loopPart() {
    const region = this.spec.region ? this.spec.region(this) : this.loopRegion;
    return region && region.end > region.start ? region : null;
  }

  onClick(e) {
    const button = e.target.closest && e.target.closest("[data-act]");
    if (!button || !this.root.contains(button)) return;
    const act = button.dataset.act;
    if (act === "play") this.toggle();
    else if (act === "back") this.seek(-1);
    else if (act === "forward") this.seek(1);
    else if (act === "slower") this.speed(-1);
    else if (act === "faster") this.speed(1);
    else if (act === "loop") this.setLoop(!this.looping);
  }

  play(from) {
    if (!this.ws) return;
    if (from !== undefined) this.setTime(from);
    const p = this.ws.play();
    if (p && p.catch) p.catch(() => {}); // no sound device, or autoplay refused
  }

  toggle() {
    if (!this.ws) return;
    if (this.ws.isPlaying()) this.ws.pause();
    else {
      const part = this.looping && this.loopPart();
      const t = this.now();
      this.play(part && (t < part.start || t >= part.end) ? part.start : undefined);
    }
  }

  now() {
    // The media element's own time: wavesurfer's follows it a moment later, so quick
    // presses would each start from the same stale time.
    const media = this.ws && this.ws.getMediaElement();
    return media ? media.currentTime : this.ws ? this.ws.getCurrentTime() : 0;
  }

  setTime(t) {
    // On the media element itself once its metadata is in: wavesurfer keeps a seek asked
    // for while another is under way as "pending" and may drop it, so quick presses of ←
    // or → would be lost; the element simply starts the newer seek.
    const media = this.ws && this.ws.getMediaElement();
    if (media && media.readyState >= 1) media.currentTime = t;
    else if (this.ws) this.ws.setTime(t);
    this.onTime(t);
  }

  seek(seconds) {
    if (!this.ws) return;
    const total = this.ws.getDuration() || 0;
    this.setTime(Math.min(total, Math.max(0, this.now() + seconds)));
  }

  speed(step) {
    this.rateIndex = Math.min(RATES.length - 1, Math.max(0, this.rateIndex + step));
    const rate = RATES[this.rateIndex];
    if (this.ws) this.ws.setPlaybackRate(rate, true);
    this.rateEl.textContent = `${rate}×`;
  }

  setLoop(on) {
    this.looping = on;
    this.root.querySelector('[data-act="loop"]').setAttribute("aria-pressed", String(on));
    const part = this.loopPart();
    if (!on) this.say(this.strings.loopOff);
    else if (part) {
      this.say(this.strings.loopPart.replace("{start}", clock(part.start))
        .replace("{end}", clock(part.end)));
    } else this.say(this.strings.loopAll);
  }

  destroy() {
    live.delete(this);
    if (active === this) active = null;
    if (this.spec.destroy) this.spec.destroy(this);
    if (this.ws) this.ws.destroy();
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.root.ddPlayer = null;
  }
}

// --- Keyboard --------------------------------------------------------------------------------
function typing(t) {
  if (!t || !t.tagName) return false;
  if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
  return t.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(t.type);
}

function target() {
  if (active && active.root.isConnected) return active;
  for (const p of live) if (p.root.isConnected) return p;
  return null;
}

// One key for player p: true when it used the key (then nothing else gets it).
function handleKey(p, e) {
  const k = e.key;
  if (typing(e.target)) {
    if (k === " " && e.ctrlKey) p.toggle();
    else if (k === "Escape") p.waveEl.focus();
    else if (k === "Enter" && (e.ctrlKey || e.metaKey) && e.target.form) {
      const submit = e.target.form.querySelector('[data-key="Enter"]');
      if (!submit) return false;
      submit.click(); // Enter in a text box is a new line; Ctrl+Enter submits
    } else return false;
    return true;
  }
  if (p.spec.key && p.spec.key(p, e)) return true;
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  if (k === " ") {
    if (e.target.closest && e.target.closest("button, a, summary")) return false;
    p.toggle();
  } else if (k === "ArrowLeft") p.seek(e.shiftKey ? -5 : -1);
  else if (k === "ArrowRight") p.seek(e.shiftKey ? 5 : 1);
  else if (k === "[") p.speed(-1);
  else if (k === "]") p.speed(1);
  else if (k === "l" || k === "L") p.setLoop(!p.looping);
  else if (k === "Home") p.setTime(0);
  else return false;
  return true;
}

// Window, capture phase: before app.js (document) turns keys into clicks on [data-key].
window.addEventListener("keydown", (e) => {
  const p = target();
  if (!p || e.defaultPrevented) return;
  if (handleKey(p, e)) {
    e.preventDefault();
    e.stopPropagation();
  }
}, true);

document.addEventListener("htmx:load", (e) => mountAll(e.target));
document.addEventListener("htmx:beforeCleanupElement", (e) => {
  const el = e.target;
  if (el && el.ddPlayer) el.ddPlayer.destroy();
});
document.addEventListener("htmx:historyRestore", () => mountAll(document));
