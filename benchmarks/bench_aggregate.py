"""Benchmark crowd-label aggregation against gold answers and against crowd-kit.

Run from the repository root (``make bench-aggregate`` runs the first line, about 2 minutes)::

    python benchmarks/bench_aggregate.py            # all but crowd-kit's slow GLAD and MACE
    python benchmarks/bench_aggregate.py --full     # also crowd-kit GLAD and MACE (~15 min more)
    python benchmarks/bench_aggregate.py --no-crowdkit
    python benchmarks/bench_aggregate.py --no-cv    # skip the worker-half cross-validation

Part 1: accuracy (% of gold tasks) of every method here and of crowd-kit's counterparts on every
data set in ../shared/datasets/crowd, plus ``auto (before)``, the density rule ``auto`` used
before it chose by held-out answers (re-run by aggregate_auto.py, and as documented). Part 1b:
worker-half cross-validation (aggregate_auto.py: 5 seeded splits of each data set's workers into
halves; auto now/before, ds and crowd-kit DS on each half, scored on the gold tasks that half
labels), then the before/after table of docs/aggregation.md. Part 2 (aggregate_speed.py): DS and
``auto`` on 1,000,000 simulated labels, and crowd-kit's DS, each in a fresh child process.
The last line of the output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aggregate_auto import (  # noqa: E402
    CV_METHODS,
    SEEDS,
    auto_before,
    cv_dataset,
    print_before_after,
    print_cv_table,
)
from aggregate_speed import log, memory_method, print_speed, speed_part  # noqa: E402

from datadam.quality.aggregation import (  # noqa: E402
    aggregate_encoded,
    encode,
    read_gold_csv,
    read_labels_csv,
)

# $DATADAM_CROWD_DATASETS, else shared/datasets/crowd beside the checkout or above it (a git
# worktree such as /work/wt/x finds /work/shared).
_CANDIDATES = [d / "shared" / "datasets" / "crowd" for d in (ROOT, *ROOT.parents)]
CROWD = Path(
    os.environ.get("DATADAM_CROWD_DATASETS")
    or next((c for c in _CANDIDATES if c.is_dir()), _CANDIDATES[1])
)
OURS = ["mv", "wmv", "ds", "ods", "glad", "mace", "auto"]
# Our method -> crowd-kit class name (crowd-kit defaults; Wawa is its weighted majority vote).
COUNTERPARTS = {
    "mv": "MajorityVote",
    "wmv": "Wawa",
    "ds": "DawidSkene",
    "ods": "OneCoinDawidSkene",
    "glad": "GLAD",
    "mace": "MACE",
}
SLOW_CROWDKIT = {"GLAD", "MACE"}


def crowdkit_available() -> bool:
    try:
        import crowdkit.aggregation  # noqa: F401
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


# --- part 1: accuracy on real data sets ---------------------------------------------------------


def run_crowdkit(name: str, table: Any, gold: dict[str, str]) -> tuple[float, float]:
    import pandas as pd
    from crowdkit import aggregation

    frame = pd.DataFrame({"worker": table.workers, "task": table.tasks, "label": table.labels})
    model = getattr(aggregation, name)()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels = model.fit_predict(frame)
    seconds = time.perf_counter() - start
    answers = labels.to_dict()
    return 100.0 * float(np.mean([answers.get(t) == y for t, y in gold.items()])), seconds


def accuracy_part(use_crowdkit: bool, quick: bool) -> dict[str, dict[str, Any]]:
    per_dataset: dict[str, dict[str, Any]] = {}
    names = sorted(p.name for p in CROWD.iterdir() if (p / "labels.csv").is_file())
    for name in names:
        table = read_labels_csv(CROWD / name / "labels.csv")
        gold = read_gold_csv(CROWD / name / "gold.csv")
        enc = encode(*table)
        row: dict[str, Any] = {"n_labels": enc.n_labels, "n_tasks": enc.n_tasks, "seconds": {}}
        for method in OURS:
            start = time.perf_counter()
            result = aggregate_encoded(enc, method=method)
            answers = result.as_dict()
            row["seconds"][method] = time.perf_counter() - start
            if method == "auto":
                row["auto_chose"] = str(result.details["chosen"])
            row[method] = 100.0 * float(np.mean([answers.get(t) == y for t, y in gold.items()]))
        start = time.perf_counter()
        answers = auto_before(enc).as_dict()
        row["seconds"]["auto_before"] = time.perf_counter() - start
        row["auto_before"] = 100.0 * float(np.mean([answers.get(t) == y for t, y in gold.items()]))
        for ck_name in COUNTERPARTS.values():
            key = f"crowdkit_{ck_name}"
            if not use_crowdkit or (quick and ck_name in SLOW_CROWDKIT):
                row[key] = None
                continue
            log(f"  crowd-kit {ck_name} on {name} ...")
            row[key], row["seconds"][key] = run_crowdkit(ck_name, table, gold)
        per_dataset[name] = row
        log(f"{name}: done")
    return per_dataset


def fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.2f}"


def print_accuracy_table(per_dataset: dict[str, dict[str, Any]]) -> None:
    names = list(per_dataset)
    short = [n.replace("d_", "").replace("s4_", "")[:11] for n in names]
    header = f"{'method':<24}" + "".join(f"{s:>12}" for s in short) + f"{'mean':>9}{'time s':>9}"
    print("Accuracy (% of gold tasks) per data set; time = seconds summed over data sets")
    print(header)
    print("-" * len(header))
    rows = []
    for method in OURS:
        rows.append((method, method))
        if method in COUNTERPARTS:
            rows.append((f"  crowd-kit {COUNTERPARTS[method]}", f"crowdkit_{COUNTERPARTS[method]}"))
    rows.append(("auto (before: density)", "auto_before"))
    for label, key in rows:
        values = [per_dataset[n][key] for n in names]
        mean = None if any(v is None for v in values) else float(np.mean(values))
        times = [per_dataset[n]["seconds"].get(key) for n in names]
        total = None if any(t is None for t in times) else sum(times)
        cells = "".join(f"{fmt(v):>12}" for v in values)
        seconds = "     -" if total is None else f"{total:9.2f}"
        print(f"{label:<24}{cells}{fmt(mean):>9}{seconds}")
    print("auto chose: " + ", ".join(f"{s} {per_dataset[n]['auto_chose']}"
                                     for n, s in zip(names, short, strict=True)))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="also crowd-kit GLAD and MACE")
    parser.add_argument("--quick", action="store_true", help="(the default now; kept for scripts)")
    parser.add_argument("--no-crowdkit", action="store_true", help="run only this library")
    parser.add_argument("--no-cv", action="store_true", help="skip worker-half cross-validation")
    args = parser.parse_args()
    use_crowdkit = crowdkit_available() and not args.no_crowdkit
    if not use_crowdkit:
        log("crowd-kit (with pandas) not importable or disabled: reporting null for it")
    per_dataset = accuracy_part(use_crowdkit, not args.full) if CROWD.is_dir() else {}
    if per_dataset:
        print_accuracy_table(per_dataset)
    else:
        print(f"no data sets at {CROWD}\n")
    cv: dict[str, dict[str, Any]] = {}
    if per_dataset and not args.no_cv:
        for name in per_dataset:
            log(f"worker-half cross-validation on {name} ...")
            table = read_labels_csv(CROWD / name / "labels.csv")
            cv[name] = cv_dataset(table, read_gold_csv(CROWD / name / "gold.csv"), use_crowdkit)
        print_cv_table(cv, len(SEEDS))
    if per_dataset:
        print_before_after(per_dataset, cv)
    speed = speed_part(use_crowdkit)
    print_speed(speed)

    def mean_of(key: str) -> float | None:
        values = [row[key] for row in per_dataset.values()]
        if not values or any(v is None for v in values):
            return None
        return round(float(np.mean(values)), 2)

    ours, theirs = speed["ours"], speed["crowdkit"]
    summary = {
        "bench": "aggregate",
        "mean_accuracy_auto": mean_of("auto"),
        "mean_accuracy_auto_before": mean_of("auto_before"),
        "mean_accuracy_crowdkit_ds": mean_of("crowdkit_DawidSkene"),
        "cv_mean_accuracy": {
            method: None if any(cv[n]["mean"][method] is None for n in cv) or not cv
            else round(float(np.mean([cv[n]["mean"][method] for n in cv])), 2)
            for method in CV_METHODS
        },
        "cv_per_dataset": {
            name: {
                "mean": {m: None if v is None else round(v, 2) for m, v in row["mean"].items()},
                "worst_half_gap": {
                    m: None if v is None else round(v, 2) for m, v in row["worst_gap"].items()
                },
                "auto_chose": row["auto_chose"],
            }
            for name, row in cv.items()
        },
        "ds_1m_seconds": round(ours["seconds"], 3),
        "auto_1m_seconds": round(speed["auto"]["seconds"], 3),
        "auto_1m_ratio_to_ds": round(speed["auto"]["seconds"] / ours["seconds"], 2),
        "ds_1m_defaults_seconds": round(speed["ds_defaults"]["seconds"], 3),
        "auto_1m_defaults_seconds": round(speed["auto_defaults"]["seconds"], 3),
        "auto_1m_chosen": speed["auto"]["chosen"],
        "crowdkit_ds_1m_seconds": None if theirs is None else round(theirs["seconds"], 3),
        "speedup": None if theirs is None else round(theirs["seconds"] / ours["seconds"], 1),
        "ds_1m_peak_mb": round(ours["peak_mb"], 1),
        "crowdkit_ds_1m_peak_mb": None if theirs is None else round(theirs["peak_mb"], 1),
        "ds_1m_iterations": ours["iterations"],
        "crowdkit_ds_1m_iterations": None if theirs is None else theirs["iterations"],
        "memory_method": memory_method(),
        "per_dataset": {
            name: {
                key: (round(value, 2) if isinstance(value, float) else value)
                for key, value in row.items()
                if key not in ("seconds", "n_tasks")
            }
            for name, row in per_dataset.items()
        },
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
