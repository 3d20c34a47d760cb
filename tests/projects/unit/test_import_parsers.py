"""The import parsers on their own: line numbers, formats, line endings (no database)."""

from __future__ import annotations

import io

import pytest

from datadam.errors import InvalidInput
from datadam.projects.importing import guess_format, parse_csv, parse_jsonl, parse_records


def _csv(content: bytes) -> list[tuple]:
    return list(parse_csv(io.BytesIO(content)))


def test_jsonl_lines_keep_their_physical_line_numbers_across_blank_lines():
    rows = list(parse_jsonl(io.BytesIO(b'{"text": "a"}\n\n  \n{"text": "b"}\n')))
    assert [(n, data, err) for n, data, _, err in rows] == [
        (1, {"text": "a"}, None),
        (4, {"text": "b"}, None),
    ]


def test_jsonl_bad_json_is_reported_on_its_line_and_parsing_goes_on():
    rows = list(parse_jsonl(io.BytesIO(b'{"text": "a"}\n{oops\n{"text": "c"}\n')))
    assert [n for n, *_ in rows] == [1, 2, 3]
    assert rows[1][3].startswith("not valid JSON")
    assert rows[2][3] is None


def test_jsonl_wrapped_lines_split_into_data_and_external_id():
    rows = list(parse_jsonl(io.BytesIO(b'{"data": {"text": "x"}, "external_id": null}\n')))
    assert rows == [(1, {"text": "x"}, "", None)]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_csv_accepts_every_line_ending(ending):
    content = ending.join([b"external_id,text", b"e1,one", b"e2,two"]) + ending
    assert _csv(content) == [
        (2, {"text": "one"}, "e1", None),
        (3, {"text": "two"}, "e2", None),
    ]


def test_csv_quoted_field_spanning_lines_is_one_item_numbered_by_its_last_line():
    rows = _csv(b'text,n\n"first\nsecond",1\nthird,2\n')
    assert rows == [
        (3, {"text": "first\nsecond", "n": "1"}, "", None),
        (4, {"text": "third", "n": "2"}, "", None),
    ]


def test_csv_byte_order_mark_is_not_part_of_the_first_column_name():
    assert _csv(b"\xef\xbb\xbftext\nhello\n") == [(2, {"text": "hello"}, "", None)]


def test_csv_wrong_column_counts_are_reported_per_line():
    rows = _csv(b"a,b\n1,2\n1\n1,2,3\n4,5\n")
    assert [(n, err) for n, _, _, err in rows] == [
        (2, None),
        (3, "expected 2 columns"),
        (4, "expected 2 columns"),
        (5, None),
    ]


def test_csv_lines_that_are_not_utf8_are_each_reported_and_the_rest_still_parsed():
    rows = _csv("text\nok\nbad \xff\nstill ok\nbad \xfe\n".encode("latin-1"))
    assert [(n, err) for n, _, _, err in rows] == [
        (2, None),
        (3, "line is not UTF-8 text"),
        (4, None),
        (5, "line is not UTF-8 text"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no header"),
        (b"text,text\nx,y\n", "repeated"),
        (b"t\xe9xt\nx\n", "not UTF-8"),
    ],
)
def test_csv_header_problems_are_reported_on_line_one(content, message):
    rows = _csv(content)
    assert len(rows) == 1
    assert rows[0][0] == 1
    assert message in rows[0][3]


def test_records_are_numbered_from_one():
    assert list(parse_records([{"text": "a"}, {"data": {"text": "b"}, "external_id": 7}])) == [
        (1, {"text": "a"}, "", None),
        (2, {"text": "b"}, "7", None),
    ]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.CSV", "csv"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.json", "jsonl")],
)
def test_format_is_guessed_from_the_file_name(name, fmt):
    assert guess_format(name) == fmt


@pytest.mark.parametrize("name", ["a.txt", "", "jsonl"])
def test_an_unknown_file_name_is_refused(name):
    with pytest.raises(InvalidInput):
        guess_format(name)
