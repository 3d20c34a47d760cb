"""Fixtures of the qualification tests: an organization's qualification with a shape exam."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datadam.qualifications import services
from datadam.qualifications.models import Exam, ExamAttempt, Qualification

SHAPES = ["circle", "square", "triangle"]
ANSWERS = ["circle", "square", "triangle", "circle"]


@pytest.fixture
def qualification(client_org) -> Qualification:
    user, org = client_org
    return services.qualification_create(
        user=user, organization_id=org.pk, name="Shape spotting", description="Tell shapes apart."
    )


@pytest.fixture
def make_exam(client_org, qualification) -> Callable[..., Exam]:
    """An image classification exam of four questions (answers in ANSWERS)."""

    def make(**fields: Any) -> Exam:
        user, _org = client_org
        fields.setdefault("pass_mark", 0.75)
        fields.setdefault("max_attempts", 2)
        fields.setdefault("cooldown_hours", 24)
        exam = services.exam_create(
            user=user, qualification_id=fields.pop("qualification_id", qualification.pk),
            title=fields.pop("title", "Shapes exam"), kind="image_classification",
            config={"labels": SHAPES}, **fields,
        )
        for i, shape in enumerate(ANSWERS):
            services.question_add(
                user=user, exam_id=exam.pk, data={"image": f"/media/exam/{shape}-{i}.png"},
                answer={"label": shape}, explanation=f"Look at the corners: it is a {shape}.",
            )
        return exam

    return make


@pytest.fixture
def exam(make_exam) -> Exam:
    return make_exam()


def wrong(label: str) -> str:
    return next(s for s in SHAPES if s != label)


@pytest.fixture
def take_exam() -> Callable[..., ExamAttempt]:
    """Run a whole attempt answering the first ``right`` questions correctly."""

    def take(worker: Any, exam: Exam, right: int, mode: str = "exam") -> ExamAttempt:
        attempt = services.attempt_start(worker=worker, exam_id=exam.pk, mode=mode)
        questions = {q.pk: q for q in exam.questions.all()}
        for n, qid in enumerate(attempt.question_ids):
            label = questions[qid].answer["label"]
            services.attempt_answer(
                worker=worker, attempt_id=attempt.pk, question_id=qid,
                answer={"label": label if n < right else wrong(label)},
            )
        attempt.refresh_from_db()
        return attempt

    return take
