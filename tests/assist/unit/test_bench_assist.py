"""The model-assisted labeling benchmark's simulation, on small synthetic data."""

from __future__ import annotations

import importlib.util
import io
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_assist.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_assist", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _crowd(n: int, accuracy: float, seed: int) -> tuple[list[str], list[list[int]], np.ndarray]:
    """Gold labels, 15 answers per item (right with ``accuracy``, 5% neutral) and embeddings
    where the label is learnable but not perfectly."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 2, n)
    gold = ["pos" if t else "neg" for t in truth]
    signs = []
    for t in truth:
        right = 1 if t else -1
        draw = rng.random(15)
        signs.append([0 if d < 0.05 else right if d < 0.05 + accuracy * 0.95 else -right
                      for d in draw])
    x = rng.normal(size=(n, 12))
    x[:, 0] += np.where(truth == 1, 1.5, -1.5)
    return gold, signs, x / np.linalg.norm(x, axis=1, keepdims=True)


def test_dynamic_overlap_stops_on_a_lead_of_two_or_the_cap(bench):
    crowd = bench.Crowd([[1, 1, -1], [1, -1, 1, -1, 1, -1, 1, -1, 1], [0, 0]])
    assert bench.dynamic_overlap(crowd, 0) == [1, 1]
    assert bench.dynamic_overlap(crowd, 1) == [1, -1, 1, -1, 1, -1, 1]
    assert bench.dynamic_overlap(crowd, 2) == [0, 0]  # ran out of ratings
    assert crowd.answers == 11
    assert bench.dynamic_overlap(crowd, 0, [-1]) == [-1, -1]  # continues from a given vote


def test_majority_breaks_ties_by_the_earlier_vote(bench):
    assert bench.majority([1, -1, -1]) == "neg"
    assert bench.majority([-1, 0, 1]) == "neg"
    assert bench.majority([0, 0]) == "pos"


def test_estimates_follow_worker_agreement(bench):
    assert bench.worker_accuracy([[1, 1, 1], [-1, -1]]) == pytest.approx(6 / 7)
    assert bench.worker_accuracy([[1, 1, -1]]) < bench.worker_accuracy([[1, 1, 1]])
    assert bench.crowd_posterior([1, 1], 0.9) == pytest.approx(0.81 / 0.82)
    assert bench.crowd_posterior([1, -1], 0.9) == 0.5
    assert bench.accepted_posterior(0.9, 0.9) == pytest.approx(0.81 / 0.82)
    table = bench.calibrate(np.array([0.55, 0.56, 0.97]), np.array([True, False, True]))
    assert table[0] == pytest.approx(0.5) and table[-1] == pytest.approx(2 / 3)


def test_assisted_labeling_needs_fewer_answers_at_the_target(bench):
    gold, signs, x = _crowd(600, 0.85, seed=2)
    baseline = bench.run_baseline(signs, gold)
    assisted = bench.run_assisted(x, signs, gold, target=0.95, seed=0)
    assert assisted["answers"] < 0.8 * baseline["answers"]
    assert assisted["accuracy"] >= 0.93 and baseline["accuracy"] >= 0.93
    assert abs(assisted["estimated_accuracy"] - assisted["accuracy"]) < 0.04
    assert assisted["crowd_labeled_items"] + assisted["model_confirmed_items"] == 600
    assert assisted["accepted"] == assisted["model_confirmed_items"] > 0
    shown = assisted["accepted"] + assisted["replaced"] + assisted["unsure"]
    assert assisted["suggestion_accept_rate"] == pytest.approx(assisted["accepted"] / shown,
                                                               abs=1e-4)


def test_an_unreachable_target_labels_every_item_in_rounds(bench):
    gold, signs, x = _crowd(260, 0.85, seed=4)
    assisted = bench.run_assisted(x, signs, gold, target=1.0, seed=0)
    assert not assisted["stopped_by_projection"]
    assert assisted["crowd_labeled_items"] + assisted["model_confirmed_items"] == 260
    assert assisted["estimated_accuracy"] < 1.0


def test_the_snippets_are_read_from_the_sdist_without_extracting(bench, tmp_path):
    def tar_bytes(files: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return buffer.getvalue()

    inner = tar_bytes({
        "hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt":
            b"1\t2.0\tGreat fun.\r\n2\t-0.2\tMeh.\r\n3\t-1.5\tDull.\r\n",
        "hutto_ICWSM_2014/movieReviewSnippets_anonDataRatings.txt":
            b"1\t2.0\t0.1\t[2, 2, 2]\r\n2\t-0.2\t0.3\t[0, -1, 0, 0, 0]\r\n"
            b"3\t-1.5\t0.5\t[-1, -2]\r\n",
    })
    (tmp_path / bench.SDIST).write_bytes(tar_bytes({bench.INNER: inner}))
    texts, means, ratings = bench.read_snippets(bench.fetch(tmp_path))
    assert texts == ["Great fun.", "Meh.", "Dull."] and means == [2.0, -0.2, -1.5]
    assert ratings[2] == [-1, -2]
    chosen, gold, signs = bench.select(means, ratings, 10, seed=0)
    assert chosen == [0, 2] and gold == ["pos", "neg"]  # the ambiguous one is dropped
    assert sorted(signs[1]) == [-1, -1]
    assert list(tmp_path.iterdir()) == [tmp_path / bench.SDIST]
