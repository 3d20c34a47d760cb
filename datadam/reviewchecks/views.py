"""Operators' page of reviewer accuracy on control answers, with removals to lift."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datadam.errors import DomainError

from . import selectors, services
from .models import ReviewerBlock


@login_required
def scores(request: HttpRequest) -> HttpResponse:
    """Operators: every reviewer's accuracy per project; reviewers are sent to their own."""
    if not request.user.is_operator:
        if request.user.is_reviewer:
            return redirect("skills:mine")
        raise PermissionDenied
    blocks = {(b.reviewer_id, b.project_id): b for b in ReviewerBlock.objects.all()[:1000]}
    rows = selectors.all_control_scores(user=request.user)
    for row in rows:
        if row["reviewer"] and row["project"]:
            row["block"] = blocks.get((row["reviewer"].pk, row["project"].pk))
    return render(request, "reviewchecks/scores.html",
                  {"rows": rows, **selectors.thresholds()})


@login_required
@require_POST
def lift(request: HttpRequest, block_id: int) -> HttpResponse:
    try:
        services.reviewer_block_lift(user=request.user, block_id=block_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The reviewer may review the project again."))
    return redirect("reviewchecks:scores")
