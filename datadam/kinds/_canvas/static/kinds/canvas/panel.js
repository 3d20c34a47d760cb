// The HTML around the canvas: toolbar and label buttons (rendered by _canvas/annotator.html,
// wired here), the status line, and the side list of shapes (or, for keypoints, of the
// skeleton's named points) with their delete buttons and, for OCR, the text inputs.
// Rows are kept per shape and updated in place, so a text input keeps its focus and an
// input method's composition while the canvas redraws.
import { fill } from "./util.js";

// English fallbacks; the template passes the page's translations as data-* attributes.
const STRINGS = {
  loading: "Loading the image…",
  imageError: "The image could not be loaded. Skip this item.",
  empty: "Nothing marked yet. Sending now says there is nothing to mark in this image.",
  count: "Marked: {n}",
  deleteShape: "Delete {name}",
  box: "Box", polygon: "Polygon", polyline: "Line", region: "Region {n}",
  place: "Click on the image to place: {name}",
  allPlaced: "No point left to place. Drag a point to move it; N offers skipped points again.",
  notPlaced: "not placed", visible: "visible", occluded: "occluded",
  textLabel: "Text in region {n}", textPlaceholder: "Type the text you see",
  needThree: "A polygon needs at least 3 points.", needTwo: "A line needs at least 2 points.",
  drawBox: "Drag across the object, or click one corner and then the opposite one.",
  drawPolygon: "Click each corner. Enter, or a click on the first point, finishes. Esc cancels.",
  drawPolyline: "Click each point of the line. Enter, or a second click on the last point, finishes.",
  selectHint: "Click a shape to select it, drag to move it; Delete removes it.",
};

export class Panel {
  constructor(a) {
    this.a = a;
    const root = a.root;
    this.strings = { ...STRINGS, ...(root.querySelector(".dd-strings")?.dataset || {}) };
    this.list = root.querySelector(".dd-list");
    this.statusEl = root.querySelector(".dd-status");
    this.emptyEl = root.querySelector(".dd-empty");
    this.rows = new Map();
    this.lang = root.querySelector(".dd-lang")?.value || a.config.languages?.[0] || "";
    root.dataset.tool = a.tool;

    for (const b of root.querySelectorAll(".dd-tool")) {
      b.hidden = !a.tools.includes(b.dataset.tool) && b.dataset.tool !== "pan";
      b.addEventListener("click", () => a.setTool(b.dataset.tool));
    }
    for (const b of root.querySelectorAll(".dd-label")) {
      b.style.setProperty("--c", a.colorOf({ type: "box", label: b.dataset.label }));
      b.addEventListener("click", () => a.setLabel(b.dataset.label));
    }
    for (const b of root.querySelectorAll("[data-act]")) {
      b.addEventListener("click", () => this.act(b.dataset.act));
    }
    root.querySelector(".dd-lang")?.addEventListener("change", (e) => {
      this.lang = e.target.value;
      for (const input of this.list.querySelectorAll(".dd-text")) input.lang = this.lang;
    });
    this.bindList();
  }

  t(key, values = {}) {
    return fill(this.strings[key] ?? key, values);
  }

  act(name) {
    const a = this.a;
    const actions = {
      undo: () => a.undo(), redo: () => a.redo(), fit: () => a.fit(),
      zoomIn: () => a.zoomAt(1.25), zoomOut: () => a.zoomAt(0.8),
      remove: () => a.selected && a.remove(a.selected), finish: () => a.drawing.finish(),
      occluded: () => a.toggleOccluded(), skip: () => a.skipPoint(),
    };
    actions[name]?.();
  }

  // One line under the toolbar: what the current tool expects, or a warning.
  status(text, warn = false) {
    if (!this.statusEl) return;
    this.statusEl.textContent = text;
    this.statusEl.classList.toggle("dd-warn", warn);
  }

  hint() {
    const a = this.a;
    if (!a.ready) return "";
    if (a.points.length && !a.readonly) {
      const next = a.nextPoint();
      return next ? this.t("place", { name: next }) : this.t("allPlaced");
    }
    const tips = { box: "drawBox", polygon: "drawPolygon", polyline: "drawPolyline", select: "selectHint" };
    const tip = a.readonly ? "" : this.t(tips[a.tool] || "");
    return [this.t("count", { n: a.shapes.length }), tip].filter(Boolean).join(" · ");
  }

  refresh() {
    const a = this.a;
    const root = a.root;
    root.dataset.tool = a.tool;
    for (const b of root.querySelectorAll(".dd-tool")) {
      b.setAttribute("aria-pressed", String(b.dataset.tool === a.tool));
    }
    for (const b of root.querySelectorAll(".dd-label")) {
      b.setAttribute("aria-pressed", String(b.dataset.label === a.label));
    }
    const state = {
      undo: a.history.length < 2 && !a.drawing.busy(), redo: !a.future.length, remove: !a.selected,
    };
    for (const [act, disabled] of Object.entries(state)) {
      const b = root.querySelector(`[data-act="${act}"]`);
      if (b) b.disabled = disabled;
    }
    const finish = root.querySelector('[data-act="finish"]');
    if (finish) finish.hidden = !a.drawing.pts.length;
    const occluded = root.querySelector('[data-act="occluded"]');
    if (occluded) occluded.setAttribute("aria-pressed", String(a.occluded));
    if (a.ready) this.status(this.hint());
    if (this.emptyEl) this.emptyEl.hidden = !a.ready || a.shapes.length > 0 || a.readonly;
    if (a.points.length) this.keypointRows();
    else this.shapeRows();
  }

