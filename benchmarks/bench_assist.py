"""Model-assisted labeling against crowd-only labeling, on real crowd ratings.

    python benchmarks/bench_assist.py [--items 4000] [--target 0.95] [--seed 0]

Data: the movie-review snippets of Hutto & Gilbert (ICWSM 2014), shipped in the sdist of
``vaderSentiment==3.3.2`` (``additional_resources/hutto_ICWSM_2014.tar.gz``): 10,605 snippets,
each rated by 15-29 crowd workers from -4 to 4. The sdist is fetched once with pip into
``var/bench-data/`` and read in memory. Task: binary sentiment. Items whose mean rating is
within ±0.5 are dropped as ambiguous; the gold label is the sign of the mean. A simulated
crowd answer is the sign of one real rating, drawn without replacement from that item's own
ratings (seeded). A 0 rating is the worker's "neutral": it is paid (counts as an answer) but
votes for neither label, and it never accepts a suggestion. The gold is the mean of the same
ratings the answers are drawn from: it says what the whole crowd of 15-29 thought.

Baseline (no model): dynamic overlap, answers asked one at a time until one label leads by
``LEAD`` votes or ``CAP`` answers were asked; the majority label (a tie goes to the earlier
vote; no vote at all: "pos"). Fixed overlap of 1, 3 and 5 answers is reported for context.

Assisted: the platform's own text model (``datadam.assist.textmodel``: all-MiniLM-L6-v2
embeddings, logistic-regression head). ``SEED_ITEMS`` random items are labeled as in the
baseline; then each round the head is fitted on every crowd-labeled item and predicts the
rest. Items whose top probability is at least ``CONFIDENT`` get one worker who sees the
suggestion: a rating of the same sign accepts it, the opposite sign replaces it and a 0 is
unsure; replaced and unsure items go on to dynamic overlap (the first answer counts as a
vote). Of the other items the ``ROUND`` least sure (margin) are crowd-labeled. The constants
are fixed round numbers, not tuned on the gold.

Stopping uses only what the platform knows. Worker accuracy ``w``: each answer against the
majority of the other answers on its item (leave one out). A crowd label's accuracy: the
posterior of its votes with that ``w``. The head's accuracy ``m`` at a confidence: its
out-of-fold (5-fold) predictions on the crowd-labeled items against their crowd labels, in
confidence bins (Laplace-smoothed). An accepted suggestion: model and worker agree, so
m·w / (m·w + (1-m)(1-w)) (independent errors assumed). Before each round the run projects
the accuracy of the whole set if every remaining item went through the suggestion path now.
It does exactly that and stops once the projection reaches ``--target`` and another round
no longer pays: the last round lowered the expected answers of that final pass (one per
item, plus the dynamic overlap where the suggestion is not accepted; the previous head
judged the same way) by less than the round's crowd labels cost over suggesting them. When
the projection never gets there, every item is labeled by the rounds. The TRUE accuracy on
the gold is reported beside the estimate.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datadam.assist.textmodel import head as heads  # noqa: E402
from datadam.assist.textmodel.uncertainty import margin  # noqa: E402

SDIST = "vaderSentiment-3.3.2.tar.gz"
INNER = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
CLASSES = ("neg", "pos")
AMBIGUOUS = 0.5
LEAD, CAP = 2, 7
SEED_ITEMS, ROUND, CONFIDENT = 50, 100, 0.9
BINS = np.array([0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0 + 1e-9])


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fetch(data_dir: Path) -> Path:
    """The vaderSentiment sdist, downloaded with pip once (a PyPI package)."""
    path = data_dir / SDIST
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                        "--no-binary", ":all:", "vaderSentiment==3.3.2", "-d", str(data_dir)],
                       check=True)
    return path


def read_snippets(sdist: Path) -> tuple[list[str], list[float], list[list[int]]]:
    """Texts, mean ratings and individual ratings of the movie-review snippets."""
    with tarfile.open(sdist) as outer:
        inner_bytes = outer.extractfile(INNER).read()
    with tarfile.open(fileobj=io.BytesIO(inner_bytes)) as inner:
        def lines(name: str) -> list[list[str]]:
            raw = inner.extractfile(f"hutto_ICWSM_2014/{name}").read().decode("utf-8")
            return [line.split("\t") for line in raw.splitlines() if line.strip()]
        truth = lines("movieReviewSnippets_GroundTruth.txt")
        ratings = lines("movieReviewSnippets_anonDataRatings.txt")
    by_id = {row[0]: row for row in ratings}
    texts, means, votes = [], [], []
    for sid, mean, text in truth:
        texts.append(text)
        means.append(float(mean))
        votes.append([int(v) for v in ast.literal_eval(by_id[sid][3])])
    return texts, means, votes


def select(means: list[float], ratings: list[list[int]], items: int, seed: int
           ) -> tuple[list[int], list[str], list[list[int]]]:
    """Indices of ``items`` unambiguous snippets (seeded), their gold labels, and their
    ratings' signs in a seeded order (the order workers answer in)."""
    rng = np.random.default_rng(seed)
    keep = [i for i, m in enumerate(means) if abs(m) >= AMBIGUOUS]
    chosen = sorted(rng.choice(keep, size=min(items, len(keep)), replace=False).tolist())
    gold = ["pos" if means[i] > 0 else "neg" for i in chosen]
    signs = [[int(np.sign(v)) for v in rng.permutation(ratings[i])] for i in chosen]
    return chosen, gold, signs


