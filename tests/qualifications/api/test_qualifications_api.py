"""The qualifications API: workers take exams, clients manage, operators check documents."""

from __future__ import annotations

import pytest

from datadam.qualifications.models import (
    CredentialCheck,
    Exam,
    ProjectRequirement,
    Qualification,
    WorkerQualification,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def put(client, path: str, data: dict):
    """PUT with JSON (the shared ApiClient has no put)."""
    return client._call("put", path, data)


def run_exam(client, exam: Exam, right: int, mode: str = "exam") -> dict:
    """Answer through the API, the first ``right`` questions correctly; the last reply."""
    answers = {q.pk: q.answer for q in exam.questions.all()}
    r = client.post(f"qualifications/exams/{exam.pk}/attempts", {"mode": mode})
    assert r.status_code == 201, r.json()
    attempt = r.json()
    n = 0
    reply = None
    while attempt["question"]:
        qid = attempt["question"]["id"]
        answer = answers[qid] if n < right else {"label": "triangle" if answers[qid] != {
            "label": "triangle"} else "circle"}
        r = client.post(f"qualifications/attempts/{attempt['id']}/answer",
                        {"question_id": qid, "answer": answer})
        assert r.status_code == 200, r.json()
        reply = r.json()
        attempt = reply["attempt"]
        n += 1
    return reply


def test_a_worker_takes_the_exam_and_holds_the_qualification(worker, exam, api):
    client = api(worker)
    listed = client.get("qualifications/exams").json()
    assert [(e["id"], e["attempts_left"], e["questions"]) for e in listed] == [(exam.pk, 2, 4)]
    last = run_exam(client, exam, right=4)
    assert last["finished"] is True
    assert (last["attempt"]["passed"], last["attempt"]["score"]) == (True, 1.0)
    assert last["explanation"] == "" and last["expected"] is None
    mine = client.get("qualifications/mine").json()
    assert [(h["qualification_name"], h["level"], h["active"]) for h in mine] == [
        ("Shape spotting", 1, True)
    ]
    result = client.get(f"qualifications/attempts/{last['attempt']['id']}/result").json()
    assert all("explanation" not in a or a["explanation"] == "" for a in result["answers"])


def test_training_answers_come_with_the_explanation(worker, exam, api):
    client = api(worker)
    attempt = client.post(f"qualifications/exams/{exam.pk}/attempts",
                          {"mode": "training"}).json()
    r = client.post(f"qualifications/attempts/{attempt['id']}/answer",
                    {"question_id": attempt["question"]["id"], "answer": {"label": "square"}})
    body = r.json()
    assert (body["correct"], body["expected"]) == (False, {"label": "circle"})
    assert "circle" in body["explanation"]
    assert body["attempt"]["question"]["number"] == 2


def test_bad_answers_and_finished_attempts_get_4xx_with_a_message(worker, exam, api):
    client = api(worker)
    attempt = client.post(f"qualifications/exams/{exam.pk}/attempts", {}).json()
    r = client.post(f"qualifications/attempts/{attempt['id']}/answer",
                    {"question_id": attempt["question"]["id"], "answer": {"label": "blob"}})
    assert r.status_code == 422 and "blob" in r.json()["message"]
    r = client.post(f"qualifications/attempts/{attempt['id']}/answer",
                    {"question_id": 999999, "answer": {"label": "circle"}})
    assert r.status_code == 404
    r = client.get(f"qualifications/attempts/{attempt['id']}/result")
    assert r.status_code == 409


def test_a_failed_exam_then_the_cool_down_is_a_409(worker, exam, api):
    client = api(worker)
    run_exam(client, exam, right=0)
    r = client.post(f"qualifications/exams/{exam.pk}/attempts", {"mode": "exam"})
    assert r.status_code == 409
    assert "retry_at" in r.json()["details"]


def test_the_claim_is_refused_with_reasons_until_the_exam_is_passed(client_org, worker, exam,
                                                                    make_project, api):
    project = make_project(items=2)
    owner = api(client_org[0])
    r = put(owner, f"/api/v1/qualifications/projects/{project.pk}/requirements",
                  data={"qualifications": [{"qualification": exam.qualification_id,
                                            "min_level": 1}]})
    client = api(worker)
    r = client.post(f"projects/{project.pk}/next")
    assert r.status_code == 403
    assert r.json()["error"] == "not_eligible"
    assert "Shape spotting" in r.json()["details"][0]
    assert client.get(f"qualifications/projects/{project.pk}/eligibility").json() == {
        "eligible": False, "reasons": r.json()["details"],
    }
    assert project.pk not in [p["id"] for p in client.get("feed").json()]
    run_exam(client, exam, right=4)
    assert client.post(f"projects/{project.pk}/next").json()["assignment"] is not None
    assert project.pk in [p["id"] for p in client.get("feed").json()]


def test_a_client_creates_qualifications_exams_and_questions(client_org, api):
    user, org = client_org
    client = api(user)
    r = client.post("qualifications", {"organization_id": org.pk, "name": "Korean native",
                                       "granting": "exam"})
    assert r.status_code == 201
    qid = r.json()["id"]
    r = client.post(f"qualifications/{qid}/exams", {"title": "Korean", "kind":
                    "text_classification", "config": {"labels": ["native", "learner"]},
                    "pass_mark": 0.9})
    assert r.status_code == 201
    exam_id = r.json()["id"]
    r = client.post(f"qualifications/exams/{exam_id}/questions",
                    {"data": {"text": "밥 먹었어?"}, "answer": {"label": "native"},
                     "explanation": "Casual and natural."})
    assert r.status_code == 201
    question_id = r.json()["id"]
    r = client.patch(f"qualifications/questions/{question_id}", {"explanation": "Natural."})
    assert r.json()["explanation"] == "Natural."
    detail = client.get(f"qualifications/exams/{exam_id}").json()
    assert [q["answer"] for q in detail["questions"]] == [{"label": "native"}]
    assert client.patch(f"qualifications/{qid}", {"description": "Grew up speaking Korean"}
                        ).json()["description"] == "Grew up speaking Korean"


def test_bad_input_gets_422_with_a_message(client_org, exam, api):
    user, org = client_org
    client = api(user)
    r = client.post("qualifications", {"organization_id": org.pk, "name": "  "})
    assert r.status_code == 422 and r.json()["message"]
    r = client.post(f"qualifications/exams/{exam.pk}/questions",
                    {"data": {"text": "no image"}, "answer": {"label": "circle"}})
    assert r.status_code == 422 and "image" in r.json()["message"]
    r = client.patch(f"qualifications/exams/{exam.pk}", {"pass_mark": 1.5})
    assert r.status_code == 422 and "pass_mark" in r.json()["message"]
    r = client.post("qualifications", {"organization_id": org.pk, "name": "Shape spotting"})
    assert r.status_code == 409


def test_another_organizations_qualification_is_404(make_client_org, qualification, exam, api):
    other = api(make_client_org()[0])
    assert other.get(f"qualifications/{qualification.pk}").status_code == 404
    assert other.patch(f"qualifications/{qualification.pk}", {"name": "x"}).status_code == 404
    assert other.delete(f"qualifications/{qualification.pk}").status_code == 404
    assert other.get(f"qualifications/exams/{exam.pk}").status_code == 404
    assert other.post(f"qualifications/exams/{exam.pk}/questions",
                      {"data": {"image": "/x.png"}, "answer": {"label": "circle"}}
                      ).status_code == 404
    assert qualification.pk not in [q["id"] for q in other.get("qualifications").json()]
    assert Qualification.objects.get(pk=qualification.pk).name == "Shape spotting"


def test_a_worker_cannot_create_exams_or_qualifications(worker, qualification, exam, api):
    client = api(worker)
    r = client.post(f"qualifications/{qualification.pk}/exams",
                    {"title": "Mine", "kind": "image_classification",
                     "config": {"labels": ["a", "b"]}})
    assert r.status_code == 403
    assert client.post("qualifications", {"name": "Mine"}).status_code == 403
    assert client.post(f"qualifications/exams/{exam.pk}/questions",
                       {"data": {"image": "/x.png"}, "answer": {"label": "circle"}}
                       ).status_code == 403
    assert client.get(f"qualifications/exams/{exam.pk}").status_code == 403
    assert Exam.objects.count() == 1


def test_requirements_are_read_and_replaced(client_org, make_project, qualification, api,
                                           make_client_org):
    project = make_project()
    client = api(client_org[0])
    body = {"qualifications": [{"qualification": qualification.pk, "min_level": 2}],
            "age_min": 20, "age_max": 45, "genders": ["female"], "regions": ["Seoul"],
            "languages": ["ko"], "native_languages": ["ko"], "devices": ["microphone"],
            "attributes": {"dialect": "Busan", "baby_age_months": "<=6"}}
    r = put(client, f"/api/v1/qualifications/projects/{project.pk}/requirements", data=body)
    assert r.status_code == 200 and r.json() == body
    assert client.get(f"qualifications/projects/{project.pk}/requirements").json() == body
    r = put(client, f"/api/v1/qualifications/projects/{project.pk}/requirements",
                   data={**body, "age_min": 50})
    assert r.status_code == 422 and "age_min" in r.json()["message"]
    other = api(make_client_org()[0])
    assert other.get(f"qualifications/projects/{project.pk}/requirements").status_code == 404
    r = put(client, f"/api/v1/qualifications/projects/{project.pk}/requirements", data={})
    assert r.status_code == 200
    assert not ProjectRequirement.objects.exists()


def test_documents_are_uploaded_checked_and_granted(worker, operator, make_user, api):
    op = api(operator)
    qid = op.post("qualifications", {"name": "Medical doctor", "granting": "credential"}
                  ).json()["id"]
    client = api(worker)
    r = client.upload(f"qualifications/{qid}/credentials", "licence.pdf", PDF)
    assert r.status_code == 201, r.json()
    check_id = r.json()["id"]
    r = client.upload(f"qualifications/{qid}/credentials", "licence-2.pdf", PDF)
    assert r.status_code == 409  # one is already waiting
    assert api(make_user()).get("qualifications/credentials").status_code == 403
    pending = op.get("qualifications/credentials").json()
    assert [c["id"] for c in pending] == [check_id]
    doc = op.get(f"qualifications/credentials/{check_id}/document")
    assert doc.status_code == 200
    assert b"".join(doc.streaming_content) == PDF
    assert (doc["Content-Type"], doc["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert api(make_user()).get(f"qualifications/credentials/{check_id}/document"
                                ).status_code == 404
    r = op.post(f"qualifications/credentials/{check_id}/decision",
                {"decision": "approve", "level": 1})
    assert r.json()["status"] == "approved"
    assert client.get("qualifications/credentials/mine").json()[0]["status"] == "approved"
    assert WorkerQualification.objects.get(worker=worker).source == "credential"


def test_a_wrong_file_type_is_a_422(worker, operator, api):
    qid = api(operator).post("qualifications", {"name": "Doctor", "granting": "credential"}
                             ).json()["id"]
    r = api(worker).upload(f"qualifications/{qid}/credentials", "notes.txt", b"hello")
    assert r.status_code == 422 and "PDF" in r.json()["message"]
    assert not CredentialCheck.objects.exists()


def test_operators_grant_and_revoke_by_email(operator, worker, qualification, api):
    op = api(operator)
    r = op.post(f"qualifications/{qualification.pk}/grants",
                {"email": worker.email, "level": 5})
    assert (r.status_code, r.json()["level"], r.json()["active"]) == (200, 5, True)
    r = op.post(f"qualifications/{qualification.pk}/revoke",
                {"email": worker.email, "reason": "test"})
    assert r.json()["active"] is False
    r = op.post(f"qualifications/{qualification.pk}/grants",
                {"email": "nobody@example.test", "level": 1})
    assert r.status_code == 404


def test_running_the_rules_is_queued_as_a_background_job(client_org, api):
    from django_tasks_db.models import DBTaskResult

    user, org = client_org
    client = api(user)
    qid = client.post("qualifications", {"organization_id": org.pk, "name": "Careful",
                                         "granting": "computed"}).json()["id"]
    r = client.post(f"qualifications/{qid}/rules", {"min_reviewed": 10,
                                                    "min_approval_rate": 0.9})
    assert r.status_code == 201
    r = client.post(f"qualifications/{qid}/compute")
    assert r.status_code == 202 and r.json()["queued"] is True
    assert DBTaskResult.objects.filter(id=r.json()["task_id"]).exists()
