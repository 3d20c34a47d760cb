"""Accuracy intervals and acceptance-sampling plans (plain Python + scipy, no Django).

* :func:`wilson_interval` and :func:`clopper_pearson_interval`: a 95 % interval for a
  proportion (share of correct labels) from ``k`` successes in ``n`` trials.
* :func:`single_sampling_plan`: how many of ``lot_size`` delivered items to inspect and how
  many wrong ones still accept the lot, for an acceptable quality level (AQL, the share of
  wrong labels the client accepts). The sample size follows the ISO 2859-1 code letters
  (general inspection level II); the acceptance number ``c`` is the smallest whose
  probability of accepting a lot exactly at the AQL is at least 95 % (producer's risk at most
  5 %, binomial model); this matches the ISO master table or differs by one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from scipy.stats import beta, binom

__all__ = [
    "AQL_CHOICES",
    "SamplingPlan",
    "clopper_pearson_interval",
    "code_letter_sample_size",
    "plan_verdict",
    "single_sampling_plan",
    "wilson_interval",
]

Z95 = 1.959963984540054
PRODUCER_RISK = 0.05
#: AQL values offered (share of wrong labels accepted), as in ISO 2859-1's preferred series.
AQL_CHOICES = (0.01, 0.015, 0.025, 0.04, 0.065, 0.10)

# ISO 2859-1, general inspection level II: (largest lot size, sample size of its code letter).
_CODE_LETTERS = (
    (8, 2),
    (15, 3),
    (25, 5),
    (50, 8),
    (90, 13),
    (150, 20),
    (280, 32),
    (500, 50),
    (1200, 80),
    (3200, 125),
    (10000, 200),
    (35000, 315),
    (150000, 500),
    (500000, 800),
)
_LARGEST_SAMPLE = 1250


def _check_counts(k: float, n: float) -> None:
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")


def wilson_interval(k: float, n: float, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of the proportion ``k / n`` (``(0, 1)`` when ``n == 0``).

    Counts may be fractional (skills pool weighted evidence).
    """
    _check_counts(k, n)
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def clopper_pearson_interval(k: int, n: int, *, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval of ``k / n``; conservative, never below ``level``."""
    _check_counts(k, n)
    if n == 0:
        return 0.0, 1.0
    alpha = 1 - level
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


def code_letter_sample_size(lot_size: int) -> int:
    """ISO 2859-1 sample size (general inspection level II) for a lot, never above the lot."""
    if lot_size < 1:
        raise ValueError("the lot must hold at least one item")
    for largest, size in _CODE_LETTERS:
        if lot_size <= largest:
            return min(size, lot_size)
    return min(_LARGEST_SAMPLE, lot_size)


@dataclass(frozen=True)
class SamplingPlan:
    """Inspect ``sample_size`` of ``lot_size`` items; accept with at most ``acceptance`` wrong."""

    lot_size: int
    aql: float
    sample_size: int
    acceptance: int
    producer_risk: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def single_sampling_plan(lot_size: int, aql: float) -> SamplingPlan:
    """The single sampling plan for ``lot_size`` delivered items at acceptable quality ``aql``.

    ``aql`` is a share of wrong labels (0.025 = 2.5 %). ``c`` is the smallest acceptance number
    with P(at most c wrong | n, aql) >= 95 %; ``producer_risk`` = 1 - that probability.
    """
    if not 0 < aql < 0.5:
        raise ValueError("aql must be a share between 0 and 0.5")
    n = code_letter_sample_size(lot_size)
    c = 0
    while binom.cdf(c, n, aql) < 1 - PRODUCER_RISK and c < n:
        c += 1
    risk = max(0.0, 1.0 - float(binom.cdf(c, n, aql)))
    return SamplingPlan(lot_size, aql, n, c, round(risk, 6))


def plan_verdict(plan_acceptance: int, inspected: int, wrong: int) -> dict[str, Any]:
    """The outcome of an inspection: accepted or not, and the accuracy with its intervals."""
    _check_counts(wrong, inspected)
    correct = inspected - wrong
    low, high = wilson_interval(correct, inspected)
    cp_low, cp_high = clopper_pearson_interval(correct, inspected)
    return {
        "inspected": inspected,
        "wrong": wrong,
        "accepted": wrong <= plan_acceptance,
        "accuracy": round(correct / inspected, 6) if inspected else None,
        "wilson_95": [round(low, 6), round(high, 6)],
        "clopper_pearson_95": [round(cp_low, 6), round(cp_high, 6)],
    }
