// The shapes on the canvas: one Konva group per shape of the annotator's model, rebuilt on
// every change (a few hundred nodes at most), and the editing handles of the selected shape:
// a Konva Transformer for a box, draggable vertices for a polygon or polyline. Keypoints are
// draggable dots joined by the skeleton's lines. Edits go back to the model through
// annotator.update(), which makes them one undoable step.
import { clamp, ink, withAlpha } from "./util.js";

const Konva = window.Konva;
const R_POINT = 6; // screen pixels, whatever the zoom
const R_VERTEX = 5;

// A drag's or a resize's model update runs once Konva has finished with its own handler
// (the update rebuilds, and so destroys, the node that fired).
const later = (fn) => queueMicrotask(fn);

export class ShapeLayer {
  constructor(a) {
    this.a = a;
    this.layer = new Konva.Layer();
    this.group = new Konva.Group();
    this.handles = new Konva.Group();
    this.tr = new Konva.Transformer({
      rotateEnabled: false, flipEnabled: false, keepRatio: false, ignoreStroke: true,
      anchorSize: 10, anchorCornerRadius: 2, anchorStroke: "#111", anchorFill: "#fff",
      borderStroke: "#fff", borderDash: [4, 3],
      boundBoxFunc: (before, after) => (after.width < 3 || after.height < 3 ? before : after),
    });
    this.layer.add(this.group, this.handles, this.tr);
    this.skeleton = [];
  }

  editable() {
    return !this.a.readonly && this.a.tool === "select";
  }

  render() {
    const a = this.a;
    this.group.destroyChildren();
    // While a box or polygon is drawn, clicks on shapes go to the drawing tool.
    this.group.listening(a.readonly || a.tool === "select" || a.tool === "point" || a.tool === "pan");
    this.skeleton = [];
    for (const pair of a.points.length && Array.isArray(a.config.skeleton) ? a.config.skeleton : []) {
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const p = a.placed(String(pair[0]));
      const q = a.placed(String(pair[1]));
      if (!p || !q) continue;
      const line = new Konva.Line({
        points: [...p.pts[0], ...q.pts[0]], stroke: "#fff", strokeWidth: 2, opacity: 0.9,
        strokeScaleEnabled: false, listening: false, dash: p.v === 1 || q.v === 1 ? [6, 4] : [],
        shadowColor: "#000", shadowBlur: 2, shadowOpacity: 0.9, shadowForStrokeEnabled: true,
      });
      line.ends = [p.id, q.id];
      this.skeleton.push(line);
      this.group.add(line);
    }
    for (const s of a.shapes) this.group.add(this.node(s));
    this.updateSelection();
  }

