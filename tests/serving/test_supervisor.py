"""The supervisor behind ``datadam serve`` stops every child process group on a stop signal,
even a child that loses the first SIGTERM or ignores it, and passes on the server's exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from datadam.supervisor import alive

PY = sys.executable


def _script(tmp_path: Path, name: str, body: str) -> list[str]:
    """A child command: a Python script that writes its pid (and its child's) to files."""
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(body))
    return [PY, str(path), str(tmp_path / f"{name}.pid")]


SLEEPER = """
    import os, sys, time
    open(sys.argv[1], "w").write(str(os.getpid()))
    time.sleep(120)
"""

# Ignores the first SIGTERM (as a server whose handlers are not in place yet), then stops.
LATE_HANDLER = """
    import os, signal, sys, time
    signal.signal(signal.SIGTERM, lambda *_: signal.signal(signal.SIGTERM, signal.SIG_DFL))
    open(sys.argv[1], "w").write(str(os.getpid()))
    time.sleep(120)
"""

DEAF = """
    import os, signal, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    open(sys.argv[1], "w").write(str(os.getpid()))
    time.sleep(120)
"""

# Starts a worker process of its own (as granian and gunicorn do) and exits on SIGTERM
# without stopping it: the supervisor must stop the whole group.
FORKING = """
    import os, subprocess, sys, time
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    open(sys.argv[1], "w").write(f"{os.getpid()} {worker.pid}")
    time.sleep(120)
"""

EXITS_3 = """
    import os, sys, time
    open(sys.argv[1], "w").write(str(os.getpid()))
    time.sleep(1)
    sys.exit(3)
"""


def _supervisor(children: list[tuple[str, list[str], bool]], grace: float) -> subprocess.Popen:
    code = textwrap.dedent(
        f"""
        import sys
        from datadam.supervisor import Child, supervise
        children = [Child(n, c, repeat_term=r) for n, c, r in {children!r}]
        sys.exit(supervise(children, grace={grace}, repeat_every=0.5))
        """
    )
    return subprocess.Popen([PY, "-c", code], start_new_session=True)


def _pids(tmp_path: Path, *names: str, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    out: list[int] = []
    for name in names:
        path = tmp_path / f"{name}.pid"
        while not (path.exists() and path.read_text().strip()):
            assert time.monotonic() < deadline, f"{name} did not start"
            time.sleep(0.05)
        out += [int(p) for p in path.read_text().split()]
    return out


@pytest.fixture
def cleanup() -> list[int]:
    pids: list[int] = []
    yield pids
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stop_signal_stops_every_child_and_its_workers(tmp_path, cleanup, signum):
    worker = _script(tmp_path, "worker", SLEEPER)
    server = _script(tmp_path, "server", FORKING)
    sup = _supervisor([("task worker", worker, False), ("server", server, True)], grace=20)
    pids = _pids(tmp_path, "worker", "server")
    cleanup += pids
    assert len(pids) == 3 and all(alive(p) for p in pids)
    sup.send_signal(signum)
    assert sup.wait(timeout=20) == 0
    assert [p for p in pids if alive(p)] == []


def test_a_server_that_loses_the_first_sigterm_gets_it_again(tmp_path, cleanup):
    server = _script(tmp_path, "server", LATE_HANDLER)
    sup = _supervisor([("server", server, True)], grace=30)
    cleanup += _pids(tmp_path, "server")
    t0 = time.monotonic()
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(timeout=20) == 0
    assert time.monotonic() - t0 < 10  # stopped by the repeated SIGTERM, not the kill at 30 s
    assert not alive(cleanup[0])


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path, cleanup):
    worker = _script(tmp_path, "worker", DEAF)
    server = _script(tmp_path, "server", SLEEPER)
    sup = _supervisor([("task worker", worker, False), ("server", server, True)], grace=2)
    cleanup += _pids(tmp_path, "worker", "server")
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(timeout=20) == 0
    assert [p for p in cleanup if alive(p)] == []


