"""Review pages through Django's test client: who may open them, and deciding without a browser."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.accounts.models import Role
from datadam.projects.models import Item
from datadam.review.models import Review
from datadam.review.services import review_decide
from datadam.work.models import Assignment, AssignmentStatus, Submission

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_visitor_is_sent_to_log_in():
    response = Client().get("/review/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_plain_worker_gets_a_403_page_on_the_queue_and_the_batch(make_user, make_project):
    project = make_project()
    client = signed_in(make_user(Role.WORKER))
    queue = client.get("/review/")
    assert queue.status_code == 403
    assert "review/forbidden.html" in [t.name for t in queue.templates]
    assert client.get(f"/review/projects/{project.pk}/").status_code == 403


def test_a_plain_worker_cannot_decide_an_answer(make_user, make_project, do_work):
    project = make_project()
    submission = do_work(project, make_user(Role.WORKER))
    client = signed_in(make_user(Role.WORKER))
    response = client.post(
        f"/review/submissions/{submission.pk}/decide/", {"decision": "approve"}, headers=HTMX
    )
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_a_client_of_another_organization_gets_404_on_the_batch(
    make_project, make_client_org, do_work, worker
):
    project = make_project()
    submission = do_work(project, worker)
    stranger, _org = make_client_org()
    client = signed_in(stranger)
    assert client.get(f"/review/projects/{project.pk}/").status_code == 404
    decide = client.post(
        f"/review/submissions/{submission.pk}/decide/", {"decision": "approve"}, headers=HTMX
    )
    assert decide.status_code == 404
    assert f"/review/projects/{project.pk}/" not in client.get("/review/").content.decode()
    assert not Review.objects.exists()


def test_a_client_reviews_the_answers_of_their_own_project(
    client_org, make_project, do_work, worker
):
    project = make_project()
    submission = do_work(project, worker)
    client = signed_in(client_org[0])
    queue = client.get("/review/")
    assert f"/review/projects/{project.pk}/" in queue.content.decode()
    page = client.get(f"/review/projects/{project.pk}/")
    assert page.status_code == 200
    assert f'data-sub="{submission.pk}"' in page.content.decode()


def test_the_queue_counts_waiting_answers_without_the_reviewers_own(
    make_project, do_work, reviewer, worker
):
    project = make_project(items=5)
    do_work(project, reviewer)
    do_work(project, worker)
    do_work(project, worker)
    html = signed_in(reviewer).get("/review/").content.decode()
    assert "<b data-pending>2</b>" in html


def test_approving_through_htmx_returns_the_decided_card_area(
    make_project, do_work, reviewer, worker, balance_of
):
    project = make_project(reward=10, review_reward=2)
    submission = do_work(project, worker)
    response = signed_in(reviewer).post(
        f"/review/submissions/{submission.pk}/decide/", {"decision": "approve"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="act-{submission.pk}"' in html and 'data-decision="approve"' in html
    assert Review.objects.get(submission=submission).reviewer == reviewer
    assert balance_of(worker) == 10 and balance_of(reviewer) == 2


def test_a_second_decision_is_refused_with_409_and_shows_the_first(
    make_project, do_work, make_user, worker
):
    project = make_project()
    submission = do_work(project, worker)
    first, second = make_user(reviewer=True), make_user(reviewer=True)
    review_decide(reviewer=first, submission_id=submission.pk, decision="approve")
    response = signed_in(second).post(
        f"/review/submissions/{submission.pk}/decide/",
        {"decision": "reject", "reason_code": "spam"},
        headers=HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "not awaiting review" in html
    assert 'data-decision="approve"' in html and "by another reviewer" in html
    assert Review.objects.get().decision == "approve"


def test_reject_without_a_reason_is_a_card_error_and_writes_nothing(
    make_project, do_work, reviewer, worker
):
    project = make_project()
    submission = do_work(project, worker)
    response = signed_in(reviewer).post(
        f"/review/submissions/{submission.pk}/decide/",
        {"decision": "reject", "comment": "kept"},
        headers=HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Pick a reason first." in html
    assert '<details class="picker" data-decision="reject" open>' in html
    assert 'value="kept"' in html
    assert not Review.objects.exists()
    assert Assignment.objects.get().status == AssignmentStatus.SUBMITTED


def test_an_unknown_decision_is_a_card_error(make_project, do_work, reviewer, worker):
    submission = do_work(make_project(), worker)
    response = signed_in(reviewer).post(
        f"/review/submissions/{submission.pk}/decide/", {"decision": "pay-double"}, headers=HTMX
    )
    assert response.status_code == 422
    assert 'class="errorlist card-error"' in response.content.decode()
    assert not Review.objects.exists()


def test_a_reviewer_posting_on_their_own_answer_gets_403_on_the_card(
    make_project, do_work, reviewer
):
    submission = do_work(make_project(), reviewer)
    response = signed_in(reviewer).post(
        f"/review/submissions/{submission.pk}/decide/", {"decision": "approve"}, headers=HTMX
    )
    assert response.status_code == 403
    assert "nobody reviews their own work" in response.content.decode()
    assert not Review.objects.exists()


def test_without_htmx_a_decision_redirects_back_to_the_batch_with_a_message(
    make_project, do_work, reviewer, worker
):
    project = make_project()
    submission = do_work(project, worker)
    client = signed_in(reviewer)
    response = client.post(
        f"/review/submissions/{submission.pk}/decide/",
        {"decision": "return", "reason_code": "incomplete", "comment": "add the second label"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/review/projects/{project.pk}/"
    assert "Decision saved." in response.content.decode()
    review = Review.objects.get()
    assert (review.decision, review.reason_code, review.comment) == (
        "return",
        "incomplete",
        "add the second label",
    )
    assert Assignment.objects.get().status == AssignmentStatus.RETURNED


def test_approve_rest_approves_undecided_answers_and_skips_decided_ones(
    make_project, make_client_org, do_work, reviewer, worker, balance_of
):
    project = make_project(items=4, reward=10, review_reward=0)
    subs = [do_work(project, worker) for _ in range(4)]
    review_decide(
        reviewer=reviewer, submission_id=subs[0].pk, decision="reject", reason_code="spam"
    )
    other = make_project(owner=make_client_org())
    foreign = do_work(other, worker)
    ids = [s.pk for s in subs] + [foreign.pk]
    response = signed_in(reviewer).post(
        f"/review/projects/{project.pk}/approve-rest/", {"ids": ids}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Approved 3 answers." in html
    # One decision area per answer of this project, and the two counters.
    assert html.count('class="rcard-actions"') == 4
    assert html.count('hx-swap-oob="true"') == 4 + 2
    decisions = dict(Review.objects.values_list("submission_id", "decision"))
    assert decisions == {
        subs[0].pk: "reject",
        subs[1].pk: "approve",
        subs[2].pk: "approve",
        subs[3].pk: "approve",
    }
    assert Submission.objects.get(pk=foreign.pk).assignment.status == AssignmentStatus.SUBMITTED
    assert balance_of(worker) == 30


def test_the_batch_marks_repeated_answers_duplicate_items_and_very_fast_answers(
    make_project, do_work, reviewer, worker
):
    project = make_project(items=6)
    items = list(Item.objects.filter(project=project).order_by("pk"))
    Item.objects.filter(pk__in=[items[1].pk, items[4].pk]).update(data={"text": "same text"})
    subs = [do_work(project, worker, {"label": "pos"}) for _ in range(5)]
    subs.append(do_work(project, worker, {"label": "neg"}))
    for s, ms in zip(subs, [9000, 8000, 10000, 300, 9500, 11000], strict=True):
        Submission.objects.filter(pk=s.pk).update(duration_ms=ms)
    html = signed_in(reviewer).get(f"/review/projects/{project.pk}/").content.decode()
    cards = html.split('<article class="sub rcard')[1:]
    assert len(cards) == 6
    flags = [("flag-same" in c, "flag-dup" in c, "flag-fast" in c) for c in cards]
    assert flags == [
        (False, False, False),
        (False, True, False),
        (False, False, False),
        (True, False, True),
        (True, True, False),
        (False, False, False),
    ]
    assert 'href="#card-5"' in cards[1] and 'href="#card-2"' in cards[4]
    assert "0.3 s" in cards[3]


def test_the_batch_shows_the_worker_and_their_history_in_the_project(
    make_project, do_work, reviewer, worker
):
    worker.display_name = "Mina"
    worker.save()
    project = make_project(items=4)
    first, second = do_work(project, worker), do_work(project, worker)
    review_decide(reviewer=reviewer, submission_id=first.pk, decision="approve")
    review_decide(
        reviewer=reviewer, submission_id=second.pk, decision="reject", reason_code="careless"
    )
    do_work(project, worker)
    html = signed_in(reviewer).get(f"/review/projects/{project.pk}/").content.decode()
    assert '<b class="worker-name">Mina</b>' in html
    assert f"#{worker.pk}" in html
    assert "1 approved" in html and "1 rejected" in html and "0 returned" in html


def test_a_revised_answer_shows_why_it_was_returned(make_project, do_work, reviewer, worker):
    from datadam.work.services import assignment_submit

    project = make_project(items=2)
    first = do_work(project, worker, {"label": "pos"})
    review_decide(
        reviewer=reviewer,
        submission_id=first.pk,
        decision="return",
        reason_code="incomplete",
        comment="look at the second sentence",
    )
    revised, _ = assignment_submit(
        worker=worker, assignment_id=first.assignment_id, answer={"label": "neg"}
    )
    html = signed_in(reviewer).get(f"/review/projects/{project.pk}/").content.decode()
    card = html.split('<article class="sub rcard')[1]
    assert f'data-sub="{revised.pk}"' in card
    assert "Revision 1" in card
    assert "Returned before:" in card and "look at the second sentence" in card
