"""Writes of consent: a project's form (a new version each change), signing it in the
browser, withdrawing a consent, and finding the consent a new capture is made under.

The signature is typed: the signing person types their name, then types it again as the
signature (as e-signature tools do), and ticks "I agree". Who signed, on which version,
when and from which browser is kept with the consent; each capture links to it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.collection.models import Capture
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.projects.models import Project
from datadam.projects.selectors import project_visible
from datadam.projects.services import project_for_manager

from .models import Consent, ConsentForm, ConsentSubject
from .selectors import active_worker_consent, current_form

__all__ = [
    "consent_for_capture",
    "consent_form_remove",
    "consent_form_save",
    "consent_sign",
    "consent_withdraw",
    "current_form",
]

MAX_TITLE = ConsentForm._meta.get_field("title").max_length
MAX_BODY = 20_000
MAX_NAME = Consent._meta.get_field("subject_name").max_length
MAX_REASON = Consent._meta.get_field("withdrawal_reason").max_length
MAX_USER_AGENT = Consent._meta.get_field("user_agent").max_length


def _text(name: str, value: Any, *, limit: int, required: bool = True) -> str:
    """``value`` stripped, when it is storable text of at most ``limit`` characters."""
    if not isinstance(value, str):
        raise InvalidInput(_("%(name)s must be text") % {"name": name})
    value = value.strip()
    if "\x00" in value:
        raise InvalidInput(_("%(name)s must not contain NUL characters") % {"name": name})
    if required and not value:
        raise InvalidInput(_("%(name)s must not be empty") % {"name": name})
    if len(value) > limit:
        raise InvalidInput(
            _("%(name)s must be at most %(limit)s characters") % {"name": name, "limit": limit}
        )
    return value


def signature_matches(name: str, signature: str) -> bool:
    """The signature is the name typed again, compared without case, spaces or character
    width: "anna LEE" signs for "Anna Lee", "홍 길동" for "홍길동"."""

    def key(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split()).casefold()

    return bool(key(name)) and key(name) == key(signature)


def consent_id_value(value: Any) -> int:
    """A consent id given as a number or as digits (a form field); else InvalidInput."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 18:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise InvalidInput(_("consent_id must be the id of a signed consent"))
    return value


# --- The project's form ---------------------------------------------------------------------
def consent_form_save(
    *, user: Any, project_id: int, title: str, body: str, subject: str
) -> ConsentForm:
    """Ask for consent on this form from now on (the project's organization or an operator).

    Each change makes a new version; the versions before stay, inactive, with the consents
    signed on them, and workers sign the new one before their next capture. Saving the
    current version unchanged returns it (nobody is asked to sign again for nothing).
    """
    title = _text("title", title, limit=MAX_TITLE)
    body = _text("body", body, limit=MAX_BODY)
    if subject not in ConsentSubject.values:
        raise InvalidInput(
            _("subject must be one of: %(values)s") % {"values": ", ".join(ConsentSubject.values)}
        )
    with transaction.atomic():
        # Locking the project serializes two saves, so each gets a version number of its own.
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        forms = ConsentForm.objects.filter(project=project)
        current = forms.filter(active=True).order_by("-version").first()
        if current is not None and (current.title, current.body, current.subject) == (
            title, body, subject
        ):
            return current
        version = (forms.aggregate(v=Max("version"))["v"] or 0) + 1
        forms.filter(active=True).update(active=False)
        form = ConsentForm.objects.create(
            project=project, version=version, title=title, body=body, subject=subject,
            created_by=user,
        )
        audit_record(
            actor=user, action="consent_form.save", target=form, project_id=project.pk,
            organization_id=project.organization_id,
            data={"version": version, "subject": subject, "title": title},
        )
    return form


def consent_form_remove(*, user: Any, project_id: int) -> None:
    """Stop asking for consent: no version is current any more (they all stay, with their
    consents). Removing when no form is asked for changes nothing."""
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        versions = list(
            ConsentForm.objects.filter(project=project, active=True).values_list(
                "version", flat=True
            )
        )
        if not versions:
            return
        ConsentForm.objects.filter(project=project, active=True).update(active=False)
        audit_record(
            actor=user, action="consent_form.remove", target=project, project_id=project.pk,
            organization_id=project.organization_id, data={"versions": sorted(versions)},
        )


