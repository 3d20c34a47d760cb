"""A project whose suggestions come from the client's own server, spoken to in Label
Studio's ML backend protocol (the fake backend of ``tests/assist/lsbackend.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from datadam.assist.models import ProjectModel, Suggestion
from datadam.assist.selectors import suggestion_for_item
from datadam.assist.services.jobs import assist_train
from datadam.assist.services.settings import assist_configure
from datadam.projects.models import Item
from datadam.work.services import assignment_claim

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lsbackend import VERSION, FakeBackend  # noqa: E402

pytestmark = pytest.mark.django_db


def test_a_model_server_is_set_up_asked_for_predictions_and_its_answers_shown(
        make_project, client_org, worker):
    user, _org = client_org
    project = make_project(items=0, launch=False)
    from datadam.projects.importing import items_import, parse_records
    from datadam.projects.services import project_launch

    items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"text": "this is neg for sure"}, {"text": "plainly pos"}, {"text": "no idea"}]))
    project_launch(user=user, project_id=project.pk)
    with FakeBackend() as fake:
        assist_configure(user=user, project_id=project.pk, source="backend",
                         backend_url=fake.url, order="margin")
        outcome = assist_train(project_id=project.pk)
        assert outcome["predicted"] == 3, outcome
        setup = fake.sent("/setup")
        assert setup and "<Choices" in setup[0]["schema"]
    model = ProjectModel.objects.get(project=project)
    assert model.version == VERSION and not model.last_error
    by_text = {s.item.data["text"]: s for s in Suggestion.objects.select_related("item")}
    assert by_text["this is neg for sure"].answer == {"label": "neg"}
    assert by_text["plainly pos"].answer == {"label": "pos"}
    # The least sure prediction ("no idea": score 0.4) is first in the queue.
    first = assignment_claim(worker=worker, project_id=project.pk)
    assert Item.objects.get(pk=first.item_id).data["text"] == "no idea"
    assert suggestion_for_item(project_id=project.pk, item_id=first.item_id)["model_version"] \
        == VERSION


@pytest.mark.parametrize("mode", ["slow", "error500", "garbage"])
def test_a_model_server_that_fails_leaves_no_suggestions_and_says_why(make_project, client_org,
                                                                    mode):
    user, _org = client_org
    project = make_project(items=2)
    with FakeBackend(delay_s=3.0) as fake:
        assist_configure(user=user, project_id=project.pk, source="backend",
                         backend_url=fake.url, timeout_s=1.0)
        fake.mode = mode
        outcome = assist_train(project_id=project.pk)
    assert outcome.get("error"), outcome
    assert not Suggestion.objects.filter(project=project).exists()
    assert ProjectModel.objects.get(project=project).last_error
