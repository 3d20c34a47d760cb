"""The consent panel of a task page: which state to show the worker, and the third-party
consent their browser holds for the project until they start on the next person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse

from datadam.projects.models import Project

from .models import Consent, ConsentForm, ConsentSubject
from .selectors import active_worker_consent, current_form

#: Session key: {project id: the third-party consent the worker is capturing under}.
SESSION_KEY = "consent_third_party"


def held_third_party(request: HttpRequest, form: ConsentForm) -> Consent | None:
    """The third-party consent this browser session signed for the form's project, while it
    still holds (not withdrawn, on the current version)."""
    consent_id = request.session.get(SESSION_KEY, {}).get(str(form.project_id))
    if not consent_id:
        return None
    return Consent.objects.filter(
        pk=consent_id, form=form, signer_id=request.user.pk, withdrawn_at=None
    ).first()


def hold_third_party(request: HttpRequest, project_id: int, consent_id: int | None) -> None:
    """Remember (or, with None, forget) the person being recorded in this project."""
    held = dict(request.session.get(SESSION_KEY, {}))
    if consent_id is None:
        held.pop(str(project_id), None)
    else:
        held[str(project_id)] = consent_id
    request.session[SESSION_KEY] = held


def panel_context(
    request: HttpRequest,
    project: Project,
    *,
    error: str = "",
    values: dict[str, str] | None = None,
    signed_now: bool = False,
) -> dict[str, Any] | None:
    """What ``consent/_panel_root.html`` shows; None when the project asks for no consent
    (the panel is then not rendered at all)."""
    form = current_form(project.pk)
    if form is None:
        return None
    user = request.user
    third_party = form.subject == ConsentSubject.THIRD_PARTY
    consent = None
    if user.is_authenticated and user.is_worker:
        if third_party:
            consent = held_third_party(request, form)
        else:
            consent = active_worker_consent(form=form, worker=user)
    return {
        "project": project,
        "form": form,
        "third_party": third_party,
        "consent": consent,
        "error": error,
        "values": values or {},
        "signed_now": signed_now,
        "sign_url": reverse("consent:sign", args=[project.pk]),
        "new_person_url": reverse("consent:new_person", args=[project.pk]),
        "csrf_token": get_token(request),
    }
