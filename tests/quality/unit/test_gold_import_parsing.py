"""Gold answers in the import formats: a JSONL "gold" key and a CSV "gold" column."""

from __future__ import annotations

import io

from datadam.projects.importing import parse_csv, parse_jsonl, parse_records
from datadam.quality.gold import expected_gold


def test_jsonl_and_records_carry_gold_as_a_fifth_element():
    stream = io.BytesIO(b'{"data": {"text": "a"}, "gold": {"label": "x"}}\n{"text": "b"}\n')
    assert list(parse_jsonl(stream)) == [
        (1, {"text": "a"}, "", None, {"label": "x"}),
        (2, {"text": "b"}, "", None),
    ]
    assert list(parse_records([{"data": {"text": "a"}, "gold": None}])) == [
        (1, {"text": "a"}, "", None)
    ]


def test_csv_gold_column_is_json_and_empty_means_ordinary():
    text = 'text,gold,external_id\nhello,"{""label"": ""x""}",e1\nbye,,e2\nbad,{nope,e3\n'
    assert list(parse_csv(io.BytesIO(text.encode()))) == [
        (2, {"text": "hello"}, "e1", None, {"label": "x"}),
        (3, {"text": "bye"}, "e2", None),
        (4, None, "", "gold is not valid JSON"),
    ]


def test_expected_gold_answers():
    assert expected_gold(answers=100, rate=20) == 25
    assert expected_gold(answers=10, rate=50) == 10
    assert expected_gold(answers=1, rate=1) == 1
    assert expected_gold(answers=100, rate=0) == 0
