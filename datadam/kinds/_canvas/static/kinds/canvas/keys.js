// The annotator's keyboard: tools, labels, undo and redo, zoom, and Space held for panning.
// Keys typed into a field (an OCR transcription, a search box) are left alone.
export const keys = { space: false }; // Space held: a drag pans, in any tool
const TOOL_KEYS = { v: "select", b: "box", t: "box", p: "polygon", l: "polyline", k: "point", h: "pan" };

// One key for annotator `a`: true when it used the key (then nothing else gets it).
export function handleKey(a, e) {
  const k = e.key;
  const lower = k.length === 1 ? k.toLowerCase() : k;
  if (e.ctrlKey || e.metaKey) {
    if (e.altKey || a.readonly) return false;
    if (lower === "z") e.shiftKey ? a.redo() : a.undo();
    else if (lower === "y") a.redo();
    else return false;
    return true;
  }
  if (e.altKey) return false;
  if (k === "+" || k === "=") a.zoomAt(1.25);
  else if (k === "-" || k === "_") a.zoomAt(0.8);
  else if (k === "0") a.fit();
  else if (a.readonly) return false;
  else if (k === "Escape") return a.drawing.cancel() || a.select(null);
  else if (k === "Enter") return a.drawing.finish(); // else Enter submits (app.js)
  else if (k === "Delete" || k === "Backspace") {
    if (!a.drawing.undoPoint() && a.selected) a.remove(a.selected);
  } else if (/^[1-9]$/.test(k) && a.labels.length) {
    const label = a.labels[Number(k) - 1];
    if (label === undefined) return false;
    a.setLabel(label);
  } else if (a.points.length && lower === "o") a.toggleOccluded();
  else if (a.points.length && lower === "n") a.skipPoint();
  else if (TOOL_KEYS[lower] && (a.tools.includes(TOOL_KEYS[lower]) || lower === "h")) {
    a.setTool(TOOL_KEYS[lower]);
  } else return false;
  return true;
}

function typing(t) {
  if (!t || !t.tagName) return false;
  if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
  return t.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(t.type);
}

// Window, capture phase: before app.js (document) turns Enter into Submit, so Enter can
// finish a polygon first. A key the annotator used goes no further. `target()` names the
// annotator that gets the keys, `all()` every mounted one.
export function listen(target, all) {
  window.addEventListener("keydown", (e) => {
    const a = target();
    if (!a || typing(e.target)) return;
    if (e.key === " ") {
      if (e.target.closest && e.target.closest("button, a, summary")) return;
      // Only over the image or inside the widget: elsewhere Space scrolls the page.
      if (!a.root.contains(e.target) && !a.el.matches(":hover")) return;
      keys.space = true;
      a.el.classList.add("dd-space");
      e.preventDefault(); // no page scroll while panning
      return;
    }
    if (handleKey(a, e)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  window.addEventListener("keyup", (e) => {
    if (e.key !== " ") return;
    keys.space = false;
    for (const a of all()) a.el.classList.remove("dd-space");
  }, true);
  window.addEventListener("blur", () => { keys.space = false; });
}
