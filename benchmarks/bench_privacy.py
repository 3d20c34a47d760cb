"""Recall and false detections of the de-identification (faces, plates, personal data).

    python benchmarks/bench_privacy.py [--faces 100] [--free 100] [--plates 60]

Images: drawn faces (``tests/privacy/fixtures.py``); a face counts as found when the blurred
regions cover at least 90% of its core (both eyes to the mouth). False detections: regions
on the face-free images, and regions on face images away from every face. Plates: a plate
counts when 90% of it is covered. Where scikit-image and scikit-learn are installed, their
bundled photographs are read too: 100 real faces (the LFW subset, 25 px, scaled up), two
portraits and 22 photographs without faces.

Texts: planted personal data per kind (``tests/privacy/text_fixtures.py``), found when a
finding of the same kind covers it; false masks on the clean sentences. The hand-written
held-out sentences are reported apart (the finder was not tuned on them).

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datadam.settings")
os.environ.setdefault("DATADAM_DEBUG", "1")  # no database, no secret key needed

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from datadam.privacy.faces import Region, find_faces, find_plates  # noqa: E402
from datadam.privacy.personal_data import ALL_KINDS, find_personal_data  # noqa: E402
from tests.privacy.fixtures import (  # noqa: E402
    covered_share,
    face_free_scene,
    face_scene,
    plate_scene,
)
from tests.privacy.text_fixtures import (  # noqa: E402
    HELD_OUT,
    HELD_OUT_CLEAN,
    clean_sentences,
    planted_sentences,
)


def _away_from_faces(region: Region, boxes: list[tuple[int, int, int, int]]) -> bool:
    cx, cy = region.x + region.w / 2, region.y + region.h / 2
    return not any(x <= cx <= x + w and y - h * 0.2 <= cy <= y + h for x, y, w, h in boxes)


def bench_faces(scenes: int, free: int) -> dict:
    found = total = false_on_faces = 0
    by_width: Counter[str] = Counter()
    by_width_found: Counter[str] = Counter()
    seconds: list[float] = []
    for seed in range(scenes):
        scene = face_scene(seed)
        start = time.perf_counter()
        regions = find_faces(scene.image)
        seconds.append(time.perf_counter() - start)
        for face in scene.faces:
            ok = covered_share(face.core, regions, scene.image.size) >= 0.9
            band = "40-79" if face.box[2] < 80 else "80-159" if face.box[2] < 160 else "160-400"
            total += 1
            found += ok
            by_width[band] += 1
            by_width_found[band] += ok
        false_on_faces += sum(_away_from_faces(r, [f.box for f in scene.faces]) for r in regions)
    false_free = sum(len(find_faces(face_free_scene(seed))) for seed in range(free))
    return {
        "faces": total,
        "face_recall": round(found / total, 4),
        "face_recall_by_width_px": {k: round(by_width_found[k] / by_width[k], 4)
                                    for k in sorted(by_width)},
        "false_per_face_image": round(false_on_faces / scenes, 4),
        "face_free_images": free,
        "false_per_face_free_image": round(false_free / free, 4),
        "find_faces_median_ms": round(statistics.median(seconds) * 1000, 1),
    }


def bench_plates(scenes: int) -> dict:
    found = 0
    for seed in range(scenes):
        scene = plate_scene(seed)
        found += covered_share(scene.plates[0], find_plates(scene.image), scene.image.size) >= 0.9
    false_free = sum(len(find_plates(face_free_scene(seed))) for seed in range(scenes))
    return {"plates": scenes, "plate_recall": round(found / scenes, 4),
            "plate_false_per_face_free_image": round(false_free / scenes, 4)}


def bench_real_photos() -> dict | None:
    """Photographs bundled with scikit-image and scikit-learn, where they are installed."""
    skimage = importlib.util.find_spec("skimage")
    sklearn = importlib.util.find_spec("sklearn")
    if not skimage or not sklearn or not skimage.submodule_search_locations:
        return None
    data = Path(skimage.submodule_search_locations[0]) / "data"
    lfw = np.load(data / "lfw_subset.npy")  # 100 faces, then 100 non-faces, 25 × 25
    faces = non_faces = 0
    for i, patch in enumerate(lfw):
        grey = Image.fromarray((patch * 255).astype(np.uint8)).resize((75, 75))
        padded = Image.fromarray(np.pad(np.asarray(grey), 37, mode="edge"))
        hit = bool(find_faces(padded))
        faces += hit and i < 100
        non_faces += hit and i >= 100
    portraits = sum(bool(find_faces(Image.open(data / n))) for n in ("astronaut.png", "camera.png"))
    others = ["coffee.png", "chelsea.png", "brick.png", "grass.png", "gravel.png", "horse.png",
              "hubble_deep_field.jpg", "moon.png", "rocket.jpg", "retina.jpg",
              "motorcycle_left.png", "text.png", "page.png", "coins.png", "ihc.png", "logo.png",
              "color.png", "cell.png"]
    paths = [data / n for n in others if (data / n).exists()]
    paths += sorted((Path(sklearn.submodule_search_locations[0]) / "datasets/images").glob("*.jpg"))
    false = sum(len(find_faces(Image.open(p))) for p in paths)
    false_plates = sum(len(find_plates(Image.open(p))) for p in paths)
    return {"lfw_face_recall": faces / 100, "lfw_non_faces_with_a_detection": non_faces / 100,
            "portraits_found": f"{portraits}/2", "photos_without_faces": len(paths),
            "false_faces_on_them": false, "false_plates_on_them": false_plates}


def bench_texts() -> dict:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    planted = planted_sentences()
    stray = 0
    for sentence in planted:
        found = find_personal_data(sentence.text)
        for p in sentence.planted:
            totals[p.kind] += 1
            hits[p.kind] += any(f.kind == p.kind and f.start <= p.start and f.end >= p.end
                                for f in found)
        stray += sum(not any(f.start < p.end and p.start < f.end for p in sentence.planted)
                     for f in found)
    clean = clean_sentences()
    false_clean = sum(len(find_personal_data(t)) for t in clean)
    held_hits = held_total = 0
    for text, wanted in HELD_OUT:
        found = find_personal_data(text)
        for kind, value in wanted:
            start = text.index(value)
            held_total += 1
            held_hits += any(f.kind == kind and f.start <= start and f.end >= start + len(value)
                             for f in found)
    held_false = sum(len(find_personal_data(t)) for t in HELD_OUT_CLEAN)
    return {
        "planted_sentences": len(planted),
        "recall_by_kind": {k: round(hits[k] / totals[k], 4) for k in ALL_KINDS},
        "planted_items_by_kind": {k: totals[k] for k in ALL_KINDS},
        "stray_findings_in_planted_sentences": stray,
        "clean_sentences": len(clean),
        "false_masks_per_clean_sentence": round(false_clean / len(clean), 4),
        "held_out_recall": round(held_hits / held_total, 4),
        "held_out_items": held_total,
        "held_out_false_masks": held_false,
        "held_out_clean_sentences": len(HELD_OUT_CLEAN),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, default=100, help="face scenes")
    parser.add_argument("--free", type=int, default=100, help="face-free images")
    parser.add_argument("--plates", type=int, default=60, help="plate scenes")
    args = parser.parse_args()
    started = time.perf_counter()
    result = {"images": bench_faces(args.faces, args.free) | bench_plates(args.plates),
              "real_photos": bench_real_photos(), "texts": bench_texts()}
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result["images"], indent=1))
    print(json.dumps(result["texts"], indent=1))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
