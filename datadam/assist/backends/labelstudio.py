"""A client of Label Studio's ML backend protocol, so existing backends work unchanged.

A backend (``label-studio-ml-backend`` or anything speaking its protocol) serves:

- ``GET /health`` → ``{"status": "UP", "model_class": ...}``;
- ``POST /setup`` ``{project, schema, hostname, access_token, extra_params}`` →
  ``{"model_version": ...}``;
- ``POST /predict`` ``{tasks: [{id, data}], project, label_config, params: {context}}`` →
  ``{"results": [{"result": [regions], "score", "model_version"}, ...]}``, one entry per
  task in order (older backends answer a bare list; an entry may also be a list of
  several predictions, of which the best scored is taken);
- ``POST /webhook`` ``{action, project: {id, label_config}, annotation, task}`` (newer) or
  ``POST /train`` ``{annotations: [tasks with annotations], project, label_config}`` (older).

``project`` is sent as Label Studio sends it, ``"<id>.<stamp>"`` (backends split off the id).
Every call has a timeout and a cap on the answer's size; whatever goes wrong raises
``BackendError`` with a plain message. A backend that answers fewer or more entries than
tasks (some answer only ``tasks[0]``, some skip tasks they have nothing for) is asked again
one task at a time, so predictions never land on the wrong item.
"""

from __future__ import annotations

import base64
import http.client
import json
import math
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from .errors import BackendError, ConversionError
from .lsconfig import SUPPORTED_KINDS, label_config
from .lsconvert import Validator, answer_from_ls, from_ls, to_ls

__all__ = ["BackendError", "ConversionError", "LabelStudioBackend", "Prediction",
           "SUPPORTED_KINDS", "TrainOutcome", "TrainingExample", "Validator", "answer_from_ls",
           "from_ls", "label_config", "to_ls"]

MAX_BYTES = 20 * 1024 * 1024  # the largest answer read
_ERROR_BYTES = 64 * 1024  # the most of an error page read for its message
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Prediction:
    """A backend's suggestion for one task: ``answer`` in our format, or None with the
    reason in ``error`` when its regions made no valid answer."""

    answer: dict[str, Any] | None
    score: float | None
    model_version: str
    error: str = ""


@dataclass(frozen=True)
class TrainingExample:
    """One settled answer to train on: the item (``task_id``, ``data``) and the answer as
    Label Studio regions (``to_ls``)."""

    task_id: int
    data: dict[str, Any]
    result: list[dict[str, Any]]
    annotation_id: int | None = None


@dataclass(frozen=True)
class TrainOutcome:
    """How the training data went: ``endpoint`` ``webhook`` or ``train`` (older backends),
    and how many requests it took."""

    endpoint: str
    requests: int


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A backend that redirects is answered as the HTTP error it is (no POST is re-sent
    somewhere else)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _score(entry: dict[str, Any]) -> float | None:
    """The prediction's score, else the mean of its regions' scores."""
    def finite(v: Any) -> bool:
        return not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v)

    if finite(entry.get("score")):
        return float(entry["score"])
    scores = [r["score"] for r in entry.get("result") or [] if isinstance(r, dict)
              and finite(r.get("score"))]
    return float(sum(scores) / len(scores)) if scores else None


def _best(entry: list[Any]) -> Any:
    """Of several predictions for one task, the best scored (the first on a tie)."""
    candidates = [e for e in entry if isinstance(e, dict)]
    if not candidates:
        return None if not entry else entry[0]
    return max(candidates, key=lambda e: -math.inf if (s := _score(e)) is None else s)


