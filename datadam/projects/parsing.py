"""Reading an items file: JSONL, CSV or a JSON array, one parsed line at a time.

A parsed line is (number, data, external id, error) or, for a gold item, the same with its
known answer as a fifth element. ``number`` is the file's own line (where the item starts),
or for items given as a list in an API request their 1-based position. Errors are worded
for the person who fixes the file: what is wrong on the line and where in it, never the
JSON parser's own "line 1 column 5", which counts within the text it was given.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

FORMATS = ("jsonl", "csv", "json")
Line = tuple[Any, ...]  # (number, data, external_id, error[, gold])

# What went wrong in a JSON text, by words in the parser's message (orjson's or Python's):
# (words, problem, whether a character position helps).
_JSON_PROBLEMS: list[tuple[tuple[str, ...], str, bool]] = [
    (("utf-8",), gettext_noop("the line is not UTF-8 text"), False),
    (("end of data", "unterminated"), gettext_noop("the line ends before the value is complete"),
     False),
    (("after document", "extra data"), gettext_noop("unexpected character after the value"),
     True),
    (("trailing comma",), gettext_noop("a comma before a closing bracket"), True),
    (("control character",), gettext_noop("a tab or other control character inside a string"),
     True),
    (("string key", "property name"), gettext_noop("a key not in double quotes"), True),
    (("escape", "surrogate"), gettext_noop("a backslash escape that JSON does not have"), True),
    (("literal",), gettext_noop("a misspelled true, false or null"), True),
    (("number", "digit", "nan", "infinity"), gettext_noop("a number JSON cannot read"), True),
    (("delimiter", "expected ','", "expected ':'"), gettext_noop("a missing comma or colon"),
     True),
    (("value",), gettext_noop("a value is missing or is not JSON"), True),
]


def json_problem(message: str, column: int | None) -> str:
    """A JSON parser's complaint as a person reads it; ``column``: where on the line (from 1)."""
    lowered = message.lower()
    problem, where = gettext_noop("unexpected character"), True
    for words, text, positional in _JSON_PROBLEMS:
        if any(word in lowered for word in words):
            problem, where = text, positional
            break
    if where and column is not None:
        return _("this line is not valid JSON (%(problem)s, at character %(at)s)") % {
            "problem": _(problem), "at": column,
        }
    return _("this line is not valid JSON (%(problem)s)") % {"problem": _(problem)}


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
            # Without its line ending: a string left open ends with the line, not at "\n".
            obj = orjson.loads(raw.rstrip(b"\r\n"))
        except orjson.JSONDecodeError as exc:
            yield number, None, "", json_problem(exc.msg, exc.colno)
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


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if text.startswith("field larger than field limit"):
        return _("a value on this line is longer than %(n)s characters") % {
            "n": f"{csv.field_size_limit():,}"
        }
    return _("this line is not readable CSV (%(error)s)") % {"error": text}


def _width_problem(found: int, width: int, start: int, end: int) -> str:
    problem = ngettext(
        "this line has %(found)s value, but the header names %(n)s columns",
        "this line has %(found)s values, but the header names %(n)s columns",
        found,
    ) % {"found": found, "n": width}
    if end > start:  # a quoted value ran on over the next lines
        problem = _(
            "%(problem)s; its quoted value runs on to line %(end)s: is a closing quote missing?"
        ) % {"problem": problem, "end": end}
    return problem


def parse_csv(stream: IO[bytes]) -> Iterator[Line]:
    """CSV with a header row; every column becomes a data field except ``external_id`` and
    ``gold`` (a gold item's known answer as JSON text, empty for an ordinary item). A row is
    numbered by the line it starts on (a quoted value may span lines)."""
    bad: list[int] = []
    reader = csv.reader(_text_lines(stream, bad))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield 1, None, "", _csv_problem(exc)
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
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, None, "", _csv_problem(exc)
            return
        if bad:  # the lines of this row that were not UTF-8
            for number in bad:
                yield number, None, "", _("line is not UTF-8 text")
            bad.clear()
            continue
        if not values:
            continue  # a blank line
        if len(values) != width:
            yield start, None, "", _width_problem(len(values), width, start, reader.line_num)
            continue
        row = dict(zip(header, values, strict=True))
        ext = row.pop("external_id", "") or ""
        gold = (row.pop("gold", "") or "").strip()
        if not gold:
            yield start, row, ext, None
            continue
        try:
            yield start, row, ext, None, orjson.loads(gold)
        except orjson.JSONDecodeError:
            yield start, None, "", _("gold is not valid JSON")


