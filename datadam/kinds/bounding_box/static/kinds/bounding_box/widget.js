// Bounding boxes: {"boxes": [{"label", "box": [x, y, w, h]}]} in original image pixels.
import { registerKind } from "../canvas/annotator.js";
import { boxToPts, ptsToBox } from "../canvas/util.js";

registerKind("bounding_box", {
  labels: true,
  tools: () => ["select", "box"],
  fromAnswer: (answer) => (Array.isArray(answer.boxes) ? answer.boxes : [])
    .filter((b) => Array.isArray(b.box) && b.box.length === 4)
    .map((b) => ({ type: "box", label: String(b.label ?? ""), pts: boxToPts(b.box) })),
  toAnswer: (shapes) => ({
    boxes: shapes.map((s) => ({ label: s.label, box: ptsToBox(s.pts) })),
  }),
});
