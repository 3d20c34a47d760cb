// Audio segments: {"segments": [{"start", "end", "label"}]} in seconds, on the waveform.
//
// The shared player (kinds/audio/player.js) with wavesurfer's regions: a drag across the
// waveform marks a segment with the chosen label; its edges resize it and its middle moves
// it; a click selects it (L then loops it). Keys: 1–9 label (and relabel the selection),
// I / O start and end a segment at the playhead, Del deletes, Ctrl+Z undo, Ctrl+Shift+Z or
// Ctrl+Y redo. The hidden <input name="answer"> holds the answer as JSON once the waveform
// is drawn (an empty list is a valid "nothing to mark").
import { clock, registerAudioKind } from "../audio/player.js";

const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
  "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#800000", "#aaffc3"];
const HISTORY_MAX = 200;
const round3 = (v) => Math.round(v * 1000) / 1000;

function tint(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

class Segments {
  constructor(p) {
    this.p = p;
    p.segments = this;
    const cfg = p.config;
    this.labels = Array.isArray(cfg.labels) ? cfg.labels.map(String) : [];
    this.colors = {};
    this.labels.forEach((l, i) => {
      const c = cfg.colors && cfg.colors[l];
      this.colors[l] = typeof c === "string" && /^#[0-9a-f]{6}$/i.test(c) ? c : PALETTE[i % PALETTE.length];
    });
    this.label = this.labels[0] || "";
    this.items = []; // {id, start, end, label}
    this.byId = new Map(); // id -> wavesurfer region
    this.selected = null;
    this.mark = null; // I pressed at this time
    this.nextId = 0;
    this.restoring = false;
    const answer = p.answer;
    this.items = (answer && Array.isArray(answer.segments) ? answer.segments : [])
      .filter((s) => Number(s.end) > Number(s.start))
      .map((s) => ({ id: `s${++this.nextId}`, start: Number(s.start), end: Number(s.end),
        label: String(s.label ?? "") }));
    this.history = [this.snapshot()];
    this.future = [];
    const root = p.root;
    this.input = root.querySelector('input[name="answer"]');
    this.list = root.querySelector(".dd-au-list");
    this.empty = root.querySelector(".dd-au-empty");
    root.querySelectorAll(".dd-au-label").forEach((b) => {
      b.style.setProperty("--c", this.colors[b.dataset.label] || "#888");
      b.addEventListener("click", () => this.setLabel(b.dataset.label));
    });
    root.addEventListener("click", (e) => {
      const b = e.target.closest && e.target.closest("[data-seg]");
      if (!b || !root.contains(b)) return;
      const act = b.dataset.seg;
      if (act === "in") this.markIn();
      else if (act === "out") this.markOut();
      else if (act === "undo") this.undo();
      else if (act === "redo") this.redo();
      else if (act === "remove" && this.selected) this.remove(this.selected);
    });
    this.showLabel();
  }

  // --- wavesurfer's regions ------------------------------------------------------------------
  attach() {
    const { regions } = this.p;
    regions.on("region-created", (r) => this.created(r));
    regions.on("region-updated", (r) => this.updated(r));
    regions.on("region-clicked", (r, e) => {
      e.stopPropagation(); // a click selects, it does not move the playhead
      this.select(r.id);
    });
    // Where the drag really began and ended: wavesurfer's own drag lags a few pixels.
    this.drag = { from: null, to: null };
    const wave = this.p.waveEl;
    wave.addEventListener("pointerdown", (e) => {
      this.drag = { from: e.clientX, to: null };
    }, true);
    window.addEventListener("pointerup", (e) => {
      if (this.drag.from !== null) this.drag.to = e.clientX;
    }, true);
    // Once: the drag's colour is neutral; the new segment takes its label's colour.
    if (!this.p.readonly) regions.enableDragSelection({ color: "rgba(0, 0, 0, 0.15)" });
  }

  colorOf(label) {
    return this.colors[label] || "#888888";
  }

  content(label) {
    const el = document.createElement("span");
    el.className = "dd-au-region";
    el.textContent = label;
    return el;
  }

  draw() {
    // Regions from the model (first draw, undo and redo).
    this.restoring = true;
    this.p.regions.clearRegions();
    this.byId.clear();
    this.restoring = false;
    for (const s of this.items) this.addRegion(s);
    this.refresh();
  }

  created(r) {
    if (this.restoring || this.byId.has(r.id)) return;
    // A drag across the waveform: a new segment with the chosen label.
    if (this.p.readonly || !this.label || r.end - r.start < 0.01) {
      r.remove();
      return;
    }
    // The drag's region is replaced by the segment's own (its label's colour, and the
    // times under the pointer: wavesurfer's drag lags a few pixels).
    const { start, end } = this.dragged() || { start: r.start, end: r.end };
    this.restoring = true;
    r.remove();
    this.restoring = false;
    const s = { id: `s${++this.nextId}`, start: round3(start), end: round3(end), label: this.label };
    this.items.push(s);
    this.selected = s.id;
    this.history.push(this.snapshot());
    this.future = [];
    this.addRegion(s);
    this.refresh();
  }

  addRegion(s) {
    this.restoring = true;
    const r = this.p.regions.addRegion({ id: s.id, start: s.start, end: s.end,
      color: tint(this.colorOf(s.label), 0.3), content: this.content(s.label),
      drag: !this.p.readonly, resize: !this.p.readonly, minLength: 0.01 });
    this.restoring = false;
    this.byId.set(s.id, r);
  }

  dragged() {
    // The times under the pointer where the drag began and ended (null when unknown).
    const { from, to } = this.drag;
    this.drag = { from: null, to: null };
    const ws = this.p.ws;
    if (from === null || to === null || !ws) return null;
    const rect = ws.getWrapper().getBoundingClientRect();
    const total = ws.getDuration();
    if (!rect.width || !total) return null;
    const at = (x) => Math.min(total, Math.max(0, ((x - rect.left) / rect.width) * total));
    const [start, end] = [at(Math.min(from, to)), at(Math.max(from, to))];
    return end - start >= 0.01 ? { start, end } : null;
  }

  updated(r) {
    const s = this.items.find((x) => x.id === r.id);
    if (!s || this.restoring) return;
    s.start = round3(r.start);
    s.end = round3(r.end);
    this.selected = s.id;
    this.commit();
  }

  // --- model ---------------------------------------------------------------------------------
  snapshot() {
    return JSON.stringify(this.items);
  }

  commit() {
    this.history.push(this.snapshot());
    if (this.history.length > HISTORY_MAX) this.history.shift();
    this.future = [];
    this.refresh();
  }

  restore(state) {
    this.items = JSON.parse(state);
    if (!this.items.some((s) => s.id === this.selected)) this.selected = null;
    this.draw();
  }

  undo() {
    if (this.history.length < 2) return;
    this.future.push(this.history.pop());
    this.restore(this.history[this.history.length - 1]);
  }

  redo() {
    if (!this.future.length) return;
    const state = this.future.pop();
    this.history.push(state);
    this.restore(state);
  }

  add(start, end) {
    const s = { id: `s${++this.nextId}`, start: round3(start), end: round3(end), label: this.label };
    this.items.push(s);
    this.selected = s.id;
    this.history.push(this.snapshot());
    this.future = [];
    this.addRegion(s);
    this.refresh();
  }

  remove(id) {
    this.items = this.items.filter((s) => s.id !== id);
    if (this.selected === id) this.selected = null;
    const r = this.byId.get(id);
    this.byId.delete(id);
    if (r) {
      this.restoring = true;
      r.remove();
      this.restoring = false;
    }
    this.commit();
  }

  select(id) {
    this.selected = id;
    const s = this.items.find((x) => x.id === id);
    if (s && this.p.ws) this.p.setTime(s.start);
    this.refresh();
  }

  setLabel(label) {
    if (!this.labels.includes(label)) return;
    this.label = label;
    this.showLabel();
    const s = this.selected && this.items.find((x) => x.id === this.selected);
    if (s && s.label !== label && !this.p.readonly) {
      s.label = label;
      const r = this.byId.get(s.id);
      if (r) {
        this.restoring = true;
        r.remove();
        this.restoring = false;
        this.addRegion(s);
      }
      this.commit();
    }
  }

  showLabel() {
    this.p.root.querySelectorAll(".dd-au-label").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.dataset.label === this.label));
    });
  }

  markIn() {
    if (!this.p.ws) return;
    this.mark = this.p.now();
    const button = this.p.root.querySelector('[data-seg="in"]');
    if (button) button.setAttribute("aria-pressed", "true");
    this.p.say(this.p.strings.in.replace("{t}", clock(this.mark)));
  }

  markOut() {
    if (!this.p.ws || this.mark === null) return;
    const t = this.p.now();
    const [a, b] = [Math.min(this.mark, t), Math.max(this.mark, t)];
    this.mark = null;
    const button = this.p.root.querySelector('[data-seg="in"]');
    if (button) button.setAttribute("aria-pressed", "false");
    if (b - a < 0.01) {
      this.p.say(this.p.strings.short);
      return;
    }
    this.add(a, b);
  }

  answer() {
    const order = (l) => this.labels.indexOf(l);
    return { segments: this.items.map(({ start, end, label }) => ({ start, end, label }))
      .sort((x, y) => x.start - y.start || x.end - y.end || order(x.label) - order(y.label)) };
  }

  refresh() {
    const p = this.p;
    if (this.input && p.isReady) this.input.value = JSON.stringify(this.answer());
    for (const [id, r] of this.byId) {
      // Regions live in wavesurfer's shadow root, out of reach of the page's styles.
      if (r.element) r.element.style.boxShadow = id === this.selected ? "inset 0 0 0 2px #0b57d0" : "";
    }
    const t = p.strings;
    const rows = [...this.items].sort((a, b) => a.start - b.start).map((s) => {
      const li = document.createElement("li");
      li.className = "dd-au-row" + (s.id === this.selected ? " dd-on" : "");
      li.style.setProperty("--c", this.colorOf(s.label));
      li.dataset.id = s.id;
      const pick = document.createElement("button");
      pick.type = "button";
      pick.className = "dd-pick";
      const name = t.segment.replace("{label}", s.label).replace("{start}", clock(s.start))
        .replace("{end}", clock(s.end));
      pick.textContent = name;
      pick.setAttribute("aria-pressed", String(s.id === this.selected));
      pick.addEventListener("click", () => this.select(s.id));
      li.append(pick);
      if (!p.readonly) {
        const del = document.createElement("button");
        del.type = "button";
        del.className = "dd-del";
        del.textContent = "×";
        del.setAttribute("aria-label", t.delete.replace("{name}", name));
        del.addEventListener("click", () => this.remove(s.id));
        li.append(del);
      }
      return li;
    });
    if (this.list) this.list.replaceChildren(...rows);
    if (this.empty) this.empty.hidden = this.items.length > 0;
    const q = (sel) => p.root.querySelector(sel);
    if (q('[data-seg="undo"]')) q('[data-seg="undo"]').disabled = this.history.length < 2;
    if (q('[data-seg="redo"]')) q('[data-seg="redo"]').disabled = !this.future.length;
    if (q('[data-seg="remove"]')) q('[data-seg="remove"]').disabled = !this.selected;
  }

  key(e) {
    const k = e.key;
    const lower = k.length === 1 ? k.toLowerCase() : k;
    if (this.p.readonly) return false;
    if (e.ctrlKey || e.metaKey) {
      if (e.altKey) return false;
      if (lower === "z") e.shiftKey ? this.redo() : this.undo();
      else if (lower === "y") this.redo();
      else return false;
      return true;
    }
    if (e.altKey) return false;
    if (/^[1-9]$/.test(k) && this.labels[Number(k) - 1] !== undefined) {
      this.setLabel(this.labels[Number(k) - 1]);
    } else if (lower === "i") this.markIn();
    else if (lower === "o") this.markOut();
    else if ((k === "Delete" || k === "Backspace") && this.selected) this.remove(this.selected);
    else if (k === "Escape" && (this.selected || this.mark !== null)) {
      this.selected = null;
      this.mark = null;
      this.refresh();
    } else return false;
    return true;
  }
}

registerAudioKind("audio_segments", {
  setup: (p) => {
    const s = new Segments(p);
    s.attach();
  },
  ready: (p) => p.segments.draw(),
  key: (p, e) => (p.segments ? p.segments.key(e) : false),
  region: (p) => {
    const s = p.segments;
    const seg = s && s.selected && s.items.find((x) => x.id === s.selected);
    return seg || null;
  },
});
