"""Reads of the qualifications app, each scoped to what the caller may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.errors import NotFound
from datadam.projects.models import Project, ProjectStatus

from .eligibility import (
    Gap,
    WorkerFacts,
    active_holdings,
    claim_refusals,
    qualification_names,
    requirement_gaps,
    worker_facts,
)
from .exams import exam_limits, remaining_questions
from .grants import is_member
from .models import (
    AttemptMode,
    CheckStatus,
    CredentialCheck,
    Exam,
    ExamAttempt,
    ExamQuestion,
    Granting,
    ProjectRequirement,
    Qualification,
    WorkerQualification,
)

__all__ = ["claim_refusals", "eligible_projects_filter", "worker_may_work"]


# --- Who may work ---------------------------------------------------------------------------------
def project_requirement(project_id: int) -> ProjectRequirement | None:
    return ProjectRequirement.objects.filter(pk=project_id).first()


def project_gaps(*, worker: Any, project: Project) -> list[Gap]:
    """What the worker lacks for the project, with qualification names (empty: eligible)."""
    req = project_requirement(project.pk)
    if req is None:
        return []
    return requirement_gaps(req, worker_facts(worker), names=qualification_names([req]))


def worker_may_work(*, worker: Any, project: Project) -> list[str]:
    """Why the worker may not work on the project, as messages (empty list: they may)."""
    from datadam.skills.gates import skill_refusals

    gaps = [gap.message for gap in project_gaps(worker=worker, project=project)]
    return gaps + skill_refusals(worker=worker, project_id=project.pk)


def _blocked(worker: Any, reqs: list[ProjectRequirement], facts: WorkerFacts | None = None) -> set:
    facts = facts or worker_facts(worker)
    year = timezone.now().year
    return {r.project_id for r in reqs if requirement_gaps(r, facts, year=year)}


def eligible_projects_filter(worker: Any) -> Q:
    """A filter on Project keeping only projects the worker may work on.

    Reads the requirements of open projects once and the worker's profile and levels once,
    and decides in Python (a worker holds a handful of qualifications).
    """
    from datadam.skills.gates import skill_projects_filter

    gates = skill_projects_filter(worker)
    reqs = list(ProjectRequirement.objects.filter(project__status=ProjectStatus.OPEN))
    if not reqs:
        return gates
    blocked = _blocked(worker, reqs)
    return (~Q(pk__in=blocked) if blocked else Q()) & gates


def unlockable_projects(*, worker: Any, limit: int = 50) -> list[dict[str, Any]]:
    """Open projects the worker may not work on yet, each with what is missing and the exams
    that would grant a missing qualification."""
    reqs = list(
        ProjectRequirement.objects.filter(project__status=ProjectStatus.OPEN)
        .select_related("project")
        .order_by("-project__reward", "-project_id")
    )
    facts = worker_facts(worker)
    names = qualification_names(reqs)
    rows = []
    for req in reqs:
        gaps = requirement_gaps(req, facts, names=names)
        if gaps:
            rows.append({"project": req.project, "gaps": gaps})
        if len(rows) >= limit:
            break
    return rows


# --- Qualifications -------------------------------------------------------------------------------
def qualifications_visible(user: Any) -> QuerySet[Qualification]:
    """Operators and workers see every qualification; clients their organizations' ones and
    the platform's."""
    qs = Qualification.objects.select_related("organization")
    if getattr(user, "is_operator", False) or getattr(user, "is_worker", False):
        return qs
    return qs.filter(Q(organization=None) | Q(organization__membership__user=user)).distinct()


def qualification_visible(user: Any, qualification_id: int) -> Qualification:
    qualification = qualifications_visible(user).filter(pk=qualification_id).first()
    if qualification is None:
        raise NotFound(_("qualification not found"))
    return qualification


def qualifications_managed(user: Any) -> QuerySet[Qualification]:
    """What the user may change: all for operators, their organizations' for clients."""
    qs = Qualification.objects.select_related("organization").annotate(
        holders=Count("holdings", filter=active_holdings(prefix="holdings__"), distinct=True)
    )
    if getattr(user, "is_operator", False):
        return qs.order_by("organization_id", "name")
    return qs.filter(organization__membership__user=user).order_by("name")


def qualifications_for_project(project: Project) -> QuerySet[Qualification]:
    """Qualifications a project may require: the platform's and its organization's."""
    return Qualification.objects.filter(
        Q(organization=None) | Q(organization_id=project.organization_id)
    ).order_by("name")


