"""API: qualifications, exams and training, document checks, grants, project requirements."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from datadam.errors import Conflict, PermissionDenied
from datadam.projects.models import Project
from datadam.projects.services import project_for_manager

from . import selectors, services
from .credentials import document_response
from .exams import exam_for_manager
from .models import (
    CheckStatus,
    CredentialCheck,
    ExamAttempt,
    ProjectRequirement,
    WorkerQualification,
)
from .schemas import (
    AnswerIn,
    AnswerOut,
    AttemptOut,
    ComputeOut,
    CredentialDecisionIn,
    CredentialOut,
    EligibilityOut,
    ExamDetailOut,
    ExamIn,
    ExamOut,
    ExamPatch,
    GrantIn,
    HoldingOut,
    QualificationIn,
    QualificationOut,
    QualificationPatch,
    QualificationRuleIn,
    QualificationRuleOut,
    QuestionIn,
    QuestionOut,
    QuestionPatch,
    RequirementsIO,
    ResultOut,
    RevokeIn,
    StartIn,
    WorkerExamOut,
)

router = Router(tags=["qualifications"])


def _worker(request: HttpRequest) -> Any:
    if not request.auth.is_worker:
        raise PermissionDenied(_("only workers hold qualifications and take exams"))
    return request.auth


def _manager(request: HttpRequest) -> Any:
    if request.auth.is_worker:
        raise PermissionDenied(_("workers cannot manage qualifications"))
    return request.auth


def _holding(h: WorkerQualification) -> dict[str, Any]:
    return {
        "qualification_id": h.qualification_id, "qualification_name": h.qualification.name,
        "worker_id": h.worker_id, "level": h.level, "source": h.source,
        "granted_at": h.granted_at, "expires_at": h.expires_at, "revoked_at": h.revoked_at,
        "active": h.is_active(),
    }


def _attempt(a: ExamAttempt) -> dict[str, Any]:
    state = selectors.attempt_state(a)
    q = state["question"]
    exam = a.exam
    return {
        "id": a.pk, "exam_id": a.exam_id, "mode": a.mode, "kind": exam.kind,
        "config": exam.config, "instructions": exam.instructions, "started_at": a.started_at,
        "finished_at": a.finished_at, "answered": a.answered, "correct": a.correct,
        "score": a.score, "passed": a.passed, "level_granted": a.level_granted,
        "question": q and {"id": q.pk, "number": state["number"], "total": state["total"],
                           "data": q.data},
    }


def _credential(c: CredentialCheck) -> dict[str, Any]:
    return {
        "id": c.pk, "qualification_id": c.qualification_id,
        "qualification_name": c.qualification.name, "worker_id": c.worker_id,
        "worker_email": c.worker.email, "original_name": c.original_name,
        "content_type": c.content_type, "size": c.size, "note": c.note, "status": c.status,
        "created_at": c.created_at, "decided_at": c.decided_at, "reason": c.reason,
        "level": c.level, "expires_at": c.expires_at,
    }


# --- The worker's side ----------------------------------------------------------------------------
@router.get("/qualifications/mine", response=list[HoldingOut])
def mine(request: HttpRequest):
    """My qualifications, active ones first (expired and revoked ones are listed too)."""
    return [_holding(h) for h in selectors.my_holdings(worker=_worker(request))]


@router.get("/qualifications/exams", response=list[WorkerExamOut])
def exams_open(request: HttpRequest):
    """Exams I can take, with my attempts left and when I may retry."""
    rows = selectors.exams_for_worker(worker=_worker(request))
    return [
        {
            "id": r["exam"].pk, "qualification_id": r["qualification"].pk,
            "qualification_name": r["qualification"].name, "title": r["exam"].title,
            "kind": r["exam"].kind, "instructions": r["exam"].instructions,
            "questions": r["questions"], "pass_mark": r["exam"].pass_mark,
            "max_attempts": r["exam"].max_attempts, "attempts_left": r["limits"]["left"],
            "retry_at": r["limits"]["retry_at"], "level_held": r["level"],
        }
        for r in rows
    ]


@router.post("/qualifications/exams/{int:exam_id}/attempts", response={201: AttemptOut})
def attempt_start(request: HttpRequest, exam_id: int, payload: StartIn):
    """Start an exam or a training run (or get back the unfinished one) with its first question."""
    attempt = services.attempt_start(worker=_worker(request), exam_id=exam_id, mode=payload.mode)
    return Status(201, _attempt(attempt))


@router.get("/qualifications/attempts/{int:attempt_id}", response=AttemptOut)
def attempt_get(request: HttpRequest, attempt_id: int):
    """Where my attempt stands: the next question, or the score once finished."""
    return _attempt(selectors.attempt_for_worker(worker=_worker(request), attempt_id=attempt_id))


@router.post("/qualifications/attempts/{int:attempt_id}/answer", response=AnswerOut)
def attempt_answer(request: HttpRequest, attempt_id: int, payload: AnswerIn):
    """Answer one question. In training the reply says whether it was right and why."""
    result = services.attempt_answer(worker=_worker(request), attempt_id=attempt_id,
                                     question_id=payload.question_id, answer=payload.answer)
    return {"correct": result.correct, "finished": result.finished,
            "explanation": result.explanation, "expected": result.expected,
            "attempt": _attempt(result.attempt)}


@router.get("/qualifications/attempts/{int:attempt_id}/result", response=ResultOut)
def attempt_result(request: HttpRequest, attempt_id: int):
    """The result of a finished attempt; a training result lists every answer with the right
    one and the explanation."""
    attempt = selectors.attempt_for_worker(worker=_worker(request), attempt_id=attempt_id)
    if attempt.finished_at is None:
        raise Conflict(_("the attempt is not finished yet"))
    # An exam's result is its score only: listing which answers were wrong would leak the
    # right ones to the next attempt.
    answers = selectors.attempt_review(attempt) if attempt.mode == "training" else []
    return {"attempt": _attempt(attempt), "answers": answers}


@router.post("/qualifications/{int:qualification_id}/credentials", response={201: CredentialOut})
def credential_submit(
    request: HttpRequest, qualification_id: int, file: File[UploadedFile], note: Form[str] = ""
):
    """Send a document (PDF, PNG or JPG, at most 10 MB) for an operator to check."""
    check = services.credential_submit(worker=_worker(request), qualification_id=qualification_id,
                                       file=file, note=note)
    return Status(201, _credential(check))


@router.get("/qualifications/credentials/mine", response=list[CredentialOut])
def credentials_mine(request: HttpRequest):
    return [_credential(c) for c in selectors.my_credential_checks(worker=_worker(request))]


@router.get("/qualifications/projects/{int:project_id}/eligibility", response=EligibilityOut)
def eligibility(request: HttpRequest, project_id: int):
    """Whether I may work on an open project, and if not, why."""
    from datadam.projects.selectors import project_visible

    worker = _worker(request)
    project = project_visible(worker, project_id)
    reasons = selectors.worker_may_work(worker=worker, project=project)
    return {"eligible": not reasons, "reasons": reasons}


# --- Clients and operators: qualifications, exams, questions, rules -------------------------------
@router.get("/qualifications", response=list[QualificationOut])
def qualifications(request: HttpRequest):
    """Qualifications I can see (clients: their organizations' and the platform's)."""
    return list(selectors.qualifications_visible(request.auth).order_by("pk")[:1000])


@router.post("/qualifications", response={201: QualificationOut})
def qualification_create(request: HttpRequest, payload: QualificationIn):
    """Create an organization's qualification (operators: platform-wide, with no organization)."""
    data = payload.dict()
    q = services.qualification_create(user=_manager(request), **data)
    return Status(201, q)


