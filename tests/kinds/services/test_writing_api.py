"""The writing kinds through the API and the wizard: a blocking check is a 422 with its
message, a warning is stored with the answer, the export carries the answers and the medoid,
and the wizard creates a project from each mode's own settings."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from datadam.accounts.models import Role
from datadam.datasets.aggregation import results_aggregate
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_launch
from datadam.projects.views.wizard import preview_context

pytestmark = pytest.mark.django_db

SOURCE = "한강은 서울 한가운데를 흐른다. 다리들이 도시의 북쪽과 남쪽을 잇는다."


def _summary_project(make_project, client_org, **config) -> Project:
    project = make_project(items=0, launch=False, kind="writing_summary", overlap=3,
                           review_policy="auto", config=config)
    user, _org = client_org
    report = items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"data": {"source": SOURCE, "source_language": "ko"}}]))
    assert report.ok, report.errors
    return project_launch(user=user, project_id=project.pk)


def test_the_api_refuses_a_blocked_answer_stores_warnings_and_exports_the_medoid(
    make_project, client_org, make_user, api
):
    project = _summary_project(make_project, client_org, min_chars=5,
                               target_languages=["ko"], blocking=["length", "language"])
    texts = ["서울 한가운데로 한강이 흐른다.", "서울 한가운데로 한강이 흐릅니다.",
             "한강은 서울 한가운데를 흐른다. 다리들이 도시의 북쪽과 남쪽을 잇는다."]
    ids = []
    for n, text in enumerate(texts):
        worker = api(make_user(Role.WORKER))
        a = worker.post(f"projects/{project.pk}/next").json()["assignment"]
        if n == 0:  # English where Korean is asked: refused with the reason
            r = worker.post(f"assignments/{a['id']}/submit",
                            {"answer": {"text": "The Han flows through Seoul."}})
            assert r.status_code == 422
            assert "does not read as Korean" in r.json()["message"]
        r = worker.post(f"assignments/{a['id']}/submit", {"answer": {
            "text": text, "meta": {"pastes": n, "typed_ms": 1000 * n}}})
        assert r.status_code in (200, 201), r.content
        ids.append(a["id"])  # the answer's number is its assignment's
    results_aggregate(project_id=project.pk)
    client = api(client_org[0])
    (line,) = [json.loads(x) for x in b"".join(
        client.get(f"projects/{project.pk}/export.jsonl").streaming_content).splitlines()]
    assert line["result"]["text"] in texts[:2] and line["result"]["method"] == "fusion"
    assert 0 < line["result"]["confidence"] < 1
    answers = {a["answer_id"]: a["answer"] for a in line["answers"]}
    assert answers[ids[1]]["meta"] == {"pastes": 1, "typed_ms": 1000}
    copied = answers[ids[2]]["checks"]  # the copy check only warns here
    assert [c["check"] for c in copied] == ["copy"] and copied[0]["share"] == 1.0


def test_the_wizard_creates_a_dialogue_project_from_its_own_settings(client_org):
    user, _org = client_org
    web = Client()
    web.force_login(user)
    response = web.post("/console/new/", {
        "name": "Shop talk", "instructions": "", "reward": "5", "review_reward": "1",
        "overlap": "2", "lease_minutes": "5", "review_policy": "manual",
        "auto_approve_hours": "24", "kind": "writing_dialogue",
        "writing_dialogue__speakers": "손님\n점원", "writing_dialogue__min_count": "3",
        "writing_dialogue__max_count": "6", "writing_dialogue__target_languages": ["ko"],
        "writing_dialogue__blocking": ["length", "language"],
        "writing_dialogue__copy_limit": "0,6"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    config = Project.objects.get().config
    assert config["speakers"] == ["손님", "점원"] and config["min_count"] == 3
    assert config["blocking"] == ["length", "language"] and config["copy_limit"] == 0.6


def test_the_wizard_preview_shows_each_mode_even_half_typed():
    for slug in ("writing_qa", "writing_summary", "writing_translation", "writing_dialogue",
                 "writing_sentences"):
        html = str(preview_context({"kind": slug, f"{slug}__min_count": "x"})["widget"])
        assert "data-writing=" in html and "data-autofocus" not in html


def test_the_wizard_asks_the_duplicate_check_as_a_box_of_the_blocking_checks(client_org):
    user, _org = client_org
    web = Client()
    web.force_login(user)
    page = web.get("/console/new/").content.decode()
    assert 'name="writing_summary__blocking" value="duplicate"' in page
    assert "Repeating an earlier answer (near-duplicates)" in page
    response = web.post("/console/new/", {
        "name": "Summaries", "instructions": "", "reward": "5", "review_reward": "1",
        "overlap": "1", "lease_minutes": "5", "review_policy": "manual",
        "auto_approve_hours": "24", "kind": "writing_summary",
        "writing_summary__blocking": ["length", "duplicate"]})
    assert response.status_code == 302, response.content.decode()[-2000:]
    config = Project.objects.get().config
    assert config["duplicates"] == "block" and config["blocking"] == ["length", "duplicate"]


def test_the_api_stores_the_new_meta_and_the_typing_warning_it_implies(
    make_project, client_org, make_user, api
):
    project = _summary_project(make_project, client_org, min_chars=5)
    worker = api(make_user(Role.WORKER))
    a = worker.post(f"projects/{project.pk}/next").json()["assignment"]
    text = "서울 한가운데로 흐르는 강을 여러 다리가 건너고, 여름이면 강가 공원에 사람이 많다."
    r = worker.post(f"assignments/{a['id']}/submit",
                    {"answer": {"text": text, "meta": {"keys": -3}}})
    assert r.status_code == 422 and "answer.meta.keys" in r.json()["message"]
    meta = {"pastes": 0, "pasted_chars": 0, "keys": 4, "typed_ms": 900}
    r = worker.post(f"assignments/{a['id']}/submit", {"answer": {"text": text, "meta": meta}})
    assert r.status_code in (200, 201), r.content
    stored = r.json()["answer"]
    assert stored["meta"] == meta
    assert stored["checks"] == [{"check": "typing", "cpm": round(len(text) * 60_000 / 900),
                                 "keys": 4, "chars": len(text)}]
