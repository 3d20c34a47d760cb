// datadam's image annotator, shared by the image kinds (bounding_box, polygon, keypoints, ocr).
//
// A kind's widget.html includes _canvas/annotator.html, which renders a root element
// <div data-annotator="<kind>"> with the toolbar, the side list and a hidden
// <input name="answer">, and loads the kind's widget.js as an ES module. widget.js calls
// registerKind(slug, spec); every root of that kind on the page gets an Annotator.
// Modules run once per page, however often htmx swaps a task in (the browser keeps one
// copy per URL), so the listeners below are installed once. New roots are mounted on
// htmx:load, and an annotator whose root left the page is destroyed with its Konva stage.
//
// The model is a list of shapes in ORIGINAL image pixels: {id, type: "box" | "polygon" |
// "polyline" | "point", pts: [[x, y], ...], label?, text?, name?, v?} (a box is its two
// corners). The stage is scaled so that one stage unit is one original pixel, whatever
// size of image (item.web, a smaller rendition, when there is one) is drawn. The kind's
// spec turns shapes into the answer (toAnswer) and back (fromAnswer).
import "../../vendor/konva.min.js";
import { Drawing } from "./drawing.js";
import { listen } from "./keys.js";
import { Panel } from "./panel.js";
import { ShapeLayer } from "./shapes.js";
import { colorFor, PALETTE, readJson } from "./util.js";
import { ViewMethods } from "./view.js";

const Konva = window.Konva;
Konva.dragDistance = 3; // a click on a shape selects it; only a real move drags it

const kinds = {};
const live = new Set();
let active = null; // the annotator the keyboard talks to: the one used last
const HISTORY_MAX = 200;

export function registerKind(slug, spec) {
  kinds[slug] = spec;
  mountAll(document);
}

function mountAll(scope) {
  for (const a of live) if (!a.root.isConnected) a.destroy();
  if (!scope || !scope.querySelectorAll) return;
  const roots = [...scope.querySelectorAll("[data-annotator]")];
  if (scope.matches && scope.matches("[data-annotator]")) roots.push(scope);
  for (const root of roots) {
    const spec = kinds[root.dataset.annotator];
    if (spec && !root.ddAnnotator) new Annotator(root, spec);
  }
}

export class Annotator {
  constructor(root, spec) {
    root.ddAnnotator = this;
    live.add(this);
    this.root = root;
    this.spec = spec;
    this.config = readJson(root, "config") || {};
    this.readonly = root.hasAttribute("data-readonly");
    this.input = root.querySelector('input[name="answer"]');
    this.W = Number(root.dataset.width) || 0;
    this.H = Number(root.dataset.height) || 0;
    this.nextId = 0;
    const answer = readJson(root, "answer");
    this.shapes = (answer && typeof answer === "object" ? spec.fromAnswer(answer, this.config) : [])
      .map((s) => ({ ...s, id: ++this.nextId }));
    const labels = spec.labels && Array.isArray(this.config.labels) ? this.config.labels : [];
    this.labels = labels.map(String);
    this.label = this.labels[0] ?? "";
    this.tools = this.readonly ? [] : spec.tools(this.config);
    this.tool = this.tools.find((t) => t !== "select") || "select";
    this.selected = null;
    this.history = [this.snapshot()];
    this.future = [];
    this.points = Array.isArray(this.config.points) ? this.config.points.map(String) : [];
    this.occluded = false; // keypoints: place the next points as occluded (v=1)
    this.wanted = null; // keypoints: the point the worker asked to place next
    this.skipped = new Set();
    this.scale = 1;
    this.fitted = true;

    this.el = root.querySelector(".dd-stage");
    this.el.replaceChildren(); // a copy restored from htmx's history cache has an old canvas
    this.stage = new Konva.Stage({ container: this.el, width: this.el.clientWidth || 300,
      height: this.el.clientHeight || 200 });
    this.imageLayer = new Konva.Layer({ listening: false });
    this.backdrop = new Konva.Rect({ fill: "#3a3a3a" });
    this.imageNode = new Konva.Image({ image: null });
    this.imageLayer.add(this.backdrop, this.imageNode);
    this.view = new ShapeLayer(this);
    this.drawing = new Drawing(this);
    this.stage.add(this.imageLayer, this.view.layer, this.drawing.layer);
    this.panel = new Panel(this);
    this.bindPointer();
    this.resizer = new ResizeObserver(() => this.resize());
    this.resizer.observe(this.el);
    root.addEventListener("focusin", () => this.activate());
    if (this.W && this.H) this.layout();
    this.loadImage();
  }

  // ---- the image (fit, zoom and pan: view.js) -------------------------------------------
  loadImage() {
    const img = new Image();
    img.decoding = "async";
    img.src = this.root.dataset.image || "";
    this.panel.status(this.panel.t("loading"));
    // decode() prepares the pixels off the main thread, so the first draw does not stall.
    // (Some browsers refuse to decode() an image that did load, an SVG say: then draw it.)
    img.decode().catch(() => (img.naturalWidth ? undefined : Promise.reject())).then(() => {
      if (this.destroyed) return;
      if (!this.W || !this.H) {
        this.W = img.naturalWidth;
        this.H = img.naturalHeight;
      }
      this.imageNode.image(img);
      this.layout();
      this.imageLayer.draw(); // now, not on the next frame: dd:ready means the image shows
      this.ready = true;
      this.sync();
      this.root.dispatchEvent(new CustomEvent("dd:ready", { bubbles: true }));
    }, () => {
      if (this.destroyed) return;
      this.panel.status(this.panel.t("imageError"), true);
    });
  }

