"""The hot endpoints encode their answers with orjson: the same JSON as the schema path."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import orjson
from ninja.responses import NinjaJSONEncoder

from datadam.work.api import _fast_json


def test_fast_json_matches_what_the_schema_path_writes():
    body = {
        "id": 7,
        "data": {"text": "정말 만족스러운", "n": [1, 2.5, None, True]},
        "leased_at": datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        "expires_at": datetime(2026, 1, 2, 3, 14, 5, tzinfo=UTC),
        "message": "",
    }
    response = _fast_json(body, 201)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert orjson.loads(response.content) == json.loads(json.dumps(body, cls=NinjaJSONEncoder))
    assert orjson.loads(response.content)["leased_at"] == "2026-01-02T03:04:05.123Z"


def test_values_orjson_cannot_encode_go_the_ordinary_way():
    body = {"data": {"big": 2**70}}
    assert _fast_json(body) is body
