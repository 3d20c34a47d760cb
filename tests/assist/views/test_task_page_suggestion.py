"""The worker's task page with a model: the suggestion starts the answer on ordinary items,
and never on gold, even in "correct the model" mode and with a suggestion stored for it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from datadam.assist.models import Mode, Source, Suggestion
from datadam.assist.services.settings import assist_configure
from datadam.projects.models import Item
from datadam.projects.services import project_launch
from datadam.quality.services import gold_import, policy_update
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    assert c.login(username=user.email, password=PASSWORD)
    return c


def _checked(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="label" value="([^"]+)"[^>]*\bchecked\b', html)


@pytest.fixture
def gold_model_project(make_project):
    """A launched project (correct mode) whose every item, the gold one too, has a stored
    suggestion "neu"; half of each worker's tasks are gold."""
    project = make_project(items=3, launch=False)
    user = project.created_by
    assert gold_import(user=user, project_id=project.pk, items=[
        {"data": {"text": "a known one"}, "gold": {"label": "pos"}}]).ok
    policy_update(user=user, project_id=project.pk, gold_rate=50)
    project = project_launch(user=user, project_id=project.pk)
    assist_configure(user=user, project_id=project.pk, source=Source.TEXT, mode=Mode.CORRECT)
    for item in Item.objects.filter(project=project):
        Suggestion.objects.create(item=item, project=project, answer={"label": "neu"},
                                  score=0.7, model_version="v1")
    return project


def test_a_gold_item_shows_no_suggestion(gold_model_project, worker, monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.0)  # gold first
    html = _client(worker).get(f"/work/projects/{gold_model_project.pk}/task/").content.decode()
    assert "a known one" in html
    assert 'id="suggestion-note"' not in html
    assert _checked(html) == []


def test_an_ordinary_item_starts_from_the_suggestion(gold_model_project, worker, monkeypatch):
    monkeypatch.setattr("datadam.quality.gold.random.random", lambda: 0.99)  # no gold
    html = _client(worker).get(f"/work/projects/{gold_model_project.pk}/task/").content.decode()
    assert "a known one" not in html
    assert 'id="suggestion-note"' in html and "Model confidence 0.70" in html
    assert _checked(html) == ["neu"]
