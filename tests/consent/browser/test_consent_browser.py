"""In a real browser: a worker signs in the consent panel, withdraws on "My consents", and
the client sees the withdrawn capture; a third party signs on a Korean phone, person after
person; inside a task form, Enter signs instead of submitting the answer."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from datadam.consent.models import Consent

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """() => { window.consentEvents = [];
  document.addEventListener("dd:consent", (e) => window.consentEvents.push(e.detail.id)); }"""


def fill_and_sign(page: Any, name: str, signature: str | None = None) -> None:
    panel = page.locator(".dd-consent")
    panel.locator("input[name=consent_subject_name]").fill(name)
    panel.locator("input[name=consent_signature]").fill(signature or name)
    panel.locator("input[name=consent_agree]").check()
    panel.locator("[data-consent-sign]").click()


def test_a_worker_signs_withdraws_and_the_client_sees_the_capture_listed(
    page, browser, live_server, consent_project, worker, browser_login, make_capture
):
    browser_login(page, worker)
    page.goto(f"/consent/projects/{consent_project.pk}/")
    page.evaluate(LISTEN)
    panel = page.locator(".dd-consent")
    expect(panel).to_have_attribute("data-state", "unsigned")
    expect(panel.locator(".dd-consent-body")).to_contain_text("We record your voice")

    fill_and_sign(page, "Kim Minji", "Kim Minju")
    expect(panel.locator("[data-consent-error]")).to_contain_text("the name typed again")
    expect(panel).to_have_attribute("data-state", "unsigned")
    assert page.evaluate("window.consentEvents") == []

    fill_and_sign(page, "Kim Minji", "kim  minji")
    expect(panel).to_have_attribute("data-state", "signed")
    consent = Consent.objects.get()
    expect(panel).to_have_attribute("data-consent-id", str(consent.pk))
    expect(panel).to_contain_text("Signed by Kim Minji on")
    expect(panel).to_contain_text("form v1")
    expect(panel.locator("[data-consent-status]")).to_be_focused()
    assert page.evaluate("window.consentEvents") == [consent.pk]
    assert consent.user_agent  # the browser's, kept with the consent

    capture = make_capture(consent_project, worker, consent)
    panel.get_by_role("link", name="Withdraw consent").click()
    page.wait_for_url("**/consent/")
    row = page.locator(f"#consent-{consent.pk}")
    expect(row).to_contain_text("1")
    row.get_by_text("Withdraw…").click()
    row.get_by_label("Reason (optional)").fill("I moved abroad")
    row.get_by_role("button", name="Withdraw consent").click()
    expect(page.locator(".messages")).to_contain_text(f"Consent {consent.pk} is withdrawn")
    expect(page.locator(f"#consent-{consent.pk}")).to_contain_text("Withdrawn")

    context = browser.new_context(base_url=live_server.url)
    try:
        client_page = context.new_page()
        browser_login(client_page, consent_project.created_by)
        client_page.goto(f"/console/projects/{consent_project.pk}/")
        client_page.locator("#consent").click()
        listed = client_page.locator(f"#withdrawn tr[data-capture='{capture.pk}']")
        expect(listed).to_contain_text(f"#{capture.item_id}")
        expect(listed).to_contain_text("I moved abroad")
        expect(client_page.locator("#withdrawn")).not_to_contain_text("Kim Minji")
    finally:
        context.close()


def test_people_sign_one_after_another_on_a_korean_phone(
    ko_phone_page, make_project, ask_consent, worker, browser_login
):
    page = ko_phone_page
    project = make_project()
    ask_consent(project, "third_party", body="긴 동의서 " * 400)
    browser_login(page, worker)
    page.goto(f"/consent/projects/{project.pk}/")
    page.evaluate(LISTEN)
    panel = page.locator(".dd-consent")
    expect(panel).to_have_attribute("data-subject", "third_party")
    body = panel.locator(".dd-consent-body")
    assert body.evaluate("b => b.scrollHeight > b.clientHeight")  # the text scrolls
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    fill_and_sign(page, "이지우")
    expect(panel).to_have_attribute("data-state", "signed")
    first = Consent.objects.get()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    panel.locator("[data-consent-new-person]").click()
    expect(panel).to_have_attribute("data-state", "unsigned")
    expect(panel.locator("input[name=consent_subject_name]")).to_be_focused()
    fill_and_sign(page, "박서준", "박 서준")
    expect(panel).to_have_attribute("data-state", "signed")
    second = Consent.objects.exclude(pk=first.pk).get()
    assert page.evaluate("window.consentEvents") == [first.pk, None, second.pk]
    assert second.subject_name == "박서준" and not second.subject_is_worker
    assert page.evaluate("document.documentElement.lang") == "ko"


def test_inside_the_task_form_enter_signs_the_panel_and_submits_nothing(
    page, consent_project, worker, browser_login
):
    browser_login(page, worker)
    page.goto(f"/consent/projects/{consent_project.pk}/")
    # As the capture widgets include it: inside the task's form, whose Enter key submits.
    page.evaluate("""() => {
      const root = document.querySelector(".dd-consent");
      const form = document.createElement("form");
      form.method = "post"; form.action = "/nowhere/"; form.setAttribute("data-keys", "");
      form.innerHTML = '<button type="submit" data-key="Enter">Submit</button>';
      root.before(form); form.prepend(root);
      window.submits = 0;
      form.addEventListener("submit", (e) => { window.submits++; e.preventDefault(); });
    }""")
    panel = page.locator("form .dd-consent")
    panel.locator("input[name=consent_subject_name]").fill("Kim Minji")
    panel.locator("input[name=consent_agree]").focus()
    page.keyboard.press("Enter")  # on the checkbox: neither ticks nor submits
    panel.locator("input[name=consent_agree]").check()
    panel.locator("input[name=consent_signature]").fill("Kim Minji")
    page.keyboard.press("Enter")
    expect(page.locator("form .dd-consent")).to_have_attribute("data-state", "signed")
    assert page.evaluate("window.submits") == 0
    assert page.url.endswith(f"/consent/projects/{consent_project.pk}/")
