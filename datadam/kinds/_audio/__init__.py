"""What the audio kinds share: the item format, the wizard's sample clip, the player.

``audio_transcription``, ``audio_classification`` and ``audio_segments`` each have a folder
of their own; this package (a private folder: ``kinds._load`` skips it) holds their item
checks, the player markup (``_audio/player.html``, the waveform with its controls), the
review player (``_audio/review_player.html``) and the scripts under ``static/kinds/audio/``.
Items reference a recording by URL (or media path)::

    {"audio": "https://…/clip.wav", "duration": 12.5, "sample_rate": 16000,
     "web": "…/clip.web.webm", "peaks": "…/clip.peaks.json"}

``duration`` (seconds) is optional for URLs (the player reads it from the file) but needed by
``audio_segments``, whose answers are checked against it; uploads (``datadam.media``) fill
in ``duration`` and ``sample_rate``, and their renditions job adds ``web`` (Opus in WebM)
and ``peaks`` (the waveform's min/max pairs, so the player draws without decoding).
"""

from __future__ import annotations

import base64
import io
import math
import wave
from functools import lru_cache
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from datadam.kinds.base import ItemError

#: 24 hours: a longer "recording" is a mistake in the import file.
MAX_DURATION = 86_400.0
EXAMPLE = {"audio": "https://example.com/audio/0001.wav", "duration": 12.5,
           "sample_rate": 16000}
SAMPLE_SECONDS = 2.0


def _positive(value: Any, limit: float) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float)
            and math.isfinite(value) and 0 < value <= limit)


def duration_of(item: dict[str, Any] | None) -> float | None:
    """The item's duration in seconds, when it states a usable one."""
    if isinstance(item, dict) and _positive(item.get("duration"), MAX_DURATION):
        return float(item["duration"])
    return None


@lru_cache(maxsize=1)
def sample_clip() -> str:
    """A two-second clip for the wizard's preview, as a data: URL (8 kHz WAV, made here):
    a tone, a pause, a warbling tone."""
    rate = 8000
    t = np.arange(int(SAMPLE_SECONDS * rate)) / rate
    x = np.where(t < 0.8, 0.35 * np.sin(2 * np.pi * 440 * t), 0.0)
    x = np.where(t > 1.2, 0.35 * np.sin(2 * np.pi * (500 + 120 * np.sin(2 * np.pi * 6 * t))
                                        * t), x)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((x * 32767).astype("<i2").tobytes())
    return "data:audio/wav;base64," + base64.b64encode(buf.getvalue()).decode()


class AudioItems:
    """The item side of an audio kind (mixed in before ``TaskKind``)."""

    media_field = "audio"
    #: Whether items must state their duration (segments are checked against it).
    needs_duration = False

    def sample_item(self) -> dict[str, Any]:
        return {"audio": sample_clip(), "duration": SAMPLE_SECONDS, "sample_rate": 8000}

    def example_item(self) -> dict[str, Any]:
        return dict(EXAMPLE)

    def validate_item(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ItemError(_("item must be a JSON object"))
        audio = data.get("audio")
        if not isinstance(audio, str) or not audio.strip():
            raise ItemError(_('item needs an "audio" field: a URL or a media path'))
        duration = data.get("duration")
        if duration is None and self.needs_duration:
            raise ItemError(_('item needs "duration": the recording\'s length in seconds'))
        if duration is not None and not _positive(duration, MAX_DURATION):
            raise ItemError(_('"duration" must be the recording\'s length in seconds (a '
                              'positive number)'))
        rate = data.get("sample_rate")
        if rate is not None and not (isinstance(rate, int) and not isinstance(rate, bool)
                                     and 0 <= rate <= 1_000_000):
            raise ItemError(_('"sample_rate" must be a whole number of hertz'))
        for key in ("web", "peaks"):
            if key in data and not isinstance(data[key], str):
                raise ItemError(_('"%(key)s" must be a URL') % {"key": key})
        return data
