"""The project wizard (create a draft, edit a project) and its live task preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required
from datadam.accounts.models import Organization
from datadam.errors import DomainError, InvalidInput
from datadam.kinds import all_kinds, get_kind
from datadam.projects import kindsettings, services
from datadam.projects.forms import ProjectForm, split_labels
from datadam.projects.models import ProjectStatus

from ._common import managed_project, sample_item

#: The wizard's fields that post several values (ticked boxes).
MULTI_FIELDS = frozenset(
    kindsettings.field_name(k, s) for k in all_kinds() for s in k.config_fields
    if s.type == "multi")


def _int(value: str | None, default: int = 0) -> int:
    try:
        return max(0, int(value or default))
    except ValueError:
        return default


def preview_context(data: dict[str, str], project_name: str = "") -> dict:
    """What the worker's task page would show with the settings typed so far."""
    slug = data.get("kind") or ""
    try:
        kind = get_kind(slug)
    except InvalidInput:
        kind = all_kinds()[0]
    labels = list(dict.fromkeys(split_labels(data.get("labels", ""))))
    multi = data.get("multi_label") in ("on", "true", "1")

    def getlist(name: str) -> list[Any]:
        value = data.get(name)
        return value if isinstance(value, list) else [value] if value else []

    try:
        config = kindsettings.kind_config(kind, labels, multi, data.get, getlist)
        config = kind.validate_config(config)
    except InvalidInput:
        # Half-typed settings: show the widget with what can be read (no labels yet, say).
        config = {"labels": labels, "multi_label": multi}
    widget = render_to_string(
        kind.widget_template,
        {"item": sample_item(kind.slug), "config": config, "answer": None, "readonly": False},
    )
    # The preview must not take the focus away from the field the client is typing in.
    widget = widget.replace(" data-autofocus", "")
    reward, review_reward = _int(data.get("reward")), _int(data.get("review_reward"))
    overlap = max(1, _int(data.get("overlap"), 1))
    return {
        "kind": kind,
        "name": (data.get("name") or project_name).strip(),
        "labels": labels,
        "instructions": data.get("instructions", ""),
        "reward": reward,
        "overlap": overlap,
        "item_cost": overlap * (reward + review_reward),
        "widget": mark_safe(widget),  # noqa: S308 - rendered by the kind's own template
    }


def _as_text(values: dict) -> dict[str, str]:
    """Form values as the strings a browser would post (a checked box posts "on")."""
    out = {k: v if isinstance(v, list) else "" if v is None else str(v)
           for k, v in values.items()}
    out["multi_label"] = "on" if values.get("multi_label") in (True, "on", "true", "1") else ""
    return out


def _form_values(form: ProjectForm, base: dict | None = None) -> dict[str, str]:
    """The values the form shows now (typed or initial), over ``base`` for absent fields."""
    values = dict(base or {})
    values.update({name: form[name].value() for name in form.fields})
    return _as_text(values)


@manager_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The live preview fragment, posted by the wizard as the client types.

    When editing a launched project the fixed settings (kind, labels, pay) are not in the
    form; ``project`` names the project they are read from.
    """
    # Lists for the settings ticked in groups of boxes (a kind's tools, languages).
    data = {k: v if len(v) > 1 or k in MULTI_FIELDS else v[0] for k, v in request.POST.lists()}
    name = ""
    if data.get("project", "").isdigit():
        project = managed_project(request, int(data["project"]))
        data = _as_text(ProjectForm.initial_for(project)) | data
        if "labels" in request.POST:  # an unticked box is simply absent from the post
            data["multi_label"] = request.POST.get("multi_label", "")
        name = project.name
    return render(request, "projects/_preview.html", {"preview": preview_context(data, name)})


@manager_required
def project_new(request: HttpRequest) -> HttpResponse:
    orgs = list(Organization.objects.filter(membership__user=request.user).order_by("name"))
    form = ProjectForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and orgs and form.is_valid():
        try:
            project = services.project_create(
                user=request.user,
                organization_id=form.cleaned_data["organization"],
                **form.project_fields(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft project created. Now add its items."))
            return redirect("console:items", project_id=project.pk)
    return render(request, "projects/project_form.html", {
        "form": form,
        "organizations": orgs,
        "preview": preview_context(_form_values(form)),
    })


@manager_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = managed_project(request, project_id)
    if project.status == ProjectStatus.CLOSED:
        messages.error(request, _("A closed project cannot be changed."))
        return redirect("console:dashboard", project_id=project.pk)
    form = ProjectForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                user=request.user, project_id=project.pk, **form.project_fields()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Project saved."))
            return redirect("console:dashboard", project_id=project.pk)
    return render(request, "projects/project_form.html", {
        "form": form,
        "project": project,
        "preview": preview_context(
            _form_values(form, ProjectForm.initial_for(project)), project.name
        ),
    })
