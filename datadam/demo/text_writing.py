"""Demo projects of the writing kinds: QA pairs, summaries, translations, dialogues, sentences.

The sources are generated from facts about made-up towns, so each item's true answer is
known: the careful worker writes it, the good one now and then mistypes a character, and the
sloppy one pastes, copies the passage, drops a pair or mistypes often (the copy check lets
those through with a warning for the reviewer). One gold item per project, some reviews and
an aggregation run, so results (the medoid), agreement, warnings and exports show at once.
"""

from __future__ import annotations

import random
from typing import Any

from datadam.accounts.models import User
from datadam.datasets.aggregation import results_aggregate
from datadam.kinds import get_kind
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_create, project_launch
from datadam.quality.services import gold_import

from .crowd import crowd_answer, gold_mix, review_against

ITEMS = 6
TOWNS = [("솔빛", "Solbit"), ("하늘내", "Haneulnae"), ("가람", "Garam"), ("누리", "Nuri"),
         ("다솜", "Dasom"), ("미르", "Mireu"), ("별가람", "Byeolgaram")]
REGIONS = [("남쪽 바닷가", "south coast"), ("동쪽 산골", "eastern mountains"),
           ("서쪽 평야", "western plains")]
FOODS = [("메밀국수", "buckwheat noodles"), ("감귤", "tangerines"), ("순두부", "soft tofu"),
         ("전복죽", "abalone porridge")]
TYPO = "가나다라마바사아자차카타파하"


def _josa(word: str, after_consonant: str, after_vowel: str) -> str:
    """The word with the particle its last syllable takes (은/는, 이/가, 을/를)."""
    last = ord(word[-1]) - 0xAC00
    return word + (after_consonant if 0 <= last < 11172 and last % 28 else after_vowel)


def _facts(i: int) -> dict[str, Any]:
    (town, town_en), (region, region_en) = TOWNS[i % len(TOWNS)], REGIONS[i % len(REGIONS)]
    food, food_en = FOODS[i % len(FOODS)]
    people = 3 + 2 * i
    return {"town_is": _josa(town, "은", "는"), "food_is": _josa(food, "이", "가"),
            "food_obj": _josa(food, "을", "를"), "town": town, "town_en": town_en,
            "region": region, "region_en": region_en, "food": food, "food_en": food_en,
            "people": people}


def _passage(f: dict[str, Any]) -> str:
    return (f"{f['town_is']} {f['region']}에 있는 작은 도시이다. 인구는 약 {f['people']}만 명이다. "
            f"이 도시는 {f['food']}로 널리 알려져 있어서 주말마다 손님이 많이 찾아온다.")


