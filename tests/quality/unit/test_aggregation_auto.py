"""``auto``: the choice between ds, ods and wmv by held-out answers (plain numpy, simulated)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from datadam.quality.aggregation import METHODS, aggregate, encode, heldout
from datadam.quality.aggregation.auto import decide, fit_auto
from datadam.quality.aggregation.dawid_skene import fit_ds
from datadam.quality.aggregation.heldout import answer_scores, clustered_z, fold_of, subset


def one_coin_crowd(
    n_tasks: int, n_workers: int, k: int, seed: int, acc: tuple[float, float] = (0.5, 0.95)
) -> tuple[np.ndarray, ...]:
    """5 answers a task from random workers; worker j is right w.p. acc_j, else uniform."""
    rng = np.random.default_rng(seed)
    accuracy = rng.uniform(*acc, n_workers)
    truth = rng.integers(0, k, n_tasks)
    task = np.repeat(np.arange(n_tasks), 5)
    worker = rng.integers(0, n_workers, len(task))
    right = rng.random(len(task)) < accuracy[worker]
    label = np.where(right, truth[task], (truth[task] + rng.integers(1, k, len(task))) % k)
    return worker, task, label, truth


# The package exports the function ``auto``, which shadows the module of the same name.
auto_module = importlib.import_module("datadam.quality.aggregation.auto")


def two_coin_crowd(seed: int) -> tuple[np.ndarray, ...]:
    """Binary, 3:1 class imbalance, 30 workers: half lenient (say yes to nearly every yes but
    to a third of the noes), half strict (the reverse), a class-dependent confusion only full
    Dawid–Skene models."""
    rng = np.random.default_rng(seed)
    lenient = np.arange(30) % 2 == 0
    sens = np.where(lenient, rng.uniform(0.9, 0.99, 30), rng.uniform(0.5, 0.7, 30))
    spec = np.where(lenient, rng.uniform(0.5, 0.7, 30), rng.uniform(0.9, 0.99, 30))
    truth = (rng.random(1500) < 0.25).astype(int)
    task = np.repeat(np.arange(1500), 5)
    worker = rng.integers(0, 30, len(task))
    says_yes = np.where(truth[task] == 1, sens[worker], 1 - spec[worker])
    return worker, task, (rng.random(len(task)) < says_yes).astype(int), truth


def test_auto_keeps_plain_ds_on_a_crowd_with_class_dependent_confusion() -> None:
    worker, task, label, truth = two_coin_crowd(seed=500)
    result = aggregate(worker, task, label)
    assert result.details["chosen"] == "ds"
    assert all(z["labels"] < 3 or z["posteriors"] < 3 for z in result.details["z_vs_ds"].values())
    assert result.labels.tolist() == fit_ds(encode(worker, task, label)).labels.tolist()
    for other in ("ods", "wmv"):
        worse = aggregate(worker, task, label, method=other)
        assert np.mean(result.labels == truth) > np.mean(worse.labels == truth) + 0.01


def test_auto_picks_one_coin_ds_on_a_dense_crowd_of_one_coin_workers() -> None:
    worker, task, label, truth = one_coin_crowd(2000, 40, k=4, seed=500)
    result = aggregate(worker, task, label)
    assert result.details["chosen"] == "ods"
    assert result.details["z_vs_ds"]["ods"]["labels"] > 3
    assert result.details["z_vs_ds"]["ods"]["posteriors"] > 3
    ds_accuracy = np.mean(aggregate(worker, task, label, method="ds").labels == truth)
    assert np.mean(result.labels == truth) > ds_accuracy


def test_auto_details_say_what_was_chosen_why_and_every_held_out_score() -> None:
    worker, task, label, _ = one_coin_crowd(400, 20, k=3, seed=1)
    details = aggregate(worker, task, label).details
    assert details["chosen"] in METHODS and details["options"] == {}
    assert set(details["held_out_label_score"]) == {"ds", "ods", "wmv"}
    assert set(details["held_out_posterior_score"]) == {"ds", "ods", "wmv"}
    assert set(details["z_vs_ds"]) == {"ods", "wmv"}
    assert all(set(z) == {"labels", "posteriors"} for z in details["z_vs_ds"].values())
    assert all(s < 0 for s in details["held_out_label_score"].values())
    assert details["folds_scored"] == 5
    assert 0.9 * len(label) < details["n_held_out"] <= len(label)
    assert details["chosen"] in details["reason"]


def test_auto_is_deterministic_and_does_not_depend_on_row_order() -> None:
    worker, task, label, _ = one_coin_crowd(600, 25, k=3, seed=2)
    first = aggregate(worker, task, label)
    again = aggregate(worker, task, label)
    order = np.random.default_rng(0).permutation(len(label))
    shuffled = aggregate(worker[order], task[order], label[order])
    assert first.details == again.details
    assert first.labels.tolist() == again.labels.tolist() == shuffled.labels.tolist()
    assert shuffled.details["chosen"] == first.details["chosen"]
    for name, z in first.details["z_vs_ds"].items():
        assert shuffled.details["z_vs_ds"][name] == pytest.approx(z, abs=1e-2)


def test_auto_choice_ignores_gold_and_the_chosen_fit_still_clamps_it() -> None:
    worker, task, label, truth = one_coin_crowd(2000, 40, k=4, seed=500)
    plain = aggregate(worker, task, label)
    gold = {t: int(truth[t]) for t in range(0, 2000, 4)}  # a quarter of the tasks
    with_gold = aggregate(worker, task, label, gold=gold)
    for key in ("chosen", "reason", "z_vs_ds", "held_out_label_score", "n_held_out"):
        assert with_gold.details[key] == plain.details[key]
    labels = with_gold.as_dict()
    assert all(labels[t] == y for t, y in gold.items())
    assert (with_gold.confidence[list(gold)] == 1.0).all()


@pytest.mark.parametrize("name", ["ds", "ods", "wmv", "auto"])
def test_every_candidate_fit_is_reproducible_and_independent_of_row_order(name: str) -> None:
    worker, task, label, _ = one_coin_crowd(800, 30, k=3, seed=7)
    order = np.random.default_rng(3).permutation(len(label))
    runs = [aggregate(worker, task, label, method=name) for _ in range(2)]
    shuffled = aggregate(worker[order], task[order], label[order], method=name)
    assert np.array_equal(runs[0].posteriors, runs[1].posteriors)
    np.testing.assert_allclose(shuffled.posteriors, runs[0].posteriors, atol=1e-9)
    assert shuffled.labels.tolist() == runs[0].labels.tolist()


def test_auto_uses_ds_unscored_with_fewer_than_ten_workers() -> None:
    worker, task, label, _ = one_coin_crowd(300, 5, k=2, seed=3)
    details = aggregate(worker, task, label).details
    assert details["chosen"] == "ds" and "unscored" in details["reason"]
    assert "z_vs_ds" not in details


def test_a_challenger_must_beat_ds_on_both_scores_and_the_best_label_score_wins() -> None:
    means = {"ds": -0.7, "ods": -0.5, "wmv": -0.6}
    one_score_each = {"ods": {"labels": 5.0, "posteriors": 1.0},
                      "wmv": {"labels": 2.0, "posteriors": 9.0}}
    assert decide(one_score_each, means) == "ds"
    both = {"ods": {"labels": 3.5, "posteriors": 4.0}, "wmv": {"labels": 6.0, "posteriors": 7.0}}
    assert decide(both, means) == "ods"  # larger z, but wmv's mean label score is lower
    assert decide({"ods": {"labels": 3.0, "posteriors": 9.0}}, means) == "ds"  # not above 3


def test_selection_fits_are_capped_and_the_chosen_model_gets_the_callers_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, int, float]] = []
    for name, fit in list(auto_module.CANDIDATES.items()):
        def record(enc, n_iter, tol, name=name, fit=fit):  # type: ignore[no-untyped-def]
            calls.append((name, n_iter, tol))
            return fit(enc, n_iter, tol)

        monkeypatch.setitem(auto_module.CANDIDATES, name, record)
    worker, task, label, _ = one_coin_crowd(300, 20, k=2, seed=4)
    result = fit_auto(encode(worker, task, label), n_iter=100, tol=0)
    *selection, final = calls
    assert len(selection) == 3 * 5
    assert {(n_iter, tol) for _, n_iter, tol in selection} == {(50, 1e-5)}
    assert final == (result.details["chosen"], 100, 0)


def test_large_inputs_score_fewer_folds(monkeypatch: pytest.MonkeyPatch) -> None:
    worker, task, label, _ = one_coin_crowd(500, 20, k=2, seed=5)
    monkeypatch.setattr(heldout, "FOLD_BUDGET", 2 * len(label))
    assert aggregate(worker, task, label).details["folds_scored"] == 2
    monkeypatch.setattr(heldout, "FOLD_BUDGET", 1)
    details = aggregate(worker, task, label).details
    assert details["folds_scored"] == 1
    assert 0.15 * len(label) < details["n_held_out"] < 0.25 * len(label)


# --- the held-out machinery ----------------------------------------------------------------------


def test_folds_are_a_fixed_hash_of_task_and_worker_and_repeated_pairs_share_one() -> None:
    worker, task, label, _ = one_coin_crowd(2000, 50, k=2, seed=6)
    worker = np.concatenate([worker, worker[:100]])  # 100 repeated (worker, task) pairs
    task, label = np.concatenate([task, task[:100]]), np.concatenate([label, label[:100]])
    fold = fold_of(encode(worker, task, label))
    assert (fold[-100:] == fold[:100]).all()
    assert np.bincount(fold, minlength=5).min() > 0.18 * len(fold)
    order = np.random.default_rng(1).permutation(len(label))
    assert (fold_of(encode(worker[order], task[order], label[order])) == fold[order]).all()


def test_answer_scores_match_a_hand_computation() -> None:
    # w0 answered t0 'a', t1 'b' (training) and t2 'b' (held out); w1 answered t0, t1, t2.
    enc = encode(["w0", "w0", "w1", "w1", "w1", "w0"], ["t0", "t1", "t0", "t1", "t2", "t2"],
                 ["a", "b", "a", "a", "b", "b"])
    train = subset(enc, np.array([True] * 5 + [False]))
    post = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])  # labels a, b, a
    label_score, post_score = answer_scores(train, post, np.array([0]), np.array([2]),
                                            np.array([1]))
    # w0's row for label 'a': one 'a' answer, no 'b' -> P(b | a) = (0 + 0.5) / (1 + 2 * 0.5)
    assert label_score[0] == pytest.approx(np.log(0.25))
    # soft counts [observed, true] + 0.5: a|a 1.4, a|b 0.6, b|a 0.7, b|b 1.3
    expected = 0.6 * 0.7 / (1.4 + 0.7) + 0.4 * 1.3 / (0.6 + 1.3)
    assert post_score[0] == pytest.approx(np.log(expected))


def test_clustered_z_discounts_a_gain_that_one_worker_carries() -> None:
    groups = np.repeat(np.arange(10), 50)
    one_worker = np.where(groups == 0, 1.0, 0.0)
    naive = one_worker.mean() / (one_worker.std() / np.sqrt(len(one_worker)))
    assert naive > 7
    assert clustered_z(one_worker, groups) == pytest.approx(50 / np.sqrt(45**2 + 9 * 5**2))
    ones = [3, 4, 5, 6, 7, 3, 4, 5, 6, 7]  # the same total gain spread over every worker
    spread = np.concatenate([np.r_[np.ones(n), np.zeros(50 - n)] for n in ones])
    assert clustered_z(spread, groups) == pytest.approx(50 / np.sqrt(20))
    assert clustered_z(np.zeros(500), groups) == 0.0
