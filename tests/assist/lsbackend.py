"""A fake Label Studio ML backend for tests: http.server in a thread on 127.0.0.1.

Its "model" reads the labelling config it is sent, like a real backend, and predicts:
choices (the label named in the text or image URL, else the last label), one rectangle
(``RECT`` percent of the image, first label) and spans (every capitalised word, first
label). ``mode`` switches how it misbehaves; ``requests`` records what it was sent.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.etree import ElementTree as ET

VERSION = "fake-model-7"
RECT = {"x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0}
TRAIN_EVENTS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATION_DELETED",
                "START_TRAINING")
MODES = ("ok", "bare_list", "slow", "error500", "garbage", "wrong_count", "first_only",
         "skip_empty", "multi", "huge", "unknown_label", "train_error")


def _control(config: str) -> tuple[str, str, str, list[str]]:
    """(tag, name, toName, labels) of the first labelling control of a config."""
    for el in ET.fromstring(config):
        if el.tag in ("Choices", "RectangleLabels", "Labels") and el.get("name") != "visibility":
            labels = [c.get("value", "") for c in el]
            return el.tag, el.get("name", ""), el.get("toName", ""), labels
    raise ValueError("no control tag the fake model knows")


def _predict_one(task: dict[str, Any], config: str, mode: str) -> dict[str, Any] | None:
    tag, name, to_name, labels = _control(config)
    data = task.get("data") or {}
    if mode == "skip_empty" and data.get("skip"):
        return None
    region: dict[str, Any] = {"from_name": name, "to_name": to_name}
    if tag == "Choices":
        seen = str(data.get("text") or data.get("image") or "").lower()
        hits = [lb for lb in labels if lb.lower() in seen]
        choice = "NOT-A-LABEL" if mode == "unknown_label" else (hits or labels[-1:])[0]
        result = [{**region, "type": "choices", "value": {"choices": [choice]}}]
        score = 0.9 if hits else 0.4
    elif tag == "RectangleLabels":
        result = [{**region, "id": "r1", "type": "rectanglelabels", "score": 0.8,
                   "original_width": data.get("width", 200),
                   "original_height": data.get("height", 100),
                   "value": {**RECT, "rotation": 0, "rectanglelabels": [labels[0]]}}]
        score = None
    else:
        text, result, start = data.get("text", ""), [], 0
        for word in text.split(" "):
            if word[:1].isupper():
                result.append({**region, "id": f"s{start}", "type": "labels", "value": {
                    "start": start, "end": start + len(word), "text": word,
                    "labels": [labels[0]]}})
            start += len(word) + 1
        score = 0.7
    out = {"result": result, "model_version": VERSION}
    if score is not None:
        out["score"] = score
    return out


class FakeBackend:
    """``with FakeBackend() as fake:`` serves at ``fake.url`` until the block ends."""

    def __init__(self, *, webhook: bool = True, delay_s: float = 3.0) -> None:
        self.mode = "ok"
        self.webhook = webhook
        self.delay_s = delay_s
        self.huge_bytes = 0
        self.requests: list[tuple[str, Any, dict[str, str]]] = []
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def sent(self, path: str) -> list[Any]:
        """The bodies of the requests to ``path``, oldest first."""
        return [body for p, body, _h in self.requests if p == path]

    def __enter__(self) -> FakeBackend:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any, raw: bytes | None = None) -> None:
                data = raw if raw is not None else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout tests)

            def do_GET(self) -> None:
                fake.requests.append((self.path, None, dict(self.headers)))
                if self.path == "/health":
                    self._send(200, {"status": "UP", "model_class": "FakeModel"})
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(size) or b"null")
                fake.requests.append((self.path, body, dict(self.headers)))
                handler = {"/setup": fake._setup, "/predict": fake._predict,
                           "/webhook": fake._webhook, "/train": fake._train}.get(self.path)
                if handler is None:
                    self._send(404, {"error": "not found"})
                    return
                try:
                    status, answer, raw = handler(body)
                except Exception as exc:  # noqa: BLE001 - as the SDK's exception_handler
                    status, answer, raw = 500, {"error": repr(exc), "stacktrace": "..."}, None
                self._send(status, answer, raw)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    # --- the endpoints: (status, JSON body, raw bytes instead) --------------------------------
    def _setup(self, body: dict[str, Any]) -> tuple[int, Any, bytes | None]:
        body["project"].split(".", 1)  # as the SDK does: a str it must be
        return 200, {"model_version": VERSION}, None

    def _predict(self, body: dict[str, Any]) -> tuple[int, Any, bytes | None]:
        mode, tasks = self.mode, body["tasks"]
        if mode == "slow":
            self._stop.wait(self.delay_s)
        if mode == "error500":
            return 500, {"error": "ValueError('boom')",
                         "stacktrace": "Traceback (most recent call last):\n  File x"}, None
        if mode == "garbage":
            return 200, None, b"<html>this is not json{"
        if mode == "huge":
            return 200, None, b'{"results": [' + b" " * self.huge_bytes + b"]}"
        if mode == "first_only":
            tasks = tasks[:1]
        results: list[Any] = [_predict_one(t, body["label_config"], mode) for t in tasks]
        if mode == "skip_empty":
            results = [r for r in results if r is not None]
        if mode == "wrong_count":
            results.append(results[0])
        if mode == "multi":
            results = [[{**r, "score": 0.1, "result": []}, r] for r in results]
        if mode == "bare_list":
            return 200, results, None
        return 200, {"results": results, "model_version": VERSION}, None

    def _webhook(self, body: dict[str, Any]) -> tuple[int, Any, bytes | None]:
        if not self.webhook:
            return 404, None, b"<!doctype html><title>404 Not Found</title>"
        if body.get("action") not in TRAIN_EVENTS:
            return 200, {"status": "Unknown event"}, None
        str(body["project"]["id"]), body["project"]["label_config"]  # as the SDK reads them
        if self.mode == "train_error":
            return 201, {"error": "fit failed", "status": "error"}, None
        return 201, {"result": {"seen": body["action"]}, "status": "ok"}, None

    def _train(self, body: dict[str, Any]) -> tuple[int, Any, bytes | None]:
        if self.webhook:
            return 404, {"error": "not found"}, None
        if not body.get("annotations"):
            return 400, "No annotations found.", None
        return 201, {"job": "job-1"}, None
