"""A client finds workers by description and invites one; the worker accepts in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datadam.accounts.models import Role, WorkerProfile
from datadam.recommendations.models import Invitation
from datadam.review.services import review_decide
from datadam.skills.services import project_skills_set, skills_compute

pytestmark = pytest.mark.django_db(transaction=True)


def test_client_recommends_and_invites_then_worker_accepts(
    browser, live_server, page, browser_login, mark_gold, make_project, make_user, do_work,
    reviewer, client_org,
):
    history = make_project(items=4)
    worker = make_user(Role.WORKER)
    worker.display_name = "Min-ji"
    worker.save()
    WorkerProfile.objects.create(user=worker, native_language="ko")
    for _ in range(4):
        s = do_work(history, worker)
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    mark_gold(history, 4)
    skills_compute()
    target = make_project(items=2, reward=1)
    project_skills_set(user=client_org[0], project_id=target.pk, invite_only=True)

    browser_login(page, client_org[0])
    page.goto(f"/console/projects/{target.pk}/")
    page.get_by_role("link", name="Find workers").click()
    page.fill("textarea[name=query]", "careful, Korean native")
    page.get_by_role("button", name="Search").click()
    card = page.locator(f"li[data-worker='{worker.pk}']")
    expect(card).to_contain_text("Min-ji")
    expect(card).to_contain_text("native Korean speaker")
    card.locator("input[name=message]").fill("Your gold answers are perfect")
    card.get_by_role("button", name="Invite").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent")
    expect(page.locator("tr[data-invitation]")).to_contain_text("Waiting for an answer")

    worker_context = browser.new_context(base_url=live_server.url, locale="en-US")
    wpage = worker_context.new_page()
    try:
        browser_login(wpage, worker)
        wpage.goto("/work/")
        expect(wpage.locator("main")).not_to_contain_text(target.name)
        wpage.get_by_role("link", name="Invitations").click()
        inv = wpage.locator("li[data-invitation]")
        expect(inv).to_contain_text(target.name)
        expect(inv).to_contain_text("Your gold answers are perfect")
        inv.get_by_role("button", name="Accept").click()
        expect(wpage.locator(".messages")).to_contain_text("top of your tasks")
        wpage.goto("/work/")
        expect(wpage.locator("main")).to_contain_text(target.name)
    finally:
        worker_context.close()
    assert Invitation.objects.get().status == "accepted"
