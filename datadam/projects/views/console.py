"""The console's project list and a project's dashboard with its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.accounts.access import manager_required
from datadam.datasets.export import item_results
from datadam.datasets.selectors import quality_panel
from datadam.errors import DomainError
from datadam.kinds import get_kind
from datadam.projects import charts, selectors, services
from datadam.projects.models import Item, Project, ProjectStatus

from ._common import error_message, managed_project

RESULTS_PREVIEW = 20
THROUGHPUT_HOURS = 24


@manager_required
def index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ProjectStatus.values:
        status = ""
    return render(request, "projects/index.html", {
        "rows": selectors.projects_overview(user=request.user, status=status),
        "balances": selectors.organization_balances(user=request.user),
        "statuses": ProjectStatus.choices,
        "status": status,
    })


def _org_balance(project: Project) -> int:
    from datadam.rewards.models import Account, AccountKind

    return (
        Account.objects.filter(kind=AccountKind.ORGANIZATION, organization=project.organization_id)
        .values_list("balance", flat=True)
        .first()
        or 0
    )


def numbers_context(project: Project) -> dict[str, Any]:
    """The auto-refreshed part of the dashboard: numbers and charts."""
    board = selectors.project_dashboard(project=project, hours=THROUGHPUT_HOURS)
    series = [(hour.strftime("%H:00"), n) for hour, n in board["throughput"]]
    if not any(n for _hour, n in series):
        series = []  # the chart says "no submissions yet" rather than drawing flat bars
    throughput_svg = charts.bar_chart(
        series,
        title=_("Submissions per hour, last %(n)s hours (UTC)") % {"n": THROUGHPUT_HOURS},
        empty_text=_("No submissions yet"),
        tick_every=6,
    )
    reserved = board["escrow_balance"]
    spend_svg = charts.meter_chart(
        [(_("Spent"), board["spent"], charts.BRAND), (_("Reserved"), reserved, "#7fa7e6")],
        total=max(board["budget"], board["spent"] + reserved),
        title=_("Spend against budget"),
        empty_text=_("No budget yet: the budget moves into escrow at launch"),
    )
    return {
        "project": project,
        "board": board,
        "progress_pct": round(board["progress"] * 100, 1),
        "throughput_svg": mark_safe(throughput_svg),  # noqa: S308 - escaped by charts
        "spend_svg": mark_safe(spend_svg),  # noqa: S308
    }


@manager_required
def numbers(request: HttpRequest, project_id: int) -> HttpResponse:
    project = managed_project(request, project_id)
    return render(request, "projects/_numbers.html", numbers_context(project))


def _results_preview(project: Project) -> list[dict[str, Any]]:
    items = list(
        Item.objects.filter(project=project, gold__isnull=True)  # gold items are not data
        .order_by("pk")
        .values("pk", "external_id", "data")[:RESULTS_PREVIEW]
    )
    rows = list(item_results(project, items))
    for row in rows:  # multi-label: p(yes) per label, as pairs (a label may be named "items")
        probabilities = (row["result"] or {}).get("probabilities")
        row["probabilities"] = list(probabilities.items()) if probabilities else []
    return rows


@manager_required
def dashboard(request: HttpRequest, project_id: int) -> HttpResponse:
    project = managed_project(request, project_id)
    context = numbers_context(project)
    cost = context["board"]["launch_cost"]
    balance = _org_balance(project)
    context.update(
        kind=get_kind(project.kind),
        balance=balance,
        shortfall=max(0, cost - balance),
        results=_results_preview(project),
        lease_minutes=round(project.lease_seconds / 60, 1),
        **quality_panel(project),
    )
    return render(request, "projects/dashboard.html", context)


def _act(request: HttpRequest, project_id: int, action: Any, done: str) -> HttpResponse:
    project = managed_project(request, project_id)
    try:
        action(user=request.user, project_id=project.pk)
    except DomainError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, done)
    return redirect("console:dashboard", project_id=project.pk)


@manager_required
@require_POST
def launch(request: HttpRequest, project_id: int) -> HttpResponse:
    return _act(request, project_id, services.project_launch,
                _("The project is open: workers can take its tasks now."))


@manager_required
@require_POST
def pause(request: HttpRequest, project_id: int) -> HttpResponse:
    return _act(request, project_id, services.project_pause,
                _("Paused: no new tasks are handed out until you resume."))


@manager_required
@require_POST
def resume(request: HttpRequest, project_id: int) -> HttpResponse:
    return _act(request, project_id, services.project_launch, _("Resumed."))


@manager_required
def close(request: HttpRequest, project_id: int) -> HttpResponse:
    """Asks for confirmation (GET), then closes for good (POST)."""
    project = managed_project(request, project_id)
    if request.method == "POST":
        return _act(request, project.pk, services.project_close,
                    _("Closed. The unused budget went back to the organization."))
    return render(request, "projects/close.html", {"project": project})
