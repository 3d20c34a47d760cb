"""Dataset hub benchmark: build and download a 1,000,000-item version as JSONL.

    python benchmarks/bench_hub.py [--db sqlite|postgresql] [--items 1000000]

Builds, in bulk, a ``text_classification`` project of ``--items`` items (a sentence of about
80 characters each) with a stored result each (``ItemResult``, as the aggregation job writes
them), publishes it as a public dataset through the service (``dataset_publish``) and runs
the version build job (``hub.snapshot.version_build``) in a fresh child process: time and
the child's peak RSS growth (VmHWM, reset just before the job).

Then it starts the production server (``datadam serve --no-task-worker``: granian, one
process, DEBUG off) and downloads the version's ``train.jsonl`` over HTTP as an anonymous
visitor through the API (``GET /api/v1/hub/datasets/{id}/versions/1/files/train.jsonl``),
reading the stream in 1 MiB pieces and counting lines: items/s is lines over wall seconds
from the request to the last byte. Memory: the server process's RSS before the download
and its high-water mark after it (VmHWM of the worker process), which stays flat if the
file is streamed. A second request resumes from the middle of the file (``Range``) and the
two halves are checked against the manifest's SHA-256.

The last stdout line is JSON:
``{"bench": "hub", "items": ..., "download_items_per_s": ..., "server_rss_growth_mb": ...}``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_claims import HOST, Server  # noqa: E402
from harness import BenchDatabase, log, make_client  # noqa: E402

from datadam.supervisor import descendants  # noqa: E402

LABELS = ["positive", "negative", "neutral"]
WORDS = ("delivery fast slow great poor price quality support refund broken works love hate "
         "okay box size colour screen battery sound cheap expensive again never always").split()
CHUNK = 10_000
PIECE = 1 << 20


def build(client, org, n_items: int):
    """The project, its items and their stored results, in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from datadam.datasets.models import ItemResult
    from datadam.projects.models import Item, Project
    from datadam.projects.services import project_create

    project = project_create(
        user=client, organization_id=org.pk, name="Bench reviews", kind="text_classification",
        config={"labels": LABELS}, reward=1, review_reward=0, overlap=3)
    rng = random.Random(1)
    now = timezone.now()
    t0 = time.perf_counter()
    for start in range(0, n_items, CHUNK):
        with transaction.atomic():
            items = Item.objects.bulk_create(
                Item(project=project, external_id=f"review-{i:07d}", slots_open=0,
                     data={"text": " ".join(rng.choices(WORDS, k=12))})
                for i in range(start, min(start + CHUNK, n_items)))
            if any(it.pk is None for it in items):
                items = list(Item.objects.filter(project=project).order_by("-pk")
                             [:len(items)])[::-1]
            ItemResult.objects.bulk_create(
                ItemResult(item_id=it.pk, project=project, label=(label := rng.choice(LABELS)),
                           result={"label": label}, confidence=round(rng.uniform(0.5, 1), 4),
                           answers=3, provisional=False, method="dawid_skene", run=1,
                           updated_at=now)
                for it in items)
        if (start // CHUNK) % 10 == 9:
            log(f"  {min(start + CHUNK, n_items)} items built ({time.perf_counter() - t0:.0f}s)")
    Project.objects.filter(pk=project.pk).update(items_count=n_items)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return project


def measure_build(version_id: int) -> dict:
    """In the child: run the build job once; time and memory."""
    import django

    django.setup()
    from harness import peak_rss_mb, reset_peak_rss, rss_mb

    from datadam.hub.snapshot import version_build
    from datadam.kinds import get_kind

    get_kind("text_classification")
    before = rss_mb()
    reset_peak_rss()
    t0 = time.perf_counter()
    out = version_build(version_id=version_id)
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    return {"seconds": seconds, "rss_before_mb": round(before, 1),
            "peak_growth_mb": round(peak - before, 1), "outcome": out}


def _status(pid: int, field: str) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, int, int, str, float]:
    """(status, bytes, lines, sha256, seconds) of a streamed GET."""
    request = urllib.request.Request(url, headers=headers or {})
    digest = hashlib.sha256()
    size = lines = 0
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        status = response.status
        while piece := response.read(PIECE):
            size += len(piece)
            lines += piece.count(b"\n")
            digest.update(piece)
    return status, size, lines, digest.hexdigest(), time.perf_counter() - t0


