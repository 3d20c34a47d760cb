// Video segments: {"segments": [{"start", "end", "label"}]} in seconds (kinds/video/segments.js).
import { registerKind } from "../video/player.js";
import { Segments } from "../video/segments.js";

registerKind("video_segments", Segments);
