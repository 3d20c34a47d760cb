"""Improvement requests end to end (hub.services.requests and the build): a user reports
wrong labels, the owner accepts, a relabeling project fixes them, and the next version
carries the new labels, credits the requester and tells them."""

from __future__ import annotations

import orjson
import pytest

from datadam.errors import Conflict, InvalidInput, PermissionDenied
from datadam.hub.models import (
    DatasetSource,
    ImprovementRequest,
    RelabelItem,
    RequestStatus,
    SourceRole,
    VersionItem,
)
from datadam.hub.selectors import version_changes
from datadam.hub.services.datasets import dataset_publish
from datadam.hub.services.requests import (
    improvement_request_create,
    improvement_request_triage,
    relabel_project_create,
)
from datadam.hub.services.versions import version_create
from datadam.notifications.models import Notification
from datadam.projects.models import Item
from datadam.projects.services import project_launch

pytestmark = pytest.mark.django_db

REASON = "These two texts are clearly negative."


@pytest.fixture
def requester(make_user):
    return make_user("worker", email="mina@example.test")


def _positive_keys(dataset) -> list[int]:
    return list(VersionItem.objects.filter(version=dataset.latest, label="pos")
                .order_by("key").values_list("key", flat=True))


def _relabel_request(dataset, user, keys) -> ImprovementRequest:
    return improvement_request_create(user=user, dataset_id=dataset.pk, version=1,
                                      kind="relabel", reason=REASON, items=keys,
                                      proposed_label="neg")


def test_a_relabeling_request_becomes_a_new_version_with_the_proposed_labels(
    published, client_org, requester, worker, do_work, build
):
    owner, _org = client_org
    keys = _positive_keys(published)
    assert len(keys) == 2
    request = _relabel_request(published, requester, keys)
    assert (request.status, request.keys, request.version_id) == (
        RequestStatus.OPEN, keys, published.latest_id)
    assert Notification.objects.filter(user=owner, code="hub.request_filed").exists()

    request = improvement_request_triage(user=owner, request_id=request.pk, decision="accept")
    assert request.status == RequestStatus.ACCEPTED and request.triaged_by == owner
    assert Notification.objects.filter(user=requester, code="hub.request_accepted").exists()

    project = relabel_project_create(user=owner, dataset_id=published.pk,
                                     request_ids=[request.pk])
    assert (project.status, project.items_count, project.kind) == ("draft", 2,
                                                                   "text_classification")
    assert REASON in project.instructions and "(proposed: neg)" in project.instructions
    assert sorted(RelabelItem.objects.filter(project=project).values_list("key", flat=True)) \
        == keys
    copied = {r.key: r.item_id for r in RelabelItem.objects.filter(project=project)}
    for key, item_id in copied.items():  # the data as the version holds it
        assert Item.objects.get(pk=item_id).data == Item.objects.get(pk=key).data
    assert DatasetSource.objects.get(dataset=published, project=project).role == \
        SourceRole.RELABEL
    request.refresh_from_db()
    assert request.relabel_project_id == project.pk

    project = project_launch(user=owner, project_id=project.pk)
    assert project.review_policy == "auto"
    for _ in keys:
        do_work(project, worker, {"label": "neg"})
    version_create(user=owner, dataset_id=published.pk, changelog="Relabelled two texts.")
    v2 = build(published)

    assert (v2.relabelled, v2.added, v2.removed, v2.items) == (2, 0, 0, 4)
    assert [c["key"] for c in version_changes(v2, "relabelled")["changes"]] == keys
    for key in keys:
        row = VersionItem.objects.get(version=v2, key=key)
        assert row.label == "neg" and orjson.loads(row.record)["result"]["label"] == "neg"
    assert v2.label_counts == {"neg": 3, "neu": 1}
    request.refresh_from_db()
    assert request.status == RequestStatus.RELEASED and request.released_in_id == v2.pk
    assert v2.changelog.startswith("Relabelled two texts.")
    assert f"#{request.pk} (mina)" in v2.changelog
    note = Notification.objects.get(user=requester, code="hub.request_released")
    assert note.params == {"dataset": "Sentiment", "version": 2, "request": request.pk}


def test_a_version_built_before_the_relabeling_is_done_does_not_release_the_request(
    published, client_org, requester, worker, do_work, build
):
    owner, _org = client_org
    keys = _positive_keys(published)
    request = _relabel_request(published, requester, keys)
    improvement_request_triage(user=owner, request_id=request.pk, decision="accept")
    project = relabel_project_create(user=owner, dataset_id=published.pk,
                                     request_ids=[request.pk])
    project_launch(user=owner, project_id=project.pk)
    do_work(project, worker, {"label": "neg"})  # one of the two
    version_create(user=owner, dataset_id=published.pk)
    v2 = build(published)
    assert v2.relabelled == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED and request.released_in_id is None
    assert not Notification.objects.filter(code="hub.request_released").exists()


