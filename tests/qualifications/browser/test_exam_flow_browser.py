"""The exam flow in a real browser: a worker is told a project needs a qualification, trains
(seeing explanations), passes the exam and can then take the project's tasks."""

from __future__ import annotations

import base64

import pytest

from datadam.demo.media import shape_image
from datadam.qualifications import services
from datadam.qualifications.models import ExamQuestion

pytestmark = pytest.mark.django_db(transaction=True)

SHAPES = ["circle", "square", "triangle"]
EXAM = ["circle", "square", "triangle", "square"]


def data_uri(shape: str, seed: int) -> str:
    return "data:image/png;base64," + base64.b64encode(shape_image(shape, seed)).decode()


@pytest.fixture
def gated_project(client_org, make_project):
    user, org = client_org
    q = services.qualification_create(user=user, organization_id=org.pk, name="Shape spotting")
    exam = services.exam_create(user=user, qualification_id=q.pk, title="Shape spotting exam",
                                kind="image_classification", config={"labels": SHAPES},
                                pass_mark=0.75, max_attempts=2, cooldown_hours=24,
                                instructions="Pick the shape you see.")
    for i, shape in enumerate(EXAM):
        services.question_add(user=user, exam_id=exam.pk, data={"image": data_uri(shape, i)},
                              answer={"label": shape},
                              explanation=f"Count the corners: this one is a {shape}.")
    project = make_project(items=0, launch=False, kind="image_classification",
                           config={"labels": SHAPES})
    from datadam.projects.importing import items_import, parse_records
    from datadam.projects.services import project_launch

    items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"image": data_uri(SHAPES[i % 3], 100 + i)} for i in range(3)]))
    project_launch(user=user, project_id=project.pk)
    services.requirements_set(user=user, project_id=project.pk,
                              qualifications=[{"qualification": q.pk, "min_level": 1}])
    return project


CLAIM = """async (id) => {
  const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
  const r = await fetch(`/api/v1/projects/${id}/next`, {method: 'POST',
      headers: {'X-CSRFToken': token}});
  return {status: r.status, body: await r.json()};
}"""


def answer_current(page, *, right: bool) -> None:
    qid = int(page.locator("input[name=question_id]").input_value())
    label = ExamQuestion.objects.get(pk=qid).answer["label"]
    if not right:
        label = next(s for s in SHAPES if s != label)
    page.locator(f"label.choice:has(input[value={label}])").click()
    page.locator("form.task button[type=submit]").click()


def test_worker_trains_passes_the_exam_and_then_takes_tasks(page, browser_login, worker,
                                                            gated_project):
    browser_login(page, worker)
    page.goto(f"/qualifications/projects/{gated_project.pk}/")
    assert "You need the qualification “Shape spotting”" in page.locator("main").inner_text()
    refused = page.evaluate(CLAIM, gated_project.pk)
    assert refused["status"] == 403 and "Shape spotting" in refused["body"]["message"]

    # Training: a wrong answer shows the right one and the explanation.
    page.get_by_role("button", name="Practise (training)").click()
    page.wait_for_selector("text=Question 1 of 4")
    answer_current(page, right=False)
    feedback = page.locator("main").inner_text()
    assert "Not quite." in feedback and "Count the corners" in feedback
    page.get_by_role("link", name="Next question").click()
    for _ in range(3):
        answer_current(page, right=True)
        assert "Right!" in page.locator(".feedback").inner_text()
        page.locator("main a.btn").first.click()
    assert "Training finished" in page.locator("h1").inner_text()

    # The exam, then back to the project.
    page.get_by_role("link", name="Back to the project").click()
    page.get_by_role("button", name="Take the exam").click()
    for _ in range(4):
        answer_current(page, right=True)
    assert "You passed!" in page.locator("main").inner_text()
    page.get_by_role("link", name="Back to the project").click()
    assert "You meet every requirement" in page.locator("main").inner_text()
    claimed = page.evaluate(CLAIM, gated_project.pk)
    assert claimed["status"] == 200 and claimed["body"]["assignment"] is not None


def test_the_exam_question_fits_a_phone_and_answers_by_keyboard(phone_page, browser_login,
                                                                 worker, gated_project):
    page = phone_page
    browser_login(page, worker)
    page.goto(f"/qualifications/projects/{gated_project.pk}/")
    page.get_by_role("button", name="Take the exam").click()
    page.wait_for_selector("text=Question 1 of 4")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.keyboard.press("1")  # the first label, "circle", is right for question 1
    assert page.locator("input[value=circle]").is_checked()
    page.locator("form.task button[type=submit]").click()
    page.wait_for_selector("text=Question 2 of 4")


def test_the_qualifications_page_renders_in_korean(ko_page, browser_login, worker,
                                                   gated_project):
    browser_login(ko_page, worker)
    ko_page.goto("/qualifications/")
    assert ko_page.locator("html").get_attribute("lang") == "ko"
    assert ko_page.locator(".card").count() >= 2
    main = ko_page.locator("main").inner_text()
    for word in ("내 자격", "참여할 수 있게 될 프로젝트", "무엇이 필요한가요?"):
        assert word in main, word