@router.get("/qualifications/{int:qualification_id}", response=QualificationOut)
def qualification_get(request: HttpRequest, qualification_id: int):
    return selectors.qualification_visible(request.auth, qualification_id)


@router.patch("/qualifications/{int:qualification_id}", response=QualificationOut)
def qualification_update(request: HttpRequest, qualification_id: int, payload: QualificationPatch):
    fields = payload.dict(exclude_none=True)
    return services.qualification_update(user=_manager(request),
                                         qualification_id=qualification_id, **fields)


@router.delete("/qualifications/{int:qualification_id}", response={204: None})
def qualification_delete(request: HttpRequest, qualification_id: int):
    services.qualification_delete(user=_manager(request), qualification_id=qualification_id)
    return Status(204, None)


@router.get("/qualifications/{int:qualification_id}/exams", response=list[ExamOut])
def exams_of(request: HttpRequest, qualification_id: int):
    q = services.qualification_for_manager(user=_manager(request),
                                           qualification_id=qualification_id)
    return list(q.exams.order_by("pk"))


@router.post("/qualifications/{int:qualification_id}/exams", response={201: ExamOut})
def exam_create(request: HttpRequest, qualification_id: int, payload: ExamIn):
    exam = services.exam_create(user=_manager(request), qualification_id=qualification_id,
                                **payload.dict())
    return Status(201, exam)