def test_a_request_naming_items_not_in_the_version_is_refused(published, requester):
    keys = _positive_keys(published)
    with pytest.raises(InvalidInput, match="not in version 1: 999999"):
        _relabel_request(published, requester, [keys[0], 999_999])
    with pytest.raises(InvalidInput, match="names the items"):
        _relabel_request(published, requester, [])
    assert not ImprovementRequest.objects.exists()


def test_a_request_is_triaged_once(published, client_org, requester):
    owner, _org = client_org
    request = _relabel_request(published, requester, _positive_keys(published))
    improvement_request_triage(user=owner, request_id=request.pk, decision="accept")
    with pytest.raises(Conflict, match="triaged already"):
        improvement_request_triage(user=owner, request_id=request.pk, decision="decline",
                                   response="No.")


def test_declining_needs_a_response(published, client_org, requester):
    owner, _org = client_org
    request = _relabel_request(published, requester, _positive_keys(published))
    with pytest.raises(InvalidInput, match="say why"):
        improvement_request_triage(user=owner, request_id=request.pk, decision="decline",
                                   response="   ")
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    improvement_request_triage(user=owner, request_id=request.pk, decision="decline",
                               response="The labels are right.")
    note = Notification.objects.get(user=requester, code="hub.request_declined")
    assert note.params["reason"] == "The labels are right."


def test_a_duplicate_must_name_another_request_of_the_same_dataset(
    published, client_org, requester, labeled_project, build, make_user
):
    owner, _org = client_org
    keys = _positive_keys(published)
    request = _relabel_request(published, requester, keys)
    other = dataset_publish(user=owner, project_ids=[labeled_project.pk], title="Copy")
    build(other)
    elsewhere = improvement_request_create(user=requester, dataset_id=other.pk, version=1,
                                           kind="other", reason="Add more texts.")
    for duplicate_of in (elsewhere.pk, request.pk, None, 999_999):
        with pytest.raises(InvalidInput, match="another request of this dataset"):
            improvement_request_triage(user=owner, request_id=request.pk,
                                       decision="duplicate", duplicate_of=duplicate_of)
    first = _relabel_request(published, make_user(), keys)
    request = improvement_request_triage(user=owner, request_id=request.pk,
                                         decision="duplicate", duplicate_of=first.pk)
    assert request.status == RequestStatus.DUPLICATE and request.duplicate_of_id == first.pk


def test_only_the_datasets_organization_triages_and_relabels(published, requester,
                                                             make_client_org):
    request = _relabel_request(published, requester, _positive_keys(published))
    stranger, _org = make_client_org()
    for user in (requester, stranger):
        with pytest.raises(PermissionDenied):
            improvement_request_triage(user=user, request_id=request.pk, decision="accept")
        with pytest.raises(PermissionDenied):
            relabel_project_create(user=user, dataset_id=published.pk,
                                   request_ids=[request.pk])


def test_only_accepted_relabeling_requests_get_a_relabeling_project(published, client_org,
                                                                    requester):
    owner, _org = client_org
    request = _relabel_request(published, requester, _positive_keys(published))
    with pytest.raises(Conflict, match=str(request.pk)):
        relabel_project_create(user=owner, dataset_id=published.pk, request_ids=[request.pk])
    improvement_request_triage(user=owner, request_id=request.pk, decision="accept")
    relabel_project_create(user=owner, dataset_id=published.pk, request_ids=[request.pk])
    with pytest.raises(Conflict):  # it has one now
        relabel_project_create(user=owner, dataset_id=published.pk, request_ids=[request.pk])


def test_a_version_named_to_resolve_an_accepted_request_releases_it(published, client_org,
                                                                    requester, build):
    owner, _org = client_org
    request = improvement_request_create(user=requester, dataset_id=published.pk, version=1,
                                         kind="extend", reason="Add longer texts.")
    with pytest.raises(InvalidInput, match="only accepted"):
        version_create(user=owner, dataset_id=published.pk, resolves=[request.pk])
    improvement_request_triage(user=owner, request_id=request.pk, decision="accept")
    version_create(user=owner, dataset_id=published.pk, changelog="Longer texts.",
                   resolves=[request.pk])
    v2 = build(published)
    request.refresh_from_db()
    assert request.status == RequestStatus.RELEASED and request.released_in_id == v2.pk
    assert f"#{request.pk} (mina)" in v2.changelog
    assert Notification.objects.filter(user=requester, code="hub.request_released").exists()
