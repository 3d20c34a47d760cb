"""Access to a by-request dataset (hub.services.access): asking under the usage terms, the
owner's decision, revoking, and who may decide."""

from __future__ import annotations

import hashlib

import pytest

from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from datadam.hub.models import AccessRequest, AccessStatus, Dataset
from datadam.hub.services.access import access_request_create, access_request_decide
from datadam.hub.services.datasets import dataset_update
from datadam.hub.visibility import can_use
from datadam.notifications.models import Notification

pytestmark = pytest.mark.django_db

TERMS = "Research use only. Do not try to identify anyone."
PURPOSE = "Training a sentiment model for a thesis."


@pytest.fixture
def by_request(published, client_org) -> Dataset:
    return dataset_update(user=client_org[0], dataset_id=published.pk, visibility="request",
                          usage_terms=TERMS)


@pytest.fixture
def asker(make_user):
    return make_user("worker")


def _ask(dataset, user, **fields):
    fields.setdefault("purpose", PURPOSE)
    fields.setdefault("accept_terms", True)
    return access_request_create(user=user, dataset_id=dataset.pk, **fields)


def test_a_public_dataset_takes_no_access_request(published, asker):
    with pytest.raises(Conflict, match="not shared by request"):
        _ask(published, asker)
    assert not AccessRequest.objects.exists()


def test_asking_without_accepting_the_terms_is_refused(by_request, asker):
    for accepted in (False, None, "yes"):
        with pytest.raises(InvalidInput, match="accept the usage terms"):
            _ask(by_request, asker, accept_terms=accepted)
    with pytest.raises(InvalidInput, match="purpose"):
        _ask(by_request, asker, purpose="short")
    assert not AccessRequest.objects.exists()


def test_the_request_stores_the_digest_of_the_terms_accepted_and_tells_the_owner(
    by_request, asker, client_org
):
    request = _ask(by_request, asker, organization_name="Uni")
    assert request.status == AccessStatus.PENDING and request.terms_accepted_at is not None
    assert request.terms_digest == hashlib.sha256(TERMS.encode()).hexdigest()
    assert request.organization_name == "Uni" and request.purpose == PURPOSE
    assert Notification.objects.filter(user=client_org[0], code="hub.access_requested").exists()
    assert not can_use(asker, by_request)


def test_asking_twice_while_waiting_is_a_conflict(by_request, asker):
    _ask(by_request, asker)
    with pytest.raises(Conflict, match="waiting"):
        _ask(by_request, asker)
    assert AccessRequest.objects.count() == 1


def test_approval_gives_use_and_revoking_takes_it_back(by_request, asker, client_org):
    owner, _org = client_org
    request = _ask(by_request, asker)
    request = access_request_decide(user=owner, request_id=request.pk, approve=True)
    assert request.status == AccessStatus.APPROVED and request.decided_by == owner
    assert can_use(asker, by_request)
    assert Notification.objects.filter(user=asker, code="hub.access_approved").exists()
    with pytest.raises(Conflict, match="approved already"):
        _ask(by_request, asker)
    with pytest.raises(Conflict, match="waiting request"):
        access_request_decide(user=owner, request_id=request.pk, approve=True)

    with pytest.raises(InvalidInput, match="say why"):
        access_request_decide(user=owner, request_id=request.pk, approve=False)
    assert can_use(asker, by_request)
    request = access_request_decide(user=owner, request_id=request.pk, approve=False,
                                    reason="Used beyond the terms.")
    assert (request.status, request.reason) == (AccessStatus.REVOKED, "Used beyond the terms.")
    assert not can_use(asker, by_request)
    # Revoked (or declined) may ask again.
    again = _ask(by_request, asker)
    assert again.pk == request.pk and again.status == AccessStatus.PENDING
    assert again.reason == "" and again.decided_by is None


def test_declining_needs_a_reason(by_request, asker, client_org):
    owner, _org = client_org
    request = _ask(by_request, asker)
    with pytest.raises(InvalidInput, match="say why"):
        access_request_decide(user=owner, request_id=request.pk, approve=False, reason="  ")
    request = access_request_decide(user=owner, request_id=request.pk, approve=False,
                                    reason="No purpose we can support.")
    assert request.status == AccessStatus.DECLINED and not can_use(asker, by_request)
    note = Notification.objects.get(user=asker, code="hub.access_declined")
    assert note.params["reason"] == "No purpose we can support."
    with pytest.raises(Conflict, match="decided already"):
        access_request_decide(user=owner, request_id=request.pk, approve=False, reason="x")


def test_a_stranger_or_the_requester_cannot_decide(by_request, asker, make_client_org,
                                                   make_user):
    request = _ask(by_request, asker)
    stranger, _org = make_client_org()
    for user in (stranger, asker, make_user("worker")):
        with pytest.raises(PermissionDenied):
            access_request_decide(user=user, request_id=request.pk, approve=True)
    with pytest.raises(NotFound):
        access_request_decide(user=stranger, request_id=request.pk + 1000, approve=True)
    request.refresh_from_db()
    assert request.status == AccessStatus.PENDING


def test_an_organization_only_dataset_is_not_found_for_a_stranger(published, client_org,
                                                                  make_client_org, asker):
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="organization")
    with pytest.raises(NotFound):
        _ask(published, asker)
    stranger, _org = make_client_org()
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="request",
                   usage_terms=TERMS)
    request = _ask(published, asker)
    dataset_update(user=client_org[0], dataset_id=published.pk, visibility="organization")
    with pytest.raises(NotFound):
        access_request_decide(user=stranger, request_id=request.pk, approve=True)


def test_the_datasets_own_members_need_no_request(by_request, client_org):
    with pytest.raises(Conflict, match="manage this dataset"):
        _ask(by_request, client_org[0])
