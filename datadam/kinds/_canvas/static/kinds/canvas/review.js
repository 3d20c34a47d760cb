// Review cards of the image kinds (_canvas/review_base.html): colours the SVG shapes drawn
// over each image, keeps their text and dots at a readable screen size, joins keypoints by
// the skeleton, and opens a zoom-and-pan view of the full-size image on click. No canvas
// library: pages show dozens of cards. Runs once per page (an ES module); cards that htmx
// swaps in later are set up on htmx:load.
import { colorFor, ink, readJson } from "./util.js";

const ZOOM_MAX = 16;

// --u: image pixels per screen pixel, so "12px" of text in the SVG shows as 12 pixels.
const sizes = new ResizeObserver((entries) => {
  for (const { target } of entries) unit(target, 1);
});

function unit(svg, zoom) {
  const box = svg.viewBox.baseVal;
  if (!box || !box.width || !svg.clientWidth) return;
  svg.style.setProperty("--u", String(box.width / (svg.clientWidth * zoom)));
}

function setup(fig) {
  if (fig.ddReview) return;
  fig.ddReview = true;
  const colors = readJson(fig, "colors") || {};
  for (const el of fig.querySelectorAll("[data-label]")) {
    const color = colorFor(el.dataset.label, colors);
    el.style.setProperty("--c", color);
    el.style.setProperty("--ink", ink(color));
  }
  const svg = fig.querySelector(".dd-rv-svg");
  const img = fig.querySelector(".dd-rv-img");
  if (svg) {
    bones(svg);
    if (!svg.getAttribute("viewBox")) { // the item gave no size: take the image's own
      const size = () => {
        if (!img.naturalWidth) return;
        svg.setAttribute("viewBox", `0 0 ${img.naturalWidth} ${img.naturalHeight}`);
        unit(svg, 1);
      };
      if (img.complete) size();
      else img.addEventListener("load", size, { once: true });
    }
    sizes.observe(svg);
  }
  fig.querySelector(".dd-rv-frame")?.addEventListener("click", () => zoom.open(fig));
}

// Skeleton lines: each <line data-a data-b> runs between the two named points, if placed.
function bones(svg) {
  const at = {};
  for (const p of svg.querySelectorAll("[data-name]")) at[p.dataset.name] = p.dataset;
  for (const line of svg.querySelectorAll(".dd-rv-bone")) {
    const a = at[line.dataset.a];
    const b = at[line.dataset.b];
    if (!a || !b) {
      line.remove();
      continue;
    }
    line.setAttribute("x1", a.x);
    line.setAttribute("y1", a.y);
    line.setAttribute("x2", b.x);
    line.setAttribute("y2", b.y);
  }
}

