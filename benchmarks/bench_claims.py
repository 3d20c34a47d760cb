"""Claims benchmark: 100 simulated workers loop next task -> think -> submit over HTTP.

Set-up (not timed): its own PostgreSQL database (``datadam_bench``), a project of 1,000,000
text items with overlap 3 imported through the import service and launched, 100 workers
with one API token each (created in bulk). Then, for each server configuration tried, the
production server is started (``datadam serve --no-task-worker``: granian, DEBUG off) on
127.0.0.1 and one asyncio process runs the 100 workers in closed loop, each over its own
keep-alive connection (a lean HTTP/1.1 client on asyncio; ``--client httpx`` uses
httpx.AsyncClient instead, which costs several times more CPU per request here):

    POST /api/v1/projects/{id}/next  ->  think  ->  POST /api/v1/assignments/{id}/submit

for a short warm-up and then the measured window (30 s). Think time, between receiving a
task and submitting it, is uniform in --think-ms (default 300-460 ms): 100 workers each
cycling every ~0.39 s offer about 260 cycles/s, the issue's throughput target, so the run
measures latency *at* the target load. A closing run of the first configuration with
--saturation-think-ms (default 100-300 ms, about 500 cycles/s offered) measures capacity:
the load generator, PostgreSQL and the server share the machine's cores, and past capacity
requests queue for the CPU, so latency there says how far the load overshoots, not how fast
a request is served. Afterwards the database is checked: no item holds more live answer
slots than its overlap, no (item, worker) pair twice, every submit answered 2xx has its
submission row, every claim and submission has its audit event.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/datadam python benchmarks/bench_claims.py

The best target-load configuration's result, with the capacity run under "saturation", is
the last line printed, as one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BIN,
    ROOT,
    BenchDatabase,
    import_items,
    log,
    make_client,
    make_project,
    make_workers,
    percentile,
    write_items_jsonl,
)

from datadam.supervisor import descendants, process_info  # noqa: E402

LABELS = ["positive", "negative", "neutral"]
HOST = "127.0.0.1"


# --- The server ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """``datadam serve`` in its own session, so the whole process group can be stopped."""

    def __init__(
        self, env: dict[str, str], workers: int, threads: int, log_path: Path, kind: str
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.cmd = [
            str(BIN / "datadam"),
            "serve",
            "--no-task-worker",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--server",
            kind,
        ]
        self.kind = kind
        self.env = env
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        return (
            f"datadam serve --no-task-worker --server {self.kind} --workers {self.workers}"
            f" --threads {self.threads}"
        )

    def start(self, timeout: float = 90.0) -> None:
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            self.cmd,
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.proc.returncode}; see {self.log_path}"
                )
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as s:
                    s.sendall(
                        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    )
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not answer within {timeout:.0f}s; see {self.log_path}")

    def pids(self) -> list[int]:
        """The server's processes: ``datadam serve`` and everything it started (the web server
        and its workers run in a process group of their own, so they are found by parent)."""
        if self.proc is None:
            return []
        return sorted({self.proc.pid} | descendants(self.proc.pid))

    def stop(self) -> None:
        if self.proc is None:
            return
        started = {pid: process_info(pid) for pid in self.pids()}
        # datadam serve passes SIGTERM on to the web server's process group and waits for it.
        for sig, wait in ((signal.SIGTERM, 40), (signal.SIGKILL, 5)):
            try:
                os.kill(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        for pid, was in started.items():  # never leave one behind (nor hit a reused pid)
            now = process_info(pid)
            if was is not None and now is not None and now.started == was.started:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._log.close()
        self.proc = None


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes (and their reaped children)."""
    infos = (process_info(pid) for pid in pids)
    return sum(info.cpu_ticks for info in infos if info is not None) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_split(**cpu: float) -> dict[str, float]:
    """CPU ms per HTTP request by party; 'other' is everything else busy on the machine."""
    requests = cpu.pop("requests")
    machine = cpu.pop("machine")
    out = {k: round(v * 1000 / requests, 2) for k, v in cpu.items()}
    out["other"] = round((machine - sum(cpu.values())) * 1000 / requests, 2)
    return out


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    return {pid: cpu_seconds([pid]) for pid in pids}


