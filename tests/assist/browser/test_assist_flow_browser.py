"""In a real browser: a client sets the built-in text classifier in "correct the model"
mode; a worker sees the suggestion already picked, replaces one and accepts another; a gold
item shows none; the client's page counts what the worker did."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datadam.assist.models import Mode, Outcome, ProjectModel, Suggestion, SuggestionOutcome
from datadam.projects.models import Item
from datadam.projects.services import project_launch
from datadam.quality.services import gold_import, policy_update
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"assist_{name}.png"), full_page=True)


def _submit_and_wait(page) -> None:
    """Submit the task and wait until the next one has replaced it."""
    item = page.locator("#task form[data-item]").get_attribute("data-item")
    page.click("#submit")
    expect(page.locator(f'#task form[data-item="{item}"]')).to_have_count(0)


def test_client_sets_the_model_and_the_worker_corrects_its_suggestions(
        page, make_project, worker, browser_login, monkeypatch):
    gold_turn = {"value": 0.99}  # no gold until the test says so
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: gold_turn["value"])
    project = make_project(items=4, launch=False)
    client = project.created_by
    assert gold_import(user=client, project_id=project.pk, items=[
        {"data": {"text": "a known one"}, "gold": {"label": "neg"}}]).ok
    policy_update(user=client, project_id=project.pk, gold_rate=20)
    project_launch(user=client, project_id=project.pk)

    browser_login(page, client)
    page.goto(f"/console/projects/{project.pk}/")
    page.click("#assist-link")
    expect(page.locator("h1")).to_have_text("Model assistance")
    # The server's fields show only for "your model server", the text classifier's only for
    # it (CSS, no script).
    page.select_option("#id_source", "backend")
    expect(page.locator("#id_backend_url")).to_be_visible()
    expect(page.locator("#id_min_labels")).to_be_hidden()
    page.select_option("#id_source", "text_embeddings")
    expect(page.locator("#id_backend_url")).to_be_hidden()
    expect(page.locator("#id_min_labels")).to_be_visible()
    page.check('#assist-form input[name=mode][value="correct"]')
    page.click("#assist-save")
    expect(page.locator(".messages")).to_contain_text(
        "Saved: the model trains and predicts in the background")
    model = ProjectModel.objects.get(project=project)
    assert (model.source, model.mode) == ("text_embeddings", Mode.CORRECT)

    # The model's predictions (as the job stores them), a stale one on the gold item too.
    for item in Item.objects.filter(project=project):
        Suggestion.objects.create(item=item, project=project, answer={"label": "pos"},
                                  score=0.82, uncertainty=0.36, model_version="test-v1")

    page.context.clear_cookies()
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    note = page.locator("#suggestion-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Model confidence 0.82")
    expect(page.locator('input[name=label][value="pos"]')).to_be_checked()
    _shot(page, "task")
    page.check('input[name=label][value="neg"]')  # replaced
    _submit_and_wait(page)

    expect(note).to_be_visible()
    expect(page.locator('input[name=label][value="pos"]')).to_be_checked()
    gold_turn["value"] = 0.0  # the next claim serves the gold item
    _submit_and_wait(page)  # accepted as it was

    expect(page.locator("#task .item .text")).to_have_text("a known one")
    expect(note).to_have_count(0)
    expect(page.locator("input[name=label]:checked")).to_have_count(0)

    outcomes = sorted(SuggestionOutcome.objects.filter(project=project)
                      .values_list("outcome", flat=True))
    assert outcomes == [Outcome.ACCEPTED, Outcome.REPLACED]

    page.context.clear_cookies()
    browser_login(page, client)
    page.goto(f"/console/projects/{project.pk}/assist/")
    outcome_line = page.locator("#outcomes")
    expect(outcome_line).to_contain_text("1 accepted")
    expect(outcome_line).to_contain_text("1 replaced")
    expect(page.locator("#assist-shown")).to_contain_text("Workers see the suggestions now.")
    expect(page.locator("#assist-suggestions tbody tr")).to_have_count(5)
    _shot(page, "console")
