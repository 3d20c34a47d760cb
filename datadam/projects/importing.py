"""Streaming item import: JSONL or CSV, validated line by line, inserted in bulk.

The whole file is one transaction: if any line is bad nothing is imported and the report
lists the bad lines. Memory stays flat: lines are read, checked and written in chunks.
PostgreSQL receives rows through COPY; SQLite through one prepared executemany per chunk.

A parsed line is (number, data, external id, error) or, for a gold item, the same with its
known answer as a fifth element. Gold items are stored with no open slots (they are served
by the quality app, never by the ordinary pick) and do not count in ``items_count``.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import Conflict, DomainError, InvalidInput
from datadam.kinds import get_kind
from datadam.kinds.base import ItemError

from .models import Project, ProjectStatus
from .services import project_for_manager, project_fund_items

FORMATS = ("jsonl", "csv")
MAX_EXTERNAL_ID = 200


@dataclass
class ImportReport:
    imported: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < settings.DATADAM["IMPORT_REPORT_LIMIT"]:
            self.errors.append({"line": line, "error": message})

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class _Rejected(Exception):
    """Raised inside the import transaction to roll it back when any line was bad."""


Line = tuple[Any, ...]  # (number, data, external_id, error[, gold])


def _line(number: int, obj: Any) -> Line:
    """An item line is {"data": {...}, "external_id": ..., "gold": {...}} or the data itself."""
    if isinstance(obj, dict) and "data" in obj:
        ext = obj.get("external_id", "")
        ext = "" if ext is None else str(ext)
        if obj.get("gold") is not None:
            return number, obj["data"], ext, None, obj["gold"]
        return number, obj["data"], ext, None
    return number, obj, "", None


def parse_jsonl(stream: IO[bytes]) -> Iterator[Line]:
    """Yield (line number, data, external id, error) for each non-blank line."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            yield number, None, "", _("not valid JSON: %(error)s") % {"error": exc}
            continue
        yield _line(number, obj)


def _text_lines(stream: IO[bytes], bad: list[int]) -> Iterator[str]:
    """Decode a binary stream line by line (a line ends at LF, CRLF or CR, as in CSV).

    A line that is not UTF-8 is noted in ``bad`` by its number and decoded with replacement
    characters, so parsing goes on and the report can name every such line.
    """
    number = 0
    for chunk in stream:
        for raw in chunk.splitlines(keepends=True):
            number += 1
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(number)
                yield raw.decode("utf-8", errors="replace")


def parse_csv(stream: IO[bytes]) -> Iterator[Line]:
    """CSV with a header row; every column becomes a data field except ``external_id`` and
    ``gold`` (a gold item's known answer as JSON text, empty for an ordinary item)."""
    bad: list[int] = []
    reader = csv.DictReader(_text_lines(stream, bad))
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        yield 1, None, "", _("unreadable CSV: %(error)s") % {"error": exc}
        return
    if bad:
        yield bad[0], None, "", _("file is not UTF-8 text")
        return
    if not header:
        yield 1, None, "", _("CSV file has no header row")
        return
    if len(set(header)) != len(header):
        yield 1, None, "", _("CSV header has repeated column names")
        return
    width = len(header)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, None, "", _("unreadable CSV: %(error)s") % {"error": exc}
            return
        if bad:  # the lines of this row that were not UTF-8
            for number in bad:
                yield number, None, "", _("line is not UTF-8 text")
            bad.clear()
            continue
        if None in row or len(row) != width or any(v is None for v in row.values()):
            yield reader.line_num, None, "", _("expected %(n)s columns") % {"n": width}
            continue
        ext = row.pop("external_id", "") or ""
        gold = (row.pop("gold", "") or "").strip()
        if not gold:
            yield reader.line_num, row, ext, None
            continue
        try:
            yield reader.line_num, row, ext, None, orjson.loads(gold)
        except orjson.JSONDecodeError:
            yield reader.line_num, None, "", _("gold is not valid JSON")


def parse_records(records: Iterable[Any]) -> Iterator[Line]:
    """Items given as a JSON array in an API request; 'line' is the 1-based position."""
    for number, obj in enumerate(records, start=1):
        yield _line(number, obj)


