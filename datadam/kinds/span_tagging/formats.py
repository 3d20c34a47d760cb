"""Export formats of span tagging besides JSONL and CSV: CoNLL-2003 and spaCy JSONL.

Plain Python, no Django. Both write each item's **result** (the voted spans), in item-id
order; an item without a result (no counted answer) is left out of both (the JSONL and CSV
exports list it with ``result`` null). Asked to include media, either file comes in a zip
(``data.conll`` / ``data.jsonl``), as the export is then served as one.

**CoNLL-2003** (``conll``, ``.conll``): for each item, ``-DOCSTART- -X- O O`` (the form
spaCy's CoNLL converter splits documents on; readers that look for a line starting with
``-DOCSTART-`` take it too), a blank line, then one token a line, ``token _ _ TAG`` (four
columns as in CoNLL-2003, the part of speech and chunk columns ``_``), then a blank line:
the whole text is one sentence block. Tokens are the text's maximal runs of non-whitespace
(``str.split()``: whitespace as ``str.isspace`` sees it), found over code-point offsets.
Tags are IOB2: ``B-LABEL`` on a span's first token, ``I-LABEL`` on the next ones, ``O``
elsewhere. A token takes the span that covers most of its characters (ties: the earlier
span); a span that covers part of a token tags the whole token ("Seoul" in "Seoul," tags
the token "Seoul,"). CoNLL cannot nest: with nested spans only the outermost ones are
written. The reverse (tokens back to character offsets) is exact only for spans that begin
and end at whitespace.

**spaCy JSONL** (``spacy``, ``.jsonl``): one line per item, ``{"text": ..., "spans":
[[start, end, label], ...], "meta": {"item_id", "external_id", "confidence"}}``, offsets in
code points, which are spaCy's character offsets (Python ``str`` indices):
``doc.char_span(start, end, label=label)`` gives each span back (None where a span does
not begin and end on spaCy's token boundaries). With nested spans every span is listed
(``doc.spans``); ``doc.ents`` can hold only the outermost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from datadam.kinds.archive import ChainReader, ZipStream
from datadam.kinds.exporting import ExportContext, ExportFormat, Record, gettext_noop

from .vote import Span, sort_key

FLUSH = 256 << 10
DOCSTART = "-DOCSTART- -X- O O\n\n"
_TOKEN = re.compile(r"\S+")  # \S in Python's re is "not str.isspace" for str patterns


def _chunks(parts: Iterable[bytes]) -> Iterator[bytes]:
    """Parts joined into pieces of about ``FLUSH`` bytes."""
    out: list[bytes] = []
    size = 0
    for part in parts:
        out.append(part)
        size += len(part)
        if size >= FLUSH:
            yield b"".join(out)
            out.clear()
            size = 0
    if out:
        yield b"".join(out)


def _served(ctx: ExportContext, name: str, parts: Iterable[bytes]) -> Iterator[bytes]:
    """The file's bytes; a zip holding it as ``name`` when media were asked to be included
    (the export is then served as a zip; text items have no media to add)."""
    if ctx.options.media != "include":
        return _chunks(parts)
    return _zipped(name, parts)


def _zipped(name: str, parts: Iterable[bytes]) -> Iterator[bytes]:
    zs = ZipStream()
    yield from zs.copy(name, ChainReader(_chunks(parts)), compress=True, large=True)
    yield zs.close()


def _usable(record: Record) -> tuple[str, list[Span]] | None:
    """The item's text and its result's spans (in text order); None without a result."""
    data, result = record.get("data"), record.get("result")
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not isinstance(result, dict):
        return None
    spans = [Span(int(s["start"]), int(s["end"]), str(s["label"]))
             for s in result.get("spans") or [] if isinstance(s, dict)]
    return text, sorted(spans, key=sort_key)


def outermost(spans: list[Span]) -> list[Span]:
    """The spans no other span holds (for flat formats); ``spans`` in text order."""
    out: list[Span] = []
    for s in spans:
        if out and s.start < out[-1].end:
            continue  # inside (or, never in valid data, crossing) the last outer span
        out.append(s)
    return out


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Whitespace tokens ``(start, end, token)`` in code-point offsets."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def bio_tags(text: str, spans: list[Span]) -> list[tuple[str, str]]:
    """``(token, IOB2 tag)`` for each whitespace token of ``text``."""
    flat = outermost(spans)
    out: list[tuple[str, str]] = []
    k = 0
    last: Span | None = None
    for start, end, token in tokens(text):
        while k < len(flat) and flat[k].end <= start:
            k += 1
        best, most = None, 0
        for s in flat[k:]:
            if s.start >= end:
                break
            covered = min(end, s.end) - max(start, s.start)
            if covered > most:
                best, most = s, covered
        if best is None:
            out.append((token, "O"))
        else:
            out.append((token, ("I-" if best == last else "B-") + best.label))
        last = best
    return out


def _conll_doc(record: Record) -> bytes:
    usable = _usable(record)
    if usable is None:
        return b""
    text, spans = usable
    lines = [DOCSTART]
    lines += [f"{token} _ _ {tag}\n" for token, tag in bio_tags(text, spans)]
    lines.append("\n")
    return "".join(lines).encode("utf-8")


def write_conll(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """The CoNLL-2003 file (see the module)."""
    return _served(ctx, "data.conll", (_conll_doc(r) for r in records))


def _spacy_line(record: Record) -> bytes:
    usable = _usable(record)
    if usable is None:
        return b""
    text, spans = usable
    result: dict[str, Any] = record["result"]
    return orjson.dumps({
        "text": text,
        "spans": [[s.start, s.end, s.label] for s in spans],
        "meta": {"item_id": record.get("item_id"), "external_id": record.get("external_id", ""),
                 "confidence": result.get("confidence")},
    }) + b"\n"


def write_spacy(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """spaCy-compatible JSON Lines (see the module)."""
    return _served(ctx, "data.jsonl", (_spacy_line(r) for r in records))


CONLL = ExportFormat(slug="conll", title="CoNLL-2003 (IOB2)", extension="conll",
                     content_type="text/plain; charset=utf-8", write=write_conll,
                     description=gettext_noop("One token a line with its IOB2 tag, as NER "
                                              "training scripts read it."))
SPACY = ExportFormat(slug="spacy", title="spaCy JSONL", extension="jsonl",
                     content_type="application/x-ndjson", write=write_spacy,
                     description=gettext_noop("Each text with its spans as character offsets, "
                                              "ready for spaCy's Doc.char_span and DocBin."))
EXPORTERS = (CONLL, SPACY)
