"""``datadam aggregate``: aggregate anyone's crowd labels from CSV, offline (no database).

    datadam aggregate --labels labels.csv [--method auto] [--gold gold.csv]
                      --out result.csv [--workers-out workers.csv]

Input columns ``worker,task,label``; output ``task,label,confidence`` and, if asked,
``worker,skill,n_labels``. Bad input prints one clear line to stderr and exits with 2.
"""

from __future__ import annotations

import argparse
import sys
import time

from .api import FITTERS, aggregate
from .errors import AggregationInputError
from .io import read_gold_csv, read_labels_csv, write_result_csv, write_workers_csv


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="datadam aggregate",
        description="Aggregate crowd labels (worker,task,label) into one label per task.",
    )
    parser.add_argument("--labels", required=True, help="CSV with columns worker,task,label")
    parser.add_argument(
        "--method",
        default="auto",
        choices=sorted(FITTERS),
        help="mv, wmv, ds (Dawid-Skene), ods (one-coin DS), glad, mace or auto (default)",
    )
    parser.add_argument("--gold", help="CSV with columns task,label of known answers")
    parser.add_argument("--out", required=True, help="where to write task,label,confidence")
    parser.add_argument("--workers-out", help="where to write worker,skill,n_labels")
    parser.add_argument("--iterations", type=int, default=100, help="EM iterations at most")
    parser.add_argument(
        "--tol", type=float, default=1e-6, help="stop when the log-likelihood gains less"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        table = read_labels_csv(args.labels)
        gold = read_gold_csv(args.gold) if args.gold else None
        result = aggregate(
            table.workers,
            table.tasks,
            table.labels,
            method=args.method,
            gold=gold,
            n_iter=args.iterations,
            tol=args.tol,
        )
        write_result_csv(result, args.out)
        if args.workers_out:
            write_workers_csv(result, args.workers_out)
    except (AggregationInputError, OSError) as exc:
        print(f"datadam aggregate: error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(
        f"{len(table.labels)} labels, {len(result.tasks)} tasks, {len(result.workers)} workers:"
        f" {result.method} in {seconds:.2f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
