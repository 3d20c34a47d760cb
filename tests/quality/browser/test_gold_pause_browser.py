"""In a real browser: a client sets the gold policy; a worker who fails gold is paused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datadam.quality.models import QualityPolicy, RuleHit
from datadam.quality.services import gold_import

pytestmark = pytest.mark.django_db(transaction=True)


def test_client_sets_policy_and_failing_worker_sees_the_pause(
    page, make_project, worker, browser_login, monkeypatch
):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)  # gold first
    project = make_project(items=6)
    client = project.created_by
    gold_import(user=client, project_id=project.pk,
                items=[{"data": {"text": "a known one"}, "gold": {"label": "pos"}}])

    browser_login(page, client)
    page.goto(f"/console/projects/{project.pk}/")
    page.click("#quality")
    page.fill("#id_policy-gold_rate", "50")
    page.fill("#id_policy-gold_min_answers", "1")
    page.fill("#id_policy-gold_threshold", "100")
    page.select_option("#id_policy-gold_action", "pause")
    page.fill("#id_policy-gold_pause_hours", "6")
    page.click("#policy-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Policy saved")
    policy = QualityPolicy.objects.get(project=project)
    assert policy.gold_rate == 50 and policy.gold_left > 0

    page.context.clear_cookies()
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    expect(page.locator("#task .item .text")).to_have_text("a known one")
    page.keyboard.press("2")  # "neg": the gold answer is "pos"
    page.keyboard.press("Enter")
    expect(page.locator("#task-unavailable")).to_contain_text("paused in this project")
    assert RuleHit.objects.get(worker=worker).action == "pause"

    page.goto("/quality/")
    expect(page.locator("#scores")).to_contain_text("0/1")
    expect(page.locator(".hit")).to_contain_text("in force")
    page.goto("/work/mine/")
    expect(page.locator("body")).to_contain_text("gold mismatch")
