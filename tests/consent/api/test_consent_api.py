"""The consent API: status codes and messages of every endpoint."""

from __future__ import annotations

import pytest

from datadam.consent.models import Consent, ConsentForm

pytestmark = pytest.mark.django_db

FORM = {"title": "Voice consent", "body": "We record your voice.", "subject": "worker"}
SIGN = {"subject_name": "Kim Minji", "signature": "kim minji", "agree": True}


def test_the_client_puts_reads_and_deletes_the_form(make_project, api, worker):
    project = make_project()
    owner = api(project.created_by)
    url = f"projects/{project.pk}/consent-form"
    r = owner.get(url)
    assert r.status_code == 200 and r.json()["required"] is False and r.json()["form"] is None
    r = owner.put(url, FORM)
    assert r.status_code == 200
    assert {k: r.json()[k] for k in ("version", "title", "subject", "active")} == {
        "version": 1, "title": "Voice consent", "subject": "worker", "active": True}
    owner.put(url, {**FORM, "subject": "third_party"})
    state = owner.get(url).json()
    assert state["required"] and state["form"]["version"] == 2
    assert [(v["version"], v["active"], v["signed"]) for v in state["versions"]] == [
        (2, True, 0), (1, False, 0)]
    assert state["consents_signed"] == 0
    seen = api(worker).get(url).json()  # the worker sees what to sign, not the history
    assert seen["form"]["version"] == 2 and seen["versions"] == []
    assert seen["consents_signed"] is None
    assert owner.delete(url).status_code == 204
    assert owner.get(url).json()["form"] is None


def test_a_form_that_cannot_be_signed_gets_422_with_the_reason(make_project, api):
    project = make_project()
    owner = api(project.created_by)
    url = f"projects/{project.pk}/consent-form"
    r = owner.put(url, {**FORM, "subject": "anyone"})
    assert r.status_code == 422 and "subject must be one of" in r.json()["message"]
    r = owner.put(url, {"body": "text"})
    assert r.status_code == 422 and r.json()["message"].startswith("title")
    r = owner.put(url, {**FORM, "title": "a\x00"})
    assert r.status_code == 422 and "NUL" in r.json()["message"]


def test_only_the_projects_organization_changes_its_form(make_project, api, make_client_org,
                                                        worker):
    project = make_project()
    url = f"projects/{project.pk}/consent-form"
    for stranger in (make_client_org()[0], worker):
        assert api(stranger).put(url, FORM).status_code == 404
        assert api(stranger).delete(url).status_code == 404
    assert api(make_client_org()[0]).get(url).status_code == 404
    assert api(None).get(url).status_code == 401


