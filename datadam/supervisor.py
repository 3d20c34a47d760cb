"""Run ``datadam serve``'s children (the web server, the task worker) and stop them together.

A service manager or ``docker stop`` signals the main process only. Without passing the
signal on, the main process died and left the web server (still holding its port) and the
task worker running. Here each child runs in a process group of its own, so a signal
reaches the server's worker processes too, and the main process stays until every group is
empty. Should the main process itself be killed (SIGKILL, out of memory), the kernel sends
each child SIGTERM (Linux's parent-death signal).
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


# --- The process table (Linux /proc): what the supervisor, the claims benchmark and the
# serving tests read about processes ------------------------------------------------------
@dataclass(frozen=True)
class ProcessInfo:
    """The fields of ``/proc/PID/stat`` used here."""

    state: str  # "Z": exited, not yet reaped
    ppid: int
    cpu_ticks: int  # user + system time, its reaped children's included
    started: int  # clock ticks after boot: tells a process from a later one with its pid


def process_info(pid: int) -> ProcessInfo | None:
    """The process's line of the process table; None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()  # the name may hold spaces
        return ProcessInfo(fields[0], int(fields[1]), sum(int(x) for x in fields[11:15]),
                           int(fields[19]))  # fmt: skip
    except (OSError, IndexError, ValueError):
        return None


def processes() -> dict[int, ProcessInfo]:
    """Every process of the table, by pid (empty where there is no /proc)."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return {}
    found = {int(e): process_info(int(e)) for e in entries if e.isdigit()}
    return {pid: info for pid, info in found.items() if info is not None}


def descendants(root: int) -> set[int]:
    """Every process ``root`` started, directly or not, found by parent (zombies included)."""
    table = processes()
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, info in table.items() if info.ppid in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Whether the process runs (an exited one not yet reaped does not)."""
    info = process_info(pid)
    return info is not None and info.state != "Z"


@dataclass
class Child:
    """A command to run; ``repeat_term``: send SIGTERM again every few seconds while it runs.

    A web server that is still starting may not have installed its handlers yet and lose
    the first signal; for granian and gunicorn a second SIGTERM is the same graceful stop.
    The task worker is signalled once: a second SIGTERM makes it abandon the running task.
    """

    name: str
    command: list[str]
    repeat_term: bool = False
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.command, start_new_session=True,
            preexec_fn=functools.partial(_die_with_parent, os.getpid()),
        )  # fmt: skip

    def group_alive(self) -> bool:
        """Whether the child, or any process it started in its group, still runs."""
        if self.process is None:
            return False
        self.process.poll()  # reap it if it has exited, so that it no longer counts
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def signal(self, signum: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: be sent SIGTERM if the supervisor dies (even by SIGKILL,
    which it cannot pass on). Linux only; elsewhere a no-op."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the supervisor died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def supervise(
    children: list[Child], *, grace: float = 30.0, repeat_every: float = 3.0,
    restart_after: float = 5.0,
) -> int:
    """Start the children, wait until the last one (the web server) exits or a stop signal
    arrives, then stop them all: SIGTERM, then SIGKILL for what still runs after ``grace``
    seconds. A child other than the web server (the task worker) that exits meanwhile is
    started again, at most once per ``restart_after`` seconds. Returns 0 when stopped by a
    signal, else the web server's exit status (128 + the signal's number when a signal
    ended it, as a shell reports it)."""
    received: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        # Only a list append: a handler runs between two bytecodes of the main thread, which
        # may hold a lock at that moment (an Event's, say), so it must not take one.
        received.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    server = children[-1]
    try:
        for child in children:
            child.start()
        assert server.process is not None
        while not received and server.process.poll() is None:
            for child in children[:-1]:
                _restart_if_exited(child, restart_after)
            time.sleep(0.2)
    finally:
        _stop_all(children, grace=grace, repeat_every=repeat_every)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received or server.process is None:
        return 0
    return _shell_status(server.process.returncode)


def _shell_status(code: int) -> int:
    """An exit status as a shell reports it: 128 + N for a process ended by signal N."""
    return 128 - code if code < 0 else code


def _restart_if_exited(child: Child, restart_after: float) -> None:
    """Start a child again once it and its group have exited, no sooner than
    ``restart_after`` seconds after its last start (a child failing at once does not spin)."""
    if child.process is None or child.process.poll() is None or child.group_alive():
        return
    if time.monotonic() - child.started_at < restart_after:
        return
    status = _shell_status(child.process.returncode)
    print(f"datadam serve: the {child.name} exited ({status}); starting it again",
          file=sys.stderr, flush=True)
    child.start()


def _reap_adopted(children: list[Child]) -> None:
    """Reap exited processes that were handed to us, not started by us: when the supervisor
    is PID 1 (in a container), a web server worker whose parent exited first becomes ours,
    and as a zombie it would keep its process group alive until the grace period ends."""
    ours = {c.process.pid for c in children if c.process is not None}
    me = os.getpid()
    for pid, info in processes().items():
        if info.state == "Z" and info.ppid == me and pid not in ours:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def _stop_all(children: list[Child], *, grace: float, repeat_every: float) -> None:
    deadline = time.monotonic() + grace
    signalled: set[str] = set()
    next_repeat = time.monotonic() + repeat_every
    while True:
        _reap_adopted(children)
        alive = [c for c in children if c.group_alive()]
        if not alive:
            return
        now = time.monotonic()
        if now >= deadline:
            for child in alive:
                child.signal(signal.SIGKILL)
            for child in alive:
                if child.process is not None:
                    child.process.wait()
            return
        repeat = now >= next_repeat
        for child in alive:
            if child.name not in signalled or (repeat and child.repeat_term):
                child.signal(signal.SIGTERM)
                signalled.add(child.name)
        if repeat:
            next_repeat = now + repeat_every
        time.sleep(0.1)
