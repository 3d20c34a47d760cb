"""Benchmark crowd-label aggregation against gold answers and against crowd-kit.

Run from the repository root::

    python benchmarks/bench_aggregate.py            # everything (crowd-kit GLAD/MACE take ~15 min)
    python benchmarks/bench_aggregate.py --quick    # skip crowd-kit's slow GLAD and MACE
    python benchmarks/bench_aggregate.py --no-crowdkit

Part 1: accuracy (% of gold tasks) of every method here and of crowd-kit's counterparts on every
data set in ../shared/datasets/crowd. Part 2: Dawid–Skene with 100 iterations (tol=0) on a
simulated crowd of 1,000,000 labels, here and in crowd-kit, each in a fresh child process
(multiprocessing, spawn) that reports its wall time for the fit and its peak resident memory
(VmHWM of the child on Linux, else ``ru_maxrss``; interpreter, imports and input data included).
The last line of the output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from datadam.quality.aggregation import (  # noqa: E402
    aggregate,
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
SIM = {"n_tasks": 200_000, "per_task": 5, "n_workers": 2_000, "k": 4, "seed": 2024}


def crowdkit_available() -> bool:
    try:
        import crowdkit.aggregation  # noqa: F401
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
            answers = aggregate_encoded(enc, method=method).as_dict()
            row["seconds"][method] = time.perf_counter() - start
            row[method] = 100.0 * float(np.mean([answers.get(t) == y for t, y in gold.items()]))
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
    for label, key in rows:
        values = [per_dataset[n][key] for n in names]
        mean = None if any(v is None for v in values) else float(np.mean(values))
        times = [per_dataset[n]["seconds"].get(key) for n in names]
        total = None if any(t is None for t in times) else sum(times)
        cells = "".join(f"{fmt(v):>12}" for v in values)
        seconds = "     -" if total is None else f"{total:9.2f}"
        print(f"{label:<24}{cells}{fmt(mean):>9}{seconds}")
    print()


# --- part 2: 1,000,000 simulated labels ----------------------------------------------------------


def simulate(n_tasks: int, per_task: int, n_workers: int, k: int, seed: int) -> dict[str, Any]:
    """Each task gets ``per_task`` random workers; accuracy ~ U(0.5, 0.95), errors uniform."""
    rng = np.random.default_rng(seed)
    acc = rng.uniform(0.5, 0.95, n_workers)
    truth = rng.integers(0, k, n_tasks)
    task = np.repeat(np.arange(n_tasks), per_task)
    worker = rng.integers(0, n_workers, len(task))
    right = rng.random(len(task)) < acc[worker]
    label = np.where(right, truth[task], (truth[task] + rng.integers(1, k, len(task))) % k)
    return {"worker": worker, "task": task, "label": label, "truth": truth}


def peak_mb() -> float:
    """Peak resident memory of this process: VmHWM on Linux, else ru_maxrss.

    On Linux a spawned child's ru_maxrss starts at its parent's peak (the kernel carries the old
    address space's high-water mark across fork/exec), so VmHWM of the child's own address space
    is the fair measure there.
    """
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def memory_method() -> str:
    if os.path.exists("/proc/self/status"):
        return "VmHWM (peak RSS) of a fresh spawned child process per fit, read right after the fit"
    return "ru_maxrss of a fresh spawned child process per fit, read right after the fit"


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def child(which: str, data_dir: str, queue: Any) -> None:
    """Fit Dawid–Skene (100 iterations, tol=0) in this fresh process and report time and memory."""
    data = {key: np.load(Path(data_dir) / f"{key}.npy") for key in ("worker", "task", "label")}
    truth = np.load(Path(data_dir) / "truth.npy")
    if which == "ours":
        before = rss_mb()
        start = time.perf_counter()
        result = aggregate(
            data["worker"], data["task"], data["label"], method="ds", n_iter=100, tol=0
        )
        seconds = time.perf_counter() - start
        peak = peak_mb()  # high-water mark up to the end of the fit
        predicted = dict(zip(result.tasks.tolist(), result.labels.tolist(), strict=True))
        iterations = result.n_iter
    else:
        import pandas as pd
        from crowdkit.aggregation import DawidSkene

        frame = pd.DataFrame(data)
        del data
        before = rss_mb()
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = DawidSkene(n_iter=100, tol=0).fit(frame)
        seconds = time.perf_counter() - start
        peak = peak_mb()
        predicted = model.labels_.to_dict()
        iterations = len(model.loss_history_)
    accuracy = float(np.mean([predicted[t] == y for t, y in enumerate(truth.tolist())]))
    queue.put(
        {
            "seconds": seconds,
            "peak_mb": peak,
            "rss_before_fit_mb": before,
            "iterations": iterations,
            "accuracy": 100.0 * accuracy,
        }
    )


def run_child(which: str, data_dir: str) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=child, args=(which, data_dir, queue))
    process.start()
    report = queue.get()
    process.join()
    return report


def speed_part(use_crowdkit: bool) -> dict[str, Any]:
    crowd = simulate(**SIM)
    with tempfile.TemporaryDirectory() as data_dir:
        for key in ("worker", "task", "label", "truth"):
            np.save(Path(data_dir) / f"{key}.npy", crowd[key])
        log("timing our DS on 1,000,000 labels ...")
        ours = run_child("ours", data_dir)
        theirs = None
        if use_crowdkit:
            log("timing crowd-kit DawidSkene on 1,000,000 labels (a few minutes) ...")
            theirs = run_child("crowdkit", data_dir)
    return {"ours": ours, "crowdkit": theirs}


def print_speed(speed: dict[str, Any]) -> None:
    n = SIM["n_tasks"] * SIM["per_task"]
    print(
        f"Dawid-Skene, {n:,} simulated labels ({SIM['n_tasks']:,} tasks x {SIM['per_task']}, "
        f"{SIM['n_workers']:,} workers, {SIM['k']} classes), n_iter=100, tol=0."
    )
    print(
        f"Each fit runs in a fresh spawned child process; peak memory = {memory_method()} "
        "(interpreter, imports and input data included); time = the fit call only "
        "(ours includes encoding the raw ids; crowd-kit's excludes building its DataFrame)."
    )
    print(f"{'':<22}{'seconds':>10}{'iters':>7}{'peak MB':>10}{'RSS before fit':>16}{'acc %':>8}")
    for label, report in (
        ("ours (ds)", speed["ours"]),
        ("crowd-kit DawidSkene", speed["crowdkit"]),
    ):
        if report is None:
            print(f"{label:<22}{'not run (crowd-kit not importable)':>40}")
            continue
        print(
            f"{label:<22}{report['seconds']:10.2f}{report['iterations']:7d}"
            f"{report['peak_mb']:10.1f}{report['rss_before_fit_mb']:16.1f}{report['accuracy']:8.2f}"
        )
    print(
        f"(load average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"{os.cpu_count()} CPUs)"
    )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip crowd-kit GLAD and MACE")
    parser.add_argument("--no-crowdkit", action="store_true", help="run only this library")
    args = parser.parse_args()
    use_crowdkit = crowdkit_available() and not args.no_crowdkit
    if not use_crowdkit:
        log("crowd-kit (with pandas) not importable or disabled: reporting null for it")
    per_dataset = accuracy_part(use_crowdkit, args.quick) if CROWD.is_dir() else {}
    if per_dataset:
        print_accuracy_table(per_dataset)
    else:
        print(f"no data sets at {CROWD}\n")
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
        "mean_accuracy_crowdkit_ds": mean_of("crowdkit_DawidSkene"),
        "ds_1m_seconds": round(ours["seconds"], 3),
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