# --- Signing ----------------------------------------------------------------------------------
def consent_sign(
    *,
    worker: Any,
    project_id: int,
    subject_name: str,
    signature: str,
    agree: bool,
    third_party: bool = False,
    user_agent: str = "",
) -> Consent:
    """Sign the project's current form in the worker's browser.

    "worker" forms: the worker signs for their own face or voice, once per version (signing
    again returns the consent they hold). "third_party" forms: the person being recorded
    signs on the worker's device, a new consent each time (one per person or session).
    """
    if not getattr(worker, "is_worker", False):
        raise PermissionDenied(_("only workers sign consent forms"))
    project = project_visible(worker, project_id)
    form = current_form(project.pk)
    if form is None:
        raise Conflict(_("this project asks for no consent form"))
    if agree is not True:
        raise InvalidInput(_("Tick “I agree” to sign the consent form."))
    if not isinstance(third_party, bool):
        raise InvalidInput(_("third_party must be true or false"))
    name = _text("subject_name", subject_name, limit=MAX_NAME)
    typed = _text("signature", signature, limit=MAX_NAME)
    if not signature_matches(name, typed):
        raise InvalidInput(
            _("The signature must be the name typed again: “%(name)s”.") % {"name": name}
        )
    for_worker = form.subject == ConsentSubject.WORKER
    if for_worker and third_party:
        raise InvalidInput(_(
            "This project's consent form is signed by workers for their own face or voice, "
            "not by another person."
        ))
    if not for_worker and not third_party:
        raise InvalidInput(_(
            "This project's consent form is signed by each person you record, on your "
            "device (third_party must be true)."
        ))
    agent = str(user_agent or "").replace("\x00", "")[:MAX_USER_AGENT]
    with transaction.atomic():
        if for_worker:
            held = active_worker_consent(form=form, worker=worker)
            if held is not None:
                return held
        try:
            with transaction.atomic():  # a savepoint: a twin request may insert first
                consent = Consent.objects.create(
                    form=form, project=project, signer=worker, subject_is_worker=for_worker,
                    subject_name=name, signature=typed, signed_at=timezone.now(),
                    user_agent=agent,
                )
        except IntegrityError:
            held = active_worker_consent(form=form, worker=worker) if for_worker else None
            if held is None:
                raise
            return held
        audit_record(
            actor=worker, action="consent.sign", target=consent, project_id=project.pk,
            organization_id=project.organization_id,
            data={"form_id": form.pk, "version": form.version, "third_party": not for_worker},
        )
    return consent


def consent_for_capture(*, project: Project, worker: Any, consent_id: Any) -> Consent | None:
    """The consent a new capture by ``worker`` links to (called inside the capture's
    transaction). None when the project asks for no consent; InvalidInput, saying what to
    do, when the consent needed is missing, withdrawn or signed on an older version."""
    form = current_form(project.pk)
    if form is None:
        return None
    if form.subject == ConsentSubject.WORKER:
        consent = active_worker_consent(form=form, worker=worker)
        if consent is None:
            raise InvalidInput(_(
                "Sign the consent form before capturing: this project records your face or "
                "voice only with your consent."
            ), code="consent_required")
        return consent
    if consent_id in (None, ""):
        raise InvalidInput(_(
            "Have the person you record sign the consent form before capturing."
        ), code="consent_required")
    cid = consent_id_value(consent_id)
    consent = Consent.objects.filter(pk=cid, project_id=project.pk, signer_id=worker.pk).first()
    if consent is None:
        raise InvalidInput(
            _("Consent %(id)s is not one you collected for this project.") % {"id": cid},
            code="consent_required",
        )
    if consent.withdrawn_at is not None:
        raise InvalidInput(
            _("Consent %(id)s was withdrawn: the person must sign again before you record "
              "them.") % {"id": cid},
            code="consent_withdrawn",
        )
    if consent.form_id != form.pk:
        old = ConsentForm.objects.filter(pk=consent.form_id).values_list("version", flat=True)
        raise InvalidInput(
            _("Consent %(id)s was signed on version %(old)s of the form; the person must sign "
              "the current version (%(new)s).")
            % {"id": cid, "old": old.first(), "new": form.version},
            code="consent_outdated",
        )
    return consent


# --- Withdrawal -------------------------------------------------------------------------------
def consent_withdraw(*, user: Any, consent_id: int, reason: str = "") -> Consent:
    """Withdraw a consent: its captures leave every export from now on and are listed for
    the client. By the worker who signed or collected it, or by an operator at the person's
    request (an operator says why). Withdrawing again changes nothing."""
    reason = _text("reason", reason or "", limit=MAX_REASON, required=False)
    if isinstance(consent_id, int) and not isinstance(consent_id, bool) and not (
        0 < consent_id < 2**63
    ):
        raise NotFound(_("consent not found"))  # no row can have that id
    cid = consent_id_value(consent_id)
    is_operator = getattr(user, "is_operator", False)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(pk=cid).first()
        if consent is None or not (is_operator or consent.signer_id == user.pk):
            # Somebody else's consent looks exactly like a missing one.
            raise NotFound(_("consent not found"))
        if consent.withdrawn_at is not None:
            return consent
        if is_operator and not reason:
            raise InvalidInput(_(
                "Say why the consent is withdrawn (for example: the person asked by e-mail)."
            ))
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = user
        consent.withdrawal_reason = reason
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        organization_id = (
            Project.objects.filter(pk=consent.project_id)
            .values_list("organization_id", flat=True).first()
        )
        audit_record(
            actor=user, action="consent.withdraw", target=consent,
            project_id=consent.project_id, organization_id=organization_id,
            data={"reason": reason, "by_operator": is_operator,
                  "captures": Capture.objects.filter(consent=consent).count()},
        )
    return consent
