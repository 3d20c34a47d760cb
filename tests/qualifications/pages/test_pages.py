"""The qualification pages through Django's test client: roles, forms, errors, 404s."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from datadam.qualifications import services
from datadam.qualifications.models import (
    CredentialCheck,
    Exam,
    ExamAnswer,
    ProjectRequirement,
    Qualification,
    WorkerQualification,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def doctor(operator):
    return services.qualification_create(user=operator, organization_id=None,
                                         name="Medical doctor", granting="credential")


def test_the_worker_page_lists_exams_with_attempts_left(worker, exam):
    page = signed_in(worker).get("/qualifications/").content.decode()
    assert "Shapes exam" in page and "Exam attempts left: 2 of 2" in page


def test_pages_are_for_their_roles(worker, client_org, operator, exam, make_project):
    project = make_project()
    assert signed_in(worker).get("/qualifications/manage/").status_code == 403
    assert signed_in(worker).get("/qualifications/credentials/").status_code == 403
    assert signed_in(worker).get(
        f"/qualifications/projects/{project.pk}/requirements/").status_code == 403
    assert signed_in(client_org[0]).get("/qualifications/credentials/").status_code == 403
    assert signed_in(client_org[0]).get("/qualifications/grants/").status_code == 403
    assert signed_in(client_org[0]).get("/qualifications/").status_code == 302
    assert Client().get("/qualifications/").status_code == 302  # to the log-in page


def test_training_through_the_pages_shows_the_explanation(worker, exam):
    client = signed_in(worker)
    r = client.post(f"/qualifications/exams/{exam.pk}/start/", {"mode": "training"})
    url = r["Location"]
    page = client.get(url).content.decode()
    assert "Question 1 of 4" in page and 'name="label"' in page
    first = exam.questions.first()
    r = client.post(url, {"question_id": first.pk, "label": "square"})
    assert r["Location"].endswith(f"?after={first.pk}")
    page = client.get(r["Location"]).content.decode()
    assert "Not quite." in page and first.explanation in page
    assert "Next question" in page


def test_a_blank_answer_is_a_form_error_and_records_nothing(worker, exam):
    client = signed_in(worker)
    url = client.post(f"/qualifications/exams/{exam.pk}/start/", {"mode": "exam"})["Location"]
    page = client.post(url, {"question_id": exam.questions.first().pk}).content.decode()
    assert "Pick an answer first." in page
    assert not ExamAnswer.objects.exists()


def test_another_workers_attempt_is_404(worker, make_user, exam):
    attempt = services.attempt_start(worker=worker, exam_id=exam.pk)
    assert signed_in(make_user()).get(f"/qualifications/attempts/{attempt.pk}/"
                                      ).status_code == 404


def test_starting_when_attempts_are_used_up_shows_the_message(worker, make_exam, take_exam):
    exam = make_exam(max_attempts=1, cooldown_hours=0)
    take_exam(worker, exam, right=0)
    client = signed_in(worker)
    r = client.post(f"/qualifications/exams/{exam.pk}/start/", {"mode": "exam"}, follow=True)
    assert "You have used all 1 attempts" in r.content.decode()


def test_the_project_page_says_what_is_missing_and_offers_the_exam(client_org, worker, exam,
                                                                   make_project, take_exam):
    project = make_project()
    services.requirements_set(user=client_org[0], project_id=project.pk,
                              qualifications=[{"qualification": exam.qualification_id,
                                               "min_level": 1}], languages=["ko"])
    page = signed_in(worker).get(f"/qualifications/projects/{project.pk}/").content.decode()
    assert "Shape spotting" in page and "Take the exam" in page and "Update your profile" in page
    take_exam(worker, exam, right=4)
    services.requirements_set(user=client_org[0], project_id=project.pk,
                              qualifications=[{"qualification": exam.qualification_id,
                                               "min_level": 1}])
    page = signed_in(worker).get(f"/qualifications/projects/{project.pk}/").content.decode()
    assert "You meet every requirement" in page


def test_a_document_is_uploaded_and_a_wrong_one_is_a_form_error(worker, doctor):
    client = signed_in(worker)
    url = f"/qualifications/{doctor.pk}/"
    page = client.post(url, {"document": SimpleUploadedFile("a.txt", b"hello")}
                       ).content.decode()
    assert "Upload a PDF, PNG or JPG file." in page
    assert not CredentialCheck.objects.exists()
    r = client.post(url, {"document": SimpleUploadedFile("licence.pdf", PDF), "note": "hi"},
                    follow=True)
    assert "Document sent." in r.content.decode() and "Waiting for a check" in r.content.decode()


def test_the_operator_approves_and_rejects_documents(worker, make_user, operator, doctor):
    first = services.credential_submit(worker=worker, qualification_id=doctor.pk,
                                       file=SimpleUploadedFile("a.pdf", PDF))
    other = make_user()
    second = services.credential_submit(worker=other, qualification_id=doctor.pk,
                                        file=SimpleUploadedFile("b.pdf", PDF))
    client = signed_in(operator)
    page = client.get("/qualifications/credentials/").content.decode()
    assert worker.email in page and other.email in page
    doc = client.get(f"/qualifications/credentials/{first.pk}/document/")
    assert b"".join(doc.streaming_content) == PDF
    assert signed_in(make_user()).get(
        f"/qualifications/credentials/{first.pk}/document/").status_code == 404
    client.post(f"/qualifications/credentials/{first.pk}/decide/",
                {"decision": "approve", f"c{first.pk}-level": "3",
                 f"c{first.pk}-expires": "2999-12-31"})
    holding = WorkerQualification.objects.get(worker=worker)
    assert (holding.level, holding.expires_at.year) == (3, 2999)
    r = client.post(f"/qualifications/credentials/{second.pk}/decide/",
                    {"decision": "reject"}, follow=True)
    assert "This field is required." in r.content.decode()
    client.post(f"/qualifications/credentials/{second.pk}/decide/",
                {"decision": "reject", f"c{second.pk}-reason": "Blurry scan."})
    second.refresh_from_db()
    assert (second.status, second.reason) == ("rejected", "Blurry scan.")


def test_the_operator_grants_and_revokes_by_email(operator, worker, qualification):
    client = signed_in(operator)
    client.post("/qualifications/grants/", {"action": "grant", "email": worker.email,
                                            "qualification": qualification.pk, "level": "4"})
    assert WorkerQualification.objects.get(worker=worker).level == 4
    page = client.get(f"/qualifications/grants/?email={worker.email}").content.decode()
    assert "Shape spotting" in page and "Revoke" in page
    client.post("/qualifications/grants/", {"action": "revoke", "email": worker.email,
                                            "qualification": qualification.pk})
    assert not WorkerQualification.objects.get(worker=worker).is_active()
    page = client.post("/qualifications/grants/", {
        "action": "grant", "email": "nobody@example.test", "qualification": qualification.pk,
        "level": "1"}).content.decode()
    assert "no worker with that e-mail" in page


def test_the_client_sets_requirements_with_a_form(client_org, make_project, qualification):
    project = make_project()
    client = signed_in(client_org[0])
    url = f"/qualifications/projects/{project.pk}/requirements/"
    assert url in client.get("/qualifications/manage/").content.decode()
    page = client.get(url).content.decode()
    assert "Shape spotting" in page
    r = client.post(url, {f"q_{qualification.pk}": "on", f"level_{qualification.pk}": "2",
                          "age_min": "20", "regions": "Seoul, Busan", "languages": ["ko"],
                          "attributes": "dialect=Busan"})
    assert r.status_code == 302
    req = ProjectRequirement.objects.get(pk=project.pk)
    assert (req.qualifications, req.age_min, req.regions, req.languages, req.attributes) == (
        [{"qualification": qualification.pk, "min_level": 2}], 20, ["Seoul", "Busan"], ["ko"],
        {"dialect": "Busan"},
    )
    page = client.post(url, {"age_min": "50", "age_max": "30"}).content.decode()
    assert "age_min must not be above age_max" in page
    page = client.post(url, {"attributes": "no equals sign"}).content.decode()
    assert "write name=value" in page
    assert ProjectRequirement.objects.get(pk=project.pk).age_min == 20


def test_another_organizations_pages_are_404(make_client_org, make_project, qualification,
                                             exam):
    project = make_project()
    other = signed_in(make_client_org()[0])
    assert other.get(f"/qualifications/projects/{project.pk}/requirements/").status_code == 404
    assert other.get(f"/qualifications/manage/{qualification.pk}/").status_code == 404
    assert other.get(f"/qualifications/manage/exams/{exam.pk}/").status_code == 404
    assert other.post(f"/qualifications/manage/exams/{exam.pk}/questions/",
                      {"data": '{"image": "/x.png"}', "answer": '{"label": "circle"}'}
                      ).status_code == 404


def test_the_client_creates_a_qualification_an_exam_and_its_questions(client_org):
    user, org = client_org
    client = signed_in(user)
    r = client.post("/qualifications/manage/", {"organization": org.pk, "name": "Box drawing",
                                                "granting": "exam"})
    q = Qualification.objects.get(name="Box drawing")
    assert r["Location"] == f"/qualifications/manage/{q.pk}/"
    r = client.post(f"/qualifications/manage/{q.pk}/exams/", {
        "title": "Boxes", "kind": "image_classification", "labels": "tight, loose",
        "pass_mark": "75", "level": "1", "max_attempts": "3", "cooldown_hours": "0",
        "is_open": "on"})
    exam = Exam.objects.get(title="Boxes")
    assert (exam.config["labels"], exam.pass_mark) == (["tight", "loose"], 0.75)
    url = f"/qualifications/manage/exams/{exam.pk}/questions/"
    page = client.post(url, {"data": "{not json", "answer": '{"label": "tight"}'}
                       ).content.decode()
    assert "This is not valid JSON" in page
    page = client.post(url, {"data": '{"image": "/b.png"}', "answer": '{"label": "round"}'}
                       ).content.decode()
    assert "unknown label" in page
    client.post(url, {"data": '{"image": "/b.png"}', "answer": '{"label": "tight"}',
                      "explanation": "The box touches the edges."})
    assert exam.questions.count() == 1
    page = client.get(f"/qualifications/manage/exams/{exam.pk}/").content.decode()
    assert "The box touches the edges." in page


def test_every_page_renders_for_its_role(client_org, operator, worker, exam, make_project,
                                         doctor, take_exam):
    user, org = client_org
    computed = services.qualification_create(user=user, organization_id=org.pk, name="Careful",
                                             granting="computed")
    services.rule_add(user=user, qualification_id=computed.pk, min_reviewed=5)
    project = make_project()
    attempt = take_exam(worker, exam, right=4)
    pages = {
        worker: ["/qualifications/", f"/qualifications/{exam.qualification_id}/",
                 f"/qualifications/{computed.pk}/", f"/qualifications/{doctor.pk}/",
                 f"/qualifications/projects/{project.pk}/",
                 f"/qualifications/attempts/{attempt.pk}/"],
        user: ["/qualifications/manage/", f"/qualifications/manage/{computed.pk}/",
               f"/qualifications/manage/{exam.qualification_id}/",
               f"/qualifications/manage/exams/{exam.pk}/",
               f"/qualifications/projects/{project.pk}/requirements/"],
        operator: ["/qualifications/credentials/", "/qualifications/grants/",
                   "/qualifications/manage/", f"/qualifications/manage/{doctor.pk}/"],
    }
    for who, urls in pages.items():
        client = signed_in(who)
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, (who.role, url, r.status_code)
    page = signed_in(worker).get(f"/qualifications/attempts/{attempt.pk}/").content.decode()
    assert "You passed!" in page
    page = signed_in(user).get(f"/qualifications/manage/{computed.pk}/").content.decode()
    assert "at least 5 reviewed answers" in page
