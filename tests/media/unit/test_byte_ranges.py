"""Parsing the Range header of a media request."""

from __future__ import annotations

import pytest

from datadam.media.serving import byte_range


@pytest.mark.parametrize(("header", "expected"), [
    ("bytes=0-9", (0, 9)),
    ("bytes=10-", (10, 99)),
    ("bytes=-5", (95, 99)),
    ("bytes=90-500", (90, 99)),
    ("bytes=-500", (0, 99)),
    ("bytes=0-1,5-6", None),  # several ranges: the whole file
    ("items=0-1", None),
    ("bytes=-", None),
])
def test_a_single_range_is_read_and_clamped_to_the_file(header, expected):
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=50-10", "bytes=-0"])
def test_a_range_outside_the_file_is_unsatisfiable(header):
    with pytest.raises(ValueError):
        byte_range(header, 100)
