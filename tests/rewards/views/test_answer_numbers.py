"""One number per answer: the assignment's, as My work shows it, on the earnings page, the
ledger API, the review API and the answer's own page, where each ledger line leads."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from datadam.accounts.models import Role
from datadam.review.services import review_decide
from datadam.rewards.models import LedgerTransaction
from datadam.work.services import assignment_submit

pytestmark = pytest.mark.django_db


def signed_in(user, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


@pytest.fixture
def revised_and_approved(make_project, worker, reviewer, do_work):
    """An answer returned, revised and approved: several submissions of one assignment, the
    approved one's id differing from the assignment's (returned again until it does)."""
    project = make_project(items=4, reward=10, review_reward=2)
    revised = do_work(project, worker)
    while True:
        review_decide(reviewer=reviewer, submission_id=revised.pk, decision="return",
                      reason_code="incomplete", comment="Read it again")
        revised, _ = assignment_submit(worker=worker, assignment_id=revised.assignment_id,
                                       answer={"label": "neg"})
        if revised.pk != revised.assignment_id:
            break
    review_decide(reviewer=reviewer, submission_id=revised.pk, decision="approve")
    return revised


def test_the_earnings_line_names_the_answer_as_my_work_does_and_links_to_it(
    worker, revised_and_approved
):
    answer = revised_and_approved.assignment_id
    client = signed_in(worker)
    earnings = client.get("/work/earnings/").content.decode()
    assert f'<a href="/work/mine/{answer}/">approved answer #{answer}</a>' in earnings
    assert f"#{revised_and_approved.pk}<" not in earnings
    mine = client.get("/work/mine/").content.decode()
    link = f'<a class="small muted answer-number" href="/work/mine/{answer}/">Answer #{answer}</a>'
    assert link in mine


def test_the_earnings_line_is_worded_in_korean_with_the_same_number(
    worker, revised_and_approved
):
    answer = revised_and_approved.assignment_id
    earnings = signed_in(worker, "ko").get("/work/earnings/").content.decode()
    assert f'<a href="/work/mine/{answer}/">승인된 답변 #{answer}</a>' in earnings


def test_new_ledger_memos_name_the_assignment(revised_and_approved):
    answer = revised_and_approved.assignment_id
    memos = set(LedgerTransaction.objects.filter(
        key__startswith=f"submission:{revised_and_approved.pk}:").values_list("memo", flat=True))
    assert memos == {f"approved answer #{answer}", f"review of answer #{answer}"}


def test_the_answer_page_shows_the_answer_its_state_and_the_reviewers_note(
    make_project, worker, reviewer, do_work
):
    project = make_project(items=2)
    sub = do_work(project, worker)
    review_decide(reviewer=reviewer, submission_id=sub.pk, decision="reject",
                  reason_code="careless", comment="Random clicks")
    html = signed_in(worker).get(f"/work/mine/{sub.assignment_id}/").content.decode()
    assert f"<h1>Answer #{sub.assignment_id}</h1>" in html
    assert 'data-status="rejected"' in html and "Rejected" in html
    assert "Careless or random" in html and "Random clicks" in html


def test_someone_elses_answer_page_is_not_found(make_project, worker, make_user, do_work):
    sub = do_work(make_project(items=2), worker)
    other = signed_in(make_user(Role.WORKER))
    assert other.get(f"/work/mine/{sub.assignment_id}/").status_code == 404
    assert other.get("/work/mine/999999/").status_code == 404


def test_a_reviewers_line_names_the_answer_but_links_nowhere(reviewer, revised_and_approved):
    answer = revised_and_approved.assignment_id
    earnings = signed_in(reviewer).get("/work/earnings/").content.decode()
    assert f"review of answer #{answer}" in earnings
    assert f'href="/work/mine/{answer}/"' not in earnings


def test_the_ledger_api_names_answers_by_assignment_and_keeps_its_fields(
    api, worker, revised_and_approved
):
    rows = api(worker).get("me/ledger").json()
    assert len(rows) == 1
    row = rows[0]
    assert {"id", "amount", "kind", "memo", "created_at"} <= set(row)
    assert row["answer_id"] == revised_and_approved.assignment_id
    assert row["submission_id"] == revised_and_approved.pk
    assert row["statement"] == f"approved answer #{revised_and_approved.assignment_id}"
    mine = api(worker).get("assignments").json()
    assert row["answer_id"] in {a["id"] for a in mine}


def test_ledger_api_lines_about_no_answer_have_no_answer_numbers(api, client_org):
    owner, org = client_org
    rows = api(owner).get(f"organizations/{org.pk}/ledger").json()
    assert rows and all(r["answer_id"] is None and r["submission_id"] is None for r in rows)
    assert all(r["statement"] for r in rows)


def test_a_review_decision_in_the_api_names_the_answers_assignment(
    api, make_project, worker, reviewer, do_work
):
    project = make_project(items=3)
    one, two = do_work(project, worker), do_work(project, worker)
    single = api(reviewer).post(f"submissions/{one.pk}/review", {"decision": "approve"})
    assert single.status_code == 201
    assert single.json()["assignment_id"] == one.assignment_id
    many = api(reviewer).post("review/decisions", {"decisions": [
        {"submission_id": two.pk, "decision": "approve"},
        {"submission_id": 999999, "decision": "approve"},
    ]}).json()
    assert [(r["submission_id"], r["assignment_id"]) for r in many] == [
        (two.pk, two.assignment_id), (999999, None)
    ]


def test_the_statement_number_matches_my_work_for_every_answer(
    make_project, worker, reviewer, do_work
):
    project = make_project(items=4)
    subs = [do_work(project, worker) for _ in range(3)]
    for sub in subs:
        review_decide(reviewer=reviewer, submission_id=sub.pk, decision="approve")
    client = signed_in(worker)
    earnings = client.get("/work/earnings/").content.decode()
    mine = client.get("/work/mine/").content.decode()
    named = set(map(int, re.findall(r"approved answer #(\d+)", earnings)))
    listed = set(map(int, re.findall(r'data-assignment="(\d+)"', mine)))
    assert named == listed == {s.assignment_id for s in subs}
