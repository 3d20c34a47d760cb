"""Import benchmark: 1,000,000 text items from a JSONL file into one project.

The items go through the real service (``items_import_file``): line-by-line parsing and
validation, bulk writes in chunks (COPY on PostgreSQL, executemany on SQLite), one
transaction. Only that call is timed; writing the file beforehand is not.

    python benchmarks/bench_import.py --db sqlite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/datadam \
        python benchmarks/bench_import.py --db postgresql

The last line printed is the result as one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BenchDatabase,
    RssSampler,
    import_items,
    log,
    make_client,
    make_project,
    peak_rss_mb,
    reset_peak_rss,
    rss_mb,
    write_items_jsonl,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: drop the database
    db = BenchDatabase(args.db)
    try:
        db.create()
        db.django_setup()
        from datadam.projects.models import Item, Project

        client, org = make_client(credit=0)
        project = make_project(client, org, overlap=3)  # a draft: the budget moves at launch

        path = db.tmp / "items.jsonl"
        t0 = time.perf_counter()
        size = write_items_jsonl(path, args.items)
        took = time.perf_counter() - t0
        log(f"wrote {args.items:,} items ({size / 2**20:.0f} MiB) in {took:.1f}s")

        gc.collect()
        rss_before = rss_mb()
        reset_peak_rss()  # the peak reported is the import's, not the set-up's
        with RssSampler(every=0.25) as rss:
            imported, seconds = import_items(client, project, path)
        stored = Item.objects.filter(project=project).count()
        count_field = Project.objects.get(pk=project.pk).items_count
        if stored != args.items or imported != args.items or count_field != args.items:
            raise SystemExit(f"imported {imported}, stored {stored}, items_count {count_field}")
        result = {
            "bench": "import",
            "db": args.db,
            "items": imported,
            "seconds": round(seconds, 2),
            "items_per_s": round(imported / seconds),
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "rss_before_mb": round(rss_before, 1),
            "rss_at_25_50_75_100_pct_mb": [
                round(rss.at_fraction(f), 1) for f in (0.25, 0.5, 0.75, 1.0)
            ],
            "file_mb": round(size / 2**20, 1),
        }
    finally:
        if not args.keep:
            db.drop()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