@dataclass
class Crowd:
    """Real answers per item, handed out in order without replacement; counts what is paid."""

    signs: list[list[int]]
    answers: int = 0
    drawn: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.drawn = [0] * len(self.signs)

    def ask(self, item: int) -> int | None:
        """The next worker's answer: +1 pos, -1 neg, 0 neutral; None when none is left."""
        if self.drawn[item] >= len(self.signs[item]):
            return None
        self.drawn[item] += 1
        self.answers += 1
        return self.signs[item][self.drawn[item] - 1]


def majority(votes: list[int]) -> str:
    """The label with more votes; a tie goes to the earlier vote; no vote at all: "pos"."""
    total = sum(votes)
    if total == 0:
        first = next((v for v in votes if v), 1)
        return "pos" if first > 0 else "neg"
    return "pos" if total > 0 else "neg"


def dynamic_overlap(crowd: Crowd, item: int, votes: list[int] | None = None) -> list[int]:
    """Ask until one label leads by LEAD votes, or CAP answers, or no rating is left."""
    votes = list(votes or [])
    while len(votes) < CAP and abs(sum(votes)) < LEAD:
        answer = crowd.ask(item)
        if answer is None:
            break
        votes.append(answer)
    return votes


def fixed_overlap(signs: list[list[int]], gold: list[str], k: int) -> dict:
    """Accuracy and answers when every item gets its first ``k`` answers."""
    labels = [majority(s[:k]) for s in signs]
    correct = [a == b for a, b in zip(labels, gold, strict=True)]
    return {"answers": sum(min(k, len(s)) for s in signs),
            "accuracy": round(float(np.mean(correct)), 4)}


def run_baseline(signs: list[list[int]], gold: list[str]) -> dict:
    """Dynamic overlap on every item, no model."""
    crowd = Crowd(signs)
    labels = [majority(dynamic_overlap(crowd, i)) for i in range(len(signs))]
    accuracy = float(np.mean([a == b for a, b in zip(labels, gold, strict=True)]))
    return {"answers": crowd.answers, "accuracy": accuracy}


def worker_accuracy(vote_lists: list[list[int]]) -> float:
    """Share of non-neutral answers that agree with the strict majority of the other answers on
    their item (leave one out), Laplace-smoothed."""
    agree = total = 0
    for votes in vote_lists:
        nonzero = [v for v in votes if v]
        s = sum(nonzero)
        for v in nonzero:
            rest = s - v
            if rest:
                total += 1
                agree += (rest > 0) == (v > 0)
    return (agree + 1) / (total + 2)


def crowd_posterior(votes: list[int], w: float) -> float:
    """Probability that the majority of ``votes`` is right, each vote right with chance w."""
    lead = abs(sum(votes))
    return 1.0 / (1.0 + ((1.0 - w) / w) ** lead) if lead else 0.5


def calibrate(confidence: np.ndarray, correct: np.ndarray) -> np.ndarray:
    """Per confidence bin (BINS), the smoothed share of correct out-of-fold predictions."""
    bins = np.clip(np.digitize(confidence, BINS) - 1, 0, len(BINS) - 2)
    hits = np.bincount(bins, weights=correct.astype(float), minlength=len(BINS) - 1)
    count = np.bincount(bins, minlength=len(BINS) - 1)
    return (hits + 1) / (count + 2)


