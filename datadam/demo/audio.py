"""Demo projects of the audio kinds: transcription, classification and segments.

The recordings are generated (``sounds``): keypad-tone digit strings to transcribe (or
sentences spoken by espeak-ng where it is installed), clips of a cry-like warbling tone,
murmur-like noise or a few notes to classify, and clips with such sounds at known times to
mark. Their true answers are known, so each project gets a few gold items, answers from the
demo crowd (a careful worker, a good one and a sloppy one: the sloppy one mishears digits,
picks wrong classes and places segment bounds loosely or misses segments), reviews on one
project and an aggregation run. The data clips are uploaded as a client would
(``media_upload``) and their renditions (Opus copy, waveform peaks) made at once.
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
from datadam.media.services import media_renditions_make, media_upload
from datadam.projects.models import Project
from datadam.projects.services import project_create, project_launch
from datadam.quality.services import gold_import

from . import sounds
from .crowd import crowd_answer, gold_mix, review_against

ITEMS = 8
GOLD = 2
#: Seconds of jitter on segment bounds, chance to miss a segment, to mishear a word, to pick
#: a wrong class; per worker (careful, good, sloppy).
CARE = ({"jitter": 0.04, "miss": 0.0, "typo": 0.0, "wrong": 0.02},
        {"jitter": 0.12, "miss": 0.05, "typo": 0.08, "wrong": 0.12},
        {"jitter": 0.45, "miss": 0.3, "typo": 0.35, "wrong": 0.4})
CLASSES = ["cry", "speech", "music", "silence"]
SEGMENT_LABELS = ["cry", "speech", "silence"]
SEGMENT_SECONDS = 8.0


def _language() -> str:
    return "en"


def _clip(kind: str, i: int, seed: int) -> tuple[bytes, dict[str, Any], float]:
    """(WAV, true answer, seconds) of the ``i``-th clip of a kind."""
    if kind == "audio_transcription":
        if sounds.espeak():
            lines = sounds.SENTENCES[_language()]
            text = lines[i % len(lines)]
            wav = sounds.spoken_clip(text, _language())
            truth: dict[str, Any] = {"text": text}
        else:
            wav, truth = sounds.digits_clip(seed)
    elif kind == "audio_classification":
        label = CLASSES[i % len(CLASSES)]
        wav, truth = sounds.class_clip(seed, label), {"label": label}
    else:
        wav, truth = sounds.event_clip(seed, seconds=SEGMENT_SECONDS)
    return wav, truth, (len(wav) - 44) / 2 / sounds.RATE


def _noisy(kind: str, truth: dict[str, Any], rng: random.Random, care: dict[str, float],
           duration: float) -> dict[str, Any]:
    """A worker's answer: the truth with this worker's kind of mistakes."""
    if kind == "audio_transcription":
        words = truth["text"].split()
        heard = [w if rng.random() >= care["typo"] else
                 (rng.choice("0123456789") if w.isdigit() else w[::-1]) for w in words]
        if heard and rng.random() < care["miss"]:
            heard.pop(rng.randrange(len(heard)))
        return {"text": " ".join(heard)}
    if kind == "audio_classification":
        if rng.random() < care["wrong"]:
            return {"label": rng.choice([c for c in CLASSES if c != truth["label"]])}
        return copy.deepcopy(truth)
    out = []
    for s in truth["segments"]:
        if rng.random() < care["miss"]:
            continue
        start = min(max(0.0, s["start"] + rng.gauss(0, care["jitter"])), duration - 0.1)
        end = min(duration, max(start + 0.1, s["end"] + rng.gauss(0, care["jitter"])))
        out.append({"start": round(start, 3), "end": round(end, 3), "label": s["label"]})
    return {"segments": out}


PROJECTS: list[dict[str, Any]] = [
    {"kind": "audio_transcription", "name": "Transcribe the clips / 음성 받아쓰기", "reward": 12,
     "overlap": 3, "review_policy": "manual",
     "instructions": "Type exactly what you hear. For keypad tones, type the digits with a "
                     "space between them (\"3 1 4\"). Space plays and pauses; [ ] change the "
                     "speed. 들리는 그대로 입력하세요.",
     "config": {"language": "en"}},
    {"kind": "audio_classification", "name": "What is this sound? / 소리 분류", "reward": 5,
     "overlap": 3, "review_policy": "auto",
     "instructions": "Listen and pick what you hear: a cry (a warbling tone), speech "
                     "(murmur), music (notes), or silence. Keys 1–4.",
     "config": {"labels": CLASSES}},
    {"kind": "audio_segments", "name": "Mark the sounds on the timeline / 소리 구간 표시",
     "reward": 15, "overlap": 3, "review_policy": "auto",
     "instructions": "Drag across the waveform over each sound and label it: cry (1), "
                     "speech (2), and the quiet parts as silence (3). L loops a segment.",
     "config": {"labels": SEGMENT_LABELS,
                "colors": {"cry": "#e6194b", "speech": "#4363d8", "silence": "#a9a9a9"}}},
]


def _store(name: str, wav: bytes, seconds: float) -> dict[str, Any]:
    """Save a generated gold clip through the storage API; the item data for it."""
    key = f"demo/audio/{name}.wav"
    if not default_storage.exists(key):
        key = default_storage.save(key, ContentFile(wav))
    return {"audio": default_storage.url(key), "duration": round(seconds, 3),
            "sample_rate": sounds.RATE}


def demo_audio(*, client: User, organization_id: int, workers: list[User], reviewer: User,
               rng: random.Random) -> list[Project]:
    """The three audio projects, worked on, partly reviewed and aggregated."""
    made = []
    for number, spec in enumerate(PROJECTS):
        kind = spec["kind"]
        project = project_create(
            user=client, organization_id=organization_id, name=spec["name"], kind=kind,
            reward=spec["reward"], review_reward=2, overlap=spec["overlap"],
            review_policy=spec["review_policy"], auto_approve_hours=24,
            instructions=spec["instructions"], config=spec["config"])
        truth: dict[str, tuple[dict[str, Any], float]] = {}  # by external id
        files, gold = [], []
        for i in range(ITEMS + GOLD):
            wav, answer, seconds = _clip(kind, i, 7000 + 100 * number + i)
            name = f"{kind}-{i}.wav"
            truth[name] = (answer, seconds)
            if i < GOLD:
                gold.append({"data": _store(f"{kind}-gold-{i}", wav, seconds),
                             "external_id": name, "gold": answer})
            else:
                files.append(SimpleUploadedFile(name, wav, content_type="audio/wav"))
        report = media_upload(user=client, project_id=project.pk, files=files)
        media_renditions_make(asset_ids=report.media_ids)  # the worker's job would, later
        gold_import(user=client, project_id=project.pk, items=gold)
        gold_mix(client=client, project=project)
        project_launch(user=client, project_id=project.pk)
        crowd_answer(project=project, workers=workers, rounds=ITEMS + GOLD, rng=rng,
                     seconds=(6, 45), answer_for=lambda a, i, kind=kind, truth=truth: _noisy(
                         kind, *truth[a.item.external_id][:1], rng, CARE[i],
                         truth[a.item.external_id][1]))
        if spec["review_policy"] == "manual":
            review_against(project=project, reviewer=reviewer,
                           truth={k: v[0] for k, v in truth.items()}, waiting=5,
                           comment="Some words are missing or wrong: listen again.")
        results_aggregate(project_id=project.pk)
        made.append(project)
    return made
