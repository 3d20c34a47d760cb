"""Multi-label classification as binary tasks (plain numpy, no Django).

Every answer of an item votes on every label of the project's label set: "yes" when the answer
includes the label, "no" when it does not. Binary task ``(item, label)`` has the integer id
``item * L + code`` (``L`` labels, ``code`` the label's position), so tasks sorted by id are
item-major and the posteriors of one item's labels are adjacent.

The labels are fitted in groups: all of them in one ``aggregate`` call while
``answers × L ≤ MAX_BINARY_VOTES`` (worker skills pooled over all labels: more evidence per
worker), else in groups of ``MAX_BINARY_VOTES // answers`` labels (at least one), so the
arrays of one call never exceed that many votes and memory stays bounded. A worker's skill is
the vote-weighted mean of their skills in the groups.

The delivered set is every label whose posterior of "yes" is ≥ 0.5; the item's confidence is
the minimum over its labels of ``max(p, 1 - p)`` (how sure the model is of the least certain
yes/no decision, a lower bound on no single decision being likelier wrong).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from datadam.quality.aggregation import aggregate

from .posterior import VOTE_METHODS, item_posterior, one_coin_posteriors, shrunk_skills

__all__ = ["MAX_BINARY_VOTES", "MultiLabelResult", "aggregate_multilabel", "binary_votes",
           "item_label_posteriors"]

#: Most binary votes (answers × labels) one ``aggregate`` call is given.
MAX_BINARY_VOTES = 2_000_000


@dataclass
class MultiLabelResult:
    """``items`` sorted; ``p_yes[i, c]``: posterior that label ``c`` applies to ``items[i]``
    (for the vote methods, the share of yes votes, which decides the label).

    ``p_decided[i, c]``: probability that the delivered yes/no decision is right:
    ``max(p, 1 - p)`` for model-based methods; for vote methods, whose share of votes is no
    probability (1.0 for a lone answer), the one-coin posterior of the decision.
    """

    items: np.ndarray
    p_yes: np.ndarray  # float32, n_items × L
    p_decided: np.ndarray  # float32, n_items × L
    answers: np.ndarray  # answers per item
    workers: np.ndarray
    worker_skill: np.ndarray
    worker_n_labels: np.ndarray  # binary votes the skill was learned from
    chosen: str

    def decided(self) -> np.ndarray:
        return self.p_yes >= 0.5

    def confidence(self) -> np.ndarray:
        """Per item: the certainty of its least certain yes/no decision."""
        return self.p_decided.min(axis=1)


def binary_votes(items: np.ndarray, offsets: np.ndarray, codes: np.ndarray, n_labels: int,
                 lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """(task ids, yes/no) of labels ``lo..hi-1`` for every answer, answer-major.

    Answer ``a`` chose ``codes[offsets[a]:offsets[a + 1]]``.
    """
    n = len(items)
    group = np.arange(lo, hi, dtype=np.int64)
    tasks = (items.astype(np.int64)[:, None] * n_labels + group[None, :]).ravel()
    yes = np.zeros((n, hi - lo), dtype=np.int64)
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    mask = (codes >= lo) & (codes < hi)
    yes[owner[mask], codes[mask].astype(np.int64) - lo] = 1
    return tasks, yes.ravel()


def aggregate_multilabel(workers: np.ndarray, items: np.ndarray, offsets: np.ndarray,
                         codes: np.ndarray, n_labels: int, *, method: str = "auto",
                         gold: Mapping[int, Sequence[int]] | None = None,
                         max_votes: int = MAX_BINARY_VOTES) -> MultiLabelResult:
    """Aggregate multi-label answers (see the module docstring).

    ``workers[a]``, ``items[a]``: who answered which item; answer ``a`` chose the label codes
    ``codes[offsets[a]:offsets[a + 1]]``. ``gold`` maps item id -> its true label codes.
    """
    workers = np.asarray(workers, dtype=np.int64)
    items = np.asarray(items, dtype=np.int64)
    uniq, answers = np.unique(items, return_counts=True)
    p_yes = np.empty((len(uniq), n_labels), dtype=np.float32)
    p_decided = np.empty((len(uniq), n_labels), dtype=np.float32)
    size = max(1, min(n_labels, max_votes // max(1, len(items))))
    skill_sum: dict[int, float] = {}
    vote_sum: dict[int, int] = {}
    chosen: list[str] = []
    for lo in range(0, n_labels, size):
        hi = min(n_labels, lo + size)
        tasks, yes = binary_votes(items, offsets, codes, n_labels, lo, hi)
        binary_gold = None
        if gold:
            binary_gold = {
                item * n_labels + c: int(c in set(true))
                for item, true in gold.items()
                for c in range(lo, hi)
            }
        voters = np.repeat(workers, hi - lo)
        result = aggregate(voters, tasks, yes, method=method, gold=binary_gold)
        classes = result.classes.tolist()
        p = result.posteriors[:, classes.index(1)] if 1 in classes else np.zeros(len(result.tasks))
        certain = np.maximum(p, 1.0 - p)
        if str(result.details.get("chosen", method)) in VOTE_METHODS:
            skill = shrunk_skills(result.worker_skill, result.worker_n_labels, 2)
            q = one_coin_posteriors(np.searchsorted(result.tasks, tasks), yes,
                                    skill[np.searchsorted(result.workers, voters)],
                                    len(result.tasks), 2)[:, 1]
            certain = np.where(p >= 0.5, q, 1.0 - q)
        del tasks, yes, voters
        p_decided[:, lo:hi] = certain.reshape(len(uniq), hi - lo)
        p_yes[:, lo:hi] = p.reshape(len(uniq), hi - lo)
        for w, s, n in zip(result.workers.tolist(), result.worker_skill.tolist(),
                           result.worker_n_labels.tolist(), strict=True):
            skill_sum[w] = skill_sum.get(w, 0.0) + s * n
            vote_sum[w] = vote_sum.get(w, 0) + int(n)
        chosen.append(str(result.details.get("chosen", method)))
    ids = np.fromiter(sorted(vote_sum), dtype=np.int64, count=len(vote_sum))
    n_votes = np.array([vote_sum[w] for w in ids.tolist()], dtype=np.int64)
    skill = np.array([skill_sum[w] / max(1, vote_sum[w]) for w in ids.tolist()])
    return MultiLabelResult(items=uniq, p_yes=p_yes, p_decided=p_decided, answers=answers,
                            workers=ids, worker_skill=skill, worker_n_labels=n_votes,
                            chosen=",".join(sorted(set(chosen))))


def item_label_posteriors(answers: Sequence[Sequence[int]], skills: Sequence[float],
                          n_labels: int) -> list[float]:
    """One item's posterior of "yes" per label under the one-coin binary model.

    ``answers[j]``: the label codes worker ``j`` (binary accuracy ``skills[j]``) chose. Work is
    ``len(answers) × n_labels``: constant per item (used by dynamic overlap).
    """
    out = []
    for c in range(n_labels):
        votes = [int(c in chosen) for chosen in answers]
        out.append(item_posterior(votes, list(skills), 2)[1])
    return out
