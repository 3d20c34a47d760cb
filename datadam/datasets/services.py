"""Acceptance sampling of delivered results: request a sample, inspect it, get the verdict."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound
from datadam.projects.services import project_for_manager
from datadam.review.services import may_review

from .accuracy import AQL_CHOICES, plan_verdict, single_sampling_plan
from .models import AcceptanceSample, AggregationState, ItemResult, SampleItem, SampleStatus

_rng = random.SystemRandom()


def results_refresh(*, user: Any, project_id: int) -> bool:
    """A project's manager asks for its results to be aggregated now (enqueued, no delay)."""
    from .aggregation import results_request

    project = project_for_manager(user=user, project_id=project_id)
    with transaction.atomic():
        AggregationState.objects.filter(project=project).update(requested=False)
        queued = results_request(project_id=project.pk, delay=False)
        audit_record(actor=user, action="results.refresh", target=project, project_id=project.pk,
                     organization_id=project.organization_id)
    return queued


def _sampled_results(project_id: int, lot_size: int, size: int) -> list[tuple[int, str, Any]]:
    """``size`` delivered results drawn uniformly, by streaming ids (memory ~ the sample)."""
    wanted = set(_rng.sample(range(lot_size), size))
    picked = []
    rows = (
        ItemResult.objects.filter(project_id=project_id, provisional=False)
        .order_by("item_id")
        .values_list("item_id", "label", "result")
        .iterator(chunk_size=5000)
    )
    for offset, row in enumerate(rows):
        if offset in wanted:
            picked.append(row)
            if len(picked) == size:
                break
    return picked


def sample_create(*, user: Any, project_id: int, aql: float) -> AcceptanceSample:
    """Draw an acceptance sample of the project's delivered results by a single sampling plan.

    The lot is every item with a delivered result: aggregated, and not provisional (a result
    resting on an answer still awaiting review is not delivered yet; docs/results.md). The
    plan (sample size and acceptance number) follows from the lot size and ``aql``, the share
    of wrong labels the client accepts.
    """
    if isinstance(aql, bool) or not isinstance(aql, int | float) or aql not in AQL_CHOICES:
        choices = ", ".join(f"{a:g}" for a in AQL_CHOICES)
        raise InvalidInput(_("aql must be one of %(choices)s") % {"choices": choices})
    project = project_for_manager(user=user, project_id=project_id)
    lot = ItemResult.objects.filter(project_id=project.pk, provisional=False).count()
    if lot == 0:
        waiting = ItemResult.objects.filter(project_id=project.pk, provisional=True).count()
        if waiting:
            raise Conflict(
                ngettext(
                    "there are no delivered results to inspect yet: %(n)d result rests on "
                    "answers still awaiting review",
                    "there are no delivered results to inspect yet: %(n)d results rest on "
                    "answers still awaiting review",
                    waiting,
                ) % {"n": waiting}
            )
        raise Conflict(_("there are no aggregated results to inspect yet"))
    plan = single_sampling_plan(lot, float(aql))
    picked = _sampled_results(project.pk, lot, plan.sample_size)
    with transaction.atomic():
        sample = AcceptanceSample.objects.create(
            project=project,
            requested_by=user,
            lot_size=lot,
            aql=plan.aql,
            sample_size=len(picked),
            acceptance=plan.acceptance,
        )
        SampleItem.objects.bulk_create(
            SampleItem(sample=sample, item_id=item_id, label=label, result=result)
            for item_id, label, result in picked
        )
        audit_record(
            actor=user,
            action="sample.create",
            target=sample,
            project_id=project.pk,
            organization_id=project.organization_id,
            data=plan.as_dict(),
        )
    return sample


def sample_for_inspector(*, user: Any, sample_id: int, lock: bool = False) -> AcceptanceSample:
    """The sample if the user may inspect it (the project's managers, reviewers); else 404."""
    qs = AcceptanceSample.objects.select_related("project")
    if lock:
        qs = qs.select_for_update(of=("self",))
    sample = qs.filter(pk=sample_id).first()
    if sample is None or not may_review(user, sample.project):
        raise NotFound(_("sample not found"))
    return sample


def sample_inspect(
    *, user: Any, sample_id: int, verdicts: dict[int, bool]
) -> AcceptanceSample:
    """Record correct/wrong for sampled items; the last verdict decides the sample.

    Verdicts may come in several batches and may be changed until the sample is decided.
    """
    if not verdicts:
        raise InvalidInput(_("give a verdict for at least one item"))
    if any(not isinstance(v, bool) for v in verdicts.values()):
        raise InvalidInput(_("each verdict must be true (correct) or false (wrong)"))
    with transaction.atomic():
        sample = sample_for_inspector(user=user, sample_id=sample_id, lock=True)
        if sample.status != SampleStatus.OPEN:
            raise Conflict(_("this sample has already been decided"))
        known = set(
            SampleItem.objects.filter(sample=sample, item_id__in=list(verdicts)).values_list(
                "item_id", flat=True
            )
        )
        unknown = sorted(set(verdicts) - known)
        if unknown:
            raise InvalidInput(
                _("items not in this sample: %(items)s")
                % {"items": ", ".join(map(str, unknown[:10]))}
            )
        now = timezone.now()
        for correct in (True, False):
            ids = [i for i, v in verdicts.items() if v is correct]
            SampleItem.objects.filter(sample=sample, item_id__in=ids).update(
                correct=correct, inspected_by=user, inspected_at=now
            )
        items = SampleItem.objects.filter(sample=sample)
        sample.inspected = items.filter(correct__isnull=False).count()
        sample.wrong = items.filter(correct=False).count()
        if sample.inspected == sample.sample_size:
            sample.status = SampleStatus.DONE
            sample.accepted = sample.wrong <= sample.acceptance
            sample.finished_at = now
        sample.save(update_fields=["inspected", "wrong", "status", "accepted", "finished_at"])
        audit_record(
            actor=user,
            action="sample.inspect",
            target=sample,
            project_id=sample.project_id,
            organization_id=sample.project.organization_id,
            data={"inspected": sample.inspected, "wrong": sample.wrong,
                  "accepted": sample.accepted},
        )
    return sample


def sample_outcome(sample: AcceptanceSample) -> dict[str, Any]:
    """Plan and (once decided) result of a sample, as the API and the dataset card state it."""
    plan = {
        "standard": "single sampling, ISO 2859-1 code letters (level II), producer's risk <= 5 %",
        "lot_size": sample.lot_size,
        "aql": sample.aql,
        "sample_size": sample.sample_size,
        "acceptance_number": sample.acceptance,
    }
    out: dict[str, Any] = {
        "id": sample.pk,
        "status": sample.status,
        "plan": plan,
        "inspected": sample.inspected,
        "wrong": sample.wrong,
        "created_at": sample.created_at.isoformat(),
        "finished_at": sample.finished_at.isoformat() if sample.finished_at else None,
        "result": None,
    }
    if sample.status == SampleStatus.DONE:
        out["result"] = plan_verdict(sample.acceptance, sample.inspected, sample.wrong)
    return out
