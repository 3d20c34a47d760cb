"""API: clients set gold policy and rules; workers see their score and appeal; operators
decide appeals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from datadam.errors import ErrorOut, InvalidInput
from datadam.projects.api import ImportOut

from . import services
from .selectors import appeals_queue, my_quality, policy_warnings, project_quality

router = Router(tags=["quality"])


class PolicyIn(Schema):
    gold_rate: int | None = None
    gold_min_answers: int | None = None
    gold_threshold: int | None = None
    gold_action: str | None = None
    gold_pause_hours: int | None = None


class PolicyOut(Schema):
    gold_rate: int
    gold_min_answers: int
    gold_threshold: int
    gold_action: str
    gold_pause_hours: int
    gold_funded: int
    gold_left: int


class PolicySetOut(PolicyOut):
    warnings: list[str]  # valid but probably not what was meant, and what to do about it


class QualityRuleIn(Schema):
    kind: str
    params: dict[str, Any] = {}
    action: str = "warn"
    pause_hours: int = 24
    enabled: bool = True


class RulePatch(Schema):
    params: dict[str, Any] | None = None
    action: str | None = None
    pause_hours: int | None = None
    enabled: bool | None = None


class QualityRuleOut(Schema):
    id: int
    kind: str
    params: dict[str, Any]
    action: str
    pause_hours: int
    enabled: bool


class GoldIn(Schema):
    items: list[Any]


class HitOut(Schema):
    id: int
    project_id: int | None
    source_project_id: int
    kind: str
    action: str
    reason: str
    created_at: datetime
    until: datetime | None
    lifted_at: datetime | None

    @staticmethod
    def resolve_reason(obj: Any) -> str:
        """In the caller's language (Accept-Language)."""
        return obj.reason_text()


class WorkerScoreOut(Schema):
    worker_id: int
    email: str
    answers: int
    gold_answered: int
    gold_correct: int
    accuracy: float | None
    rule_hits: int


class ProjectQualityOut(Schema):
    policy: PolicyOut
    warnings: list[str]
    rules: list[QualityRuleOut]
    gold_items: int
    workers: list[WorkerScoreOut]
    hits: list[HitOut]


class MyScoreOut(Schema):
    project_id: int
    project_name: str
    gold_answered: int
    gold_correct: int
    accuracy: float | None
    day: date | None
    day_answers: int


class MyHitOut(HitOut):
    in_force: bool
    appeal_status: str | None


class MyQualityOut(Schema):
    scores: list[MyScoreOut]
    hits: list[MyHitOut]


class AppealIn(Schema):
    message: str


class AppealDecideIn(Schema):
    lift: bool
    note: str = ""


class AppealOut(Schema):
    id: int
    hit_id: int
    worker_id: int
    message: str
    status: str
    note: str
    created_at: datetime
    decided_at: datetime | None


def _fields(payload: Schema) -> dict[str, Any]:
    return {k: v for k, v in payload.dict().items() if v is not None}


@router.get("/projects/{project_id}/quality", response=ProjectQualityOut)
def project_overview(request: HttpRequest, project_id: int):
    """Policy, rules, gold item count, per-worker gold accuracy and rule hits."""
    data = project_quality(user=request.auth, project_id=project_id)
    return {
        **data,
        "workers": [
            {"worker_id": w["stats"].worker_id, "email": w["stats"].worker.email,
             "answers": w["stats"].answers, "gold_answered": w["stats"].gold_answered,
             "gold_correct": w["stats"].gold_correct, "accuracy": w["stats"].accuracy,
             "rule_hits": w["hits"]}
            for w in data["workers"]
        ],
    }


@router.patch("/projects/{project_id}/quality/policy", response=PolicySetOut)
def policy_set(request: HttpRequest, project_id: int, payload: PolicyIn):
    """Set the gold rate (0-50 %), minimum gold answers, threshold (%) and action.

    ``warnings`` says what the saved policy will not do, e.g. a gold rate while the project
    has no gold items (no gold is served then), with how to fix it."""
    policy = services.policy_update(user=request.auth, project_id=project_id,
                                    **_fields(payload))
    policy.warnings = policy_warnings(project_id=policy.project_id, gold_rate=policy.gold_rate)
    return policy


@router.post("/projects/{project_id}/gold", response={201: ImportOut, 422: ImportOut | ErrorOut})
def gold_add(request: HttpRequest, project_id: int, payload: GoldIn):
    """Add gold items: [{"data": {...}, "external_id": "...", "gold": <correct answer>}]."""
    if len(payload.items) > 10_000:
        raise InvalidInput(_("send at most 10,000 items per request"))
    report = services.gold_import(user=request.auth, project_id=project_id, items=payload.items)
    return Status(201 if report.ok else 422, report)


@router.post("/projects/{project_id}/quality/rules", response={201: QualityRuleOut})
def rule_add(request: HttpRequest, project_id: int, payload: QualityRuleIn):
    rule = services.rule_create(user=request.auth, project_id=project_id, **payload.dict())
    return Status(201, rule)


@router.patch("/projects/{project_id}/quality/rules/{rule_id}", response=QualityRuleOut)
def rule_change(request: HttpRequest, project_id: int, rule_id: int, payload: RulePatch):
    return services.rule_update(user=request.auth, project_id=project_id, rule_id=rule_id,
                                **_fields(payload))


@router.delete("/projects/{project_id}/quality/rules/{rule_id}", response={204: None})
def rule_remove(request: HttpRequest, project_id: int, rule_id: int):
    services.rule_delete(user=request.auth, project_id=project_id, rule_id=rule_id)
    return Status(204, None)


@router.get("/quality/me", response=MyQualityOut)
def mine(request: HttpRequest):
    """The caller's gold scores per project, warnings and restrictions."""
    data = my_quality(worker=request.auth)
    return {
        "scores": [
            {"project_id": s.project_id, "project_name": s.project.name,
             "gold_answered": s.gold_answered, "gold_correct": s.gold_correct,
             "accuracy": s.accuracy, "day": s.day, "day_answers": s.day_answers}
            for s in data["scores"]
        ],
        "hits": data["hits"],  # with in_force and appeal_status set by my_quality
    }


@router.post("/quality/hits/{hit_id}/appeal", response={201: AppealOut})
def appeal(request: HttpRequest, hit_id: int, payload: AppealIn):
    """Ask an operator to lift one of your restrictions."""
    return Status(201, services.appeal_create(worker=request.auth, hit_id=hit_id,
                                              message=payload.message))


@router.get("/quality/appeals", response=list[AppealOut])
def appeals(request: HttpRequest, status: str = "pending"):
    """Appeals for operators (pending by default; status='' for all)."""
    return list(appeals_queue(operator=request.auth, status=status))


@router.post("/quality/appeals/{appeal_id}/decide", response=AppealOut)
def decide(request: HttpRequest, appeal_id: int, payload: AppealDecideIn):
    """Lift the restriction (lift=true) or refuse the appeal."""
    return services.appeal_decide(operator=request.auth, appeal_id=appeal_id, lift=payload.lift,
                                  note=payload.note)
