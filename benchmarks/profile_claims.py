"""Per-request cost of the claim/submit loop, in one process, without the network.

Sets up its own database (as the other benchmarks do), then drives Django's WSGI handler
directly -- the same middleware, URL routing, auth and views the server runs -- for
``--cycles`` next+submit pairs spread over ``--workers`` workers, and prints the CPU time
per request of this process (Django side) and the queries per request. ``--profile``
writes a pyinstrument report; ``--trivial`` also times /healthz (Django's own floor).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/datadam python benchmarks/profile_claims.py
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BenchDatabase,
    import_items,
    make_client,
    make_project,
    make_workers,
    write_items_jsonl,
)


def call(app, method: str, path: str, token: str, body: bytes = b"") -> tuple[int, bytes]:
    status: list[str] = []
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    out = app(environ, lambda s, h, exc=None: status.append(s))
    data = b"".join(out)
    if hasattr(out, "close"):
        out.close()
    return int(status[0].split()[0]), data


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) a PostgreSQL backend has used; 0 when not readable."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--cycles", type=int, default=2000)
    parser.add_argument("--profile", default="", help="write a cProfile report (CPU time) here")
    parser.add_argument("--profile-sort", default="cumulative", help="e.g. tottime")
    parser.add_argument("--trivial", action="store_true")
    args = parser.parse_args()
    db = BenchDatabase(args.db)
    try:
        db.create()
        db.django_setup()
        from django.core.handlers.wsgi import WSGIHandler
        from django.db import connection

        from datadam.projects.services import project_launch

        client, org = make_client(credit=args.items * 3)
        project = make_project(client, org, overlap=3, reward=1)
        path = db.tmp / "items.jsonl"
        write_items_jsonl(path, args.items)
        import_items(client, project, path)
        project_launch(user=client, project_id=project.pk)
        tokens = [raw for _, raw in make_workers(args.workers)]
        app = WSGIHandler()
        next_url = f"/api/v1/projects/{project.pk}/next"

        def cycle(i: int) -> None:
            tok = tokens[i % len(tokens)]
            st, data = call(app, "POST", next_url, tok)
            assert st == 200, (st, data)
            a = orjson.loads(data)["assignment"]
            body = orjson.dumps({"answer": {"label": "positive"}, "idempotency_key": f"k{i}"})
            st, data = call(app, "POST", f"/api/v1/assignments/{a['id']}/submit", tok, body)
            assert st == 201, (st, data)

        for i in range(len(tokens) * 2):  # warm up: every token used, caches filled
            cycle(i)
        tok = tokens[0]
        q_next: list[str] = []
        q_submit: list[str] = []

        def recorder(into: list[str]):
            def record(execute, sql, params, many, context):  # noqa: ANN001
                into.append(sql)
                return execute(sql, params, many, context)

            return record

        with connection.execute_wrapper(recorder(q_next)):
            st, data = call(app, "POST", next_url, tok)
        a = orjson.loads(data)["assignment"]
        body = orjson.dumps({"answer": {"label": "neutral"}, "idempotency_key": "q"})
        with connection.execute_wrapper(recorder(q_submit)):
            call(app, "POST", f"/api/v1/assignments/{a['id']}/submit", tok, body)
        profiler = None
        if args.profile:  # CPU time (not wall time: that is mostly waiting for PostgreSQL)
            import cProfile

            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()" if args.db == "postgresql" else "SELECT 0")
            backend = cur.fetchone()[0]
        p0 = backend_cpu(backend)
        c0, t0 = time.process_time(), time.perf_counter()
        for i in range(args.cycles):
            cycle(10_000 + i)
        c1, t1 = time.process_time(), time.perf_counter()
        p1 = backend_cpu(backend)
        if profiler is not None:
            import pstats

            profiler.disable()
            with open(args.profile, "w") as f:
                stats = pstats.Stats(profiler, stream=f)
                stats.sort_stats(args.profile_sort).print_stats(70)
        result = {
            "db": args.db,
            "cycles": args.cycles,
            "server_cpu_ms_per_request": round((c1 - c0) * 1000 / (2 * args.cycles), 3),
            "wall_ms_per_request": round((t1 - t0) * 1000 / (2 * args.cycles), 3),
            "postgres_cpu_ms_per_request": round((p1 - p0) * 1000 / (2 * args.cycles), 3),
            "queries_next": len(q_next),
            "queries_submit": len(q_submit),
            "sql_next": [q[:160] for q in q_next],
            "sql_submit": [q[:160] for q in q_submit],
        }
        if args.trivial:
            c0 = time.process_time()
            for _ in range(2000):
                call(app, "GET", "/healthz", tok)
            result["healthz_cpu_ms"] = round((time.process_time() - c0) * 1000 / 2000, 3)
        connection.close()
        print(json.dumps(result, indent=1), flush=True)
    finally:
        db.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
