"""The dataset a client downloads: every item, every answer with its review, the result."""

from __future__ import annotations

import json

import pytest

from datadam.review.services import review_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled(make_project, make_user, reviewer, do_work):
    """Two items answered three times each; one answer rejected, one returned and revised."""
    from datadam.work.services import assignment_submit

    project = make_project(
        items=3, overlap=3, reward=1, review_reward=0, config={"labels": ["pos", "neg", "neu"]}
    )
    workers = [make_user() for _ in range(3)]
    plan = {  # worker -> labels for item 1 and item 2
        0: ("neg", "pos"),
        1: ("neg", "neu"),
        2: ("pos", "neu"),
    }
    subs = {}
    for i, w in enumerate(workers):
        for n in range(2):
            subs[(i, n)] = do_work(project, w, {"label": plan[i][n]})
    approve = lambda s: review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")  # noqa: E731
    for key in [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1)]:
        approve(subs[key])
    review_decide(
        reviewer=reviewer,
        submission_id=subs[(2, 1)].pk,
        decision="return",
        reason_code="wrong_answer",
        comment="look again",
    )
    revised, _ = assignment_submit(
        worker=workers[2], assignment_id=subs[(2, 1)].assignment_id, answer={"label": "pos"}
    )
    approve(revised)
    return project, workers, subs, revised


# Two of three answers from workers the platform knows nothing about yet (accuracy 0.7, each
# other of 3 labels 0.15): the one-coin posterior of the label they chose, never a vote share.
TWO_OF_THREE = round(0.7 * 0.7 * 0.15 / (0.7 * 0.7 * 0.15 + 0.15 * 0.15 * 0.7 + 0.15 ** 3), 6)


def _lines(response):
    body = b"".join(response.streaming_content)
    assert body.endswith(b"\n")
    return [json.loads(line) for line in body.splitlines()]


def test_export_streams_one_line_per_item_with_answers_reviews_and_majority(
    labelled, client_org, api
):
    project, workers, subs, revised = labelled

    r = api(client_org[0]).get(f"projects/{project.pk}/export.jsonl")

    assert r.status_code == 200
    assert r["Content-Type"] == "application/x-ndjson"
    assert f"project-{project.pk}.jsonl" in r["Content-Disposition"]
    rows = _lines(r)
    assert [row["data"] for row in rows] == [{"text": f"text {i}"} for i in range(3)]

    first, second, untouched = rows
    # Not aggregated yet: worked out from the counted answers now, marked as such.
    assert first["result"] == {"label": "neg", "confidence": TWO_OF_THREE, "answers": 3,
                               "method": "current", "provisional": False}
    assert [
        (a["worker_id"], a["answer"]["label"], a["review"]["decision"]) for a in first["answers"]
    ] == [
        (workers[0].pk, "neg", "approve"),
        (workers[1].pk, "neg", "approve"),
        (workers[2].pk, "pos", "approve"),
    ]

    # The returned answer is in the export with its review; only the approved revision votes.
    returned = [a for a in second["answers"] if a["submission_id"] == subs[(2, 1)].pk][0]
    assert returned["review"]["decision"] == "return"
    assert returned["review"]["reason_code"] == "wrong_answer"
    assert returned["review"]["comment"] == "look again"
    assert returned["revision"] == 0
    latest = [a for a in second["answers"] if a["submission_id"] == revised.pk][0]
    assert latest["revision"] == 1
    assert len(second["answers"]) == 4
    # pos (worker 0), neu (worker 1), pos (worker 2's revision): pos wins 2 of 3.
    assert second["result"] == {"label": "pos", "confidence": TWO_OF_THREE, "answers": 3,
                                "method": "current", "provisional": False}

    assert untouched["answers"] == [] and untouched["result"] is None


