"""Projects through the API: create, edit, launch, pause, close, stats; bad input is a 4xx."""

from __future__ import annotations

import pytest

from datadam.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client_org, api):
    return api(client_org[0])


def _body(org, **over):
    return {
        "organization_id": org.pk,
        "name": "Sentiment",
        "kind": "text_classification",
        "config": {"labels": ["pos", "neg"]},
        "reward": 10,
        "review_reward": 2,
        "overlap": 3,
        **over,
    }


def test_a_client_creates_imports_launches_pauses_and_closes_a_project(
    client_org, owner, api, worker, balance_of, ledger_ok
):
    _, org = client_org
    start = balance_of(org)
    r = owner.post("projects", _body(org, instructions="Be quick."))
    assert r.status_code == 201, r.content
    p = r.json()
    assert (p["status"], p["items_count"], p["overlap"]) == ("draft", 0, 3)
    assert p["config"] == {"labels": ["pos", "neg"], "multi_label": False}

    assert owner.post(f"projects/{p['id']}/launch").status_code == 409  # no items yet
    owner.post(f"projects/{p['id']}/items", {"items": [{"text": "a"}, {"text": "b"}]})
    r = owner.post(f"projects/{p['id']}/launch")
    assert r.status_code == 200
    assert r.json()["status"] == "open" and r.json()["launched_at"]
    assert balance_of(org) == start - 2 * 3 * 12

    assert api(worker).post(f"projects/{p['id']}/next").json()["assignment"] is not None
    assert owner.post(f"projects/{p['id']}/pause").json()["status"] == "paused"
    assert owner.post(f"projects/{p['id']}/pause").status_code == 409
    assert owner.post(f"projects/{p['id']}/launch").json()["status"] == "open"
    r = owner.post(f"projects/{p['id']}/close")
    assert r.json()["status"] == "closed" and r.json()["closed_at"]
    assert owner.post(f"projects/{p['id']}/close").status_code == 409
    assert balance_of(org) == start
    ledger_ok()


def test_launch_without_funds_gets_402_and_the_project_stays_a_draft(make_client_org, api):
    user, org = make_client_org(credit=10)
    client = api(user)
    pid = client.post("projects", _body(org)).json()["id"]
    client.post(f"projects/{pid}/items", {"items": [{"text": "a"}]})
    r = client.post(f"projects/{pid}/launch")
    assert r.status_code == 402
    assert r.json()["details"]["need"] == 36
    assert client.get(f"projects/{pid}").json()["status"] == "draft"
    assert client.get(f"organizations/{org.pk}/balance").json()["balance"] == 10


def test_patch_changes_editable_fields_and_refuses_budget_fields_once_open(make_project, owner):
    project = make_project(items=1)
    r = owner.patch(f"projects/{project.pk}", {"name": "New name", "auto_approve_hours": 5})
    assert r.status_code == 200
    assert (r.json()["name"], r.json()["auto_approve_hours"]) == ("New name", 5)
    r = owner.patch(f"projects/{project.pk}", {"reward": 1})
    assert r.status_code == 409
    assert Project.objects.get(pk=project.pk).reward == 10


def test_stats_show_progress_and_money(make_project, owner, make_user, reviewer, do_work):
    from datadam.review.services import review_decide

    project = make_project(items=2, overlap=2, reward=10, review_reward=2)
    s = do_work(project, make_user())
    review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    do_work(project, make_user())

    stats = owner.get(f"projects/{project.pk}/stats").json()

    assert stats["items"] == 2
    assert stats["answers_wanted"] == 4
    assert stats["open_slots"] == 2
    assert stats["assignments"] == {"approved": 1, "submitted": 1}
    assert stats["progress"] == 0.25
    assert stats["approval_rate"] == 1.0
    assert stats["budget"] == 48
    assert stats["spent"] == 12
    assert stats["escrow_balance"] == 36


def test_items_are_listed_in_pages(make_project, owner):
    project = make_project(items=5)
    page = owner.get(f"projects/{project.pk}/items?limit=2").json()
    assert [i["data"]["text"] for i in page["items"]] == ["text 0", "text 1"]
    rest = owner.get(f"projects/{project.pk}/items?after={page['next_after']}&limit=10").json()
    assert [i["data"]["text"] for i in rest["items"]] == ["text 2", "text 3", "text 4"]
    assert rest["next_after"] is None