// One <dialog> for the page: the full-size image and a copy of the overlay, moved and
// scaled with a CSS transform (wheel or pinch zooms at the pointer, a drag pans).
const zoom = {
  dialog: null,
  build() {
    const d = document.createElement("dialog");
    d.className = "dd-zv";
    d.innerHTML = `<div class="dd-zv-bar"><button type="button" data-z="in">+</button>
      <button type="button" data-z="out">−</button> <button type="button" data-z="fit"></button>
      <button type="button" data-z="close" class="secondary"></button></div>
      <div class="dd-zv-view"><div class="dd-zv-stage"></div></div>`;
    document.body.append(d);
    this.view = d.querySelector(".dd-zv-view");
    this.stage = d.querySelector(".dd-zv-stage");
    d.querySelector(".dd-zv-bar").addEventListener("click", (e) => {
      const act = e.target.closest("[data-z]")?.dataset.z;
      if (act === "close") d.close();
      else if (act === "in") this.zoomAt(1.5);
      else if (act === "out") this.zoomAt(1 / 1.5);
      else if (act === "fit") this.fit();
    });
    d.addEventListener("keydown", (e) => {
      const factor = { "+": 1.5, "=": 1.5, "-": 1 / 1.5 }[e.key];
      if (factor) this.zoomAt(factor);
      else if (e.key === "0") this.fit();
      if (factor || e.key === "0") e.preventDefault();
      // Escape still closes (the dialog's default); the review page's own keys (a approve,
      // r reject, ...) must not act on the card behind the view.
      e.stopPropagation();
    });
    d.addEventListener("close", () => this.stage.replaceChildren());
    this.view.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = this.view.getBoundingClientRect();
      this.zoomAt(Math.exp(-e.deltaY * (e.deltaMode ? 0.05 : 0.002)), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    this.pointers = new Map();
    this.view.addEventListener("pointerdown", (e) => {
      this.view.setPointerCapture(e.pointerId);
      this.pointers.set(e.pointerId, [e.clientX, e.clientY]);
    });
    this.view.addEventListener("pointermove", (e) => this.move(e));
    for (const type of ["pointerup", "pointercancel"]) {
      this.view.addEventListener(type, (e) => this.pointers.delete(e.pointerId));
    }
    this.dialog = d;
  },

  open(fig) {
    if (!this.dialog) this.build();
    // Words in the page's language, from the card (_canvas/review_base.html).
    const words = fig.dataset;
    const bar = this.dialog.querySelector(".dd-zv-bar");
    bar.querySelector('[data-z="in"]').setAttribute("aria-label", words.zoomIn || "+");
    bar.querySelector('[data-z="out"]').setAttribute("aria-label", words.zoomOut || "−");
    bar.querySelector('[data-z="fit"]').textContent = words.fit || "Fit";
    bar.querySelector('[data-z="close"]').textContent = words.close || "Close";
    this.dialog.setAttribute("aria-label", words.title || "");
    const svg = fig.querySelector(".dd-rv-svg");
    const small = fig.querySelector(".dd-rv-img");
    const box = svg?.viewBox.baseVal;
    this.W = box?.width || small.naturalWidth || 1;
    this.H = box?.height || small.naturalHeight || 1;
    const img = document.createElement("img");
    img.alt = small.alt;
    img.src = small.currentSrc || small.src; // shows at once; the full size replaces it
    const full = fig.querySelector(".dd-rv-frame").dataset.full;
    if (full && full !== img.src) {
      const big = new Image();
      big.onload = () => { img.src = full; };
      big.src = full;
    }
    this.copy = svg ? svg.cloneNode(true) : null;
    this.stage.replaceChildren(img, ...(this.copy ? [this.copy] : []));
    this.stage.style.width = `${this.W}px`;
    this.stage.style.height = `${this.H}px`;
    this.dialog.showModal();
    this.fit();
  },

  fit() {
    const r = this.view.getBoundingClientRect();
    const s = Math.min(r.width / this.W, r.height / this.H);
    this.set(s, (r.width - this.W * s) / 2, (r.height - this.H * s) / 2);
    this.fitScale = s;
  },

  set(s, x, y) {
    Object.assign(this, { s, x, y });
    this.stage.style.transform = `translate(${x}px, ${y}px) scale(${s})`;
    this.copy?.style.setProperty("--u", String(1 / s));
  },

  zoomAt(f, px, py) {
    const r = this.view.getBoundingClientRect();
    px ??= r.width / 2;
    py ??= r.height / 2;
    const s = Math.min(Math.max(this.s * f, this.fitScale / 2), ZOOM_MAX);
    this.set(s, px - ((px - this.x) / this.s) * s, py - ((py - this.y) / this.s) * s);
  },

  move(e) {
    const last = this.pointers.get(e.pointerId);
    if (!last) return;
    const pts = [...this.pointers.values()];
    if (pts.length === 2) { // pinch: the distance between the fingers scales
      const other = pts.find((p) => p !== last);
      const before = Math.hypot(last[0] - other[0], last[1] - other[1]) || 1;
      const after = Math.hypot(e.clientX - other[0], e.clientY - other[1]) || 1;
      const r = this.view.getBoundingClientRect();
      this.zoomAt(after / before, (e.clientX + other[0]) / 2 - r.left, (e.clientY + other[1]) / 2 - r.top);
    } else {
      this.set(this.s, this.x + e.clientX - last[0], this.y + e.clientY - last[1]);
    }
    this.pointers.set(e.pointerId, [e.clientX, e.clientY]);
  },
};

function setupAll(scope) {
  if (!scope || !scope.querySelectorAll) return;
  if (scope.matches && scope.matches(".dd-rv")) setup(scope);
  scope.querySelectorAll(".dd-rv").forEach(setup);
}

document.addEventListener("htmx:load", (e) => setupAll(e.target));
setupAll(document);
