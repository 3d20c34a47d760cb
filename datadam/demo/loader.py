"""The demo: an account for each role, sample projects, work done and reviewed.

Everything goes through the same services the API uses, so the demo also exercises them.
Loading twice changes nothing (it stops if the demo operator already exists).
"""

from __future__ import annotations

import random

from django.db import transaction

from datadam.accounts.models import Membership, Role, User
from datadam.accounts.services import reviewer_grant, user_register
from datadam.projects.importing import items_import, parse_records
from datadam.projects.services import project_create, project_launch
from datadam.quality.hooks import Restricted
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.rewards.services import account_topup, payout_request
from datadam.skills.services import skills_compute
from datadam.work.services import assignment_claim, assignment_submit

from .annotation import demo_annotation
from .assist import demo_assist
from .audio import demo_audio
from .collection import demo_collection
from .hub import demo_hub
from .media import SHAPES, save_shape
from .morphemes import demo_morphemes
from .quality import demo_gold, demo_rule_hit
from .results import demo_results
from .skills import demo_skills
from .spans import demo_spans
from .text_writing import demo_text_writing
from .timings import demo_timings
from .video import demo_video

PASSWORD = "datadam-demo"
ACCOUNTS = [
    ("operator@datadam.test", "operator"),
    ("client@datadam.test", "client (owner of Demo Lab)"),
    ("reviewer@datadam.test", "reviewer (a worker with the reviewer role)"),
    ("worker@datadam.test", "worker"),
    ("worker2@datadam.test", "worker"),
    ("worker3@datadam.test", "worker"),
]

TEXTS = [
    ("This phone is wonderful, the battery lasts two days.", "positive"),
    ("배송이 너무 늦고 포장도 엉망이었어요.", "negative"),
    ("The package arrived on Tuesday.", "neutral"),
    ("정말 만족스러운 구매였습니다. 강력 추천해요!", "positive"),
    ("Terrible support, nobody answered my e-mails.", "negative"),
    ("가격은 보통이고 품질도 무난합니다.", "neutral"),
    ("I love the new design, it feels premium.", "positive"),
    ("화면이 자꾸 꺼져서 환불 요청했습니다.", "negative"),
    ("The manual is twelve pages long.", "neutral"),
    ("Great value for the price, would buy again.", "positive"),
    ("앱이 자주 멈춰서 불편해요.", "negative"),
    ("오늘 주문한 상품이 내일 도착 예정입니다.", "neutral"),
]


def _print_accounts() -> None:
    print(f"Demo accounts (password for all: {PASSWORD}):")
    for email, role in ACCOUNTS:
        print(f"  {email:26} {role}")


