"""Speed part of bench_aggregate.py: timed fits on 1,000,000 simulated labels.

Every fit runs in a fresh spawned child process (multiprocessing, spawn) that reports its wall
time for the fit and its peak resident memory (VmHWM of the child on Linux, else ``ru_maxrss``;
interpreter, imports and input data included).
"""

from __future__ import annotations

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

from datadam.quality.aggregation import aggregate

SIM = {"n_tasks": 200_000, "per_task": 5, "n_workers": 2_000, "k": 4, "seed": 2024}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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


# Timed fits of this library: key -> (method, settings). "ours" is DS as crowd-kit is timed.
OUR_FITS: dict[str, tuple[str, dict[str, Any]]] = {
    "ours": ("ds", {"n_iter": 100, "tol": 0}),
    "auto": ("auto", {"n_iter": 100, "tol": 0}),
    "ds_defaults": ("ds", {}),
    "auto_defaults": ("auto", {}),
}
SPEED_LABELS = {
    "ours": "ours (ds)",
    "auto": "ours (auto)",
    "ds_defaults": "ds, defaults",
    "auto_defaults": "auto, defaults",
    "crowdkit": "crowd-kit DawidSkene",
}


def child(which: str, data_dir: str, queue: Any) -> None:
    """Run one timed fit (``OUR_FITS[which]`` or crowd-kit's DS, 100 iterations, tol=0) in this
    fresh process and report time and memory."""
    data = {key: np.load(Path(data_dir) / f"{key}.npy") for key in ("worker", "task", "label")}
    truth = np.load(Path(data_dir) / "truth.npy")
    chosen = None
    if which in OUR_FITS:
        method, settings = OUR_FITS[which]
        before = rss_mb()
        start = time.perf_counter()
        result = aggregate(data["worker"], data["task"], data["label"], method=method, **settings)
        seconds = time.perf_counter() - start
        peak = peak_mb()  # high-water mark up to the end of the fit
        predicted = dict(zip(result.tasks.tolist(), result.labels.tolist(), strict=True))
        iterations = result.n_iter
        chosen = result.details.get("chosen")
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
            "chosen": chosen,
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
        reports: dict[str, Any] = {}
        for which, (method, settings) in OUR_FITS.items():
            log(f"timing our {method} {settings or '(defaults)'} on 1,000,000 labels ...")
            reports[which] = run_child(which, data_dir)
        reports["crowdkit"] = None
        if use_crowdkit:
            log("timing crowd-kit DawidSkene on 1,000,000 labels (a few minutes) ...")
            reports["crowdkit"] = run_child("crowdkit", data_dir)
    return reports


def print_speed(speed: dict[str, Any]) -> None:
    n = SIM["n_tasks"] * SIM["per_task"]
    print(
        f"Dawid-Skene, {n:,} simulated labels ({SIM['n_tasks']:,} tasks x {SIM['per_task']}, "
        f"{SIM['n_workers']:,} workers, {SIM['k']} classes), n_iter=100, tol=0 unless "
        "'defaults' (n_iter=100, tol=1e-6; auto's selection fits: at most 50 iterations, tol 1e-5)."
    )
    print(
        f"Each fit runs in a fresh spawned child process; peak memory = {memory_method()} "
        "(interpreter, imports and input data included); time = the fit call only "
        "(ours includes encoding the raw ids; crowd-kit's excludes building its DataFrame)."
    )
    print(
        f"{'':<22}{'seconds':>10}{'iters':>7}{'peak MB':>10}{'RSS before fit':>16}{'acc %':>8}"
        "  chosen"
    )
    for which, report in speed.items():
        label = SPEED_LABELS[which]
        if report is None:
            print(f"{label:<22}{'not run (crowd-kit not importable)':>40}")
            continue
        print(
            f"{label:<22}{report['seconds']:10.2f}{report['iterations']:7d}"
            f"{report['peak_mb']:10.1f}{report['rss_before_fit_mb']:16.1f}{report['accuracy']:8.2f}"
            f"  {report['chosen'] or ''}"
        )
    for auto_key, ds_key in (("auto", "ours"), ("auto_defaults", "ds_defaults")):
        ratio = speed[auto_key]["seconds"] / speed[ds_key]["seconds"]
        print(f"{SPEED_LABELS[auto_key]} / {SPEED_LABELS[ds_key]}: {ratio:.2f}x")
    print(
        f"(load average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"{os.cpu_count()} CPUs)"
    )
    print()
