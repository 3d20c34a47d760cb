"""The skill estimate: plain arithmetic, no database.

A worker's evidence for one kind or tag comes from three sources, each a count of
successes out of trials:

- gold: answers on items with a known answer, right out of answered (weight ``GOLD_WEIGHT``);
- agreement: per answered item with other answers, the share of the other workers who gave
  the same answer (one trial per item, the share as its success);
- reviews: approvals out of decided reviews (returns and rejections count as failures).

The evidence is pooled with weights into ``s`` successes out of ``n`` trials. ``score`` is the
posterior mean of a Beta(PRIOR_A, PRIOR_B) prior updated with it — a newcomer starts at 0.5
and moves as evidence comes in. ``lower`` is the Wilson 95 % lower bound of s/n: it grows
with the amount of evidence, so 9 right out of 10 ranks below 90 out of 100. Gates, pay tiers
and ranking use ``lower``.
"""

from __future__ import annotations

from dataclasses import dataclass

from datadam.datasets.accuracy import Z95, wilson_interval

GOLD_WEIGHT = 2.0
AGREEMENT_WEIGHT = 1.0
REVIEW_WEIGHT = 1.0
PRIOR_A = 1.0
PRIOR_B = 1.0


def beta_mean(successes: float, trials: float, a: float = PRIOR_A, b: float = PRIOR_B) -> float:
    """Posterior mean of a Beta(a, b) prior after ``successes`` out of ``trials``."""
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError("need 0 <= successes <= trials")
    return (successes + a) / (trials + a + b)


def wilson_lower(successes: float, trials: float, z: float = Z95) -> float:
    """Lower end of the Wilson interval: rewards evidence, so more answers rank higher."""
    return wilson_interval(successes, trials, z=z)[0]


@dataclass(frozen=True)
class Evidence:
    """Counts behind one skill row."""

    gold_total: int = 0
    gold_correct: int = 0
    agree_items: int = 0
    agree_share: float = 0.0  # sum over items of the share of others who agreed
    approved: int = 0
    rejected: int = 0
    returned: int = 0

    @property
    def reviewed(self) -> int:
        return self.approved + self.rejected + self.returned


@dataclass(frozen=True)
class Estimate:
    successes: float
    trials: float
    score: float
    lower: float


def skill_estimate(ev: Evidence) -> Estimate:
    """Pool the evidence with its weights; the Beta posterior mean and Wilson lower bound."""
    s = (
        GOLD_WEIGHT * ev.gold_correct
        + AGREEMENT_WEIGHT * ev.agree_share
        + REVIEW_WEIGHT * ev.approved
    )
    n = (
        GOLD_WEIGHT * ev.gold_total
        + AGREEMENT_WEIGHT * ev.agree_items
        + REVIEW_WEIGHT * ev.reviewed
    )
    s = min(s, n)
    return Estimate(
        successes=round(s, 4),
        trials=round(n, 4),
        score=round(beta_mean(s, n), 4),
        lower=round(wilson_lower(s, n), 4),
    )


def rate(successes: float, trials: float) -> float | None:
    """A plain share, or None without trials."""
    return round(successes / trials, 4) if trials else None
