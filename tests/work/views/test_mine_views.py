"""My work (states, reviewer's notes, filters, pages) and revising returned work."""

from __future__ import annotations

import re

import pytest

from datadam.review.services import review_decide
from datadam.work.models import Assignment, AssignmentStatus, Submission
from datadam.work.services import assignment_claim, assignment_release
from datadam.work.views import mywork as mine_views

pytestmark = pytest.mark.django_db


def shown(html: str) -> list[tuple[int, str]]:
    return [
        (int(a), s) for a, s in re.findall(r'data-assignment="(\d+)" data-status="(\w+)"', html)
    ]


@pytest.fixture
def history(make_project, worker, reviewer, do_work):
    """Four assignments: approved, returned (with a comment), rejected, skipped."""
    project = make_project(items=6)
    approved, returned, rejected = (do_work(project, worker) for _ in range(3))
    review_decide(reviewer=reviewer, submission_id=approved.pk, decision="approve")
    review_decide(
        reviewer=reviewer,
        submission_id=returned.pk,
        decision="return",
        reason_code="wrong_answer",
        comment="Look at the <last> sentence.",
    )
    review_decide(
        reviewer=reviewer, submission_id=rejected.pk, decision="reject", reason_code="careless"
    )
    skipped = assignment_claim(worker=worker, project_id=project.pk)
    assignment_release(worker=worker, assignment_id=skipped.pk)
    return project, approved, returned, rejected, skipped


def test_my_work_lists_every_assignment_newest_first_with_states(client, worker, history):
    _p, approved, returned, rejected, skipped = history
    client.force_login(worker)
    html = client.get("/work/mine/").content.decode()
    assert shown(html) == [
        (skipped.pk, "released"),
        (rejected.assignment_id, "rejected"),
        (returned.assignment_id, "returned"),
        (approved.assignment_id, "approved"),
    ]
    assert "Returned for revision" in html and "Skipped" in html


def test_returned_and_rejected_work_shows_the_reviewers_reason_in_words(client, worker, history):
    _p, _approved, returned, _rejected, _skipped = history
    client.force_login(worker)
    html = client.get("/work/mine/").content.decode()
    assert '<span class="reason">Wrong answer</span>' in html
    assert '<span class="reason">Careless or random</span>' in html
    assert "Look at the &lt;last&gt; sentence." in html
    assert f'href="/work/assignments/{returned.assignment_id}/revise/"' in html


def test_my_work_filters_by_state(client, worker, history):
    _p, _approved, returned, _rejected, _skipped = history
    client.force_login(worker)
    html = client.get("/work/mine/?status=returned").content.decode()
    assert shown(html) == [(returned.assignment_id, "returned")]
    assert len(shown(client.get("/work/mine/?status=nonsense").content.decode())) == 4


def test_my_work_pages_by_id(client, worker, history, monkeypatch):
    monkeypatch.setattr(mine_views, "PAGE_SIZE", 3)
    client.force_login(worker)
    first = client.get("/work/mine/").content.decode()
    older = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(older).content.decode()
    ids = [a for a, _s in shown(first)] + [a for a, _s in shown(second)]
    assert len(ids) == 4 and ids == sorted(ids, reverse=True)
    assert 'rel="next"' not in second


def test_revise_shows_the_reason_and_preselects_the_previous_answer(client, worker, history):
    _p, _approved, returned, _rejected, _skipped = history
    client.force_login(worker)
    html = client.get(f"/work/assignments/{returned.assignment_id}/revise/").content.decode()
    assert "Wrong answer" in html and "Look at the &lt;last&gt; sentence." in html
    assert re.search(r'value="pos"\s+data-key="1"\s+checked', html)


def test_revision_is_stored_as_a_new_submission_and_leads_back_to_my_work(client, worker, history):
    _p, _approved, returned, _rejected, _skipped = history
    client.force_login(worker)
    url = f"/work/assignments/{returned.assignment_id}/revise/"
    response = client.post(url, {"label": "neg", "key": "k-1"})
    assert response.status_code == 302 and response.url == "/work/mine/"
    again = client.post(url, {"label": "neg", "key": "k-1"})  # a double click
    assert again.status_code == 302
    revisions = Submission.objects.filter(assignment_id=returned.assignment_id)
    assert list(revisions.order_by("revision").values_list("revision", "answer")) == [
        (0, {"label": "pos"}),
        (1, {"label": "neg"}),
    ]
    assert Assignment.objects.get(pk=returned.assignment_id).status == (AssignmentStatus.SUBMITTED)


def test_revising_with_nothing_picked_is_a_form_error(client, worker, history):
    _p, _approved, returned, _rejected, _skipped = history
    client.force_login(worker)
    response = client.post(f"/work/assignments/{returned.assignment_id}/revise/", {"key": "k"})
    assert response.status_code == 200 and "Pick an answer first" in response.content.decode()
    assert Submission.objects.filter(assignment_id=returned.assignment_id).count() == 1


def test_only_returned_work_can_be_revised_and_only_by_its_worker(
    client, worker, history, make_user
):
    _p, approved, returned, _rejected, _skipped = history
    client.force_login(worker)
    response = client.get(f"/work/assignments/{approved.assignment_id}/revise/")
    assert response.status_code == 302 and response.url == "/work/mine/"
    client.force_login(make_user())
    assert client.get(f"/work/assignments/{returned.assignment_id}/revise/").status_code == 404
    assert (
        client.post(
            f"/work/assignments/{returned.assignment_id}/revise/", {"label": "neg"}
        ).status_code
        == 404
    )
