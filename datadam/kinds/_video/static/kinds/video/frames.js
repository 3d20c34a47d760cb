// A label for every sampled frame of a video: the project samples it at config.sample_fps
// (frame i is the instant i / fps). The model is one label code per frame (-1: none); the
// answer keeps them run-length: {"ranges": [{"start", "end", "label"}]}, the last range
// ending at the video's duration. 1–9 label the frame under the playhead and step to the
// next one; Shift+1–9 label from here to the end; a range (I at its start, or a drag on the
// timeline) is labelled whole by 1–9; 0, Delete or Backspace clear labels.
import { clamp, clock } from "./util.js";

const r6 = (v) => Math.round(v * 1e6) / 1e6;
const EPS = 1e-3; // of a frame: an instant on a frame's edge up to rounding

export class Frames {
  constructor(player, answer) {
    this.p = player;
    this.fps = Number(player.config.sample_fps) || 2;
    this.step = 1 / this.fps;
    this.n = Math.max(0, Math.ceil(player.duration * this.fps - EPS));
    this.codes = new Int16Array(this.n).fill(-1);
    const given = answer && Array.isArray(answer.ranges) ? answer.ranges : [];
    for (const r of given) this.paint(this.first(r.start), this.first(r.end), player.labels.indexOf(String(r.label)));
  }

  first(t) {
    return clamp(Math.ceil(Number(t) * this.fps - EPS), 0, this.n);
  }

  // The frame under the playhead.
  frame() {
    return clamp(Math.floor(this.p.now * this.fps + EPS), 0, Math.max(0, this.n - 1));
  }

  paint(a, b, code) {
    if (b > a) this.codes.fill(code < 0 ? -1 : code, a, b);
  }

  runs() {
    const out = [];
    for (let i = 0; i < this.n;) {
      let j = i + 1;
      while (j < this.n && this.codes[j] === this.codes[i]) j++;
      if (this.codes[i] >= 0) {
        out.push({ id: String(i), label: this.p.labels[this.codes[i]], start: r6(i / this.fps),
          end: j === this.n ? this.p.duration : r6(j / this.fps) });
      }
      i = j;
    }
    return out;
  }

  snapshot() {
    return JSON.stringify(this.runs());
  }

  restore(snap) {
    this.codes.fill(-1);
    for (const r of JSON.parse(snap)) this.paint(this.first(r.start), this.first(r.end), this.p.labels.indexOf(r.label));
  }

  toAnswer() {
    return { ranges: this.runs().map(({ start, end, label }) => ({ start, end, label })) };
  }

  lanes() {
    return [{ spans: this.runs() }];
  }

  rows() {
    return this.runs();
  }

  status() {
    const from = this.p.inPoint ?? this.p.sel?.a;
    if (from !== null && from !== undefined) return this.p.t("range", { t: clock(from) });
    const done = this.codes.reduce((n, c) => n + (c >= 0 ? 1 : 0), 0);
    return done ? this.p.t("frames", { n: done, total: this.n }) : this.p.t("empty");
  }

  loopSpan() {
    return null;
  }

  select() {
    return false;
  }

  labelPicked() {}

  pick(id, t) {
    if (t === null && id !== null) this.p.seek(Number(id) / this.fps); // from the list
    else this.p.sel = null; // a click on the timeline lets go of a dragged range
  }

  drag(a, b) {
    this.p.sel = { a, b };
    this.p.inPoint = null;
  }

  remove(id) {
    const i = Number(id);
    let j = i + 1;
    while (j < this.n && this.codes[j] === this.codes[i]) j++;
    this.paint(i, j, -1);
    this.p.commit();
  }

  // The frames a label goes to now: the marked range (a drag, or I to the playhead), else
  // the frame under the playhead ([a, b) in frames; whether to step on after).
  target(toEnd) {
    const p = this.p;
    const f = this.frame();
    if (toEnd) return [f, this.n, false];
    if (p.sel) return [this.first(p.sel.a), Math.max(this.first(p.sel.b), this.first(p.sel.a) + 1), false];
    if (p.inPoint !== null) {
      const a = clamp(Math.floor(p.inPoint * this.fps + EPS), 0, this.n - 1);
      return [Math.min(a, f), Math.max(a, f) + 1, false];
    }
    return [f, f + 1, true];
  }

  apply(code, toEnd) {
    if (!this.n) return;
    const [a, b, step] = this.target(toEnd);
    this.paint(a, Math.min(b, this.n), code);
    this.p.sel = null;
    this.p.inPoint = null;
    this.p.commit();
    if (step) this.p.stepBy(1);
  }

  key(e, digit) {
    const p = this.p;
    const k = (e.key || "").toLowerCase();
    if (digit) {
      const label = p.labels[digit - 1];
      if (label === undefined) return false;
      p.label = label;
      this.apply(digit - 1, Boolean(e.shiftKey));
    } else if (digit === 0 || k === "delete" || k === "backspace") this.apply(-1, false);
    else if (k === "i") {
      p.inPoint = p.now;
      p.sel = null;
    } else return false;
    return true;
  }
}
