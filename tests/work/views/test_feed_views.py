"""The feed and a project's brief, as the worker's pages render them."""

from __future__ import annotations

import re

import pytest

from datadam.accounts.models import Role
from datadam.projects.services import project_pause
from datadam.review.services import review_decide
from datadam.work import selectors
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db


def card(html: str, project_id: int) -> str:
    match = re.search(
        rf'<article class="card project-card" data-project="{project_id}">'
        r"(.*?)</article>",
        html,
        re.S,
    )
    assert match, f"no card for project {project_id}"
    return match.group(1)


def dd(html: str, cls: str) -> str:
    match = re.search(rf'<dd class="{cls}">(.*?)</dd>', html, re.S)
    assert match
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_feed_shows_pay_default_time_hourly_rate_and_units_left(client, make_project, worker):
    project = make_project(items=5, reward=10)
    client.force_login(worker)
    html = client.get("/work/").content.decode()
    c = card(html, project.pk)
    assert project.name in c
    assert "~30" in c  # no answers yet: the default estimate, marked as approximate
    assert dd(c, "hourly") == "1,200 pts/h"
    assert dd(c, "remaining") == "5"


def test_feed_estimates_time_from_the_median_of_recent_answers(
    client, make_project, worker, make_user, do_work
):
    project = make_project(items=6, reward=10)
    others = [make_user(Role.WORKER) for _ in range(3)]
    for other in others:
        do_work(project, other)
    for ms, sub in zip([4_000, 20_000, 90_000], Submission.objects.order_by("pk"), strict=True):
        Submission.objects.filter(pk=sub.pk).update(duration_ms=ms)
    client.force_login(worker)
    c = card(client.get("/work/").content.decode(), project.pk)
    assert "<b>20</b>" in c and "~20" not in c
    assert dd(c, "hourly") == "1,800 pts/h"
    assert dd(c, "remaining") == "3"


def test_feed_caps_the_count_of_units_left(client, make_project, worker, monkeypatch):
    monkeypatch.setattr(selectors, "REMAINING_CAP", 3)
    project = make_project(items=5)
    client.force_login(worker)
    assert dd(card(client.get("/work/").content.decode(), project.pk), "remaining") == "3+"


def test_feed_lists_best_hourly_pay_first_and_hides_drafts_and_paused(
    client, make_project, worker, client_org
):
    cheap = make_project(reward=5)
    rich = make_project(reward=50)
    draft = make_project(launch=False)
    paused = make_project()
    project_pause(user=client_org[0], project_id=paused.pk)
    client.force_login(worker)
    html = client.get("/work/").content.decode()
    order = [int(x) for x in re.findall(r'data-project="(\d+)"', html)]
    assert order == [rich.pk, cheap.pk]
    assert draft.pk not in order and paused.pk not in order


def test_feed_calls_the_worker_to_revise_returned_answers(
    client, make_project, worker, reviewer, do_work
):
    project = make_project(items=3)
    sub = do_work(project, worker)
    review_decide(
        reviewer=reviewer, submission_id=sub.pk, decision="return", reason_code="incomplete"
    )
    client.force_login(worker)
    html = client.get("/work/").content.decode()
    assert "1 answer was returned to you" in html
    assert f"/work/mine/?status=returned&amp;project={project.pk}" in card(html, project.pk)


def test_feed_with_no_open_project_says_so(client, worker):
    client.force_login(worker)
    assert 'id="feed-empty"' in client.get("/work/").content.decode()


@pytest.mark.parametrize("url", ["/work/", "/work/mine/", "/work/earnings/"])
def test_worker_pages_need_a_signed_in_worker(client, make_user, url):
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(make_user(Role.CLIENT))
    assert client.get(url).status_code == 403


def test_project_brief_shows_instructions_as_safe_text_with_line_breaks(
    client, make_project, worker
):
    project = make_project(instructions="Read it all.\nThen pick.\n\n<script>alert(1)</script>")
    client.force_login(worker)
    html = client.get(f"/work/projects/{project.pk}/").content.decode()
    assert "<p>Read it all.<br>Then pick.</p>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert all(f"</kbd> {label}</li>" in html for label in ["pos", "neg", "neu"])
    assert f'href="/work/projects/{project.pk}/task/"' in html


def test_project_brief_of_a_paused_project_has_no_start_button(
    client, make_project, worker, client_org
):
    project = make_project()
    project_pause(user=client_org[0], project_id=project.pk)
    client.force_login(worker)
    html = client.get(f"/work/projects/{project.pk}/").content.decode()
    assert "paused by its owner" in html
    assert f'href="/work/projects/{project.pk}/task/"' not in html


def test_draft_projects_are_not_found_by_workers(client, make_project, worker):
    draft = make_project(launch=False)
    client.force_login(worker)
    assert client.get(f"/work/projects/{draft.pk}/").status_code == 404
    assert client.get(f"/work/projects/{draft.pk}/task/").status_code == 404


def test_feed_says_which_projects_are_closed_to_the_worker_and_links_to_appeals(
    client, make_project, worker
):
    from datadam.quality.models import RuleHit

    open_one = make_project(items=2)
    removed = make_project(items=2)
    RuleHit.objects.create(
        worker=worker, project=removed, source_project=removed, kind="gold_policy",
        action="remove", reason="gold accuracy 40%", key="k-remove",
    )
    client.force_login(worker)
    html = client.get("/work/").content.decode()
    assert f'data-project="{open_one.pk}"' in html
    assert f'data-project="{removed.pk}"' not in html
    notice = re.search(r'<div class="card" id="feed-restrictions".*?</div>', html, re.S).group(0)
    assert removed.name in notice and "gold accuracy 40%" in notice
    assert 'href="/quality/"' in notice


def test_feed_has_no_restriction_notice_for_a_worker_in_good_standing(
    client, make_project, worker
):
    make_project(items=1)
    client.force_login(worker)
    assert 'id="feed-restrictions"' not in client.get("/work/").content.decode()


def test_project_brief_of_an_invitation_only_project_says_why_instead_of_start(
    client, make_project, worker, client_org
):
    from datadam.skills.services import project_skills_set

    project = make_project()
    project_skills_set(user=client_org[0], project_id=project.pk, invite_only=True)
    client.force_login(worker)
    html = client.get(f"/work/projects/{project.pk}/").content.decode()
    assert 'id="not-eligible"' in html and 'id="start"' not in html
    assert 'href="/talent/invitations/"' in html


def test_a_card_with_every_item_taken_offers_no_start_button(
    client, make_project, make_user, worker
):
    from datadam.work.services import assignment_claim

    project = make_project(items=1, overlap=1)
    assert assignment_claim(worker=make_user(), project_id=project.pk) is not None
    client.force_login(worker)
    c = card(client.get("/work/").content.decode(), project.pk)
    assert "all-taken" in c and f'href="/work/projects/{project.pk}/task/"' not in c