@transaction.atomic
def demo_load(*, verbose: bool = True) -> None:
    if User.objects.filter(email="operator@datadam.test").exists():
        if verbose:
            _print_accounts()
        return
    rng = random.Random(7)
    operator = User.objects.create_superuser("operator@datadam.test", PASSWORD)
    client = user_register(
        email="client@datadam.test",
        password=PASSWORD,
        role=Role.CLIENT,
        display_name="Demo Lab",
        organization_name="Demo Lab",
    )
    org = Membership.objects.get(user=client).organization
    reviewer = user_register(
        email="reviewer@datadam.test", password=PASSWORD, display_name="Rita Reviewer"
    )
    reviewer = reviewer_grant(operator=operator, user_id=reviewer.pk, granted=True)
    workers = [
        user_register(email=email, password=PASSWORD, display_name=name)
        for email, name in [
            ("worker@datadam.test", "Wendy"),
            ("worker2@datadam.test", "민준"),
            ("worker3@datadam.test", "Sam"),
        ]
    ]
    account_topup(
        operator=operator, organization=org, amount=1_000_000, reference="demo-initial-credit"
    )

    shapes = project_create(
        user=client,
        organization_id=org.pk,
        name="Shapes: which shape is this?",
        kind="image_classification",
        reward=10,
        review_reward=2,
        overlap=3,
        instructions="Look at the picture and pick the shape you see.",
        config={"labels": list(SHAPES)},
    )
    shape_items = []
    for i in range(30):
        shape = SHAPES[i % 3]
        shape_items.append(
            {"data": {"image": save_shape(shape, i)}, "external_id": f"shape-{i}", "_truth": shape}
        )
    items_import(
        user=client,
        project_id=shapes.pk,
        lines=parse_records([{k: v for k, v in it.items() if k != "_truth"} for it in shape_items]),
    )
    project_launch(user=client, project_id=shapes.pk)
    demo_gold(client=client, shapes=shapes)

    sentiment = project_create(
        user=client,
        organization_id=org.pk,
        name="리뷰 감정 분류 / Review sentiment",
        kind="text_classification",
        reward=8,
        review_reward=1,
        overlap=2,
        review_policy="auto",
        auto_approve_hours=24,
        instructions="Read the review and choose its sentiment. 리뷰를 읽고 감정을 고르세요.",
        config={"labels": ["positive", "neutral", "negative"]},
    )
    items_import(
        user=client,
        project_id=sentiment.pk,
        lines=parse_records(
            [{"data": {"text": t}, "external_id": f"review-{i}"} for i, (t, _) in enumerate(TEXTS)]
        ),
    )
    project_launch(user=client, project_id=sentiment.pk)

    topics = project_create(
        user=client,
        organization_id=org.pk,
        name="News topics (multi-label)",
        kind="text_classification",
        reward=12,
        overlap=1,
        instructions="Tick every topic the headline is about.",
        config={
            "labels": ["politics", "economy", "tech", "sports", "culture"],
            "multi_label": True,
        },
    )
    items_import(
        user=client,
        project_id=topics.pk,
        lines=parse_records(
            [
                {"text": "Chipmaker shares jump after record AI server orders"},
                {"text": "National team wins the final in extra time"},
                {"text": "Parliament passes the new data protection bill"},
                {"text": "Film festival opens with a Korean sci-fi premiere"},
            ]
        ),
    )

    truth = {}
    for it in shape_items:
        truth[it["data"]["image"]] = it["_truth"]
    # Workers answer: the first is careful, the third careless.
    accuracy = {workers[0].pk: 0.95, workers[1].pk: 0.85, workers[2].pk: 0.5}
    for _ in range(12):
        for worker in workers:
            try:
                a = assignment_claim(worker=worker, project_id=shapes.pk)
            except Restricted:  # paused by the gold policy
                continue
            if a is None:
                continue
            right = a.item.gold["label"] if a.item.gold else truth[a.item.data["image"]]
            label = right if rng.random() < accuracy[worker.pk] else rng.choice(SHAPES)
            assignment_submit(
                worker=worker,
                assignment_id=a.pk,
                answer={"label": label},
                client_duration_ms=rng.randint(1500, 9000),
            )
    for _ in range(6):
        for worker in workers[:2]:
            a = assignment_claim(worker=worker, project_id=sentiment.pk)
            if a is None:
                continue
            text = a.item.data["text"]
            right = dict(TEXTS)[text]
            assignment_submit(worker=worker, assignment_id=a.pk, answer={"label": right})

    # The reviewer goes through part of the shapes queue: approve right answers, reject
    # wrong ones, return one for revision.
    from datadam.work.models import Assignment, AssignmentStatus

    pending = Assignment.objects.filter(project=shapes, status=AssignmentStatus.SUBMITTED)
    returned = False
    for a in pending.select_related("item").order_by("pk")[:24]:
        sub = a.submissions.order_by("-revision").first()
        ok = sub.answer["label"] == truth[a.item.data["image"]]
        if ok:
            review_decide(reviewer=reviewer, submission_id=sub.pk, decision=Decision.APPROVE)
        elif not returned:
            review_decide(
                reviewer=reviewer,
                submission_id=sub.pk,
                decision=Decision.RETURN,
                reason_code="wrong_answer",
                comment="Look again: count the corners.",
            )
            returned = True
        else:
            review_decide(
                reviewer=reviewer,
                submission_id=sub.pk,
                decision=Decision.REJECT,
                reason_code="careless",
                comment="The shape is clearly different.",
            )
    demo_rule_hit(client=client, project=sentiment, worker=workers[2])
    payout_request(worker=workers[0], amount=20)
    dynamic = demo_results(client=client, workers=[*workers, reviewer], shapes=shapes,
                           sentiment=sentiment, rng=rng)
    demo_qualifications(operator=operator, client=client, shapes=shapes, workers=workers)
    extra = demo_skills(client=client, reviewer=reviewer, workers=workers, shapes=shapes,
                        sentiment=sentiment, truth=truth, sentiment_truth=dict(TEXTS))
    # One demo per family of task kinds, each with its own generated data and known answers.
    kinds_demo = [
        p
        for demo in (demo_annotation, demo_spans, demo_morphemes, demo_text_writing, demo_audio,
                     demo_video, demo_collection, demo_assist)
        for p in demo(client=client, organization_id=org.pk, workers=workers,
                      reviewer=reviewer, rng=rng)
    ]
    hub = demo_hub(client=client, reviewer=reviewer, workers=workers, shapes=shapes,
                   sentiment=sentiment, truth=truth)
    # Answers were sent the moment they were taken; give them a person's working times, and
    # measure the skills' speed again from those.
    demo_timings(rng=rng)
    skills_compute()
    if verbose:
        _print_accounts()
        print(f"Projects: {shapes.name!r}, {sentiment.name!r}, {dynamic.name!r}, "
              f"{topics.name!r} (draft), {extra['triage'].name!r} (invitation only)")
        print("Task kinds: " + ", ".join(repr(p.name) for p in kinds_demo))
        print("Skills: /skills/ (workers), /talent/projects/"
              f"{extra['triage'].pk}/ (client: find workers), /review-checks/ (operator)")
        print(hub.line())


