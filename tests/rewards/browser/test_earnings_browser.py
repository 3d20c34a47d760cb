"""Cashing out in a real browser: a too-large request is refused in place, a fitting one holds."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datadam.review.services import review_decide
from datadam.rewards.models import Payout

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_is_told_the_limit_then_requests_a_payout(
    page, make_project, worker, reviewer, do_work, browser_login, balance_of
):
    project = make_project(items=3, reward=25)
    for _ in range(2):
        sub = do_work(project, worker)
        review_decide(reviewer=reviewer, submission_id=sub.pk, decision="approve")
    browser_login(page, worker)
    page.goto("/work/earnings/")
    expect(page.locator("#balance")).to_have_text("50 pts")
    page.evaluate("window.__marker = 'same page'")

    page.fill("input[name=amount]", "80")
    page.get_by_role("button", name="Request payout").click()
    expect(page.locator("#payout .errorlist")).to_have_text(
        "You have 50 points available; ask for at most that much."
    )
    assert page.evaluate("window.__marker") == "same page"  # the form was swapped in place
    assert not Payout.objects.exists() and balance_of(worker) == 50

    page.fill("input[name=amount]", "50")
    page.get_by_role("button", name="Request payout").click()
    expect(page.locator(".messages")).to_contain_text("Payout of 50 points requested")
    expect(page.locator("#balance")).to_have_text("0 pts")
    expect(page.locator("#payouts tbody tr")).to_contain_text("Requested")
    assert balance_of(worker) == 0
