"""The wizard asks each task kind for its own settings (tolerances, tools, points...)."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.projects.models import Project

pytestmark = pytest.mark.django_db

BASE = {
    "name": "Annotate", "instructions": "", "reward": "5", "review_reward": "1",
    "overlap": "2", "lease_minutes": "5", "review_policy": "manual",
    "auto_approve_hours": "24",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_box_project_gets_its_labels_and_tolerances(client_org):
    user, _org = client_org
    response = _client(user).post("/console/new/", {
        **BASE, "kind": "bounding_box", "labels": "car\nperson",
        "bounding_box__iou": "0.6", "bounding_box__min_agreement": "0,5",
        "bounding_box__pass_score": "",
    })
    assert response.status_code == 302
    config = Project.objects.get().config
    assert config["labels"] == ["car", "person"]
    assert (config["iou"], config["min_agreement"], config["pass_score"]) == (0.6, 0.5, 0.8)
    assert "multi_label" not in config


def test_a_keypoint_project_needs_no_labels_but_its_points_and_skeleton(client_org):
    user, _org = client_org
    response = _client(user).post("/console/new/", {
        **BASE, "kind": "keypoints", "labels": "",
        "keypoints__points": "left_eye\nright_eye\nnose",
        "keypoints__skeleton": "left_eye - nose\nright_eye - nose",
        "keypoints__category": "face",
    })
    assert response.status_code == 302
    config = Project.objects.get().config
    assert config["points"] == ["left_eye", "right_eye", "nose"]
    assert config["skeleton"] == [["left_eye", "nose"], ["right_eye", "nose"]]
    assert config["category"] == "face"


def test_an_ocr_project_takes_the_ticked_languages_and_tools(client_org):
    user, _org = client_org
    response = _client(user).post("/console/new/", {
        **BASE, "kind": "ocr", "ocr__languages": ["ko", "ja"], "ocr__tools": ["polygon"],
    })
    assert response.status_code == 302
    config = Project.objects.get().config
    assert config["languages"] == ["ko", "ja"] and config["tools"] == ["polygon"]


@pytest.mark.parametrize("post, field_error", [
    ({"kind": "keypoints", "keypoints__points": ""}, "config.points must be a non-empty list"),
    ({"kind": "keypoints", "keypoints__points": "a\nb", "keypoints__skeleton": "a b"},
     "one pair per line"),
    ({"kind": "bounding_box", "labels": "car", "bounding_box__iou": "2"},
     "config.iou must be a number from 0.05 to 0.99"),
    ({"kind": "polygon", "labels": "", "polygon__tools": ["polygon"]},
     "config.labels must be a non-empty list"),
])
def test_bad_settings_are_form_errors_and_create_nothing(client_org, post, field_error):
    user, _org = client_org
    response = _client(user).post("/console/new/", {**BASE, **post})
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Project.objects.exists()


def test_the_wizard_shows_the_chosen_kinds_settings_and_hides_the_others(client_org):
    user, _org = client_org
    html = _client(user).get("/console/new/").content.decode()
    assert 'data-kind-show="keypoints" hidden' in html
    assert 'name="keypoints__points"' in html and 'name="ocr__languages"' in html


def test_editing_a_draft_keeps_the_kind_settings(client_org, make_project):
    project = make_project(items=0, launch=False, kind="keypoints",
                           config={"points": ["a", "b"], "skeleton": [["a", "b"]]})
    user, _org = client_org
    html = _client(user).get(f"/console/projects/{project.pk}/edit/").content.decode()
    assert "a - b</textarea>" in html


def test_the_preview_draws_the_widget_with_the_typed_points(client_org):
    user, _org = client_org
    response = _client(user).post("/console/preview/", {
        "kind": "keypoints", "keypoints__points": "tip\nbase"})
    assert response.status_code == 200
    assert "tip" in response.content.decode()