def _item_and_truth(mode: str, i: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """An item's data and its true answer."""
    f = _facts(i)
    if mode == "qa_pairs":
        return {"source": _passage(f), "source_language": "ko"}, {"pairs": [
            {"question": f"{f['town_is']} 어디에 있나요?", "answer": f["region"]},
            {"question": f"{f['town']}의 인구는 얼마인가요?", "answer": f"약 {f['people']}만 명"},
            {"question": f"{f['town_is']} 무엇으로 유명한가요?", "answer": f["food"]}]}
    if mode == "summary":
        return {"source": _passage(f), "source_language": "ko"}, {
            "text": f"{f['region']}의 작은 도시 {f['town_is']} {f['food_is']} 유명해 "
                    "주말에 손님이 많다."}
    if mode == "translation":
        return ({"source": f"{f['town_is']} {f['region']}에 있고, {f['food']}로 유명하다.",
                 "source_language": "ko"},
                {"text": f"{f['town_en']} lies on the {f['region_en']} and is famous for its "
                         f"{f['food_en']}."})
    if mode == "dialogue":
        return ({"source": f"손님이 {f['town']} 시장에서 {f['food_obj']} 포장할 수 있는지 "
                           "점원에게 묻는다.",
                 "source_language": "ko"},
                {"turns": [{"speaker": "손님", "text": f"{f['food']} 포장되나요?"},
                           {"speaker": "점원", "text": "네, 포장해 드릴게요. 몇 인분 드릴까요?"},
                           {"speaker": "손님", "text": "두 사람이 먹을 만큼 주세요."}]})
    return ({"source": f"{f['town']}에 여행 가서 한 일을 세 문장으로 쓰세요.",
             "source_language": "ko"},
            {"sentences": [f"{f['town']}에 가서 {f['food_obj']} 먹었다.",
                           f"{f['region']}의 경치가 정말 아름다웠다.",
                           "다음에는 가족과 함께 다시 가고 싶다."]})


def _typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    return text[:i] + rng.choice(TYPO) + text[i + 1:]


def _map_texts(answer: dict[str, Any], fn: Any) -> dict[str, Any]:
    if "text" in answer:
        return {"text": fn(answer["text"])}
    if "pairs" in answer:
        return {"pairs": [{"question": fn(p["question"]), "answer": p["answer"]}
                          for p in answer["pairs"]]}
    if "turns" in answer:
        return {"turns": [{"speaker": t["speaker"], "text": fn(t["text"])}
                          for t in answer["turns"]]}
    return {"sentences": [fn(s) for s in answer["sentences"]]}


def _written(mode: str, care: int, item: dict[str, Any], truth: dict[str, Any],
             rng: random.Random) -> dict[str, Any]:
    """A worker's answer: careful (0) writes the truth, good (1) mistypes now and then,
    sloppy (2) pastes, copies the passage and mistypes often."""
    if care == 0:
        answer = dict(truth)
    elif care == 1:
        answer = _map_texts(truth, lambda t: _typo(t, rng) if rng.random() < 0.3 else t)
    else:
        answer = _map_texts(truth, lambda t: _typo(_typo(t, rng), rng))
        if mode == "summary":  # the passage's first sentence, copied
            answer = {"text": item["source"].split(". ")[0] + "."}
        elif mode == "qa_pairs":
            answer = {"pairs": answer["pairs"][:2]}
    meta = {"pastes": [0, 0, rng.randint(1, 3)][care],
            "typed_ms": [rng.randint(40_000, 90_000), rng.randint(25_000, 60_000),
                         rng.randint(2_000, 8_000)][care]}
    return {**answer, "meta": meta}


PROJECTS: list[dict[str, Any]] = [
    {"kind": "writing_qa", "name": "Questions on a passage / 지문 읽고 질문 쓰기", "reward": 20,
     "review_policy": "manual", "config": {"min_count": 2, "max_count": 4,
                                           "target_languages": ["ko"]},
     "instructions": "Write two to four questions the passage answers, each with its answer. "
                     "지문으로 답할 수 있는 질문과 답을 2~4개 쓰세요."},
    {"kind": "writing_summary", "name": "Summarise in one sentence / 한 문장 요약", "reward": 15,
     "review_policy": "auto", "config": {"min_chars": 15, "max_chars": 120,
                                         "target_languages": ["ko"]},
     "instructions": "Sum the passage up in one sentence of your own words."},
    {"kind": "writing_translation", "name": "Translate into English / 영어로 번역",
     "reward": 15, "review_policy": "auto", "config": {"target_languages": ["en"]},
     "instructions": "Translate the Korean sentence into natural English."},
    {"kind": "writing_dialogue", "name": "Write a short dialogue / 짧은 대화 쓰기", "reward": 18,
     "review_policy": "auto", "config": {"speakers": ["손님", "점원"], "min_count": 3,
                                         "max_count": 6, "target_languages": ["ko"]},
     "instructions": "Write the conversation the situation describes, three to six turns."},
    {"kind": "writing_sentences", "name": "Three sentences on a prompt / 주제로 세 문장",
     "reward": 12, "review_policy": "auto", "config": {"min_count": 3, "max_count": 3,
                                                       "target_languages": ["ko"]},
     "instructions": "Write three sentences on the prompt."},
]


def demo_text_writing(*, client: User, organization_id: int, workers: list[User],
                      reviewer: User, rng: random.Random) -> list[Project]:
    """The five writing projects, worked on by the demo crowd, partly reviewed, aggregated."""
    made = []
    for spec in PROJECTS:
        kind = get_kind(spec["kind"])
        project = project_create(
            user=client, organization_id=organization_id, name=spec["name"], kind=kind.slug,
            reward=spec["reward"], review_reward=2, overlap=3,
            review_policy=spec["review_policy"], auto_approve_hours=24,
            instructions=spec["instructions"], config=spec["config"])
        truth: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        records = []
        for i in range(ITEMS):
            data, answer = _item_and_truth(kind.mode, i)
            truth[f"{kind.mode}-{i}"] = (data, answer)
            records.append({"data": data, "external_id": f"{kind.mode}-{i}"})
        items_import(user=client, project_id=project.pk, lines=parse_records(records))
        gold_data, gold_answer = _item_and_truth(kind.mode, ITEMS)
        truth[f"{kind.mode}-gold"] = (gold_data, gold_answer)
        gold_import(user=client, project_id=project.pk, items=[
            {"data": gold_data, "external_id": f"{kind.mode}-gold", "gold": gold_answer}])
        gold_mix(client=client, project=project, rate=15)
        project_launch(user=client, project_id=project.pk)
        crowd_answer(project=project, workers=workers, rounds=ITEMS + 1, rng=rng,
                     seconds=(20, 120), answer_for=lambda a, i, kind=kind, truth=truth: _written(
                         kind.mode, i, *truth[a.item.external_id], rng))
        if spec["review_policy"] == "manual":
            review_against(project=project, reviewer=reviewer,
                           truth={k: v[1] for k, v in truth.items()}, waiting=4,
                           comment="Write every pair the passage answers, without typos.")
        results_aggregate(project_id=project.pk)
        made.append(project)
    return made
