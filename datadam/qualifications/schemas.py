"""Typed request and response bodies of the qualifications API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema


class QualificationIn(Schema):
    organization_id: int | None = None
    name: str
    description: str = ""
    granting: Literal["exam", "credential", "computed", "manual"] = "exam"
    document_hint: str = ""


class QualificationPatch(Schema):
    name: str | None = None
    description: str | None = None
    granting: Literal["exam", "credential", "computed", "manual"] | None = None
    document_hint: str | None = None


class QualificationOut(Schema):
    id: int
    organization_id: int | None
    name: str
    description: str
    granting: str
    document_hint: str
    created_at: datetime


class HoldingOut(Schema):
    qualification_id: int
    qualification_name: str
    worker_id: int
    level: int
    source: str
    granted_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool


class ExamIn(Schema):
    title: str
    kind: str
    config: dict[str, Any] = {}
    instructions: str = ""
    pass_mark: float = 0.8
    level: int = 1
    level_from_score: bool = False
    max_attempts: int = 3
    cooldown_hours: int = 24
    is_open: bool = True


class ExamPatch(Schema):
    title: str | None = None
    kind: str | None = None
    config: dict[str, Any] | None = None
    instructions: str | None = None
    pass_mark: float | None = None
    level: int | None = None
    level_from_score: bool | None = None
    max_attempts: int | None = None
    cooldown_hours: int | None = None
    is_open: bool | None = None


class ExamOut(Schema):
    id: int
    qualification_id: int
    title: str
    kind: str
    config: dict[str, Any]
    instructions: str
    pass_mark: float
    level: int
    level_from_score: bool
    max_attempts: int
    cooldown_hours: int
    is_open: bool


class QuestionIn(Schema):
    data: Any
    answer: Any
    explanation: str = ""


class QuestionPatch(Schema):
    data: Any = None
    answer: Any = None
    explanation: str | None = None


class QuestionOut(Schema):
    id: int
    exam_id: int
    position: int
    data: Any
    answer: Any
    explanation: str


class ExamDetailOut(ExamOut):
    questions: list[QuestionOut]


class WorkerExamOut(Schema):
    id: int
    qualification_id: int
    qualification_name: str
    title: str
    kind: str
    instructions: str
    questions: int
    pass_mark: float
    max_attempts: int
    attempts_left: int
    retry_at: datetime | None
    level_held: int | None


class StartIn(Schema):
    mode: Literal["exam", "training"] = "exam"


class QuestionShownOut(Schema):
    id: int
    number: int
    total: int
    data: Any


class AttemptOut(Schema):
    id: int
    exam_id: int
    mode: str
    kind: str
    config: dict[str, Any]
    instructions: str
    started_at: datetime
    finished_at: datetime | None
    answered: int
    correct: int
    score: float | None
    passed: bool | None
    level_granted: int | None
    question: QuestionShownOut | None


class AnswerIn(Schema):
    question_id: int
    answer: Any


class AnswerOut(Schema):
    correct: bool
    finished: bool
    explanation: str = ""
    expected: Any = None
    attempt: AttemptOut


class ReviewedAnswerOut(Schema):
    data: Any
    answer: Any
    correct: bool
    expected: Any = None
    explanation: str = ""


class ResultOut(Schema):
    attempt: AttemptOut
    answers: list[ReviewedAnswerOut]


class CredentialOut(Schema):
    id: int
    qualification_id: int
    qualification_name: str
    worker_id: int
    worker_email: str
    original_name: str
    content_type: str
    size: int
    note: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    reason: str
    level: int | None
    expires_at: datetime | None


class CredentialDecisionIn(Schema):
    decision: Literal["approve", "reject"]
    level: int = 1
    expires_at: datetime | None = None
    reason: str = ""


class GrantIn(Schema):
    email: str = ""
    worker_id: int | None = None
    level: int = 1
    expires_at: datetime | None = None


class RevokeIn(Schema):
    email: str = ""
    worker_id: int | None = None
    reason: str = ""


class RequiredQualification(Schema):
    qualification: int
    min_level: int = 0


class RequirementsIO(Schema):
    qualifications: list[RequiredQualification] = []
    age_min: int | None = None
    age_max: int | None = None
    genders: list[str] = []
    regions: list[str] = []
    languages: list[str] = []
    native_languages: list[str] = []
    devices: list[str] = []
    attributes: dict[str, str] = {}


class EligibilityOut(Schema):
    eligible: bool
    reasons: list[str]


class QualificationRuleIn(Schema):
    kind: str = ""
    min_reviewed: int = 50
    min_approval_rate: float = 0.9
    level: int = 1


class QualificationRuleOut(Schema):
    id: int
    qualification_id: int
    kind: str
    min_reviewed: int
    min_approval_rate: float
    level: int


class ComputeOut(Schema):
    queued: bool
    task_id: str
