"""Multi-label answers as binary (item, label) tasks: hand-worked cases and a simulated crowd."""

from __future__ import annotations

import numpy as np
import pytest

from datadam.datasets.multilabel import (
    aggregate_multilabel,
    binary_votes,
    item_label_posteriors,
)

# Labels a, b, c (codes 0, 1, 2). Item 10: {a, c}, {a}, {a, c}; item 20: {b}, {b, c}, {}.
WORKERS = np.array([1, 2, 3, 1, 2, 3])
ITEMS = np.array([10, 10, 10, 20, 20, 20])
CODES = np.array([0, 2, 0, 0, 2, 1, 1, 2], dtype=np.int16)
OFFSETS = np.array([0, 2, 3, 5, 6, 8, 8])


def test_every_answer_votes_yes_or_no_on_every_label():
    tasks, yes = binary_votes(ITEMS, OFFSETS, CODES, 3, 0, 3)
    assert tasks[:6].tolist() == [30, 31, 32, 30, 31, 32]  # item * L + code
    assert yes.reshape(6, 3).tolist() == [
        [1, 0, 1], [1, 0, 0], [1, 0, 1], [0, 1, 0], [0, 1, 1], [0, 0, 0],
    ]
    tasks, yes = binary_votes(ITEMS, OFFSETS, CODES, 3, 2, 3)  # one label of a group
    assert tasks.tolist() == [32, 32, 32, 62, 62, 62] and yes.tolist() == [1, 0, 1, 0, 1, 0]


def test_majority_by_hand_label_sets_confidence_and_worker_skill():
    r = aggregate_multilabel(WORKERS, ITEMS, OFFSETS, CODES, 3, method="mv")
    assert r.items.tolist() == [10, 20] and r.answers.tolist() == [3, 3]
    # p(yes) = share of yes votes: item 10 a 3/3, b 0/3, c 2/3; item 20 a 0, b 2/3, c 1/3.
    assert r.p_yes.ravel().tolist() == pytest.approx([1, 0, 2 / 3, 0, 2 / 3, 1 / 3], abs=1e-6)
    assert r.decided().tolist() == [[True, False, True], [False, True, False]]
    # A share of votes is no probability: the certainty of each decision is the one-coin
    # posterior under the skills below shrunk towards 0.7 by 4 pseudo-votes (0.88, 0.68,
    # 0.78). Item 10's least certain decision is c (yes, yes from workers 1 and 3, no from
    # worker 2); item 20's is b (yes from workers 1 and 2, no from worker 3).
    yes_c10 = 0.88 * 0.32 * 0.78
    no_c10 = 0.12 * 0.68 * 0.22
    yes_b20 = 0.88 * 0.68 * 0.22
    no_b20 = 0.12 * 0.32 * 0.78
    assert r.confidence().tolist() == pytest.approx(
        [yes_c10 / (yes_c10 + no_c10), yes_b20 / (yes_b20 + no_b20)], abs=1e-6)
    assert max(r.confidence()) < 1  # never certain from a handful of answers
    # binary agreement with the decided sets: worker 1 6/6, worker 2 4/6, worker 3 5/6
    assert r.workers.tolist() == [1, 2, 3]
    assert r.worker_skill.tolist() == pytest.approx([1, 4 / 6, 5 / 6])
    assert r.worker_n_labels.tolist() == [6, 6, 6]


def test_label_groups_give_the_same_result_as_one_call():
    one = aggregate_multilabel(WORKERS, ITEMS, OFFSETS, CODES, 3, method="mv")
    split = aggregate_multilabel(WORKERS, ITEMS, OFFSETS, CODES, 3, method="mv", max_votes=6)
    assert split.p_yes.ravel().tolist() == pytest.approx(one.p_yes.ravel().tolist())
    assert split.worker_skill.tolist() == pytest.approx(one.worker_skill.tolist())


def test_gold_label_sets_are_clamped_and_teach_skills():
    r = aggregate_multilabel(WORKERS, ITEMS, OFFSETS, CODES, 3, method="ds", gold={20: [1]})
    assert r.p_yes[1].tolist() == pytest.approx([0, 1, 0])
    skill = dict(zip(r.workers.tolist(), r.worker_skill.tolist(), strict=True))
    assert skill[1] > skill[2]  # worker 1 matched the gold set exactly, worker 2 did not


def test_one_coin_binary_posterior_by_hand():
    p = item_label_posteriors([[0, 2], [0], [0, 2]], [0.7, 0.7, 0.7], 3)
    assert p[0] == pytest.approx(0.343 / (0.343 + 0.027))  # three yes
    assert p[1] == pytest.approx(0.027 / (0.343 + 0.027))  # three no
    assert p[2] == pytest.approx(0.147 / (0.147 + 0.063))  # two yes, one no


def _crowd(seed: int, n_items: int = 600, n_labels: int = 6, overlap: int = 5):
    """Items with label sets of prevalence 0.25; workers flip each label with their own error
    rate: most careful (0.03-0.15), a fifth careless (0.3-0.45)."""
    rng = np.random.default_rng(seed)
    truth = rng.random((n_items, n_labels)) < 0.25
    n_workers = 40
    error = np.where(rng.random(n_workers) < 0.2, rng.uniform(0.3, 0.45, n_workers),
                     rng.uniform(0.03, 0.15, n_workers))
    workers, items, offsets, codes = [], [], [0], []
    for i in range(n_items):
        for w in rng.choice(n_workers, overlap, replace=False):
            flip = rng.random(n_labels) < error[w]
            chosen = np.flatnonzero(truth[i] ^ flip)
            workers.append(int(w))
            items.append(i)
            codes.extend(chosen.tolist())
            offsets.append(len(codes))
    return (truth, np.array(workers), np.array(items), np.array(offsets),
            np.array(codes, dtype=np.int16))


def crowd_scores(seed: int, method: str = "auto") -> dict[str, float]:
    """Exact-set and per-label accuracy of the aggregation and of per-item majority vote."""
    truth, w, t, off, c = _crowd(seed)
    r = aggregate_multilabel(w, t, off, c, truth.shape[1], method=method)
    mv = aggregate_multilabel(w, t, off, c, truth.shape[1], method="mv")
    # per-item majority vote as ClassificationKind.aggregate: chosen by more than half
    votes = np.zeros_like(truth, dtype=np.int64)
    np.add.at(votes, (np.repeat(t, np.diff(off)), c.astype(np.int64)), 1)
    majority = votes * 2 > np.bincount(t)[:, None]
    assert (mv.decided() == majority).all()
    got = r.decided()
    return {
        "set_agg": float((got == truth).all(axis=1).mean()),
        "set_mv": float((majority == truth).all(axis=1).mean()),
        "label_agg": float((got == truth).mean()),
        "label_mv": float((majority == truth).mean()),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_aggregated_label_sets_beat_per_item_majority_on_a_simulated_crowd(seed):
    s = crowd_scores(seed)
    assert s["set_agg"] >= s["set_mv"] + 0.02
    assert s["label_agg"] >= s["label_mv"]