class LabelStudioBackend:
    """One Label Studio ML backend at ``url``. ``token``: sent as ``Authorization: Bearer``,
    or as HTTP basic auth when it is ``user:password`` (the SDK's ``BASIC_AUTH_USER`` /
    ``BASIC_AUTH_PASS``); credentials in the URL are basic auth too."""

    def __init__(self, url: str, *, timeout_s: float = 5.0, token: str = "",
                 project_stamp: int = 0, max_bytes: int = MAX_BYTES) -> None:
        try:
            parts = urlsplit(str(url).strip())
            port = parts.port
        except ValueError:
            raise BackendError(f"{url!r} is not a valid URL", code="bad_url") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BackendError(f"the model backend's address must be an http:// or https:// "
                               f"URL, not {url!r}", code="bad_url")
        if isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float) or not (
                math.isfinite(timeout_s) and timeout_s > 0):
            raise BackendError("the timeout must be a positive number of seconds",
                               code="bad_url")
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc = host if port is None else f"{host}:{port}"
        self.base_url = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        self.timeout_s = float(timeout_s)
        self.project_stamp = project_stamp
        self.max_bytes = max_bytes
        self.model_version = ""
        self._headers = {"Accept": "application/json", "User-Agent": "datadam-assist/1"}
        basic = (f"{unquote(parts.username)}:{unquote(parts.password or '')}"
                 if parts.username else (token if ":" in token else ""))
        if basic:
            raw = base64.b64encode(basic.encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {raw}"
        elif token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._opener = urllib.request.build_opener(_NoRedirects)

    # --- the endpoints --------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """The backend's ``/health`` answer; ``BackendError`` unless it says it is UP."""
        body = self._call("GET", "/health")
        if not isinstance(body, dict) or str(body.get("status", "")).upper() != "UP":
            raise BackendError(f"the model backend at {self.base_url} is not up: "
                               f"{str(body)[:200]}", code="not_ready")
        return body

    def setup(self, project_id: int | str, label_config: str, *, hostname: str = "",
              access_token: str = "", extra_params: dict[str, Any] | None = None) -> str:
        """Tell the backend about the project (its labelling config); its model version.
        ``hostname``/``access_token``: where and how the backend fetches media."""
        body = self._call("POST", "/setup", {
            "project": self._project(project_id), "schema": label_config,
            "hostname": hostname, "access_token": access_token,
            "extra_params": extra_params or {}})
        if body is not None and not isinstance(body, dict):
            raise BackendError("the model backend's /setup answer is not a JSON object",
                               code="bad_shape")
        version = (body or {}).get("model_version")
        self.model_version = "" if version is None else str(version)
        return self.model_version

    def predict(self, tasks: list[dict[str, Any]], project_id: int | str, label_config: str,
                *, kind: str, config: dict[str, Any], validate: Validator | None = None,
                context: dict[str, Any] | None = None) -> list[Prediction | None]:
        """One entry per task (``{"id", "data"}``), in order: a ``Prediction`` (its
        ``answer`` None and ``error`` set when the regions made no valid answer), or None
        where the backend predicted nothing for the task."""
        if kind not in SUPPORTED_KINDS:
            raise ConversionError(f"a Label Studio ML backend cannot serve the kind {kind!r}")
        sent = [{"id": t["id"], "data": t["data"]} for t in tasks]
        if not sent:
            return []
        entries, version = self._predict_raw(sent, project_id, label_config, context)
        if entries and len(entries) != len(sent):
            if len(sent) == 1:
                raise BackendError(f"the model backend answered {len(entries)} predictions "
                                   f"for 1 task", code="bad_shape")
            entries = []
            for task in sent:  # ask again one task at a time: order is then certain
                one, version = self._predict_raw([task], project_id, label_config, context)
                if len(one) > 1:
                    raise BackendError(f"the model backend answered {len(one)} predictions "
                                       f"for 1 task", code="bad_shape")
                entries.append(one[0] if one else None)
        if not entries:
            return [None] * len(sent)
        return [self._prediction(entry, task["data"], kind, config, validate, version)
                for entry, task in zip(entries, sent, strict=True)]

    def train(self, project_id: int | str, examples: list[TrainingExample], label_config: str,
              *, timeout_s: float | None = None) -> TrainOutcome:
        """Send training data: one ``ANNOTATION_CREATED`` webhook per example (a
        ``START_TRAINING`` one when there are none); to ``/train`` in one request when the
        backend has no ``/webhook``. ``timeout_s`` per request (training can be slow)."""
        pid = project_id if isinstance(project_id, int) else self._project(project_id).split(
            ".", 1)[0]
        project = {"id": pid, "label_config": label_config}
        events: list[dict[str, Any]] = [
            {"action": "ANNOTATION_CREATED", "project": project,
             "annotation": {"id": ex.annotation_id, "task": ex.task_id,
                            "project": pid, "result": ex.result,
                            "was_cancelled": False, "ground_truth": False},
             "task": {"id": ex.task_id, "data": ex.data, "project": pid}}
            for ex in examples] or [{"action": "START_TRAINING", "project": project}]
        for n, event in enumerate(events):
            try:
                body = self._call("POST", "/webhook", event, timeout_s=timeout_s)
            except BackendError as exc:
                if n == 0 and exc.status in (404, 405):
                    return self._train_legacy(project_id, examples, label_config, timeout_s)
                raise
            if isinstance(body, dict) and body.get("status") == "error":
                raise BackendError(f"the model backend failed to train: "
                                   f"{str(body.get('error', ''))[:300]}",
                                   code="training_failed")
            if isinstance(body, dict) and body.get("status") == "Unknown event":
                raise BackendError(f"the model backend does not take {event['action']} "
                                   f"events", code="unsupported_event")
        return TrainOutcome("webhook", len(events))

    # --- helpers ----------------------------------------------------------------------------
    def _project(self, project_id: int | str) -> str:
        key = str(project_id)
        return key if "." in key else f"{key}.{self.project_stamp}"

    def _train_legacy(self, project_id: int | str, examples: list[TrainingExample],
                      label_config: str, timeout_s: float | None) -> TrainOutcome:
        tasks: dict[int, dict[str, Any]] = {}
        for ex in examples:
            task = tasks.setdefault(ex.task_id, {"id": ex.task_id, "data": ex.data,
                                                 "annotations": []})
            task["annotations"].append({"id": ex.annotation_id, "result": ex.result,
                                        "was_cancelled": False})
        self._call("POST", "/train", {"annotations": list(tasks.values()),
                                      "project": self._project(project_id),
                                      "label_config": label_config, "params": {}},
                   timeout_s=timeout_s)
        return TrainOutcome("train", 2)

    def _predict_raw(self, tasks: list[dict[str, Any]], project_id: int | str,
                     label_config: str, context: dict[str, Any] | None
                     ) -> tuple[list[Any], str]:
        body = self._call("POST", "/predict", {
            "tasks": tasks, "project": self._project(project_id),
            "label_config": label_config, "params": {"context": context}})
        version = ""
        if isinstance(body, dict):
            version = "" if body.get("model_version") is None else str(body["model_version"])
            body = body.get("results", body.get("predictions"))
        if not isinstance(body, list):
            raise BackendError('the model backend\'s /predict answer is neither '
                               '{"results": [...]} nor a list', code="bad_shape")
        return body, version

    def _prediction(self, entry: Any, data: dict[str, Any], kind: str,
                    config: dict[str, Any], validate: Validator | None,
                    version: str) -> Prediction | None:
        if isinstance(entry, list):
            entry = _best(entry)
        if entry is None or entry == {}:
            return None
        if not isinstance(entry, dict) or not isinstance(entry.get("result"), list):
            return Prediction(None, None, version or self.model_version,
                              'the prediction is not {"result": [...]}')
        given = entry.get("model_version")
        version = str(given) if given not in (None, "") else (version or self.model_version)
        score = _score(entry)
        try:
            answer = answer_from_ls(kind, config, data, entry["result"], validate=validate)
        except ConversionError as exc:
            return Prediction(None, score, version, exc.message)
        return Prediction(answer, score, version)

    def _call(self, method: str, path: str, payload: Any = None, *,
              timeout_s: float | None = None) -> Any:
        """The JSON answer (None when empty) of one request; ``BackendError`` otherwise."""
        timeout = self.timeout_s if timeout_s is None else float(timeout_s)
        where = f"the model backend at {self.base_url}{path}"
        headers = dict(self._headers)
        data = None
        if payload is not None:
            try:
                data = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode()
            except (TypeError, ValueError) as exc:
                raise BackendError(f"the request to {where} cannot be sent as JSON: {exc}",
                                   code="bad_request") from None
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers,
                                         method=method)
        deadline = time.monotonic() + timeout
        try:
            with self._opener.open(request, timeout=timeout) as response:
                raw = self._read(response, deadline, where, timeout)
        except urllib.error.HTTPError as exc:
            detail = self._detail(exc)
            raise BackendError(f"{where} answered HTTP {exc.code}{detail}",
                               code="http_error", status=exc.code) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timeout(where, timeout) from None
            raise BackendError(f"could not reach {where}: {exc.reason}",
                               code="unreachable") from None
        except TimeoutError:
            raise self._timeout(where, timeout) from None
        except (http.client.HTTPException, OSError, ValueError) as exc:
            raise BackendError(f"the connection to {where} failed: "
                               f"{str(exc) or type(exc).__name__}", code="unreachable") from None
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            raise BackendError(f"{where} did not answer JSON: {raw[:80]!r}",
                               code="bad_json") from None

    def _read(self, response: Any, deadline: float, where: str, timeout: float) -> bytes:
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise BackendError(f"{where} answered {int(length)} bytes, more than the "
                               f"{self.max_bytes} read", code="too_large")
        chunks, total = [], 0
        while True:
            if time.monotonic() > deadline:
                raise self._timeout(where, timeout)
            chunk = response.read(min(_CHUNK, self.max_bytes + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > self.max_bytes:
                raise BackendError(f"{where} answered more than the {self.max_bytes} bytes "
                                   f"read", code="too_large")

    @staticmethod
    def _detail(exc: urllib.error.HTTPError) -> str:
        """A short reason from an error answer: its JSON ``error``/``message``/``detail``
        (never the stack trace an SDK backend adds), else the start of its text."""
        try:
            raw = exc.read(_ERROR_BYTES)
        except (OSError, http.client.HTTPException, ValueError):
            return ""
        finally:
            exc.close()
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            text = raw.decode("utf-8", "replace").strip()
            return f": {text[:200]}" if text and not text.lstrip().startswith("<") else ""
        if isinstance(body, dict):
            for key in ("error", "message", "detail", "status"):
                if body.get(key):
                    return f": {str(body[key])[:300]}"
        return ""

    @staticmethod
    def _timeout(where: str, timeout: float) -> BackendError:
        return BackendError(f"{where} did not answer within {timeout:g} s", code="timeout")