def test_unreviewed_and_rejected_answers_do_not_vote(
    make_project, make_user, reviewer, do_work, client_org, api
):
    project = make_project(items=1, overlap=3)
    rejected = do_work(project, make_user(), {"label": "neg"})
    do_work(project, make_user(), {"label": "neg"})
    approved = do_work(project, make_user(), {"label": "neu"})
    review_decide(
        reviewer=reviewer, submission_id=rejected.pk, decision="reject", reason_code="careless"
    )
    review_decide(reviewer=reviewer, submission_id=approved.pk, decision="approve")

    (row,) = _lines(api(client_org[0]).get(f"projects/{project.pk}/export.jsonl"))

    # One approved answer of an unknown worker: its prior accuracy, never certainty.
    assert row["result"] == {"label": "neu", "confidence": 0.7, "answers": 1,
                             "method": "current", "provisional": False}
    assert sorted((a["review"] or {}).get("decision", "pending") for a in row["answers"]) == [
        "approve",
        "pending",
        "reject",
    ]


def test_export_covers_every_item_across_chunks(make_project, client_org, api, settings):
    settings.DATADAM = {**settings.DATADAM, "EXPORT_CHUNK": 2}
    project = make_project(items=5)
    rows = _lines(api(client_org[0]).get(f"projects/{project.pk}/export.jsonl"))
    assert [row["data"]["text"] for row in rows] == [f"text {i}" for i in range(5)]
    assert len({row["item_id"] for row in rows}) == 5


def test_multi_label_results_keep_labels_most_answers_chose(
    make_project, make_user, reviewer, do_work, client_org, api
):
    project = make_project(
        items=1, overlap=3, config={"labels": ["a", "b", "c"], "multi_label": True}
    )
    for labels in (["a", "b"], ["a"], ["b", "a", "c"]):
        s = do_work(project, make_user(), {"labels": labels})
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    (row,) = _lines(api(client_org[0]).get(f"projects/{project.pk}/export.jsonl"))
    assert row["result"]["labels"] == ["a", "b"]


def test_multi_label_export_carries_the_stored_aggregated_set(
    make_project, make_user, do_work, client_org, api
):
    from datadam.datasets.aggregation import results_aggregate

    # Approved automatically after a delay: answers awaiting it count, provisionally.
    project = make_project(items=1, overlap=3, aggregation_method="mv", review_policy="auto",
                           config={"labels": ["a", "b", "c"], "multi_label": True})
    for labels in (["a", "b"], ["a"], ["b", "a", "c"]):
        do_work(project, make_user(), {"labels": labels})
    results_aggregate(project_id=project.pk)
    (row,) = _lines(api(client_org[0]).get(f"projects/{project.pk}/export.jsonl"))
    # Binary skills from agreement with the set (1, 2/3, 2/3 of 3 votes), shrunk towards 0.7
    # by 4 pseudo-votes; b and c are each decided against one of the two 2/3 workers.
    a1, a2 = (3 + 2.8) / 7, (2 + 2.8) / 7
    right, wrong = a1 * a2 * (1 - a2), (1 - a1) * (1 - a2) * a2
    assert row["result"] == {
        "labels": ["a", "b"],
        "probabilities": {"a": 1.0, "b": 0.6667, "c": 0.3333},  # mv: the shares of yes votes
        "confidence": pytest.approx(right / (right + wrong), abs=1e-6),
        "answers": 3,
        "provisional": True,
        "method": "mv",
    }


def test_results_page_through_items_with_the_same_records(labelled, client_org, api):
    project, *_ = labelled
    client = api(client_org[0])
    exported = _lines(client.get(f"projects/{project.pk}/export.jsonl"))

    page1 = client.get(f"projects/{project.pk}/results?limit=2").json()
    assert page1["next_after"] == exported[1]["item_id"]
    page2 = client.get(f"projects/{project.pk}/results?limit=2&after={page1['next_after']}").json()
    assert page2["next_after"] is None
    assert page1["results"] + page2["results"] == exported


def test_other_organizations_and_workers_cannot_export(make_project, make_client_org, worker, api):
    project = make_project(items=1)
    outsider, _ = make_client_org()
    for who in (outsider, worker):
        assert api(who).get(f"projects/{project.pk}/export.jsonl").status_code == 404
        assert api(who).get(f"projects/{project.pk}/results").status_code == 404
