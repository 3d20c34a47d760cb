// Labelled segments on a video's timeline: {"segments": [{"start", "end", "label"}]} in
// seconds. Drawn by dragging on the timeline (the new segment is then selected) or with I
// (in-point) and O (out-point) at the playhead; 1–9 pick the label of new segments (and
// relabel the selected one); with a segment selected (a click on it, or in the list), I and
// O move its start and end, L loops it, Delete removes it. Its edges can be dragged. One timeline row per label, so segments of
// different labels may overlap and stay visible.
import { clamp, clock } from "./util.js";

const MIN_LENGTH = 0.01; // seconds: shorter drags are clicks
const r3 = (v) => Math.round(v * 1000) / 1000;

export class Segments {
  constructor(player, answer) {
    this.p = player;
    this.nextId = 0;
    const given = answer && Array.isArray(answer.segments) ? answer.segments : [];
    this.spans = given
      .filter((s) => Number.isFinite(Number(s.start)) && Number(s.end) > Number(s.start))
      .map((s) => ({ id: String(++this.nextId), label: String(s.label ?? ""),
        start: Number(s.start), end: Number(s.end) }));
    this.selected = null;
    this.editing = null; // {id, edge} while an edge is dragged
    // Frame steps of the video's own rate (25 a second when the item does not say).
    this.step = 1 / (player.fps || 25);
  }

  snapshot() {
    return JSON.stringify(this.spans);
  }

  restore(snap) {
    this.spans = JSON.parse(snap);
    if (!this.span(this.selected)) this.selected = null;
  }

  toAnswer() {
    const segments = [...this.spans]
      .sort((a, b) => a.start - b.start || a.end - b.end)
      .map((s) => ({ start: r3(s.start), end: r3(s.end), label: s.label }));
    return { segments };
  }

  span(id) {
    return this.spans.find((s) => s.id === id) || null;
  }

  // A new segment with the current label. Drawn with the mouse it stays selected (1–9 then
  // relabel it, its edges can be dragged); marked with I and O it does not, so the next I
  // starts the next segment.
  add(a, b, select) {
    const d = this.p.duration;
    const start = clamp(Math.min(a, b), 0, d);
    const end = clamp(Math.max(a, b), 0, d);
    if (end - start < MIN_LENGTH || !this.p.label) return null;
    const s = { id: String(++this.nextId), label: this.p.label, start, end };
    this.spans.push(s);
    this.selected = select ? s.id : null;
    this.p.commit();
    return s;
  }

  lanes() {
    const labels = this.p.labels.length ? this.p.labels : [""];
    const known = new Set(labels);
    const lanes = labels.map((label) => ({ label, spans: [] }));
    for (const s of this.spans) {
      const lane = lanes[known.has(s.label) ? labels.indexOf(s.label) : 0];
      lane.spans.push({ ...s, on: s.id === this.selected });
    }
    return lanes;
  }

  rows() {
    return [...this.spans].sort((a, b) => a.start - b.start || a.end - b.end)
      .map((s) => ({ ...s, on: s.id === this.selected }));
  }

  status() {
    if (this.p.inPoint !== null) return this.p.t("in", { t: clock(this.p.inPoint) });
    return this.spans.length ? this.p.t("count", { n: this.spans.length }) : this.p.t("empty");
  }

  loopSpan() {
    return this.span(this.selected);
  }

  select(id) {
    const had = this.selected !== null;
    this.selected = id;
    return had;
  }

  labelPicked(label) {
    const s = this.span(this.selected);
    if (s && s.label !== label) {
      s.label = label;
      this.p.commit();
    }
  }

  pick(id, t) {
    this.selected = id && this.span(id) ? id : null;
    const s = this.span(this.selected);
    if (s && t === null) this.p.seek(s.start); // chosen in the list: go to its start
    if (!s) this.p.loop = false;
  }

  drag(a, b) {
    this.add(a, b, true);
  }

  grab(id, edge) {
    if (!this.span(id)) return null;
    this.selected = id;
    this.editing = { id, edge };
    return this.editing;
  }

  moveEdge(t) {
    const s = this.editing && this.span(this.editing.id);
    if (!s) return;
    if (this.editing.edge === "start") s.start = clamp(t, 0, s.end - MIN_LENGTH);
    else s.end = clamp(t, s.start + MIN_LENGTH, this.p.duration);
  }

  remove(id) {
    this.spans = this.spans.filter((s) => s.id !== id);
    if (this.selected === id) {
      this.selected = null;
      this.p.loop = false;
    }
    this.p.commit();
  }

  key(e, digit) {
    const p = this.p;
    const k = (e.key || "").toLowerCase();
    if (digit) {
      const label = p.labels[digit - 1];
      if (label === undefined) return false;
      p.setLabel(label);
      return true;
    }
    const s = this.span(this.selected);
    const now = p.now;
    if (k === "i") {
      if (s && now < s.end - MIN_LENGTH) {
        s.start = now;
        p.commit();
      } else if (!s) p.inPoint = now;
    } else if (k === "o") {
      if (s && now > s.start + MIN_LENGTH) {
        s.end = now;
        p.commit();
      } else if (!s && p.inPoint !== null) {
        const a = p.inPoint;
        p.inPoint = null;
        this.add(a, now, false);
      }
    } else if (k === "l") {
      p.loop = Boolean(s) && !p.loop;
      if (p.loop && (now < s.start || now >= s.end)) p.seek(s.start);
    } else if ((k === "delete" || k === "backspace") && s) this.remove(s.id);
    else return false;
    return true;
  }
}
