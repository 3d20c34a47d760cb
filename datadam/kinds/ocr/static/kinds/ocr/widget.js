// OCR: {"regions": [{"box": [x, y, w, h], "points"?: [[x, y], ...], "text"}]} in original
// image pixels. A region is a box, or a polygon (with its bounding box) when config.tools
// has "polygon"; its transcription is typed in the side list, in config.languages.
import { registerKind } from "../canvas/annotator.js";
import { boxToPts, ptsToBox, roundPts } from "../canvas/util.js";

registerKind("ocr", {
  text: true,
  tools: (config) => {
    const tools = Array.isArray(config.tools) ? config.tools : ["box"];
    const shapes = ["box", "polygon"].filter((t) => tools.includes(t));
    return ["select", ...(shapes.length ? shapes : ["box"])];
  },
  fromAnswer: (answer) => (Array.isArray(answer.regions) ? answer.regions : []).flatMap((r) => {
    const text = typeof r.text === "string" ? r.text : "";
    if (Array.isArray(r.points) && r.points.length >= 3) {
      return [{ type: "polygon", pts: r.points.map((p) => [+p[0], +p[1]]), text }];
    }
    return Array.isArray(r.box) && r.box.length === 4 ? [{ type: "box", pts: boxToPts(r.box), text }] : [];
  }),
  toAnswer: (shapes) => ({
    regions: shapes.map((s) => (s.type === "polygon"
      ? { box: ptsToBox(s.pts), points: roundPts(s.pts), text: s.text || "" }
      : { box: ptsToBox(s.pts), text: s.text || "" })),
  }),
});
