"""Intervals and sampling plans: plain functions, no database."""

from __future__ import annotations

import pytest

from datadam.datasets.accuracy import (
    clopper_pearson_interval,
    code_letter_sample_size,
    plan_verdict,
    single_sampling_plan,
    wilson_interval,
)


def test_wilson_interval_matches_the_textbook_value():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(0, 5)
    assert low == 0.0 and high == pytest.approx(0.4345, abs=1e-4)


def test_clopper_pearson_is_exact_and_wider_than_wilson():
    low, high = clopper_pearson_interval(8, 10)
    assert low == pytest.approx(0.4439, abs=1e-4)
    assert high == pytest.approx(0.9748, abs=1e-4)
    assert clopper_pearson_interval(10, 10) == (pytest.approx(0.6915, abs=1e-4), 1.0)
    w_low, w_high = wilson_interval(8, 10)
    assert low < w_low and high > w_high


@pytest.mark.parametrize("k,n", [(-1, 3), (4, 3)])
def test_impossible_counts_are_refused(k, n):
    with pytest.raises(ValueError):
        wilson_interval(k, n)
    with pytest.raises(ValueError):
        clopper_pearson_interval(k, n)


@pytest.mark.parametrize(
    "lot,size", [(2, 2), (8, 2), (9, 3), (100, 20), (1000, 80), (5000, 200), (10**6, 1250)]
)
def test_sample_size_follows_the_iso_code_letters(lot, size):
    assert code_letter_sample_size(lot) == size


@pytest.mark.parametrize(
    # ISO 2859-1 normal inspection, level II: F 4.0 → Ac 2, J 2.5 → 5, K 1.0 → 3, H 6.5 → 7.
    "lot,aql,n,c",
    [(100, 0.04, 20, 2), (1000, 0.025, 80, 5), (2000, 0.01, 125, 3), (1000, 0.015, 80, 3)],
)
def test_acceptance_numbers_reproduce_iso_table_entries(lot, aql, n, c):
    plan = single_sampling_plan(lot, aql)
    assert (plan.sample_size, plan.acceptance) == (n, c)
    assert plan.producer_risk <= 0.05


@pytest.mark.parametrize(
    # ISO 2859-1 rows H (n=50) and J (n=80): AQL -> Ac.
    "lot,iso",
    [(400, {0.01: 1, 0.015: 2, 0.025: 3, 0.04: 5, 0.065: 7, 0.10: 10}),
     (1000, {0.01: 2, 0.015: 3, 0.025: 5, 0.04: 7, 0.065: 10, 0.10: 14})],
)
def test_acceptance_numbers_are_iso_or_one_stricter(lot, iso):
    for aql, ac in iso.items():
        assert single_sampling_plan(lot, aql).acceptance in (ac, ac - 1, ac + 1)
        assert single_sampling_plan(lot, aql).acceptance <= max(ac, 2)


def test_plan_refuses_a_nonsense_aql_and_an_empty_lot():
    with pytest.raises(ValueError):
        single_sampling_plan(100, 0.0)
    with pytest.raises(ValueError):
        single_sampling_plan(0, 0.025)


def test_verdict_accepts_up_to_c_wrong():
    ok = plan_verdict(5, 80, 5)
    assert ok["accepted"] and ok["accuracy"] == pytest.approx(75 / 80)
    low, high = ok["wilson_95"]
    assert low < 75 / 80 < high
    assert not plan_verdict(5, 80, 6)["accepted"]
