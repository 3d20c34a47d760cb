"""API: a project's consent form, workers signing it, their consents and withdrawing them,
and the captures whose consent was withdrawn (for the client)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from datadam.errors import ErrorOut, PermissionDenied

from . import selectors, services
from .models import ConsentForm

router = Router(tags=["consent"])


class ConsentFormIn(Schema):
    title: str
    body: str
    subject: str = "worker"


class ConsentFormOut(Schema):
    id: int
    project_id: int
    version: int
    title: str
    body: str
    subject: str
    active: bool
    created_at: datetime


class ConsentVersionOut(ConsentFormOut):
    signed: int
    withdrawn: int


class ConsentFormStateOut(Schema):
    required: bool
    form: ConsentFormOut | None
    versions: list[ConsentVersionOut]
    consents_signed: int | None
    consents_withdrawn: int | None


class ConsentSignIn(Schema):
    subject_name: str
    signature: str
    agree: bool = False
    third_party: bool = False


class ConsentOut(Schema):
    id: int
    project_id: int
    project_name: str
    form_id: int
    form_version: int
    form_title: str
    subject: str
    subject_name: str
    signer_id: int
    signed_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str
    captures: int


class ConsentWithdrawIn(Schema):
    reason: str = ""


class WithdrawnCaptureOut(Schema):
    capture_id: int
    item_id: int
    external_id: str
    worker_id: int
    consent_id: int
    media_kind: str
    captured_at: datetime
    withdrawn_at: datetime
    reason: str


class WithdrawnPageOut(Schema):
    items: list[WithdrawnCaptureOut]
    next_after: int | None


def _form_out(form: ConsentForm) -> dict:
    return {
        "id": form.pk, "project_id": form.project_id, "version": form.version,
        "title": form.title, "body": form.body, "subject": form.subject,
        "active": form.active, "created_at": form.created_at,
    }


@router.get("/projects/{project_id}/consent-form", response=ConsentFormStateOut)
def consent_form_get(request: HttpRequest, project_id: int):
    """The consent form workers sign before capturing (``form`` null: none is asked). The
    project's organization also gets every version, newest first, with its consents."""
    state = selectors.consent_form_state(user=request.auth, project_id=project_id)
    form = state["form"]
    return {
        "required": form is not None,
        "form": form and _form_out(form),
        "versions": [
            {**_form_out(v), "signed": v.signed, "withdrawn": v.withdrawn}
            for v in state["versions"]
        ],
        "consents_signed": state["consents_signed"],
        "consents_withdrawn": state["consents_withdrawn"],
    }


@router.put("/projects/{project_id}/consent-form", response=ConsentFormOut)
def consent_form_put(request: HttpRequest, project_id: int, payload: ConsentFormIn):
    """Ask for consent on this form (``subject``: ``worker``, the worker's own face or
    voice, signed once per version; ``third_party``, each person recorded signs on the
    worker's device). A change makes a new version that workers sign again."""
    form = services.consent_form_save(
        user=request.auth, project_id=project_id, title=payload.title, body=payload.body,
        subject=payload.subject,
    )
    return _form_out(form)


@router.delete("/projects/{project_id}/consent-form", response={204: None})
def consent_form_delete(request: HttpRequest, project_id: int):
    """Stop asking for consent (the versions and their consents are kept)."""
    services.consent_form_remove(user=request.auth, project_id=project_id)
    return Status(204, None)


@router.post(
    "/projects/{project_id}/consents", response={201: ConsentOut, 409: ErrorOut, 422: ErrorOut}
)
def consent_sign(request: HttpRequest, project_id: int, payload: ConsentSignIn):
    """Sign the project's current consent form (workers): ``signature`` is
    ``subject_name`` typed again, ``agree`` must be true. On a ``worker`` form the worker
    signs for themselves once per version (signing again returns the same consent); on a
    ``third_party`` form (send ``third_party: true``) every signature is a new consent,
    whose id goes with the captures of that person."""
    consent = services.consent_sign(
        worker=request.auth, project_id=project_id, subject_name=payload.subject_name,
        signature=payload.signature, agree=payload.agree, third_party=payload.third_party,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, selectors.consent_out(consent))


@router.get("/consents", response=list[ConsentOut])
def consents_mine(request: HttpRequest, before: int = 0, limit: int = 100):
    """The consents I signed or collected, newest first (``before``: the last id of the
    previous page), each with the number of captures made under it."""
    rows = selectors.my_consents(worker=request.auth, before=before, limit=limit)
    return [selectors.consent_out(c) for c in rows]


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut)
def consent_withdraw(request: HttpRequest, consent_id: int, payload: ConsentWithdrawIn):
    """Withdraw a consent (the worker who signed or collected it; an operator at the
    person's request, with a ``reason``). Its captures leave every export from now on.
    Withdrawing again changes nothing."""
    consent = services.consent_withdraw(
        user=request.auth, consent_id=consent_id, reason=payload.reason
    )
    return selectors.consent_out(selectors.consents_with_counts().get(pk=consent.pk))


@router.get("/projects/{project_id}/consents/withdrawn", response=WithdrawnPageOut)
def consents_withdrawn(request: HttpRequest, project_id: int, after: int = 0, limit: int = 100):
    """Captures whose consent was withdrawn, newest withdrawal first, ``limit`` (at most
    1000) after the capture id ``after``; ``next_after`` continues (null at the end). The
    worker is given by id; the person in the data is not named."""
    rows, next_after = selectors.withdrawn_page(
        user=request.auth, project_id=project_id, after=after, limit=limit
    )
    return {"items": rows, "next_after": next_after}


@router.get("/ops/consents", response=list[ConsentOut], tags=["operators"])
def consents_find(request: HttpRequest, q: str = "", before: int = 0, limit: int = 50):
    """Operators: find consents by id (``q`` = ``123`` or ``#123``) or by the name of the
    person who signed (any part, any case), newest first."""
    if not request.auth.is_operator:
        raise PermissionDenied(_("only operators search consents"))
    return [selectors.consent_out(c) for c in selectors.consents_search(
        user=request.auth, q=q, before=before, limit=limit)]
