// Audio classification: the shared player; the labels are the classification kinds' choices
// (_choices.html: keys 1–9 pick them, through app.js).
import { registerAudioKind } from "../audio/player.js";

registerAudioKind("audio_classification", {});
