"""The import parsers on their own: line numbers, formats, line endings (no database)."""

from __future__ import annotations

import io

import pytest

from datadam.errors import InvalidInput
from datadam.projects.importing import (
    guess_format,
    parse_csv,
    parse_json_array,
    parse_jsonl,
    parse_records,
)


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
    assert rows[1][3] == "this line is not valid JSON (a key not in double quotes, at character 2)"
    assert rows[2][3] is None


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b'{"text": "a"} x', "unexpected character after the value, at character 15"),
        (b'{"text": "unterminated', "the line ends before the value is complete"),
        (b'{"text": "a",}', "a comma before a closing bracket, at character 13"),
        (b'{"text": NaN}', "a value is missing or is not JSON, at character 10"),
        (b'{"text": "\xc3\xa9\xc3\xa9" x}', "a missing comma or colon, at character 15"),
        (b"{'text': 'a'}", "a key not in double quotes, at character 2"),
        (b'{"text": tru}', "a misspelled true, false or null, at character 10"),
        (b'{"n": 01}', "a number JSON cannot read, at character 7"),
    ],
)
def test_jsonl_errors_name_the_problem_and_the_character_never_the_parsers_line(line, problem):
    content = b'{"text": "first"}\n\n' + line + b"\n"
    ((number, _data, _ext, error),) = [row for row in parse_jsonl(io.BytesIO(content)) if row[3]]
    assert number == 3
    assert error == f"this line is not valid JSON ({problem})"
    assert "column" not in error and "line 1" not in error and "line 2" not in error


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


def test_csv_quoted_field_spanning_lines_is_one_item_numbered_by_the_line_it_starts_on():
    rows = _csv(b'text,n\n"first\nsecond",1\nthird,2\n')
    assert rows == [
        (2, {"text": "first\nsecond", "n": "1"}, "", None),
        (4, {"text": "third", "n": "2"}, "", None),
    ]


def test_csv_an_unclosed_quote_is_reported_where_the_row_starts_and_says_so():
    rows = _csv(b'a,b\n1,2\n"open,3\n4,5\n')
    assert [(n, err) for n, _, _, err in rows] == [
        (2, None),
        (3, "this line has 1 value, but the header names 2 columns; its quoted value runs "
            "on to line 4: is a closing quote missing?"),
    ]


def test_csv_a_value_too_long_is_reported_on_its_own_line():
    rows = _csv(b"a\nok\n" + b"x" * 200_000 + b"\n")
    assert rows[-1][0] == 3
    assert rows[-1][3] == "a value on this line is longer than 131,072 characters"


def test_csv_blank_lines_are_skipped_and_later_rows_keep_their_line_numbers():
    assert [n for n, *_ in _csv(b"a\n1\n\n\n2\n")] == [2, 5]


def test_csv_byte_order_mark_is_not_part_of_the_first_column_name():
    assert _csv(b"\xef\xbb\xbftext\nhello\n") == [(2, {"text": "hello"}, "", None)]


def test_csv_wrong_column_counts_are_reported_per_line():
    rows = _csv(b"a,b\n1,2\n1\n1,2,3\n4,5\n")
    assert [(n, err) for n, _, _, err in rows] == [
        (2, None),
        (3, "this line has 1 value, but the header names 2 columns"),
        (4, "this line has 3 values, but the header names 2 columns"),
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
    [("a.CSV", "csv"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.json", "json")],
)
def test_format_is_guessed_from_the_file_name(name, fmt):
    assert guess_format(name) == fmt


@pytest.mark.parametrize("name", ["a.txt", "", "jsonl"])
def test_an_unknown_file_name_is_refused(name):
    with pytest.raises(InvalidInput):
        guess_format(name)


def _array(content: bytes) -> list[tuple]:
    return list(parse_json_array(io.BytesIO(content)))


def test_a_json_array_file_numbers_each_item_by_the_line_it_starts_on():
    content = (b'[\n  {"text": "a"},\n\n  {"data": {"text": "b"}, "external_id": 7},\n'
               b'  {"text":\n "c"}\n]\n')
    assert _array(content) == [
        (2, {"text": "a"}, "", None),
        (4, {"text": "b"}, "7", None),
        (5, {"text": "c"}, "", None),
    ]


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (b'[\n  {"text": "a"},\n  {"text": "b"} x\n]', 3,
         "a missing comma or colon, at character 17"),
        (b'[\n  {"text": "a"},\n]\n', 3, "a comma before a closing bracket, at character 1"),
        (b'[\n  {"text": "a"}\n', 3, "the line ends before the value is complete"),
        (b'[\n  {"text": "a"}\n]\n{"x": 1}', 4,
         "unexpected character after the value, at character 1"),
        (b'[\n  {"text": "a"},\n  {"text": NaN}\n]', 3, "a number JSON cannot read"),
        (b'[\n  {"text": "a"},\n  {text: "b"}\n]', 3, "a key not in double quotes, at character 4"),
    ],
)
def test_a_json_array_error_names_the_files_line_and_the_problem(content, line, problem):
    rows = _array(content)
    number, _data, _ext, error = rows[-1]
    assert (number, error) == (line, f"this line is not valid JSON ({problem})")


def test_a_json_array_split_across_read_pieces_is_read_whole(monkeypatch):
    from datadam.projects import parsing

    monkeypatch.setattr(parsing._ArrayText, "CHUNK", 7)
    items = b",\n".join(b'{"text": "item %d", "n": 1234567}' % i for i in range(40))
    rows = _array(b"[" + items + b"]")
    assert [n for n, *_ in rows] == list(range(1, 41))
    assert all(err is None and data["n"] == 1234567 for _, data, _, err in rows)


def test_a_json_file_without_an_array_is_read_as_json_lines():
    assert _array(b'{"text": "a"}\n{"text": "b"}\n') == [
        (1, {"text": "a"}, "", None),
        (2, {"text": "b"}, "", None),
    ]


def test_a_json_array_file_that_is_not_utf8_is_refused():
    rows = _array('[{"text": "caf\xe9"}]'.encode("latin-1"))
    assert rows == [(1, None, "", "file is not UTF-8 text")]
