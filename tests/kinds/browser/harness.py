"""A tiny site that shows the image kinds' real widget and review templates outside the task
loop, for the canvas's browser tests and ``benchmarks/bench_widget.py``.

It needs no database and no registered kind: each page renders ``<kind>/widget.html`` (or
``review.html``) with the item, config and answer given as JSON in the query string, inside a
task-like ``<section id="task" data-keys>`` whose form posts to ``next/`` with htmx, like the
worker's task page does; ``next/`` records the posted ``answer`` (``POSTED``) and answers the
next task fragment. ``image/<w>x<h>.<ext>`` serves a generated image, cached by the browser.

The tests' conftest.py imports this file as the module ``datadam_canvas_harness`` and makes
it the live server's URLconf.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

#: Every ``answer`` the harness's form posted, in order (the live server runs in this process).
POSTED: list[str] = []

_PAGE = """{% load static %}<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>canvas harness</title>
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
<div class="row actions"><button type="submit" id="submit" data-key="Enter">Submit</button></div>
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


def _render(source: str, context: dict[str, Any], request: HttpRequest) -> str:
    # No request: the site's context processors (navigation) would look for its URLs.
    return engines["django"].from_string(source).render(context)


def _task(request: HttpRequest, kind: str, n: int) -> str:
    query = {k: v for k, v in request.GET.items() if k != "answer"}
    return _render(_TASK, {
        "n": n,
        "next_url": f"/harness/{kind}/next/?{urlencode({**query, 'n': n + 1})}",
        "widget": f"{kind}/widget.html",
        "item": _json(request, "item", {}),
        "config": _json(request, "config", {}),
        "answer": _json(request, "answer", None) if n == 0 else None,
        "readonly": request.GET.get("readonly") == "1",
    }, request)


def widget_page(request: HttpRequest, kind: str) -> HttpResponse:
    body = _task(request, kind, 0)
    return HttpResponse(_render(_PAGE, {"body": body}, request))


@csrf_exempt
def next_task(request: HttpRequest, kind: str) -> HttpResponse:
    POSTED.append(request.POST.get("answer", ""))
    return HttpResponse(_task(request, kind, int(request.GET.get("n", "1"))))


def review_page(request: HttpRequest, kind: str) -> HttpResponse:
    body = _render(_REVIEW, {
        "review": f"{kind}/review.html",
        "item": _json(request, "item", {}),
        "config": _json(request, "config", {}),
        "answers": _json(request, "answers", [None]),
    }, request)
    return HttpResponse(_render(_PAGE, {"body": body}, request))


@lru_cache(maxsize=8)
def image_bytes(width: int, height: int, ext: str) -> bytes:
    """A photo-like test image: gradients, blocks and noise (so JPEG decoding has work)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(width * 7 + height)
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([x * 255 // max(1, width - 1), y * 255 // max(1, height - 1),
                    (x + y) * 255 // max(1, width + height - 2)], axis=-1).astype(np.int16)
    for _ in range(40):
        x0, y0 = rng.integers(0, width), rng.integers(0, height)
        rgb[y0:y0 + height // 8, x0:x0 + width // 8] = rng.integers(0, 255, 3)
    rgb += rng.integers(-12, 12, rgb.shape, dtype=np.int16)
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    out = io.BytesIO()
    img.save(out, "JPEG" if ext == "jpg" else "PNG", quality=85)
    return out.getvalue()


def image(request: HttpRequest, width: int, height: int, ext: str) -> HttpResponse:
    response = HttpResponse(image_bytes(width, height, ext),
                            content_type="image/jpeg" if ext == "jpg" else "image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


urlpatterns = [
    path("harness/<slug:kind>/", widget_page),
    path("harness/<slug:kind>/next/", next_task),
    path("harness/<slug:kind>/review/", review_page),
    path("harness/image/<int:width>x<int:height>.<str:ext>", image),
]