  // ---- the side list --------------------------------------------------------------------
  row(key) {
    let li = this.rows.get(key);
    if (!li) {
      li = document.createElement("li");
      li.className = "dd-row";
      li.dataset.key = key;
      li.innerHTML = '<button type="button" class="dd-pick"><span class="dd-swatch"></span>'
        + '<span class="dd-name"></span> <span class="dd-kind"></span></button>';
      this.rows.set(key, li);
    }
    return li;
  }

  extra(li, cls, make) {
    let el = li.querySelector("." + cls);
    if (!el && make) {
      el = make();
      el.classList.add(cls);
      li.append(el);
    } else if (el && !make) {
      el.remove();
      el = null;
    }
    return el;
  }

  button(text, label) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  fillRow(li, { color, name, kind, on }) {
    li.querySelector(".dd-swatch").style.setProperty("--c", color);
    li.querySelector(".dd-name").textContent = name;
    li.querySelector(".dd-kind").textContent = kind;
    li.querySelector(".dd-pick").setAttribute("aria-pressed", String(on));
    li.classList.toggle("dd-on", on);
  }

  place(rows) {
    rows.forEach((li, i) => {
      if (this.list.children[i] !== li) this.list.insertBefore(li, this.list.children[i] || null);
    });
    const keep = new Set(rows);
    for (const [key, li] of this.rows) {
      if (!keep.has(li)) {
        li.remove();
        this.rows.delete(key);
      }
    }
  }

  shapeRows() {
    const a = this.a;
    const rows = a.shapes.map((s, i) => {
      const li = this.row(String(s.id));
      const n = i + 1;
      const name = a.spec.text ? this.t("region", { n }) : `${s.label} ${n}`;
      this.fillRow(li, { color: a.colorOf(s), name, kind: this.t(s.type), on: s.id === a.selected });
      if (a.spec.text) {
        const input = this.extra(li, "dd-text", () => document.createElement("input"));
        input.type = "text";
        input.lang = this.lang;
        input.readOnly = a.readonly;
        input.placeholder = this.t("textPlaceholder");
        input.setAttribute("aria-label", this.t("textLabel", { n }));
        if (document.activeElement !== input && input.value !== (s.text || "")) input.value = s.text || "";
      }
      this.extra(li, "dd-del", a.readonly ? null : () => this.button("×"))
        ?.setAttribute("aria-label", this.t("deleteShape", { name }));
      return li;
    });
    this.place(rows);
  }

  keypointRows() {
    const a = this.a;
    const next = a.readonly ? null : a.nextPoint();
    const rows = a.points.map((name) => {
      const li = this.row("kp:" + name);
      const s = a.placed(name);
      const kind = !s ? this.t("notPlaced") : s.v === 1 ? this.t("occluded") : this.t("visible");
      this.fillRow(li, { color: a.colorOf({ type: "point", name }), name, kind,
        on: Boolean(s && s.id === a.selected) });
      li.classList.toggle("dd-next", name === next);
      li.classList.toggle("dd-placed", Boolean(s));
      const editable = s && !a.readonly;
      const vis = this.extra(li, "dd-vis", editable ? () => this.button("◐") : null);
      if (vis) {
        vis.setAttribute("aria-pressed", String(s.v === 1));
        vis.setAttribute("aria-label", `${name}: ${this.t("occluded")}`);
      }
      this.extra(li, "dd-del", editable ? () => this.button("×") : null)
        ?.setAttribute("aria-label", this.t("deleteShape", { name }));
      return li;
    });
    this.place(rows);
  }

  shapeOf(li) {
    const key = li.dataset.key;
    return key.startsWith("kp:") ? this.a.placed(key.slice(3)) : this.a.shape(Number(key));
  }

  bindList() {
    const a = this.a;
    this.list.addEventListener("click", (e) => {
      const li = e.target.closest(".dd-row");
      if (!li) return;
      const s = this.shapeOf(li);
      if (e.target.closest(".dd-del")) {
        if (s) a.remove(s.id);
      } else if (e.target.closest(".dd-vis")) {
        if (s) a.update(s.id, { v: s.v === 1 ? 2 : 1 });
      } else if (e.target.closest(".dd-pick")) {
        if (s) {
          if (a.tools.includes("select") && a.tool !== "select" && !a.points.length) a.setTool("select");
          a.select(s.id);
        } else if (!a.readonly) { // a keypoint not placed yet: place it next
          a.wanted = li.dataset.key.slice(3);
          a.setTool("point");
        }
      }
    });
    // OCR text: each keystroke updates the answer; leaving the field makes it one undo step.
    this.list.addEventListener("input", (e) => {
      const s = e.target.classList.contains("dd-text") && this.shapeOf(e.target.closest(".dd-row"));
      if (!s) return;
      s.text = e.target.value;
      a.sync();
      a.render();
    });
    this.list.addEventListener("change", (e) => {
      if (e.target.classList.contains("dd-text")) a.commit();
    });
    this.list.addEventListener("keydown", (e) => {
      if (!e.target.classList.contains("dd-text") || e.isComposing) return;
      if (e.key === "Enter" || e.key === "Escape") {
        // Enter in a transcription is not "submit the task": back to the canvas instead.
        e.preventDefault();
        e.stopPropagation();
        a.commit();
        a.el.focus({ preventScroll: true });
      }
    });
  }

  focusText(id) {
    const input = this.rows.get(String(id))?.querySelector(".dd-text");
    if (input) input.focus({ preventScroll: false });
  }
}
