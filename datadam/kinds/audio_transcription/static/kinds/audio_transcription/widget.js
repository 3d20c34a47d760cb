// Audio transcription: the shared player and a text box (<textarea name="text">, posted as
// the answer {"text"}). While typing, Ctrl+Space plays or pauses, Esc leaves the box and
// Ctrl+Enter submits (kinds/audio/player.js).
import { registerAudioKind } from "../audio/player.js";

registerAudioKind("audio_transcription", {});
