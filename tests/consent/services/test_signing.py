"""Signing a consent form: typed signature, once per version for the worker, each time for
a third party."""

from __future__ import annotations

import pytest

from datadam.audit.models import AuditEvent
from datadam.consent import services
from datadam.consent.models import Consent
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def test_a_worker_signs_the_current_version_for_themselves(consent_project, worker, sign):
    consent = sign(worker, consent_project, "Kim Minji", signature="kim  minji")
    assert consent.signer == worker and consent.subject_is_worker
    assert consent.form.version == 1 and consent.project == consent_project
    assert (consent.subject_name, consent.signature) == ("Kim Minji", "kim  minji")
    assert consent.user_agent == "pytest" and consent.signed_at is not None
    event = AuditEvent.objects.get(action="consent.sign")
    assert (event.target_id, event.data["version"], event.data["third_party"]) == (
        consent.pk, 1, False)
    assert "Kim" not in str(event.data)  # the person's name stays out of the audit log


def test_signing_again_returns_the_consent_the_worker_holds(consent_project, worker, sign):
    first = sign(worker, consent_project)
    again = sign(worker, consent_project, "Kim Min-ji")
    assert again.pk == first.pk
    assert Consent.objects.count() == 1
    assert AuditEvent.objects.filter(action="consent.sign").count() == 1


def test_a_third_party_form_makes_a_new_consent_at_each_signature(
    make_project, ask_consent, worker, sign
):
    project = make_project()
    ask_consent(project, "third_party")
    first = sign(worker, project, "Lee Jiwoo", third_party=True)
    second = sign(worker, project, "Lee Jiwoo", third_party=True)
    assert first.pk != second.pk and not first.subject_is_worker
    assert Consent.objects.filter(signer=worker).count() == 2


def test_a_signature_that_is_not_the_name_again_is_refused(consent_project, worker, sign):
    with pytest.raises(InvalidInput, match="name typed again: “Kim Minji”"):
        sign(worker, consent_project, "Kim Minji", signature="KM")
    assert not Consent.objects.exists()


def test_without_i_agree_nothing_is_signed(consent_project, worker):
    for agree in (False, None, "yes"):
        with pytest.raises(InvalidInput, match="I agree"):
            services.consent_sign(worker=worker, project_id=consent_project.pk,
                                  subject_name="A", signature="A", agree=agree)
    assert not Consent.objects.exists()


def test_a_project_without_a_form_has_nothing_to_sign(make_project, worker, sign):
    with pytest.raises(Conflict, match="no consent form"):
        sign(worker, make_project())


def test_the_third_party_flag_must_fit_the_form(make_project, ask_consent, worker, sign):
    own, others = make_project(), make_project()
    ask_consent(own, "worker")
    ask_consent(others, "third_party")
    with pytest.raises(InvalidInput, match="for their own face or voice"):
        sign(worker, own, third_party=True)
    with pytest.raises(InvalidInput, match="third_party must be true"):
        sign(worker, others, third_party=False)


def test_only_workers_sign_and_only_on_projects_they_can_see(
    consent_project, client_org, make_project, ask_consent, worker, sign
):
    with pytest.raises(PermissionDenied):
        sign(client_org[0], consent_project)
    draft = make_project(launch=False)
    ask_consent(draft)
    with pytest.raises(NotFound):
        sign(worker, draft)


@pytest.mark.parametrize("name,message", [
    ("", "subject_name must not be empty"),
    ("x" * 201, "at most 200"),
    ("a\x00", "NUL"),
])
def test_a_name_that_cannot_be_stored_is_refused(consent_project, worker, sign, name, message):
    with pytest.raises(InvalidInput, match=message):
        sign(worker, consent_project, name)


def test_a_new_version_of_the_form_is_signed_again(consent_project, ask_consent, worker, sign):
    old = sign(worker, consent_project)
    ask_consent(consent_project)  # version 2
    new = sign(worker, consent_project)
    assert new.pk != old.pk and new.form.version == 2


def test_after_withdrawing_the_worker_may_sign_again(consent_project, worker, sign):
    old = sign(worker, consent_project)
    services.consent_withdraw(user=worker, consent_id=old.pk)
    new = sign(worker, consent_project)
    assert new.pk != old.pk and new.withdrawn_at is None


@pytest.mark.django_db(transaction=True)
def test_twin_signatures_sent_at_once_make_one_consent(consent_project, worker, sign, race):
    results = race(4, lambda i: sign(worker, consent_project))
    assert all(isinstance(r, Consent) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Consent.objects.count() == 1
