"""The task loop: one item at a time, answered, skipped or left, without page reloads.

GET shows the worker's current item (claiming one when they hold none). The answer form
posts with htmx and the response is the NEXT task fragment, so the page never reloads;
without JavaScript the same forms post normally and redirect back (post/redirect/get).
Each rendered task carries its own idempotency key, so a double click or a retry stores
the answer once.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from datadam.accounts.access import worker_required
from datadam.assist.selectors import suggestion_for_item
from datadam.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from datadam.kinds import get_kind
from datadam.projects.models import Project, ProjectStatus

from ..models import Assignment, AssignmentStatus
from ..services import assignment_claim, assignment_release, assignment_submit
from ._common import client_duration, has_answer, is_htmx, to_int
from ._common import workable_project as _project


def _unavailable_message(project: Project) -> str:
    if project.status == ProjectStatus.PAUSED:
        return _("This project is paused by its owner, so it hands out no tasks right now. "
                 "Your answers so far are safe. Try another project in the meantime.")
    if project.status == ProjectStatus.CLOSED:
        return _("This project is closed and takes no more answers. "
                 "Your answers so far are safe and will still be reviewed.")
    return _("This project is not open for work.")


def _eligibility_url(project: Project) -> str:
    """Where the worker sees what a project asks for and how to qualify (if that app is on)."""
    try:
        return reverse("qual_project", args=[project.pk])
    except NoReverseMatch:
        return reverse("profile")


def _urls(project: Project) -> dict[str, str]:
    return {
        "submit_url": reverse("work_task_submit", args=[project.pk]),
        "skip_url": reverse("work_task_skip", args=[project.pk]),
        "stop_url": reverse("work_task_stop", args=[project.pk]),
        "task_url": reverse("work_task", args=[project.pk]),
    }


def _task_context(project: Project, assignment: Assignment, **extra: Any) -> dict[str, Any]:
    ctx = {
        "project": project,
        "assignment": assignment,
        "widget_template": get_kind(project.kind).widget_template,
        "key": uuid4().hex,
        "answer": None,
        "error": "",
        "notice": "",
        "done": 0,
        **_urls(project),
    }
    ctx.update(extra)
    if ctx["answer"] is None and getattr(assignment, "assisted", True):
        # A model's suggestion, where the project has one and the bias rules allow it: shown
        # in the widget as the starting answer, for the worker to check and correct.
        suggestion = suggestion_for_item(project_id=project.pk, item_id=assignment.item_id)
        if suggestion is not None:
            ctx["answer"], ctx["suggestion"] = suggestion["answer"], suggestion
    return ctx


def _next_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    """Claim (or get back) the worker's current item and describe what to show."""
    try:
        assignment = assignment_claim(worker=request.user, project_id=project.pk)
    except Conflict:
        project.refresh_from_db(fields=["status"])
        return {"project": project, "state": "unavailable",
                "message": _unavailable_message(project), **_urls(project), **extra}
    except PermissionDenied as exc:  # the project asks for what the worker does not have
        reasons = exc.details if isinstance(exc.details, list) else [exc.message]
        return {"project": project, "state": "not_eligible", "reasons": reasons,
                "eligibility_url": _eligibility_url(project), **_urls(project), **extra}
    except DomainError as exc:
        return {"project": project, "state": "unavailable", "message": exc.message,
                **_urls(project), **extra}
    if assignment is None:
        return {"project": project, "state": "empty", **_urls(project), **extra}
    return _task_context(project, assignment, **extra)


def _fragment(request: HttpRequest, ctx: dict[str, Any]) -> HttpResponse:
    return render(request, "work/_task.html", ctx)


def _page(request: HttpRequest, ctx: dict[str, Any]) -> HttpResponse:
    return render(request, "work/task_page.html", ctx)


def _after_action(request: HttpRequest, project: Project, *, notice: str, done: int,
                  level: int = messages.SUCCESS) -> HttpResponse:
    """htmx: the next task fragment. Without JavaScript: a message and back to the task."""
    if is_htmx(request):
        tag = "error" if level == messages.ERROR else "success"
        return _fragment(request, _next_context(request, project, notice=notice,
                                                notice_tag=tag, done=done))
    messages.add_message(request, level, notice)
    return redirect("work_task", project.pk)


def _posted_assignment(request: HttpRequest, project_id: int) -> Assignment:
    """The worker's own assignment named by the form, with its project and item (one query)."""
    assignment = (
        Assignment.objects.select_related("item", "project")
        .filter(pk=to_int(request.POST.get("assignment")), worker=request.user,
                project_id=project_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def _gone_notice(assignment: Assignment) -> str:
    assignment.refresh_from_db(fields=["status", "expires_at"])
    if assignment.status in (AssignmentStatus.EXPIRED, AssignmentStatus.LEASED):
        return _("Time for that item ran out, so its answer was not saved. "
                 "It went back to the pool. Here is a new one.")
    return _("That item was already closed, so this answer was not saved.")


@worker_required
@require_GET
def task_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(project_id)
    return _page(request, _next_context(request, project))


@worker_required
@require_POST
def task_submit(request: HttpRequest, project_id: int) -> HttpResponse:
    assignment = _posted_assignment(request, project_id)
    project = assignment.project
    done = max(0, to_int(request.POST.get("done")))
    key = request.POST.get("key", "")[:100]
    render_form = _fragment if is_htmx(request) else _page
    if not has_answer(request.POST):
        return render_form(request, _task_context(
            project, assignment, key=key, done=done,
            error=_("Pick an answer first, then submit. Or skip this item."),
        ))
    answer = get_kind(project.kind).answer_from_form(request.POST, project.config)
    try:
        assignment_submit(
            worker=request.user,
            assignment_id=assignment.pk,
            answer=answer,
            idempotency_key=key,
            client_duration_ms=client_duration(request.POST.get("duration_ms")),
        )
    except InvalidInput as exc:
        return render_form(request, _task_context(
            project, assignment, key=key, done=done, answer=answer, error=exc.message,
        ))
    except Conflict:
        return _after_action(request, project, notice=_gone_notice(assignment), done=done,
                             level=messages.ERROR)
    # A replay (same key) answers like the first request did: same next item, same count.
    return _after_action(request, project, notice=_("Saved. Here is the next one."),
                         done=done + 1)


@worker_required
@require_POST
def task_skip(request: HttpRequest, project_id: int) -> HttpResponse:
    assignment = _posted_assignment(request, project_id)
    project = assignment.project
    done = max(0, to_int(request.POST.get("done")))
    try:
        assignment_release(worker=request.user, assignment_id=assignment.pk)
    except (Conflict, NotFound):
        return _after_action(request, project, notice=_gone_notice(assignment), done=done,
                             level=messages.ERROR)
    return _after_action(request, project, notice=_("Skipped. Here is another one."), done=done)


@worker_required
@require_POST
def task_stop(request: HttpRequest, project_id: int) -> HttpResponse:
    """Give the current item back and return to the feed."""
    project = _project(project_id)
    held = Assignment.objects.filter(
        pk=to_int(request.POST.get("assignment")), worker=request.user, project=project,
        status=AssignmentStatus.LEASED,
    ).values_list("pk", flat=True).first()
    if held:
        try:
            assignment_release(worker=request.user, assignment_id=held, stop=True)
        except DomainError:
            pass  # answered or expired in the meantime: nothing is held any more
    messages.info(request, _("Stopped for now. Your answers are saved; the open item went "
                             "back to the pool. Come back any time."))
    return redirect("work_feed")
