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


def test_worker_cashes_out_in_korean(
    ko_page, make_project, worker, reviewer, do_work, browser_login, balance_of
):
    page = ko_page
    project = make_project(items=2, reward=25)
    sub = do_work(project, worker)
    review_decide(reviewer=reviewer, submission_id=sub.pk, decision="approve")
    browser_login(page, worker)
    page.goto("/work/earnings/")
    expect(page.get_by_role("heading", name="수익")).to_be_visible()
    expect(page.locator("#balance")).to_have_text("25 P")
    expect(page.locator("main")).to_contain_text("승인된 작업 보상")
    page.fill("input[name=amount]", "80")
    page.get_by_role("button", name="지급 요청").click()
    expect(page.locator("#payout .errorlist")).to_have_text(
        "사용할 수 있는 포인트는 25입니다. 그 이하로 요청하세요."
    )
    page.fill("input[name=amount]", "25")
    page.get_by_role("button", name="지급 요청").click()
    expect(page.locator(".messages")).to_contain_text("25 포인트 지급을 요청했습니다.")
    expect(page.locator("#payouts tbody tr")).to_contain_text("요청됨")
    assert balance_of(worker) == 0
