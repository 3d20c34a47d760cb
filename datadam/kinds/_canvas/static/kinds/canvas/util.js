// Helpers shared by the image annotator (annotator.js) and the review overlay (review.js).
// Coordinates are always ORIGINAL image pixels, rounded to 2 decimals in answers.

// Label colours: a project's config.colors (the kinds fill it for every label, from the same
// palette as datadam/kinds/image_shapes.py, in the labels' order). Where no config is at hand
// (some review screens) a label's colour is picked from the palette by a hash of its text,
// so it is the same on every card.
export const PALETTE = [
  "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
  "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#800000", "#aaffc3",
];

export function hashIndex(text, n) {
  let h = 0x811c9dc5; // FNV-1a
  for (const ch of String(text)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % n;
}

export function colorFor(label, colors) {
  if (colors && typeof colors[label] === "string") return colors[label];
  return PALETTE[hashIndex(label ?? "", PALETTE.length)];
}

// Black or white, whichever reads better on `color` (#rrggbb).
export function ink(color) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(String(color));
  if (!m) return "#fff";
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#000" : "#fff";
}

// A translucent fill of a label colour (#rgb or #rrggbb; other colour syntaxes get none).
export function withAlpha(color, alpha) {
  let c = String(color);
  if (/^#[0-9a-f]{3}$/i.test(c)) c = "#" + [...c.slice(1)].map((d) => d + d).join("");
  if (!/^#[0-9a-f]{6}$/i.test(c)) return "rgba(0,0,0,0.01)"; // still catches the pointer
  const a = Math.round(clamp(alpha, 0, 1) * 255).toString(16).padStart(2, "0");
  return c + a;
}

export const round2 = (v) => Math.round(v * 100) / 100;

export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

// [[x1, y1], [x2, y2]] (any corner order) -> [x, y, w, h], rounded.
export function ptsToBox(pts) {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return [round2(x), round2(y), round2(Math.max(...xs) - x), round2(Math.max(...ys) - y)];
}

export function boxToPts(box) {
  const [x, y, w, h] = box.map(Number);
  return [[x, y], [x + w, y + h]];
}

export const roundPts = (pts) => pts.map((p) => [round2(p[0]), round2(p[1])]);

// "Delete {name}" with {name} filled in (the templates translate the patterns).
export function fill(pattern, values) {
  return String(pattern).replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
}

// The JSON a template embedded with json_script inside <div data-json="name">.
export function readJson(root, name) {
  const el = root.querySelector(`[data-json="${name}"] script`);
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch {
    return null;
  }
}
