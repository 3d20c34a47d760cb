"""Demo projects of span tagging: named entities in Korean and English sentences.

The sentences are generated from templates, so every entity's true span is known: a flat
project (people, places, organisations, dates; Korean particles such as 은/에서 stay out of
the span, as in Korean NER data) and a nested one (a place inside an organisation's name,
"서울대학교" → 서울). A few gold items each; the demo crowd answers (a careful worker, a good
one who now and then takes the particle in or misses an entity, a sloppy one who also
picks wrong labels); the flat project's answers are reviewed; both are aggregated.
"""

from __future__ import annotations

import random
import re
from typing import Any

from datadam.accounts.models import User
from datadam.datasets.aggregation import results_aggregate
from datadam.errors import InvalidInput
from datadam.kinds import get_kind
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_create, project_launch
from datadam.quality.services import gold_import

from .crowd import crowd_answer, gold_mix, review_against

ITEMS = 10
GOLD = 2
#: Per worker: chance to miss an entity, to get a boundary wrong, to pick a wrong label.
CARE = ({"miss": 0.0, "edge": 0.0, "label": 0.0}, {"miss": 0.05, "edge": 0.15, "label": 0.03},
        {"miss": 0.25, "edge": 0.35, "label": 0.2})

VALUES = {
    "ko": {"PER": ["김민준", "이서연", "박지훈", "최유나"], "LOC": ["서울", "부산", "제주", "대구"],
           "ORG": ["삼성전자", "카카오", "현대자동차", "국립중앙박물관"],
           "DATE": ["3월 5일", "월요일", "2024년 5월", "지난주"]},
    "en": {"PER": ["Kim Min-jun", "Sarah Lee", "James Park", "Ana Silva"],
           "LOC": ["Seoul", "London", "New York", "Busan"],
           "ORG": ["Korean Air", "Red Cross", "Naver", "the British Museum"],
           "DATE": ["Monday", "May 5", "last year", "2024"]},
}
FLAT = [
    ("ko", "[PER]은 [DATE]에 [LOC]에서 [ORG] 직원들을 만났다."),
    ("ko", "[ORG]는 [LOC]에 새 사무실을 열었다 🎉"),
    ("ko", "[DATE] [LOC] 축제에서 [PER] 씨가 노래했다."),
    ("en", "[PER] flew from [LOC] to [LOC] on [DATE]."),
    ("en", "On [DATE], [ORG] hired [PER] 👏"),
    ("en", "[PER] visited [ORG] in [LOC]."),
]
#: Nested: an organisation whose name holds a place ("{LOC}" inside "[ORG ...]").
NESTED_ORGS = {"ko": ["{LOC}대학교", "{LOC}시청", "{LOC}국제영화제"],
               "en": ["{LOC} National University", "{LOC} City Hall", "Bank of {LOC}"]}
NESTED = [
    ("ko", "[PER]은 [ORG]에서 일한다."),
    ("ko", "[ORG] 개막식에 [PER] 감독이 왔다."),
    ("en", "[PER] studied at [ORG] until [DATE]."),
    ("en", "The mayor of [LOC] spoke at [ORG]."),
]
SLOT = re.compile(r"\[([A-Z]+)\]")


def sentence(lang: str, template: str, rng: random.Random, *, nested: bool = False
             ) -> tuple[str, list[dict[str, Any]]]:
    """A sentence from a template and its true spans (code-point offsets)."""
    text, spans, at = "", [], 0
    for m in SLOT.finditer(template):
        text += template[at:m.start()]
        label = m.group(1)
        if nested and label == "ORG":
            name, place = rng.choice(NESTED_ORGS[lang]), rng.choice(VALUES[lang]["LOC"])
            before, after = name.split("{LOC}")
            start = len(text)
            spans.append({"start": start + len(before), "end": start + len(before) + len(place),
                          "label": "LOC"})
            text += before + place + after
            spans.append({"start": start, "end": len(text), "label": "ORG"})
        else:
            value = rng.choice(VALUES[lang][label])
            spans.append({"start": len(text), "end": len(text) + len(value), "label": label})
            text += value
        at = m.end()
    text += template[at:]
    return text, spans


