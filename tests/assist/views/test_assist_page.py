"""The console page of a project's model: the form (only the models that serve the project's
kind, errors as 422), saving through the service, the state panel's figures, training and
removing, and other organizations' projects as 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from datadam.assist.models import Mode, ProjectModel, Source, Suggestion
from datadam.assist.services.settings import assist_configure
from datadam.projects.models import Item
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

VALID = {"source": "text_embeddings", "mode": "correct", "order": "margin",
         "backend_url": "", "backend_token": "", "timeout_s": "5", "target_accuracy": "90",
         "min_labels": "10"}


def _client(user) -> Client:
    c = Client()
    assert c.login(username=user.email, password=PASSWORD)
    return c


def _url(project) -> str:
    return f"/console/projects/{project.pk}/assist/"


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="source"[^>]*>(.*?)</select>', html, re.S)
    assert select, "no source select"
    return re.findall(r'<option value="([^"]+)"', select.group(1))


def _train_jobs() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="assist_train_task").count()


def test_the_form_offers_only_the_models_that_serve_the_projects_kind(make_project):
    text = make_project(items=1)
    html = _client(text.created_by).get(_url(text)).content.decode()
    assert _options(html) == ["text_embeddings", "backend"]
    assert 'class="assist-backend"' in html
    assert 'id="assist-state"' not in html  # no model yet: nothing to report

    boxes = make_project(kind="bounding_box", config={"labels": ["car"]}, items=0, launch=False)
    assert _options(_client(boxes.created_by).get(_url(boxes)).content.decode()) == ["backend"]

    audio = make_project(kind="audio_classification", config={"labels": ["a", "b"]}, items=0,
                         launch=False)
    r = _client(audio.created_by).get(_url(audio))
    assert r.status_code == 200
    assert b'id="assist-unavailable"' in r.content and b'id="assist-form"' not in r.content


def test_the_dashboard_links_to_the_page(make_project):
    project = make_project(items=1)
    html = _client(project.created_by).get(f"/console/projects/{project.pk}/").content.decode()
    assert f'id="assist-link" href="{_url(project)}"' in html


def test_saving_sets_the_model_and_queues_its_training(make_project):
    project = make_project(items=3)
    c = _client(project.created_by)
    r = c.post(_url(project), VALID)
    assert r.status_code == 302 and r.url == _url(project)
    model = ProjectModel.objects.get(project=project)
    assert (model.source, model.mode, model.order) == ("text_embeddings", "correct", "margin")
    assert model.target_accuracy == pytest.approx(0.9) and model.min_labels == 10
    assert model.updated_by == project.created_by
    assert _train_jobs() == 1
    html = c.get(_url(project)).content.decode()
    assert "Saved: the model trains and predicts in the background" in html
    # The form comes back filled in with what was saved.
    assert re.search(r'name="target_accuracy"[^>]*value="90.0"', html)
    assert re.search(r'value="correct"[^>]*checked', html)


def test_the_backend_token_is_kept_when_left_empty_and_never_shown(make_project):
    project = make_project(items=1)
    c = _client(project.created_by)
    server = {**VALID, "source": "backend", "backend_url": "https://ml.example.com/",
              "backend_token": "s3cret", "timeout_s": "2.5"}
    assert c.post(_url(project), server).status_code == 302
    model = ProjectModel.objects.get(project=project)
    assert (model.backend_url, model.backend_token, model.timeout_s) == (
        "https://ml.example.com", "s3cret", 2.5)
    html = c.get(_url(project)).content.decode()
    assert "s3cret" not in html and 'name="clear_token"' in html
    assert c.post(_url(project), {**server, "backend_token": ""}).status_code == 302
    assert ProjectModel.objects.get(project=project).backend_token == "s3cret"
    assert c.post(_url(project), {**server, "backend_token": "", "clear_token": "on"}
                  ).status_code == 302
    assert ProjectModel.objects.get(project=project).backend_token == ""


@pytest.mark.parametrize(("change", "message"), [
    ({"source": "ocr"}, "Select a valid choice"),
    ({"source": ""}, "This field is required"),
    ({"mode": "sometimes"}, "Select a valid choice"),
    ({"order": ""}, "This field is required"),
    ({"target_accuracy": "120"}, "less than or equal to 99.9"),
    ({"target_accuracy": "ninety"}, "Enter a number"),
    ({"min_labels": "1"}, "greater than or equal to 2"),
    ({"min_labels": "x" * 5000}, "Enter a whole number"),
    ({"source": "backend"}, "Give the address of your model server"),
    ({"source": "backend", "backend_url": "ftp://files.example.com"},
     "Give the http:// or https:// address of your model server."),
    ({"source": "backend", "backend_url": "http://[::1"},
     "Give the http:// or https:// address of your model server."),
    ({"source": "backend", "backend_url": "https://ml.example.com/" + "x" * 500},
     "at most 500 characters"),
    ({"source": "backend", "backend_url": "https://ml.example.com", "timeout_s": "0"},
     "greater than or equal to 0.5"),
])
def test_bad_input_shows_the_form_again_with_its_error_and_saves_nothing(
        make_project, change, message):
    project = make_project(items=1)
    r = _client(project.created_by).post(_url(project), {**VALID, **change})
    assert r.status_code == 422
    assert 'class="errorlist"' in r.content.decode()
    assert message in r.content.decode()
    assert not ProjectModel.objects.filter(project=project).exists()
    assert _train_jobs() == 0


def test_the_fields_of_the_model_not_chosen_are_ignored(make_project):
    project = make_project(items=1)
    c = _client(project.created_by)
    r = c.post(_url(project), {
        **VALID, "backend_url": "not a url", "backend_token": "t", "timeout_s": "never"})
    assert r.status_code == 302
    model = ProjectModel.objects.get(project=project)
    assert (model.backend_url, model.backend_token, model.timeout_s) == ("", "", 5.0)
    # The text classifier's fields are hidden for a server: the saved values stay.
    r = c.post(_url(project), {**VALID, "source": "backend", "backend_url": "http://ml:9090",
                               "target_accuracy": "nonsense", "min_labels": ""})
    assert r.status_code == 302
    model.refresh_from_db()
    assert (model.source, model.backend_url) == ("backend", "http://ml:9090")
    assert model.target_accuracy == pytest.approx(0.9) and model.min_labels == 10


def test_other_organizations_projects_are_not_found_and_workers_are_refused(
        make_project, make_client_org, worker):
    project = make_project(items=1)
    assist_configure(user=project.created_by, project_id=project.pk, source=Source.TEXT)
    stranger = _client(make_client_org()[0])
    assert stranger.get(_url(project)).status_code == 404
    assert stranger.post(_url(project), VALID).status_code == 404
    assert stranger.post(f"{_url(project)}train/").status_code == 404
    assert stranger.post(f"{_url(project)}remove/").status_code == 404
    assert stranger.get("/console/projects/999999/assist/").status_code == 404
    assert _client(worker).get(_url(project)).status_code == 403
    assert ProjectModel.objects.get(project=project).mode == Mode.ASSIST  # untouched


def test_the_state_panel_shows_the_models_figures(make_project, do_work, worker):
    project = make_project(items=4)
    assist_configure(user=project.created_by, project_id=project.pk, source=Source.TEXT,
                     mode=Mode.CORRECT, target_accuracy=0.95)
    met = datetime(2025, 3, 4, 5, 6, tzinfo=UTC)
    ProjectModel.objects.filter(project=project).update(
        version="minilm-l6+head:abc123", trained_on=24, estimated_accuracy=0.875,
        target_met_at=met, last_error="server said 502")
    items = list(Item.objects.filter(project=project).order_by("pk"))
    for i, item in enumerate(items):
        Suggestion.objects.create(item=item, project=project, answer={"label": "pos"},
                                  score=0.8 + i / 100, uncertainty=0.25,
                                  model_version="minilm-l6+head:abc123")
    do_work(project, worker, {"label": "pos"})  # accepted
    do_work(project, worker, {"label": "neg"})  # replaced
    do_work(project, worker, {"label": "pos"})  # accepted

    html = _client(project.created_by).get(_url(project)).content.decode()
    state = re.search(r'<section class="card" id="assist-state".*?</section>', html, re.S)
    assert state, "no state panel"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", state.group(0)))
    assert "Model version minilm-l6+head:abc123" in text
    assert "Trained on 24 approved labels" in text
    assert "Estimated accuracy 87.5%" in text
    assert "Estimated by cross-validation" in text
    assert "Suggestions made 4" in text
    assert "Accepted as suggested 66.7%" in text
    assert "2 accepted, 0 edited, 1 replaced" in text
    assert "Workers see the suggestions now." in text
    assert "Target accuracy: 95.0%." in text and "the project was paused" in text
    assert "The model failed." in text and "server said 502" in text
    rows = re.findall(r'<tr data-item="(\d+)"><td>#\d+</td><td>([^<]*)</td>', html)
    assert sorted(int(pk) for pk, _ in rows) == [item.pk for item in items]
    assert {summary for _pk, summary in rows} == {"pos"}


@pytest.mark.parametrize(("overlap", "mode", "reason"), [
    (2, Mode.ASSIST, "This project asks for 2 answers per item"),
    (1, Mode.OFF, "Suggestions are off: the model only orders the queue."),
])
def test_the_page_says_why_workers_do_not_see_suggestions(make_project, overlap, mode, reason):
    project = make_project(items=1, overlap=overlap)
    assist_configure(user=project.created_by, project_id=project.pk, source=Source.TEXT,
                     mode=mode)
    html = _client(project.created_by).get(_url(project)).content.decode()
    assert 'data-shown="no"' in html and "Workers do not see suggestions now." in html
    assert reason in html
    assert "The model trains once the project has 20 approved labels" in html


def test_train_now_queues_a_job_and_remove_deletes_the_model(make_project):
    project = make_project(items=2)
    c = _client(project.created_by)
    r = c.post(f"{_url(project)}train/", follow=True)
    assert "has no model yet" in r.content.decode() and _train_jobs() == 0
    assert c.get(f"{_url(project)}train/").status_code == 405

    assist_configure(user=project.created_by, project_id=project.pk, source=Source.TEXT)
    item = Item.objects.filter(project=project).first()
    Suggestion.objects.create(item=item, project=project, answer={"label": "pos"},
                              model_version="v1")
    r = c.post(f"{_url(project)}train/", follow=True)
    assert r.status_code == 200 and "trains and predicts in the background" in r.content.decode()
    assert _train_jobs() == 2  # one from saving, one from the button

    r = c.post(f"{_url(project)}remove/", follow=True)
    assert r.status_code == 200 and "Model removed" in r.content.decode()
    assert not ProjectModel.objects.filter(project=project).exists()
    assert not Suggestion.objects.filter(project=project).exists()
    r = c.post(f"{_url(project)}remove/", follow=True)  # twice: a message, not an error page
    assert r.status_code == 200 and "This project has no model." in r.content.decode()


def test_a_refusal_of_the_service_is_shown_on_the_form(make_project, monkeypatch):
    from datadam.errors import Conflict

    def refuse(**fields):
        raise Conflict("the project changed meanwhile")

    monkeypatch.setattr("datadam.assist.views.assist_configure", refuse)
    project = make_project(items=1)
    r = _client(project.created_by).post(_url(project), VALID)
    assert r.status_code == 422 and "the project changed meanwhile" in r.content.decode()
