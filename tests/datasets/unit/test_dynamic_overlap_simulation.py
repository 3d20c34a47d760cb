"""Dynamic overlap on a simulated crowd: the target accuracy with fewer answers."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from datadam.datasets.posterior import item_posterior, shrunk_skill

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_overlap.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_overlap", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_posterior_of_agreeing_answers_grows_with_skill():
    assert item_posterior([], [], 3) == pytest.approx([1 / 3] * 3)
    two = item_posterior([1, 1], [0.7, 0.7], 3)
    assert max(two) == two[1] == pytest.approx(0.49 / (0.49 + 2 * 0.15**2))
    split = item_posterior([0, 1], [0.9, 0.6], 3)
    assert split[0] > split[1] > split[2]


def test_shrinkage_pulls_unknown_workers_to_the_prior_and_keeps_skill_informative():
    assert shrunk_skill(None, 0, 3) == pytest.approx(0.7)
    assert shrunk_skill(0.95, 1000, 3) == pytest.approx(0.95, abs=0.002)
    assert shrunk_skill(0.1, 1000, 3) == pytest.approx(1 / 3)


def test_dynamic_overlap_reaches_target_accuracy_with_fewer_answers():
    bench = _bench()
    rng = random.Random(3)
    skills = [rng.uniform(0.6, 0.95) for _ in range(40)]
    fixed = bench.simulate(items=1500, k=3, skills=skills, min_answers=5, max_answers=5,
                           target=None, seed=3)
    dynamic = bench.simulate(items=1500, k=3, skills=skills, min_answers=2, max_answers=5,
                             target=0.95, seed=3)
    assert dynamic.accuracy >= 0.95
    assert dynamic.accuracy >= fixed.accuracy - 0.01
    assert dynamic.answers < 0.75 * fixed.answers  # measured: about 36 % fewer
