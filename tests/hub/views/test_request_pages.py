"""Improvement requests on the pages: reporting from the sample viewer, the list with its
tabs and the relabeling project, one request and its triage."""

from __future__ import annotations

import re

import pytest

from datadam.hub.models import ImprovementRequest, RequestStatus, VersionItem
from datadam.hub.services.requests import improvement_request_create, improvement_request_triage

pytestmark = pytest.mark.django_db


def _keys(dataset, label: str) -> list[int]:
    return list(VersionItem.objects.filter(version=dataset.latest, label=label)
                .order_by("key").values_list("key", flat=True))


def test_reporting_selected_items_files_a_request_and_opens_its_page(published, signed_in,
                                                                      worker):
    client = signed_in(worker)
    keys = _keys(published, "pos")
    response = client.post(f"/hub/{published.pk}/v1/items/", {
        "items": [str(k) for k in keys], "kind": "relabel", "proposed_label": "neg",
        "reason": "Both are clearly negative."})
    filed = ImprovementRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/hub/{published.pk}/requests/{filed.pk}/"
    assert (filed.keys, filed.proposed_label, filed.user) == (keys, "neg", worker)
    page = client.get(response["Location"]).content.decode()
    assert "Both are clearly negative." in page and 'id="proposed">neg<' in page
    for key in keys:
        assert f'#item-{key}">#{key}</a>' in page
    assert 'id="triage-form"' not in page  # the requester does not triage


def test_a_bad_report_stays_on_the_viewer_with_the_items_still_selected(published, signed_in,
                                                                        worker):
    client = signed_in(worker)
    url = f"/hub/{published.pk}/v1/items/"
    key = _keys(published, "pos")[0]
    no_items = client.post(url, {"kind": "relabel", "reason": "Wrong."})
    assert no_items.status_code == 422
    assert "Select the items whose label is wrong." in no_items.content.decode()
    no_reason = client.post(url, {"items": [str(key)], "kind": "relabel", "reason": ""})
    assert no_reason.status_code == 422
    assert re.search(rf'value="{key}"\s+checked', no_reason.content.decode())
    foreign = client.post(url, {"items": ["99999999"], "kind": "relabel", "reason": "Wrong."})
    assert foreign.status_code == 422 and "not in version 1" in foreign.content.decode()
    assert client.post(url, {"items": ["-1"], "kind": "relabel",
                             "reason": "Wrong."}).status_code == 422
    assert not ImprovementRequest.objects.exists()
    anonymous = signed_in().post(url, {"items": [str(key)], "kind": "relabel",
                                       "reason": "Wrong."})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_owner_triages_and_bad_decisions_are_shown_on_the_form(published, client_org,
                                                                   signed_in, worker):
    request = improvement_request_create(user=worker, dataset_id=published.pk, version=1,
                                         kind="other", reason="Add more reviews.")
    owner = signed_in(client_org[0])
    url = f"/hub/{published.pk}/requests/{request.pk}/"
    assert 'id="triage-form"' in owner.get(url).content.decode()
    no_reason = owner.post(url, {"decision": "decline", "response": ""})
    assert no_reason.status_code == 422 and "Say why" in no_reason.content.decode()
    self_duplicate = owner.post(url, {"decision": "duplicate", "duplicate_of": request.pk})
    assert self_duplicate.status_code == 422
    assert "another request of this dataset" in self_duplicate.content.decode()
    assert signed_in(worker).post(url, {"decision": "accept"}).status_code == 403
    assert owner.post(url, {"decision": "accept", "response": "Good idea."}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.response) == (RequestStatus.ACCEPTED, "Good idea.")
    assert 'id="triage-form"' not in owner.get(url).content.decode()
    assert owner.post(url, {"decision": "accept"}).status_code == 409
    assert owner.get(f"/hub/{published.pk}/requests/999999/").status_code == 404


def test_the_list_has_status_tabs_and_the_owner_creates_a_relabeling_project(
    published, client_org, signed_in, worker
):
    keys = _keys(published, "pos")
    relabel = improvement_request_create(user=worker, dataset_id=published.pk, version=1,
                                         kind="relabel", reason="Negative.", items=keys,
                                         proposed_label="neg")
    other = improvement_request_create(user=worker, dataset_id=published.pk, version=1,
                                       kind="other", reason="More data.")
    owner_user = client_org[0]
    improvement_request_triage(user=owner_user, request_id=relabel.pk, decision="accept")
    owner = signed_in(owner_user)
    page = owner.get(f"/hub/{published.pk}/requests/").content.decode()
    assert 'data-count="accepted">1<' in page and 'data-count="open">1<' in page
    assert f'id="pick-{relabel.pk}"' in page and f'id="pick-{other.pk}"' not in page
    only_open = owner.get(f"/hub/{published.pk}/requests/?status=open").content.decode()
    assert f'data-request="{other.pk}"' in only_open
    assert f'data-request="{relabel.pk}"' not in only_open
    assert owner.get(f"/hub/{published.pk}/requests/?status=nope").status_code == 400
    visitor_page = signed_in().get(f"/hub/{published.pk}/requests/").content.decode()
    assert 'id="relabel-form"' not in visitor_page and "pick-" not in visitor_page

    assert owner.post(f"/hub/{published.pk}/requests/", {}).status_code == 422
    assert signed_in(worker).post(f"/hub/{published.pk}/requests/",
                                  {"request_ids": [relabel.pk]}).status_code == 403
    response = owner.post(f"/hub/{published.pk}/requests/", {"request_ids": [relabel.pk],
                                                             "name": "Fix sentiment"})
    relabel.refresh_from_db()
    assert relabel.relabel_project is not None
    assert response.status_code == 302
    assert response["Location"] == f"/console/projects/{relabel.relabel_project_id}/"
    assert relabel.relabel_project.name == "Fix sentiment"
    again = owner.post(f"/hub/{published.pk}/requests/", {"request_ids": [relabel.pk]})
    assert again.status_code == 422  # no longer offered: the choice is refused
