"""``datadam serve`` starts the production server, which answers over kept-alive connections,
passes request bodies to the API, serves static files and stops on SIGTERM."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from datadam.cli import server_command
from datadam.supervisor import alive, descendants

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A SQLite database of its own, migrated, and production settings (DEBUG off)."""
    data = tmp_path_factory.mktemp("serve")
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATADAM_DEBUG"}
    }
    env.update(DATADAM_DATA_DIR=str(data), SECRET_KEY="serve-test-" + "x" * 40)
    subprocess.run(
        [str(BIN / "datadam"), "migrate", "--no-input", "-v", "0"], env=env, check=True,
        timeout=300,
    )  # fmt: skip
    return env


@pytest.fixture(params=["granian", "gunicorn"])
def served(request: pytest.FixtureRequest, server_env: dict[str, str]) -> Iterator[int]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "datadam"), "serve", "--no-task-worker", "--server", request.param,
         "--port", str(port), "--workers", "1", "--threads", "2"],
        env=server_env, start_new_session=True, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"{request.param} did not start: {proc.stdout.read().decode()}")
            time.sleep(0.2)
    yield port
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        assert proc.wait(timeout=20) is not None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def test_one_connection_carries_several_requests_and_their_bodies(served: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    conn.request("GET", "/healthz")
    first = conn.getresponse()
    assert (first.status, json.loads(first.read())) == (200, {"ok": True})
    sock = conn.sock
    body = json.dumps({"email": "nobody@example.com", "password": "p" * 200_000})
    conn.request("POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
    refused = conn.getresponse()
    answer = json.loads(refused.read())
    assert refused.status == 403 and answer["message"] == "wrong e-mail or password"
    assert conn.sock is sock  # the same connection was kept alive for the second request
    conn.close()


def test_static_files_are_served_by_the_application(served: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    conn.request("GET", "/static/vendor/htmx.min.js")
    response = conn.getresponse()
    assert response.status == 200 and b"htmx" in response.read()
    conn.close()


def test_debug_mode_asks_either_server_for_an_access_log() -> None:
    for server, flag in (("granian", "--access-log"), ("gunicorn", "--access-logfile")):
        args = dict(server=server, host="127.0.0.1", port=8000, workers=2, threads=4)
        assert flag in server_command(**args, debug=True)
        assert flag not in server_command(**args, debug=False)


def _call(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(method, path, body, headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data)


def test_a_client_signs_up_creates_a_project_and_uploads_50000_items(served: int) -> None:
    """The production server carries a real multipart upload through to the import."""
    jsonh = {"Content-Type": "application/json"}
    email = f"c{served}@example.test"
    status, token = _call(served, "POST", "/api/v1/auth/signup", json.dumps(
        {"email": email, "password": "long-enough-1", "role": "client",
         "organization_name": "Serve Lab"}).encode(), jsonh)  # fmt: skip
    assert status == 201, token
    auth = {"Authorization": f"Bearer {token['token']}"}
    _, me = _call(served, "GET", "/api/v1/me", headers=auth)
    status, project = _call(served, "POST", "/api/v1/projects", json.dumps(
        {"organization_id": me["organizations"][0]["id"], "name": "Upload", "reward": 1,
         "kind": "text_classification", "config": {"labels": ["a", "b"]}}).encode(),
        {**jsonh, **auth})  # fmt: skip
    assert status == 201, project
    lines = b"".join(b'{"text": "item %d"}\n' % i for i in range(50_000))
    boundary = "datadamboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + lines + f"\r\n--{boundary}--\r\n".encode()
    status, report = _call(
        served, "POST", f"/api/v1/projects/{project['id']}/items/upload", body,
        {**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )  # fmt: skip
    assert status == 201 and report["imported"] == 50_000, report


def _living(pids: set[int]) -> set[int]:
    return {pid for pid in pids if alive(pid)}


@pytest.mark.parametrize("kind", ["granian", "gunicorn"])
@pytest.mark.parametrize("when", ["serving", "starting"])
def test_sigterm_to_the_main_process_stops_the_server_its_workers_and_the_task_worker(
    server_env: dict[str, str], kind: str, when: str
) -> None:
    """A service manager (or docker stop) signals the main process only: nothing may be left
    running, also when the signal comes while the server is still starting."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "datadam"), "serve", "--server", kind, "--port", str(port),
         "--workers", "2", "--threads", "2"],
        env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        # Serving: the task worker, the server and its two worker processes. Starting: the
        # task worker and the server's main process, before it answers.
        wanted = 4 if when == "serving" else 2
        while len(seen := seen | descendants(proc.pid)) < wanted:
            assert time.monotonic() < deadline and proc.poll() is None, seen
            time.sleep(0.05)
        if when == "serving":
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
            seen |= descendants(proc.pid)
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=45) == 0
        assert _living(seen | descendants(proc.pid)) == set()
        with pytest.raises(OSError):  # the port is free again
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        for pid in _living(seen):
            os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()


def test_the_task_worker_logs_each_task_state_once_with_debug_on(server_env) -> None:
    env = {**server_env, "DATADAM_DEBUG": "1"}
    proc = subprocess.Popen(
        [str(BIN / "datadam"), "worker", "--sweep-every", "60"], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: list[str] = []
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()  # read in a thread: a silent worker must fail the test, not hang it
    try:
        deadline = time.monotonic() + 60
        # The first tick enqueues four jobs; wait until they have finished.
        while sum("state=SUCCESSFUL" in line for line in list(lines)) < 4:
            assert time.monotonic() < deadline and proc.poll() is None, lines
            time.sleep(0.1)
        time.sleep(1)  # a doubled line would follow at once
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    states = [line.split(" ", 1)[1].strip() for line in lines if "state=" in line]
    assert states and len(states) == len(set(states)), states