def demo_qualifications(*, operator: User, client: User, shapes, workers: list[User]) -> None:
    """A "Shape spotting" exam the Shapes project requires (passed by the workers who did its
    work, so the demo stays consistent), and a "Medical doctor" qualification granted by a
    document check, with one document waiting for the operator."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from datadam.qualifications import services as quals

    spotting = quals.qualification_create(
        user=client, organization_id=shapes.organization_id, name="Shape spotting",
        description="Tells circles, squares and triangles apart at a glance.",
    )
    exam = quals.exam_create(
        user=client, qualification_id=spotting.pk, title="Shape spotting exam",
        kind="image_classification", config={"labels": list(SHAPES)}, pass_mark=0.75,
        max_attempts=3, cooldown_hours=12, instructions="Pick the shape you see.",
    )
    answers = ["circle", "square", "triangle", "square"]
    for i, shape in enumerate(answers):
        quals.question_add(
            user=client, exam_id=exam.pk, data={"image": save_shape(shape, 1000 + i)},
            answer={"label": shape},
            explanation={"circle": "No corners at all: a circle.",
                         "square": "Four equal sides and four corners: a square.",
                         "triangle": "Three corners: a triangle."}[shape],
        )
    for worker in workers:
        attempt = quals.attempt_start(worker=worker, exam_id=exam.pk)
        for qid in attempt.question_ids:
            quals.attempt_answer(worker=worker, attempt_id=attempt.pk, question_id=qid,
                                 answer={"label": answers[attempt.question_ids.index(qid)]})
    quals.requirements_set(user=client, project_id=shapes.pk, qualifications=[
        {"qualification": spotting.pk, "min_level": 1},
    ])

    doctor = quals.qualification_create(
        user=operator, organization_id=None, name="Medical doctor", granting="credential",
        description="A licensed physician, for medical labeling projects.",
        document_hint="A photo or scan of your medical licence (PDF, PNG or JPG).",
    )
    img = Image.new("RGB", (480, 300), (250, 250, 245))
    draw = ImageDraw.Draw(img)
    draw.rectangle((10, 10, 470, 290), outline=(20, 60, 140), width=4)
    draw.text((40, 40), "MEDICAL LICENCE (demo)", fill=(20, 60, 140))
    draw.text((40, 90), "Name: Minjun  No. 000-DEMO", fill=(0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    quals.credential_submit(
        worker=workers[1], qualification_id=doctor.pk,
        file=SimpleUploadedFile("licence.png", buf.getvalue()),
        note="Licensed in Seoul since 2015.",
    )
