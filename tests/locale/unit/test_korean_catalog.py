"""The committed Korean catalog: every entry translated, the .mo in step with the .po, and
each translation keeping its msgid's placeholders and markup.

The .po is read with the small parser below (no dependency); the .mo with Python's gettext.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LC_MESSAGES = Path(__file__).resolve().parents[3] / "datadam" / "locale" / "ko" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def where(self) -> str:
        return f"django.po line {self.line}: {self.msgid[:60]!r}"


def _unquote(text: str) -> str:
    # A PO string uses C escapes; as a Python literal it reads the same way.
    return ast.literal_eval(text)


def parse_po(text: str) -> list[Entry]:
    """Entries of a PO file, the header (msgid "") included as the first one."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        elif line.startswith("#"):
            if entry is None:
                entry = Entry(line=number)
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        entry.obsolete = entry.obsolete or obsolete
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line)
        if match:
            keyword, index, value = match.group(1), int(match.group(2) or 0), match.group(3)
            target = (keyword, index)
            if keyword == "msgstr":
                entry.msgstr[index] = _unquote(value)
            else:
                setattr(entry, keyword, _unquote(value))
        elif line.startswith('"') and target is not None:
            keyword, index = target
            if keyword == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, keyword, getattr(entry, keyword) + _unquote(line))
        else:
            raise ValueError(f"line {number} of the catalog is not PO syntax: {raw!r}")
    return entries


def messages() -> list[Entry]:
    return [e for e in parse_po(PO.read_text(encoding="utf-8")) if e.msgid and not e.obsolete]


# %(name)s, %s, %d and a literal %% (python-format); {name} (python-brace-format).
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[diouxXeEfFgGcrsa]|%%|\{\w*\}"
)
TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|span|strong)\b[^>]*>")


def test_the_parser_reads_multiline_plural_context_and_escaped_entries():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: ko\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "seconds"\nmsgid "a \\"quoted\\" "\n"%(n)s line"\n'
        'msgid_plural "%(n)s lines"\nmsgstr[0] "줄 %(n)s개"\n\n'
        '#~ msgid "gone"\n#~ msgstr "없음"\n'
    )
    header, entry, gone = parse_po(sample)
    assert header.msgid == "" and header.msgstr[0] == "Language: ko\n"
    assert entry.msgctxt == "seconds"
    assert entry.msgid == 'a "quoted" %(n)s line'
    assert entry.msgid_plural == "%(n)s lines"
    assert entry.msgstr == {0: "줄 %(n)s개"}
    assert entry.flags == {"fuzzy", "python-format"}
    assert gone.obsolete and gone.msgid == "gone"


def test_the_catalog_is_korean_with_one_plural_form_and_a_final_header():
    header = parse_po(PO.read_text(encoding="utf-8"))[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: ko\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]


def test_the_catalog_holds_the_platforms_strings():
    ids = {e.msgid for e in messages()}
    assert len(ids) > 800
    for msgid in ("Log in", "Submit", "Approve", "Return for revision", "Text classification"):
        assert msgid in ids


def test_every_entry_is_translated_and_none_is_fuzzy():
    problems = []
    for entry in messages():
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.where}")
        forms = range(1) if entry.msgid_plural is None else range(max(1, len(entry.msgstr)))
        if not entry.msgstr or any(not entry.msgstr.get(i, "").strip() for i in forms):
            problems.append(f"untranslated: {entry.where}")
    assert problems == []


def test_no_entry_is_left_obsolete():
    obsolete = [e.where for e in parse_po(PO.read_text(encoding="utf-8")) if e.obsolete]
    assert obsolete == []


def test_translations_keep_the_placeholders_of_their_msgid():
    problems = []
    for entry in messages():
        wanted = [Counter(PLACEHOLDER.findall(entry.msgid))]
        if entry.msgid_plural is not None:
            # Korean has one plural form; it may follow either English form.
            wanted.append(Counter(PLACEHOLDER.findall(entry.msgid_plural)))
        for index, text in entry.msgstr.items():
            if Counter(PLACEHOLDER.findall(text)) not in wanted:
                problems.append(f"{entry.where} msgstr[{index}] = {text!r}")
    assert problems == []


def test_translations_keep_the_html_tags_of_their_msgid():
    problems = []
    for entry in messages():
        tags = sorted(TAG.findall(entry.msgid))
        for text in entry.msgstr.values():
            if sorted(TAG.findall(text)) != tags:
                problems.append(f"{entry.where}: {text!r}")
    assert problems == []


def test_translations_are_korean():
    # Names, units and key names may stay as they are; everything else is written in Hangul.
    latin_only = [
        e.where for e in messages()
        if not any("\uac00" <= ch <= "\ud7a3" for text in e.msgstr.values() for ch in text)
        and re.search(r"[a-z]{4,}", e.msgid) and e.msgid != e.msgstr.get(0)
    ]
    assert latin_only == []


@pytest.fixture(scope="module")
def compiled() -> gettext.GNUTranslations:
    with MO.open("rb") as fh:
        return gettext.GNUTranslations(fh)


def test_the_committed_mo_holds_exactly_the_po_translations(compiled):
    expected: dict[object, str] = {}
    for entry in messages():
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(key, index)] = text
    # The .mo's own catalog, header ("") aside; a stale .mo misses or keeps entries.
    actual = {k: v for k, v in compiled._catalog.items() if k not in ("", ("", 0))}
    missing = sorted(str(k)[:60] for k in expected.keys() - actual.keys())
    stale = sorted(str(k)[:60] for k in actual.keys() - expected.keys())
    both = expected.keys() & actual.keys()
    differ = sorted(str(k)[:60] for k in both if expected[k] != actual[k])
    assert (missing, stale, differ) == ([], [], []), "run `make messages` and commit the .mo"


def test_the_mo_translates_through_the_public_gettext_api(compiled):
    assert compiled.gettext("Log in") == "로그인"
    assert compiled.pgettext("seconds", "s") == "초"
    assert compiled.ngettext("%(n)s answer", "%(n)s answers", 3) % {"n": 3} == "답변 3개"
