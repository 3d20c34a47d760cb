"""The sample page is scoped to the project's organization and validates verdicts."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.services import sample_create
from datadam.review.services import review_decide
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(make_project, make_user, do_work, client_org, reviewer):
    project = make_project(items=4, overlap=1)
    worker = make_user("worker")
    for _ in range(4):
        submission = do_work(project, worker, {"label": "pos"})
        review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve")
    results_aggregate(project_id=project.pk)
    return sample_create(user=client_org[0], project_id=project.pk, aql=0.1)


def _client(user) -> Client:
    c = Client()
    assert c.login(username=user.email, password=PASSWORD)
    return c


def test_owner_sees_the_sample_and_strangers_get_404(sample, client_org, make_client_org):
    url = f"/console/projects/{sample.project_id}/samples/{sample.pk}/"
    r = _client(client_org[0]).get(url)
    assert r.status_code == 200 and b"Acceptance sample" in r.content
    assert _client(make_client_org()[0]).get(url).status_code == 404


def test_an_empty_post_shows_the_error_and_changes_nothing(sample, client_org):
    url = f"/console/projects/{sample.project_id}/samples/{sample.pk}/"
    r = _client(client_org[0]).post(url, {"item-1": "maybe"})
    assert r.status_code == 200 and b"give a verdict" in r.content
    sample.refresh_from_db()
    assert sample.inspected == 0


def test_verdicts_finish_the_sample_and_go_to_the_dashboard(sample, client_org):
    url = f"/console/projects/{sample.project_id}/samples/{sample.pk}/"
    ids = list(sample.items.values_list("item_id", flat=True))
    r = _client(client_org[0]).post(url, {f"item-{i}": "correct" for i in ids})
    assert r.status_code == 302 and r["Location"].endswith(f"/projects/{sample.project_id}/")
    sample.refresh_from_db()
    assert (sample.status, sample.accepted) == ("done", True)


def test_the_wizard_refuses_min_above_max(client_org):
    r = _client(client_org[0]).post("/console/new/", {
        "kind": "text_classification", "name": "x", "labels": "a\nb", "reward": 1,
        "review_reward": 0, "overlap": 2, "min_answers": 3, "target_confidence": 0.9,
        "lease_minutes": 10, "review_policy": "manual", "auto_approve_hours": 72,
    })
    assert r.status_code == 200 and b"At most the answers per item." in r.content
