"""How long the image canvas takes to show the next task in a browser.

    python benchmarks/bench_widget.py [--runs 20] [--kind bounding_box]

Serves the canvas test harness (tests/kinds/browser/harness.py: the kind's real widget.html in
a task section that htmx swaps, like the worker's task page) from a local WSGI server, opens it
in chromium (``CHROMIUM``, default /usr/bin/chromium; headless, software rendering as in the
browser tests) and, once the 4000×3000 JPEG is in the browser's cache, presses Submit
``--runs`` times (the first page load, image not cached yet, is reported too). Each run is
timed in the page, from the click to the first frame after the new annotator drew the image
(its ``dd:ready`` event, then one animation frame): the form post, the swap, the old stage's
teardown, the module's mount, the image decode and the draw.
The harness answers in about a millisecond; the real server's next task adds its own few
(docs/architecture.md). Two items: the original alone, and with a 1600×1200 ``web``
rendition as the media app provides. The last line of the output is one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "kinds" / "browser" / "harness.py"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TARGET_MS = 300

CONFIGS = {
    "bounding_box": {"labels": ["car", "person"]},
    "polygon": {"labels": ["road"], "tools": ["polygon", "polyline"]},
    "keypoints": {"points": ["nose", "left_eye", "right_eye"], "skeleton": [["nose", "left_eye"]]},
    "ocr": {"languages": ["ko", "en"], "tools": ["box"]},
}

# Runs in the page: click Submit, resolve with the milliseconds to the first frame that shows
# the next task's image (and the part of them until htmx swapped the fragment in).
TIME_NEXT = """() => new Promise((resolve) => {
  const t0 = performance.now();
  let swapped = 0;
  document.addEventListener("htmx:afterSwap", () => { swapped = performance.now() - t0; },
                            { once: true });
  document.addEventListener("dd:ready", () => requestAnimationFrame(() => setTimeout(() =>
    resolve({ total: performance.now() - t0, swap: swapped }))), { once: true });
  document.querySelector("#submit").click();
})"""


def serve() -> str:
    """The harness on a free local port, in a thread; its base URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datadam.settings")
    os.environ.setdefault("DATADAM_DEBUG", "1")  # a local page: no secret key needed
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    spec = importlib.util.spec_from_file_location("datadam_canvas_harness", HARNESS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    settings.ROOT_URLCONF = spec.name

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for size in ((4000, 3000, "jpg"), (1600, 1200, "jpg")):
        module.image_bytes(*size)  # made once, before the clock runs
    return f"http://127.0.0.1:{server.server_port}"


def measure(page: Any, base: str, kind: str, item: dict[str, Any], runs: int) -> dict[str, Any]:
    query = urlencode({"item": json.dumps(item), "config": json.dumps(CONFIGS[kind])})
    page.goto(f"{base}/harness/{kind}/?{query}")
    page.wait_for_function("window.__ready !== undefined", timeout=60_000)
    first = page.evaluate("window.__ready")  # from navigation start; the image from here on cached
    page.evaluate(TIME_NEXT)  # one untimed run: the next-task path compiled and warm
    totals, swaps = [], []
    for _ in range(runs):
        result = page.evaluate(TIME_NEXT)
        totals.append(result["total"])
        swaps.append(result["swap"])
    totals.sort()
    return {
        "median_ms": round(statistics.median(totals), 1),
        "p95_ms": round(totals[min(len(totals) - 1, int(0.95 * len(totals)))], 1),
        "max_ms": round(totals[-1], 1),
        "swap_median_ms": round(statistics.median(swaps), 1),
        "first_page_ms": round(first, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--kind", choices=sorted(CONFIGS), default="bounding_box")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base = serve()
    original = {"image": "/harness/image/4000x3000.jpg", "width": 4000, "height": 3000}
    web = {**original, "web": "/harness/image/1600x1200.jpg"}
    started = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        # The first page load: when its image showed (before anything was cached).
        page.add_init_script("document.addEventListener('dd:ready', () => {"
                             " window.__ready ??= performance.now(); })")
        version = browser.version
        results = {"original": measure(page, base, args.kind, original, args.runs),
                   "web_rendition": measure(page, base, args.kind, web, args.runs)}
        browser.close()
    for name, r in results.items():
        print(f"{name:>14}: median {r['median_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms "
              f"(swap {r['swap_median_ms']} ms; first page load {r['first_page_ms']} ms)")
    print(json.dumps({
        "bench": "widget_next_task", "kind": args.kind, "image": "4000x3000 jpeg, cached",
        "runs": args.runs, "chromium": version, "cpus": os.cpu_count(), "target_ms": TARGET_MS,
        **{f"{name}_{k}": v for name, r in results.items() for k, v in r.items()},
        "within_target": all(r["p95_ms"] <= TARGET_MS for r in results.values()),
        "seconds": round(time.perf_counter() - started, 1),
    }))


if __name__ == "__main__":
    main()
