"""How an answer was written, from the widget's meta: pasted, or typed faster than people
type (no Django).

The widget counts, over all the answer's fields, the paste events (``pastes``), the
characters they brought (``pasted_chars``), the keystrokes (``keys``: key presses in the
fields but the modifier keys; a Hangul syllable takes two or three) and the time spent
typing (``typed_ms``: the gaps between input events, each counted up to 2 s). The meta comes
from the client and may be missing (the API, older answers), so these checks only ever warn:
the reviewer reads them with the answer. The server computes them from the meta and the
stored text; a verdict the client might send is never read.

- ``pasted``: at least ``PASTED_SHARE`` of the answer's characters (all its texts together)
  came in by pasting.
- ``typing``: of the characters not pasted (at least ``MIN_TYPED`` of them), more than
  ``MAX_CPM`` a minute of typing time, or fewer keystrokes than ``MIN_KEY_SHARE`` of them (the
  text appeared without being typed: a script or an extension; swipe typing and dictation on
  a phone look the same, which is why it only warns).

Why 1,000 characters a minute: fast typists reach about 600–750 keystrokes a minute in
Korean (two-set layout; a syllable is two or three keystrokes, so 250–350 syllables) and
100–120 words a minute in English (about 600 characters); typing time counts pauses up to
2 s as typing, which only lowers the rate measured. Texts under 40 typed characters are not
judged: a short burst says little.
"""

from __future__ import annotations

from typing import Any

PASTED_SHARE = 0.8
MAX_CPM = 1000
MIN_TYPED = 40
MIN_KEY_SHARE = 0.3


def check_pasted(chars: int, meta: dict[str, Any]) -> dict[str, Any] | None:
    """The ``pasted`` finding when pasting brought most of the answer's ``chars``."""
    pasted = meta.get("pasted_chars")
    if pasted is None or chars <= 0:
        return None
    share = min(1.0, pasted / chars)
    if share < PASTED_SHARE:
        return None
    return {"check": "pasted", "share": round(share, 2)}


def check_typing(chars: int, meta: dict[str, Any]) -> dict[str, Any] | None:
    """The ``typing`` finding when the characters not pasted came faster than people type
    or with too few keystrokes. ``cpm`` is None when no typing time was measured at all."""
    typed = chars - min(meta.get("pasted_chars") or 0, chars)
    typed_ms, keys = meta.get("typed_ms"), meta.get("keys")
    if typed < MIN_TYPED or (typed_ms is None and keys is None):
        return None
    cpm = round(typed * 60_000 / typed_ms) if typed_ms else None
    too_fast = typed_ms is not None and (cpm is None or cpm > MAX_CPM)
    too_few_keys = keys is not None and keys < MIN_KEY_SHARE * typed
    if not (too_fast or too_few_keys):
        return None
    return {"check": "typing", "cpm": cpm, "keys": keys, "chars": typed}


def rhythm_findings(chars: int, meta: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The findings of both checks for an answer of ``chars`` characters (none without
    meta)."""
    if not meta:
        return []
    found = (check_pasted(chars, meta), check_typing(chars, meta))
    return [f for f in found if f is not None]