_SPACE = re.compile(r"[ \t\r\n]*")


class _ArrayText:
    """A JSON array file read a piece at a time: the text read so far from ``start`` on (the
    rest is parsed already), and the file line on which ``start`` lies."""

    CHUNK = 1 << 16

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.start = 0
        self.line = 1
        self.column = 0  # characters of text[0]'s line that were read and dropped before it
        self.eof = False

    def more(self, size: int = CHUNK) -> None:
        """Read on, keeping only the text not parsed yet (UnicodeDecodeError if not UTF-8)."""
        raw = self.stream.read(size)
        self.eof = not raw
        dropped = self.text[: self.start]
        newline = dropped.rfind("\n")
        self.column = len(dropped) - newline - 1 if newline >= 0 else self.column + len(dropped)
        self.text = self.text[self.start :] + self.decoder.decode(raw, final=self.eof)
        self.start = 0

    def skip_space(self) -> str:
        """Skip whitespace; the next character, or "" at the end of the file."""
        while True:
            self.advance(_SPACE.match(self.text, self.start).end())
            if self.start < len(self.text) or self.eof:
                return self.text[self.start : self.start + 1]
            self.more()

    def advance(self, to: int) -> None:
        self.line += self.text.count("\n", self.start, to)
        self.start = to

    def where(self, pos: int) -> tuple[int, int]:
        """(file line, character on it from 1) of a position in the text."""
        line = self.line + self.text.count("\n", self.start, pos)
        newline = self.text.rfind("\n", 0, pos)
        return line, pos - newline + (self.column if newline < 0 else 0)

    def value(self) -> Any:
        """The next JSON value (JSONDecodeError if there is none); reads on as long as the
        value may be incomplete, in growing pieces so a long item is not parsed again and
        again."""
        size = self.CHUNK
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.start)
            except json.JSONDecodeError:
                if self.eof:
                    raise
            else:
                if end < len(self.text) or self.eof:  # a number may go on in the next piece
                    self.advance(end)
                    return value
            self.more(size)
            size *= 2


class _NotANumber(ValueError):
    """NaN or Infinity in a JSON array file: Python reads them, JSON has no such numbers."""


def _no_constant(name: str) -> None:
    raise _NotANumber(name)


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def _array_items(text: _ArrayText) -> Iterator[Line]:
    """The items after the opening "[": each, or the first problem, then nothing more."""
    after_comma = False
    while True:
        at = text.skip_space()
        line, column = text.where(text.start)
        if not at:
            yield line, None, "", json_problem("end of data", None)
            return
        if at == "]":
            if after_comma:
                yield line, None, "", json_problem("trailing comma", column)
                return
            text.advance(text.start + 1)
            if text.skip_space():
                line, column = text.where(text.start)
                yield line, None, "", json_problem("after document", column)
            return
        try:
            value = text.value()
        except json.JSONDecodeError as exc:
            line, column = text.where(exc.pos)
            yield line, None, "", json_problem(exc.msg, column)
            return
        except _NotANumber:
            yield line, None, "", json_problem("nan", None)
            return
        yield _line(line, value)
        at = text.skip_space()
        if at == ",":
            text.advance(text.start + 1)
            after_comma = True
        elif at != "]":
            line, column = text.where(text.start)
            yield line, None, "", json_problem("expected ','" if at else "end of data", column)
            return
        else:
            after_comma = False


def parse_json_array(stream: IO[bytes]) -> Iterator[Line]:
    """A .json file: an array of items, each numbered by the line it starts on. A file that
    does not start with "[" is read as JSON Lines (one item per line), as before."""
    text = _ArrayText(stream)
    try:
        first = text.skip_space()
        if first != "[":
            stream.seek(0)
            yield from parse_jsonl(stream)
            return
        text.advance(text.start + 1)
        yield from _array_items(text)
    except UnicodeDecodeError:
        yield text.line, None, "", _("file is not UTF-8 text")


def parse_records(records: Iterable[Any]) -> Iterator[Line]:
    """Items given as a JSON array in an API request; 'line' is the 1-based position."""
    for number, obj in enumerate(records, start=1):
        yield _line(number, obj)
