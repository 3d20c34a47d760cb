"""Demo collection projects: photos taken for a prompt, voices reading a sentence aloud, and
sentences typed by native speakers, each with its automatic checks, near-duplicates caught,
consent signed (and one withdrawn) and reviews.

The demo workers' "photos" are drawn here (a face-like figure on a backdrop, each worker their
own person and room) and their "voices" are generated murmur (``sounds.speech_like``): no
photo or recording ships with datadam. One worker sends a re-encoded copy of another's photo
and of another's recording (caught as near-duplicates, shown to the reviewer side by side);
one sends a dark photo and a clipped recording (warnings); one withdraws their consent after
the review, so the client's consent page lists their captures and exports leave them out.
"""

from __future__ import annotations

import io
import random
from typing import Any

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from datadam.accounts.models import User, WorkerProfile
from datadam.collection.services import capture_upload
from datadam.consent.services import consent_form_save, consent_sign, consent_withdraw
from datadam.datasets.aggregation import results_aggregate
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_create, project_launch
from datadam.qualifications.services import requirements_set
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.work.models import Assignment, AssignmentStatus
from datadam.work.services import assignment_claim, assignment_submit

from . import sounds
from .crowd import SPARE_ITEMS

PHOTO_PROMPTS = [
    "Take a photo of your face from the front, in daylight, without glasses.",
    "Take a photo of your face turned a little to the left.",
    "Take a photo of your face turned a little to the right.",
    "Take a photo of your face from the front, smiling.",
    "Take a photo of your face from the front, in the evening light of your room.",
]
VOICE_SCRIPTS = ["오늘 날씨가 정말 좋네요.", "내일 아침 일곱 시에 만나요.",
                 "이 버스는 시청으로 갑니다.", "커피 한 잔 주세요.", "창문 좀 열어 주시겠어요?"]
CONSENT_BODY = (
    "I agree that datadam and the client of this project may store the photos of my face I "
    "take for it and use them to train and test face recognition models. I may withdraw this "
    "consent at any time on my consents page; my photos then leave every later copy of the "
    "dataset.")


