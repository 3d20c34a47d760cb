// The view of the image: fit, zoom and pan (the Konva stage's scale and position; one stage
// unit is one original image pixel), and the pointer gestures that move it: the wheel or a
// trackpad pinch zooms at the pointer, two fingers pinch and pan, a drag pans with the middle
// button, with Space held, with the Pan tool, or on the empty image in the Select tool.
// Mixed into Annotator (annotator.js), so `this` is the annotator.
import { keys } from "./keys.js";
import { clamp } from "./util.js";

export class ViewMethods {
  layout() {
    this.backdrop.size({ width: this.W, height: this.H });
    this.imageNode.size({ width: this.W, height: this.H });
    this.fit();
    this.render();
  }

  resize() {
    const w = this.el.clientWidth;
    const h = this.el.clientHeight;
    if (!w || !h || (w === this.stage.width() && h === this.stage.height())) return;
    this.stage.size({ width: w, height: h });
    if (this.fitted && this.W) this.fit();
  }

  fitScale() {
    if (!this.W || !this.H) return 1;
    return Math.min(this.stage.width() / this.W, this.stage.height() / this.H);
  }

  fit() {
    const s = this.fitScale();
    this.setView(s, (this.stage.width() - this.W * s) / 2, (this.stage.height() - this.H * s) / 2);
    this.fitted = true;
  }

  setView(s, x, y) {
    this.scale = s;
    this.stage.scale({ x: s, y: s });
    this.stage.position({ x, y });
    this.view.rescale();
    this.drawing.rescale();
    this.stage.batchDraw();
  }

  // Zoom by `factor` keeping the image point under (px, py) (stage pixels) in place.
  zoomAt(factor, px = this.stage.width() / 2, py = this.stage.height() / 2) {
    const fit = this.fitScale();
    const s = clamp(this.scale * factor, fit / 4, Math.max(fit * 40, 8));
    const wx = (px - this.stage.x()) / this.scale;
    const wy = (py - this.stage.y()) / this.scale;
    this.setView(s, px - wx * s, py - wy * s);
    this.fitted = false;
  }

  // A pointer event's position: on the stage (screen px) and in the image (original px).
  local(e) {
    const r = this.el.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  toImage(e) {
    const p = this.local(e);
    return [clamp((p.x - this.stage.x()) / this.scale, 0, this.W),
      clamp((p.y - this.stage.y()) / this.scale, 0, this.H)];
  }

  // ---- pointers: pan and pinch here, drawing in drawing.js, shapes in shapes.js ---------
  bindPointer() {
    const el = this.el;
    this.pointers = new Map();
    // Capture phase: runs before Konva (listening on a child), so a pan or a pinch can
    // keep the event from Konva and from the drawing tools.
    el.addEventListener("pointerdown", (e) => this.gestureDown(e), true);
    el.addEventListener("pointermove", (e) => this.gestureMove(e), true);
    for (const type of ["pointerup", "pointercancel"]) {
      el.addEventListener(type, (e) => this.gestureUp(e), true);
    }
    el.addEventListener("pointerdown", (e) => this.drawing.down(e));
    el.addEventListener("pointermove", (e) => this.drawing.move(e));
    el.addEventListener("pointerup", (e) => this.drawing.up(e));
    el.addEventListener("wheel", (e) => {
      e.preventDefault();
      const lines = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
      const p = this.local(e);
      // A trackpad pinch arrives as a wheel with ctrlKey and small deltas: zoom faster.
      this.zoomAt(Math.exp(-e.deltaY * lines * (e.ctrlKey ? 0.01 : 0.0015)), p.x, p.y);
    }, { passive: false });
  }

  gestureDown(e) {
    this.activate();
    if (document.activeElement !== this.el) this.el.focus({ preventScroll: true });
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (this.pointers.size >= 2) { // a second finger: pinch and pan, and nothing else
      this.drawing.cancel();
      this.stage.find((n) => n.isDragging()).forEach((n) => n.stopDrag());
      this.pan = null;
      this.pinch = this.pinchState();
      e.stopPropagation();
      return;
    }
    const background = !this.stage.getIntersection(this.local(e));
    const panTool = this.tool === "pan" || this.readonly || (this.tool === "select" && background);
    if (e.button === 1 || (e.button === 0 && (keys.space || panTool))) {
      this.pan = { id: e.pointerId, x: e.clientX, y: e.clientY, sx: this.stage.x(),
        sy: this.stage.y(), moved: false, background };
      this.el.setPointerCapture(e.pointerId);
      this.el.classList.add("dd-panning");
      e.preventDefault(); // no mousedown for Konva: nothing starts dragging
      e.stopPropagation();
    }
  }

  pinchState() {
    const [a, b] = [...this.pointers.values()];
    const r = this.el.getBoundingClientRect();
    return { d: Math.hypot(a.x - b.x, a.y - b.y) || 1,
      mx: (a.x + b.x) / 2 - r.left, my: (a.y + b.y) / 2 - r.top };
  }

  gestureMove(e) {
    if (!this.pointers.has(e.pointerId)) return;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (this.pinch) {
      if (this.pointers.size < 2) return;
      const now = this.pinchState();
      // Pan by the midpoint's move, then zoom around the new midpoint.
      this.setView(this.scale, this.stage.x() + now.mx - this.pinch.mx,
        this.stage.y() + now.my - this.pinch.my);
      this.zoomAt(now.d / this.pinch.d, now.mx, now.my);
      this.pinch = now;
      e.stopPropagation();
    } else if (this.pan && this.pan.id === e.pointerId) {
      const dx = e.clientX - this.pan.x;
      const dy = e.clientY - this.pan.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) this.pan.moved = true;
      this.setView(this.scale, this.pan.sx + dx, this.pan.sy + dy);
      this.fitted = false;
      e.stopPropagation();
    }
  }

  gestureUp(e) {
    this.pointers.delete(e.pointerId);
    if (this.pinch) {
      if (this.pointers.size === 0) this.pinch = null;
      e.stopPropagation();
    } else if (this.pan && this.pan.id === e.pointerId) {
      // A click (no drag) on the empty image in the select tool clears the selection.
      if (!this.pan.moved && this.pan.background && this.tool === "select") this.select(null);
      this.pan = null;
      this.el.classList.remove("dd-panning");
      e.stopPropagation();
    }
  }
}