def download(db: BenchDatabase, dataset_id: int, sha256: str, total: int) -> dict:
    """Serve and download the JSONL; the figures."""
    server = Server(db.env, workers=1, threads=2, log_path=db.tmp / "server.log", kind="granian")
    server.start()
    try:
        url = (f"http://{HOST}:{server.port}/api/v1/hub/datasets/{dataset_id}/versions/1/"
               f"files/train.jsonl")
        _get(url.replace("train.jsonl", "README.md"))  # the worker warms up (imports, DB)
        workers = [pid for pid in descendants(server.proc.pid) if pid != server.proc.pid]
        before = {pid: _status(pid, "VmRSS") for pid in workers}
        status, size, lines, whole, seconds = _get(url)
        peaks = {pid: _status(pid, "VmHWM") for pid in workers}
        growth = max(peaks[pid] - before[pid] for pid in workers)
        half = total // 2
        first = _get(url, {"Range": f"bytes=0-{half - 1}"})
        second = _get(url, {"Range": f"bytes={half}-"})
        resumed = first[0] == 206 and second[0] == 206 and first[1] + second[1] == total
    finally:
        server.stop()
    return {"status": status, "bytes": size, "lines": lines, "seconds": seconds,
            "sha256_ok": whole == sha256, "resume_ok": resumed,
            "server_rss_before_mb": round(max(before.values()), 1),
            "server_rss_growth_mb": round(growth, 1)}


def run_child(db: BenchDatabase, version_id: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", str(version_id)],
                          env=db.env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"build child failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_build(args.measure)))
        return 0
    db = BenchDatabase(args.db, name=os.environ.get("DATADAM_BENCH_DB", "datadam_bench_hub"))
    try:
        db.create()
        db.django_setup()
        from django.db import connections

        from datadam.hub.models import DatasetVersion, VersionFile
        from datadam.hub.services.datasets import dataset_publish

        client, org = make_client(credit=0)
        t0 = time.perf_counter()
        project = build(client, org, args.items)
        log(f"built {args.items} items with results in {time.perf_counter() - t0:.1f}s")
        dataset = dataset_publish(user=client, project_ids=[project.pk], title="Bench reviews",
                                  languages=["en"])
        version = DatasetVersion.objects.get(dataset=dataset, number=1)
        connections.close_all()
        built = run_child(db, version.pk)
        if built["outcome"].get("status") != "ready":
            raise SystemExit(f"build failed: {built['outcome']}")
        jsonl = VersionFile.objects.get(version=version, path="train.jsonl")
        log(f"version built: {args.items} items in {built['seconds']:.1f}s, peak RSS growth "
            f"{built['peak_growth_mb']} MB; train.jsonl {jsonl.bytes / 2**20:.1f} MiB")
        connections.close_all()
        got = download(db, dataset.pk, jsonl.sha256, jsonl.bytes)
        if got["status"] != 200 or got["lines"] != args.items or not got["sha256_ok"]:
            raise SystemExit(f"download wrong: {got}")
        rate = args.items / got["seconds"]
        log(f"downloaded {got['lines']} items ({got['bytes'] / 2**20:.1f} MiB) in "
            f"{got['seconds']:.2f}s = {rate:,.0f} items/s; server RSS "
            f"+{got['server_rss_growth_mb']} MB over {got['server_rss_before_mb']} MB; "
            f"resumed halves ok: {got['resume_ok']}")
        result = {
            "bench": "hub", "db": args.db, "items": args.items, "bytes": got["bytes"],
            "download_seconds": round(got["seconds"], 2),
            "download_items_per_s": round(rate),
            "download_mib_per_s": round(got["bytes"] / 2**20 / got["seconds"], 1),
            "server_rss_before_mb": got["server_rss_before_mb"],
            "server_rss_growth_mb": got["server_rss_growth_mb"],
            "sha256_ok": got["sha256_ok"], "resume_ok": got["resume_ok"],
            "build_seconds": round(built["seconds"], 1),
            "build_items_per_s": round(args.items / built["seconds"]),
            "build_peak_growth_mb": built["peak_growth_mb"],
        }
    finally:
        db.drop()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
