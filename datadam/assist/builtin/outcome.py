"""How a worker's answer relates to the suggestion (pre-label) it started from.

- **accepted**: the answer is the suggestion: equal once compared canonically — keys in any
  order, texts NFC and trimmed, shapes in any order, coordinates within 1 px (times within
  1 ms), scores and other bookkeeping keys (``score``, ``meta``, ``checks``) ignored.
- **edited**: not equal, but the suggestion's work survives in the answer: per kind, below.
- **replaced**: anything else (also an empty suggestion the worker filled in, and a
  suggestion this module cannot read).

The per-kind rule for *edited* (``RULES``; the answer formats are the kinds' own, see
``datadam/kinds/<kind>/__init__.py``):

- single-label classification: never (the same label is accepted, another one replaced);
  multi-label: the answer keeps at least one of the suggested labels;
- boxes, polygons: the suggestion's shapes matched one to one to the answer's by IoU ≥ 0.5
  (Hungarian; labels ignored, a relabelled box still saved the drawing) cover at least half
  of the suggestion's shapes; polylines as bands of 5% of their extent (at least 2 px);
- OCR: as boxes, each matched region counting by the similarity of its texts
  (1 − normalised edit distance), so moved boxes with retyped texts count little;
- keypoints: at least half of the suggested points placed within 5% of the skeleton's extent
  (at least 5 px);
- spans: span F1 (start and end; labels ignored) ≥ 0.5; morphemes: token F1 over (start,
  end, form, tag) ≥ 0.5, as the kind's gold score counts;
- audio and video segments: temporal IoU ≥ 0.5 covering half, as boxes; video frames: at
  least half of the suggested labelled time keeps its label;
- texts (transcription, the writing kinds): edit similarity of all their texts ≥ 0.5.

Unknown kinds: accepted when equal, else replaced. Plain Python (numpy, scipy, shapely,
rapidfuzz); no Django.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from rapidfuzz.distance import Levenshtein
from scipy.optimize import linear_sum_assignment
from shapely import make_valid
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

Outcome = Literal["accepted", "edited", "replaced"]

#: Keys that are bookkeeping, not the answer (results' scores, the writing kinds' meta).
IGNORED_KEYS = frozenset({"score", "meta", "checks", "text_agreement"})
#: Share of the suggestion that must survive for "edited" (IoU, coverage, F1, similarity).
THRESHOLD = 0.5


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same_value(a: Any, b: Any, tol: float = 0.0) -> bool:
    """Canonical equality: dicts by key (``IGNORED_KEYS`` left out), lists of objects in any
    order, other lists in order, texts NFC and trimmed, numbers within ``tol``."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        keys = set(a) - IGNORED_KEYS
        return keys == set(b) - IGNORED_KEYS and all(same_value(a[k], b[k], tol) for k in keys)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            return False
        if a and all(isinstance(x, Mapping) for x in [*a, *b]):
            return _same_multiset(a, b, tol)
        return all(same_value(x, y, tol) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str):
        return _nfc(a) == _nfc(b)
    if _number(a) and _number(b):
        return abs(float(a) - float(b)) <= tol + 1e-9
    return type(a) is type(b) and a == b


def _same_multiset(a: Sequence[Any], b: Sequence[Any], tol: float) -> bool:
    """Each object of ``a`` paired with an equal, unused one of ``b`` (greedy)."""
    free = list(b)
    for x in a:
        k = next((i for i, y in enumerate(free) if same_value(x, y, tol)), None)
        if k is None:
            return False
        free.pop(k)
    return True