def may_see_organization(user: Any, organization_id: int | None) -> bool:
    return getattr(user, "is_operator", False) or is_member(user, organization_id)


# --- The worker's side ----------------------------------------------------------------------------
def my_holdings(*, worker: Any) -> list[WorkerQualification]:
    now = timezone.now()
    rows = list(
        WorkerQualification.objects.filter(worker=worker)
        .select_related("qualification__organization")
        .order_by("qualification__name")
    )
    for h in rows:
        h.active = h.is_active(now)
    rows.sort(key=lambda h: not h.active)
    return rows


def exams_for_worker(*, worker: Any) -> list[dict[str, Any]]:
    """Open exams with questions, each with the worker's attempts left and held level."""
    exams = list(
        Exam.objects.filter(is_open=True, qualification__granting=Granting.EXAM)
        .select_related("qualification__organization")
        .annotate(n_questions=Count("questions"))
        .filter(n_questions__gt=0)
        .order_by("qualification__name", "title")
    )
    levels = worker_facts(worker).levels
    open_attempts = {
        (a.exam_id, a.mode): a.pk
        for a in ExamAttempt.objects.filter(worker=worker, finished_at=None)
    }
    rows = []
    for exam in exams:
        limits = exam_limits(worker=worker, exam=exam)
        open_exam = open_attempts.get((exam.pk, AttemptMode.EXAM))
        rows.append({
            "exam": exam,
            "qualification": exam.qualification,
            "questions": exam.n_questions,
            "limits": limits,
            "level": levels.get(exam.qualification_id),
            "open_exam": open_exam,
            "open_training": open_attempts.get((exam.pk, AttemptMode.TRAINING)),
            "can_start": bool(open_exam or (limits["left"] and not limits["retry_at"])),
        })
    return rows


def credential_qualifications(*, worker: Any) -> list[dict[str, Any]]:
    """Qualifications granted by a document check, with the worker's latest check of each."""
    quals = list(
        Qualification.objects.filter(granting=Granting.CREDENTIAL)
        .select_related("organization").order_by("name")
    )
    latest: dict[int, CredentialCheck] = {}
    for check in CredentialCheck.objects.filter(worker=worker).order_by("-pk"):
        latest.setdefault(check.qualification_id, check)
    return [{"qualification": q, "check": latest.get(q.pk)} for q in quals]


def my_credential_checks(*, worker: Any) -> list[CredentialCheck]:
    return list(
        CredentialCheck.objects.filter(worker=worker).select_related("qualification")
        .order_by("-pk")[:100]
    )


def attempt_for_worker(*, worker: Any, attempt_id: int) -> ExamAttempt:
    attempt = (
        ExamAttempt.objects.select_related("exam__qualification")
        .filter(pk=attempt_id, worker=worker)
        .first()
    )
    if attempt is None:
        raise NotFound(_("attempt not found"))
    return attempt


def attempt_state(attempt: ExamAttempt) -> dict[str, Any]:
    """Where an attempt stands: the next question (None when finished), position and total."""
    remaining = [] if attempt.finished_at else remaining_questions(attempt)
    question = ExamQuestion.objects.filter(pk=remaining[0]).first() if remaining else None
    total = attempt.answered + len(remaining)
    return {
        "attempt": attempt,
        "question": question,
        "number": attempt.answered + 1,
        "total": total,
        "finished": attempt.finished_at is not None,
    }


def attempt_review(attempt: ExamAttempt) -> list[dict[str, Any]]:
    """Each answer of a finished training attempt with the right answer and explanation."""
    rows = []
    for answer in attempt.answers.select_related("question").order_by("pk"):
        q = answer.question
        rows.append({"answer": answer.answer, "correct": answer.correct,
                     "expected": q.answer if q else None, "data": q.data if q else None,
                     "explanation": q.explanation if q else ""})
    return rows


# --- The operator's side --------------------------------------------------------------------------
def credential_checks(*, status: str = CheckStatus.PENDING, limit: int = 200) -> list[Any]:
    qs = CredentialCheck.objects.select_related("worker", "qualification__organization",
                                                "decided_by")
    qs = qs.filter(status=status).order_by("pk" if status == CheckStatus.PENDING else "-pk")
    return list(qs[:limit])


def holdings_by_email(email: str) -> tuple[Any, list[WorkerQualification]]:
    """A worker found by e-mail and all their holdings (None, [] when there is no such worker)."""
    from datadam.accounts.models import User

    worker = User.objects.filter(email=(email or "").strip().lower()).first()
    if worker is None or not worker.is_worker:
        return None, []
    return worker, my_holdings(worker=worker)
