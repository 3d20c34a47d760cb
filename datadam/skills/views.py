"""Skills pages: a worker's own skills; a client's project skill settings and workers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required
from datadam.errors import DomainError
from datadam.projects.views._common import managed_project
from datadam.reviewchecks.selectors import my_control_scores

from . import selectors, services
from .estimate import GOLD_WEIGHT
from .forms import ProjectSkillsForm


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The worker's skills per kind and tag, and (reviewers) their accuracy on controls."""
    user = request.user
    if user.is_client:
        return redirect("console:index")
    return render(request, "skills/mine.html", {
        "rows": selectors.my_skills(worker=user),
        "controls": my_control_scores(reviewer=user) if user.is_reviewer else [],
        "gold_weight": GOLD_WEIGHT,
    })


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    services.skills_compute(worker_ids=[request.user.pk], actor=request.user)
    messages.success(request, _("Your skills were recomputed from your work."))
    return redirect("skills:mine")


@manager_required
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    """A client's project: skill tags, gate, bonus tier, invitation-only; its workers' skills."""
    proj = managed_project(request, project_id)
    current = selectors.project_settings(proj)
    initial = {"tags": ", ".join(current.tags or []), "min_skill": current.min_skill,
               "bonus_skill": current.bonus_skill, "bonus_percent": current.bonus_percent,
               "invite_only": current.invite_only}
    form = ProjectSkillsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_skills_set(user=request.user, project_id=proj.pk,
                                        **form.service_kwargs())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Skill settings saved."))
            return redirect("skills:project", project_id=proj.pk)
    found = selectors.project_worker_skills(user=request.user, project_id=proj.pk)
    return render(request, "skills/project.html", {
        "project": proj, "form": form, "rows": found["rows"], "tags": found["tags"],
    })
