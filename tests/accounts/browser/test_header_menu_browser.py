"""The header takes one row: on phones the links fold behind a menu button, and an
operator's navigation fits one row at 1280 px with the rarer links under "More"."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from datadam.accounts.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

# The header's visible items (those of a display:contents wrapper counted one by one), their
# vertical centres and heights, and the header's own height.
HEADER_ROWS_JS = """() => {
  const header = document.querySelector("header.top");
  const items = [];
  const walk = (el) => {
    for (const child of el.children) {
      if (getComputedStyle(child).display === "contents") { walk(child); continue; }
      const r = child.getBoundingClientRect();
      if (r.width && r.height) items.push({centre: r.top + r.height / 2, height: r.height});
    }
  };
  walk(header);
  return {height: header.getBoundingClientRect().height, items};
}"""


def assert_one_row(page: Any) -> None:
    box = page.evaluate(HEADER_ROWS_JS)
    centres = [i["centre"] for i in box["items"]]
    assert len(centres) >= 2
    assert max(centres) - min(centres) <= 4, box  # side by side, not stacked
    assert box["height"] < 2 * max(i["height"] for i in box["items"]), box


def _user(role: str, make_user, client_org):
    if role == "client":
        return client_org[0]
    if role == "reviewer":
        return make_user(Role.WORKER, reviewer=True)
    return make_user(role)


@pytest.mark.parametrize("role", ["worker", "reviewer", "client", "operator"])
def test_on_a_korean_phone_the_header_is_one_row_and_the_menu_button_opens_the_nav(
    ko_phone_page, browser_login, make_user, client_org, role
):
    page = ko_phone_page
    browser_login(page, _user(role, make_user, client_org))
    assert_one_row(page)
    nav = page.get_by_role("navigation", name="주 메뉴")
    button = page.locator("header.top .menu-button")
    expect(nav).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")

    button.click()
    expect(nav).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
    links = nav.get_by_role("link")
    assert links.count() >= 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.keyboard.press("Escape")  # closes, and the focus is back on the button
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    links.first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("navigation", name="주 메뉴")).to_be_hidden()  # closed on arrival


def test_the_menu_button_still_works_after_htmx_swaps_the_header(phone_page, browser_login,
                                                                 worker):
    browser_login(phone_page, worker)
    phone_page.goto("/work/mine/")
    phone_page.evaluate("""() => htmx.ajax("GET", "/work/", {target: "header.top",
                                        select: "header.top", swap: "outerHTML"})""")
    current = "document.querySelector('header.top nav a[aria-current]')?.getAttribute('href')"
    phone_page.wait_for_function(f"{current} === '/work/'")
    phone_page.get_by_role("button", name="Menu").click()  # the English label
    expect(phone_page.get_by_role("navigation", name="Main")).to_be_visible()


@pytest.mark.parametrize("fixture", ["page", "ko_page"])
def test_an_operators_navigation_fits_one_row_at_1280_px(request, browser_login, operator,
                                                         fixture):
    page = request.getfixturevalue(fixture)
    assert page.viewport_size["width"] == 1280
    browser_login(page, operator)
    page.goto("/ops/audit/")
    assert_one_row(page)
    nav = page.locator("header.top nav")
    links = nav.locator(":scope > a, :scope > details > summary").all()
    tops = [link.bounding_box()["y"] for link in links]
    assert len(tops) >= 8 and max(tops) - min(tops) <= 4, tops  # all on one line
    expect(page.locator(".menu-button")).to_be_hidden()

    more = nav.locator("details.more")
    admin_link = more.locator("a[href='/admin/']")
    expect(admin_link).to_be_hidden()
    more.locator("summary").click()
    for href in ("/qualifications/credentials/", "/review-checks/", "/admin/"):
        expect(more.locator(f"a[href='{href}']")).to_be_visible()
    page.mouse.click(1200, 700)  # a click elsewhere closes it
    expect(admin_link).to_be_hidden()
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(admin_link).to_be_visible()
    page.keyboard.press("Escape")
    expect(admin_link).to_be_hidden()
    expect(more.locator("summary")).to_be_focused()

