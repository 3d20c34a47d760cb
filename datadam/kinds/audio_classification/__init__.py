"""Audio classification: the worker listens to a clip and picks its class (or classes).

The classification kinds' logic (``ClassificationKind``: labels, single or multi-label,
Dawid–Skene and kin across items) with an audio item (``_audio``: ``{"audio", "duration"?,
"web"?, "peaks"?}``) and the shared waveform player. See docs/kinds/audio_classification.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from datadam.kinds import register
from datadam.kinds._audio import AudioItems
from datadam.kinds.classification import ClassificationKind


class AudioClassification(AudioItems, ClassificationKind):
    slug = "audio_classification"
    title = gettext_lazy("Audio classification")
    description = gettext_lazy("Listen to a clip and pick the class (or classes) that fit it.")
    multi_label_option = True
    search_words = ("audio", "sound", "sounds", "listen", "listening", "ears", "hearing",
                    "소리", "음성", "오디오", "청취")


register(AudioClassification())
