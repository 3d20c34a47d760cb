// Video frame labels: {"ranges": [{"start", "end", "label"}]} on the project's sampling grid
// (kinds/video/frames.js).
import { registerKind } from "../video/player.js";
import { Frames } from "../video/frames.js";

registerKind("video_frames", Frames);
