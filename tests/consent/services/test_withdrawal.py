"""Withdrawing a consent, and the captures the client is told to delete."""

from __future__ import annotations

from datetime import timedelta

import pytest

from datadam.audit.models import AuditEvent
from datadam.collection.models import Capture
from datadam.consent import selectors, services
from datadam.consent.models import Consent
from datadam.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def test_the_worker_who_signed_withdraws_with_an_optional_reason(
    consent_project, worker, sign, make_capture
):
    consent = sign(worker, consent_project)
    make_capture(consent_project, worker, consent)
    done = services.consent_withdraw(user=worker, consent_id=consent.pk,
                                     reason=" changed my mind ")
    assert done.withdrawn_at is not None and done.withdrawn_by == worker
    assert done.withdrawal_reason == "changed my mind"
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.data == {"reason": "changed my mind", "by_operator": False, "captures": 1}
    assert event.project_id == consent_project.pk
    assert event.organization_id == consent_project.organization_id


def test_withdrawing_twice_changes_nothing(consent_project, worker, sign):
    consent = sign(worker, consent_project)
    first = services.consent_withdraw(user=worker, consent_id=consent.pk, reason="first")
    again = services.consent_withdraw(user=worker, consent_id=consent.pk, reason="second")
    assert again.withdrawn_at == first.withdrawn_at and again.withdrawal_reason == "first"
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


def test_an_operator_withdraws_at_the_persons_request_and_says_why(
    make_project, ask_consent, worker, operator, sign
):
    project = make_project()
    ask_consent(project, "third_party")
    consent = sign(worker, project, "Choi Yuna", third_party=True)
    with pytest.raises(InvalidInput, match="Say why"):
        services.consent_withdraw(user=operator, consent_id=consent.pk)
    done = services.consent_withdraw(user=operator, consent_id=consent.pk,
                                     reason="Her mother asked by e-mail")
    assert done.withdrawn_by == operator
    assert AuditEvent.objects.get(action="consent.withdraw").data["by_operator"] is True


def test_nobody_else_may_withdraw_a_consent(
    consent_project, worker, make_user, client_org, sign
):
    consent = sign(worker, consent_project)
    for stranger in (make_user(), client_org[0]):
        with pytest.raises(NotFound):
            services.consent_withdraw(user=stranger, consent_id=consent.pk, reason="x")
    with pytest.raises(NotFound):
        services.consent_withdraw(user=worker, consent_id=987654)
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None


def test_a_reason_too_long_or_with_nul_is_refused(consent_project, worker, sign):
    consent = sign(worker, consent_project)
    for reason in ("x" * 501, "a\x00b"):
        with pytest.raises(InvalidInput, match="reason"):
            services.consent_withdraw(user=worker, consent_id=consent.pk, reason=reason)


def test_the_client_gets_every_capture_whose_consent_was_withdrawn_newest_first(
    consent_project, worker, make_user, sign, make_capture
):
    owner = consent_project.created_by
    kept = sign(worker, consent_project)
    make_capture(consent_project, worker, kept)
    other = make_user()
    gone = sign(other, consent_project, "Jo Hana")
    older = make_capture(consent_project, other, gone)
    newer = Capture.objects.create(**{
        f.attname: getattr(older, f.attname) for f in Capture._meta.concrete_fields
        if f.attname not in ("id", "created_at")})
    services.consent_withdraw(user=other, consent_id=gone.pk, reason="moving abroad")
    rows = selectors.withdrawn_captures(user=owner, project_id=consent_project.pk)
    assert [r["capture_id"] for r in rows] == [newer.pk, older.pk]
    row = rows[0]
    assert row["worker_id"] == other.pk and row["reason"] == "moving abroad"
    assert row["item_id"] == older.item_id and row["consent_id"] == gone.pk
    assert "Jo Hana" not in str(rows)  # the person in the data is not named to the client


def test_the_withdrawn_list_pages_by_capture_id_across_equal_withdrawal_times(
    consent_project, make_user, sign, make_capture
):
    owner = consent_project.created_by
    captures = []
    for n in range(3):
        person = make_user()
        consent = sign(person, consent_project, f"Person {n}")
        captures.append(make_capture(consent_project, person, consent))
        services.consent_withdraw(user=person, consent_id=consent.pk)
    # Two consents withdrawn at the same instant: the capture id breaks the tie.
    same = Consent.objects.order_by("pk").first().withdrawn_at
    Consent.objects.update(withdrawn_at=same)
    Consent.objects.filter(pk=captures[0].consent_id).update(
        withdrawn_at=same - timedelta(hours=1))
    first, after = selectors.withdrawn_page(user=owner, project_id=consent_project.pk, limit=2)
    assert [r["capture_id"] for r in first] == [captures[2].pk, captures[1].pk]
    rest, end = selectors.withdrawn_page(user=owner, project_id=consent_project.pk,
                                         after=after, limit=2)
    assert [r["capture_id"] for r in rest] == [captures[0].pk] and end is None
    with pytest.raises(InvalidInput, match="after"):
        selectors.withdrawn_captures(user=owner, project_id=consent_project.pk, after=99999)


def test_another_organization_cannot_list_the_withdrawn_captures(
    consent_project, make_client_org, worker
):
    for stranger in (make_client_org()[0], worker):
        with pytest.raises(NotFound):
            selectors.withdrawn_captures(user=stranger, project_id=consent_project.pk)
