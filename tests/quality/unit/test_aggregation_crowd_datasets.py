"""Real crowd label sets (../shared/datasets/crowd): crowd-kit agreement, accuracy floors.

crowd-kit (1.4.2, requirements-test.lock) is a test dependency and is imported unguarded, so a
broken install fails loudly; only a missing data folder skips these tests.
"""

from __future__ import annotations

import os
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from crowdkit import aggregation as crowdkit

from datadam.quality.aggregation import (
    AggregationResult,
    aggregate,
    ds,
    glad,
    mace,
    mv,
    ods,
    read_gold_csv,
    read_labels_csv,
    wmv,
)
from datadam.quality.aggregation.io import LabelTable

ROOT = Path(__file__).parents[3]


def find_crowd() -> Path:
    """$DATADAM_CROWD_DATASETS, else shared/datasets/crowd beside the checkout or above it (a git
    worktree such as /work/wt/x finds /work/shared)."""
    if env := os.environ.get("DATADAM_CROWD_DATASETS"):
        return Path(env)
    candidates = [d / "shared" / "datasets" / "crowd" for d in (ROOT, *ROOT.parents)]
    return next((c for c in candidates if c.is_dir()), candidates[1])


CROWD = find_crowd()
DATASETS = (
    sorted(p.name for p in CROWD.iterdir() if (p / "labels.csv").is_file())
    if CROWD.is_dir()
    else []
)
pytestmark = [
    pytest.mark.skipif(not DATASETS, reason=f"no crowd datasets at {CROWD}"),
    # crowd-kit 1.4.2 uses pandas keywords that pandas 3.1 deprecates.
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]

# Accuracy (%) of crowd-kit 1.4.2 DawidSkene() with its defaults (n_iter=100, tol=1e-5) against
# gold, measured by benchmarks/bench_aggregate.py; the benchmark re-measures it live.
CROWDKIT_DS_ACCURACY = {
    "d_Duck_Identification": 88.89,
    "d_jn-product": 93.97,
    "rte": 92.75,
    "s4_Dog_data": 84.26,
    "s4_Face_Sentiment": 64.04,
    "temp": 94.16,
    "web": 82.92,
}


@cache
def load(name: str) -> tuple[LabelTable, dict[str, str]]:
    return read_labels_csv(CROWD / name / "labels.csv"), read_gold_csv(CROWD / name / "gold.csv")


def accuracy(result: AggregationResult, gold: dict[str, str]) -> float:
    answers = result.as_dict()
    return 100.0 * float(np.mean([answers.get(task) == label for task, label in gold.items()]))


def frame(table: LabelTable) -> pd.DataFrame:
    return pd.DataFrame({"worker": table.workers, "task": table.tasks, "label": table.labels})


@pytest.mark.parametrize("name", DATASETS)
def test_ds_labels_match_crowdkit_dawid_skene_on_99_percent_of_tasks(name: str) -> None:
    table, _ = load(name)
    theirs, n_iter = crowdkit_fit(name, "DawidSkene", tuple(FIXED["ds"].items()))
    # crowd-kit also stops when its ELBO drops (even with tol=0): run as many iterations.
    ours = ds(*table, n_iter=n_iter, tol=0).as_dict()
    same = [ours[task] == label for task, label in theirs.items()]
    assert len(same) == len(ours)
    assert np.mean(same) >= 0.99


@pytest.mark.parametrize("name", DATASETS)
def test_mv_equals_crowdkit_majority_vote_except_ties_which_go_to_the_smallest_label(
    name: str,
) -> None:
    table, _ = load(name)
    theirs = crowdkit.MajorityVote().fit(frame(table))
    probas = theirs.probas_
    order = np.argsort(np.asarray(probas.columns))
    classes = np.asarray(probas.columns)[order]
    values = probas.to_numpy()[:, order]
    is_top = values == values.max(axis=1, keepdims=True)
    smallest_tied = classes[is_top.argmax(axis=1)]
    theirs_labels = theirs.labels_.reindex(probas.index).to_numpy()
    expected = np.where(is_top.sum(axis=1) == 1, theirs_labels, smallest_tied)
    ours = mv(*table).as_dict()
    assert [ours[task] for task in probas.index] == expected.tolist()


@pytest.mark.parametrize("name", DATASETS)
def test_auto_is_no_more_than_half_a_point_below_crowdkit_ds(name: str) -> None:
    table, gold = load(name)
    reference = CROWDKIT_DS_ACCURACY.get(name)
    if reference is None:
        pytest.skip(f"no recorded crowd-kit accuracy for {name}")
    assert accuracy(aggregate(*table), gold) >= reference - 0.5


