// Polygons and polylines: {"shapes": [{"label", "type": "polygon" | "polyline",
// "points": [[x, y], ...]}]} in original image pixels. config.tools picks the shape types.
import { registerKind } from "../canvas/annotator.js";
import { roundPts } from "../canvas/util.js";

const TYPES = ["polygon", "polyline"];

registerKind("polygon", {
  labels: true,
  tools: (config) => {
    const wanted = Array.isArray(config.tools) ? config.tools.filter((t) => TYPES.includes(t)) : [];
    return ["select", ...(wanted.length ? wanted : TYPES)];
  },
  fromAnswer: (answer) => (Array.isArray(answer.shapes) ? answer.shapes : [])
    .filter((s) => TYPES.includes(s.type) && Array.isArray(s.points))
    .map((s) => ({ type: s.type, label: String(s.label ?? ""), pts: s.points.map((p) => [+p[0], +p[1]]) })),
  toAnswer: (shapes) => ({
    shapes: shapes.map((s) => ({ label: s.label, type: s.type, points: roundPts(s.pts) })),
  }),
});
