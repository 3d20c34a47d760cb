// Keypoints: {"keypoints": {"<name>": [x, y, v]}}, v 2 visible, 1 occluded (COCO); a point
// left out is not labelled. config.points names the points in order, config.skeleton the
// pairs joined by lines. The annotator prompts for the next unplaced point.
import { registerKind } from "../canvas/annotator.js";
import { round2 } from "../canvas/util.js";

registerKind("keypoints", {
  tools: () => ["select", "point"],
  fromAnswer: (answer) => {
    const marks = answer.keypoints && typeof answer.keypoints === "object" ? answer.keypoints : {};
    return Object.entries(marks)
      // COCO 0 (or false) is "not labelled": nothing to draw.
      .filter(([, m]) => Array.isArray(m) && m.length === 3 && m[2] !== 0 && m[2] !== false)
      .map(([name, [x, y, v]]) => ({ type: "point", name, pts: [[+x, +y]], v: v === 1 ? 1 : 2 }));
  },
  toAnswer: (shapes, config) => {
    const order = Array.isArray(config.points) ? config.points.map(String) : [];
    const points = shapes.filter((s) => s.type === "point")
      .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const keypoints = {};
    for (const s of points) keypoints[s.name] = [round2(s.pts[0][0]), round2(s.pts[0][1]), s.v];
    return { keypoints };
  },
});