  // ---- model ----------------------------------------------------------------------------
  snapshot() {
    return JSON.stringify(this.shapes);
  }

  shape(id) {
    return this.shapes.find((s) => s.id === id);
  }

  colorOf(s) {
    if (s.type === "point") { // each named point its own colour, in the config's order
      if (this.config.colors?.[s.name]) return this.config.colors[s.name];
      return PALETTE[Math.max(0, this.points.indexOf(s.name)) % PALETTE.length];
    }
    if (this.spec.text) return this.config.colors?.text || "#f58231";
    if (this.config.colors?.[s.label]) return this.config.colors[s.label];
    const i = this.labels.indexOf(s.label); // the kinds' default: the palette in label order
    return i >= 0 ? PALETTE[i % PALETTE.length] : colorFor(s.label);
  }

  // Record the model as one undoable step, then update the answer, canvas and list.
  commit() {
    const snap = this.snapshot();
    if (snap !== this.history[this.history.length - 1]) {
      this.history.push(snap);
      if (this.history.length > HISTORY_MAX) this.history.shift();
      this.future = [];
    }
    this.sync();
    this.render();
  }

  restore(snap) {
    this.drawing.cancel();
    this.shapes = JSON.parse(snap);
    if (this.selected && !this.shape(this.selected)) this.selected = null;
    this.sync();
    this.render();
  }

  undo() {
    if (this.drawing.undoPoint()) return;
    if (this.history.length < 2) return;
    this.future.push(this.history.pop());
    this.restore(this.history[this.history.length - 1]);
  }

  redo() {
    if (!this.future.length) return;
    const snap = this.future.pop();
    this.history.push(snap);
    this.restore(snap);
  }

  // The answer in the hidden input (only once the image showed: a worker cannot send
  // "nothing here" for an image that never loaded).
  sync() {
    if (this.input && this.ready) {
      this.input.value = JSON.stringify(this.spec.toAnswer(this.shapes, this.config));
    }
    this.panel.refresh();
    this.root.dispatchEvent(new CustomEvent("dd:change", { bubbles: true }));
  }

  render() {
    this.view.render();
  }

  addShape(shape) {
    const s = { ...shape, id: ++this.nextId };
    if (this.spec.labels) s.label = this.label;
    if (this.spec.text) s.text = s.text ?? "";
    this.shapes.push(s);
    // Label keys stay "the label of the next shape" while drawing; an OCR region stays
    // selected, its row showing the text field being typed in.
    this.selected = this.spec.text ? s.id : null;
    this.commit();
    if (this.spec.text) this.panel.focusText(s.id);
    return s;
  }

  update(id, changes) {
    const s = this.shape(id);
    if (!s) return;
    Object.assign(s, changes);
    this.commit();
  }

  remove(id) {
    this.shapes = this.shapes.filter((s) => s.id !== id);
    if (this.selected === id) this.selected = null;
    this.commit();
  }

  select(id) {
    if (this.selected === id) return false;
    this.selected = id;
    this.view.updateSelection();
    this.panel.refresh();
    return true;
  }

  setTool(tool) {
    if (!this.tools.includes(tool) && tool !== "pan") return;
    this.drawing.cancel();
    this.tool = tool;
    if (tool !== "select") this.selected = null;
    this.root.dataset.tool = tool;
    this.render();
    this.panel.refresh();
  }

  setLabel(label) {
    this.label = label;
    const s = this.shape(this.selected);
    if (s && "label" in s && s.label !== label) this.update(s.id, { label });
    else this.panel.refresh();
  }

  // ---- keypoints ------------------------------------------------------------------------
  placed(name) {
    return this.shapes.find((s) => s.type === "point" && s.name === name);
  }

  nextPoint() {
    if (this.wanted && !this.placed(this.wanted)) return this.wanted;
    return this.points.find((n) => !this.placed(n) && !this.skipped.has(n)) ?? null;
  }

  placePoint(pt) {
    const name = this.nextPoint();
    if (!name) return;
    this.wanted = null;
    this.addShape({ type: "point", name, pts: [pt], v: this.occluded ? 1 : 2 });
  }

  skipPoint() {
    const name = this.nextPoint();
    if (name) this.skipped.add(name);
    else this.skipped.clear(); // none left: offer the skipped ones again
    this.wanted = null;
    this.panel.refresh();
  }

  toggleOccluded() {
    const s = this.shape(this.selected);
    if (s && s.type === "point") this.update(s.id, { v: s.v === 1 ? 2 : 1 });
    else {
      this.occluded = !this.occluded;
      this.panel.refresh();
    }
  }

  activate() {
    active = this;
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    live.delete(this);
    if (active === this) active = null;
    this.resizer.disconnect();
    this.stage.destroy();
    this.root.ddAnnotator = null;
  }
}

// view.js: fit, zoom, pan and the pointer gestures.
for (const name of Object.getOwnPropertyNames(ViewMethods.prototype)) {
  if (name !== "constructor") Annotator.prototype[name] = ViewMethods.prototype[name];
}

// Keys go to the annotator used last, else to the one on a task page ([data-keys]).
listen(
  () => (active && !active.destroyed && active.root.isConnected ? active
    : [...live].find((a) => a.root.isConnected && a.root.closest("[data-keys]")) || null),
  () => live,
);

document.addEventListener("htmx:load", (e) => mountAll(e.target));
document.addEventListener("htmx:beforeCleanupElement", (e) => {
  if (e.target.ddAnnotator) e.target.ddAnnotator.destroy();
});
document.addEventListener("htmx:historyRestore", () => mountAll(document));
