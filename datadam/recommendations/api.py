"""API: recommend workers for a project, invite them; workers answer their invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from . import selectors, services
from .reasons import reason_text

router = Router(tags=["recommendations"])


class SearchIn(Schema):
    query: str = ""
    languages: list[str] = []
    region: str = ""
    occupation: str = ""
    kind: str = ""
    tags: list[str] = []
    qualifications: list[int] = []
    min_skill: float | None = None
    limit: int = 20


class CriterionOut(Schema):
    name: str
    value: str
    weight: float
    required: bool
    native: bool


class LineOut(Schema):
    criterion: str
    match: float
    weight: float
    reason: dict[str, Any]  # the fact (code and figures); pass it on when inviting
    text: str  # the fact in words, in the caller's language


class MatchOut(Schema):
    worker_id: int
    name: str
    score: float
    skill: float | None
    explanation: list[LineOut]


class SearchOut(Schema):
    criteria: list[CriterionOut]
    unknown_words: list[str]
    results: list[MatchOut]


class InviteIn(Schema):
    worker_id: int
    message: str = ""
    # Facts from a recommendation's explanation (``reason``), shown to the worker in the
    # worker's language, or plain text shown as written. At most 12 are kept.
    reasons: list[str | dict[str, Any]] = []


class InvitationOut(Schema):
    id: int
    project_id: int
    project_name: str
    worker_id: int
    status: str
    message: str
    reasons: list[Any]
    reason_texts: list[str]  # the reasons in words, in the caller's language
    created_at: datetime
    responded_at: datetime | None


def _inv(i) -> dict[str, Any]:
    return {"id": i.pk, "project_id": i.project_id, "project_name": i.project.name,
            "worker_id": i.worker_id, "status": i.status, "message": i.message,
            "reasons": i.reasons, "reason_texts": [reason_text(r) for r in i.reasons],
            "created_at": i.created_at, "responded_at": i.responded_at}


def worker_label(worker) -> str:
    return worker.display_name or f"#{worker.pk}"


@router.post("/projects/{project_id}/recommendations", response=SearchOut)
def recommend(request: HttpRequest, project_id: int, payload: SearchIn):
    """Describe the workers you want in words (and filters): a ranked, explained list."""
    data = payload.dict()
    query, limit = data.pop("query"), data.pop("limit")
    parsed, matches = services.recommendation_search(
        user=request.auth, project_id=project_id, query=query,
        filters={k: v for k, v in data.items() if v not in ("", [], None)}, limit=limit,
    )
    return {
        "criteria": [c.__dict__ for c in parsed.criteria],
        "unknown_words": list(parsed.unknown),
        "results": [
            {"worker_id": m.worker.pk, "name": worker_label(m.worker), "score": m.total,
             "skill": m.skill, "explanation": m.lines}
            for m in matches
        ],
    }


@router.post("/projects/{project_id}/invitations", response={201: InvitationOut})
def invite(request: HttpRequest, project_id: int, payload: InviteIn):
    inv = services.invitation_create(user=request.auth, project_id=project_id, **payload.dict())
    return Status(201, _inv(inv))


@router.get("/projects/{project_id}/invitations", response=list[InvitationOut])
def project_invitations(request: HttpRequest, project_id: int):
    _project, rows = selectors.project_invitations(user=request.auth, project_id=project_id)
    return [_inv(i) for i in rows.select_related("project")[:500]]


@router.get("/invitations", response=list[InvitationOut])
def my_invitations(request: HttpRequest):
    """Your invitations to projects."""
    return [_inv(i) for i in selectors.worker_invitations(worker=request.auth)[:200]]


@router.post("/invitations/{invitation_id}/accept", response=InvitationOut)
def accept(request: HttpRequest, invitation_id: int):
    return _inv(services.invitation_respond(
        worker=request.auth, invitation_id=invitation_id, accept=True))


@router.post("/invitations/{invitation_id}/decline", response=InvitationOut)
def decline(request: HttpRequest, invitation_id: int):
    return _inv(services.invitation_respond(
        worker=request.auth, invitation_id=invitation_id, accept=False))


@router.post("/invitations/{invitation_id}/withdraw", response=InvitationOut)
def withdraw(request: HttpRequest, invitation_id: int):
    inv = services.invitation_withdraw(user=request.auth, invitation_id=invitation_id)
    return _inv(selectors.Invitation.objects.select_related("project").get(pk=inv.pk))