@pytest.mark.parametrize(
    ("over", "word"),
    [
        ({"overlap": 0}, "overlap"),
        ({"overlap": 101}, "overlap"),
        ({"reward": -1}, "reward"),
        ({"review_reward": -1}, "review_reward"),
        ({"reward": 10**12}, "reward"),
        ({"lease_seconds": 1}, "lease_seconds"),
        ({"auto_approve_hours": -1}, "auto_approve_hours"),
        ({"kind": "audio_karaoke"}, "kind"),
        ({"review_policy": "never"}, "review_policy"),
        ({"config": {}}, "labels"),
        ({"config": {"labels": ["a", "a"]}}, "unique"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "nul\x00byte"}, "name"),
        ({"instructions": "nul\x00byte"}, "instructions"),
        ({"config": {"labels": ["a\x00", "b"]}}, "label"),
    ],
)
def test_invalid_project_fields_get_422_with_a_message(client_org, owner, over, word):
    _, org = client_org
    r = owner.post("projects", _body(org, **over))
    assert r.status_code == 422, r.content
    assert word in r.json()["message"]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "over",
    [
        {"reward": "ten"},
        {"reward": 1.5},
        {"overlap": None},
        {"config": ["a"]},
        {"organization_id": "mine"},
        {"name": 5},
    ],
)
def test_wrongly_typed_project_fields_get_422(client_org, owner, over):
    _, org = client_org
    r = owner.post("projects", _body(org, **over))
    assert r.status_code == 422, r.content
    assert r.json().get("detail") or r.json().get("message")
    assert not Project.objects.exists()


def test_a_project_body_missing_required_fields_gets_422(owner):
    assert owner.post("projects", {"name": "x"}).status_code == 422


@pytest.mark.parametrize(
    "patch",
    [
        {"instructions": None},
        {"name": None},
        {"name": "y" * 201},
        {"lease_seconds": None},
        {"review_policy": None},
        {"config": None},
        {"kind": None},
        {"overlap": 0},
        {"reward": None},
    ],
)
def test_patching_a_draft_with_nonsense_gets_422_and_changes_nothing(make_project, owner, patch):
    project = make_project(items=1, launch=False)
    before = Project.objects.filter(pk=project.pk).values().get()
    r = owner.patch(f"projects/{project.pk}", patch)
    assert r.status_code == 422, r.content
    assert r.json()["message"]
    assert Project.objects.filter(pk=project.pk).values().get() == before


def test_creating_a_project_in_another_organization_looks_like_a_missing_one(
    make_client_org, owner
):
    _, other = make_client_org()
    mine = owner.post("projects", _body(other))
    missing = owner.post("projects", _body(other, organization_id=987654))
    assert mine.status_code == missing.status_code == 404
    assert mine.json() == missing.json()
    assert not Project.objects.exists()


def test_kinds_and_answer_schemas_are_public(api):
    anonymous = api(None)
    kinds = anonymous.get("kinds").json()
    assert {k["slug"]: k["aggregation"] for k in kinds}.items() >= {
        "text_classification": "labels", "image_classification": "labels",
        "bounding_box": "item", "polygon": "item", "keypoints": "item", "ocr": "item"}.items()
    boxes = anonymous.get("kinds/bounding_box/answer-schema?labels=car,bus").json()
    assert boxes["properties"]["boxes"]["items"]["properties"]["label"]["enum"] == ["car", "bus"]
    face = anonymous.get("kinds/keypoints/answer-schema?points=eye,nose").json()
    assert set(face["properties"]["keypoints"]["properties"]) == {"eye", "nose"}
    schema = anonymous.get("kinds/text_classification/answer-schema?labels=a,b").json()
    assert schema["properties"]["label"]["enum"] == ["a", "b"]
    multi = anonymous.get(
        "kinds/image_classification/answer-schema?labels=a,b&multi_label=true"
    ).json()
    assert multi["required"] == ["labels"]
    assert anonymous.get("kinds/nope/answer-schema").status_code == 422
    assert anonymous.get("kinds/text_classification/answer-schema?labels=a,a").status_code == 422
