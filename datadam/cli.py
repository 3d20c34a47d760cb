"""The ``datadam`` console command.

datadam serve       run the web server (granian, several processes) and the task worker
datadam worker      run the background task worker with its periodic sweep
datadam demo        load the demo: an account per role, projects, work done and reviewed
datadam sweep       expire overdue leases and auto-approve due submissions, once
datadam aggregate   aggregate crowd labels from a CSV file (no database needed)
datadam <command>   any Django management command (migrate, createsuperuser, ...)
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import threading
import time

AGREEMENT_EVERY_TICKS = 10  # the worker enqueues the agreement check every 10 sweeps


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datadam.settings")
    import django

    django.setup()


def server_command(
    *, server: str, host: str, port: int, workers: int, threads: int, debug: bool
) -> list[str]:
    """The web server's command line: ``workers`` processes of ``threads`` threads each.

    granian (the default) parses HTTP and moves bytes in Rust, outside the GIL; measured on
    2 cores by benchmarks/bench_claims.py, back to back: 304 claim+submit cycles/s against
    gunicorn's 259 (next-task p95 137 ms against 208), and 266 against 203 in a slow spell
    of the host. gunicorn (gthread) stays selectable.
    Both keep API clients' connections alive between requests.
    """
    if server == "granian":
        cmd = [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host,
            "--port", str(port), "--workers", str(workers), "--blocking-threads",
            str(threads), "--respawn-failed-workers", "--log-level", "warning",
        ]  # fmt: skip
        if debug:
            cmd.append("--access-log")
        return [*cmd, "datadam.wsgi:application"]
    if server != "gunicorn":
        raise SystemExit(f"datadam serve: unknown server {server!r} (granian or gunicorn)")
    cmd = [
        sys.executable, "-m", "gunicorn", "datadam.wsgi:application", "--bind", f"{host}:{port}",
        "--workers", str(workers), "--threads", str(threads), "--log-level", "warning",
        "--timeout", "300", "--keep-alive", "5",
    ]  # fmt: skip
    if debug:
        # Without the option gunicorn writes no access log at all; pointing it at /dev/null
        # would still format a line per request (measured: 0.07 ms of CPU each).
        cmd += ["--access-logfile", "-"]
    return cmd


def cmd_serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="datadam serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    # One process per core, each with a pool of threads: a thread waiting for the database
    # lets another run. 4 threads: on 2 cores 8 trailed 4 and 2 in every bench_claims run
    # (more threads only contend for the GIL); 4 and 2 swapped places from run to run.
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
    )
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", 4)))
    parser.add_argument(
        "--server",
        choices=["granian", "gunicorn"],
        default=os.environ.get("DATADAM_SERVER", "granian"),
    )
    parser.add_argument("--no-task-worker", action="store_true")
    args = parser.parse_args(argv)
    _django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from datadam.supervisor import Child, supervise

    children = []
    if not args.no_task_worker:
        children.append(Child("task worker", [sys.executable, "-m", "datadam.cli", "worker"]))
    print(f"datadam serving on http://{args.host}:{args.port}/ ({args.server})", flush=True)
    cmd = server_command(
        server=args.server, host=args.host, port=args.port, workers=args.workers,
        threads=args.threads, debug=_debug(),
    )  # fmt: skip
    children.append(Child(args.server, cmd, repeat_term=True))  # the web server comes last
    return supervise(children)


def _debug() -> bool:
    return os.environ.get("DATADAM_DEBUG", "") in {"1", "true", "yes"}


def cmd_worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="datadam worker")
    parser.add_argument("--sweep-every", type=float, default=30.0)
    parser.add_argument("--skills-every", type=float, default=600.0)
    args = parser.parse_args(argv)
    _django()
    from django.core.management import call_command

    from datadam.datasets.tasks import results_sweep_task
    from datadam.media.tasks import media_sweep_task
    from datadam.quality.tasks import agreement_task
    from datadam.skills.tasks import skills_compute_task
    from datadam.work.tasks import sweep_task

    def tick() -> None:
        skills_due = 0.0
        for n in itertools.count():
            try:
                sweep_task.enqueue()
                if n % AGREEMENT_EVERY_TICKS == 0:  # the quality agreement check, less often
                    agreement_task.enqueue()
                results_sweep_task.enqueue()
                media_sweep_task.enqueue()
                if time.monotonic() >= skills_due:
                    skills_compute_task.enqueue()  # everyone's skills; safe to run twice
                    skills_due = time.monotonic() + args.skills_every
            except Exception as exc:  # keep ticking through a passing database error
                print(f"sweep enqueue failed: {exc}", file=sys.stderr)
            time.sleep(args.sweep_every)

    threading.Thread(target=tick, daemon=True).start()
    # No autoreloader: it would fork a second process with a second sweep ticker.
    call_command("db_worker", reload=False)
    return 0


def cmd_sweep(argv: list[str]) -> int:
    _django()
    from datadam.work.tasks import sweep

    print(sweep())
    return 0


def cmd_demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="datadam demo")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    _django()
    from datadam.demo.loader import demo_load

    demo_load(verbose=not args.quiet)
    return 0


def cmd_aggregate(argv: list[str]) -> int:
    from datadam.quality.aggregation.cli import main as aggregate_main

    return aggregate_main(argv)


COMMANDS = {
    "serve": cmd_serve,
    "worker": cmd_worker,
    "sweep": cmd_sweep,
    "demo": cmd_demo,
    "aggregate": cmd_aggregate,
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command = COMMANDS.get(argv[0])
    if command is not None:
        return command(argv[1:])
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["datadam", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
