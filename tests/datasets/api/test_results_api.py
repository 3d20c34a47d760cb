"""Results API: aggregation, dataset card, samples, the export's statement, permissions."""

from __future__ import annotations

import json

import pytest

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.models import AcceptanceSample
from datadam.review.services import review_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(make_project, make_user, do_work, reviewer):
    """A dynamic-overlap project whose 6 items each got two agreeing answers, approved and
    aggregated."""
    project = make_project(items=6, min_answers=2, max_answers=4, target_confidence=0.9)
    a, b = make_user("worker"), make_user("worker")
    for _ in range(6):
        for worker in (a, b):
            submission = do_work(project, worker, {"label": "neg"})
            review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve")
    results_aggregate(project_id=project.pk)
    return project


def test_project_api_takes_and_shows_dynamic_overlap(client_org, api):
    user, org = client_org
    body = {"organization_id": org.pk, "name": "dyn", "kind": "text_classification",
            "config": {"labels": ["a", "b"]}, "reward": 1, "min_answers": 2, "max_answers": 5,
            "target_confidence": 0.95, "aggregation_method": "ds"}
    r = api(user).post("projects", body)
    assert r.status_code == 201, r.json()
    out = r.json()
    assert (out["min_answers"], out["max_answers"], out["overlap"]) == (2, 5, 5)
    assert (out["target_confidence"], out["aggregation_method"]) == (0.95, "ds")
    bad = api(user).post("projects", {**body, "min_answers": 6})
    assert bad.status_code == 422 and "min_answers" in bad.json()["message"]
    bad = api(user).post("projects", {**body, "target_confidence": 0.4})
    assert bad.status_code == 422


def test_aggregation_card_and_results_endpoints(done, client_org, api):
    client = api(client_org[0])
    agg = client.get(f"projects/{done.pk}/aggregation").json()
    assert agg["aggregation"]["items"] == 6 and agg["aggregation"]["labels"] == 12
    assert agg["overlap"] == {
        "dynamic": True, "min_answers": 2, "max_answers": 4, "target_confidence": 0.9,
        "answers_budgeted": 24, "answers_used": 12, "answers_saved": 12,
    }
    page = client.get(f"projects/{done.pk}/aggregated-results?limit=4").json()
    assert len(page["results"]) == 4 and page["next_after"] == page["results"][-1]["item_id"]
    assert page["results"][0]["label"] == "neg" and page["results"][0]["answers"] == 2
    estimates = client.get(f"projects/{done.pk}/worker-estimates").json()["workers"]
    assert [e["n_labels"] for e in estimates] == [6, 6]
    card = client.get(f"projects/{done.pk}/dataset-card").json()
    assert card["results"] == 6 and card["overlap"]["answers_saved"] == 12
    assert card["accuracy"]["source"] is None  # nothing measured yet
    assert client.post(f"projects/{done.pk}/aggregation/run").status_code == 202
    # The dashboard's progress counts the answers dynamic overlap wants, not the maximum.
    assert client.get(f"projects/{done.pk}/stats").json()["answers_wanted"] == 12


def test_export_states_accuracy_without_breaking_jsonl(done, client_org, api):
    client = api(client_org[0])
    plain = client.get(f"projects/{done.pk}/export.jsonl")
    assert plain["Link"] == (
        f'</api/v1/projects/{done.pk}/dataset-card>; rel="describedby"; type="application/json", '
        f'</console/projects/{done.pk}/dataset-card/>; rel="describedby"; type="text/html"')
    rows = [json.loads(x) for x in b"".join(plain.streaming_content).splitlines()]
    assert len(rows) == 6 and all("item_id" in r for r in rows)
    assert rows[0]["result"]["method"] == "auto" and rows[0]["result"]["answers"] == 2
    assert 0.5 < rows[0]["result"]["confidence"] <= 1
    with_card = client.get(f"projects/{done.pk}/export.jsonl?card=true")
    lines = [json.loads(x) for x in b"".join(with_card.streaming_content).splitlines()]
    assert list(lines[0]) == ["dataset_card"] and len(lines) == 7
    assert lines[0]["dataset_card"]["accuracy"]["model_expected_accuracy"] > 0.5


def test_acceptance_sample_round_trip(done, client_org, api):
    client = api(client_org[0])
    r = client.post(f"projects/{done.pk}/samples", {"aql": 0.065})
    assert r.status_code == 201, r.json()
    sample = r.json()
    assert sample["plan"]["lot_size"] == 6 and sample["plan"]["sample_size"] == 2
    assert sample["plan"]["acceptance_number"] == 1 and sample["status"] == "open"
    ids = [i["item_id"] for i in sample["items"]]
    part = client.post(f"samples/{sample['id']}/inspect",
                       {"verdicts": [{"item_id": ids[0], "correct": True}]}).json()
    assert part["status"] == "open" and part["inspected"] == 1 and part["result"] is None
    final = client.post(f"samples/{sample['id']}/inspect",
                        {"verdicts": [{"item_id": ids[1], "correct": True}]}).json()
    assert final["status"] == "done" and final["result"]["accepted"] is True
    assert final["result"]["accuracy"] == 1.0
    again = client.post(f"samples/{sample['id']}/inspect",
                        {"verdicts": [{"item_id": ids[1], "correct": False}]})
    assert again.status_code == 409
    card = client.get(f"projects/{done.pk}/dataset-card").json()["accuracy"]
    assert card["source"] == "acceptance_sample" and card["estimate"] == 1.0
    low, high = card["interval_95"]
    assert 0 < low < 1 and high == 1.0
    assert client.get(f"projects/{done.pk}/samples").json()[0]["id"] == sample["id"]


def test_sample_refusals(done, make_project, client_org, api):
    client = api(client_org[0])
    assert client.post(f"projects/{done.pk}/samples", {"aql": 0.3}).status_code == 422
    empty = make_project(items=2)
    assert client.post(f"projects/{empty.pk}/samples", {"aql": 0.025}).status_code == 409
    sample = client.post(f"projects/{done.pk}/samples", {"aql": 0.025}).json()
    r = client.post(f"samples/{sample['id']}/inspect",
                    {"verdicts": [{"item_id": 10**9, "correct": True}]})
    assert r.status_code == 422


def test_other_organizations_and_workers_get_404(done, make_client_org, make_user, api):
    stranger = api(make_client_org()[0])
    sample = AcceptanceSample.objects.create(
        project=done, requested_by=done.created_by, lot_size=6, aql=0.025, sample_size=0,
        acceptance=0,
    )
    for path in ("dataset-card", "aggregation", "aggregated-results", "worker-estimates",
                 "samples"):
        assert stranger.get(f"projects/{done.pk}/{path}").status_code == 404, path
    assert stranger.post(f"projects/{done.pk}/samples", {"aql": 0.025}).status_code == 404
    assert stranger.post(f"projects/{done.pk}/aggregation/run").status_code == 404
    assert stranger.get(f"samples/{sample.pk}").status_code == 404
    worker = api(make_user("worker"))
    assert worker.get(f"samples/{sample.pk}").status_code == 404
    assert worker.get(f"projects/{done.pk}/dataset-card").status_code == 404
    assert api(None).get(f"projects/{done.pk}/dataset-card").status_code == 401


def test_a_reviewer_may_inspect_a_sample(done, client_org, reviewer, api):
    sample = api(client_org[0]).post(f"projects/{done.pk}/samples", {"aql": 0.1}).json()
    r = api(reviewer).get(f"samples/{sample['id']}")
    assert r.status_code == 200 and len(r.json()["items"]) == sample["plan"]["sample_size"]
