"""Document checks: upload validation, approval grants, rejection with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.qualifications import services
from datadam.qualifications.models import CredentialCheck, WorkerQualification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def doctor(operator):
    return services.qualification_create(user=operator, organization_id=None,
                                         name="Medical doctor", granting="credential",
                                         document_hint="A photo or scan of your licence")


def upload(name: str = "licence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_an_uploaded_document_waits_for_a_check_and_is_stored(worker, doctor):
    check = services.credential_submit(worker=worker, qualification_id=doctor.pk,
                                       file=upload(), note="Seoul licence")
    assert (check.status, check.content_type, check.size) == ("pending", "application/pdf",
                                                              len(PDF))
    with default_storage.open(check.document, "rb") as f:
        assert f.read() == PDF


@pytest.mark.parametrize("name,content,message", [
    ("licence.exe", PDF, "PDF, PNG or JPG"),
    ("licence.pdf", b"MZ\x90\x00 not a pdf", "not a PDF"),
    ("scan.png", PDF, "not a PNG"),
    ("empty.jpg", b"", "empty"),
])
def test_documents_of_the_wrong_type_are_refused(worker, doctor, name, content, message):
    with pytest.raises(InvalidInput) as err:
        services.credential_submit(worker=worker, qualification_id=doctor.pk,
                                   file=upload(name, content))
    assert message in err.value.message
    assert not CredentialCheck.objects.exists()


def test_a_document_over_10_mb_is_refused(worker, doctor):
    big = upload("big.png", PNG + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(InvalidInput) as err:
        services.credential_submit(worker=worker, qualification_id=doctor.pk, file=big)
    assert "10 MB" in err.value.message


def test_a_second_document_while_one_is_pending_is_refused(worker, doctor):
    services.credential_submit(worker=worker, qualification_id=doctor.pk, file=upload())
    with pytest.raises(Conflict):
        services.credential_submit(worker=worker, qualification_id=doctor.pk,
                                   file=upload("scan.png", PNG))


def test_documents_only_for_qualifications_granted_by_a_check(worker, qualification):
    with pytest.raises(InvalidInput):
        services.credential_submit(worker=worker, qualification_id=qualification.pk,
                                   file=upload())


def test_approving_grants_the_qualification_with_a_level_and_expiry(worker, operator, doctor):
    check = services.credential_submit(worker=worker, qualification_id=doctor.pk, file=upload())
    until = timezone.now() + timedelta(days=365)
    services.credential_decide(operator=operator, check_id=check.pk, decision="approve",
                               level=2, expires_at=until)
    check.refresh_from_db()
    assert (check.status, check.level, check.decided_by) == ("approved", 2, operator)
    holding = WorkerQualification.objects.get(worker=worker, qualification=doctor)
    assert (holding.level, holding.source, holding.expires_at) == (2, "credential", until)


def test_rejecting_needs_a_reason_and_grants_nothing(worker, operator, doctor):
    check = services.credential_submit(worker=worker, qualification_id=doctor.pk, file=upload())
    with pytest.raises(InvalidInput):
        services.credential_decide(operator=operator, check_id=check.pk, decision="reject")
    services.credential_decide(operator=operator, check_id=check.pk, decision="reject",
                               reason="The licence number is unreadable.")
    check.refresh_from_db()
    assert (check.status, check.reason) == ("rejected", "The licence number is unreadable.")
    assert not WorkerQualification.objects.exists()
    # After a rejection the worker may send a new document.
    services.credential_submit(worker=worker, qualification_id=doctor.pk, file=upload())


def test_a_decided_check_cannot_be_decided_again(worker, operator, doctor):
    check = services.credential_submit(worker=worker, qualification_id=doctor.pk, file=upload())
    services.credential_decide(operator=operator, check_id=check.pk, decision="approve")
    with pytest.raises(Conflict):
        services.credential_decide(operator=operator, check_id=check.pk, decision="reject",
                                   reason="changed my mind")


def test_only_operators_decide_and_only_they_and_the_sender_read_the_document(
    worker, make_user, client_org, doctor
):
    check = services.credential_submit(worker=worker, qualification_id=doctor.pk, file=upload())
    with pytest.raises(PermissionDenied):
        services.credential_decide(operator=client_org[0], check_id=check.pk, decision="approve")
    _check, handle = services.credential_document(user=worker, check_id=check.pk)
    handle.close()
    for outsider in (make_user(), client_org[0]):
        with pytest.raises(NotFound):
            services.credential_document(user=outsider, check_id=check.pk)
