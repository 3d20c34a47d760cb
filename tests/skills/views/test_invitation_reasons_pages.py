"""A client searching in English invites a worker; the worker reads why in Korean."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.accounts.models import Role, WorkerProfile
from datadam.recommendations.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_worker(make_user):
    worker = make_user(Role.WORKER)
    WorkerProfile.objects.create(user=worker, native_language="ko", other_languages=["en"],
                                 region="Seoul")
    return worker


def test_the_invited_worker_reads_the_reasons_in_the_workers_language(
    make_project, client_org, korean_worker
):
    project = make_project(items=3)
    client = Client(headers={"accept-language": "en"})
    client.force_login(client_org[0])
    page = client.get(f"/talent/projects/{project.pk}/",
                      {"query": "Korean native", "region": "Seoul"})
    assert page.status_code == 200
    match = next(m for m in page.context["matches"] if m.worker == korean_worker)
    assert "native Korean speaker" in page.content.decode()
    response = client.post(f"/talent/projects/{project.pk}/invite/", {
        "worker_id": korean_worker.pk, "reasons": match.reasons_json, "message": "hi"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(worker=korean_worker)
    assert {"code": "native", "lang": "ko"} in invitation.reasons
    assert {"code": "region", "value": "Seoul"} in invitation.reasons

    worker = Client(headers={"accept-language": "ko"})
    worker.force_login(korean_worker)
    html = worker.get("/talent/invitations/").content.decode()
    assert "<li>한국어 원어민</li>" in html and "<li>거주 지역: Seoul</li>" in html
    assert "native Korean speaker" not in html
    english = Client(headers={"accept-language": "en"})
    english.force_login(korean_worker)
    assert "native Korean speaker" in english.get("/talent/invitations/").content.decode()


@pytest.mark.parametrize("reasons", [
    "not json", '{"code": "speaks"}', '[{"code": "x"}]', "[NaN]", '[{"code": "skill", '
    '"kind": "x", "lower": 1e999, "answers": 1}]', "[" * 9000 + "]" * 9000,
    '["\\ud800 hi"]', '[{"code": "speed", "median_ms": 1' + "0" * 400 + ', "typical_ms": 1}]',
])
def test_a_tampered_reasons_field_invites_nobody_and_says_why(
    make_project, client_org, korean_worker, reasons
):
    project = make_project(items=3)
    client = Client()
    client.force_login(client_org[0])
    response = client.post(f"/talent/projects/{project.pk}/invite/", {
        "worker_id": korean_worker.pk, "reasons": reasons}, follow=True)
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    messages = [str(m) for m in response.context["messages"]]
    assert messages and ("not a list" in messages[0] or "reason" in messages[0])


def test_the_api_takes_facts_and_text_and_answers_in_the_callers_language(
    make_project, client_org, korean_worker, api
):
    project = make_project(items=3)
    body = {"worker_id": korean_worker.pk,
            "reasons": [{"code": "speaks", "lang": "ko"}, "Great work on our pilot"]}
    response = api(client_org[0]).post(f"projects/{project.pk}/invitations", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["reasons"] == body["reasons"]
    assert out["reason_texts"] == ["speaks Korean", "Great work on our pilot"]
    mine = api(korean_worker).get("invitations", headers={"accept-language": "ko"}).json()
    assert "한국어" in mine[0]["reason_texts"][0]
    assert mine[0]["reason_texts"][1] == "Great work on our pilot"


def test_the_api_refuses_a_malformed_fact_with_a_422(make_project, client_org, korean_worker,
                                                     api):
    project = make_project(items=3)
    response = api(client_org[0]).post(f"projects/{project.pk}/invitations", {
        "worker_id": korean_worker.pk, "reasons": [{"code": "speaks", "lang": 7}]})
    assert response.status_code == 422
    assert "wrong type" in response.json()["message"]
    assert not Invitation.objects.exists()


def test_recommendations_over_the_api_carry_the_fact_to_pass_on(
    make_project, client_org, korean_worker, api
):
    project = make_project(items=3)
    found = api(client_org[0]).post(f"projects/{project.pk}/recommendations",
                                    {"query": "Korean native"}).json()
    lines = next(r for r in found["results"] if r["worker_id"] == korean_worker.pk)
    facts = [line["reason"] for line in lines["explanation"] if line["match"] > 0]
    assert {"code": "native", "lang": "ko"} in facts
    response = api(client_org[0]).post(f"projects/{project.pk}/invitations", {
        "worker_id": korean_worker.pk, "reasons": facts})
    assert response.status_code == 201 and "native Korean speaker" in response.json()[
        "reason_texts"]


def test_a_number_beyond_a_float_in_an_api_body_is_a_400_not_a_500(make_project, client_org,
                                                                   korean_worker, api):
    project = make_project(items=3)
    caller = api(client_org[0])
    body = ('{"worker_id": ' + str(korean_worker.pk) + ', "reasons": [{"code": "skill", '
            '"kind": "x", "lower": 1e999, "answers": 1}]}')
    response = caller.client.post(f"/api/v1/projects/{project.pk}/invitations", body,
                                  content_type="application/json", headers=caller.headers)
    assert response.status_code == 400
    assert not Invitation.objects.exists()