@router.get("/qualifications/exams/{int:exam_id}", response=ExamDetailOut)
def exam_get(request: HttpRequest, exam_id: int):
    """An exam with its questions and answers (the owning organization and operators only)."""
    exam = exam_for_manager(user=_manager(request), exam_id=exam_id)
    out = {name: getattr(exam, name) for name in ExamOut.model_fields}
    return {**out, "questions": list(exam.questions.all())}


@router.patch("/qualifications/exams/{int:exam_id}", response=ExamOut)
def exam_update(request: HttpRequest, exam_id: int, payload: ExamPatch):
    return services.exam_update(user=_manager(request), exam_id=exam_id,
                                **payload.dict(exclude_none=True))


@router.delete("/qualifications/exams/{int:exam_id}", response={204: None})
def exam_delete(request: HttpRequest, exam_id: int):
    services.exam_delete(user=_manager(request), exam_id=exam_id)
    return Status(204, None)


@router.post("/qualifications/exams/{int:exam_id}/questions", response={201: QuestionOut})
def question_add(request: HttpRequest, exam_id: int, payload: QuestionIn):
    q = services.question_add(user=_manager(request), exam_id=exam_id, data=payload.data,
                              answer=payload.answer, explanation=payload.explanation)
    return Status(201, q)


@router.patch("/qualifications/questions/{int:question_id}", response=QuestionOut)
def question_update(request: HttpRequest, question_id: int, payload: QuestionPatch):
    return services.question_update(user=_manager(request), question_id=question_id,
                                    data=payload.data, answer=payload.answer,
                                    explanation=payload.explanation)


@router.delete("/qualifications/questions/{int:question_id}", response={204: None})
def question_delete(request: HttpRequest, question_id: int):
    services.question_delete(user=_manager(request), question_id=question_id)
    return Status(204, None)


@router.get("/qualifications/{int:qualification_id}/rules", response=list[QualificationRuleOut])
def rules_of(request: HttpRequest, qualification_id: int):
    q = services.qualification_for_manager(user=_manager(request),
                                           qualification_id=qualification_id)
    return list(q.rules.order_by("pk"))


@router.post("/qualifications/{int:qualification_id}/rules", response={201: QualificationRuleOut})
def rule_add(request: HttpRequest, qualification_id: int, payload: QualificationRuleIn):
    """Add a rule: grant ``level`` for an approval rate of at least ``min_approval_rate`` over
    at least ``min_reviewed`` reviewed answers (in projects of ``kind``, any when empty)."""
    rule = services.rule_add(user=_manager(request), qualification_id=qualification_id,
                             **payload.dict())
    return Status(201, rule)


