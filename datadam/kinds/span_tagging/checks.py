"""Span tagging: checks of a project's config, an item and an answer, with clear messages.

Offsets are **Unicode code points** of the item's text exactly as stored (Python ``str``
indices; the text is never normalised), ``end`` exclusive: in "서울에서 🎉 축제가" the span
"축제" is ``[7, 9)`` (the emoji is one code point, two UTF-16 units in a browser). An
answer's spans lose leading and trailing whitespace (``str.isspace``), are sorted
(``vote.sort_key``) and may not repeat, cover only whitespace, run past the text, or
overlap (with ``nested``: cross, i.e. overlap without one lying inside the other).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from datadam.errors import InvalidInput
from datadam.kinds import image_shapes as shapes
from datadam.kinds.base import ItemError

from .vote import Span, sort_key

MAX_TEXT = 100_000
MAX_SPANS = 5_000
MAX_TOLERANCE = 20
#: A lone UTF-16 surrogate: not a character, and browsers would count it differently.
SURROGATE = re.compile("[\ud800-\udfff]")
EXAMPLE = '{"spans": [{"start": 0, "end": 5, "label": "..."}]}'


def tolerance(config: dict[str, Any]) -> int:
    """``boundary_tolerance``: whole characters from 0 to ``MAX_TOLERANCE`` (a whole float,
    as the wizard's number field gives, is taken)."""
    value = config.get("boundary_tolerance", 0)
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or value != int(value)
            or not 0 <= value <= MAX_TOLERANCE):
        raise InvalidInput(_("config.boundary_tolerance must be a whole number of characters "
                             "from 0 to %(most)s") % {"most": MAX_TOLERANCE})
    return int(value)


def config(value: Any, default_pass_score: float) -> dict[str, Any]:
    """A project's settings, normalised: labels, colours, nested, tolerances."""
    if not isinstance(value, dict):
        raise InvalidInput(_("config must be an object"))
    labels = shapes.names(value.get("labels"), "labels")
    nested = value.get("nested", False)
    if not isinstance(nested, bool):
        raise InvalidInput(_("config.nested must be true or false"))
    return {
        "labels": labels,
        "colors": shapes.colors(value, labels),
        "nested": nested,
        "boundary_tolerance": tolerance(value),
        "min_agreement": shapes.fraction(value, "min_agreement", 0.5),
        "pass_score": shapes.fraction(value, "pass_score", default_pass_score),
    }


def item(data: Any) -> dict[str, Any]:
    """An item: ``{"text": "..."}`` (other keys are kept), at most ``MAX_TEXT`` characters."""
    if not isinstance(data, dict):
        raise ItemError(_("item must be a JSON object"))
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ItemError(_('item needs a non-empty "text" field'))
    if len(text) > MAX_TEXT:
        raise ItemError(_("text is longer than %(max_text)s characters") % {"max_text": MAX_TEXT})
    if "\x00" in text or SURROGATE.search(text):
        raise ItemError(_("text holds a NUL character or a lone surrogate; send valid text"))
    return data


def _offset(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _one(raw: Any, n: int, labels: list[str], text: str | None) -> Span:
    """Span number ``n`` (1-based, as sent) checked against the text; whitespace trimmed."""
    what = _("span %(n)s") % {"n": n}
    if not isinstance(raw, dict) or set(raw) - {"start", "end", "label"}:
        raise InvalidInput(_('%(what)s must be {"start": ..., "end": ..., "label": ...}')
                           % {"what": what})
    start, end = _offset(raw.get("start")), _offset(raw.get("end"))
    if start is None or end is None:
        raise InvalidInput(_("%(what)s: start and end must be whole numbers (character "
                             "offsets into the text)") % {"what": what})
    label = shapes.label_of(raw, labels, what)
    if start < 0:
        raise InvalidInput(_("%(what)s: start must be 0 or more, got %(start)s")
                           % {"what": what, "start": start})
    if start >= end:
        raise InvalidInput(_("%(what)s: start must be less than end (got start %(start)s, "
                             "end %(end)s)") % {"what": what, "start": start, "end": end})
    if text is None:
        return Span(start, end, label)
    if end > len(text):
        raise InvalidInput(_("%(what)s ends at %(end)s, after the end of the text "
                             "(%(length)s characters)")
                           % {"what": what, "end": end, "length": len(text)})
    if not text[start:end].strip():
        raise InvalidInput(_("%(what)s (characters %(start)s–%(end)s) covers only whitespace")
                           % {"what": what, "start": start, "end": end})
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return Span(start, end, label)


def _clash(ordered: Sequence[tuple[Span, int]], nested: bool) -> None:
    """Refuse repeated spans, and overlapping ones (nested: crossing ones)."""
    seen: dict[Span, int] = {}
    open_: list[tuple[Span, int]] = []  # spans holding the current position, outermost first
    for span, n in ordered:
        if span in seen:
            raise InvalidInput(_("span %(n)s repeats span %(m)s") % {"n": n, "m": seen[span]})
        seen[span] = n
        while open_ and open_[-1][0].end <= span.start:
            open_.pop()
        if open_:
            other, m = open_[-1]
            a, b = sorted((n, m))
            where = {"a": a, "b": b, "start": span.start, "end": min(span.end, other.end)}
            if not nested:
                raise InvalidInput(_("span %(a)s and span %(b)s overlap (characters "
                                     "%(start)s–%(end)s); this project does not allow nested "
                                     "spans") % where)
            if other.end < span.end:
                raise InvalidInput(_("span %(a)s and span %(b)s cross (characters "
                                     "%(start)s–%(end)s): nested spans must lie wholly inside "
                                     "one another") % where)
        open_.append((span, n))


def answer(value: Any, cfg: dict[str, Any], data: dict[str, Any] | None) -> dict[str, Any]:
    """An answer checked against the item's text (when given) and normalised."""
    if not isinstance(value, dict) or set(value) != {"spans"} or not isinstance(
            value["spans"], list):
        raise InvalidInput(_("answer must be %(example)s") % {"example": EXAMPLE})
    if len(value["spans"]) > MAX_SPANS:
        raise InvalidInput(_("at most %(most)s spans in one answer") % {"most": MAX_SPANS})
    text = data.get("text") if isinstance(data, dict) else None
    text = text if isinstance(text, str) else None
    spans = [(_one(raw, n, cfg["labels"], text), n) for n, raw in enumerate(value["spans"], 1)]
    spans.sort(key=lambda sn: sort_key(sn[0]))
    _clash(spans, bool(cfg.get("nested")))
    return {"spans": [{"start": s.start, "end": s.end, "label": s.label} for s, _n in spans]}
