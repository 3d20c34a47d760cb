"""Taking an exam or a training run: one question per page, feedback in training, the result.

Every answer is a plain form post followed by a redirect, so reloading never answers twice.
In training the redirect carries ``?after=<question>`` and the page shows whether the answer
was right, the right answer and the explanation before the next question.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import worker_required
from datadam.errors import DomainError
from datadam.kinds import get_kind

from .. import selectors, services
from ..models import AttemptMode


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@worker_required
@require_POST
def exam_start(request: HttpRequest, exam_id: int) -> HttpResponse:
    mode = request.POST.get("mode") or AttemptMode.EXAM
    back = _safe_next(request)
    try:
        attempt = services.attempt_start(worker=request.user, exam_id=exam_id, mode=mode)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back or "/qualifications/")
    if back:
        request.session[f"qual_attempt_next_{attempt.pk}"] = back
    return redirect(f"/qualifications/attempts/{attempt.pk}/")


def _answer_text(kind, answer: object) -> str:
    """An answer as the worker reads it: its labels, or its JSON for other kinds."""
    if not isinstance(answer, dict):
        return ""
    return ", ".join(kind.labels_of(answer)) or json.dumps(answer, ensure_ascii=False)


def _blank(answer: object) -> bool:
    return isinstance(answer, dict) and any(v in ("", None) for v in answer.values())


@worker_required
def attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    worker = request.user
    current = selectors.attempt_for_worker(worker=worker, attempt_id=attempt_id)
    exam = current.exam
    kind = get_kind(exam.kind)
    error = ""
    if request.method == "POST" and current.finished_at is None:
        answer = kind.answer_from_form(request.POST, exam.config)
        try:
            question_id = int(request.POST.get("question_id", ""))
        except ValueError:
            question_id = 0
        if _blank(answer):
            error = _("Pick an answer first.")
        else:
            try:
                services.attempt_answer(worker=worker, attempt_id=current.pk,
                                        question_id=question_id, answer=answer)
            except DomainError as exc:
                error = exc.message
            else:
                url = f"/qualifications/attempts/{current.pk}/"
                if current.mode == AttemptMode.TRAINING:
                    url += f"?after={question_id}"
                return redirect(url)
        current.refresh_from_db()
    context = {
        "attempt": current, "exam": exam, "kind": kind, "error": error,
        "training": current.mode == AttemptMode.TRAINING,
        "back": request.session.get(f"qual_attempt_next_{current.pk}", ""),
    }
    feedback = _feedback(request, current)
    if feedback is not None:
        context["feedback"] = feedback
        context["expected_text"] = _answer_text(kind, feedback["expected"])
        return render(request, "qualifications/feedback.html", context)
    state = selectors.attempt_state(current)
    context.update(state)
    if state["finished"]:
        context["review"] = selectors.attempt_review(current) if context["training"] else []
        for row in context["review"]:
            row["expected_text"] = _answer_text(kind, row["expected"])
        return render(request, "qualifications/result.html", context)
    return render(request, "qualifications/question.html", context)


def _feedback(request: HttpRequest, current) -> dict | None:
    """In training, the answer just given to question ``?after=``: right or not, and why."""
    if current.mode != AttemptMode.TRAINING:
        return None
    try:
        question_id = int(request.GET.get("after", ""))
    except ValueError:
        return None
    given = current.answers.select_related("question").filter(question_id=question_id).first()
    if given is None or given.question is None:
        return None
    return {
        "question": given.question, "answer": given.answer, "correct": given.correct,
        "expected": given.question.answer, "explanation": given.question.explanation,
        "done": current.finished_at is not None,
        "number": current.answers.filter(pk__lte=given.pk).count(),
        "total": current.answered + len(selectors.remaining_questions(current))
        if current.finished_at is None else current.answered,
    }
