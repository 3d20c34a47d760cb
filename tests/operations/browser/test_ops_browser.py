"""An operator at work in a real browser: payouts, users, top-ups, the audit log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from datadam.accounts.models import Role, User
from datadam.rewards.models import Account, AccountKind, LedgerTransaction, Payout

pytestmark = pytest.mark.django_db(transaction=True)


def _balance(**owner) -> int:
    return Account.objects.get(**owner).balance


def test_operator_pays_one_payout_and_refuses_another(page, browser_login, operator,
                                                       make_payout, ledger_ok):
    paid = make_payout(300, earned=1000)
    refused = make_payout(200, earned=500)
    browser_login(page, operator)
    page.wait_for_url("**/ops/payouts/")
    cards = page.locator("article.card")
    assert cards.count() == 2
    assert cards.first.get_attribute("id") == f"payout-{paid.pk}"  # oldest first

    card = page.locator(f"#payout-{paid.pk}")
    card.get_by_role("button", name="Mark paid").click()
    page.locator(f"#payout-{paid.pk}").get_by_text("marked paid").wait_for()

    card = page.locator(f"#payout-{refused.pk}")
    card.get_by_role("button", name="Refuse").click()
    page.locator(f"#payout-{refused.pk} .errorlist").get_by_text(
        "Write why the payout is refused.").wait_for()
    assert Payout.objects.get(pk=refused.pk).status == Payout.Status.REQUESTED
    page.locator(f"#payout-{refused.pk} textarea[name=note]").fill("Bank account closed")
    page.locator(f"#payout-{refused.pk}").get_by_role("button", name="Refuse").click()
    page.locator(f"#payout-{refused.pk}").get_by_text("the points are back").wait_for()

    assert Payout.objects.get(pk=paid.pk).status == Payout.Status.PAID
    assert Payout.objects.get(pk=refused.pk).note == "Bank account closed"
    assert _balance(kind=AccountKind.WORKER, user=paid.worker) == 700
    assert _balance(kind=AccountKind.WORKER, user=refused.worker) == 500
    assert _balance(kind=AccountKind.PAYOUT_PENDING) == 0
    ledger_ok()

    page.get_by_role("link", name="Decided").click()
    page.wait_for_url("**/ops/payouts/decided/")
    assert page.locator(f"#decided-{refused.pk}").get_by_text("Refused").count() == 1
    assert page.locator(f"#decided-{paid.pk}").get_by_text("Paid").count() == 1


def test_a_payout_decided_elsewhere_shows_the_message_and_stays_decided(
    page, browser_login, operator, make_user, make_payout
):
    from datadam.rewards.services import payout_decide

    payout = make_payout(300)
    browser_login(page, operator)
    page.goto("/ops/payouts/")
    payout_decide(operator=make_user(Role.OPERATOR), payout_id=payout.pk, paid=True)
    page.locator(f"#payout-{payout.pk} textarea[name=note]").fill("too late")
    page.locator(f"#payout-{payout.pk}").get_by_role("button", name="Refuse").click()
    page.locator(f"#payout-{payout.pk}").get_by_text("payout already paid").wait_for()
    payout.refresh_from_db()
    assert (payout.status, payout.note) == (Payout.Status.PAID, "")


def test_operator_suspends_a_worker_whose_token_then_gets_401(page, browser_login, operator,
                                                              worker, api):
    worker_api = api(worker)
    assert worker_api.get("me").status_code == 200
    browser_login(page, operator)
    page.goto("/ops/users/")
    page.fill("input[name=q]", worker.email)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=worker.email).click()
    page.wait_for_url(f"**/ops/users/{worker.pk}/")
    page.get_by_role("button", name="Suspend user").click()
    page.get_by_text("Give a reason.").wait_for()
    assert User.objects.get(pk=worker.pk).is_active
    page.fill("input[name=reason]", "Answers copied from another account")
    page.get_by_role("button", name="Suspend user").click()
    page.get_by_text(f"{worker.email} is suspended.").wait_for()
    assert not User.objects.get(pk=worker.pk).is_active
    assert worker_api.get("me").status_code == 401


def test_operator_grants_the_reviewer_role(page, browser_login, operator, worker):
    browser_login(page, operator)
    page.goto(f"/ops/users/?role=worker&reviewer=0&q={worker.email}")
    page.get_by_role("link", name=worker.email).click()
    page.get_by_role("button", name="Make reviewer").click()
    page.get_by_text(f"{worker.email} is now a reviewer.").wait_for()
    assert User.objects.get(pk=worker.pk).is_reviewer
    page.goto("/ops/users/?reviewer=1")
    assert page.get_by_role("link", name=worker.email).count() == 1


def test_operator_tops_up_an_organization_and_a_retry_posts_once(
    page, browser_login, operator, make_client_org, ledger_ok
):
    _, org = make_client_org(credit=0)
    browser_login(page, operator)
    page.goto("/ops/organizations/")
    page.get_by_role("link", name=org.name).click()
    # The browser refuses letters in a number field; send them anyway, as a script could.
    page.eval_on_selector("input[name=amount]", "el => el.type = 'text'")
    page.fill("input[name=amount]", "ten thousand")
    page.fill("input[name=reference]", "KB-77")
    page.get_by_role("button", name="Credit points").click()
    page.get_by_text("Enter a whole number.").wait_for()
    page.fill("input[name=amount]", "10000")
    page.get_by_role("button", name="Credit points").click()
    page.get_by_text("10000 points credited.").wait_for()
    assert page.locator("#org-balance").inner_text() == "10,000"
    page.fill("input[name=amount]", "10000")
    page.fill("input[name=reference]", "KB-77")
    page.get_by_role("button", name="Credit points").click()
    page.get_by_text(re.compile("Reference KB-77 was already credited")).wait_for()
    assert page.locator("#org-balance").inner_text() == "10,000"
    assert _balance(kind=AccountKind.ORGANIZATION, organization=org) == 10000
    assert LedgerTransaction.objects.filter(key="topup:KB-77").count() == 1
    ledger_ok()


def test_operator_filters_the_audit_log(page, browser_login, operator, worker, make_payout):
    make_payout(50, worker=worker)
    browser_login(page, operator)
    page.goto("/ops/audit/")
    page.fill("input[name=action]", "payout")
    page.fill("input[name=actor]", worker.email)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"action=payout"))
    rows = page.locator("tr.event")
    assert rows.count() == 1
    assert "payout.request" in rows.first.inner_text()
    page.eval_on_selector("input[name=project]", "el => el.type = 'text'")
    page.fill("input[name=project]", "abc")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("Enter a whole number.").wait_for()


@pytest.mark.parametrize("role", [Role.WORKER, Role.CLIENT])
def test_workers_and_clients_get_403_on_ops_pages(page, browser_login, make_user, role):
    user = make_user(role)
    browser_login(page, user)
    for url in ("/ops/payouts/", "/ops/users/", "/ops/organizations/", "/ops/audit/",
                "/ops/ledger/"):
        response = page.goto(url)
        assert response.status == 403, url
        assert page.get_by_role("heading", name="Not allowed").count() == 1


def test_ops_pages_render_in_korean(ko_page, browser_login, operator, worker, make_payout,
                                    client_org):
    make_payout(100, worker=worker)
    browser_login(ko_page, operator)
    pages = {
        "/ops/payouts/": ("처리할 지급", "지급 완료로 표시"),
        "/ops/payouts/decided/": ("처리된 지급",),
        "/ops/users/": ("사용자", "이메일 포함", "검색"),
        f"/ops/users/{worker.pk}/": ("사용자 정지", "검수자 역할", "최근 작업"),
        "/ops/organizations/": ("조직", "이름 포함", "검색"),
        f"/ops/organizations/{client_org[1].pk}/": ("충전", "계정 내역"),
        "/ops/audit/": ("감사 로그", "필터"),
        "/ops/ledger/": ("원장 상태", "계정 유형별 잔액"),
    }
    for url, words in pages.items():
        response = ko_page.goto(url)
        assert response.status == 200, url
        assert ko_page.locator("html").get_attribute("lang") == "ko", url
        main = ko_page.locator("main").inner_text()
        for word in words:
            assert word in main, (url, word)
        nav = ko_page.get_by_role("navigation", name="주 메뉴")
        for label in ("지급", "사용자", "조직", "원장", "검수", "감사 로그"):
            expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(1)


def test_payout_queue_fits_a_phone(phone_page, browser_login, operator, make_payout):
    make_payout(100)
    browser_login(phone_page, operator)
    for url in ("/ops/payouts/", "/ops/users/", "/ops/ledger/"):
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width)
