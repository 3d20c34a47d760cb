"""In a real browser: a worker sees the bell's unread count (on a phone too), opens the
inbox, clicks the notification, lands on its link, and the count is gone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_follows_a_notification_from_the_bell_and_the_badge_goes(
    page, worker, notify, browser_login
):
    notification = notify(worker, dataset="Street signs", version="1.2", link="/work/mine/")
    browser_login(page, worker)
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    expect(page.locator("#unread-count")).to_have_text("1")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the menu folds, not the bell
    expect(page.locator(".site-menu")).to_be_hidden()
    expect(bell).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 860})

    bell.click()
    page.wait_for_url("**/notifications/")
    item = page.locator(f"#notification-{notification.pk}")
    expect(item).to_have_attribute("data-unread", "")
    expect(item).to_contain_text("Unread")
    item.get_by_role("link", name="Version 1.2 of “Street signs” is ready.").click()
    page.wait_for_url("**/work/mine/")
    expect(page.locator("#unread-count")).to_have_count(0)
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    page.goto("/notifications/")
    expect(page.locator(f"#notification-{notification.pk}")).not_to_have_attribute(
        "data-unread", "")
