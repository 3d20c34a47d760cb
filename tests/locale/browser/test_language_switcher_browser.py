"""The language switcher in a real browser: switching reloads the page in the chosen language,
the choice follows the visitor to other pages and through signing in, and Hangul is drawn
with real glyphs (fonts-noto-cjk), not empty boxes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

# Two different syllables drawn on a canvas: with no Korean font both become the same
# "missing glyph" box, so identical pixels mean Hangul does not render.
GLYPHS_DIFFER_JS = """() => {
  const draw = (ch) => {
    const c = document.createElement("canvas");
    c.width = 64; c.height = 64;
    const g = c.getContext("2d");
    g.font = "48px " + getComputedStyle(document.body).fontFamily;
    g.fillText(ch, 4, 52);
    return Array.from(g.getImageData(0, 0, 64, 64).data);
  };
  const a = draw("가"), b = draw("힣");
  const inked = a.some((v, i) => i % 4 === 3 && v > 0);
  return inked && a.some((v, i) => v !== b[i]);
}"""


def test_a_visitor_switches_to_korean_and_back_with_the_switcher(page, worker, browser_login):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    with page.expect_navigation():
        page.select_option("#lang", "ko")
    page.wait_for_url("**/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", name="로그인")).to_be_visible()
    assert page.evaluate(GLYPHS_DIFFER_JS), "Hangul is drawn as missing-glyph boxes"

    # Remembered on the next page and after signing in, though the browser asks for English.
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", name="작업자로 가입")).to_be_visible()
    browser_login(page, worker)
    page.goto("/work/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("navigation", name="주 메뉴")).to_contain_text("내 작업")
    expect(page.locator("#lang")).to_have_value("ko")

    with page.expect_navigation():
        page.select_option("#lang", "en")
    page.wait_for_url("**/work/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("My work")


def test_a_korean_browser_gets_korean_and_can_switch_to_english(ko_page):
    ko_page.goto("/")
    expect(ko_page.locator("html")).to_have_attribute("lang", "ko")
    expect(ko_page.locator("#lang")).to_have_value("ko")
    expect(ko_page.locator("header")).to_contain_text("로그인")
    with ko_page.expect_navigation():
        ko_page.select_option("#lang", "en")
    expect(ko_page.locator("html")).to_have_attribute("lang", "en")
    expect(ko_page.locator("header")).to_contain_text("Log in")
    ko_page.goto("/accounts/login/")
    expect(ko_page.locator("html")).to_have_attribute("lang", "en")