# --- similarity measures -------------------------------------------------------------------
def matched_coverage(suggested: Sequence[Any], answered: Sequence[Any],
                     similarity: Callable[[Any, Any], float], *, least: float = THRESHOLD,
                     weight: Callable[[Any, Any], float] | None = None) -> float:
    """Share of the suggested shapes matched one to one (Hungarian on ``similarity``, a pair
    kept at ``least``) to answered ones, each match counting ``weight`` (default 1)."""
    if not suggested or not answered:
        return 0.0
    sim = np.array([[similarity(s, a) for a in answered] for s in suggested], dtype=float)
    rows, cols = linear_sum_assignment(-sim)
    total = sum((weight(suggested[i], answered[j]) if weight else 1.0)
                for i, j in zip(rows, cols, strict=True) if sim[i, j] >= least)
    return total / len(suggested)


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """IoU of two ``[x, y, w, h]`` boxes."""
    ax, ay, aw, ah = (float(v) for v in a)
    bx, by, bw, bh = (float(v) for v in b)
    iw = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = iw * ih
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def _extent(points: Iterable[Sequence[float]]) -> float:
    """Diagonal of the points' bounding box."""
    pts = np.asarray([[float(p[0]), float(p[1])] for p in points])
    return float(np.hypot(*(pts.max(axis=0) - pts.min(axis=0)))) if len(pts) else 0.0


def _geometry(shape: Mapping[str, Any], band: float) -> BaseGeometry:
    points = [(float(p[0]), float(p[1])) for p in shape["points"]]
    if shape.get("type") == "polyline" or len(points) < 3:
        return LineString(points).buffer(band)
    return make_valid(Polygon(points))