def _edge(text: str, s: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A boundary mistake: the particle or punctuation taken in (to the end of the
    whitespace-separated word), or the last character left out."""
    end = s["end"]
    while end < len(text) and not text[end].isspace():
        end += 1
    if end == s["end"] or rng.random() < 0.4:
        end = s["end"] - 1 if s["end"] - s["start"] > 1 else s["end"]
    return {**s, "end": end}


def _noisy(text: str, truth: list[dict[str, Any]], labels: list[str], care: dict[str, float],
           rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for s in truth:
        if rng.random() < care["miss"]:
            continue
        if rng.random() < care["edge"]:
            s = _edge(text, s, rng)
        if rng.random() < care["label"]:
            s = {**s, "label": rng.choice([lb for lb in labels if lb != s["label"]])}
        out.append(s)
    return out


PROJECTS: list[dict[str, Any]] = [
    {"name": "Names and places (NER) / 개체명 태깅", "templates": FLAT, "nested": False,
     "overlap": 3, "review_policy": "manual", "reward": 8,
     "instructions": "Mark every person (PER), place (LOC), organisation (ORG) and date "
                     "(DATE). Leave Korean particles out: 서울에서 → 서울. "
                     "사람, 장소, 기관, 날짜를 표시하세요. 조사는 빼고 표시합니다.",
     "config": {"labels": ["PER", "LOC", "ORG", "DATE"],
                "colors": {"PER": "#e6194b", "LOC": "#3cb44b", "ORG": "#4363d8",
                           "DATE": "#f58231"}}},
    {"name": "Nested entities / 중첩 개체명", "templates": NESTED, "nested": True, "overlap": 2,
     "review_policy": "auto", "reward": 9,
     "instructions": "Mark organisations, and the place inside an organisation's name too "
                     "(서울대학교: ORG, and 서울 inside it: LOC).",
     "config": {"labels": ["ORG", "LOC", "PER", "DATE"], "nested": True,
                "boundary_tolerance": 1}},
]


def demo_spans(*, client: User, organization_id: int, workers: list[User], reviewer: User,
               rng: random.Random) -> list[Project]:
    """The span tagging projects, worked on, partly reviewed and aggregated."""
    kind = get_kind("span_tagging")
    made = []
    for spec in PROJECTS:
        project = project_create(
            user=client, organization_id=organization_id, name=spec["name"],
            kind="span_tagging", reward=spec["reward"], review_reward=2,
            overlap=spec["overlap"], review_policy=spec["review_policy"],
            auto_approve_hours=24, instructions=spec["instructions"], config=spec["config"])
        truth: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        items, gold = [], []
        for i in range(ITEMS + GOLD):
            lang, template = spec["templates"][i % len(spec["templates"])]
            text, spans = sentence(lang, template, rng, nested=spec["nested"])
            name = f"sentence-{i}"
            truth[name] = (text, spans)
            record = {"data": {"text": text}, "external_id": name}
            if i < GOLD:
                gold.append({**record, "gold": {"spans": spans}})
            else:
                items.append(record)
        items_import(user=client, project_id=project.pk, lines=parse_records(items))
        gold_import(user=client, project_id=project.pk, items=gold)
        gold_mix(client=client, project=project)
        project = project_launch(user=client, project_id=project.pk)

        def answer_for(a: Any, i: int, kind: Any = kind, truth: Any = truth,
                       project: Project = project) -> dict[str, Any]:
            text, spans = truth[a.item.external_id]
            answer = {"spans": _noisy(text, spans, project.config["labels"], CARE[i], rng)}
            try:
                kind.validate_answer(answer, project.config, {"text": text})
            except InvalidInput:  # a mistake that made spans overlap: the truth, less one
                answer = {"spans": spans[1:]}
            return answer

        crowd_answer(project=project, workers=workers, rounds=ITEMS, rng=rng, seconds=(6, 30),
                     answer_for=answer_for)
        if spec["review_policy"] == "manual":
            review_against(project=project, reviewer=reviewer,
                           truth={k: {"spans": v[1]} for k, v in truth.items()}, waiting=6,
                           comment="An entity is missing or its edges are off. "
                                   "개체가 빠졌거나 범위가 맞지 않습니다.")
        results_aggregate(project_id=project.pk)
        made.append(project)
    return made
