"""The feed of projects a worker may take, and one project's brief."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from datadam.accounts.access import worker_required
from datadam.kinds import kind_title
from datadam.projects.models import ProjectStatus
from datadam.qualifications.eligibility import claim_refusals
from datadam.rewards.selectors import worker_account_of

from ..selectors import (
    feed_cards,
    feed_restrictions,
    live_lease_projects,
    project_pace,
    returned_counts,
)
from ._common import workable_project


@worker_required
def feed(request: HttpRequest) -> HttpResponse:
    returned = returned_counts(worker=request.user)
    cards = feed_cards(worker=request.user, returned=returned)
    account = worker_account_of(user=request.user)
    return render(request, "work/feed.html", {
        "cards": [{"card": c, "kind_title": kind_title(c.project.kind)} for c in cards],
        "returned_total": sum(returned.values()),
        "balance": account.balance if account else 0,
        "restrictions": feed_restrictions(worker=request.user),
    })


@worker_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = workable_project(project_id)
    config = project.config if isinstance(project.config, dict) else {}
    return render(request, "work/project.html", {
        "project": project,
        "kind_title": kind_title(project.kind),
        "labels": config.get("labels") or [],
        "multi_label": bool(config.get("multi_label")),
        "pace": project_pace(project=project),
        "lease_minutes": max(1, project.lease_seconds // 60),
        "is_open": project.status == ProjectStatus.OPEN,
        # Requirements, skill gate, invitation-only: say why not, rather than offer Start.
        "refusals": claim_refusals(worker=request.user, project_id=project.pk),
        "returned": returned_counts(worker=request.user).get(project.pk, 0),
        "in_progress": project.pk in live_lease_projects(worker=request.user),
    })
