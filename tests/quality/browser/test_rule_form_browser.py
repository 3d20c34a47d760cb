"""In a real browser: the "Add rule" form shows the chosen kind's numbers, filled in with
the defaults, and refuses an emptied one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datadam.quality.models import QualityRule

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_rule_form_shows_the_chosen_kinds_defaults_and_refuses_an_empty_number(
    page, make_project, browser_login
):
    project = make_project(items=2)
    browser_login(page, project.created_by)
    page.goto(f"/quality/projects/{project.pk}/")
    fast = page.locator("fieldset[data-rule-kind=fast_answers]")
    skips = page.locator("fieldset[data-rule-kind=skips]")
    expect(fast).to_be_visible()
    expect(skips).to_be_hidden()
    expect(page.locator("#id_rule-fast_answers_seconds")).to_have_value("5")
    page.select_option("#id_rule-kind", "skips")
    expect(fast).to_be_hidden()
    expect(skips).to_be_visible()
    count = page.locator("#id_rule-skips_count")
    expect(count).to_have_value("10")
    count.fill("")
    page.click("#rule-form button[type=submit]")
    expect(page.locator("fieldset[data-rule-kind=skips] .errorlist")).to_contain_text(
        "This field is required.")
    assert not QualityRule.objects.exists()
    expect(page.locator("fieldset[data-rule-kind=skips]")).to_be_visible()  # still chosen
    page.fill("#id_rule-skips_count", "4")
    page.click("#rule-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Rule added.")
    rule = QualityRule.objects.get()
    assert (rule.kind, rule.params) == ("skips", {"count": 4})
