"""Pages: a client finds and invites workers for a project; a worker answers invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required
from datadam.errors import DomainError
from datadam.projects.views._common import managed_project

from . import selectors, services
from .forms import InviteForm, SearchForm

CRITERIA = {
    "accuracy": gettext_lazy("Careful and accurate"), "speed": gettext_lazy("Fast"),
    "kind": gettext_lazy("Skilled in"), "tag": gettext_lazy("Skill tag"),
    "language": gettext_lazy("Language"), "region": gettext_lazy("Region"),
    "occupation": gettext_lazy("Occupation"), "qualification": gettext_lazy("Qualification"),
}


@manager_required
def recommend(request: HttpRequest, project_id: int) -> HttpResponse:
    """Describe the workers wanted; see them ranked with why; invite them."""
    project = managed_project(request, project_id)
    form = SearchForm(request.GET or None)
    parsed, matches = None, []
    if request.GET and form.is_valid():
        try:
            parsed, matches = services.recommendation_search(
                user=request.user, project_id=project.pk,
                query=form.cleaned_data["query"], filters=form.filters(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
    _p, invitations = selectors.project_invitations(user=request.user, project_id=project.pk)
    criteria = [{"c": c, "label": CRITERIA.get(c.name, c.name)}
                for c in (parsed.criteria if parsed else ())]
    return render(request, "recommendations/recommend.html", {
        "project": project, "form": form, "parsed": parsed, "matches": matches,
        "criteria": criteria,
        "invitations": invitations[:100],
    })


@manager_required
@require_POST
def invite(request: HttpRequest, project_id: int) -> HttpResponse:
    project = managed_project(request, project_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        problem = form.errors.get("reasons")
        messages.error(request, problem[0] if problem else _("Pick a worker to invite."))
    else:
        try:
            services.invitation_create(
                user=request.user, project_id=project.pk,
                worker_id=form.cleaned_data["worker_id"],
                message=form.cleaned_data["message"],
                reasons=form.cleaned_data["reasons"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Invitation sent."))
    back = request.POST.get("next", "")
    if back.startswith("/talent/"):
        return redirect(back)
    return redirect("talent:recommend", project_id=project.pk)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """The worker's invitations: accept or decline the pending ones."""
    return render(request, "recommendations/invitations.html", {
        "invitations": selectors.worker_invitations(worker=request.user)[:200],
    })


@login_required
@require_POST
def respond(request: HttpRequest, invitation_id: int, answer: str) -> HttpResponse:
    if answer not in ("accept", "decline"):
        raise Http404
    try:
        inv = services.invitation_respond(worker=request.user, invitation_id=invitation_id,
                                          accept=answer == "accept")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if inv.status == "accepted":
            messages.success(request, _("Welcome aboard: the project is now at the top of "
                                        "your tasks."))
        else:
            messages.success(request, _("Invitation declined."))
    return redirect("talent:invitations")
