"""Hand-worked behaviour of every aggregation method (plain numpy; no Django, no datasets)."""

from __future__ import annotations

import numpy as np
import pytest

from datadam.quality.aggregation import (
    METHODS,
    AggregationInputError,
    AggregationResult,
    aggregate,
    encode,
    mv,
    wmv,
)
from datadam.quality.aggregation.dawid_skene import _ods_e_step, fit_ds
from datadam.quality.aggregation.glad import _glad_e_step
from datadam.quality.aggregation.mace import _mace_e_step

ALL = sorted(METHODS)
EM_METHODS = ["ds", "ods", "glad", "mace", "auto"]


def constant_spammer_crowd() -> tuple[list[str], list[int], list[str], list[str]]:
    """Two perfect workers and three spammers who always answer 'a'; half the tasks are 'b'."""
    truth = list("aaaaabbbbb") * 2
    workers, tasks, labels = [], [], []
    for task, true in enumerate(truth):
        for worker in ("R1", "R2"):
            workers.append(worker), tasks.append(task), labels.append(true)
        for worker in ("S1", "S2", "S3"):
            workers.append(worker), tasks.append(task), labels.append("a")
    return workers, tasks, labels, truth


def flipping_crowd() -> tuple[list[str], list[int], list[str], list[str]]:
    """Worker A is always right; B and C always give the other (binary) label."""
    truth = list("ababababab")
    flip = {"a": "b", "b": "a"}
    workers, tasks, labels = [], [], []
    for task, true in enumerate(truth):
        workers.append("A"), tasks.append(task), labels.append(true)
        for worker in ("B", "C"):
            workers.append(worker), tasks.append(task), labels.append(flip[true])
    return workers, tasks, labels, truth


def accuracy(result: AggregationResult, truth: list[str]) -> float:
    answers = result.as_dict()
    return float(np.mean([answers[task] == true for task, true in enumerate(truth)]))


# --- majority vote -----------------------------------------------------------------------------


def test_mv_label_is_the_most_voted_and_confidence_is_its_vote_share() -> None:
    result = mv(["w1", "w2", "w3"], ["t", "t", "t"], ["x", "x", "y"])
    assert result.labels.tolist() == ["x"]
    assert result.confidence[0] == pytest.approx(2 / 3)
    assert result.posteriors[0].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert result.classes.tolist() == ["x", "y"]


def test_mv_tie_goes_to_the_smallest_label_value() -> None:
    result = mv(["w1", "w2", "w3", "w4"], ["t1", "t1", "t2", "t2"], ["b", "a", "a", "b"])
    assert result.labels.tolist() == ["a", "a"]
    assert result.confidence.tolist() == [0.5, 0.5]
    ints = mv([1, 2], [7, 7], [3, 2])
    assert ints.labels.tolist() == [2]


def test_mv_worker_skill_is_share_of_labels_agreeing_with_majority() -> None:
    result = mv(["a", "b", "c", "a", "b", "c"], [1, 1, 1, 2, 2, 2], ["x", "x", "y", "x", "x", "x"])
    assert result.skills_dict() == {"a": 1.0, "b": 1.0, "c": 0.5}
    assert result.worker_n_labels.tolist() == [2, 2, 2]


def test_wmv_breaks_a_tie_in_favour_of_the_worker_who_agrees_with_the_crowd() -> None:
    # Task t0 is a 1:1 tie between X (agrees with the majority elsewhere) and Y (never does).
    workers = ["X", "Y"] + ["X", "Y", "Z", "V"] * 3
    tasks = ["t0", "t0"] + [f"t{i}" for i in (1, 2, 3) for _ in range(4)]
    labels = ["b", "a"] + ["p", "q", "p", "p"] * 3
    assert mv(workers, tasks, labels).as_dict()["t0"] == "a"
    result = wmv(workers, tasks, labels)
    assert result.as_dict()["t0"] == "b"
    skills = result.skills_dict()
    assert skills["X"] == 1.0 and skills["Y"] == pytest.approx(0.0)


# --- Dawid-Skene and kin -----------------------------------------------------------------------


def test_ds_lets_two_reliable_workers_outvote_three_constant_spammers_but_mv_does_not() -> None:
    workers, tasks, labels, truth = constant_spammer_crowd()
    assert accuracy(aggregate(workers, tasks, labels, method="mv"), truth) == 0.5
    result = aggregate(workers, tasks, labels, method="ds")
    assert accuracy(result, truth) == 1.0
    skills = result.skills_dict()
    assert skills["R1"] > 0.99 and skills["S1"] == pytest.approx(0.5, abs=0.01)
    # A constant spammer's confusion matrix says 'a' whatever the truth: rows are identical.
    spam = result.worker_confusion[list(result.workers).index("S1")]
    assert spam[:, 0] == pytest.approx([1.0, 1.0], abs=1e-3)