def test_auto_beats_crowdkit_ds_on_mean_accuracy_over_the_datasets() -> None:
    names = [n for n in DATASETS if n in CROWDKIT_DS_ACCURACY]
    ours = [accuracy(aggregate(*load(n)[0]), load(n)[1]) for n in names]
    assert np.mean(ours) > np.mean([CROWDKIT_DS_ACCURACY[n] for n in names])


def worker_halves(table: LabelTable, seed: int) -> list[LabelTable]:
    """The two halves of a seeded permutation of the (sorted) workers, with their labels."""
    workers = np.asarray(table.workers)
    ids = np.unique(workers)
    order = np.random.default_rng(seed).permutation(len(ids))
    first = np.isin(workers, ids[order[: len(ids) // 2]])
    return [LabelTable(*(np.asarray(col)[mask] for col in table)) for mask in (first, ~first)]


def present_accuracy(result: AggregationResult, gold: dict[str, str]) -> float:
    """% right among the gold tasks this (partial) crowd labelled."""
    answers = result.as_dict()
    return 100.0 * float(np.mean([answers[t] == y for t, y in gold.items() if t in answers]))


def test_auto_is_not_below_ds_on_average_over_worker_halves_of_every_dataset() -> None:
    # Each half of a data set's workers is a different, smaller crowd that auto's rule was not
    # designed on (benchmarks/bench_aggregate.py runs 5 splits; seeds 301-310 gave +0.07 on
    # average, worst half -2.6, only web ever differing).
    gaps = []
    for name in DATASETS:
        table, gold = load(name)
        for seed in (201, 202):
            for half in worker_halves(table, seed):
                auto_acc = present_accuracy(aggregate(*half), gold)
                gaps.append(auto_acc - present_accuracy(aggregate(*half, method="ds"), gold))
    assert np.mean(gaps) >= 0.0
    assert min(gaps) >= -3.0


@pytest.mark.parametrize("name", DATASETS)
def test_gold_on_half_the_tasks_does_not_hurt_ds_accuracy_on_the_other_half(name: str) -> None:
    table, gold = load(name)
    tasks = sorted(gold)
    known = {t: gold[t] for t in tasks[::2]}
    held_out = {t: gold[t] for t in tasks[1::2]}
    without = accuracy(aggregate(*table, method="ds"), held_out)
    with_gold = aggregate(*table, method="ds", gold=known)
    answers = with_gold.as_dict()
    assert all(answers[t] == label for t, label in known.items())
    assert accuracy(with_gold, held_out) >= without - 1.0


# --- every method against its crowd-kit 1.4.2 counterpart ----------------------------------------

METHODS = {"mv": mv, "wmv": wmv, "ds": ds, "ods": ods, "glad": glad, "mace": mace}
COUNTERPART = {
    "mv": "MajorityVote",
    "wmv": "Wawa",  # one re-weighting round; ours re-weights up to n_iter (10) times
    "ds": "DawidSkene",
    "ods": "OneCoinDawidSkene",
    "glad": "GLAD",
    "mace": "MACE",
}
# crowd-kit settings for the fixed-iteration comparison: 10 iterations, no tolerance stop (crowd-kit
# may still stop earlier when its ELBO drops; we then run as many as it did, from loss_history_).
# MACE: one restart (its default is 10 random restarts of 50 iterations), 10 iterations.
FIXED = {
    "mv": {},
    "wmv": {},
    "ds": {"n_iter": 10, "tol": 0},
    "ods": {"n_iter": 10, "tol": 0},
    "glad": {"n_iter": 10, "tol": 0},
    "mace": {"n_restarts": 1, "n_iter": 10},
}
# crowd-kit's GLAD and MACE are slow (GLAD about 0.6 s an iteration on 4,212 labels; MACE's default
# 10 restarts take 5-35 s a data set), and DawidSkene's defaults on d_jn-product take ~12 s: those
# run on the data sets listed only. The whole module adds about a minute at most.
FIXED_ON = {
    "mv": (),  # ties break differently; test_mv_equals_crowdkit_majority_vote_... is exact
    "glad": ("d_Duck_Identification",),
    "mace": ("d_Duck_Identification", "s4_Face_Sentiment", "temp"),
}
DEFAULTS_ON = {
    "ds": tuple(n for n in CROWDKIT_DS_ACCURACY if n != "d_jn-product"),
    "glad": ("d_Duck_Identification",),
    "mace": ("d_Duck_Identification",),
}

# % of tasks on which our labels equal crowd-kit's at the same number of iterations, measured with
# crowd-kit 1.4.2 (scikit-learn 1.7.2). Floor: 1 point below. Where they differ: our DS/ODS smooth
# the counts (crowd-kit's ODS does not), our ODS keeps uniform class priors, our WMV re-weights
# until stable, ties go to the smallest label here and to the first seen there, and crowd-kit's
# MACE starts from random values.
AGREEMENT = {
    "wmv": {
        "d_Duck_Identification": 100.0,
        "d_jn-product": 100.0,
        "rte": 98.75,
        "s4_Dog_data": 99.88,
        "s4_Face_Sentiment": 100.0,
        "temp": 100.0,
        "web": 92.87,
    },
    "ds": {
        "d_Duck_Identification": 100.0,
        "d_jn-product": 100.0,
        "rte": 100.0,
        "s4_Dog_data": 100.0,
        "s4_Face_Sentiment": 100.0,
        "temp": 100.0,
        "web": 99.89,
    },
    "ods": {
        "d_Duck_Identification": 90.74,
        "d_jn-product": 95.98,
        "rte": 100.0,
        "s4_Dog_data": 99.75,
        "s4_Face_Sentiment": 95.89,
        "temp": 99.78,
        "web": 91.59,
    },
    "glad": {"d_Duck_Identification": 100.0},
    "mace": {"d_Duck_Identification": 93.52, "s4_Face_Sentiment": 96.75, "temp": 98.92},
}
AGREEMENT_SLACK = 1.0
# Our accuracy against gold (each side at its own defaults) may trail crowd-kit's by this many
# points at most; the largest gaps measured are 0.37 (DS on web: 82.55 against 82.92) and 0.35
# (MV on s4_Face_Sentiment, ties). Elsewhere ours is level or ahead, by up to 13.9 points (ODS on
# d_Duck_Identification).
ACCURACY_MARGIN = 0.5


@cache
def crowdkit_fit(name: str, cls: str, params: tuple[tuple[str, Any], ...]) -> tuple[dict, int]:
    """crowd-kit's labels (task -> label) and how many iterations it ran (0 if it keeps no
    loss_history_)."""
    model = getattr(crowdkit, cls)(**dict(params))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels = model.fit_predict(frame(load(name)[0]))
    return labels.to_dict(), len(getattr(model, "loss_history_", ()))


def cases(table: dict[str, tuple[str, ...]], default: tuple[str, ...]) -> list[Any]:
    return [
        pytest.param(method, name, id=f"{method}-{name}")
        for method in METHODS
        for name in DATASETS
        if name in table.get(method, default)
    ]


@pytest.mark.parametrize(("method", "name"), cases(FIXED_ON, tuple(DATASETS)))
def test_labels_agree_with_crowdkit_at_the_same_number_of_iterations(
    method: str, name: str
) -> None:
    table, _ = load(name)
    theirs, ran = crowdkit_fit(name, COUNTERPART[method], tuple(FIXED[method].items()))
    n_iter = ran or FIXED[method].get("n_iter", 10)
    ours = METHODS[method](*table, n_iter=n_iter, tol=0).as_dict()
    assert set(theirs) == set(ours)
    agreement = 100.0 * float(np.mean([ours[task] == label for task, label in theirs.items()]))
    print(f"{method} {name}: {agreement:.2f}% of tasks agree after {n_iter} iterations")
    measured = AGREEMENT[method].get(name)
    assert measured is not None, f"no measured agreement for {method} on {name}: {agreement:.2f}"
    assert agreement >= measured - AGREEMENT_SLACK


@pytest.mark.parametrize(("method", "name"), cases(DEFAULTS_ON, tuple(DATASETS)))
def test_accuracy_at_defaults_is_within_half_a_point_of_crowdkit_or_better(
    method: str, name: str
) -> None:
    table, gold = load(name)
    # MajorityVote and Wawa have no settings: the fixed-iteration fit is the default one.
    params = tuple(FIXED[method].items()) if method in ("mv", "wmv") else ()
    theirs, _ = crowdkit_fit(name, COUNTERPART[method], params)
    theirs_accuracy = 100.0 * float(np.mean([theirs.get(t) == y for t, y in gold.items()]))
    ours_accuracy = accuracy(METHODS[method](*table), gold)
    print(f"{method} {name}: ours {ours_accuracy:.2f}%, crowd-kit {theirs_accuracy:.2f}%")
    assert ours_accuracy >= theirs_accuracy - ACCURACY_MARGIN