def bin_accuracy(table: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    return table[np.clip(np.digitize(confidence, BINS) - 1, 0, len(BINS) - 2)]


def accepted_posterior(m: float | np.ndarray, w: float) -> float | np.ndarray:
    """Model (accuracy m) and one worker (accuracy w) agree: probability both are right."""
    return m * w / (m * w + (1 - m) * (1 - w))


def accept_chance(m: np.ndarray, w: float, neutral: float) -> np.ndarray:
    """Chance that one worker accepts a suggestion: not neutral, and right with the model or
    wrong with it."""
    return (1 - neutral) * (m * w + (1 - m) * (1 - w))


def fit_round(x: np.ndarray, labels: list[str]) -> tuple[heads.Head, np.ndarray]:
    """The head on the crowd labels (its C chosen as the platform chooses it,
    ``fit_selected``), and its calibration from 5-fold out-of-fold predictions."""
    head, _accuracy, c = heads.fit_selected(x, labels, CLASSES)
    oof = heads.cross_val_proba(x, labels, CLASSES, k=5, c=c)
    correct = np.array([CLASSES[j] for j in oof.argmax(1)]) == np.array(labels)
    return head, calibrate(oof.max(1), correct)


def run_assisted(x: np.ndarray, signs: list[list[int]], gold: list[str], *, target: float,
                 seed: int) -> dict:
    """Active learning with pre-labels; see the module docstring."""
    n = len(signs)
    crowd = Crowd(signs)
    rng = np.random.default_rng(seed + 1)
    votes: dict[int, list[int]] = {}  # crowd-labeled items
    accepted: dict[int, tuple[str, float]] = {}  # item -> (label, model accuracy m)
    counts = {"accepted": 0, "replaced": 0, "unsure": 0}
    remaining = set(range(n))
    for i in rng.choice(n, size=min(SEED_ITEMS, n), replace=False).tolist():
        votes[i] = dynamic_overlap(crowd, i)
        remaining.discard(i)

    def suggest(i: int, label: str, m: float) -> None:
        answer = crowd.ask(i)
        if answer is not None and answer == (1 if label == "pos" else -1):
            counts["accepted"] += 1
            accepted[i] = (label, m)
        else:
            counts["replaced" if answer else "unsure"] += 1
            votes[i] = dynamic_overlap(crowd, i, [answer] if answer is not None else [])
        remaining.discard(i)

    rounds, projection, final_sweep, previous = 0, 0.0, False, None
    while remaining:
        rounds += 1
        crowd_items = sorted(votes)
        crowd_labels = [majority(votes[i]) for i in crowd_items]
        head, table = fit_round(x[crowd_items], crowd_labels)
        w = worker_accuracy(list(votes.values()))
        neutral = float(np.mean([v == 0 for vs in votes.values() for v in vs]))
        crowd_acc = float(np.mean([crowd_posterior(votes[i], w) for i in crowd_items]))
        per_item = float(np.mean([len(votes[i]) for i in crowd_items]))

        rest = sorted(remaining)
        proba = head.predict_proba(x[rest])
        conf = proba.max(1)
        m = bin_accuracy(table, conf)
        predicted = [CLASSES[j] for j in proba.argmax(1)]
        p_accept = accept_chance(m, w, neutral)
        known = sum(crowd_posterior(votes[i], w) for i in votes)
        known += sum(float(accepted_posterior(a[1], w)) for a in accepted.values())
        expected = (1 - neutral) * m * w + (1 - p_accept) * crowd_acc
        projection = (known + float(expected.sum())) / n
        # Answers a suggestion costs: one, plus the dynamic overlap when it is not accepted.
        cost = 1 + (1 - p_accept) * (per_item - 1)
        unsure_first = np.argsort(-margin(proba), kind="stable")
        # Another round pays when the last one cut the sweep's cost by more than the round
        # costs over sweeping its items now: the previous head, judged the same way.
        round_extra = float(np.sum(per_item - cost[unsure_first[:ROUND]]))
        gain = 0.0
        if previous is not None:
            old = previous[0].predict_proba(x[rest]).max(1)
            old_m = bin_accuracy(previous[1], old)
            old_cost = 1 + (1 - accept_chance(old_m, w, neutral)) * (per_item - 1)
            gain = float(old_cost.mean() - cost.mean()) * max(0, len(rest) - ROUND)
        final_sweep = projection >= target and previous is not None and gain <= round_extra
        log(f"round {rounds}: {len(votes)} crowd-labeled, {len(accepted)} accepted, "
            f"{len(rest)} left, w={w:.3f}, projection {projection:.4f}, sweep "
            f"{cost.sum():.0f} answers, gain {gain:.0f} vs {round_extra:.0f}, "
            f"answers {crowd.answers}")
        previous = (head, table)
        if final_sweep:
            for i, label, mi in zip(rest, predicted, m, strict=True):
                suggest(i, label, float(mi))
            break
        for i, label, ci, mi in zip(rest, predicted, conf, m, strict=True):
            if ci >= CONFIDENT:
                suggest(i, label, float(mi))
        for i in [rest[j] for j in unsure_first if rest[j] in remaining][:ROUND]:
            votes[i] = dynamic_overlap(crowd, i)
            remaining.discard(i)

    w = worker_accuracy(list(votes.values()))
    labels = {i: majority(v) for i, v in votes.items()} | {i: a[0] for i, a in accepted.items()}
    estimate = (sum(crowd_posterior(v, w) for v in votes.values())
                + sum(float(accepted_posterior(a[1], w)) for a in accepted.values())) / n
    accuracy = float(np.mean([labels[i] == gold[i] for i in range(n)]))
    shown = counts["accepted"] + counts["replaced"] + counts["unsure"]
    accepted_correct = [accepted[i][0] == gold[i] for i in accepted]
    return {
        "answers": crowd.answers, "accuracy": accuracy, "estimated_accuracy": estimate,
        "rounds": rounds, "stopped_by_projection": final_sweep,
        "last_projection": round(projection, 4), "worker_accuracy_estimate": round(w, 4),
        "crowd_labeled_items": len(votes), "model_confirmed_items": len(accepted),
        "accepted_true_accuracy": round(float(np.mean(accepted_correct)), 4)
        if accepted_correct else None,
        "suggestion_accept_rate": round(counts["accepted"] / shown, 4) if shown else None,
        **counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=4000)
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "bench-data")
    args = parser.parse_args()

    from datadam.assist.textmodel import encoder

    texts, means, ratings = read_snippets(fetch(args.data))
    chosen, gold, signs = select(means, ratings, args.items, args.seed)
    log(f"{len(texts)} snippets, {len(chosen)} chosen ({sum(g == 'pos' for g in gold)} pos)")
    encoder.encode(["warm-up"])
    started = time.perf_counter()
    x = encoder.encode([texts[i] for i in chosen])
    encode_seconds = time.perf_counter() - started
    log(f"embedded in {encode_seconds:.1f}s")

    baseline = run_baseline(signs, gold)
    fixed = {str(k): fixed_overlap(signs, gold, k) for k in (1, 3, 5)}
    assisted = run_assisted(x, signs, gold, target=args.target, seed=args.seed)
    result = {
        "dataset": "Hutto & Gilbert ICWSM 2014 movie-review snippets (vaderSentiment 3.3.2 sdist)",
        "items": len(chosen), "target": args.target, "seed": args.seed,
        "encode_seconds": round(encode_seconds, 2),
        "encode_sentences_per_s": round(len(chosen) / encode_seconds, 1),
        "baseline_answers": baseline["answers"],
        "baseline_accuracy": round(baseline["accuracy"], 4),
        "baseline_meets_target": baseline["accuracy"] >= args.target,
        "fixed_overlap": fixed,
        "assisted_answers": assisted["answers"],
        "assisted_accuracy": round(assisted["accuracy"], 4),
        "assisted_estimated_accuracy": round(assisted["estimated_accuracy"], 4),
        "assisted_meets_target": assisted["accuracy"] >= args.target,
        "assisted_estimate_meets_target": assisted["estimated_accuracy"] >= args.target,
        "answers_saved_pct": round(100 * (1 - assisted["answers"] / baseline["answers"]), 1),
        **{k: v for k, v in assisted.items()
           if k not in ("answers", "accuracy", "estimated_accuracy")},
        "neutral_rating": "paid, votes for neither label, never accepts a suggestion",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
