"""Reading consent forms and consents, scoped to the caller: the project's organization sees
its forms, counts and withdrawn captures (never a person's name); a worker sees the consents
they signed or collected; operators find any consent by id or name."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from datadam.collection.models import Capture
from datadam.errors import InvalidInput, PermissionDenied
from datadam.projects.selectors import project_visible
from datadam.projects.services import project_for_manager

from .models import Consent, ConsentForm, ConsentSubject

#: The most rows one page of any list here holds.
PAGE_MAX = 1000


def page_limit(limit: Any, default: int = 100) -> int:
    """A page size from 1 to ``PAGE_MAX`` (odd values are clamped rather than refused)."""
    if isinstance(limit, bool) or not isinstance(limit, int):
        return default
    return max(1, min(limit, PAGE_MAX))


def current_form(project_id: int) -> ConsentForm | None:
    """The form workers sign now: the project's latest active version (None: none asked)."""
    return (
        ConsentForm.objects.filter(project_id=project_id, active=True).order_by("-version").first()
    )


def active_worker_consent(*, form: ConsentForm, worker: Any) -> Consent | None:
    """The worker's own consent on ``form`` that still holds (a "worker" subject form)."""
    return Consent.objects.filter(
        form=form, signer_id=worker.pk, subject_is_worker=True, withdrawn_at=None
    ).first()


def consents_with_counts() -> QuerySet[Consent]:
    """Consents with their form, project and the number of captures made under each."""
    return Consent.objects.select_related("form", "project").annotate(
        capture_count=Count("captures")
    )


def consent_form_state(*, user: Any, project_id: int) -> dict[str, Any]:
    """A project's consent form as the caller may see it. Workers (who sign it) get the
    current form only; the project's organization and operators also get every version with
    its consent count and the total signed."""
    if getattr(user, "is_worker", False):
        project = project_visible(user, project_id)
        return {"project": project, "form": current_form(project.pk), "versions": [],
                "consents_signed": None, "consents_withdrawn": None}
    project = project_for_manager(user=user, project_id=project_id)
    versions = list(
        ConsentForm.objects.filter(project=project)
        .annotate(signed=Count("consents"),
                  withdrawn=Count("consents", filter=Q(consents__withdrawn_at__isnull=False)))
        .order_by("-version")
    )
    current = next((f for f in versions if f.active), None)
    return {
        "project": project,
        "form": current,
        "versions": versions,
        "consents_signed": sum(f.signed for f in versions),
        "consents_withdrawn": sum(f.withdrawn for f in versions),
    }


def withdrawn_captures(
    *, user: Any, project_id: int, after: int = 0, limit: int = 100
) -> list[dict[str, Any]]:
    """Every capture of the project whose consent was withdrawn, for its organization: what
    to take out of data already delivered. Newest withdrawal first (then newest capture);
    ``after`` is the last capture id of the previous page. The worker is named by id only,
    the person in the data not at all."""
    project = project_for_manager(user=user, project_id=project_id)
    return _withdrawn_rows(project.pk, after, page_limit(limit))


def withdrawn_page(
    *, user: Any, project_id: int, after: int = 0, limit: int = 100
) -> tuple[list[dict[str, Any]], int | None]:
    """One page of ``withdrawn_captures`` and the ``after`` of the next (None: the end)."""
    project = project_for_manager(user=user, project_id=project_id)
    size = page_limit(limit)
    rows = _withdrawn_rows(project.pk, after, size + 1)
    return rows[:size], (rows[size - 1]["capture_id"] if len(rows) > size else None)


def _withdrawn_rows(project_id: int, after: Any, count: int) -> list[dict[str, Any]]:
    qs = Capture.objects.filter(project_id=project_id, consent__withdrawn_at__isnull=False)
    if isinstance(after, int) and not isinstance(after, bool) and after > 0:
        since = qs.filter(pk=after).values_list("consent__withdrawn_at", flat=True).first()
        if since is None:
            raise InvalidInput(
                _("after must be the id of a capture on the previous page of this list")
            )
        qs = qs.filter(
            Q(consent__withdrawn_at__lt=since) | Q(consent__withdrawn_at=since, pk__lt=after)
        )
    rows = qs.order_by("-consent__withdrawn_at", "-pk").values(
        "pk", "item_id", "item__external_id", "worker_id", "consent_id", "media_kind",
        "created_at", "consent__withdrawn_at", "consent__withdrawal_reason",
    )[:count]
    return [
        {
            "capture_id": r["pk"],
            "item_id": r["item_id"],
            "external_id": r["item__external_id"],
            "worker_id": r["worker_id"],
            "consent_id": r["consent_id"],
            "media_kind": r["media_kind"],
            "captured_at": r["created_at"],
            "withdrawn_at": r["consent__withdrawn_at"],
            "reason": r["consent__withdrawal_reason"],
        }
        for r in rows
    ]


def my_consents(*, worker: Any, before: int = 0, limit: int = 100) -> list[Consent]:
    """The consents a worker signed for themselves or collected from others, newest first
    (``before``: the last id of the previous page), each with ``capture_count``."""
    if not getattr(worker, "is_worker", False):
        raise PermissionDenied(_("only workers sign consent forms"))
    qs = consents_with_counts().filter(signer_id=worker.pk)
    if isinstance(before, int) and before > 0:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-pk")[: page_limit(limit)])


def consents_search(*, user: Any, q: str = "", before: int = 0, limit: int = 50) -> list[Consent]:
    """Operators: consents by id (``q`` a number, or ``#`` and a number) or by the signing
    person's name (part of it, any case), newest first; every consent when ``q`` is empty."""
    if not getattr(user, "is_operator", False):
        raise PermissionDenied(_("only operators search consents"))
    qs = consents_with_counts().select_related("signer", "project__organization")
    text = (q or "").strip()
    number = text.removeprefix("#").strip()
    if number.isdigit() and len(number) <= 18:
        qs = qs.filter(pk=int(number))
    elif text:
        qs = qs.filter(subject_name__icontains=text)
    if isinstance(before, int) and before > 0:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-pk")[: page_limit(limit, default=50)])


def consent_out(consent: Consent) -> dict[str, Any]:
    """A consent as the API and the pages show it to its signer and operators."""
    captures = getattr(consent, "capture_count", None)
    if captures is None:
        captures = Capture.objects.filter(consent=consent).count()
    return {
        "id": consent.pk,
        "project_id": consent.project_id,
        "project_name": consent.project.name,
        "form_id": consent.form_id,
        "form_version": consent.form.version,
        "form_title": consent.form.title,
        "subject": ConsentSubject.WORKER if consent.subject_is_worker
        else ConsentSubject.THIRD_PARTY,
        "subject_name": consent.subject_name,
        "signer_id": consent.signer_id,
        "signed_at": consent.signed_at,
        "withdrawn_at": consent.withdrawn_at,
        "withdrawal_reason": consent.withdrawal_reason,
        "captures": captures,
    }
