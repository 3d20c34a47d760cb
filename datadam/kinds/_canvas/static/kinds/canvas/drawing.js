// The drawing tools: a box (drag, or click one corner then the other), a polygon or a
// polyline (click each vertex; Enter, a click on the last vertex again or, for a polygon,
// on the first vertex finishes; Backspace takes the last vertex back; Esc cancels), and a
// keypoint (a click places the next unplaced point). The shape being drawn lives on a
// layer of its own, so a pointer move redraws only that layer.
const Konva = window.Konva;
const CLOSE_PX = 8; // screen pixels: a click this close to a vertex hits it

export class Drawing {
  constructor(a) {
    this.a = a;
    this.layer = new Konva.Layer({ listening: false });
    this.anchor = null; // box: the first corner
    this.start = null; // box: where the pointer went down (client px)
    this.pts = []; // polygon, polyline: the vertices so far
    this.cursor = null;
  }

  busy() {
    return Boolean(this.anchor) || this.pts.length > 0;
  }

  down(e) {
    const a = this.a;
    const onShape = a.nodeHit; // a click on a shape (select tool, keypoints) is the shape's
    a.nodeHit = false;
    if (onShape || a.readonly || !a.ready || e.button !== 0 || !e.isPrimary || a.pinch || a.pan) return;
    const p = a.toImage(e);
    if (a.tool === "box") {
      if (this.anchor) { // the second click of click, click
        this.closeBox(p);
        return;
      }
      this.anchor = p;
      this.start = { x: e.clientX, y: e.clientY };
      this.dragged = false;
      a.el.setPointerCapture(e.pointerId);
      this.draw(p);
    } else if (a.tool === "polygon" || a.tool === "polyline") {
      const last = this.pts[this.pts.length - 1];
      const closes = a.tool === "polygon" && this.pts.length >= 3 && this.near(p, this.pts[0]);
      if ((last && this.near(p, last)) || closes) {
        this.finish();
        return;
      }
      this.pts.push(p);
      this.draw(p);
    } else if (a.tool === "point") {
      a.placePoint(p);
      return;
    } else {
      return;
    }
    a.panel.refresh();
  }

  move(e) {
    if (!this.busy() || !e.isPrimary) return;
    if (this.start && Math.hypot(e.clientX - this.start.x, e.clientY - this.start.y) > 4) {
      this.dragged = true;
    }
    this.draw(this.a.toImage(e));
  }

  up(e) {
    if (!this.anchor || !this.start || !e.isPrimary) return;
    this.start = null;
    // A drag draws the box; a plain click leaves it following the pointer to the next click.
    if (this.dragged) this.closeBox(this.a.toImage(e));
  }

  closeBox(p) {
    const a = this.a;
    const q = this.anchor;
    this.clear();
    if (Math.abs(p[0] - q[0]) * a.scale < 3 || Math.abs(p[1] - q[1]) * a.scale < 3) return;
    a.addShape({ type: "box", pts: [q, p] });
  }

  // Enter: close the polygon or polyline being drawn. False when nothing is being drawn.
  finish() {
    const a = this.a;
    if (this.anchor) return true; // a box half drawn: Enter does not submit it unfinished
    if (!this.pts.length) return false;
    if (this.pts.length >= (a.tool === "polygon" ? 3 : 2)) {
      const pts = this.pts;
      this.clear();
      a.addShape({ type: a.tool, pts });
    } else {
      a.panel.status(a.panel.t(a.tool === "polygon" ? "needThree" : "needTwo"), true);
    }
    return true;
  }

  cancel() {
    if (!this.busy()) return false;
    this.clear();
    return true;
  }

  undoPoint() {
    if (!this.pts.length) return false;
    this.pts.pop();
    if (this.pts.length) this.draw(this.cursor);
    else this.clear();
    return true;
  }

  clear() {
    this.anchor = null;
    this.start = null;
    this.pts = [];
    this.layer.destroyChildren();
    this.layer.batchDraw();
    this.a.panel.refresh();
  }

  near(p, q) {
    return Math.hypot(p[0] - q[0], p[1] - q[1]) * this.a.scale < CLOSE_PX;
  }

  draw(p) {
    const a = this.a;
    const cursor = p || this.cursor || this.pts[this.pts.length - 1];
    this.cursor = cursor;
    const color = a.colorOf({ type: "box", label: a.label });
    const line = { stroke: color, strokeWidth: 2, strokeScaleEnabled: false };
    this.layer.destroyChildren();
    if (this.anchor) {
      const [x1, y1] = this.anchor;
      const [x2, y2] = cursor;
      this.layer.add(new Konva.Rect({ x: Math.min(x1, x2), y: Math.min(y1, y2),
        width: Math.abs(x2 - x1), height: Math.abs(y2 - y1), dash: [6, 4], ...line }));
    } else if (this.pts.length) {
      this.layer.add(new Konva.Line({ points: [...this.pts.flat(), ...cursor], ...line }));
      if (a.tool === "polygon" && this.pts.length >= 2) { // where the polygon will close
        this.layer.add(new Konva.Line({ points: [...cursor, ...this.pts[0]], dash: [6, 4],
          ...line, strokeWidth: 1 }));
      }
      this.pts.forEach(([x, y], i) => this.layer.add(new Konva.Circle({
        x, y, radius: (i === 0 ? 6 : 4) / a.scale, fill: i === 0 ? color : "#fff", stroke: color,
        strokeWidth: 1.5, strokeScaleEnabled: false })));
    }
    this.layer.batchDraw();
  }

  rescale() {
    if (this.busy()) this.draw(this.cursor);
  }
}