def test_ds_matches_a_loop_reference_implementation_of_em() -> None:
    rng = np.random.default_rng(3)
    n, k = 300, 3
    w, t, y = rng.integers(0, 12, n), rng.integers(0, 60, n), rng.integers(0, k, n)
    enc = encode(w, t, y)
    post = enc.votes / enc.votes.sum(axis=1, keepdims=True)
    for _ in range(6):  # naive M-step then E-step with Python loops
        counts = np.full((enc.n_workers, k, k), 1e-3)  # [worker, observed, true]
        for wi, ti, yi in zip(enc.w, enc.t, enc.y, strict=True):
            counts[wi, yi] += post[ti]
        err = counts / counts.sum(axis=1, keepdims=True)
        priors = post.mean(axis=0)
        log_post = np.tile(np.log(priors), (enc.n_tasks, 1))
        for wi, ti, yi in zip(enc.w, enc.t, enc.y, strict=True):
            log_post[ti] += np.log(err[wi, yi])
        post = np.exp(log_post - log_post.max(axis=1, keepdims=True))
        post /= post.sum(axis=1, keepdims=True)
    result = fit_ds(enc, n_iter=6, tol=0)
    assert result.posteriors == pytest.approx(post, abs=1e-9)


def test_ods_posterior_of_two_workers_with_known_accuracies_is_hand_computed() -> None:
    # Worker 0 (accuracy 0.9) says class 0, worker 1 (accuracy 0.6) says class 1, K = 2:
    # P(0) = 0.9 * 0.4 / (0.9 * 0.4 + 0.1 * 0.6) = 0.857...
    enc = encode([0, 1], ["t", "t"], [0, 1])
    post, _ = _ods_e_step(enc, np.array([0.9, 0.6]), np.array([0.5, 0.5]))
    assert post[0] == pytest.approx([0.36 / 0.42, 0.06 / 0.42])


def test_ods_spreads_errors_evenly_over_the_other_classes() -> None:
    # K = 3: a 0.7-accurate worker saying class 2 gives 0.15 likelihood to classes 0 and 1.
    enc = encode([0, 0, 0], ["t", "u", "v"], [0, 1, 2])
    post, _ = _ods_e_step(enc, np.array([0.7]), np.full(3, 1 / 3))
    assert post[2] == pytest.approx([0.15, 0.15, 0.7])


def test_glad_posterior_uses_sigmoid_of_ability_times_exp_difficulty() -> None:
    # alpha = 1, beta = 0: P(correct) = sigmoid(1) = 0.731; two agreeing labels on a K = 2 task.
    enc = encode([0, 1, 0], ["t", "t", "u"], ["x", "x", "y"])
    post, _ = _glad_e_step(enc, np.array([1.0, 1.0]), np.zeros(2), np.array([0.5, 0.5]))
    s = 1 / (1 + np.exp(-1.0))
    assert post[0, 0] == pytest.approx(s * s / (s * s + (1 - s) ** 2))


def test_mace_posterior_mixes_knowing_and_spamming_likelihoods() -> None:
    # know = 0.8, spam = 0.2 with strategy (0.5, 0.5): P(y=a | a) = 0.9, P(y=a | b) = 0.1.
    enc = encode(["w", "w"], ["t", "u"], ["a", "b"])
    post, _ = _mace_e_step(
        enc, np.array([0.8]), np.array([0.2]), np.array([[0.5, 0.5]]), np.array([0.5, 0.5])
    )
    assert post[0] == pytest.approx([0.9, 0.1])


def test_glad_gives_the_reliable_workers_higher_ability_than_random_spammers() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 80)
    workers, tasks, labels = [], [], []
    for task, true in enumerate(truth):
        for worker, acc in (("good1", 0.95), ("good2", 0.9), ("rand1", 0.5), ("rand2", 0.5)):
            workers.append(worker), tasks.append(task)
            labels.append(int(true if rng.random() < acc else 1 - true))
    result = aggregate(workers, tasks, labels, method="glad")
    alpha = dict(zip(result.workers.tolist(), result.details["alpha"], strict=True))
    assert min(alpha["good1"], alpha["good2"]) > max(alpha["rand1"], alpha["rand2"])
    assert np.mean(result.labels == truth) >= 0.9


def test_mace_marks_a_random_spammer_as_less_competent_than_careful_workers() -> None:
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 3, 120)
    workers, tasks, labels = [], [], []
    for task, true in enumerate(truth):
        for worker in ("c1", "c2", "c3"):
            workers.append(worker), tasks.append(task)
            labels.append(int(true if rng.random() < 0.85 else rng.integers(0, 3)))
        workers.append("spam"), tasks.append(task), labels.append(int(rng.integers(0, 3)))
    result = aggregate(workers, tasks, labels, method="mace")
    competence = dict(zip(result.workers.tolist(), result.details["competence"], strict=True))
    assert competence["spam"] < 0.3 < 0.7 < min(competence["c1"], competence["c2"])


