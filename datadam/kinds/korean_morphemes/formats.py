"""The Sejong-style TSV export of the Korean morpheme kind, and a reader for it (plain
Python, no Django). See docs/kinds/korean_morphemes.md.

One block per item, blocks separated by a blank line; in each, ``#`` comment lines and then
one line per eojeol (CoNLL-U-like), four tab-separated columns::

    # item_id = 12
    # external_id = s-0001
    # text = 한국어 문장을 형태소로 나눕니다.
    # confidence = 0.9375
    1	한국어	한국어/NNP	0:3
    2	문장을	문장/NNG+을/JKO	4:6+6:7
    3	형태소로	형태소/NNG+로/JKB	8:11+11:12
    4	나눕니다.	나누/VV+ㅂ니다/EF+./SF	13:17+13:17+17:18

ID (the eojeol's number from 1), the eojeol as written, its morphemes as the Sejong corpus
writes them (``form/TAG`` joined by ``+``), and each morpheme's span in the item's text
(``start:end``, code points, joined by ``+`` in the same order), so the file reads back to
the exact tokens. Morphemes sharing a span (a contraction) repeat it. ``# text`` has each
whitespace character written as a space (offsets stay the same). An item without a result
has ``# result = none`` and no eojeol lines. Gold items are never exported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from datadam.kinds.exporting import ExportContext, ExportFormat, Record, gettext_noop

from .tags import TAG_SET
from .tokens import by_eojeol

FLUSH = 256 << 10


def _one_line(text: str) -> str:
    return "".join(" " if ch.isspace() else ch for ch in text)


def block(record: Record) -> str:
    """One item's block, with its trailing blank line."""
    data = record.get("data") if isinstance(record.get("data"), dict) else {}
    text = data.get("text", "") if isinstance(data.get("text"), str) else ""
    lines = [f"# item_id = {record.get('item_id')}"]
    if record.get("external_id"):
        lines.append(f"# external_id = {_one_line(str(record['external_id']))}")
    lines.append(f"# text = {_one_line(text)}")
    result = record.get("result")
    tokens = result.get("tokens") if isinstance(result, dict) else None
    if not isinstance(tokens, list):
        lines.append("# result = none")
    else:
        if result.get("confidence") is not None:
            lines.append(f"# confidence = {result['confidence']}")
        n = 0
        for start, end, mine in by_eojeol(tokens, text):
            if not mine:
                continue
            n += 1
            morphs = "+".join(f"{t['form']}/{t['tag']}" for t in mine)
            spans = "+".join(f"{t['start']}:{t['end']}" for t in mine)
            lines.append(f"{n}\t{text[start:end]}\t{morphs}\t{spans}")
    return "\n".join(lines) + "\n\n"


def write_tsv(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """The export's bytes, in pieces of about ``FLUSH`` bytes."""
    out: list[bytes] = []
    size = 0
    for record in records:
        part = block(record).encode()
        out.append(part)
        size += len(part)
        if size >= FLUSH:
            yield b"".join(out)
            out.clear()
            size = 0
    if out:
        yield b"".join(out)


SEJONG = ExportFormat(
    slug="sejong", title="Sejong TSV (an eojeol a line: form/TAG+form/TAG)",
    extension="tsv", content_type="text/tab-separated-values; charset=utf-8",
    write=write_tsv,
    description=gettext_noop("One eojeol a line with its morphemes as form/TAG, as in the "
                             "Sejong corpus."))
EXPORTERS = (SEJONG,)


@lru_cache(maxsize=64)
def _morphs_pattern(n: int) -> re.Pattern[str]:
    """``form/TAG`` n times joined by ``+``: the known tags tell where a form ends, so a form
    may itself hold ``+`` or ``/`` (``+/SW``, ``1/2/SN``)."""
    tags = "|".join(sorted((re.escape(t) for t in TAG_SET), key=len, reverse=True))
    one = rf"(.+?)/({tags})"
    return re.compile("^" + r"\+".join([one] * n) + "$")


def read_tsv(text: str) -> list[dict[str, Any]]:
    """The blocks of an export read back: ``{"item_id", "external_id", "text",
    "confidence", "tokens"}`` (``tokens`` None for ``# result = none``)."""
    items: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in text.split("\n"):
        if not line:
            current = None
            continue
        if current is None:
            current = {"item_id": None, "external_id": "", "text": "", "confidence": None,
                       "tokens": []}
            items.append(current)
        if line.startswith("# "):
            name, _sep, value = line[2:].partition(" = ")
            if name == "item_id":
                current["item_id"] = int(value)
            elif name == "confidence":
                current["confidence"] = float(value)
            elif name == "result" and value == "none":
                current["tokens"] = None
            elif name in ("external_id", "text"):
                current[name] = value
            continue
        _n, _word, morphs, spans = line.split("\t")
        offsets = [tuple(int(v) for v in s.split(":")) for s in spans.split("+")]
        match = _morphs_pattern(len(offsets)).match(morphs)
        if match is None:
            raise ValueError(f"cannot read the morphemes {morphs!r}")
        parts = match.groups()
        for k, (start, end) in enumerate(offsets):
            current["tokens"].append({"start": start, "end": end, "form": parts[2 * k],
                                      "tag": parts[2 * k + 1]})
    return items
