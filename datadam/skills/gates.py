"""Who may work on a project as far as skills and invitations go.

Called by the qualifications app's eligibility checks (claiming, the feed, the project page),
so a skill gate and an invitation-only project behave like any other requirement.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from .models import ProjectSkills, WorkerSkill


def _accepted(worker_id: int, project_id: int) -> Any:
    from datadam.recommendations.models import Invitation, InvitationStatus

    return Invitation.objects.filter(
        worker_id=worker_id, project_id=project_id, status=InvitationStatus.ACCEPTED
    )


def _messages(*, min_skill: float | None, invite_only: bool, invited: bool, kind: str,
              have: float | None) -> list[str]:
    out: list[str] = []
    if invite_only and not invited:
        out.append(_("This project is by invitation only."))
    if min_skill is not None and (have is None or have < min_skill):
        out.append(
            _("This project needs a skill of %(need).2f in %(kind)s; yours is %(have)s.")
            % {"need": min_skill, "kind": kind, "have": "—" if have is None else f"{have:.2f}"}
        )
    return out


def gate_annotations(worker: Any) -> dict[str, Any]:
    """Annotations for a ProjectRequirement query (rows keyed by project): the project's skill
    gate and the worker's figures for it, read in the same query (see ``claim_refusals``)."""
    from datadam.recommendations.models import Invitation, InvitationStatus

    gate = ProjectSkills.objects.filter(project_id=OuterRef("pk"))
    return {
        "g_min": Subquery(gate.values("min_skill")[:1]),
        "g_invite": Subquery(gate.values("invite_only")[:1]),
        "g_kind": F("project__kind"),
        "g_have": Subquery(
            WorkerSkill.objects.filter(worker_id=worker.pk, tag="", kind=OuterRef("project__kind"))
            .values("lower")[:1]
        ),
        "g_invited": Exists(Invitation.objects.filter(
            worker_id=worker.pk, project_id=OuterRef("pk"), status=InvitationStatus.ACCEPTED
        )),
    }


def gate_refusals(row: Any) -> list[str]:
    """Messages for a row annotated with ``gate_annotations``."""
    return _messages(min_skill=row.g_min, invite_only=bool(row.g_invite),
                     invited=bool(row.g_invited), kind=row.g_kind, have=row.g_have)


def skill_refusals(*, worker: Any, project_id: int) -> list[str]:
    """Messages for each skill or invitation condition the worker does not meet."""
    gate = ProjectSkills.objects.filter(project_id=project_id).select_related("project").first()
    if gate is None or (gate.min_skill is None and not gate.invite_only):
        return []
    have = (
        WorkerSkill.objects.filter(worker_id=worker.pk, kind=gate.project.kind, tag="")
        .values_list("lower", flat=True)
        .first()
    )
    return _messages(min_skill=gate.min_skill, invite_only=gate.invite_only,
                     invited=_accepted(worker.pk, project_id).exists(),
                     kind=gate.project.kind, have=have)


def skill_projects_filter(worker: Any) -> Q:
    """A filter on Project dropping projects whose skill gate or invitation the worker lacks."""
    gates = list(
        ProjectSkills.objects.filter(Q(min_skill__isnull=False) | Q(invite_only=True))
        .filter(project__status="open")
        .values_list("project_id", "project__kind", "min_skill", "invite_only")
    )
    if not gates:
        return Q()
    levels = dict(
        WorkerSkill.objects.filter(worker_id=worker.pk, tag="").values_list("kind", "lower")
    )
    invited = _invited_projects(worker.pk)
    blocked = set()
    for pid, kind, minimum, invite_only in gates:
        if invite_only and pid not in invited:
            blocked.add(pid)
        elif minimum is not None and levels.get(kind, -1.0) < minimum:
            blocked.add(pid)
    return ~Q(pk__in=blocked) if blocked else Q()


def _invited_projects(worker_id: int) -> set[int]:
    from datadam.recommendations.models import Invitation, InvitationStatus

    return set(
        Invitation.objects.filter(worker_id=worker_id, status=InvitationStatus.ACCEPTED)
        .values_list("project_id", flat=True)
    )


def invited_exists(worker: Any) -> Exists:
    """Annotation for a Project queryset: the worker accepted an invitation to it."""
    from datadam.recommendations.models import Invitation, InvitationStatus

    return Exists(
        Invitation.objects.filter(
            worker_id=worker.pk, project_id=OuterRef("pk"), status=InvitationStatus.ACCEPTED
        )
    )


def project_gated(project_id: int) -> bool:
    """Whether the project has a skill gate or is invitation-only."""
    return ProjectSkills.objects.filter(
        Q(min_skill__isnull=False) | Q(invite_only=True), project_id=project_id
    ).exists()