def shape_iou(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """IoU of two polygon-kind shapes; polylines as bands of 5% of the first's extent."""
    band = max(2.0, 0.05 * _extent(a["points"]))
    ga, gb = _geometry(a, band), _geometry(b, band)
    union = ga.union(gb).area
    return float(ga.intersection(gb).area / union) if union > 0 else 0.0


def span_iou(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """Temporal IoU of two ``{"start", "end"}`` intervals."""
    inter = max(0.0, min(a["end"], b["end"]) - max(a["start"], b["start"]))
    union = max(a["end"], b["end"]) - min(a["start"], b["start"])
    return inter / union if union > 0 else 0.0


def f1(suggested: Iterable[Any], answered: Iterable[Any]) -> float:
    """F1 of two multisets (1.0 for two empty ones)."""
    a, b = Counter(suggested), Counter(answered)
    total = a.total() + b.total()
    return 1.0 if total == 0 else 2 * (a & b).total() / total


def text_similarity(a: str, b: str) -> float:
    """1 − normalised edit distance of the NFC texts."""
    return float(Levenshtein.normalized_similarity(_nfc(a), _nfc(b)))


def _texts(value: Any) -> list[str]:
    """Every text of an answer, in order (bookkeeping keys left out)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [t for k, v in value.items() if k not in IGNORED_KEYS for t in _texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return []


# --- the per-kind rules ---------------------------------------------------------------------
Similar = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]


def _labels_overlap(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    if "labels" not in s:  # single label: never edited
        return False
    return bool({_nfc(x) for x in s["labels"]} & {_nfc(x) for x in a.get("labels", [])})


def _boxes(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    return matched_coverage(s["boxes"], a["boxes"],
                            lambda p, q: box_iou(p["box"], q["box"])) >= THRESHOLD


def _shapes(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    return matched_coverage(s["shapes"], a["shapes"], shape_iou) >= THRESHOLD


def _regions(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    return matched_coverage(s["regions"], a["regions"],
                            lambda p, q: box_iou(p["box"], q["box"]),
                            weight=lambda p, q: text_similarity(p["text"], q["text"])
                            ) >= THRESHOLD


def _keypoints(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    placed = {k: v for k, v in s["keypoints"].items() if len(v) < 3 or v[2] > 0}
    if not placed:
        return False
    tol = max(5.0, 0.05 * _extent(placed.values()))
    kept = sum(1 for name, (x, y, *_v) in placed.items()
               if (q := a["keypoints"].get(name)) and (len(q) < 3 or q[2] > 0)
               and math.hypot(q[0] - x, q[1] - y) <= tol)
    return kept / len(placed) >= THRESHOLD


def _spans(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    return bool(s["spans"]) and f1(((x["start"], x["end"]) for x in s["spans"]),
                                   ((x["start"], x["end"]) for x in a["spans"])) >= THRESHOLD


def _token_key(t: Mapping[str, Any]) -> tuple[int, int, str, str]:
    return t["start"], t["end"], _nfc(t["form"]), t["tag"]


def _tokens(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    return bool(s["tokens"]) and f1(map(_token_key, s["tokens"]),
                                    map(_token_key, a["tokens"])) >= THRESHOLD


def _segments(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    return matched_coverage(s["segments"], a["segments"], span_iou) >= THRESHOLD


def _ranges(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    total = sum(r["end"] - r["start"] for r in s["ranges"])
    kept = sum(max(0.0, min(r["end"], q["end"]) - max(r["start"], q["start"]))
               for r in s["ranges"] for q in a["ranges"] if _nfc(q["label"]) == _nfc(r["label"]))
    return total > 0 and kept / total >= THRESHOLD


def _text(s: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    mine = "\n".join(_nfc(t) for t in _texts(s))
    return bool(mine) and text_similarity(mine, "\n".join(_nfc(t) for t in _texts(a))
                                          ) >= THRESHOLD


@dataclass(frozen=True)
class Rule:
    """How one kind compares: coordinate tolerance for "accepted", the test for "edited"."""

    similar: Similar | None
    tol: float = 0.0


_CLASSIFICATION = Rule(_labels_overlap)
_SEGMENTS = Rule(_segments, tol=0.001)
_TEXT = Rule(_text)

RULES: dict[str, Rule] = {
    "text_classification": _CLASSIFICATION,
    "image_classification": _CLASSIFICATION,
    "audio_classification": _CLASSIFICATION,
    "bounding_box": Rule(_boxes, tol=1.0),
    "polygon": Rule(_shapes, tol=1.0),
    "ocr": Rule(_regions, tol=1.0),
    "keypoints": Rule(_keypoints),  # its "accepted" compares [x, y] within 1 px, v exactly
    "span_tagging": Rule(_spans),
    "korean_morphemes": Rule(_tokens),
    "audio_segments": _SEGMENTS,
    "video_segments": _SEGMENTS,
    "video_frames": Rule(_ranges, tol=0.001),
    "audio_transcription": _TEXT,
    "writing_qa": _TEXT,
    "writing_summary": _TEXT,
    "writing_translation": _TEXT,
    "writing_dialogue": _TEXT,
    "writing_sentences": _TEXT,
}


def _same(kind_slug: str, s: Mapping[str, Any], a: Mapping[str, Any], tol: float) -> bool:
    if "labels" in s and "labels" in a and RULES.get(kind_slug) is _CLASSIFICATION:
        return {_nfc(x) for x in s["labels"]} == {_nfc(x) for x in a["labels"]}
    if kind_slug == "keypoints":
        ks, ka = s["keypoints"], a["keypoints"]
        return set(ks) == set(ka) and all(
            same_value(list(ks[k][:2]), list(ka[k][:2]), 1.0) and ks[k][2:] == ka[k][2:]
            for k in ks)
    return same_value(s, a, tol)


def suggestion_outcome(kind_slug: str, suggestion: Mapping[str, Any] | None,
                       answer: Mapping[str, Any]) -> Outcome:
    """Whether the worker ``accepted``, ``edited`` or ``replaced`` the suggestion (both
    answers in the kind's format). A suggestion that does not fit the kind's format (a
    client's backend sent something odd) is ``replaced`` unless the answer equals it."""
    if not isinstance(suggestion, Mapping) or not isinstance(answer, Mapping):
        return "replaced"
    rule = RULES.get(kind_slug, Rule(None))
    try:
        if _same(kind_slug, suggestion, answer, rule.tol):
            return "accepted"
        if rule.similar is not None and rule.similar(suggestion, answer):
            return "edited"
    except Exception:  # noqa: BLE001 - a malformed suggestion must not fail saving an answer
        return "accepted" if same_value(suggestion, answer) else "replaced"
    return "replaced"
