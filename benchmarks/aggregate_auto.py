"""Worker-half cross-validation on the shared crowd data sets, for bench_aggregate.py.

A split draws a seeded permutation of a data set's (sorted) workers and cuts it into two halves;
every method runs on the labels of one half only and is scored against gold on the tasks that
half still labels. A method tuned to the seven full data sets gains nothing here: each half is
a different, smaller crowd. ``auto_other_half`` goes further: each half is aggregated with the
method ``auto`` chose on the other half, so the choice is never scored on the answers it saw.
``auto_before`` is the density rule ``auto`` used before it chose by held-out answers, kept
here (not in the library) so the before/after comparison stays runnable.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from datadam.quality.aggregation import AggregationResult, Encoded, aggregate_encoded, encode
from datadam.quality.aggregation.dawid_skene import fit_ds
from datadam.quality.aggregation.io import LabelTable
from datadam.quality.aggregation.majority import fit_wmv

SEEDS = (101, 102, 103, 104, 105)
CV_METHODS = ("auto_before", "auto", "auto_other_half", "ds", "crowdkit_DawidSkene")
CV_LABELS = {
    "auto_before": "auto (before: density)",
    "auto": "auto (now)",
    "auto_other_half": "auto, other half's pick",
    "ds": "ds",
    "crowdkit_DawidSkene": "  crowd-kit DawidSkene",
}
#: ``auto`` before this change, as docs/aggregation.md recorded it (git history), per data set.
BEFORE_DOCUMENTED = {
    "d_Duck_Identification": 89.81, "d_jn-product": 93.73, "rte": 92.88, "s4_Dog_data": 84.14,
    "s4_Face_Sentiment": 64.21, "temp": 94.16, "web": 84.40,
}


def auto_before(enc: Encoded) -> AggregationResult:
    """The old ``auto``: d = share of labels from workers with >= 2K^2 labels; d >= 0.8 -> DS
    with a Jeffreys pseudo-count, 0.3 <= d < 0.8 -> DS shrunk to one-coin by 2K labels, else
    weighted majority vote."""
    k = max(enc.n_classes, 2)
    dense = enc.worker_n_labels >= 2 * k * k
    share = float(enc.worker_n_labels[dense].sum() / max(enc.n_labels, 1))
    if share >= 0.8:
        return fit_ds(enc, smoothing=0.5)
    if share >= 0.3:
        return fit_ds(enc, smoothing=1e-3, shrink=2.0 * k)
    return fit_wmv(enc)


def accuracy(answers: dict[Any, Any], gold: dict[str, str]) -> float | None:
    """% of the gold tasks present in ``answers`` that got the gold label (None if none are)."""
    hits = [answers[t] == y for t, y in gold.items() if t in answers]
    return 100.0 * float(np.mean(hits)) if hits else None


def worker_halves(workers: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Label masks of the two halves of a seeded permutation of the sorted worker ids."""
    ids = np.unique(workers)
    first = ids[np.random.default_rng(seed).permutation(len(ids))[: len(ids) // 2]]
    in_first = np.isin(workers, first)
    return in_first, ~in_first


def crowdkit_ds_answers(table: LabelTable) -> dict[Any, Any]:
    """crowd-kit 1.4.2 DawidSkene() at its defaults."""
    import pandas as pd
    from crowdkit.aggregation import DawidSkene

    frame = pd.DataFrame({"worker": table.workers, "task": table.tasks, "label": table.labels})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DawidSkene().fit_predict(frame).to_dict()


Runner = Callable[[LabelTable], tuple[dict[Any, Any], str]]


def _runners(use_crowdkit: bool) -> dict[str, Runner | None]:
    """Method -> function of a label table giving (task -> label, what auto chose or "")."""

    def ours(method: str) -> Runner:
        def run(table: LabelTable) -> tuple[dict[Any, Any], str]:
            result = aggregate_encoded(encode(*table), method=method)
            return result.as_dict(), str(result.details.get("chosen", ""))

        return run

    return {
        "auto_before": lambda table: (auto_before(encode(*table)).as_dict(), ""),
        "auto": ours("auto"),
        "ds": ours("ds"),
        "crowdkit_DawidSkene": (lambda t: (crowdkit_ds_answers(t), "")) if use_crowdkit else None,
    }


def cv_dataset(
    table: LabelTable, gold: dict[str, str], use_crowdkit: bool, seeds: tuple[int, ...] = SEEDS
) -> dict[str, Any]:
    """Accuracy of every CV method on each half of each split, their means and worst gaps.

    ``auto_other_half`` fits, on each half, the method ``auto`` chose on the *other* half: the
    choice is made on workers whose answers are never scored with it.
    """
    runners = _runners(use_crowdkit)
    halves: dict[str, list[float | None]] = {m: [] for m in CV_METHODS}
    seconds = dict.fromkeys(CV_METHODS, 0.0)
    chosen: list[str] = []
    workers = np.asarray(table.workers)
    for seed in seeds:
        masks = worker_halves(workers, seed)
        pair = [LabelTable(*(np.asarray(c)[m] for c in table)) for m in masks]
        for half in pair:
            for method, run in runners.items():
                if run is None:
                    halves[method].append(None)
                    continue
                start = time.perf_counter()
                answers, picked = run(half)
                seconds[method] += time.perf_counter() - start
                halves[method].append(accuracy(answers, gold))
                if method == "auto":
                    chosen.append(picked)
        picks = chosen[-2:]
        for i, half in enumerate(pair):
            other = picks[1 - i]
            if other == "ds":  # already fitted on this half
                halves["auto_other_half"].append(halves["ds"][len(halves["auto_other_half"])])
                continue
            result = aggregate_encoded(encode(*half), method=other)
            halves["auto_other_half"].append(accuracy(result.as_dict(), gold))
    means = {
        m: None if any(v is None for v in vals) else float(np.mean(vals))
        for m, vals in halves.items()
    }
    gaps = {
        f"{ours}_vs_{theirs}": worst_gap(halves[ours], halves[theirs])
        for ours in ("auto", "auto_other_half")
        for theirs in ("ds", "crowdkit_DawidSkene")
    }
    return {"halves": halves, "mean": means, "seconds": seconds, "worst_gap": gaps,
            "auto_chose": {c: chosen.count(c) for c in sorted(set(chosen))}}


def worst_gap(ours: list[float | None], theirs: list[float | None]) -> float | None:
    """Smallest ``ours - theirs`` over the halves (None where a side did not run)."""
    pairs = [(a, b) for a, b in zip(ours, theirs, strict=True) if a is not None]
    if not pairs or any(b is None for _, b in pairs):
        return None
    return float(min(a - b for a, b in pairs))


def short_name(name: str) -> str:
    return name.replace("d_", "").replace("s4_", "")[:11]


def _row(label: str, values: list[float | None], mean: bool = True) -> str:
    cells = "".join("       -    " if v is None else f"{v:12.2f}" for v in values)
    if not mean:
        return f"{label:<34}{cells}"
    avg = None if any(v is None for v in values) else float(np.mean(values))  # type: ignore[arg-type]
    return f"{label:<34}{cells}{'     -' if avg is None else f'{avg:9.2f}'}"


def print_before_after(
    per_dataset: dict[str, dict[str, Any]], cv: dict[str, dict[str, Any]]
) -> None:
    """The issue's figures: auto now / before beside crowd-kit DS, full sets and worker halves."""
    names = list(per_dataset)
    header = f"{'':<34}" + "".join(f"{short_name(n):>12}" for n in names) + f"{'mean':>9}"
    print("auto before/after beside crowd-kit DawidSkene (% of gold tasks)")
    print(header)
    print("-" * len(header))
    print(_row("auto (now)", [per_dataset[n]["auto"] for n in names]))
    print(_row("auto (before, documented)", [BEFORE_DOCUMENTED.get(n) for n in names]))
    print(_row("auto (before, re-run)", [per_dataset[n]["auto_before"] for n in names]))
    print(_row("crowd-kit DawidSkene", [per_dataset[n]["crowdkit_DawidSkene"] for n in names]))
    if cv:
        print(f"worker-half CV, mean of {2 * len(SEEDS)} halves:")
        for method in CV_METHODS:
            label = "  " + CV_LABELS[method].strip()
            print(_row(label, [cv[n]["mean"][method] if n in cv else None for n in names]))
        for key, label in (("auto_vs_ds", "  worst half: auto - ds"),
                           ("auto_vs_crowdkit_DawidSkene", "  worst half: auto - crowd-kit DS"),
                           ("auto_other_half_vs_ds", "  worst half: other-half - ds")):
            values = [cv[n]["worst_gap"][key] if n in cv else None for n in names]
            print(_row(label, values, mean=False))
    print()


def print_cv_table(per_dataset: dict[str, dict[str, Any]], n_seeds: int) -> None:
    """Mean accuracy over the 2 x ``n_seeds`` worker halves of every data set."""
    names = list(per_dataset)
    short = [n.replace("d_", "").replace("s4_", "")[:11] for n in names]
    header = f"{'method':<24}" + "".join(f"{s:>12}" for s in short) + f"{'mean':>9}"
    print(
        f"Worker-half cross-validation: mean accuracy (% of gold tasks still labelled) over "
        f"{2 * n_seeds} halves ({n_seeds} seeded splits of each data set's workers)"
    )
    print(header)
    print("-" * len(header))
    for method in CV_METHODS:
        values = [per_dataset[n]["mean"][method] for n in names]
        mean = None if any(v is None for v in values) else float(np.mean(values))
        cells = "".join("       -    " if v is None else f"{v:12.2f}" for v in values)
        print(f"{CV_LABELS[method]:<24}{cells}{'     -' if mean is None else f'{mean:9.2f}'}")
    picks = "; ".join(
        f"{s}: " + ", ".join(f"{c} {k}" for c, k in per_dataset[n]["auto_chose"].items())
        for n, s in zip(names, short, strict=True)
    )
    print(f"auto chose (halves): {picks}")
    print()
