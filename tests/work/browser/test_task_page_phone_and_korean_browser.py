"""The task loop on a phone, its refusals in the browser, and the worker's pages in Korean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datadam.projects.services import project_pause
from datadam.review.services import review_decide
from datadam.work.models import Assignment, AssignmentStatus, Submission

pytestmark = pytest.mark.django_db(transaction=True)


def test_phone_worker_answers_by_tapping_and_stops_for_now(
    phone_page, make_project, worker, browser_login
):
    page = phone_page
    project = make_project(items=4)
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/")
    page.click("#start")
    expect(page.locator("#task .item .text")).to_have_text("text 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    expect(page.locator("kbd").first).to_be_hidden()  # no key hints on a phone
    page.get_by_text("neu", exact=True).click()
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#task .item .text")).to_have_text("text 1")
    page.get_by_role("button", name="Stop for now").click()
    page.wait_for_url("**/work/")
    expect(page.locator(".messages")).to_contain_text("Stopped for now")
    assert list(
        Assignment.objects.filter(worker=worker).order_by("pk").values_list("status", flat=True)
    ) == [AssignmentStatus.SUBMITTED, AssignmentStatus.STOPPED]
    assert Submission.objects.get().answer == {"label": "neu"}


def test_a_project_paused_mid_task_shows_a_message_and_a_way_back(
    page, make_project, worker, browser_login, client_org
):
    project = make_project(items=4)
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    project_pause(user=client_org[0], project_id=project.pk)
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    expect(page.locator("#task-unavailable")).to_contain_text("paused by its owner")
    page.get_by_role("link", name="Find another project").click()
    page.wait_for_url("**/work/")
    assert Submission.objects.count() == 1  # the item leased before the pause still counts


def test_enter_on_a_focused_skip_button_skips_instead_of_submitting(
    page, make_project, worker, browser_login
):
    project = make_project(items=3)
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    page.keyboard.press("1")
    page.focus("#skip")
    page.keyboard.press("Enter")
    expect(page.locator("#task .item .text")).to_have_text("text 1")
    assert not Submission.objects.exists()
    assert Assignment.objects.filter(status=AssignmentStatus.RELEASED).count() == 1


def test_worker_pages_render_in_korean(
    ko_page, make_project, worker, reviewer, browser_login, do_work
):
    page = ko_page
    project = make_project(items=4, instructions="문장을 읽고 어조를 고르세요.\n모르면 건너뛰세요.")
    sub = do_work(project, worker)
    review_decide(
        reviewer=reviewer,
        submission_id=sub.pk,
        decision="return",
        reason_code="guidelines",
        comment="마지막 문장을 다시 보세요.",
    )
    browser_login(page, worker)
    pages = {
        "/work/": (f".project-card[data-project='{project.pk}']",
                   ("할 수 있는 작업", "답변당", "시간당", "수정 요청된 답변이 1개 있습니다")),
        f"/work/projects/{project.pk}/": (".instructions", ("시작하기",)),
        f"/work/projects/{project.pk}/task/": ("#task form", ("제출", "건너뛰기", "남은 시간")),
        "/work/mine/": (".review-note .comment", ("검수자 사유:", "수정하기")),
        f"/work/assignments/{sub.assignment_id}/revise/": (
            "#submit", ("답변 수정", "수정본 보내기")
        ),
        "/work/earnings/": ("#balance", ("수익", "출금", "지급 요청")),
    }
    for url, (selector, words) in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "ko"
        expect(page.locator(selector).first).to_be_visible()
        main = page.locator("main").inner_text()
        for word in words:
            assert word in main, (url, word)
    page.goto(f"/work/projects/{project.pk}/")
    expect(page.locator(".instructions")).to_contain_text("문장을 읽고 어조를 고르세요.")


def test_worker_answers_skips_and_is_told_in_korean(ko_page, make_project, worker, browser_login):
    page = ko_page
    project = make_project(items=3)
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    expect(page.locator("#task .item .text")).to_have_text("text 0")
    page.click("#submit")
    expect(page.locator("#task")).to_contain_text(
        "먼저 답을 고른 뒤 제출하세요. 또는 이 항목을 건너뛰세요."
    )
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#task")).to_contain_text("저장했습니다. 다음 항목입니다.")
    expect(page.locator("#task .item .text")).to_have_text("text 1")
    page.click("#skip")
    expect(page.locator("#task")).to_contain_text("건너뛰었습니다. 다른 항목입니다.")
    expect(page.locator("#task .item .text")).to_have_text("text 2")
    assert Submission.objects.filter(assignment__worker=worker).count() == 1
