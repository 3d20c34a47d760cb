"""Demo projects of the image annotation kinds: boxes, polygons, keypoints and OCR.

Each gets generated images (``scenes``) whose true answers are known, a few gold items,
answers from the demo crowd (a careful worker, a good one and a sloppy one, whose shapes are
off by more pixels and who now and then misses an object or mistypes a character), some
reviews, and an aggregation run, so results, agreement and exports show at once. The data
images are uploaded as a client would (``media_upload``: checks, thumbnails, web size).
"""

from __future__ import annotations

import copy
import random
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from datadam.accounts.models import User
from datadam.datasets.aggregation import results_aggregate
from datadam.media.services import media_upload
from datadam.projects.models import Project
from datadam.projects.services import project_create, project_launch
from datadam.quality.services import gold_import

from . import scenes
from .crowd import crowd_answer, gold_mix, review_against

ITEMS = 10
GOLD = 2
#: Pixels of jitter and the chance to miss a shape or mistype a character, per worker.
CARE = ({"jitter": 1.5, "miss": 0.0, "typo": 0.0}, {"jitter": 4.0, "miss": 0.05, "typo": 0.05},
        {"jitter": 14.0, "miss": 0.25, "typo": 0.3})
TYPO = "abcdefghijklmnopqrstuvwxyz가나다라마바사"


def _store(name: str, png: bytes) -> dict[str, Any]:
    """Save a generated PNG through the storage API; the item data for it."""
    key = f"demo/annotation/{name}.png"
    if not default_storage.exists(key):
        key = default_storage.save(key, ContentFile(png))
    return {"image": default_storage.url(key), "width": scenes.WIDTH, "height": scenes.HEIGHT}


def _jitter(value: float, rng: random.Random, px: float) -> float:
    return round(value + rng.gauss(0.0, px), 2)


def _noisy(kind: str, truth: dict[str, Any], rng: random.Random, care: dict[str, float]
           ) -> dict[str, Any]:
    """A worker's answer: the truth with this worker's kind of mistakes."""
    px, answer = care["jitter"], copy.deepcopy(truth)
    clip_x = lambda v: min(max(v, 0.0), scenes.WIDTH)  # noqa: E731
    clip_y = lambda v: min(max(v, 0.0), scenes.HEIGHT)  # noqa: E731
    if kind == "bounding_box":
        kept = [b for b in answer["boxes"] if rng.random() >= care["miss"]]
        for b in kept:
            x, y, w, h = b["box"]
            x0, y0 = clip_x(_jitter(x, rng, px)), clip_y(_jitter(y, rng, px))
            x1, y1 = clip_x(_jitter(x + w, rng, px)), clip_y(_jitter(y + h, rng, px))
            b["box"] = [min(x0, x1), min(y0, y1), abs(x1 - x0) or 1.0, abs(y1 - y0) or 1.0]
        return {"boxes": kept}
    if kind == "polygon":
        kept = [s for s in answer["shapes"] if rng.random() >= care["miss"]]
        for s in kept:
            s["points"] = [[clip_x(_jitter(x, rng, px)), clip_y(_jitter(y, rng, px))]
                           for x, y in s["points"]]
        return {"shapes": kept}
    if kind == "keypoints":
        return {"keypoints": {n: [clip_x(_jitter(x, rng, px)), clip_y(_jitter(y, rng, px)), v]
                              for n, (x, y, v) in answer["keypoints"].items()
                              if rng.random() >= care["miss"] / 2}}
    regions = []
    for r in answer["regions"]:
        if rng.random() < care["miss"]:
            continue
        x, y, w, h = r["box"]
        text = r["text"]
        if text and rng.random() < care["typo"]:
            i = rng.randrange(len(text))
            text = text[:i] + rng.choice(TYPO) + text[i + 1:]
        regions.append({"box": [clip_x(_jitter(x, rng, px)), clip_y(_jitter(y, rng, px)),
                                round(w, 2), round(h, 2)], "text": text})
    return {"regions": regions}


