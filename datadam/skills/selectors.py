"""Reads of the skills app: a worker sees their own skills, a client those of the workers on
its projects, an operator everyone's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from datadam.accounts.models import Role, User
from datadam.errors import NotFound
from datadam.projects.models import Project
from datadam.projects.services import project_for_manager
from datadam.work.models import Assignment

from .models import ProjectSkills, WorkerSkill


def my_skills(*, worker: Any) -> QuerySet[WorkerSkill]:
    """The worker's own rows: kinds first, then tags."""
    return WorkerSkill.objects.filter(worker_id=worker.pk).order_by("-kind", "tag")


def project_settings(project: Project) -> ProjectSkills:
    """The project's skill settings (an unsaved empty row when none are set)."""
    return ProjectSkills.objects.filter(project=project).first() or ProjectSkills(project=project)


def project_worker_skills(*, user: Any, project_id: int, limit: int = 200) -> dict[str, Any]:
    """The skills, in the project's kind and tags, of the workers who worked on a project the
    user manages (another organization's project: 404). Best first."""
    project = project_for_manager(user=user, project_id=project_id)
    tags = project_settings(project).tags or []
    workers = Assignment.objects.filter(project=project).values("worker_id")
    rows = (
        WorkerSkill.objects.filter(worker_id__in=workers)
        .filter(Q(kind=project.kind, tag="") | Q(kind="", tag__in=tags))
        .select_related("worker")
        .order_by("-lower", "worker_id")[: limit * (1 + len(tags))]
    )
    return {"project": project, "tags": tags, "rows": list(rows)}


def worker_skills_for(*, user: Any, worker_id: int) -> QuerySet[WorkerSkill]:
    """One worker's skills as ``user`` may see them: their own, a client's only for workers
    who worked on one of its organizations' projects, an operator's all. Else 404."""
    if not 0 < worker_id < 2**63:
        raise NotFound(_("worker not found"))
    if user.pk == worker_id or (
        user.is_operator and User.objects.filter(pk=worker_id, role=Role.WORKER).exists()
    ):
        return WorkerSkill.objects.filter(worker_id=worker_id).order_by("-kind", "tag")
    if user.is_client and Assignment.objects.filter(
        worker_id=worker_id, project__organization__membership__user=user
    ).exists():
        return WorkerSkill.objects.filter(worker_id=worker_id).order_by("-kind", "tag")
    raise NotFound(_("worker not found"))
