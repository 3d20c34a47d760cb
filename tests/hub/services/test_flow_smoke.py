from __future__ import annotations

import orjson

from datadam.hub.models import VersionItem


def test_publishing_builds_version_one_with_a_row_and_a_jsonl_line_per_item(published):
    version = published.latest
    assert version.number == 1 and version.items == 4
    keys = list(VersionItem.objects.filter(version=version).values_list("label", flat=True))
    assert sorted(keys) == ["neg", "neu", "pos", "pos"]
    from django.core.files.storage import default_storage

    jsonl = version.files.get(path="train.jsonl")
    lines = default_storage.open(jsonl.storage_name).read().splitlines()
    assert len(lines) == 4 and orjson.loads(lines[0])["result"]["label"] in ("pos", "neg")