# --- A lean HTTP/1.1 client ----------------------------------------------------------------------
class _Conn(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection; responses must carry Content-Length (Django's do)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        self._parse()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionResetError("server closed the connection"))

    def _parse(self) -> None:
        if self.waiter is None or self.waiter.done():
            return
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return
        lines = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
        if "chunked" in headers.get("transfer-encoding", ""):
            self.waiter.set_exception(RuntimeError("chunked responses are not supported"))
            return
        size = int(headers.get("content-length", "0"))
        if len(self.buf) < end + 4 + size:
            return
        body = bytes(self.buf[end + 4 : end + 4 + size])
        del self.buf[: end + 4 + size]
        keep = headers.get("connection", "") != "close" and lines[0].startswith("HTTP/1.1")
        self.waiter.set_result((int(lines[0].split(" ", 2)[1]), body, keep))


class LeanClient:
    """Sequential requests over one reused connection (reconnects when the server closes it).

    httpx costs ~3 ms of CPU per request here, which on 2 shared cores would starve the
    server; this costs a fraction of that. A request that finds a reused connection closed
    before any answer is sent once more (as HTTP clients do); the calls here are all safe to
    repeat (next returns the live lease, submit carries an idempotency key).
    """

    def __init__(self, port: int, token: str, timeout: float = 30.0) -> None:
        self.port = port
        self.auth = f"Authorization: Bearer {token}\r\n".encode()
        self.host = f"Host: {HOST}:{port}\r\n".encode()
        self.timeout = timeout
        self.conn: _Conn | None = None
        self.connects = 0
        self.retries = 0

    async def _connect(self) -> _Conn:
        loop = asyncio.get_running_loop()
        _, conn = await loop.create_connection(_Conn, HOST, self.port)
        self.connects += 1
        return conn

    async def post(self, path: str, body: bytes = b"", method: str = "POST") -> tuple[int, bytes]:
        for attempt in range(2):
            reused = self.conn is not None and not self.conn.closed
            if not reused:
                self.conn = await self._connect()
            conn = self.conn
            assert conn is not None and conn.transport is not None
            conn.waiter = asyncio.get_running_loop().create_future()
            conn.transport.write(
                method.encode()
                + b" "
                + path.encode()
                + b" HTTP/1.1\r\n"
                + self.host
                + self.auth
                + b"Content-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            try:
                status, data, keep = await asyncio.wait_for(conn.waiter, self.timeout)
            except ConnectionResetError:
                self.conn = None
                if reused and attempt == 0 and not conn.buf:
                    self.retries += 1
                    continue
                raise
            if not keep:
                conn.transport.close()
                self.conn = None
            return status, data
        raise ConnectionResetError("unreachable")

    def close(self) -> None:
        if self.conn is not None and self.conn.transport is not None:
            self.conn.transport.close()
        self.conn = None


class HttpxClient:
    """The same interface over httpx.AsyncClient (``--client httpx``), for comparison."""

    def __init__(self, shared: Any, token: str) -> None:
        self.shared = shared
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connects = 0
        self.retries = 0

    async def post(self, path: str, body: bytes = b"") -> tuple[int, bytes]:
        r = await self.shared.post(path, content=body, headers=self.headers)
        return r.status_code, r.content

    def close(self) -> None:
        pass


# --- The load -----------------------------------------------------------------------------------
@dataclass
class Stats:
    measure_from: float = 0.0
    measure_to: float = 0.0
    next_ms: list[float] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)
    cycles: int = 0  # submits answered 2xx inside the measured window
    submitted: list[tuple[int, int]] = field(default_factory=list)  # every 2xx submit
    errors: Counter[str] = field(default_factory=Counter)
    exhausted: int = 0

    def measured(self, t: float) -> bool:
        return self.measure_from <= t < self.measure_to


async def simulated_worker(
    client: Any,
    project_id: int,
    stats: Stats,
    think: tuple[float, float],
    rng: random.Random,
) -> None:
    next_url = f"/api/v1/projects/{project_id}/next"
    await asyncio.sleep(rng.uniform(0, think[1]) / 1000)  # do not all start at once
    while time.perf_counter() < stats.measure_to:
        t0 = time.perf_counter()
        try:
            status, data = await client.post(next_url)
        except Exception as exc:
            stats.errors[f"next:{type(exc).__name__}"] += 1
            await asyncio.sleep(0.05)
            continue
        t1 = time.perf_counter()
        if status != 200:
            stats.errors[f"next:{status}"] += 1
            await asyncio.sleep(0.05)
            continue
        if stats.measured(t0):
            stats.next_ms.append((t1 - t0) * 1000)
        assignment = orjson.loads(data)["assignment"]
        if assignment is None:
            stats.exhausted += 1
            return
        await asyncio.sleep(rng.uniform(*think) / 1000)
        body = orjson.dumps(
            {"answer": {"label": rng.choice(LABELS)}, "idempotency_key": uuid.uuid4().hex}
        )
        t2 = time.perf_counter()
        try:
            status, data = await client.post(f"/api/v1/assignments/{assignment['id']}/submit", body)
        except Exception as exc:
            stats.errors[f"submit:{type(exc).__name__}"] += 1
            continue
        t3 = time.perf_counter()
        if not 200 <= status < 300:
            stats.errors[f"submit:{status}"] += 1
            continue
        stats.submitted.append((orjson.loads(data)["id"], assignment["id"]))
        if stats.measured(t2):
            stats.submit_ms.append((t3 - t2) * 1000)
        if stats.measured(t3):
            stats.cycles += 1


async def run_load(
    port: int,
    tokens: list[str],
    project_id: int,
    *,
    warmup: float,
    duration: float,
    think: tuple[float, float],
    seed: int,
    kind: str,
) -> tuple[Stats, dict[str, int]]:
    stats = Stats()
    now = time.perf_counter()
    stats.measure_from = now + warmup
    stats.measure_to = stats.measure_from + duration
    shared = None
    if kind == "httpx":
        import httpx

        limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
        shared = httpx.AsyncClient(
            base_url=f"http://{HOST}:{port}", limits=limits, timeout=30.0, trust_env=False
        )
        clients: list[Any] = [HttpxClient(shared, tok) for tok in tokens]
    else:
        clients = [LeanClient(port, tok) for tok in tokens]
    try:
        tasks = [
            asyncio.create_task(
                simulated_worker(c, project_id, stats, think, random.Random(seed + i))
            )
            for i, c in enumerate(clients)
        ]
        # Bounded: every request has a 30 s timeout, and the loops stop at measure_to.
        await asyncio.wait(tasks, timeout=warmup + duration + 60)
        for t in tasks:
            t.cancel()
    finally:
        for c in clients:
            c.close()
        if shared is not None:
            await shared.aclose()
    conns = {
        "connects": sum(c.connects for c in clients),
        "retries": sum(c.retries for c in clients),
    }
    return stats, conns


# --- Checks ---------------------------------------------------------------------------------------
def check_database(project_id: int, overlap: int, submitted: list[tuple[int, int]]) -> dict:
    from django.db import connection

    from datadam.work.models import SLOT_HOLDING

    holding = [str(s) for s in SLOT_HOLDING]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM (SELECT item_id FROM work_assignment WHERE project_id = %s "
            "AND status = ANY(%s) GROUP BY item_id HAVING count(*) > %s) AS over",
            [project_id, holding, overlap],
        )
        over = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) - count(DISTINCT (item_id, worker_id)) FROM work_assignment "
            "WHERE project_id = %s",
            [project_id],
        )
        dup = cur.fetchone()[0]
        # Every touched item's open slots plus its slot-holding assignments is the overlap.
        cur.execute(
            "SELECT count(*) FROM projects_item i JOIN (SELECT item_id, "
            "count(*) FILTER (WHERE status = ANY(%s)) AS held FROM work_assignment "
            "WHERE project_id = %s GROUP BY item_id) a ON a.item_id = i.id "
            "WHERE i.slots_open + a.held <> %s",
            [holding, project_id, overlap],
        )
        slot_mismatch = cur.fetchone()[0]
        ids = [s for s, _ in submitted]
        cur.execute(
            "SELECT count(*) FROM work_submission s JOIN work_assignment a "
            "ON a.id = s.assignment_id WHERE s.id = ANY(%s) AND a.status = 'submitted'",
            [ids],
        )
        found = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM work_assignment WHERE project_id = %s", [project_id])
        assignments = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) FROM work_submission s JOIN work_assignment a "
            "ON a.id = s.assignment_id WHERE a.project_id = %s",
            [project_id],
        )
        submissions = cur.fetchone()[0]
        cur.execute(
            "SELECT action, count(*) FROM audit_auditevent WHERE project_id = %s "
            "AND action IN ('assignment.claim', 'submission.create') GROUP BY action",
            [project_id],
        )
        audited = dict(cur.fetchall())
    pairs = set(submitted)
    return {
        "double_assignments": over + dup,
        "lost_submissions": len(pairs) - found + (len(submitted) - len(pairs)),
        "slot_mismatch": slot_mismatch,
        "assignments": assignments,
        "submissions": submissions,
        "unaudited": (assignments - audited.get("assignment.claim", 0))
        + (submissions - audited.get("submission.create", 0)),
    }


