"""Export benchmark: a COCO export of a 100,000-image bounding-box project, end to end.

    python benchmarks/bench_export.py [--db sqlite|postgresql] [--items 100000] [--answers 3]
                                      [--boxes 5] [--format coco] [--with-answers]

Builds, in bulk: a ``bounding_box`` project of ``--items`` image items (``{"image": URL,
"width": 1920, "height": 1080}``), ``--answers`` approved answers of ``--boxes`` boxes each per
item (Assignment and Submission rows, one worker each of 300), and each item's stored result
(``ItemResult``: ``--boxes`` fused boxes with scores, as the aggregation job writes them).
No aggregation is pending, so the job reads the stored results as they are. The tables are
ANALYZEd after the bulk load, as PostgreSQL's autovacuum would (without statistics its
planner reads each chunk of items from the whole project).

Then it queues one export through the service (``export_create``) and runs the job
(``export_run``) in a fresh child process, timed from the call to the file saved: reading the
items and results from the database in keyset chunks, the COCO writer, hashing, the
temporary file, and saving it into the default storage (a folder of the temporary
directory). Memory: the child's peak RSS (``VmHWM``, reset just before the job) and its growth
over the RSS before the job; ``peak_mb`` is the peak, Django and the libraries included.
``--with-answers`` also times an export with every individual answer (COCO's
``answer_annotations``: 3 × 5 more annotations per item, read through ``item_results``).

The last stdout line is JSON:
``{"bench": "export", "format": "coco", "items": ..., "items_per_s": ..., "peak_mb": ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BenchDatabase, log, make_client  # noqa: E402

LABELS = ["car", "person", "bike", "truck", "bus"]
W, H = 1920, 1080
CHUNK = 10_000


def _boxes(rng: random.Random, n: int, jitter: float = 0.0) -> list[dict]:
    out = []
    for k in range(n):
        x, y = rng.uniform(0, W - 200), rng.uniform(0, H - 200)
        w, h = rng.uniform(10, 200), rng.uniform(10, 200)
        if jitter:
            x, y = x + rng.uniform(-jitter, jitter), y + rng.uniform(-jitter, jitter)
        out.append({"label": LABELS[k % len(LABELS)],
                    "box": [round(x, 2), round(y, 2), round(w, 2), round(h, 2)]})
    return out


def build(client, org, n_items: int, n_answers: int, n_boxes: int):
    """The project, its items, answers and stored results, in bulk; returns the project."""
    from django.db import transaction
    from django.utils import timezone

    from datadam.accounts.models import Role, User
    from datadam.datasets.models import ItemResult
    from datadam.projects.models import Item, Project
    from datadam.projects.services import project_create
    from datadam.work.models import Assignment, AssignmentStatus, Submission

    project = project_create(
        user=client, organization_id=org.pk, name="Bench boxes", kind="bounding_box",
        config={"labels": LABELS}, reward=1, review_reward=0, overlap=n_answers,
        lease_seconds=600,
    )
    workers = [u.pk for u in User.objects.bulk_create(
        User(email=f"w{i}@bench.test", role=Role.WORKER, password="!") for i in range(300))]
    rng = random.Random(1)
    now = timezone.now()
    t0 = time.perf_counter()
    for start in range(0, n_items, CHUNK):
        with transaction.atomic():
            items = Item.objects.bulk_create(
                Item(project=project, external_id=f"img-{i:07d}", slots_open=0,
                     data={"image": f"https://img.example.test/bench/{i:07d}.jpg",
                           "width": W, "height": H})
                for i in range(start, min(start + CHUNK, n_items)))
            if any(it.pk is None for it in items):
                items = list(Item.objects.filter(project=project, pk__gt=0)
                             .order_by("-pk")[:len(items)])[::-1]
            results, assignments, answers = [], [], []
            for it in items:
                boxes = _boxes(rng, n_boxes)
                results.append(ItemResult(
                    item_id=it.pk, project=project, label=", ".join(LABELS[:n_boxes]),
                    result={"boxes": [{**b, "score": round(rng.uniform(0.5, 1), 4)}
                                      for b in boxes]},
                    confidence=round(rng.uniform(0.5, 1), 4), answers=n_answers,
                    provisional=False, method="fusion", run=1, updated_at=now))
                for w in rng.sample(workers, n_answers):
                    assignments.append(Assignment(
                        project=project, item_id=it.pk, worker_id=w, leased_at=now,
                        expires_at=now, submitted_at=now, finished_at=now, revisions=1,
                        status=AssignmentStatus.APPROVED))
                    answers.append({"boxes": [{"label": b["label"], "box": [
                        round(v + rng.uniform(-3, 3), 2) for v in b["box"]]} for b in boxes]})
            ItemResult.objects.bulk_create(results)
            made = Assignment.objects.bulk_create(assignments)
            Submission.objects.bulk_create(
                Submission(assignment=a, revision=1, answer=ans, duration_ms=20_000)
                for a, ans in zip(made, answers, strict=True))
        log(f"  {min(start + CHUNK, n_items)} items built "
            f"({time.perf_counter() - t0:.0f}s)")
    Project.objects.filter(pk=project.pk).update(items_count=n_items)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a bulk load (planner stats)
    return project


def measure(export_id: int) -> dict:
    """In the child: run the export job once; time and memory."""
    import django

    django.setup()
    from harness import peak_rss_mb, reset_peak_rss, rss_mb

    from datadam.datasets.export_jobs import export_run
    from datadam.kinds import get_kind

    get_kind("bounding_box")  # the kinds and their writers load before the measurement

    before = rss_mb()
    reset_peak_rss()
    t0 = time.perf_counter()
    out = export_run(export_id=export_id)
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    return {"seconds": seconds, "rss_before_mb": round(before, 1), "peak_mb": round(peak, 1),
            "peak_growth_mb": round(peak - before, 1), "outcome": out}


def run_child(db: BenchDatabase, export_id: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", str(export_id)],
                          env=db.env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"export child failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=3)
    parser.add_argument("--boxes", type=int, default=5)
    parser.add_argument("--format", default="coco")
    parser.add_argument("--with-answers", action="store_true")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    db = BenchDatabase(args.db, name=os.environ.get("DATADAM_BENCH_DB", "datadam_bench_export"))
    try:
        db.create()
        db.django_setup()
        from datadam.datasets.export_jobs import export_create
        from datadam.datasets.models import Export

        client, org = make_client(credit=0)
        t0 = time.perf_counter()
        project = build(client, org, args.items, args.answers, args.boxes)
        log(f"built {args.items} items, {args.items * args.answers} answers and "
            f"{args.items} results in {time.perf_counter() - t0:.1f}s")
        from django.db import connections

        connections.close_all()  # the child has the database to itself
        export = export_create(user=client, project_id=project.pk, fmt=args.format)
        connections.close_all()
        got = run_child(db, export.pk)
        export = Export.objects.get(pk=export.pk)
        if export.status != "done":
            raise SystemExit(f"export failed: {export.error}")
        log(f"export {export.format}: {export.items} items, {export.bytes / 2**20:.1f} MiB "
            f"in {got['seconds']:.2f}s; peak RSS {got['peak_mb']} MB "
            f"(+{got['peak_growth_mb']} MB over {got['rss_before_mb']} MB)")
        result = {
            "bench": "export",
            "db": args.db,
            "format": args.format,
            "items": export.items,
            "answers_per_item": args.answers,
            "boxes_per_item": args.boxes,
            "bytes": export.bytes,
            "seconds": round(got["seconds"], 2),
            "peak_growth_mb": got["peak_growth_mb"],
            "rss_before_mb": got["rss_before_mb"],
        }
        if args.with_answers:
            full = export_create(user=client, project_id=project.pk, fmt=args.format,
                                 answers=True)
            connections.close_all()
            again = run_child(db, full.pk)
            full = Export.objects.get(pk=full.pk)
            log(f"with answers: {full.bytes / 2**20:.1f} MiB in {again['seconds']:.2f}s, "
                f"peak RSS {again['peak_mb']} MB")
            result["with_answers"] = {
                "seconds": round(again["seconds"], 2), "bytes": full.bytes,
                "items_per_s": round(full.items / again["seconds"]),
                "peak_mb": again["peak_mb"]}
        result["items_per_s"] = round(export.items / got["seconds"])
        result["peak_mb"] = got["peak_mb"]
        print(json.dumps(result))
    finally:
        db.drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
