"""Document checks: a worker uploads a credential (a licence, a certificate), an operator
looks at it and grants the qualification or rejects the document with a reason.

Documents are stored through Django's storage API under an unguessable name and are only
served through a permission-checked view, never as public media.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from .grants import check_level, holding_grant
from .models import CheckStatus, CredentialCheck, Granting, Qualification, Source

MAX_BYTES = 10 * 1024 * 1024
# Extension -> (content type, leading bytes every such file starts with).
FILE_TYPES = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


def _file_type(upload: Any) -> tuple[str, str]:
    """(extension, content type) of an upload, checked by name, size and content."""
    name = str(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FILE_TYPES:
        raise InvalidInput(_("Upload a PDF, PNG or JPG file."))
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise InvalidInput(_("The file is empty."))
    if size > MAX_BYTES:
        raise InvalidInput(_("The file is larger than 10 MB."))
    content_type, magic = FILE_TYPES[ext]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise InvalidInput(_("The file's content is not a %(type)s file.") % {"type": ext.upper()})
    return ext, content_type


def credential_submit(
    *, worker: Any, qualification_id: int, file: Any, note: str = ""
) -> CredentialCheck:
    """A worker sends a document for a qualification granted by a document check."""
    if not getattr(worker, "is_worker", False) or not worker.is_active:
        raise PermissionDenied(_("Only active workers send documents."))
    qualification = Qualification.objects.filter(pk=qualification_id).first()
    if qualification is None:
        raise NotFound(_("Qualification not found."))
    if qualification.granting != Granting.CREDENTIAL:
        raise InvalidInput(_("This qualification is not granted by a document check."))
    ext, content_type = _file_type(file)
    note = str(note or "").strip()
    if len(note) > 1000:
        raise InvalidInput(_("The note must be at most 1000 characters."))
    pending = CredentialCheck.objects.filter(
        worker=worker, qualification=qualification, status=CheckStatus.PENDING
    )
    if pending.exists():
        raise Conflict(_("Your document for this qualification is still waiting for a check."))
    stored = default_storage.save(f"credentials/{worker.pk}/{uuid.uuid4().hex}.{ext}", file)
    try:
        with transaction.atomic():
            check = CredentialCheck.objects.create(
                worker=worker, qualification=qualification, document=stored,
                original_name=str(file.name)[-200:], content_type=content_type,
                size=file.size, note=note,
            )
            audit_record(actor=worker, action="credential.submit", target=check,
                         organization_id=qualification.organization_id,
                         data={"qualification": qualification.pk, "size": file.size})
    except IntegrityError:
        default_storage.delete(stored)
        raise Conflict(
            _("Your document for this qualification is still waiting for a check.")
        ) from None
    except BaseException:
        default_storage.delete(stored)
        raise
    return check


def credential_decide(
    *,
    operator: Any,
    check_id: int,
    decision: str,
    level: int = 1,
    expires_at: datetime | None = None,
    reason: str = "",
) -> CredentialCheck:
    """An operator approves (granting the qualification) or rejects a pending document."""
    if not getattr(operator, "is_operator", False) or not operator.is_active:
        raise PermissionDenied(_("only operators check documents"))
    if decision not in ("approve", "reject"):
        raise InvalidInput(_("decision must be approve or reject"))
    reason = str(reason or "").strip()
    if decision == "reject" and not reason:
        raise InvalidInput(_("Give the worker a reason for the rejection."))
    if len(reason) > 2000:
        raise InvalidInput(_("the reason must be at most 2000 characters"))
    if decision == "approve":
        check_level(level)
        if expires_at is not None and expires_at <= timezone.now():
            raise InvalidInput(_("The expiry must be in the future."))
    with transaction.atomic():
        check = (
            CredentialCheck.objects.select_for_update(of=("self",))
            .select_related("qualification", "worker")
            .filter(pk=check_id)
            .first()
        )
        if check is None:
            raise NotFound(_("document check not found"))
        if check.status != CheckStatus.PENDING:
            raise Conflict(_("This document was already checked."))
        if decision == "approve":
            holding_grant(qualification=check.qualification, worker=check.worker, level=level,
                          source=Source.CREDENTIAL, actor=operator, expires_at=expires_at)
            check.status, check.level, check.expires_at = CheckStatus.APPROVED, level, expires_at
        else:
            check.status = CheckStatus.REJECTED
        check.reason = reason
        check.decided_by = operator
        check.decided_at = timezone.now()
        check.save()
        audit_record(actor=operator, action="credential.decide", target=check,
                     organization_id=check.qualification.organization_id,
                     data={"decision": decision, "worker": check.worker_id,
                           "qualification": check.qualification_id,
                           "level": check.level, "reason": reason[:500]})
    return check


def credential_document(*, user: Any, check_id: int) -> tuple[CredentialCheck, IO[bytes]]:
    """The stored document, for operators and the worker who sent it (404 for anyone else)."""
    check = CredentialCheck.objects.filter(pk=check_id).first()
    allowed = check is not None and user.is_active and (
        getattr(user, "is_operator", False) or check.worker_id == user.pk
    )
    if not allowed:
        raise NotFound(_("document not found"))
    try:
        handle = default_storage.open(check.document, "rb")
    except FileNotFoundError:
        raise NotFound(_("the document file is missing from storage")) from None
    return check, handle


def document_response(check: CredentialCheck, handle: Any) -> FileResponse:
    """Serve a document inline, as its checked type only and never cached. Images are also
    sandboxed; a PDF is not, because browsers refuse to show a sandboxed PDF (their viewer
    runs it away from this site's pages anyway)."""
    response = FileResponse(handle, content_type=check.content_type)
    ext = {"application/pdf": "pdf", "image/png": "png"}.get(check.content_type, "jpg")
    response["Content-Disposition"] = f'inline; filename="document-{check.pk}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    if check.content_type != "application/pdf":
        response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