def explain_claim(project_id: int, worker_id: int) -> str:
    """The plan PostgreSQL picks for the claim query (it must walk item_open_idx)."""
    from django.db import connection, transaction

    from datadam.work.services.claiming import _pick_item

    captured: list[tuple[str, Any]] = []

    def capture(execute, sql, params, many, context):  # noqa: ANN001
        if "projects_item" in sql and "SKIP LOCKED" in sql and not captured:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with transaction.atomic():
        with connection.execute_wrapper(capture):
            _pick_item(project_id, worker_id)
        if not captured:
            return "claim query not found"
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + captured[0][0], captured[0][1])
            plan = "\n".join(row[0] for row in cur.fetchall())
        transaction.set_rollback(True)
    return plan


# --- Main -----------------------------------------------------------------------------------------
def parse_configs(text: str) -> list[tuple[int, int]]:
    """ "4x1,8x1,4x4" -> [(workers, threads), ...]"""
    out = []
    for part in text.split(","):
        w, _, t = part.strip().partition("x")
        out.append((int(w), int(t or 1)))
    return out


def parse_think(text: str) -> tuple[float, float]:
    lo, _, hi = text.partition("-")
    return float(lo), float(hi or lo)


def measure(
    db: BenchDatabase,
    project_id: int,
    tokens: list[str],
    items: int,
    config: tuple[int, int],
    think: tuple[float, float],
    args: argparse.Namespace,
    seed: int,
) -> dict[str, Any]:
    """Start the server in one configuration, run the load against it, check the database."""
    n_proc, n_threads = config
    server = Server(db.env, n_proc, n_threads, db.tmp / "server.log", args.server)
    log(f"starting {server.name}, think {think[0]:g}-{think[1]:g} ms")
    server.start()
    try:
        pids = server.pids()
        pg0 = cpu_by_pid(db.backend_pids())
        cpu0 = (cpu_seconds(pids), time.process_time(), machine_busy())
        t0 = time.perf_counter()
        stats, conns = asyncio.run(
            run_load(
                server.port,
                tokens,
                project_id,
                warmup=args.warmup,
                duration=args.duration,
                think=think,
                seed=seed,
                kind=args.client,
            )
        )
        wall = time.perf_counter() - t0
        pg1 = cpu_by_pid(db.backend_pids())
        cpu1 = (cpu_seconds(pids), time.process_time(), machine_busy())
    finally:
        server.stop()
    check = check_database(project_id, args.overlap, stats.submitted)
    requests = len(stats.submitted) * 2 or 1
    run = {
        "bench": "claims",
        "db": "postgresql",
        "workers": args.workers,
        "items": items,
        "cycles_per_s": round(stats.cycles / args.duration, 1),
        "next_p50_ms": round(percentile(stats.next_ms, 50), 2),
        "next_p95_ms": round(percentile(stats.next_ms, 95), 2),
        "next_p99_ms": round(percentile(stats.next_ms, 99), 2),
        "submit_p50_ms": round(percentile(stats.submit_ms, 50), 2),
        "submit_p95_ms": round(percentile(stats.submit_ms, 95), 2),
        "double_assignments": check["double_assignments"],
        "lost_submissions": check["lost_submissions"],
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors),
        "think_ms": f"uniform {think[0]:g}-{think[1]:g}",
        "offered_cycles_per_s": round(args.workers * 1000 / (sum(think) / 2), 1),
        "server": server.name,
        "client": args.client,
        "cpu_ms_per_request": cpu_split(
            server=cpu1[0] - cpu0[0],
            postgres=sum(v - pg0.get(pid, 0.0) for pid, v in pg1.items()),
            load_generator=cpu1[1] - cpu0[1],
            machine=cpu1[2] - cpu0[2],
            requests=requests,
        ),
        "connections_opened": conns["connects"],
        "client_retries": conns["retries"],
        "wall_s": round(wall, 1),
        "slot_mismatch": check["slot_mismatch"],
        "unaudited": check["unaudited"],
        "assignments": check["assignments"],
        "submissions": check["submissions"],
    }
    log(json.dumps(run))
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--overlap", type=int, default=3)
    parser.add_argument("--workers", type=int, default=100, help="simulated workers")
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument(
        "--think-ms",
        default="300-460",
        help="uniform think time of the target-load runs (300-460: about 260 cycles/s offered)",
    )
    parser.add_argument(
        "--saturation-think-ms",
        default="100-300",
        help="think time of the closing run that measures capacity (about 500 cycles/s "
        "offered, more than 2 cores serve); empty to skip it",
    )
    parser.add_argument(
        "--servers",
        default="2x4,2x2",
        help="server processes x threads to try, e.g. 3x1,4x1,3x4",
    )
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument(
        "--client", choices=["lean", "httpx"], default="lean", help="load generator's client"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    think = parse_think(args.think_ms)

    # A SIGTERM (e.g. from `timeout`) unwinds through the finally blocks: the server is
    # stopped and the benchmark database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    db = BenchDatabase("postgresql")
    runs: list[dict[str, Any]] = []
    saturation: dict[str, Any] | None = None
    try:
        db.create()
        db.django_setup()
        from django.db import DatabaseError, connections

        from datadam.projects.services import project_launch

        client, org = make_client(credit=args.items * args.overlap)
        project = make_project(client, org, overlap=args.overlap, reward=1)
        path = db.tmp / "items.jsonl"
        write_items_jsonl(path, args.items)
        imported, seconds = import_items(client, project, path)
        path.unlink()
        log(f"imported {imported:,} items in {seconds:.1f}s")
        project = project_launch(user=client, project_id=project.pk)
        workers = make_workers(args.workers)
        tokens = [raw for _, raw in workers]
        with connections["default"].cursor() as cur:
            # The imported items only, as autovacuum would after a bulk load. The assignment,
            # submission and audit tables are left as a new install has them (never
            # analyzed): analyzed while empty, they make each server connection plan the
            # claim's anti-join and the submit's lookup as sequential scans, and keep those
            # prepared plans while the tables grow, until autovacuum analyzes them again
            # (that cost the first measured run 0.3-0.6 ms more PostgreSQL CPU per request).
            cur.execute("VACUUM ANALYZE projects_item")
            # Write out what the import left in shared buffers now, not during the first
            # measured run (a checkpoint there cost it about 0.3 ms of CPU per request).
            try:
                cur.execute("CHECKPOINT")  # needs superuser or pg_checkpoint
            except DatabaseError as exc:
                log(f"no CHECKPOINT before the runs: {exc}")
        plan = explain_claim(project.pk, workers[0][0])
        log("claim query plan:\n" + plan)
        connections.close_all()

        for config in parse_configs(args.servers):
            seed = args.seed + 1000 * len(runs)
            runs.append(measure(db, project.pk, tokens, imported, config, think, args, seed))
        if args.saturation_think_ms:
            # The same server at twice the offered load: how many cycles 2 cores serve at
            # most, and what latency looks like when requests queue for the CPU.
            first = parse_configs(args.servers)[0]
            saturation = measure(
                db,
                project.pk,
                tokens,
                imported,
                first,
                parse_think(args.saturation_think_ms),
                args,
                args.seed + 1000 * (len(runs) + 1),
            )
    finally:
        if not args.keep:
            db.drop()
    ok = [r for r in runs if r["errors"] == 0] or runs
    # Best: meets the latency target if any does, then the most cycles per second.
    best = max(ok, key=lambda r: (r["next_p95_ms"] <= 15, r["cycles_per_s"]))
    best = dict(best)
    best["tried"] = [
        {k: r[k] for k in ("server", "cycles_per_s", "next_p95_ms", "submit_p95_ms", "errors")}
        for r in runs
    ]
    if saturation is not None:
        best["saturation"] = {
            k: saturation[k]
            for k in (
                "server",
                "think_ms",
                "offered_cycles_per_s",
                "cycles_per_s",
                "next_p50_ms",
                "next_p95_ms",
                "submit_p95_ms",
                "double_assignments",
                "lost_submissions",
                "errors",
                "cpu_ms_per_request",
            )
        }
    best["claim_plan_uses_item_open_idx"] = "item_open_idx" in plan
    print(json.dumps(best), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
