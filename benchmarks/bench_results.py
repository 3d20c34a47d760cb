"""The platform's aggregation job on a large project: time and memory.

    python benchmarks/bench_results.py [--db sqlite|postgresql] [--items 200000] [--overlap 5]
                                       [--multi-label L]

Builds items × overlap submitted answers in bulk (2,000 simulated workers with accuracies
drawn from U(0.5, 0.95)), then runs ``results_aggregate`` once, in this process, and reports
seconds, the growth of the process's peak RSS during the job (VmHWM) and the accuracy of the
stored labels against the simulated truth. The last stdout line is JSON.

With ``--multi-label L`` the project has L labels, several per item: each item's true set holds
every label with probability 0.25, and a worker of accuracy ``a`` flips each label with
probability ``(1 - a) / 2``; accuracy is then the share of exactly right sets, reported next
to that of the per-item majority vote (labels chosen by more than half the answers).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BenchDatabase,
    import_items,
    log,
    make_client,
    make_project,
    write_items_jsonl,
)


def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) // 1024
    return 0


def _store(project, batch: list, key: str) -> None:
    """Bulk-insert submitted assignments and their answers ``{key: value}``; empty ``batch``."""
    from django.db import transaction
    from django.utils import timezone

    from datadam.work.models import Assignment, AssignmentStatus, Submission

    now = timezone.now()
    with transaction.atomic():
        made = Assignment.objects.bulk_create(
            Assignment(project=project, item_id=i, worker_id=w, leased_at=now,
                       expires_at=now, submitted_at=now, status=AssignmentStatus.SUBMITTED)
            for i, w, _ in batch
        )
        Submission.objects.bulk_create(
            Submission(assignment=a, answer={key: value}, duration_ms=1000)
            for a, (_, _, value) in zip(made, batch, strict=True)
        )
    batch.clear()


def _answers(project, n_workers: int, overlap: int, seed: int) -> dict[int, str]:
    """Bulk assignments and submissions; returns the simulated truth per item."""

    from datadam.accounts.models import Role, User
    from datadam.projects.models import Item

    rng = random.Random(seed)
    labels = project.config["labels"]
    users = User.objects.bulk_create(
        User(email=f"w{i}@bench.test", role=Role.WORKER, password="!") for i in range(n_workers)
    )
    skill = {u.pk: rng.uniform(0.5, 0.95) for u in users}
    ids = [u.pk for u in users]
    truth: dict[int, str] = {}
    items = Item.objects.filter(project=project).order_by("pk").values_list("pk", flat=True)
    batch: list[tuple[int, int, str]] = []

    def flush() -> None:
        _store(project, batch, "label")

    for pk in items.iterator(chunk_size=10_000):
        truth[pk] = rng.choice(labels)
        for w in rng.sample(ids, overlap):
            right = rng.random() < skill[w]
            label = truth[pk] if right else rng.choice([x for x in labels if x != truth[pk]])
            batch.append((pk, w, label))
        if len(batch) >= 20_000:
            flush()
    if batch:
        flush()
    Item.objects.filter(project=project).update(slots_open=0)
    return truth


def _multi_answers(project, n_workers: int, overlap: int, seed: int
                   ) -> tuple[dict[int, str], float]:
    """Multi-label: bulk answers; the true set per item (joined like ItemResult.label) and the
    share of items whose per-item majority vote is exactly right."""

    from datadam.accounts.models import Role, User
    from datadam.projects.models import Item

    rng = random.Random(seed)
    labels = project.config["labels"]
    users = User.objects.bulk_create(
        User(email=f"w{i}@bench.test", role=Role.WORKER, password="!") for i in range(n_workers)
    )
    flip = {u.pk: (1 - rng.uniform(0.5, 0.95)) / 2 for u in users}
    ids = [u.pk for u in users]
    truth: dict[int, str] = {}
    majority_right = 0
    items = Item.objects.filter(project=project).order_by("pk").values_list("pk", flat=True)
    batch: list[tuple[int, int, list[str]]] = []

    def flush() -> None:
        _store(project, batch, "labels")

    for pk in items.iterator(chunk_size=10_000):
        true = [lb for lb in labels if rng.random() < 0.25]
        truth[pk] = ", ".join(true)
        votes = dict.fromkeys(labels, 0)
        for w in rng.sample(ids, overlap):
            chosen = [lb for lb in labels if (lb in true) != (rng.random() < flip[w])]
            for lb in chosen:
                votes[lb] += 1
            batch.append((pk, w, chosen))
        majority_right += [lb for lb in labels if votes[lb] * 2 > overlap] == true
        if len(batch) >= 20_000:
            flush()
    if batch:
        flush()
    Item.objects.filter(project=project).update(slots_open=0)
    return truth, majority_right / max(1, len(truth))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--overlap", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2_000)
    parser.add_argument("--multi-label", type=int, default=0, metavar="L")
    args = parser.parse_args()
    db = BenchDatabase(args.db)
    try:
        db.create()
        db.django_setup()
        client, org = make_client(credit=0)
        config = None
        if args.multi_label:
            config = {"labels": [f"l{i}" for i in range(args.multi_label)], "multi_label": True}
        project = make_project(client, org, overlap=args.overlap, config=config)
        path = db.tmp / "items.jsonl"
        write_items_jsonl(path, args.items)
        import_items(client, project, path)
        t0 = time.perf_counter()
        majority = None
        if args.multi_label:
            truth, majority = _multi_answers(project, args.workers, args.overlap, seed=1)
        else:
            truth = _answers(project, args.workers, args.overlap, seed=1)
        log(f"built {args.items * args.overlap} answers in {time.perf_counter() - t0:.1f}s")
        from datadam.datasets.aggregation import results_aggregate
        from datadam.datasets.models import ItemResult

        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        rss_before = _vm("VmRSS:")
        t0 = time.perf_counter()
        out = results_aggregate(project_id=project.pk)
        seconds = time.perf_counter() - t0
        peak = _vm("VmHWM:")
        rows = ItemResult.objects.filter(project=project).values_list("item_id", "label")
        right = sum(truth[i] == label for i, label in rows.iterator(chunk_size=10_000))
        result = {
            "db": args.db,
            "labels": out["labels"],
            "items": out["items"],
            "seconds": round(seconds, 2),
            "rss_before_mb": rss_before,
            "peak_growth_mb": peak - rss_before,
            "peak_mb": peak,
            "accuracy": round(right / len(truth), 4),
        }
        if majority is not None:
            result["multi_label"] = args.multi_label
            result["majority_accuracy"] = round(majority, 4)
        print(json.dumps(result))
    finally:
        db.drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
