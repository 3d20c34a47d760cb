"""The skills, recommendation, invitation and reviewer-check pages render and are scoped."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from datadam.accounts.models import Role
from datadam.recommendations.services import invitation_create
from datadam.review.services import review_decide
from datadam.skills.models import ProjectSkills
from datadam.skills.services import skills_compute
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    c = Client()
    assert c.login(username=user.email, password=PASSWORD)
    return c


def test_worker_skills_page_and_refresh(make_project, mark_gold, make_user, do_work, reviewer):
    project = make_project(items=3)
    worker = make_user(Role.WORKER)
    s = do_work(project, worker)
    review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    mark_gold(project, 3)
    c = signed_in(worker)
    assert "No skills yet" in c.get("/skills/").content.decode()
    res = c.post("/skills/refresh/", follow=True)
    html = res.content.decode()
    assert 'data-scope="text_classification"' in html and "1/1" in html


def test_client_project_skills_page_saves_and_scopes(make_project, client_org, make_client_org):
    project = make_project(items=2)
    c = signed_in(client_org[0])
    assert c.get(f"/skills/projects/{project.pk}/").status_code == 200
    bad = c.post(f"/skills/projects/{project.pk}/", {"tags": "a b", "bonus_percent": 0})
    assert bad.status_code == 200 and "tag" in bad.content.decode()
    ok = c.post(f"/skills/projects/{project.pk}/", {"tags": "boxes, medical",
                                                    "invite_only": "on", "bonus_percent": 0})
    assert ok.status_code == 302
    assert ProjectSkills.objects.get(project=project).tags == ["boxes", "medical"]
    other = signed_in(make_client_org()[0])
    assert other.get(f"/skills/projects/{project.pk}/").status_code == 404
    assert other.get(f"/talent/projects/{project.pk}/").status_code == 404


def test_recommend_page_and_invitation_pages(mark_gold, make_project, make_user, do_work,
                                             reviewer, client_org):
    history = make_project(items=3)
    worker = make_user(Role.WORKER)
    worker.display_name = "Careful Kim"
    worker.save()
    for _ in range(3):
        s = do_work(history, worker)
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    mark_gold(history, 3)
    skills_compute()
    target = make_project(items=2)
    c = signed_in(client_org[0])
    html = c.get(f"/talent/projects/{target.pk}/", {"query": "careful"}).content.decode()
    assert "Careful Kim" in html and "gold 3/3" in html
    inv = invitation_create(user=client_org[0], project_id=target.pk, worker_id=worker.pk)
    w = signed_in(worker)
    assert target.name in w.get("/talent/invitations/").content.decode()
    assert w.post(f"/talent/invitations/{inv.pk}/maybe/").status_code == 404
    res = w.post(f"/talent/invitations/{inv.pk}/accept/", follow=True)
    assert "Accepted" in res.content.decode()


def test_reviewer_checks_page_is_for_operators(operator, reviewer, worker):
    assert signed_in(operator).get("/review-checks/").status_code == 200
    assert signed_in(reviewer).get("/review-checks/").status_code == 302
    assert signed_in(worker).get("/review-checks/").status_code == 403


def test_batch_page_mixes_in_a_control_that_decides_like_any_card(make_project, mark_gold,
                                                                   make_user, do_work):
    from datadam.reviewchecks.controls import CONTROL_ID_BASE
    from datadam.reviewchecks.models import ControlDecision

    project = make_project(items=8, overlap=2)
    reviewer = make_user(Role.WORKER, reviewer=True)
    for _ in range(3):
        do_work(project, reviewer)
    worker = make_user(Role.WORKER)
    for _ in range(3):
        do_work(project, worker)
    mark_gold(project, 3)
    c = signed_in(reviewer)
    html = c.get(f"/review/projects/{project.pk}/").content.decode()
    assert html.count('class="sub rcard') == 4
    assert "4 answers waiting" in html
    ids = [int(x) for x in __import__("re").findall(r'data-sub="(\d+)"', html)]
    control = next(i for i in ids if i >= CONTROL_ID_BASE)
    res = c.post(f"/review/submissions/{control}/decide/", {"decision": "approve"},
                 headers={"HX-Request": "true"})
    assert res.status_code == 200 and 'data-decision="approve"' in res.content.decode()
    assert ControlDecision.objects.filter(reviewer=reviewer).count() == 1


def test_skill_tables_name_the_task_kind_in_the_readers_language(
    make_project, mark_gold, make_user, do_work, reviewer
):
    project = make_project(items=3)
    worker = make_user(Role.WORKER)
    s = do_work(project, worker)
    review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    mark_gold(project, 3)
    skills_compute(worker_ids=[worker.pk])
    c = signed_in(worker)
    html = c.get("/skills/").content.decode()
    row = html.split('data-scope="text_classification"', 1)[1].split("</tr>", 1)[0]
    assert "Text classification" in row and "text_classification" not in row
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    row = c.get("/skills/").content.decode().split('data-scope="text_classification"', 1)[1]
    assert "텍스트 분류" in row.split("</tr>", 1)[0]