def test_when_the_server_exits_the_task_worker_is_stopped_and_its_status_returned(
    tmp_path, cleanup
):
    worker = _script(tmp_path, "worker", SLEEPER)
    server = _script(tmp_path, "server", EXITS_3)
    sup = _supervisor([("task worker", worker, False), ("server", server, True)], grace=20)
    cleanup += _pids(tmp_path, "worker", "server")
    assert sup.wait(timeout=30) == 3
    assert [p for p in cleanup if alive(p)] == []


def test_children_stop_when_the_supervisor_is_killed_outright(tmp_path, cleanup):
    worker = _script(tmp_path, "worker", SLEEPER)
    server = _script(tmp_path, "server", SLEEPER)
    sup = _supervisor([("task worker", worker, False), ("server", server, True)], grace=20)
    cleanup += _pids(tmp_path, "worker", "server")
    sup.kill()  # SIGKILL: nothing can be passed on; the kernel's parent-death signal is
    sup.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(alive(p) for p in cleanup) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p for p in cleanup if alive(p)] == []


KILLS_ITSELF = """
    import os, signal, sys, time
    open(sys.argv[1], "w").write(str(os.getpid()))
    time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_server_ended_by_a_signal_exits_as_a_shell_reports_it(tmp_path, cleanup):
    server = _script(tmp_path, "server", KILLS_ITSELF)
    sup = _supervisor([("server", server, True)], grace=5)
    cleanup += _pids(tmp_path, "server")
    assert sup.wait(timeout=30) == 128 + signal.SIGKILL


# A server master that exits at once on SIGTERM while its worker takes a second to finish:
# the worker is handed to the nearest subreaper (the supervisor, as PID 1 in a container).
ORPHANS_A_WORKER = """
    import os, signal, subprocess, sys, time
    worker = subprocess.Popen([sys.executable, "-c",
        "import signal, time\\n"
        "stop = []\\n"
        "signal.signal(signal.SIGTERM, lambda *_: stop.append(1))\\n"
        "while not stop: time.sleep(0.05)\\n"
        "time.sleep(1)"])
    open(sys.argv[1], "w").write(f"{os.getpid()} {worker.pid}")
    time.sleep(120)
"""


def test_as_a_subreaper_the_supervisor_reaps_workers_handed_to_it(tmp_path, cleanup):
    server = _script(tmp_path, "server", ORPHANS_A_WORKER)
    code = textwrap.dedent(
        f"""
        import ctypes, sys
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER, as PID 1 is
        from datadam.supervisor import Child, supervise
        sys.exit(supervise([Child("server", {server!r}, repeat_term=True)], grace=15,
                           repeat_every=0.5))
        """
    )
    sup = subprocess.Popen([PY, "-c", code], start_new_session=True)
    cleanup += _pids(tmp_path, "server")
    time.sleep(0.3)
    t0 = time.monotonic()
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(timeout=30) == 0
    assert time.monotonic() - t0 < 8  # not the 15 s grace: the zombie worker was reaped
    assert [p for p in cleanup if alive(p)] == []


CRASHES = """
    import os, sys, time
    with open(sys.argv[1], "a") as f:
        f.write(f"{os.getpid()} ")
    time.sleep(0.1)
    sys.exit(1)
"""


def test_a_task_worker_that_exits_is_started_again_without_spinning(tmp_path, cleanup):
    worker = _script(tmp_path, "worker", CRASHES)
    server = _script(tmp_path, "server", SLEEPER)
    code = textwrap.dedent(
        f"""
        import sys
        from datadam.supervisor import Child, supervise
        sys.exit(supervise([Child("task worker", {worker!r}), Child("server", {server!r},
                           repeat_term=True)], grace=10, repeat_every=0.5, restart_after=1))
        """
    )
    sup = subprocess.Popen([PY, "-c", code], start_new_session=True,
                           stderr=subprocess.PIPE, text=True)
    cleanup += _pids(tmp_path, "server")
    time.sleep(3.5)
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(timeout=20) == 0
    starts = (tmp_path / "worker.pid").read_text().split()
    assert 3 <= len(starts) <= 5, starts  # about once a second, not as fast as it fails
    assert "the task worker exited (1); starting it again" in sup.stderr.read()
    assert not alive(cleanup[0])
