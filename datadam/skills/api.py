"""API: a worker's own skills, the skills of workers on a client's projects, skill settings."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from datadam.errors import PermissionDenied
from datadam.projects.services import project_for_manager

from . import selectors, services
from .tasks import skills_compute_task

router = Router(tags=["skills"])


class SkillOut(Schema):
    worker_id: int
    kind: str
    tag: str
    answers: int
    gold_total: int
    gold_correct: int
    agreement: float | None
    agree_items: int
    approved: int
    rejected: int
    returned: int
    median_ms: int | None
    score: float
    lower: float
    computed_at: datetime


class SettingsIn(Schema):
    tags: list[str] = []
    min_skill: float | None = None
    bonus_skill: float | None = None
    bonus_percent: int = 0
    invite_only: bool = False


class SettingsOut(SettingsIn):
    project_id: int


class JobOut(Schema):
    task_id: str


def _settings_out(row) -> dict:
    return {"project_id": row.project_id, "tags": row.tags, "min_skill": row.min_skill,
            "bonus_skill": row.bonus_skill, "bonus_percent": row.bonus_percent,
            "invite_only": row.invite_only}


@router.get("/skills/me", response=list[SkillOut])
def my_skills(request: HttpRequest):
    """Your skills per task kind and skill tag (see docs/skills.md for the formula)."""
    return list(selectors.my_skills(worker=request.auth))


@router.post("/skills/me/refresh", response=list[SkillOut])
def refresh_mine(request: HttpRequest):
    """Recompute your skills now from your work."""
    services.skills_compute(worker_ids=[request.auth.pk], actor=request.auth)
    return list(selectors.my_skills(worker=request.auth))


@router.post("/skills/refresh", response={202: JobOut})
def refresh_all(request: HttpRequest):
    """Operators: queue the job that recomputes everyone's skills."""
    if not request.auth.is_operator:
        raise PermissionDenied(_("operators only"))
    return Status(202, {"task_id": str(skills_compute_task.enqueue().id)})


@router.get("/workers/{worker_id}/skills", response=list[SkillOut])
def worker_skills(request: HttpRequest, worker_id: int):
    """A worker's skills: your own, or (clients) a worker who worked on your projects."""
    return list(selectors.worker_skills_for(user=request.auth, worker_id=worker_id))


@router.get("/projects/{project_id}/worker-skills", response=list[SkillOut])
def project_worker_skills(request: HttpRequest, project_id: int):
    """The skills of the workers on one of your projects, in its kind and tags."""
    return selectors.project_worker_skills(user=request.auth, project_id=project_id)["rows"]


@router.get("/projects/{project_id}/skill-settings", response=SettingsOut)
def get_settings(request: HttpRequest, project_id: int):
    project = project_for_manager(user=request.auth, project_id=project_id)
    return _settings_out(selectors.project_settings(project))


@router.put("/projects/{project_id}/skill-settings", response=SettingsOut)
def put_settings(request: HttpRequest, project_id: int, payload: SettingsIn):
    """Skill tags, minimum skill to work, the skill bonus tier and invitation-only."""
    row = services.project_skills_set(user=request.auth, project_id=project_id, **payload.dict())
    return _settings_out(row)