def test_a_worker_signs_with_201_and_gets_the_same_consent_again(consent_project, api, worker):
    me = api(worker)
    url = f"projects/{consent_project.pk}/consents"
    r = me.post(url, SIGN, headers={"User-Agent": "Phone/1.0"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["subject"] == "worker" and body["form_version"] == 1
    assert body["subject_name"] == "Kim Minji" and body["captures"] == 0
    assert body["withdrawn_at"] is None and body["signer_id"] == worker.pk
    assert Consent.objects.get().user_agent == "Phone/1.0"
    again = me.post(url, SIGN)
    assert again.status_code == 201 and again.json()["id"] == body["id"]


@pytest.mark.parametrize("change,status,message", [
    ({"signature": "someone else"}, 422, "name typed again"),
    ({"agree": False}, 422, "I agree"),
    ({"third_party": True}, 422, "own face or voice"),
    ({"subject_name": ""}, 422, "subject_name must not be empty"),
])
def test_a_signature_refused_says_why(consent_project, api, worker, change, status, message):
    r = api(worker).post(f"projects/{consent_project.pk}/consents", {**SIGN, **change})
    assert r.status_code == status and message in r.json()["message"]
    assert not Consent.objects.exists()


def test_signing_where_no_form_is_asked_is_409_and_clients_may_not_sign(
    make_project, consent_project, api, worker
):
    r = api(worker).post(f"projects/{make_project().pk}/consents", SIGN)
    assert r.status_code == 409 and "no consent form" in r.json()["message"]
    r = api(consent_project.created_by).post(f"projects/{consent_project.pk}/consents", SIGN)
    assert r.status_code == 403


def test_the_worker_lists_their_consents_with_capture_counts(
    consent_project, api, worker, sign, make_capture, make_user
):
    consent = sign(worker, consent_project)
    make_capture(consent_project, worker, consent)
    sign(make_user(), consent_project)
    r = api(worker).get("consents")
    assert r.status_code == 200
    assert [(c["id"], c["captures"], c["project_name"]) for c in r.json()] == [
        (consent.pk, 1, consent_project.name)]
    assert api(consent_project.created_by).get("consents").status_code == 403


def test_withdrawing_answers_the_consent_and_is_safe_to_repeat(
    consent_project, api, worker, make_user, operator, sign
):
    consent = sign(worker, consent_project)
    url = f"consents/{consent.pk}/withdraw"
    assert api(make_user()).post(url, {"reason": "x"}).status_code == 404
    assert api(consent_project.created_by).post(url, {}).status_code == 404
    r = api(operator).post(url, {})
    assert r.status_code == 422 and "Say why" in r.json()["message"]
    r = api(worker).post(url, {"reason": "no longer"})
    assert r.status_code == 200 and r.json()["withdrawn_at"]
    assert r.json()["withdrawal_reason"] == "no longer"
    again = api(worker).post(url, {"reason": "other"})
    assert again.status_code == 200 and again.json()["withdrawn_at"] == r.json()["withdrawn_at"]
    assert api(worker).post("consents/987654/withdraw", {}).status_code == 404


def test_the_client_pages_through_the_withdrawn_captures(
    consent_project, api, make_user, sign, make_capture
):
    owner = api(consent_project.created_by)
    ids = []
    for n in range(3):
        person = make_user()
        consent = sign(person, consent_project, f"P{n}")
        ids.append(make_capture(consent_project, person, consent).pk)
        api(person).post(f"consents/{consent.pk}/withdraw", {"reason": f"r{n}"})
    url = f"projects/{consent_project.pk}/consents/withdrawn"
    page = owner.get(f"{url}?limit=2").json()
    assert [r["capture_id"] for r in page["items"]] == [ids[2], ids[1]]
    assert page["items"][0]["reason"] == "r2" and page["items"][0]["media_kind"] == "audio"
    rest = owner.get(f"{url}?limit=2&after={page['next_after']}").json()
    assert [r["capture_id"] for r in rest["items"]] == [ids[0]] and rest["next_after"] is None
    r = owner.get(f"{url}?after=999999")
    assert r.status_code == 422 and "after" in r.json()["message"]
    assert owner.get(f"{url}?limit=-5").status_code == 200
    assert api(make_user()).get(url).status_code == 404


def test_operators_find_consents_by_id_or_name(
    consent_project, api, worker, make_user, operator, sign
):
    mine = sign(worker, consent_project, "Kim Minji")
    other = sign(make_user(), consent_project, "Lee Jiwoo")
    ops = api(operator)
    assert [c["id"] for c in ops.get("ops/consents?q=minji").json()] == [mine.pk]
    assert [c["id"] for c in ops.get(f"ops/consents?q=%23{other.pk}").json()] == [other.pk]
    assert [c["id"] for c in ops.get("ops/consents").json()] == [other.pk, mine.pk]
    assert api(worker).get("ops/consents").status_code == 403


def test_removing_the_form_keeps_its_versions_and_their_consents(
    consent_project, api, worker, sign
):
    sign(worker, consent_project)
    owner = api(consent_project.created_by)
    owner.delete(f"projects/{consent_project.pk}/consent-form")
    state = owner.get(f"projects/{consent_project.pk}/consent-form").json()
    assert state["form"] is None and state["consents_signed"] == 1
    assert ConsentForm.objects.filter(project=consent_project).count() == 1
