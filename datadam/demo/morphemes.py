"""Demo project of the Korean morpheme kind: generated sentences whose analysis is known.

Sentences are put together from parts whose morphemes are known (subject + particle, place
+ 에서, object + particle, a verb with its endings, contractions included: 샀다 = 사 + 았 over
샀), so each item's true analysis is known. The items are imported as plain texts and Kiwi's
analysis is added by the kind's job (run here at once rather than by the task worker). A
careful, a good and a sloppy worker (who now and then leaves a particle on its noun or picks
a neighbouring tag) answer; two gold items check them; the results are aggregated.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from datadam.accounts.models import User
from datadam.datasets.aggregation import results_aggregate
from datadam.kinds.korean_morphemes.jobs import morphemes_analyse
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_create, project_launch
from datadam.quality.services import gold_import

from .crowd import crowd_answer, gold_mix

ITEMS = 10
GOLD = 2
#: (noun, tag, has a final consonant)
SUBJECTS = [("동생", "NNG", True), ("누나", "NNG", False), ("아버지", "NNG", False),
            ("언니", "NNG", False), ("형", "NNG", True), ("고양이", "NNG", False),
            ("강아지", "NNG", False), ("어머니", "NNG", False), ("학생", "NNG", True),
            ("우리", "NP", False), ("친구", "NNG", False)]
PLACES = ["공원", "카페", "학교", "회사", "시장", "도서관", "부엌", "바다", "마당", "집", "가게",
          "교실"]
OBJECTS = [("공", True), ("커피", False), ("노래", False), ("신문", True), ("사과", False),
           ("책", True), ("생선", True), ("사진", True), ("빵", True), ("우유", False),
           ("편지", False)]
#: A verb as written, and its morphemes as (start, end, form, tag) within it: a contraction's
#: morphemes share their span (샀 = 사 + 았).
VERBS: list[tuple[str, list[tuple[int, int, str, str]]]] = [
    ("샀다", [(0, 1, "사", "VV"), (0, 1, "았", "EP"), (1, 2, "다", "EF")]),
    ("찼다", [(0, 1, "차", "VV"), (0, 1, "았", "EP"), (1, 2, "다", "EF")]),
    ("봤다", [(0, 1, "보", "VV"), (0, 1, "았", "EP"), (1, 2, "다", "EF")]),
    ("마셨다", [(0, 2, "마시", "VV"), (0, 2, "었", "EP"), (2, 3, "다", "EF")]),
    ("읽었다", [(0, 1, "읽", "VV"), (1, 2, "었", "EP"), (2, 3, "다", "EF")]),
    ("찾았다", [(0, 1, "찾", "VV"), (1, 2, "았", "EP"), (2, 3, "다", "EF")]),
    ("먹는다", [(0, 1, "먹", "VV"), (1, 3, "는다", "EF")]),
    ("만들었어요", [(0, 2, "만들", "VV"), (2, 3, "었", "EP"), (3, 5, "어요", "EF")]),
]
#: Tags a worker may confuse with each other.
CONFUSED = {"JKS": "JX", "JX": "JKS", "NNG": "NNP", "EF": "EC", "VV": "VA", "JKO": "JKB",
            "JKB": "JKO", "EP": "EF", "SF": "SW", "NP": "NNG"}
CARE = ({"tag": 0.0, "merge": 0.0}, {"tag": 0.04, "merge": 0.04}, {"tag": 0.2, "merge": 0.25})


def sentence(rng: random.Random) -> tuple[str, list[dict[str, Any]]]:
    """A generated sentence and its true morphemes."""
    noun, noun_tag, coda = rng.choice(SUBJECTS)
    topic = rng.random() < 0.5
    particle = (("은" if coda else "는"), "JX") if topic else (("이" if coda else "가"), "JKS")
    obj, obj_coda = rng.choice(OBJECTS)
    verb, morphs = rng.choice(VERBS)
    parts: list[list[tuple[str, str]]] = [
        [(noun, noun_tag), particle], [(rng.choice(PLACES), "NNG"), ("에서", "JKB")],
        [(obj, "NNG"), ("을" if obj_coda else "를", "JKO")]]
    text, tokens = "", []
    for word in parts:
        for form, tag in word:
            tokens.append({"start": len(text), "end": len(text) + len(form), "form": form,
                           "tag": tag})
            text += form
        text += " "
    for start, end, form, tag in morphs:
        tokens.append({"start": len(text) + start, "end": len(text) + end, "form": form,
                       "tag": tag})
    text += verb
    tokens.append({"start": len(text), "end": len(text) + 1, "form": ".", "tag": "SF"})
    return text + ".", tokens


def noisy(truth: list[dict[str, Any]], rng: random.Random, care: dict[str, float]
          ) -> dict[str, Any]:
    """A worker's answer: the truth with this worker's kind of mistakes (a particle left on
    its noun, a neighbouring tag)."""
    tokens = copy.deepcopy(truth)
    out: list[dict[str, Any]] = []
    for token in tokens:
        prev = out[-1] if out else None
        if (prev is not None and token["tag"].startswith("J") and prev["end"] == token["start"]
                and rng.random() < care["merge"]):
            prev["end"], prev["form"] = token["end"], prev["form"] + token["form"]
            continue
        if rng.random() < care["tag"] and token["tag"] in CONFUSED:
            token["tag"] = CONFUSED[token["tag"]]
        out.append(token)
    return {"tokens": out}


def demo_morphemes(*, client: User, organization_id: int, workers: list[User],
                   reviewer: User, rng: random.Random) -> list[Project]:
    """The Korean morpheme project, analysed, worked on by the demo crowd and aggregated."""
    project = project_create(
        user=client, organization_id=organization_id,
        name="Korean morphemes / 형태소 분석 교정", kind="korean_morphemes", reward=8,
        review_reward=2, overlap=3, review_policy="auto", auto_approve_hours=24,
        instructions="Check each morpheme and its part-of-speech tag; split, merge or retag "
                     "where the automatic analysis is wrong. 자동 분석의 형태소와 품사를 "
                     "확인하고 틀린 곳을 고치세요.",
        config={"pass_score": 0.9})
    truth: dict[str, list[dict[str, Any]]] = {}
    records, gold = [], []
    for i in range(ITEMS + GOLD):
        text, tokens = sentence(rng)
        name = f"sentence-{i + 1}"
        truth[name] = tokens
        if i < GOLD:
            gold.append({"data": {"text": text}, "external_id": name,
                         "gold": {"tokens": tokens}})
        else:
            records.append({"data": {"text": text}, "external_id": name})
    items_import(user=client, project_id=project.pk, lines=parse_records(records))
    gold_import(user=client, project_id=project.pk, items=gold)
    morphemes_analyse(project_id=project.pk)  # the job the import queued, run now
    gold_mix(client=client, project=project)
    project_launch(user=client, project_id=project.pk)
    crowd_answer(project=project, workers=workers, rounds=ITEMS + GOLD, rng=rng,  # gold takes
                 seconds=(15, 60),  # some of the claims
                 answer_for=lambda a, i: noisy(truth[a.item.external_id], rng, CARE[i]))
    results_aggregate(project_id=project.pk)
    return [project]