  node(s) {
    const a = this.a;
    const color = a.colorOf(s);
    const drag = !a.readonly && (a.tool === "select" || (s.type === "point" && a.tool === "point"));
    const g = new Konva.Group({ draggable: drag });
    g.sid = s.id;
    const stroke = { stroke: color, strokeWidth: 2, strokeScaleEnabled: false, hitStrokeWidth: 12 };
    let body;
    if (s.type === "box") {
      const [[x1, y1], [x2, y2]] = s.pts;
      body = new Konva.Rect({ x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1),
        height: Math.abs(y2 - y1), fill: withAlpha(color, 0.12), ...stroke });
      body.on("transformend", () => later(() => this.resized(s, body)));
    } else if (s.type === "point") {
      const occluded = s.v === 1; // occluded: a hollow dot
      body = new Konva.Circle({ x: s.pts[0][0], y: s.pts[0][1], radius: R_POINT / a.scale,
        name: "dot", fill: occluded ? "#fff" : color, stroke: occluded ? color : "#fff",
        strokeWidth: 2, strokeScaleEnabled: false, hitStrokeWidth: 14 });
      g.on("dragmove", () => this.follow(s, g));
    } else {
      body = new Konva.Line({ points: s.pts.flat(), closed: s.type === "polygon",
        fill: s.type === "polygon" ? withAlpha(color, 0.12) : undefined, ...stroke });
      body.on("dblclick dbltap", () => this.insertVertex(s));
    }
    g.add(body);
    const caption = s.type === "point" ? s.name : a.spec.text ? s.text || "…" : s.label;
    if (caption) g.add(this.tag(caption, color, s));
    g.on("pointerdown", () => {
      a.nodeHit = true; // the drawing tools leave this click alone
      if (a.tool === "select") a.select(s.id);
    });
    g.on("dragend", () => later(() => this.moved(s, g)));
    return g;
  }

  // A caption that keeps its screen size: a Konva.Label scaled by 1 / zoom.
  tag(text, color, s) {
    const xs = s.pts.map((p) => p[0]);
    const ys = s.pts.map((p) => p[1]);
    const point = s.type === "point";
    const top = Math.min(...ys);
    const inside = top * this.a.scale < 20; // no room above the shape: the caption goes in it
    const label = new Konva.Label({
      x: point ? xs[0] : Math.min(...xs), y: point ? ys[0] : top,
      offsetX: point ? -9 : 0, offsetY: point ? 8 : inside ? -2 : 19, name: "tag", listening: false,
      scaleX: 1 / this.a.scale, scaleY: 1 / this.a.scale,
    });
    const short = text.length > 40 ? text.slice(0, 39) + "…" : text;
    label.add(new Konva.Tag({ fill: point ? "rgba(0,0,0,.6)" : color, cornerRadius: 2 }));
    label.add(new Konva.Text({ text: short, fontSize: point ? 11 : 13, padding: 3,
      fill: point ? "#fff" : ink(color),
      fontFamily: "system-ui, -apple-system, 'Noto Sans CJK KR', sans-serif" }));
    return label;
  }

  updateSelection() {
    const a = this.a;
    this.handles.destroyChildren();
    this.tr.nodes([]);
    let selected = null;
    for (const g of this.group.getChildren()) {
      if (g.sid === undefined) continue;
      const on = g.sid === a.selected;
      g.getChildren()[0].strokeWidth(on ? 3.5 : 2);
      if (on) selected = g;
    }
    const s = a.shape(a.selected);
    if (s && selected) {
      selected.moveToTop(); // easier to grab where shapes overlap
      if (this.editable() && s.type === "box") this.tr.nodes([selected.getChildren()[0]]);
      else if (this.editable() && s.type !== "point") this.vertices(s, selected, a.colorOf(s));
    }
    // Now, not on the next frame: the hit graph must be current for a click right after a
    // change of tool (Konva finds the shape under the pointer there).
    this.layer.draw();
  }

  // Draggable vertices of the selected polygon or polyline; a double click removes one.
  vertices(s, g, color) {
    const a = this.a;
    const line = g.getChildren()[0];
    const least = s.type === "polygon" ? 3 : 2;
    s.pts.forEach((p, i) => {
      const h = new Konva.Circle({ x: p[0], y: p[1], radius: R_VERTEX / a.scale, name: "vertex",
        fill: "#fff", stroke: color, strokeWidth: 2, strokeScaleEnabled: false,
        hitStrokeWidth: 12, draggable: true });
      h.on("pointerdown", () => { a.nodeHit = true; });
      h.on("dragmove", () => {
        h.position({ x: clamp(h.x(), 0, a.W), y: clamp(h.y(), 0, a.H) });
        const flat = line.points().slice();
        flat[2 * i] = h.x();
        flat[2 * i + 1] = h.y();
        line.points(flat);
      });
      h.on("dragend", () => later(() => a.update(s.id, {
        pts: s.pts.map((q, j) => (j === i ? [h.x(), h.y()] : q)),
      })));
      h.on("dblclick dbltap", () => {
        if (s.pts.length > least) later(() => a.update(s.id, { pts: s.pts.filter((_, j) => j !== i) }));
      });
      this.handles.add(h);
    });
  }

  // Double click on an edge of the selected polygon or polyline: a new vertex there.
  insertVertex(s) {
    const a = this.a;
    if (!this.editable() || a.selected !== s.id) return;
    const p = this.group.getRelativePointerPosition();
    const n = s.pts.length;
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < (s.type === "polygon" ? n : n - 1); i++) {
      const d = segmentDistance(p, s.pts[i], s.pts[(i + 1) % n]);
      if (d < bestD) [best, bestD] = [i, d];
    }
    const pts = s.pts.slice();
    pts.splice(best + 1, 0, [clamp(p.x, 0, a.W), clamp(p.y, 0, a.H)]);
    later(() => a.update(s.id, { pts }));
  }

  // A shape dragged as a whole: move its points by the group's offset, kept on the image.
  moved(s, g) {
    const a = this.a;
    const xs = s.pts.map((p) => p[0]);
    const ys = s.pts.map((p) => p[1]);
    const dx = clamp(g.x(), -Math.min(...xs), a.W - Math.max(...xs));
    const dy = clamp(g.y(), -Math.min(...ys), a.H - Math.max(...ys));
    a.update(s.id, { pts: s.pts.map(([x, y]) => [x + dx, y + dy]) });
  }

  // The Transformer scaled the rect: turn that into new corners, within the image.
  resized(s, rect) {
    const a = this.a;
    const x1 = clamp(rect.x(), 0, a.W);
    const y1 = clamp(rect.y(), 0, a.H);
    const x2 = clamp(rect.x() + rect.width() * rect.scaleX(), 0, a.W);
    const y2 = clamp(rect.y() + rect.height() * rect.scaleY(), 0, a.H);
    a.update(s.id, { pts: [[x1, y1], [x2, y2]] });
  }

  // A keypoint being dragged: its skeleton lines follow.
  follow(s, g) {
    const [x, y] = s.pts[0];
    for (const line of this.skeleton) {
      const i = line.ends.indexOf(s.id);
      if (i < 0) continue;
      const flat = line.points().slice();
      flat[2 * i] = x + g.x();
      flat[2 * i + 1] = y + g.y();
      line.points(flat);
    }
  }

  rescale() {
    const s = this.a.scale;
    this.layer.find(".dot").forEach((n) => n.radius(R_POINT / s));
    this.layer.find(".vertex").forEach((n) => n.radius(R_VERTEX / s));
    this.layer.find(".tag").forEach((n) => n.scale({ x: 1 / s, y: 1 / s }));
  }
}

function segmentDistance(p, a, b) {
  const [ax, ay] = a;
  const dx = b[0] - ax;
  const dy = b[1] - ay;
  const len = dx * dx + dy * dy || 1;
  const t = clamp(((p.x - ax) * dx + (p.y - ay) * dy) / len, 0, 1);
  return Math.hypot(p.x - (ax + t * dx), p.y - (ay + t * dy));
}
