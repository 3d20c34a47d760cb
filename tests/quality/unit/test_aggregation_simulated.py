"""Simulated crowds with known worker accuracies: skill recovery and accuracy sanity."""

from __future__ import annotations

import numpy as np
import pytest

from datadam.quality.aggregation import METHODS, aggregate, encode
from datadam.quality.aggregation.dawid_skene import fit_ds


def simulate(
    n_tasks: int,
    n_workers: int,
    k: int,
    overlap: np.ndarray | int,
    seed: int,
    acc_range: tuple[float, float] = (0.5, 0.95),
) -> dict[str, np.ndarray]:
    """One-coin crowd: worker j is right w.p. acc[j], else picks another class uniformly."""
    rng = np.random.default_rng(seed)
    acc = rng.uniform(*acc_range, n_workers)
    truth = rng.integers(0, k, n_tasks)
    per_task = np.broadcast_to(overlap, (n_tasks,))
    task = np.repeat(np.arange(n_tasks), per_task)
    worker = rng.integers(0, n_workers, len(task))
    right = rng.random(len(task)) < acc[worker]
    wrong = (truth[task] + rng.integers(1, k, len(task))) % k
    label = np.where(right, truth[task], wrong)
    return {"acc": acc, "truth": truth, "task": task, "worker": worker, "label": label}


def test_ds_recovers_simulated_worker_accuracies_within_0_05() -> None:
    crowd = simulate(n_tasks=8000, n_workers=60, k=4, overlap=5, seed=11)
    result = aggregate(crowd["worker"], crowd["task"], crowd["label"], method="ds")
    assert result.workers.tolist() == list(range(60))
    hits = crowd["label"] == crowd["truth"][crowd["task"]]
    empirical = np.bincount(crowd["worker"], hits) / np.bincount(crowd["worker"])
    assert np.abs(result.worker_skill - empirical).max() < 0.05
    assert np.abs(result.worker_skill - crowd["acc"]).max() < 0.05
    # Diagonals of the confusion matrices are the per-class accuracies.
    diagonals = np.einsum("wkk->wk", result.worker_confusion)
    assert np.abs(diagonals.mean(axis=1) - crowd["acc"]).mean() < 0.02


@pytest.mark.parametrize("method", ["ods", "glad", "mace", "wmv"])
def test_other_methods_rank_workers_like_their_true_accuracies(method: str) -> None:
    crowd = simulate(n_tasks=3000, n_workers=40, k=3, overlap=5, seed=5)
    result = aggregate(crowd["worker"], crowd["task"], crowd["label"], method=method)
    ranks = np.argsort(np.argsort(result.worker_skill))
    true_ranks = np.argsort(np.argsort(crowd["acc"]))
    assert np.corrcoef(ranks, true_ranks)[0, 1] > 0.9


def test_ds_recovers_a_class_conditional_confusion_that_one_coin_models_cannot() -> None:
    rng = np.random.default_rng(2)
    truth = rng.integers(0, 3, 1500)
    workers, tasks, labels = [], [], []
    for task, true in enumerate(truth):
        for worker in range(4):
            workers.append(worker), tasks.append(task)
            labels.append(int(true if rng.random() < 0.8 else rng.integers(0, 3)))
        # Worker 9 reports class 2 as class 1, otherwise is always right.
        workers.append(9), tasks.append(task), labels.append(1 if true == 2 else int(true))
    result = aggregate(workers, tasks, labels, method="ds")
    confusion = result.worker_confusion[list(result.workers).index(9)]  # [true, observed]
    assert confusion[2, 1] > 0.95 and confusion[0, 0] > 0.95 and confusion[1, 1] > 0.95
    assert np.mean(result.labels == truth) > 0.97


@pytest.mark.parametrize("method", ["ds", "ods", "glad", "mace", "wmv", "auto"])
def test_accuracy_is_sane_under_dynamic_overlap(method: str) -> None:
    # Dynamic overlap: 1 to 7 labels per task. Aggregation must beat majority vote overall and
    # improve with the number of labels.
    rng = np.random.default_rng(4)
    overlap = rng.integers(1, 8, 4000)
    crowd = simulate(n_tasks=4000, n_workers=80, k=3, overlap=overlap, seed=4)
    args = crowd["worker"], crowd["task"], crowd["label"]
    mv_correct = aggregate(*args, method="mv").labels == crowd["truth"]
    correct = aggregate(*args, method=method).labels == crowd["truth"]
    assert correct.mean() >= mv_correct.mean() - 0.002
    low, high = correct[overlap <= 2].mean(), correct[overlap >= 6].mean()
    assert high > low + 0.05 and high > 0.95


def test_auto_beats_ds_when_most_labels_come_from_workers_with_few_labels() -> None:
    crowd = simulate(n_tasks=3000, n_workers=1500, k=4, overlap=5, seed=8, acc_range=(0.35, 0.9))
    args = crowd["worker"], crowd["task"], crowd["label"]
    auto = aggregate(*args)
    assert auto.details["chosen"] == "wmv"
    assert min(auto.details["z_vs_ds"]["wmv"].values()) > 3  # chosen by held-out evidence
    ds_accuracy = np.mean(aggregate(*args, method="ds").labels == crowd["truth"])
    assert np.mean(auto.labels == crowd["truth"]) > ds_accuracy + 0.05


def test_large_inputs_are_encoded_and_aggregated_without_python_loops() -> None:
    crowd = simulate(n_tasks=40_000, n_workers=400, k=4, overlap=5, seed=1)
    enc = encode(crowd["worker"].astype(str), crowd["task"], crowd["label"])
    assert enc.n_labels == 200_000 and enc.work_dtype == np.float32
    result = fit_ds(enc, n_iter=30, tol=0)
    assert result.n_iter == 30
    assert np.mean(enc.classes[result.posteriors.argmax(axis=1)] == crowd["truth"]) > 0.9
    assert result.posteriors.dtype == np.float64


def test_early_stopping_uses_tol_and_tol_zero_runs_every_iteration() -> None:
    crowd = simulate(n_tasks=500, n_workers=20, k=2, overlap=5, seed=3)
    args = crowd["worker"], crowd["task"], crowd["label"]
    for method in ("ds", "ods", "glad", "mace"):
        assert METHODS[method](*args, n_iter=40, tol=0).n_iter == 40
        assert METHODS[method](*args, n_iter=500, tol=1e-3).n_iter < 500
