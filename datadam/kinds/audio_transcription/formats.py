"""Export formats of this kind besides the JSONL and CSV every kind has (docs/kinds/exports.md)."""

from __future__ import annotations

from datadam.kinds._audio.formats import KALDI_TRANSCRIPTS, NEMO

EXPORTERS = (NEMO, KALDI_TRANSCRIPTS)
