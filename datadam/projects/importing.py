"""Streaming item import: JSONL, CSV or a JSON array, validated line by line, inserted in bulk.

The whole file is one transaction: if any line is bad nothing is imported and the report
lists the bad lines, each by the file's own line number. Memory stays flat: lines are read
(``parsing``), checked and written in chunks. PostgreSQL receives rows through COPY; SQLite
through one prepared executemany per chunk.

Gold items are stored with no open slots (they are served by the quality app, never by the
ordinary pick) and do not count in ``items_count``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
from .parsing import (
    FORMATS,
    Line,
    parse_csv,
    parse_json_array,
    parse_jsonl,
    parse_records,
)
from .services import project_for_manager, project_fund_items

__all__ = [
    "FORMATS",
    "ImportReport",
    "Line",
    "guess_format",
    "items_import",
    "items_import_file",
    "parse_csv",
    "parse_json_array",
    "parse_jsonl",
    "parse_records",
]
MAX_EXTERNAL_ID = 200


@dataclass
class ImportReport:
    """What an import did. Each error: ``line`` (the file's line, or an item's position in
    a list), ``error`` (what is wrong) and ``message`` (both, as a sentence to show)."""

    imported: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    numbered: str = "line"  # "item" when the items came as a list, numbered by position

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < settings.DATADAM["IMPORT_REPORT_LIMIT"]:
            where = _("Item %(n)s: %(error)s") if self.numbered == "item" else _(
                "Line %(n)s: %(error)s"
            )
            self.errors.append(
                {"line": line, "error": message, "message": where % {"n": line, "error": message}}
            )

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class _Rejected(Exception):
    """Raised inside the import transaction to roll it back when any line was bad."""


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


def _gold_json(kind: Any, gold: Any, project: Project, data: dict[str, Any]) -> str:
    """A gold item's known answer, checked like a worker's answer, as JSON text."""
    try:
        clean = kind.validate_answer(gold, project.config, data)
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
    numbered: str = "line",
) -> ImportReport:
    """Import parsed lines into a project: all of them, or none if any line is bad.

    Into an open or paused project the new items' budget moves to escrow in the same
    transaction; if the organization cannot pay, nothing is imported. ``numbered``: "item"
    when the lines are a list's items (``parse_records``), so the report says "Item 3".
    """
    chunk = settings.DATADAM["IMPORT_CHUNK"]
    report = ImportReport(numbered=numbered)
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
                        gold_text = None if gold is None else _gold_json(kind, gold, project, data)
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
    """Import an uploaded file (binary stream) in JSONL, CSV or JSON (an array of items)."""
    if fmt not in FORMATS:
        raise InvalidInput(_("format must be one of %(value)s") % {"value": ', '.join(FORMATS)})
    parser = {"jsonl": parse_jsonl, "csv": parse_csv, "json": parse_json_array}[fmt]
    return items_import(user=user, project_id=project_id, lines=parser(stream))


def guess_format(filename: str) -> str:
    """The format a file's name says; a .json file may hold an array or JSON Lines."""
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    raise InvalidInput(
        _("cannot tell the file format from its name; use .jsonl, .json or .csv")
    )
