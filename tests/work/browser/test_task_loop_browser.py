"""A new worker's first session in a real browser: sign up, answer, skip, revise, get paid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datadam.accounts.models import Role, User
from datadam.review.services import review_decide
from datadam.rewards.models import Payout
from datadam.work.models import Assignment, AssignmentStatus, Submission

pytestmark = pytest.mark.django_db(transaction=True)


def item_text(page) -> str:
    return page.locator("#task .item .text").inner_text()


def wait_for_next_item(page, previous: str) -> str:
    expect(page.locator("#task .item .text")).not_to_have_text(previous)
    return item_text(page)


def test_worker_signs_up_answers_skips_revises_and_cashes_out(page, make_project, make_user):
    project = make_project(
        items=6, reward=10, instructions="Read the whole text.\nThen pick its tone."
    )
    reviewer = make_user(Role.WORKER, reviewer=True)

    # Sign up through the form; the feed shows the project with its pay.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "mina@example.test")
    page.fill("input[name=password]", "a-long-password")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/accounts/profile/")
    worker = User.objects.get(email="mina@example.test")
    page.goto("/work/")
    card = page.locator(f".project-card[data-project='{project.pk}']")
    expect(card.locator(".hourly")).to_contain_text("1,200")  # 10 pts per ~30 s
    expect(card.locator(".remaining")).to_have_text("6")
    card.get_by_role("link", name="Start").click()
    page.wait_for_url(f"**/work/projects/{project.pk}/task/")
    expect(page.locator("#task .timer")).to_contain_text(":")
    page.evaluate("window.__marker = 'same page'")

    # Keyboard: 1 picks the first label, Enter submits; the next item is swapped in.
    first = item_text(page)
    page.keyboard.press("1")
    expect(page.locator("input[name=label][value=pos]")).to_be_checked()
    page.keyboard.press("Enter")
    second = wait_for_next_item(page, first)
    expect(page.locator("#task-notice")).to_contain_text("Saved")

    # Mouse: click a label, then the Submit button.
    page.get_by_text("neg", exact=True).click()
    page.click("#submit")
    third = wait_for_next_item(page, second)

    # Nothing picked: an inline error, nothing stored.
    page.click("#submit")
    expect(page.locator("#task-error")).to_contain_text("Pick an answer first")
    assert Submission.objects.filter(assignment__worker=worker).count() == 2

    # S skips the item; it is released and another one is shown.
    page.keyboard.press("s")
    wait_for_next_item(page, third)
    assert page.evaluate("window.__marker") == "same page"  # never reloaded
    skipped = Assignment.objects.get(worker=worker, item__data__text=third)
    assert skipped.status == AssignmentStatus.RELEASED

    subs = list(Submission.objects.filter(assignment__worker=worker).order_by("pk"))
    assert [s.answer for s in subs] == [{"label": "pos"}, {"label": "neg"}]
    assert all(s.client_duration_ms is not None for s in subs)

    # A reviewer returns the first answer with a reason; the worker sees it and revises.
    review_decide(
        reviewer=reviewer,
        submission_id=subs[0].pk,
        decision="return",
        reason_code="guidelines",
        comment="Read the second rule again.",
    )
    page.goto("/work/")
    expect(page.locator("#revise-cta")).to_contain_text("1 answer was returned")
    page.goto("/work/mine/")
    returned = page.locator(f"article[data-assignment='{subs[0].assignment_id}']")
    expect(returned.locator(".badge")).to_have_text("Returned for revision")
    expect(returned.locator(".reason")).to_have_text("Does not follow the instructions")
    expect(returned.locator(".comment")).to_have_text("Read the second rule again.")
    page.get_by_role("link", name="To revise").click()
    expect(page.locator("#mine article")).to_have_count(1)
    page.get_by_role("link", name="Revise", exact=True).click()
    expect(page.locator(".review-note .comment")).to_have_text("Read the second rule again.")
    expect(page.locator("input[name=label][value=pos]")).to_be_checked()
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    page.wait_for_url("**/work/mine/")
    expect(page.locator(".messages")).to_contain_text("Revision sent")
    revision = Submission.objects.get(assignment_id=subs[0].assignment_id, revision=1)
    assert revision.answer == {"label": "neu"}

    # Both answers approved: the points show on the earnings page; the worker cashes out.
    review_decide(reviewer=reviewer, submission_id=revision.pk, decision="approve")
    review_decide(reviewer=reviewer, submission_id=subs[1].pk, decision="approve")
    page.get_by_role("link", name="Earnings").click()
    expect(page.locator("#balance")).to_have_text("20 pts")
    expect(page.locator("#earned-7d")).to_have_text("20 pts")
    expect(page.locator("#history tbody tr")).to_have_count(2)
    expect(page.locator("#history")).to_contain_text("Paid for approved work")
    page.fill("input[name=amount]", "15")
    page.get_by_role("button", name="Request payout").click()
    expect(page.locator(".messages")).to_contain_text("Payout of 15 points requested")
    expect(page.locator("#balance")).to_have_text("5 pts")
    expect(page.locator("#payouts tbody tr")).to_have_count(1)
    assert list(Payout.objects.filter(worker=worker).values_list("amount", "status")) == [
        (15, "requested")
    ]