def _photo(person: int, take: int, *, dark: bool = False) -> bytes:
    """A drawn "photo" of person ``person``: their face on their backdrop (1280×960 JPEG
    with camera EXIF), turned a little by ``take``."""
    rng = random.Random(person * 100 + take)
    backdrop = [(70, 110, 160), (150, 120, 90), (90, 140, 100), (160, 90, 120)][person % 4]
    skin = [(224, 188, 160), (198, 150, 112), (140, 98, 70), (238, 206, 180)][person % 4]
    image = Image.new("RGB", (1280, 960), backdrop)
    draw = ImageDraw.Draw(image)
    for _ in range(14):  # a room behind: shelves, frames, a window
        x, y = rng.randrange(0, 1180), rng.randrange(0, 860)
        shade = tuple(max(0, min(255, c + rng.randrange(-60, 60))) for c in backdrop)
        draw.rectangle([x, y, x + rng.randrange(40, 200), y + rng.randrange(30, 160)],
                       fill=shade, outline=(30, 30, 30), width=3)
    cx = 640 + (take - 2) * 40
    draw.ellipse([cx - 190, 150, cx + 190, 650], fill=(40, 30, 25))  # hair
    draw.ellipse([cx - 160, 220, cx + 160, 660], fill=skin)
    for side in (-1, 1):
        ex = cx + side * 65 + (take - 2) * 6
        draw.ellipse([ex - 34, 370, ex + 34, 410], fill=(250, 250, 250))
        draw.ellipse([ex - 14, 376, ex + 14, 404], fill=(50, 35, 25))
        draw.line([ex - 40, 345, ex + 40, 338], fill=(50, 35, 25), width=9)
    draw.polygon([(cx, 420), (cx - 22, 510), (cx + 22, 510)],
                 fill=tuple(int(c * 0.85) for c in skin))
    draw.arc([cx - 70, 520, cx + 70, 590], 10, 170, fill=(150, 50, 50), width=8)
    draw.rectangle([cx - 220, 660, cx + 220, 960], fill=(60 + 40 * person, 60, 90))
    if dark:
        image = image.point(lambda v: v // 7)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "DemoPhone", f"Model {person + 1}"
    exif.get_ifd(0x8769)[0x9003] = f"2026:12:0{1 + take % 5} 10:{10 + person}:00"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def _recopied(data: bytes) -> bytes:
    """The same photo re-saved smaller and cropped a little: a near-duplicate."""
    image = Image.open(io.BytesIO(data))
    w, h = image.size
    image = image.crop((int(w * 0.03), int(h * 0.03), w, h)).resize((w * 3 // 4, h * 3 // 4))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _voice(seed: int, *, clipped: bool = False, gain: float = 1.0) -> bytes:
    """Three seconds of generated murmur after a short pause (16 kHz WAV); ``gain`` makes a
    quieter copy of the same take (a near-duplicate)."""
    rng = np.random.default_rng(seed)
    n = int(3.0 * sounds.RATE)
    x = 0.02 * rng.standard_normal(n) * 0.05
    start = int(0.4 * sounds.RATE)
    x[start:start + int(2.3 * sounds.RATE)] += sounds.speech_like(int(2.3 * sounds.RATE), rng)
    x = x / max(1e-6, float(np.max(np.abs(x)))) * (0.6 if not clipped else 4.0) * gain
    return sounds.wav_bytes(np.clip(x, -1.0, 1.0).astype(np.float32))


def _profiles(workers: list[User]) -> None:
    """Native Korean speakers of age, as the voice project asks."""
    for i, worker in enumerate(workers):
        WorkerProfile.objects.update_or_create(
            user=worker, defaults={"native_language": "ko", "birth_year": 1990 + i})


def _project(client: User, organization_id: int, *, name: str, kind: str, config: dict,
             instructions: str, prompts: list[dict[str, Any]], overlap: int) -> Project:
    project = project_create(user=client, organization_id=organization_id, name=name,
                             kind=kind, reward=8, review_reward=2, overlap=overlap,
                             review_policy="manual", auto_approve_hours=48,
                             instructions=instructions, config=config)
    records = [{"external_id": f"{kind}-{i}", "data": data} for i, data in enumerate(prompts)]
    items_import(user=client, project_id=project.pk, lines=parse_records(records))
    return project


def _capture(worker: User, project: Project, data: bytes, name: str, tags: dict[str, str]
             ) -> Assignment | None:
    assignment = assignment_claim(worker=worker, project_id=project.pk)
    if assignment is None:
        return None
    capture = capture_upload(worker=worker, assignment_id=assignment.pk,
                             upload=SimpleUploadedFile(name, data), source="camera")
    assignment_submit(worker=worker, assignment_id=assignment.pk,
                      answer={"capture": capture.pk, "tags": tags},
                      client_duration_ms=20_000 + 1000 * capture.pk % 15_000)
    return assignment


def _review(project: Project, reviewer: User, *, waiting: int) -> None:
    """Approve what passed its checks, return what did not (with the checks' words), leave
    the last ``waiting`` for the reviewer to try."""
    pending = list(Assignment.objects.filter(project=project, status=AssignmentStatus.SUBMITTED)
                   .order_by("pk"))
    for a in pending[:-waiting] if waiting else pending:
        sub = a.submissions.order_by("-revision").first()
        answer = sub.answer
        checks = answer.get("checks", [])
        if answer.get("duplicates") or any(c.get("check") == "duplicate" for c in checks):
            continue  # left for the reviewer, who sees the two side by side
        if any("passed" not in c for c in checks):
            continue  # a writing answer's flags (pasted, typing): the reviewer decides
        failed = [c["message"] for c in checks if not c["passed"]]
        if failed:
            review_decide(reviewer=reviewer, submission_id=sub.pk, decision=Decision.RETURN,
                          reason_code="incomplete", comment=" ".join(failed))
        else:
            review_decide(reviewer=reviewer, submission_id=sub.pk, decision=Decision.APPROVE)


def demo_photos(*, client: User, organization_id: int, workers: list[User], reviewer: User
                ) -> Project:
    project = _project(
        client, organization_id, name="Faces for recognition (photo collection)",
        kind="photo_capture", overlap=3,
        instructions="Take each photo with your phone's front camera, your face filling a "
                     "third of the picture, in good light. Sign the consent form first.",
        config={"facing": "user", "min_width": 800, "min_height": 600,
                "tags": ["glasses: none, glasses", "light: daylight, lamp"],
                "blocking": ["resolution"], "options": ["blur_faces"],
                "per_worker": 5},
        prompts=[{"prompt": p} for p in PHOTO_PROMPTS])
    consent_form_save(user=client, project_id=project.pk,
                      title="Consent to use photos of my face", body=CONSENT_BODY,
                      subject="worker")
    project_launch(user=client, project_id=project.pk)
    consents = {w.pk: consent_sign(worker=w, project_id=project.pk,
                                   subject_name=w.display_name or w.email,
                                   signature=w.display_name or w.email, agree=True)
                for w in workers[:3]}
    sent: dict[tuple[int, int], bytes] = {}
    for take in range(len(PHOTO_PROMPTS)):
        for index, worker in enumerate(workers[:3]):
            if index == 0 and take >= len(PHOTO_PROMPTS) - SPARE_ITEMS:
                continue  # left for worker@ to try
            data = _photo(index, take, dark=index == 2 and take == 1)
            if index == 1 and take == 2:
                data = _recopied(sent[(0, 2)])  # another worker's photo, re-saved
            sent[(index, take)] = data
            _capture(worker, project, data, f"photo-{index}-{take}.jpg",
                     {"glasses": "none", "light": "daylight" if take % 2 else "lamp"})
    _review(project, reviewer, waiting=3)
    consent_withdraw(user=workers[2], consent_id=consents[workers[2].pk].pk,
                     reason="I no longer want my face in a dataset.")
    results_aggregate(project_id=project.pk)
    return project


def demo_voices(*, client: User, organization_id: int, workers: list[User], reviewer: User
                ) -> Project:
    project = _project(
        client, organization_id, name="Korean voices reading aloud (recording)",
        kind="audio_recording", overlap=3,
        instructions="Read the sentence aloud once, clearly, in a quiet room, about an arm's "
                     "length from the phone.",
        config={"min_seconds": 1.5, "max_seconds": 10, "language": "ko",
                "tags": ["place: home, office, outside"],
                "blocking": ["duration", "silence"]},
        prompts=[{"prompt": "Read the sentence aloud.", "text": t} for t in VOICE_SCRIPTS])
    requirements_set(user=client, project_id=project.pk, languages=["ko"], age_min=18)
    project_launch(user=client, project_id=project.pk)
    for take in range(len(VOICE_SCRIPTS)):
        for index, worker in enumerate(workers[:3]):
            if index == 0 and take >= len(VOICE_SCRIPTS) - SPARE_ITEMS:
                continue
            data = _voice(1000 * index + take, clipped=index == 2 and take == 0)
            if index == 1 and take == 2:
                data = _voice(take, gain=0.7)  # the first worker's take, played back quieter
            _capture(worker, project, data, f"voice-{index}-{take}.wav", {"place": "home"})
    _review(project, reviewer, waiting=3)
    results_aggregate(project_id=project.pk)
    return project


SENTENCE_PROMPTS = [
    "주말에 가족과 함께 한 일을 이야기해 주세요.",
    "요즘 즐겨 먹는 음식을 소개해 주세요.",
    "출근길이나 등굣길에 있었던 일을 써 주세요.",
    "가장 좋아하는 계절과 그 이유를 써 주세요.",
    "최근에 본 영화나 드라마를 소개해 주세요.",
]
#: What each demo worker writes, by prompt: their own sentences, one with a stranger's phone
#: number left in (masked in exports); the third worker also pastes the first one's answer
#: (a near-duplicate, flagged as pasted).
SENTENCES = [
    [["토요일에는 부모님과 함께 한강 공원에서 자전거를 탔어요.",
      "저녁에는 떡볶이를 만들어 먹었어요."],
     ["요즘은 아침마다 귀리죽에 바나나를 넣어 먹고 있습니다.",
      "든든해서 점심까지 배가 고프지 않아요."],
     ["지하철에서 우산을 두고 내려서 분실물 센터에 전화했어요.",
      "친절한 직원분이 010-4821-7730으로 연락을 주셨어요."],
     ["저는 가을을 제일 좋아해요.", "하늘이 높고 바람이 선선해서 산책하기 좋거든요."],
     ["어제 본 영화는 바닷가 마을의 작은 식당 이야기였어요.", "마지막 장면에서 눈물이 났어요."]],
    [["일요일 아침에 할머니 댁에 가서 김장을 도왔어요.", "손은 시렸지만 수육이 정말 맛있었어요."],
     ["회사 근처 국숫집의 비빔국수에 푹 빠졌어요.", "새콤달콤한 양념이 자꾸 생각나요."],
     ["버스 정류장에서 길 잃은 강아지를 만났어요.", "목줄에 적힌 번호로 주인을 찾아 주었어요."],
     ["눈이 오는 겨울이 가장 좋아요.", "따뜻한 방에서 귤을 까 먹는 시간이 행복해요."],
     ["요즘 보는 드라마는 병원을 배경으로 한 이야기예요.", "의사들의 우정이 잔잔하게 그려져요."]],
    [["주말에 동생과 보드게임 카페에 다녀왔어요.", "세 시간 내내 웃느라 배가 아팠어요."],
     ["요즘은 편의점 삼각김밥으로 아침을 해결해요.", "참치마요가 제일 무난하더라고요."],
     ["아침에 자전거 바퀴에 바람이 빠져서 걸어갔어요.",
      "덕분에 오랜만에 동네를 천천히 구경했어요."],
     ["봄에 피는 벚꽃을 보면 마음이 설레요.", "퇴근길에 꽃길을 걷는 게 소소한 즐거움이에요."],
     ["지난주에 본 애니메이션 영화가 기억에 남아요.", "그림이 수채화처럼 아름다웠어요."]],
]


def demo_sentences(*, client: User, organization_id: int, workers: list[User],
                   reviewer: User) -> Project:
    """Sentences typed by native Korean speakers: near-duplicates and pastes flagged for the
    reviewer, phone numbers and e-mail addresses masked in exports."""
    project = _project(
        client, organization_id, name="Everyday sentences by native speakers (writing)",
        kind="writing_sentences", overlap=3,
        instructions="Write two sentences of your own, as you would say them. Do not copy from "
                     "the internet or from other people.",
        config={"min_count": 2, "max_count": 3, "min_chars": 10, "max_chars": 120,
                "target_languages": ["ko"], "duplicates": "warn",
                "mask_personal_data": ["rrn", "phone", "email", "card", "account"]},
        prompts=[{"source": p, "source_language": "ko"} for p in SENTENCE_PROMPTS])
    requirements_set(user=client, project_id=project.pk, native_languages=["ko"])
    project_launch(user=client, project_id=project.pk)
    first: list[str] = []
    for take in range(len(SENTENCE_PROMPTS)):
        for index, worker in enumerate(workers[:3]):
            if index == 0 and take >= len(SENTENCE_PROMPTS) - SPARE_ITEMS:
                continue
            assignment = assignment_claim(worker=worker, project_id=project.pk)
            if assignment is None:
                continue
            pasted = index == 2 and take == 1  # the first worker's answer, pasted
            sentences = list(first if pasted else SENTENCES[index][take])
            first = first or sentences
            chars = sum(len(t) for t in sentences)
            meta = ({"pastes": 1, "pasted_chars": chars, "keys": 3, "typed_ms": 900} if pasted
                    else {"pastes": 0, "pasted_chars": 0, "keys": chars * 2,
                          "typed_ms": chars * 400})
            assignment_submit(worker=worker, assignment_id=assignment.pk,
                              answer={"sentences": sentences, "meta": meta},
                              client_duration_ms=meta["typed_ms"] + 15_000)
    _review(project, reviewer, waiting=3)
    results_aggregate(project_id=project.pk)
    return project


def demo_collection(*, client: User, organization_id: int, workers: list[User],
                    reviewer: User, rng: random.Random) -> list[Project]:
    """The photo, voice and sentence collection projects."""
    _profiles(workers)
    return [demo_photos(client=client, organization_id=organization_id, workers=workers,
                        reviewer=reviewer),
            demo_voices(client=client, organization_id=organization_id, workers=workers,
                        reviewer=reviewer),
            demo_sentences(client=client, organization_id=organization_id, workers=workers,
                           reviewer=reviewer)]
