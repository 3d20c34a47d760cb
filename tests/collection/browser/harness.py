"""A tiny site that shows the capture kinds' real widget and review templates outside the
task loop, with a stand-in for the capture upload API, for the widget's browser tests.

Each page renders ``<kind>/widget.html`` (or ``review.html``) with the item, config and answer
given as JSON in the query string, inside a task-like ``<section id="task" data-keys>``
whose form posts to ``next/`` with htmx like the worker's task page; ``next/`` records the
posted ``answer`` (``POSTED``) and answers the next task fragment. The stand-in endpoint
(``POST /api/v1/assignments/<id>/captures``) keeps what it was sent (``UPLOADS``) and answers
like the real one: the file's size as found, one passed check, no duplicates, unless a test
sets ``REPLY`` (fields merged into the answer, or ``{"status": 422, "body": {...}}``).

The tests' conftest.py imports this file as the module ``datadam_capture_harness`` and makes
it the live server's URLconf.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

#: Every ``answer`` the harness's form posted, in order (the live server runs in this process).
POSTED: list[str] = []
#: Every upload: name, content_type, size, source, consent, csrf, width, height.
UPLOADS: list[dict[str, Any]] = []
#: The next uploads' answer: fields over the default one, or {"status": ..., "body": ...}.
REPLY: dict[str, Any] = {}
FILES: dict[int, tuple[bytes, str]] = {}
ASSIGNMENT = 7

_PAGE = """{% load static %}<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>capture harness</title>
<link rel="icon" href="data:,">
<script>document.documentElement.classList.add("js")</script>
<link rel="stylesheet" href="{% static 'css/app.css' %}">
<script src="{% static 'vendor/htmx.min.js' %}" defer></script>
<script src="{% static 'js/app.js' %}" defer></script></head>
<body><main id="main">{{ body }}</main></body></html>"""

_TASK = """<section id="task" class="task" data-keys data-n="{{ n }}">
<form method="post" action="{{ next_url }}" hx-post="{{ next_url }}" hx-target="#task"
      hx-swap="outerHTML settle:0ms" data-started>
{% include widget with item=item config=config answer=answer readonly=readonly %}
<div class="row actions"><button type="submit" id="submit" data-key="Enter">Submit</button>
<button type="submit" class="secondary" id="skip" formaction="{{ next_url }}&skip=1"
        data-key="s">Skip</button></div>
</form></section>"""

_REVIEW = """<div class="batch" id="cards">{% for answer in answers %}<div class="sub">
{% include review with item=item answer=answer config=config %}</div>{% endfor %}</div>"""


def url(kind: str, *, review: bool = False, **params: Any) -> str:
    """A harness page: ``item``, ``config``, ``answer`` (or ``answers``) given as values."""
    query = urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()})
    return f"/harness/{kind}/{'review/' if review else ''}?{query}"


def _json(request: HttpRequest, name: str, default: Any) -> Any:
    raw = request.GET.get(name)
    return default if raw is None else json.loads(raw)


def _render(source: str, context: dict[str, Any]) -> str:
    # No request: the consent panel renders nothing, as for a project without a form.
    return engines["django"].from_string(source).render(context)


def _task(request: HttpRequest, kind: str, n: int) -> str:
    query = {k: v for k, v in request.GET.items() if k not in ("answer", "n", "skip")}
    return _render(_TASK, {
        "n": n,
        "next_url": f"/harness/{kind}/next/?{urlencode({**query, 'n': n + 1})}",
        "widget": f"{kind}/widget.html",
        "item": _json(request, "item", {"prompt": "Take a photo of a cup"}),
        "config": _json(request, "config", {}),
        "answer": _json(request, "answer", None) if n == 0 else None,
        "readonly": request.GET.get("readonly") == "1",
        "assignment": None if request.GET.get("preview") == "1" else {"pk": ASSIGNMENT + n},
        "project": None,
    })


def widget_page(request: HttpRequest, kind: str) -> HttpResponse:
    return HttpResponse(_render(_PAGE, {"body": _task(request, kind, 0)}))


@csrf_exempt
def next_task(request: HttpRequest, kind: str) -> HttpResponse:
    POSTED.append("skip" if request.GET.get("skip") else request.POST.get("answer", ""))
    return HttpResponse(_task(request, kind, int(request.GET.get("n", "1"))))


def review_page(request: HttpRequest, kind: str) -> HttpResponse:
    body = _render(_REVIEW, {
        "review": f"{kind}/review.html",
        "item": _json(request, "item", {"prompt": "Take a photo of a cup"}),
        "config": _json(request, "config", {}),
        "answers": _json(request, "answers", [None]),
    })
    return HttpResponse(_render(_PAGE, {"body": body}))


def _image_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except OSError:
        return 0, 0


@csrf_exempt
def upload(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The stand-in for ``POST /api/v1/assignments/{id}/captures``."""
    file = request.FILES.get("file")
    if request.method != "POST" or file is None:
        return JsonResponse({"error": "invalid", "message": "send a file"}, status=422)
    data = file.read()
    width, height = _image_size(data) if file.content_type.startswith("image/") else (0, 0)
    capture_id = len(UPLOADS) + 1
    FILES[capture_id] = (data, file.content_type)
    UPLOADS.append({"assignment": assignment_id, "name": file.name,
                    "content_type": file.content_type, "size": len(data),
                    "source": request.POST.get("source"), "consent": request.POST.get("consent"),
                    "csrf": request.headers.get("X-CSRFToken", ""),
                    "width": width, "height": height})
    if "status" in REPLY:
        return JsonResponse(REPLY["body"], status=REPLY["status"])
    media = f"/harness/file/{capture_id}"
    body = {"id": capture_id, "media_kind": file.content_type.split("/")[0], "url": media,
            "thumb_url": media if width else "", "width": width, "height": height,
            "duration": None, "consent": None, "blocked": False, "message": "",
            "checks": [{"check": "size", "passed": True, "value": len(data), "limit": 1,
                        "message": f"{len(data)} bytes received", "blocking": True}],
            "duplicates": []}
    body.update(REPLY)
    return JsonResponse(body, status=201)


def media_file(request: HttpRequest, capture_id: int) -> HttpResponse:
    data, content_type = FILES[capture_id]
    return HttpResponse(data, content_type=content_type)


def image_bytes(width: int, height: int) -> bytes:
    """A JPEG of the given size (a gradient), for the file picker and the review cards."""
    import numpy as np
    from PIL import Image

    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([x * 255 // max(1, width - 1), y * 255 // max(1, height - 1),
                    np.full_like(x, 128)], axis=-1).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=85)
    return out.getvalue()


def image(request: HttpRequest, width: int, height: int) -> HttpResponse:
    return HttpResponse(image_bytes(width, height), content_type="image/jpeg")


urlpatterns = [
    path("harness/<slug:kind>/", widget_page),
    path("harness/<slug:kind>/next/", next_task),
    path("harness/<slug:kind>/review/", review_page),
    path("harness/file/<int:capture_id>", media_file),
    path("harness/image/<int:width>x<int:height>.jpg", image),
    path("api/v1/assignments/<int:assignment_id>/captures", upload),
]
