"""Control ids: outside the submission range, reversible, parity tells nothing."""

from __future__ import annotations

from datadam.reviewchecks.controls import CONTROL_ID_BASE, control_id, parse_control_id


def test_control_ids_round_trip_and_hide_good_from_bad():
    for item in range(1, 60):
        for good in (True, False):
            public = control_id(item, good)
            assert public >= CONTROL_ID_BASE
            assert parse_control_id(public) == (item, good)
    assert {control_id(i, True) % 2 for i in range(1, 60)} == {0, 1}
    assert parse_control_id(CONTROL_ID_BASE - 1) is None
    assert parse_control_id(42) is None
