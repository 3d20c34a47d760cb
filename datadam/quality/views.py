"""Quality pages: the client's project quality, the worker's score, the operators' appeals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required, operator_required, worker_required
from datadam.errors import DomainError

from . import services
from .forms import AppealForm, PolicyForm, RuleForm
from .selectors import appeals_queue, my_quality, project_quality


def _policy_initial(policy: Any) -> dict[str, Any]:
    return {f: getattr(policy, f) for f in PolicyForm.base_fields}


@manager_required
def project_page(request: HttpRequest, project_id: int) -> HttpResponse:
    """Policy form, rules, gold items, per-worker gold accuracy and rule hits."""
    data = project_quality(user=request.user, project_id=project_id)
    policy_form = PolicyForm(initial=_policy_initial(data["policy"]), prefix="policy")
    rule_form = RuleForm(prefix="rule")
    if request.method == "POST":
        is_rule = "rule-kind" in request.POST
        form = RuleForm(request.POST, prefix="rule") if is_rule else PolicyForm(
            request.POST, prefix="policy")
        if form.is_valid():
            try:
                if is_rule:
                    services.rule_create(user=request.user, project_id=project_id,
                                         **form.service_fields())
                else:
                    services.policy_update(user=request.user, project_id=project_id,
                                           **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Rule added.") if is_rule else _("Policy saved."))
                return redirect(request.path)
        if is_rule:
            rule_form = form
        else:
            policy_form = form
    return render(request, "quality/project.html", {
        **data, "policy_form": policy_form, "rule_form": rule_form,
    })


@manager_required
@require_POST
def rule_delete(request: HttpRequest, project_id: int, rule_id: int) -> HttpResponse:
    services.rule_delete(user=request.user, project_id=project_id, rule_id=rule_id)
    messages.success(request, _("Rule removed."))
    return redirect("quality_project", project_id)


@worker_required
def mine(request: HttpRequest) -> HttpResponse:
    """The worker's gold scores, warnings and restrictions, with an appeal form for each."""
    return render(request, "quality/mine.html", {**my_quality(worker=request.user),
                                                 "form": AppealForm()})


@worker_required
@require_POST
def appeal(request: HttpRequest, hit_id: int) -> HttpResponse:
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_create(worker=request.user, hit_id=hit_id,
                                   message=form.cleaned_data["message"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Appeal sent. An operator will decide on it."))
    else:
        messages.error(request, _("Say why the restriction should be lifted."))
    return redirect("quality_mine")


@operator_required
def appeals(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "pending")
    return render(request, "quality/appeals.html", {
        "appeals": appeals_queue(operator=request.user, status=status), "status": status,
    })


@operator_required
@require_POST
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    lift = request.POST.get("decision") == "lift"
    try:
        services.appeal_decide(operator=request.user, appeal_id=appeal_id, lift=lift,
                               note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Restriction lifted.") if lift else _("Appeal refused."))
    return redirect("quality_appeals")
