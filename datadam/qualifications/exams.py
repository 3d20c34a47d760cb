"""Exams and training: the questions a client writes, and a worker's attempts at them.

An attempt fixes its questions when it starts. In training the worker learns after each answer
whether it was right and why; in an exam they learn the score at the end, and passing grants
the qualification (a retake only ever raises the level). Exam attempts are limited in number
and spaced by a cool-down; training is unlimited and grants nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied, whole_number
from datadam.kinds import get_kind
from datadam.kinds.base import ItemError

from .grants import check_level, holding_grant, may_manage, qualification_for_manager
from .models import (
    AttemptMode,
    Exam,
    ExamAnswer,
    ExamAttempt,
    ExamQuestion,
    Granting,
    Source,
)

EXAM_FIELDS = {"title", "kind", "config", "instructions", "pass_mark", "level",
               "level_from_score", "max_attempts", "cooldown_hours", "is_open"}
MAX_QUESTIONS = 200


# --- What clients write ------------------------------------------------------------------------
def exam_for_manager(*, user: Any, exam_id: int, lock: bool = False) -> Exam:
    qs = Exam.objects.select_related("qualification")
    if lock:
        qs = qs.select_for_update(of=("self",))
    exam = qs.filter(pk=exam_id).first()
    if exam is None or not may_manage(user, exam.qualification):
        raise NotFound(_("exam not found"))
    return exam


def _clean_exam(fields: dict[str, Any], current: Exam | None) -> dict[str, Any]:
    out = dict(fields)
    unknown = set(out) - EXAM_FIELDS
    if unknown:
        raise InvalidInput(
            _("unknown fields: %(unknown)s")
            % {"unknown": ', '.join(sorted(unknown))}
        )
    if "title" in out:
        out["title"] = str(out["title"] or "").strip()
        if not out["title"] or len(out["title"]) > 200:
            raise InvalidInput(_("title must be 1 to 200 characters"))
    slug = out.get("kind", current.kind if current else None)
    kind = get_kind(str(slug))
    if current is not None and "kind" in out and out["kind"] != current.kind:
        if current.questions.exists():
            raise InvalidInput(_("the task kind cannot change once the exam has questions"))
    if "config" in out or current is None:
        out["config"] = kind.validate_config(out.get("config") or {})
    if "instructions" in out:
        out["instructions"] = str(out["instructions"] or "")[:10000]
    if "pass_mark" in out:
        mark = out["pass_mark"]
        if isinstance(mark, bool) or not isinstance(mark, int | float) or not 0 < mark <= 1:
            raise InvalidInput(_("pass_mark must be a fraction above 0 and at most 1, e.g. 0.8"))
        out["pass_mark"] = float(mark)
    if "level" in out:
        check_level(out["level"])
    for name in ("level_from_score", "is_open"):
        if name in out and not isinstance(out[name], bool):
            raise InvalidInput(_("%(name)s must be true or false") % {"name": name})
    if "max_attempts" in out:
        whole_number("max_attempts", out["max_attempts"], 1, 100)
    if "cooldown_hours" in out:
        whole_number("cooldown_hours", out["cooldown_hours"], 0, 24 * 365)
    return out


def exam_create(
    *, user: Any, qualification_id: int, title: str, kind: str, **fields: Any
) -> Exam:
    qualification = qualification_for_manager(user=user, qualification_id=qualification_id)
    if qualification.granting != Granting.EXAM:
        raise InvalidInput(_(
            "exams grant only qualifications granted by exam; change how this "
            "qualification is granted first"
        ))
    clean = _clean_exam({"title": title, "kind": kind, **fields}, None)
    with transaction.atomic():
        exam = Exam.objects.create(qualification=qualification, **clean)
        audit_record(actor=user, action="exam.create", target=exam,
                     organization_id=qualification.organization_id,
                     data={"title": exam.title, "qualification": qualification.pk})
    return exam


def exam_update(*, user: Any, exam_id: int, **fields: Any) -> Exam:
    with transaction.atomic():
        exam = exam_for_manager(user=user, exam_id=exam_id, lock=True)
        clean = _clean_exam(fields, exam)
        if "config" in clean:
            kind = get_kind(clean.get("kind", exam.kind))
            for number, question in enumerate(exam.questions.all(), 1):
                try:
                    kind.validate_answer(question.answer, clean["config"], question.data)
                except InvalidInput as exc:
                    raise InvalidInput(
                        _(
                            "question %(number)s no longer fits the settings (%(message)s); "
                            "change or delete it first"
                        )
                        % {"number": number, "message": exc.message}
                    ) from None
        for name, value in clean.items():
            setattr(exam, name, value)
        exam.save()
        audit_record(actor=user, action="exam.update", target=exam,
                     organization_id=exam.qualification.organization_id,
                     data={k: v for k, v in clean.items() if k != "instructions"})
    return exam


def exam_delete(*, user: Any, exam_id: int) -> None:
    with transaction.atomic():
        exam = exam_for_manager(user=user, exam_id=exam_id, lock=True)
        if exam.attempts.exists():
            raise Conflict(_("workers have taken this exam; close it instead of deleting it"))
        audit_record(actor=user, action="exam.delete", target=exam,
                     organization_id=exam.qualification.organization_id,
                     data={"title": exam.title})
        exam.delete()


def _clean_question(exam: Exam, data: Any, answer: Any) -> tuple[Any, Any]:
    kind = get_kind(exam.kind)
    try:
        data = kind.validate_item(data)
    except ItemError as exc:
        raise InvalidInput(_("item: %(exc)s") % {"exc": exc}) from None
    return data, kind.validate_answer(answer, exam.config, data)


def _explanation(text: Any) -> str:
    text = str(text or "").strip()
    if len(text) > 5000:
        raise InvalidInput(_("explanation must be at most 5000 characters"))
    return text


def question_add(
    *, user: Any, exam_id: int, data: Any, answer: Any, explanation: str = ""
) -> ExamQuestion:
    with transaction.atomic():
        exam = exam_for_manager(user=user, exam_id=exam_id, lock=True)
        data, answer = _clean_question(exam, data, answer)
        if exam.questions.count() >= MAX_QUESTIONS:
            raise InvalidInput(
                _("an exam has at most %(max_questions)s questions")
                % {"max_questions": MAX_QUESTIONS}
            )
        last = exam.questions.aggregate(m=Max("position"))["m"]
        question = ExamQuestion.objects.create(
            exam=exam, position=(last or 0) + 1, data=data, answer=answer,
            explanation=_explanation(explanation),
        )
        audit_record(actor=user, action="exam.question_add", target=question,
                     organization_id=exam.qualification.organization_id,
                     data={"exam": exam.pk})
    return question


def _question_for_manager(user: Any, question_id: int) -> ExamQuestion:
    question = ExamQuestion.objects.filter(pk=question_id).first()
    if question is None:
        raise NotFound(_("question not found"))
    exam_for_manager(user=user, exam_id=question.exam_id)
    return question


def question_update(
    *, user: Any, question_id: int, data: Any = None, answer: Any = None,
    explanation: str | None = None,
) -> ExamQuestion:
    question = _question_for_manager(user, question_id)
    with transaction.atomic():
        exam = exam_for_manager(user=user, exam_id=question.exam_id, lock=True)
        question.data, question.answer = _clean_question(
            exam, question.data if data is None else data,
            question.answer if answer is None else answer,
        )
        if explanation is not None:
            question.explanation = _explanation(explanation)
        question.save()
        audit_record(actor=user, action="exam.question_update", target=question,
                     organization_id=exam.qualification.organization_id,
                     data={"exam": exam.pk})
    return question


def question_delete(*, user: Any, question_id: int) -> None:
    question = _question_for_manager(user, question_id)
    with transaction.atomic():
        exam = exam_for_manager(user=user, exam_id=question.exam_id, lock=True)
        audit_record(actor=user, action="exam.question_delete", target=question,
                     organization_id=exam.qualification.organization_id,
                     data={"exam": exam.pk})
        question.delete()


# --- What workers do --------------------------------------------------------------------------
def _require_worker(user: Any) -> None:
    if not getattr(user, "is_worker", False) or not user.is_active:
        raise PermissionDenied(_("Only active workers take exams."))


def exam_limits(*, worker: Any, exam: Exam, now: Any = None) -> dict[str, Any]:
    """How many exam attempts the worker has left and when the next one may start."""
    now = now or timezone.now()
    attempts = ExamAttempt.objects.filter(exam=exam, worker=worker, mode=AttemptMode.EXAM)
    used = attempts.count()
    last = attempts.exclude(finished_at=None).aggregate(m=Max("finished_at"))["m"]
    retry_at = last + timedelta(hours=exam.cooldown_hours) if last else None
    return {
        "used": used,
        "left": max(0, exam.max_attempts - used),
        "retry_at": retry_at if retry_at and retry_at > now else None,
    }


def attempt_start(*, worker: Any, exam_id: int, mode: str = AttemptMode.EXAM) -> ExamAttempt:
    """Start (or resume the unfinished) attempt of an exam, in exam or training mode."""
    _require_worker(worker)
    if mode not in AttemptMode.values:
        raise InvalidInput(
            _("mode must be one of %(value)s")
            % {"value": ', '.join(AttemptMode.values)}
        )
    exam = (
        Exam.objects.select_related("qualification")
        .filter(pk=exam_id, is_open=True, qualification__granting=Granting.EXAM)
        .first()
    )
    if exam is None:
        raise NotFound(_("Exam not found."))
    with transaction.atomic():
        open_attempt = ExamAttempt.objects.filter(
            exam=exam, worker=worker, mode=mode, finished_at=None
        ).first()
        if open_attempt is not None:
            return open_attempt
        if mode == AttemptMode.EXAM:
            limits = exam_limits(worker=worker, exam=exam)
            if not limits["left"]:
                raise Conflict(_("You have used all %(n)s attempts at this exam.")
                               % {"n": exam.max_attempts})
            if limits["retry_at"]:
                when = formats.date_format(
                    timezone.localtime(limits["retry_at"]), "DATETIME_FORMAT"
                )
                raise Conflict(_("You can take this exam again after %(when)s.") % {"when": when},
                               details={"retry_at": limits["retry_at"].isoformat()})
        ids = list(exam.questions.values_list("pk", flat=True))
        if not ids:
            raise Conflict(_("This exam has no questions yet."))
        try:
            with transaction.atomic():
                attempt = ExamAttempt.objects.create(
                    exam=exam, worker=worker, mode=mode, question_ids=ids
                )
        except IntegrityError:  # a concurrent start of the same worker won
            return ExamAttempt.objects.get(exam=exam, worker=worker, mode=mode, finished_at=None)
        audit_record(actor=worker, action="exam.attempt_start", target=attempt,
                     organization_id=exam.qualification.organization_id,
                     data={"exam": exam.pk, "mode": mode})
    return attempt


def remaining_questions(attempt: ExamAttempt) -> list[int]:
    """Ids of the attempt's questions not answered yet (and not deleted since), in order."""
    answered = set(attempt.answers.values_list("question_id", flat=True))
    todo = [q for q in attempt.question_ids if q not in answered]
    existing = set(ExamQuestion.objects.filter(pk__in=todo).values_list("pk", flat=True))
    return [q for q in todo if q in existing]


