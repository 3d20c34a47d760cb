"""The skill estimate: Beta posterior mean, Wilson bounds and pooled evidence."""

from __future__ import annotations

import pytest

from datadam.skills.estimate import (
    Evidence,
    beta_mean,
    skill_estimate,
    wilson_interval,
    wilson_lower,
)


def test_beta_mean_starts_at_a_half_and_follows_the_evidence():
    assert beta_mean(0, 0) == 0.5
    assert beta_mean(9, 10) == pytest.approx(10 / 12)
    assert beta_mean(90, 100) == pytest.approx(91 / 102)


def test_wilson_interval_known_value_and_edges():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3)
    assert high == pytest.approx(0.9433, abs=1e-3)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_lower(0, 5) == 0.0
    assert wilson_interval(5, 5)[1] == pytest.approx(1.0)


def test_more_evidence_at_the_same_rate_ranks_higher():
    assert wilson_lower(90, 100) > wilson_lower(9, 10)


@pytest.mark.parametrize("s,n", [(-1, 3), (4, 3), (1, -1)])
def test_impossible_counts_are_refused(s, n):
    with pytest.raises(ValueError):
        wilson_interval(s, n)
    with pytest.raises(ValueError):
        beta_mean(s, n)


def test_pooled_estimate_weights_gold_twice():
    ev = Evidence(gold_total=4, gold_correct=3, agree_items=2, agree_share=1.5,
                  approved=3, rejected=1, returned=0)
    est = skill_estimate(ev)
    assert est.trials == pytest.approx(2 * 4 + 2 + 4)
    assert est.successes == pytest.approx(2 * 3 + 1.5 + 3)
    assert est.score == pytest.approx((10.5 + 1) / (14 + 2), abs=1e-4)
    assert est.lower == pytest.approx(wilson_lower(10.5, 14), abs=1e-4)


def test_no_evidence_means_unknown_not_bad():
    est = skill_estimate(Evidence())
    assert (est.score, est.lower) == (0.5, 0.0)
