"""Dynamic overlap against fixed overlap on a simulated crowd with known worker accuracies.

    python benchmarks/bench_overlap.py [--items 5000] [--seed 1]

Each item has a true class out of K; each worker answers correctly with their own accuracy
(drawn from U(0.6, 0.95)), else a uniformly wrong class. Fixed overlap asks ``max`` workers per
item; dynamic overlap asks ``min``, then one more at a time while the item's one-coin posterior
(``datadam.datasets.overlap.item_posterior``, worker skills as the platform stores them) is
below the target, up to ``max``. The final label of both is the posterior's argmax.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datadam.datasets.posterior import item_posterior, shrunk_skill  # noqa: E402


@dataclass
class Outcome:
    answers: int
    accuracy: float


def _answer(rng: random.Random, truth: int, skill: float, k: int) -> int:
    if rng.random() < skill:
        return truth
    return rng.choice([c for c in range(k) if c != truth])


def simulate(*, items: int, k: int, skills: list[float], min_answers: int, max_answers: int,
             target: float | None, seed: int, known_labels: int = 200) -> Outcome:
    """Answers used and accuracy of the final labels (``target=None``: fixed ``max_answers``)."""
    rng = random.Random(seed)
    used = correct = 0
    for _ in range(items):
        truth = rng.randrange(k)
        crowd = rng.sample(range(len(skills)), max_answers)
        labels: list[int] = []
        weights: list[float] = []
        want = max_answers if target is None else min_answers
        post: list[float] = [1.0 / k] * k
        while len(labels) < want:
            w = crowd[len(labels)]
            labels.append(_answer(rng, truth, skills[w], k))
            # The platform knows each worker's skill from earlier aggregations.
            weights.append(shrunk_skill(skills[w], known_labels, k))
            post = item_posterior(labels, weights, k)
            if target is not None and len(labels) == want and max(post) < target:
                want = min(max_answers, want + 1)
        used += len(labels)
        correct += int(max(range(k), key=post.__getitem__) == truth)
    return Outcome(used, correct / items)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    skills = [rng.uniform(0.6, 0.95) for _ in range(50)]
    fixed = simulate(items=args.items, k=3, skills=skills, min_answers=5, max_answers=5,
                     target=None, seed=args.seed)
    dynamic = simulate(items=args.items, k=3, skills=skills, min_answers=2, max_answers=5,
                       target=0.95, seed=args.seed)
    three = simulate(items=args.items, k=3, skills=skills, min_answers=3, max_answers=3,
                     target=None, seed=args.seed)
    print(f"fixed overlap 3:        {three.answers} answers, accuracy {three.accuracy:.4f}")
    print(f"fixed overlap 5:        {fixed.answers} answers, accuracy {fixed.accuracy:.4f}")
    print(f"dynamic 2..5 @ 0.95:    {dynamic.answers} answers, accuracy {dynamic.accuracy:.4f}")
    print(f"saved: {fixed.answers - dynamic.answers} answers "
          f"({100 * (1 - dynamic.answers / fixed.answers):.1f} %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
