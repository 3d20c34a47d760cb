"""Shared set-up for the benchmarks: a throw-away database, Django, test data in bulk.

Every benchmark runs against its own database, never the developer's:

* SQLite: a fresh file in a temporary directory (DATADAM_DATA_DIR points there too).
* PostgreSQL: the server named by DATABASE_URL (loopback only), database ``datadam_bench``,
  dropped and created again at the start and dropped at the end.

Production settings: SECRET_KEY is set, DATADAM_DEBUG is removed from the environment.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Several people may benchmark on one PostgreSQL server: DATADAM_BENCH_DB names another.
BENCH_DB = os.environ.get("DATADAM_BENCH_DB", "datadam_bench")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def log(*args: Any) -> None:
    """Progress goes to stderr, so the last line of stdout is the JSON result."""
    print(*args, file=sys.stderr, flush=True)


class BenchDatabase:
    """Create the benchmark's own database and the environment that points at it."""

    def __init__(self, vendor: str, name: str = BENCH_DB) -> None:
        if vendor not in ("sqlite", "postgresql"):
            raise SystemExit("--db must be sqlite or postgresql")
        self.vendor = vendor
        self.tmp = Path(tempfile.mkdtemp(prefix="datadam-bench-"))
        self.env = dict(os.environ)
        self.env.pop("DATADAM_DEBUG", None)
        self.env.pop("DATADAM_TESTING", None)
        self.env["SECRET_KEY"] = "datadam-benchmark-" + os.urandom(16).hex()
        self.env["DATADAM_DATA_DIR"] = str(self.tmp)
        self.env["DJANGO_SETTINGS_MODULE"] = "datadam.settings"
        self.admin_url = ""
        self.name = name
        if vendor == "sqlite":
            self.url = f"sqlite:///{self.tmp / 'bench.sqlite3'}"
        else:
            base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/datadam")
            parts = urlsplit(base)
            if not parts.scheme.startswith("postgres"):
                raise SystemExit("--db postgresql needs DATABASE_URL=postgres://...")
            if parts.hostname not in LOOPBACK:
                raise SystemExit(f"benchmarks only talk to 127.0.0.1, not {parts.hostname}")
            self.url = urlunsplit(parts._replace(path="/" + name))
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.env["DATABASE_URL"] = self.url

    def _pg_admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def backend_pids(self) -> list[int]:
        """PostgreSQL processes working for this benchmark: its database's backends and the
        shared writers (WAL writer, checkpointer, background writer)."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE (datname = %s AND pid <> "
                "pg_backend_pid()) OR backend_type IN "
                "('walwriter', 'checkpointer', 'background writer')",
                [self.name],
            ).fetchall()
        return [pid for (pid,) in rows]

    def create(self) -> None:
        if self.vendor == "postgresql":
            self._pg_admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            self._pg_admin(f"CREATE DATABASE {self.name}")
        t0 = time.perf_counter()
        subprocess.run(
            [str(BIN / "datadam"), "migrate", "--no-input", "-v", "0"],
            env=self.env,
            cwd=ROOT,
            check=True,
        )
        log(f"migrated {self.vendor} database in {time.perf_counter() - t0:.1f}s")

    def drop(self) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if self.vendor == "postgresql":
            try:
                self._pg_admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            except Exception as exc:  # keep the result line even if cleanup fails
                log(f"could not drop {self.name}: {exc}")
        shutil.rmtree(self.tmp, ignore_errors=True)

    def django_setup(self) -> None:
        """Start Django in this process against the benchmark database."""
        os.environ.update(self.env)
        os.environ.pop("DATADAM_DEBUG", None)
        import django

        django.setup()


# --- Data in bulk -----------------------------------------------------------------------------
def make_client(credit: int) -> tuple[Any, Any]:
    """An operator, and a client owning an organization credited with ``credit`` points."""
    from datadam.accounts.models import Membership, Organization, Role, User
    from datadam.rewards.services import account_topup

    # No passwords (nobody signs in): Argon2 would cost 100 MB of RSS per hash.
    operator = User.objects.create_superuser("bench-operator@bench.test", None)
    client = User.objects.create_user("bench-client@bench.test", None, role=Role.CLIENT)
    org = Organization.objects.create(name="Bench Lab")
    Membership.objects.create(organization=org, user=client, level=Membership.Level.OWNER)
    if credit:
        account_topup(operator=operator, organization=org, amount=credit, reference="bench")
    return client, org


def make_project(client: Any, org: Any, *, overlap: int, reward: int = 1,
                 config: dict[str, Any] | None = None) -> Any:
    from datadam.projects.services import project_create

    return project_create(
        user=client,
        organization_id=org.pk,
        name="Bench sentiment",
        kind="text_classification",
        config=config or {"labels": ["positive", "negative", "neutral"]},
        reward=reward,
        review_reward=0,
        overlap=overlap,
        lease_seconds=600,
    )


WORDS = (
    "the battery lasts two days and the screen is bright but the speaker is weak "
    "delivery was late packaging was torn support never answered my e-mails great value "
    "would buy again the manual is twelve pages long 정말 만족스러운 구매였습니다 배송이 너무 늦고"
).split()


def write_items_jsonl(path: Path, n: int) -> int:
    """A JSONL file of ``n`` text items, each with an external id. Returns its size in bytes."""
    import orjson

    k = len(WORDS)
    with open(path, "wb") as out:
        buf: list[bytes] = []
        for i in range(n):
            # Deterministic, varied text of 8-15 words (about 60-100 bytes).
            words = [WORDS[(i * 7 + j * 13) % k] for j in range(8 + i % 8)]
            line = {"data": {"text": f"Review {i}: " + " ".join(words)}, "external_id": f"r{i}"}
            buf.append(orjson.dumps(line))
            if len(buf) >= 10000:
                out.write(b"\n".join(buf) + b"\n")
                buf.clear()
        if buf:
            out.write(b"\n".join(buf) + b"\n")
    return path.stat().st_size


def import_items(client: Any, project: Any, path: Path) -> tuple[int, float]:
    """Import a JSONL file through the real service; returns (items, seconds)."""
    from datadam.projects.importing import items_import_file

    with open(path, "rb") as stream:
        t0 = time.perf_counter()
        report = items_import_file(user=client, project_id=project.pk, stream=stream, fmt="jsonl")
        seconds = time.perf_counter() - t0
    if not report.ok:
        raise SystemExit(f"import failed: {report.error_count} bad lines, {report.errors[:3]}")
    return report.imported, seconds


def make_workers(n: int) -> list[tuple[int, str]]:
    """``n`` worker accounts with one API token each, in bulk. Returns (user id, raw token)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from datadam.accounts.models import ApiToken, Role, User

    hashed = make_password(None)  # unusable: these users only use their API tokens
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(email=f"bench-worker{i}@bench.test", password=hashed, role=Role.WORKER)
                for i in range(n)
            ]
        )
        if any(u.pk is None for u in users):  # SQLite before RETURNING support
            users = list(User.objects.filter(email__startswith="bench-worker").order_by("pk"))
        raws = [ApiToken.new_raw() for _ in users]
        ApiToken.objects.bulk_create(
            [
                ApiToken(user=u, name="bench", digest=ApiToken.digest_of(raw), hint=raw[:8])
                for u, raw in zip(users, raws, strict=True)
            ]
        )
    return [(u.pk, raw) for u, raw in zip(users, raws, strict=True)]


# --- Measuring --------------------------------------------------------------------------------
def rss_mb() -> float:
    """Resident set size of this process now."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def reset_peak_rss() -> bool:
    """Start a new high-water mark of RSS (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """High-water mark of this process's RSS since start or the last ``reset_peak_rss``."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """Samples RSS in a thread, to show whether memory grows with the work done."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        t0 = time.perf_counter()
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - t0, rss_mb()))
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def at_fraction(self, fraction: float) -> float:
        if not self.samples:
            return rss_mb()
        return self.samples[min(len(self.samples) - 1, int(len(self.samples) * fraction))][1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]