@dataclass
class AnswerResult:
    attempt: ExamAttempt
    question: ExamQuestion
    correct: bool
    finished: bool
    explanation: str = ""
    expected: Any = None


def attempt_answer(
    *, worker: Any, attempt_id: int, question_id: int, answer: Any
) -> AnswerResult:
    """Record the answer to one question; the last answer finishes and scores the attempt."""
    _require_worker(worker)
    with transaction.atomic():
        attempt = (
            ExamAttempt.objects.select_for_update(of=("self",))
            .select_related("exam__qualification")
            .filter(pk=attempt_id, worker=worker)
            .first()
        )
        if attempt is None:
            raise NotFound(_("Attempt not found."))
        if attempt.finished_at is not None:
            raise Conflict(_("This attempt is finished."))
        exam = attempt.exam
        question = ExamQuestion.objects.filter(pk=question_id, exam=exam).first()
        if question is None or question_id not in attempt.question_ids:
            raise NotFound(_("That question is not part of this attempt."))
        if attempt.answers.filter(question=question).exists():
            raise Conflict(_("You have already answered this question."))
        kind = get_kind(exam.kind)
        clean = kind.validate_answer(answer, exam.config, question.data)
        correct = kind.answer_matches(clean, question.answer, exam.config)
        ExamAnswer.objects.create(attempt=attempt, question=question, answer=clean,
                                  correct=correct)
        attempt.answered += 1
        attempt.correct += int(correct)
        finished = not remaining_questions(attempt)
        if finished:
            _finish(attempt)
        else:
            attempt.save(update_fields=["answered", "correct"])
    training = attempt.mode == AttemptMode.TRAINING
    return AnswerResult(
        attempt=attempt, question=question, correct=correct, finished=finished,
        explanation=question.explanation if training else "",
        expected=question.answer if training else None,
    )


def _finish(attempt: ExamAttempt) -> None:
    exam = attempt.exam
    attempt.finished_at = timezone.now()
    attempt.score = round(attempt.correct / attempt.answered, 4) if attempt.answered else 0.0
    attempt.passed = attempt.correct >= exam.pass_mark * attempt.answered - 1e-9
    if attempt.mode == AttemptMode.EXAM and attempt.passed:
        level = round(attempt.score * 100) if exam.level_from_score else exam.level
        holding_grant(qualification=exam.qualification, worker=attempt.worker, level=level,
                      source=Source.EXAM, actor=attempt.worker, upward_only=True)
        attempt.level_granted = level
    attempt.save()
    audit_record(actor=attempt.worker, action="exam.attempt_finish", target=attempt,
                 organization_id=exam.qualification.organization_id,
                 data={"exam": exam.pk, "mode": attempt.mode, "score": attempt.score,
                       "passed": attempt.passed, "level": attempt.level_granted})
