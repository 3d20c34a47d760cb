"""A project's organization sets who may work on it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from datadam.accounts.access import manager_required
from datadam.errors import DomainError
from datadam.projects.services import project_for_manager

from .. import selectors, services
from ..forms import RequirementForm


@manager_required
def requirements(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request.user
    project = project_for_manager(user=user, project_id=project_id)  # 404 for other orgs
    offered = list(selectors.qualifications_for_project(project))
    current = selectors.project_requirement(project.pk)
    form = RequirementForm(request.POST or None, qualifications=offered,
                           initial=RequirementForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.requirements_set(user=user, project_id=project.pk, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Requirements saved."))
            return redirect(request.path)
    return render(request, "qualifications/requirements.html", {
        "project": project, "form": form, "has_requirements": current is not None,
    })
