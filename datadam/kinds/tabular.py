"""The export formats every kind has: JSON Lines and CSV (plain Python and orjson; no Django).

**JSONL** (``JSONL``): one record a line, as ``datadam.datasets.export`` reads them:
``{"item_id", "external_id", "data", "result", "answers"}`` (``answers`` empty unless the
individual answers were asked for).

**CSV** (``CSV``), UTF-8, a header row, ``,`` between fields, JSON in the cells that hold
structures. One row per item::

    item_id, external_id, image, data, label, result, confidence, answers, provisional, method

``image`` is the item's image reference (empty for text items), ``data`` the item's data as
JSON, ``label`` a summary (the label; the labels joined by ", "; shapes counted, ``car×2,
person``; OCR texts joined by " / "), ``result`` the kind's result as JSON (its
``confidence``, ``answers``, ``provisional`` and ``method`` have columns of their own; all
empty for an item without a result).

With the individual answers the layout is long: **one row per item per answer** (every
revision; ``latest`` tells the counted one), the item's columns repeated, then::

    answer_id, worker_id, revision, latest, assignment_status, answer, duration_ms,
    submitted_at, review_decision, review_reason_code, review_comment, reviewer_id,
    review_automatic

An item nobody answered yet has one row with these empty. A reviewer's comment that starts
with ``=``, ``+``, ``-``, ``@`` or a tab is prefixed with ``'`` (so a spreadsheet shows it
rather than running it as a formula); nothing else is altered.

With media included, either format becomes a zip: ``data.jsonl`` or ``data.csv`` and
``images/`` (our own image files), each record or row naming its file in the archive
(``"file"`` / a ``file`` column; empty where the image is not ours).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from .archive import FLUSH_AT, Media, ZipStream
from .exporting import ExportContext, ExportFormat, Record

FLUSH = 256 << 10
RESULT_META = ("confidence", "answers", "provisional", "method")
ITEM_COLUMNS = ("item_id", "external_id", "image", "data", "label", "result", "confidence",
                "answers", "provisional", "method")
ANSWER_COLUMNS = ("answer_id", "worker_id", "revision", "latest", "assignment_status",
                  "answer", "duration_ms", "submitted_at", "review_decision",
                  "review_reason_code", "review_comment", "reviewer_id", "review_automatic")


def _reference(record: Record) -> str:
    data = record.get("data")
    image = data.get("image") if isinstance(data, dict) else None
    return image if isinstance(image, str) else ""


Encoder = Callable[[Record], bytes]


def _stream(head: bytes, encode: Encoder, records: Iterable[Record]) -> Iterator[bytes]:
    """``head``, then each record encoded, in pieces of about ``FLUSH`` bytes."""
    out: list[bytes] = [head]
    size = len(head)
    for record in records:
        part = encode(record)
        out.append(part)
        size += len(part)
        if size >= FLUSH:
            yield b"".join(out)
            out.clear()
            size = 0
    if out:
        yield b"".join(out)


def _bundled(ctx: ExportContext, records: Iterable[Record], name: str, head: bytes,
             encode: Encoder) -> Iterator[bytes]:
    """A zip of our images and the data file ``name``: images are copied as the records
    pass, the data file (spooled meanwhile: memory up to 8 MiB, then disk) is added last."""
    zs = ZipStream()
    media = Media(ctx.open_media, include=True)
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)
    spool.write(head)
    for record in records:
        reference = _reference(record)
        path, copied = "", False
        if reference:
            _stem, path, copied = yield from media.copy(zs, reference, record["item_id"])
        spool.write(encode({**record, "file": path if copied else ""}))
        if zs.pending >= FLUSH_AT:
            yield zs.drain()
    spool.seek(0)
    yield from zs.copy(name, spool, compress=True, large=True)
    yield zs.close()


# --- JSONL ------------------------------------------------------------------------------------
def _jsonl_line(record: Record) -> bytes:
    return orjson.dumps(record) + b"\n"


def write_jsonl(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """One record a line (a zip with ``images/`` when media are included)."""
    if ctx.options.media == "include":
        return _bundled(ctx, records, "data.jsonl", b"", _jsonl_line)
    return _stream(b"", _jsonl_line, records)


# --- CSV --------------------------------------------------------------------------------------
def summary(result: dict[str, Any] | None,
            summarise: Callable[[dict[str, Any]], str] | None = None) -> str:
    """A short text for a result (the CSV's ``label``): the kind's own summary when the
    context gives it, else the label or labels of a classification result."""
    if not isinstance(result, dict):
        return ""
    if summarise is not None:
        try:
            return str(summarise(result))
        except (KeyError, TypeError, ValueError, AttributeError):
            return ""  # a result the kind cannot read: no label rather than no export
    if isinstance(result.get("label"), str):
        return result["label"]
    if isinstance(result.get("labels"), list):
        return ", ".join(str(v) for v in result["labels"])
    return ""


def _json(value: Any) -> str:
    return "" if value is None else orjson.dumps(value).decode()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _defused(text: Any) -> str:
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _item_row(record: Record, summarise: Callable[[dict[str, Any]], str] | None
              ) -> list[Any]:
    result = record.get("result")
    meta = result if isinstance(result, dict) else {}
    own = {k: v for k, v in meta.items() if k not in RESULT_META} if result is not None else None
    return [record["item_id"], record.get("external_id", ""), _reference(record),
            _json(record.get("data")), summary(result, summarise), _json(own),
            _cell(meta.get("confidence")), _cell(meta.get("answers")),
            _cell(meta.get("provisional")), _cell(meta.get("method"))]


def _answer_row(answer: dict[str, Any] | None) -> list[Any]:
    if answer is None:
        return [""] * len(ANSWER_COLUMNS)
    review = answer.get("review") if isinstance(answer.get("review"), dict) else {}
    return [_cell(answer.get("answer_id")), _cell(answer.get("worker_id")),
            _cell(answer.get("revision")), _cell(answer.get("latest")),
            _cell(answer.get("assignment_status")), _json(answer.get("answer")),
            _cell(answer.get("duration_ms")), _cell(answer.get("submitted_at")),
            _cell(review.get("decision")), _cell(review.get("reason_code")),
            _defused(review.get("comment")), _cell(review.get("reviewer_id")),
            _cell(review.get("automatic"))]


class _CsvRows:
    """Encodes a record as its CSV row(s)."""

    def __init__(self, with_answers: bool, with_file: bool,
                 summarise: Callable[[dict[str, Any]], str] | None = None) -> None:
        self.with_answers, self.with_file = with_answers, with_file
        self.summarise = summarise
        self.buffer = io.StringIO()
        self.out = csv.writer(self.buffer, lineterminator="\n")
        header = list(ITEM_COLUMNS) + (["file"] if with_file else [])
        self.head = self._take([header + (list(ANSWER_COLUMNS) if with_answers else [])])

    def _take(self, rows: Iterable[list[Any]]) -> bytes:
        self.out.writerows(rows)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.encode("utf-8")

    def __call__(self, record: Record) -> bytes:
        row = _item_row(record, self.summarise) + (
            [record.get("file", "")] if self.with_file else [])
        if not self.with_answers:
            return self._take([row])
        return self._take([row + _answer_row(a) for a in record.get("answers") or [None]])


def write_csv(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """The CSV (a zip with ``images/`` when media are included)."""
    include = ctx.options.media == "include"
    rows = _CsvRows(ctx.options.answers, include, ctx.summarise)
    if include:
        return _bundled(ctx, records, "data.csv", rows.head, rows)
    return _stream(rows.head, rows, records)


JSONL = ExportFormat(
    slug="jsonl",
    title="JSON Lines",
    extension="jsonl",
    content_type="application/x-ndjson",
    write=write_jsonl,
)
CSV = ExportFormat(
    slug="csv",
    title="CSV",
    extension="csv",
    content_type="text/csv; charset=utf-8",
    write=write_csv,
)
#: The formats of every kind, before the kind's own (``TaskKind.exporters``).
COMMON = (JSONL, CSV)


def served_as(fmt: ExportFormat, media: str) -> tuple[str, str]:
    """(extension, content type) of the file a format writes with these media: a format
    that is not an archive becomes a zip when media are included."""
    if media == "include" and fmt.extension != "zip":
        return "zip", "application/zip"
    return fmt.extension, fmt.content_type