@router.delete("/qualifications/rules/{int:rule_id}", response={204: None})
def rule_delete(request: HttpRequest, rule_id: int):
    services.rule_delete(user=_manager(request), rule_id=rule_id)
    return Status(204, None)


@router.post("/qualifications/{int:qualification_id}/compute", response={202: ComputeOut})
def compute(request: HttpRequest, qualification_id: int):
    """Queue the rules of a computed qualification to run in the background."""
    from .tasks import compute_task

    q = services.qualification_for_manager(user=_manager(request),
                                           qualification_id=qualification_id)
    result = compute_task.enqueue(qualification_id=q.pk)
    return Status(202, {"queued": True, "task_id": str(result.id)})


@router.post("/qualifications/{int:qualification_id}/grants", response=HoldingOut)
def grant(request: HttpRequest, qualification_id: int, payload: GrantIn):
    """Grant a qualification to a worker (by e-mail or id) at a level, optionally until a date."""
    h = services.qualification_grant(actor=_manager(request), qualification_id=qualification_id,
                                     level=payload.level, email=payload.email,
                                     worker_id=payload.worker_id, expires_at=payload.expires_at)
    return _holding(h)


@router.post("/qualifications/{int:qualification_id}/revoke", response=HoldingOut)
def revoke(request: HttpRequest, qualification_id: int, payload: RevokeIn):
    h = services.qualification_revoke(actor=_manager(request), qualification_id=qualification_id,
                                      email=payload.email, worker_id=payload.worker_id,
                                      reason=payload.reason)
    return _holding(h)


# --- Project requirements -------------------------------------------------------------------------
def _requirements(project: Project) -> dict[str, Any]:
    req = ProjectRequirement.objects.filter(pk=project.pk).first()
    if req is None:
        return RequirementsIO().dict()
    return {name: getattr(req, name) for name in RequirementsIO.model_fields}


@router.get("/qualifications/projects/{int:project_id}/requirements", response=RequirementsIO)
def requirements_get(request: HttpRequest, project_id: int):
    """Who may work on a project (the project's organization and operators)."""
    project = project_for_manager(user=_manager(request), project_id=project_id)
    return _requirements(project)


@router.put("/qualifications/projects/{int:project_id}/requirements", response=RequirementsIO)
def requirements_put(request: HttpRequest, project_id: int, payload: RequirementsIO):
    """Replace who may work on a project; an empty body lets everybody work."""
    services.requirements_set(user=_manager(request), project_id=project_id, **payload.dict())
    return _requirements(project_for_manager(user=request.auth, project_id=project_id))


# --- Operators: document checks -------------------------------------------------------------------
def _operator(request: HttpRequest) -> Any:
    if not request.auth.is_operator:
        raise PermissionDenied(_("only operators check documents"))
    return request.auth


@router.get("/qualifications/credentials", response=list[CredentialOut])
def credentials(request: HttpRequest, status: str = CheckStatus.PENDING):
    """Document checks by status, pending ones oldest first."""
    _operator(request)
    return [_credential(c) for c in selectors.credential_checks(status=status)]


@router.get("/qualifications/credentials/{int:check_id}/document")
def credential_document(request: HttpRequest, check_id: int):
    """The uploaded document (operators, and the worker who sent it)."""
    check, handle = services.credential_document(user=request.auth, check_id=check_id)
    return document_response(check, handle)


@router.post("/qualifications/credentials/{int:check_id}/decision", response=CredentialOut)
def credential_decide(request: HttpRequest, check_id: int, payload: CredentialDecisionIn):
    """Approve (granting the qualification at a level, optionally until a date) or reject."""
    check = services.credential_decide(operator=_operator(request), check_id=check_id,
                                       **payload.dict())
    return _credential(check)