def _scene(kind: str, seed: int) -> tuple[bytes, dict[str, Any]]:
    if kind in ("bounding_box", "polygon"):
        png, boxes, polygons = scenes.shapes_scene(seed)
        return png, boxes if kind == "bounding_box" else polygons
    if kind == "keypoints":
        return scenes.face_scene(seed)
    png, regions, _languages = scenes.signs_scene(seed)
    return png, regions


PROJECTS: list[dict[str, Any]] = [
    {"kind": "bounding_box", "name": "Box the shapes / 도형에 상자 그리기", "reward": 12,
     "overlap": 3, "review_policy": "manual",
     "instructions": "Draw a tight box around every circle, square and triangle, and pick "
                     "its label (keys 1–3). 모든 도형에 딱 맞는 상자를 그리세요.",
     "config": {"labels": list(scenes.OBJECTS),
                "colors": {"circle": "#e6194b", "square": "#4363d8", "triangle": "#3cb44b"}}},
    {"kind": "polygon", "name": "Outline the shapes (polygons)", "reward": 15, "overlap": 2,
     "review_policy": "auto",
     "instructions": "Click around the edge of each shape; press Enter to close it.",
     "config": {"labels": list(scenes.OBJECTS), "tools": ["polygon", "polyline"]}},
    {"kind": "keypoints", "name": "Face landmarks / 얼굴 특징점", "reward": 10, "overlap": 3,
     "review_policy": "auto",
     "instructions": "Place the eyes, the nose and the mouth corners. Mark a point hidden "
                     "(H) when something covers it.",
     "config": {"points": scenes.FACE_POINTS, "skeleton": scenes.FACE_SKELETON,
                "category": "face"}},
    {"kind": "ocr", "name": "Read the signs (OCR) / 간판 글자 읽기", "reward": 14, "overlap": 2,
     "review_policy": "auto",
     "instructions": "Box each sign's text and type exactly what it says (Korean, English or "
                     "Japanese). 간판의 글자를 상자로 표시하고 그대로 입력하세요.",
     "config": {"languages": ["ko", "en", "ja"], "tools": ["box", "polygon"]}},
]


def demo_annotation(*, client: User, organization_id: int, workers: list[User],
                    reviewer: User, rng: random.Random) -> list[Project]:
    """The four image annotation projects, worked on, partly reviewed and aggregated."""
    made = []
    for number, spec in enumerate(PROJECTS):
        kind = spec["kind"]
        project = project_create(
            user=client, organization_id=organization_id, name=spec["name"], kind=kind,
            reward=spec["reward"], review_reward=2, overlap=spec["overlap"],
            review_policy=spec["review_policy"], auto_approve_hours=24,
            instructions=spec["instructions"], config=spec["config"])
        truth: dict[str, dict[str, Any]] = {}  # by external id
        files, gold = [], []
        for i in range(ITEMS + GOLD):
            png, answer = _scene(kind, 5000 + 100 * number + i)
            name = f"{kind}-{i}.png"
            truth[name] = answer
            if i < GOLD:  # gold is imported with its answer; the images are uploaded
                gold.append({"data": _store(f"{kind}-gold-{i}", png), "external_id": name,
                             "gold": answer})
            else:
                files.append(SimpleUploadedFile(name, png, content_type="image/png"))
        media_upload(user=client, project_id=project.pk, files=files)
        gold_import(user=client, project_id=project.pk, items=gold)
        gold_mix(client=client, project=project)
        project_launch(user=client, project_id=project.pk)
        crowd_answer(project=project, workers=workers, rounds=ITEMS, rng=rng,
                     answer_for=lambda a, i, kind=kind, truth=truth: _noisy(
                         kind, truth[a.item.external_id], rng, CARE[i]), seconds=(8, 40))
        if spec["review_policy"] == "manual":
            review_against(project=project, reviewer=reviewer, truth=truth, waiting=6,
                           comment="A box is missing or too loose: draw it tight.")
        results_aggregate(project_id=project.pk)
        made.append(project)
    return made