# --- gold ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ALL)
def test_gold_tasks_get_the_gold_label_with_full_confidence(method: str) -> None:
    workers, tasks, labels, _ = constant_spammer_crowd()
    result = aggregate(workers, tasks, labels, method=method, gold={7: "b", 0: "b"})
    answers = result.as_dict()
    assert answers[7] == "b" and answers[0] == "b"
    index = list(result.tasks).index(0)
    assert result.confidence[index] == 1.0
    assert result.posteriors[index].tolist() == [0.0, 1.0]


@pytest.mark.parametrize("method", ["ds", "ods", "glad", "mace", "auto"])
def test_gold_teaches_em_methods_that_two_workers_always_flip_the_label(method: str) -> None:
    workers, tasks, labels, truth = flipping_crowd()
    assert accuracy(aggregate(workers, tasks, labels, method=method), truth) == 0.0
    gold = {0: "a", 1: "b", 2: "a"}
    assert accuracy(aggregate(workers, tasks, labels, method=method, gold=gold), truth) == 1.0


def test_gold_for_unknown_tasks_is_ignored_and_new_gold_classes_are_added() -> None:
    gold = {"t2": "z", "unknown": "a"}
    result = aggregate(["w", "v"], ["t1", "t2"], ["a", "a"], method="mv", gold=gold)
    assert result.classes.tolist() == ["a", "z"]
    assert result.as_dict() == {"t1": "a", "t2": "z"}


def test_gold_keys_and_labels_are_matched_across_int_and_str_spellings() -> None:
    result = aggregate(["w", "v"], [1, 2], [0, 1], method="mv", gold={"2": "0"})
    assert result.as_dict() == {1: 0, 2: 0}


# --- result shape and API ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ALL)
def test_every_method_returns_aligned_arrays_and_normalised_posteriors(method: str) -> None:
    rng = np.random.default_rng(7)
    workers = rng.integers(0, 9, 400).astype(str)
    tasks = rng.integers(0, 80, 400)
    labels = rng.choice(["cat", "dog", "owl"], 400)
    result = METHODS[method](workers, tasks, labels)
    assert isinstance(result, AggregationResult)
    n_tasks, k = len(np.unique(tasks)), 3
    assert result.tasks.tolist() == sorted(set(tasks.tolist()))
    assert result.posteriors.shape == (n_tasks, k)
    assert result.posteriors.sum(axis=1) == pytest.approx(np.ones(n_tasks))
    best = result.posteriors.argmax(axis=1)
    assert result.labels.tolist() == result.classes[best].tolist()
    assert result.confidence == pytest.approx(result.posteriors.max(axis=1))
    assert result.worker_skill.shape == (len(np.unique(workers)),)
    assert np.all((result.worker_skill >= 0) & (result.worker_skill <= 1))
    assert result.worker_n_labels.sum() == 400
    if result.worker_confusion is not None:
        assert result.worker_confusion.shape == (len(result.workers), k, k)
        assert result.worker_confusion.sum(axis=2) == pytest.approx(1.0)


@pytest.mark.parametrize("method", ALL)
def test_every_method_handles_a_single_class_and_a_single_label(method: str) -> None:
    result = aggregate(["w"], ["t"], ["only"], method=method)
    assert result.as_dict() == {"t": "only"}
    assert result.confidence.tolist() == [1.0]


def test_repeated_worker_task_pairs_each_count_as_a_label() -> None:
    result = mv(["w", "w", "v"], ["t", "t", "t"], ["a", "a", "b"])
    assert result.confidence[0] == pytest.approx(2 / 3)
    assert result.worker_n_labels.tolist() == [1, 2]


def test_unknown_method_is_an_input_error() -> None:
    with pytest.raises(AggregationInputError, match="unknown method 'nope'"):
        aggregate(["w"], ["t"], ["a"], method="nope")


@pytest.mark.parametrize(
    ("workers", "tasks", "labels", "message"),
    [
        (["w"], ["t", "u"], ["a"], "equal lengths"),
        ([], [], [], "empty input"),
        (["w", None], ["t", "u"], ["a", "b"], r"workers: missing value \(None\) at position 1"),
        (
            ["w", "v"],
            ["t", "u"],
            [1.0, float("nan")],
            r"labels: missing value \(NaN\) at position 1",
        ),
        (["w", "v"], ["t", ""], ["a", "b"], "tasks: empty value at position 1"),
        ([["w"]], [["t"]], [["a"]], "one-dimensional"),
    ],
)
def test_bad_inputs_raise_a_clear_input_error(
    workers: list[object], tasks: list[object], labels: list[object], message: str
) -> None:
    with pytest.raises(AggregationInputError, match=message):
        aggregate(workers, tasks, labels, method="mv")


def test_input_error_is_a_value_error() -> None:
    assert issubclass(AggregationInputError, ValueError)


def test_gold_must_be_a_mapping() -> None:
    with pytest.raises(AggregationInputError, match="mapping"):
        aggregate(["w"], ["t"], ["a"], gold=[("t", "a")])  # type: ignore[arg-type]
