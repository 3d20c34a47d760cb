// Helpers of the video player (player.js, timeline.js and the modes): colours, times, strings.

// The image kinds' palette (datadam/kinds/image_shapes.py), in the labels' order, for labels
// the config gives no colour.
export const PALETTE = [
  "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
  "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#800000", "#aaffc3",
];

export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

// 75.5 -> "1:15.50"
export function clock(t) {
  const s = Math.max(0, Number(t) || 0);
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(2).padStart(5, "0")}`;
}

export function fill(pattern, values) {
  return String(pattern ?? "").replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
}

export function readJson(root, name) {
  const el = root.querySelector(`[data-json="${name}"] script`);
  try {
    return el ? JSON.parse(el.textContent) : null;
  } catch {
    return null;
  }
}
