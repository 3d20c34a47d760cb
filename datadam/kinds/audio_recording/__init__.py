"""Audio recording: the worker records with the microphone (reads a script aloud, or records
an event and tags it); checked for length, silence, clipping and noise, and against
near-duplicates. See docs/kinds/capture.md."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datadam.errors import InvalidInput
from datadam.kinds import register
from datadam.kinds._capture import CaptureKind, _number, seconds_range
from datadam.kinds.config_fields import ConfigField

MAX_SECONDS = 600.0


class AudioRecording(CaptureKind):
    slug = "audio_recording"
    title = gettext_lazy("Voice and sound recording")
    description = gettext_lazy("Record with the microphone: read a sentence aloud, or record "
                               "a sound and tag it.")
    media_kind = "audio"
    checks = (("duration", gettext_lazy("Length")), ("silence", gettext_lazy("Silence")),
              ("clipping", gettext_lazy("Clipping")), ("noise", gettext_lazy("Noise")))
    default_blocking = ("duration", "silence", "duplicate")
    search_words = ("record", "recording", "voice", "speech", "read aloud", "microphone",
                    "녹음", "음성", "목소리", "낭독")

    @property
    def config_fields(self) -> tuple[ConfigField, ...]:  # type: ignore[override]
        return (
            ConfigField("min_seconds", gettext_lazy("Shortest recording (seconds)"), "number",
                        1),
            ConfigField("max_seconds", gettext_lazy("Longest recording (seconds)"), "number",
                        30, gettext_lazy("Recording stops by itself here; at most 600.")),
            ConfigField("silence_dbfs", gettext_lazy("Silence below (dBFS)"), "number", -45,
                        gettext_lazy("The loudest part of a recording must be louder.")),
            ConfigField("min_snr_db", gettext_lazy("Least signal-to-noise ratio (dB)"),
                        "number", 10),
            ConfigField("language", gettext_lazy("Language spoken"), "text", "",
                        gettext_lazy("A code such as ko or en; empty when no speech.")),
            *self.common_fields(),
        )

    def sample_item(self) -> dict[str, Any]:
        return {"prompt": _("Read the sentence aloud in a quiet room."),
                "text": _("The weather is clear today.")}

    def example_item(self) -> dict[str, Any]:
        return {"prompt": "Read the sentence aloud in a quiet room.",
                "text": "The weather is clear today."}

    def media_config(self, cfg: dict[str, Any]) -> dict[str, Any]:
        seconds = seconds_range(cfg, 1, 30, MAX_SECONDS)
        language = cfg.get("language") or ""
        if not isinstance(language, str) or len(language) > 20:
            raise InvalidInput(_('language must be a code such as "ko" or "en"'))
        return {
            **seconds,
            "silence_dbfs": _number(cfg, "silence_dbfs", -45, -90, 0),
            "clip_share": _number(cfg, "clip_share", 0.01, 0, 1),
            "min_snr_db": _number(cfg, "min_snr_db", 10, 0, 60),
            "language": language,
        }


register(AudioRecording())
