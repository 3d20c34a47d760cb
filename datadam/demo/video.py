"""Demo projects of the video kinds: segments on a timeline, and a label per sampled frame.

Each gets short generated clips (``clips``: coloured blocks or screens changing at known
times, VP8 WebM, with a poster), so the true answers are known; a few gold items; answers from
the demo crowd (a careful worker, a good one and a sloppy one, whose edges are off by more
and who now and then misses a segment or picks the wrong colour); reviews on the segments
project; and an aggregation run, so results, agreement and exports show at once. The clips
are stored under ``demo/video/`` and referenced by URL, as a client's items would be.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from datadam.accounts.models import User
from datadam.datasets.aggregation import results_aggregate
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_create, project_launch
from datadam.quality.services import gold_import

from . import clips
from .crowd import crowd_answer, gold_mix, review_against

ITEMS = 8
GOLD = 2
DURATION = 8.0
#: Seconds of jitter on each edge, the chance to miss a segment and to pick a wrong colour.
CARE = ({"jitter": 0.05, "miss": 0.0, "swap": 0.0}, {"jitter": 0.15, "miss": 0.05, "swap": 0.05},
        {"jitter": 0.6, "miss": 0.25, "swap": 0.2})
LABELS = list(clips.COLOURS)
COLORS = {"red": "#e6194b", "green": "#3cb44b", "blue": "#4363d8"}

PROJECTS: list[dict[str, Any]] = [
    {"kind": "video_segments", "name": "Mark the coloured lights / 색 신호 구간 표시",
     "reward": 14, "overlap": 3, "review_policy": "manual",
     "instructions": "Mark each span of time a red, green or blue light is on: drag on the "
                     "timeline, or press I at its start and O at its end; 1–3 pick the "
                     "colour. 빨강·초록·파랑 신호가 켜진 구간을 표시하세요.",
     "config": {"labels": LABELS, "colors": COLORS, "iou": 0.5, "min_agreement": 0.5,
                "pass_score": 0.8}},
    {"kind": "video_frames", "name": "Label the screen colour, frame by frame / 화면 색 라벨",
     "reward": 10, "overlap": 3, "review_policy": "auto",
     "instructions": "Give every moment the colour the screen shows: Shift+1–3 where the "
                     "colour changes labels from there to the end. 화면 색이 바뀌는 곳마다 "
                     "Shift+숫자를 누르세요.",
     "config": {"labels": LABELS, "colors": COLORS, "sample_fps": 2, "pass_score": 0.8}},
]


def _store(name: str, data: bytes) -> str:
    """Save a generated file through the storage API; its URL."""
    key = f"demo/video/{name}"
    if not default_storage.exists(key):
        key = default_storage.save(key, ContentFile(data))
    return default_storage.url(key)


def _clip(kind: str, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(item data, true answer) of one generated clip."""
    if kind == "video_segments":
        spans = clips.random_segments(seed, DURATION)
        video, still = clips.segments_clip(spans, DURATION), clips.segments_frame(
            spans, spans[0]["start"])
        truth = {"segments": spans}
    else:
        spans = clips.random_ranges(seed, DURATION)
        video, still = clips.frames_clip(spans, DURATION), clips.frames_frame(spans, 0.0)
        truth = {"ranges": spans}
    name = f"{kind}-{seed}"
    item = {"video": _store(f"{name}.webm", video), "poster": _store(f"{name}.jpg",
                                                                      clips.poster(still)),
            "duration": DURATION, "width": clips.WIDTH, "height": clips.HEIGHT,
            "fps": clips.FPS}
    return item, truth


def _edge(value: float, rng: random.Random, jitter: float) -> float:
    return round(min(max(value + rng.gauss(0.0, jitter), 0.0), DURATION), 2)


def _noisy(kind: str, truth: dict[str, Any], rng: random.Random, care: dict[str, float]
           ) -> dict[str, Any]:
    """A worker's answer: the truth with this worker's kind of mistakes."""
    px = care["jitter"]
    if kind == "video_segments":
        out = []
        for s in copy.deepcopy(truth["segments"]):
            if rng.random() < care["miss"]:
                continue
            start, end = _edge(s["start"], rng, px), _edge(s["end"], rng, px)
            if end - start < 0.1:
                continue
            label = rng.choice(LABELS) if rng.random() < care["swap"] else s["label"]
            out.append({"start": start, "end": end, "label": label})
        return {"segments": out}
    ranges = copy.deepcopy(truth["ranges"])
    cuts = [_edge(r["start"], rng, px) for r in ranges[1:]]
    edges = [0.0, *sorted(cuts), DURATION]
    out = []
    for r, a, b in zip(ranges, edges, edges[1:], strict=False):
        if b - a < 0.5:
            continue
        label = rng.choice(LABELS) if rng.random() < care["swap"] else r["label"]
        out.append({"start": a, "end": b, "label": label})
    # Cut on the project's grid (2 frames a second) as the widget would.
    for r in out:
        r["start"], r["end"] = round(r["start"] * 2) / 2, round(r["end"] * 2) / 2
    return {"ranges": [r for r in out if r["end"] > r["start"]]}


def demo_video(*, client: User, organization_id: int, workers: list[User], reviewer: User,
               rng: random.Random) -> list[Project]:
    """The two video projects, worked on, partly reviewed and aggregated."""
    made = []
    for number, spec in enumerate(PROJECTS):
        kind = spec["kind"]
        project = project_create(
            user=client, organization_id=organization_id, name=spec["name"], kind=kind,
            reward=spec["reward"], review_reward=2, overlap=spec["overlap"],
            review_policy=spec["review_policy"], auto_approve_hours=24,
            instructions=spec["instructions"], config=spec["config"])
        truth: dict[str, dict[str, Any]] = {}
        records, gold = [], []
        for i in range(ITEMS + GOLD):
            item, answer = _clip(kind, 7000 + 100 * number + i)
            name = f"{kind}-{i}.webm"
            truth[name] = answer
            if i < GOLD:
                gold.append({"data": item, "external_id": name, "gold": answer})
            else:
                records.append({"data": item, "external_id": name})
        report = items_import(user=client, project_id=project.pk,
                              lines=parse_records(records))
        assert report.ok, report.errors
        gold_import(user=client, project_id=project.pk, items=gold)
        gold_mix(client=client, project=project)
        project_launch(user=client, project_id=project.pk)
        crowd_answer(project=project, workers=workers, rounds=ITEMS, rng=rng,
                     seconds=(15, 60), answer_for=lambda a, i, kind=kind, truth=truth: _noisy(
                         kind, truth[a.item.external_id], rng, CARE[i]))
        if spec["review_policy"] == "manual":
            review_against(project=project, reviewer=reviewer, truth=truth, waiting=4,
                           comment="A segment is missing or its edges are off: check them.")
        results_aggregate(project_id=project.pk)
        made.append(project)
    return made
