"""Reads of the recommendations app, scoped to the caller."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from datadam.accounts.models import WorkerProfile
from datadam.kinds import all_kinds
from datadam.projects.models import Project
from datadam.projects.services import project_for_manager
from datadam.skills.models import ProjectSkills

from .models import Invitation, InvitationStatus
from .parsing import Vocabulary

VOCAB_LIMIT = 500


def vocabulary(*, user: Any) -> Vocabulary:
    """Names the parser recognises: skill tags in use, regions and occupations in profiles,
    qualifications the user may see."""
    from datadam.qualifications.selectors import qualifications_visible

    tags: set[str] = set()
    for row in ProjectSkills.objects.exclude(tags=[]).values_list("tags", flat=True)[:VOCAB_LIMIT]:
        tags.update(str(t) for t in row or [])
    profiles = WorkerProfile.objects.all()
    regions = profiles.exclude(region="").values_list("region", flat=True).distinct()
    jobs = profiles.exclude(occupation="").values_list("occupation", flat=True).distinct()
    quals = qualifications_visible(user).values_list("name", "pk")[:VOCAB_LIMIT]
    return Vocabulary(
        tags=tuple(sorted(tags)),
        regions=tuple(regions[:VOCAB_LIMIT]),
        occupations=tuple(jobs[:VOCAB_LIMIT]),
        qualifications={name: pk for name, pk in quals if " " not in name},
        kinds={k.slug: k.search_words for k in all_kinds()},
    )


def worker_invitations(*, worker: Any) -> QuerySet[Invitation]:
    """The worker's own invitations, newest first."""
    return (
        Invitation.objects.filter(worker_id=worker.pk)
        .exclude(status=InvitationStatus.WITHDRAWN)
        .select_related("project", "project__organization")
        .order_by("-created_at", "-pk")
    )


def project_invitations(*, user: Any, project_id: int) -> tuple[Project, QuerySet[Invitation]]:
    """A managed project's invitations (another organization's project: 404)."""
    project = project_for_manager(user=user, project_id=project_id)
    rows = Invitation.objects.filter(project=project).select_related("worker").order_by("-pk")
    return project, rows