# A NUL character in the JSON text: "\u0000" after an even number of backslashes.
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def _storable_json(data: Any, ext: str) -> str:
    """The item's JSON text, or ItemError when a database could not store it."""
    try:
        text = orjson.dumps(data).decode()
    except TypeError as exc:  # e.g. an integer beyond 64 bits
        raise ItemError(_("item cannot be stored: %(exc)s") % {"exc": exc}) from None
    if "\x00" in ext or ("\\u0000" in text and _NUL_ESCAPE.search(text)):
        raise ItemError(_("item holds a NUL character, which cannot be stored"))
    return text


def _gold_json(kind: Any, gold: Any, project: Project) -> str:
    """A gold item's known answer, checked like a worker's answer, as JSON text."""
    try:
        clean = kind.validate_answer(gold, project.config)
    except DomainError as exc:
        raise ItemError(_("gold: %(error)s") % {"error": exc.message}) from None
    return _storable_json(clean, "")


class _Writer:
    """Bulk insert of item rows, the fastest way each database offers."""

    def __init__(self, project: Project) -> None:
        self.project_id = project.pk
        self.slots = project.initial_slots
        self.vendor = connection.vendor

    def write(self, rows: list[tuple[str, str, str | None]]) -> None:
        """Rows are (external id, data JSON, gold JSON or None); gold rows get no slots."""
        if not rows:
            return
        values = [
            (self.project_id, ext, data, self.slots if gold is None else 0, gold)
            for ext, data, gold in rows
        ]
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                sql = (
                    "COPY projects_item (project_id, external_id, data, slots_open, gold) "
                    "FROM STDIN"
                )
                with cursor.cursor.copy(sql) as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    "INSERT INTO projects_item (project_id, external_id, data, slots_open, gold) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    values,
                )


def items_import(
    *,
    user: Any,
    project_id: int,
    lines: Iterable[Line],
) -> ImportReport:
    """Import parsed lines into a project: all of them, or none if any line is bad.

    Into an open or paused project the new items' budget moves to escrow in the same
    transaction; if the organization cannot pay, nothing is imported.
    """
    chunk = settings.DATADAM["IMPORT_CHUNK"]
    report = ImportReport()
    try:
        with transaction.atomic():
            project = project_for_manager(user=user, project_id=project_id, lock=True)
            if project.status == ProjectStatus.CLOSED:
                raise Conflict(_("cannot import into a closed project"))
            kind = get_kind(project.kind)
            writer = _Writer(project)
            rows: list[tuple[str, str, str | None]] = []
            count = golds = 0
            for number, data, ext, error, *rest in lines:
                gold = rest[0] if rest else None
                if error is None:
                    try:
                        data = kind.validate_item(data)
                        if len(ext) > MAX_EXTERNAL_ID:
                            raise ItemError(
                                _("external_id longer than %(max_external_id)s")
                                % {"max_external_id": MAX_EXTERNAL_ID}
                            )
                        text = _storable_json(data, ext)
                        gold_text = None if gold is None else _gold_json(kind, gold, project)
                    except ItemError as exc:
                        error = str(exc)
                if error is not None:
                    report.add_error(number, error)
                    continue
                if gold is None:
                    count += 1
                else:
                    golds += 1
                if report.error_count:
                    continue  # keep reading to report every bad line, but write nothing
                rows.append((ext, text, gold_text))
                if len(rows) >= chunk:
                    writer.write(rows)
                    rows.clear()
            if report.error_count:
                raise _Rejected
            if count + golds == 0:
                raise InvalidInput(_("the file holds no items"))
            writer.write(rows)
            Project.objects.filter(pk=project.pk).update(items_count=F("items_count") + count)
            project.items_count += count
            if project.status in (ProjectStatus.OPEN, ProjectStatus.PAUSED):
                project_fund_items(user=user, project=project)
            report.imported = count + golds
            audit_record(
                actor=user,
                action="items.import",
                target=project,
                project_id=project.pk,
                organization_id=project.organization_id,
                data={"imported": count, "gold": golds},
            )
    except _Rejected:
        report.imported = 0
    return report


def items_import_file(*, user: Any, project_id: int, stream: IO[bytes], fmt: str) -> ImportReport:
    """Import an uploaded file (binary stream) in JSONL or CSV."""
    if fmt not in FORMATS:
        raise InvalidInput(_("format must be one of %(value)s") % {"value": ', '.join(FORMATS)})
    parser = parse_jsonl if fmt == "jsonl" else parse_csv
    return items_import(user=user, project_id=project_id, lines=parser(stream))


def guess_format(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    raise InvalidInput(_("cannot tell the file format from its name; use .jsonl or .csv"))
