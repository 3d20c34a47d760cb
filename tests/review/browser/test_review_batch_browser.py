"""A reviewer clears a worker's batch with the keyboard in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from datadam.accounts.models import Role
from datadam.review.models import Review
from datadam.review.services import review_decide
from datadam.work.models import AssignmentStatus, Submission

pytestmark = pytest.mark.django_db(transaction=True)


def card(page, n: int):
    return page.locator(f"#card-{n}")


def test_reviewer_clears_a_batch_with_the_keyboard_and_gets_the_next_worker(
    page, browser_login, make_project, make_user, do_work, balance_of
):
    project = make_project(items=5, overlap=2, reward=10, review_reward=2)
    first = make_user(Role.WORKER)
    first.display_name = "First Worker"
    first.save()
    second = make_user(Role.WORKER)
    second.display_name = "Second Worker"
    second.save()
    labels = ["pos", "neg", "neu", "pos", "neg"]
    subs = [do_work(project, first, {"label": label}) for label in labels]
    later = [do_work(project, second) for _ in range(2)]
    reviewer = make_user(Role.WORKER, reviewer=True)

    browser_login(page, reviewer)
    page.goto("/review/")
    queue_card = page.locator(".review-queue li", has_text=project.name)
    expect(queue_card.locator("[data-pending]")).to_have_text("7")
    queue_card.get_by_role("link", name="Start reviewing").click()
    page.wait_for_url(f"**/review/projects/{project.pk}/")
    expect(page.locator(".worker-name")).to_have_text("First Worker")
    expect(page.locator(".rcard")).to_have_count(5)
    expect(page.locator("#batch-done")).to_be_hidden()

    # A approves the current (first) card; the next open card becomes current.
    expect(card(page, 1)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("a")
    expect(card(page, 1).locator(".verdict")).to_contain_text("Approve")
    expect(card(page, 2)).to_have_class(re.compile(r"\bcurrent\b"))

    # R opens the reason picker; 2 picks the second reason; Enter confirms.
    page.keyboard.press("r")
    picker = card(page, 2).locator("details.picker[data-decision=reject]")
    expect(picker).to_have_attribute("open", "")
    page.keyboard.press("2")
    expect(picker.locator("input[value=incomplete]")).to_be_checked()
    page.keyboard.press("Enter")
    expect(card(page, 2).locator(".verdict")).to_contain_text("Incomplete")

    # E returns the third with a reason and a comment.
    expect(card(page, 3)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("e")
    picker = card(page, 3).locator("details.picker[data-decision=return]")
    page.keyboard.press("3")
    picker.locator("input[name=comment]").fill("Read the whole sentence first")
    page.keyboard.press("Enter")
    expect(card(page, 3).locator(".verdict")).to_contain_text("Read the whole sentence first")

    # Shift+A approves the rest (after the confirmation), then N loads the next worker.
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Shift+A")
    expect(card(page, 5).locator(".verdict")).to_contain_text("Approve")
    expect(page.locator("#bulk-status")).to_contain_text("Approved 2 answers.")
    expect(page.locator("[data-done]")).to_have_text("5")
    expect(page.locator("#batch-done")).to_be_visible()

    reviews = {r.submission_id: r for r in Review.objects.filter(reviewer=reviewer)}
    assert [reviews[s.pk].decision for s in subs] == [
        "approve",
        "reject",
        "return",
        "approve",
        "approve",
    ]
    assert reviews[subs[1].pk].reason_code == "incomplete"
    assert (reviews[subs[2].pk].reason_code, reviews[subs[2].pk].comment) == (
        "guidelines",
        "Read the whole sentence first",
    )
    statuses = [Submission.objects.get(pk=s.pk).assignment.status for s in subs]
    assert statuses == [
        AssignmentStatus.APPROVED,
        AssignmentStatus.REJECTED,
        AssignmentStatus.RETURNED,
        AssignmentStatus.APPROVED,
        AssignmentStatus.APPROVED,
    ]
    assert balance_of(first) == 3 * 10
    assert balance_of(reviewer) == 5 * 2

    page.keyboard.press("n")
    expect(page.locator(".worker-name")).to_have_text("Second Worker")
    expect(page.locator(".rcard")).to_have_count(2)
    shown = {
        int(x)
        for x in page.locator(".rcard").evaluate_all("cards => cards.map(c => c.dataset.sub)")
    }
    assert shown == {s.pk for s in later}


def test_a_reviewer_never_sees_their_own_answers(
    page, browser_login, make_project, make_user, do_work, reviewer
):
    project = make_project(items=5, overlap=2)
    own = [do_work(project, reviewer) for _ in range(2)]
    other = make_user(Role.WORKER)
    theirs = [do_work(project, other) for _ in range(3)]
    browser_login(page, reviewer)
    page.goto("/review/")
    expect(page.locator(".review-queue [data-pending]")).to_have_text("3")
    page.goto(f"/review/projects/{project.pk}/")
    subs = {
        int(x)
        for x in page.locator(".rcard").evaluate_all("cards => cards.map(c => c.dataset.sub)")
    }
    assert subs == {s.pk for s in theirs}
    assert not subs & {s.pk for s in own}


def test_a_decision_someone_else_made_first_shows_the_message_on_the_card(
    page, browser_login, make_project, make_user, do_work, worker
):
    project = make_project(items=3)
    subs = [do_work(project, worker) for _ in range(3)]
    me, colleague = make_user(reviewer=True), make_user(reviewer=True)
    browser_login(page, me)
    page.goto(f"/review/projects/{project.pk}/")
    expect(page.locator(".rcard")).to_have_count(3)
    review_decide(
        reviewer=colleague, submission_id=subs[0].pk, decision="reject", reason_code="spam"
    )
    page.keyboard.press("a")
    first = card(page, 1)
    expect(first.locator(".card-error")).to_contain_text("not awaiting review")
    expect(first.locator(".verdict")).to_contain_text("by another reviewer")
    assert Review.objects.get(submission=subs[0]).reviewer == colleague


def test_the_review_pages_render_in_korean_and_a_batch_is_decided_in_korean(
    ko_page, browser_login, make_project, make_user, do_work, worker
):
    project = make_project(items=3)
    subs = [do_work(project, worker) for _ in range(3)]
    browser_login(ko_page, make_user(reviewer=True))
    ko_page.goto("/review/")
    assert ko_page.locator("html").get_attribute("lang") == "ko"
    expect(ko_page.get_by_role("heading", name="검수 대기열")).to_be_visible()
    queue_card = ko_page.locator(".review-queue li")
    expect(queue_card).to_have_count(1)
    expect(queue_card).to_contain_text("대기 중인 답변 3개")
    queue_card.get_by_role("link", name="검수 시작").click()
    ko_page.wait_for_url(f"**/review/projects/{project.pk}/")
    assert ko_page.locator("html").get_attribute("lang") == "ko"
    expect(ko_page.locator(".rcard")).to_have_count(3)
    expect(ko_page.locator("main")).to_contain_text("3개 중 0개 결정")
    expect(ko_page.locator("#approve-all")).to_contain_text("남은 답변 모두 승인")

    ko_page.keyboard.press("a")
    expect(card(ko_page, 1).locator(".verdict")).to_contain_text("승인")
    expect(card(ko_page, 2)).to_have_class(re.compile(r"\bcurrent\b"))
    ko_page.keyboard.press("r")
    picker = card(ko_page, 2).locator("details.picker[data-decision=reject]")
    expect(picker).to_have_attribute("open", "")
    expect(picker).to_contain_text("불완전함")
    ko_page.keyboard.press("2")
    ko_page.keyboard.press("Enter")
    expect(card(ko_page, 2).locator(".verdict")).to_contain_text("반려")
    expect(card(ko_page, 2).locator(".verdict")).to_contain_text("불완전함")
    expect(card(ko_page, 3)).to_have_class(re.compile(r"\bcurrent\b"))
    ko_page.keyboard.press("e")
    picker = card(ko_page, 3).locator("details.picker[data-decision=return]")
    expect(picker).to_have_attribute("open", "")
    ko_page.keyboard.press("1")
    ko_page.keyboard.press("Enter")
    expect(card(ko_page, 3).locator(".verdict")).to_contain_text("수정 요청")
    expect(ko_page.locator("#batch-done")).to_contain_text("이 묶음의 답변을 모두 결정했습니다.")
    assert Review.objects.filter(submission__in=subs).count() == 3


def test_on_a_phone_the_cards_stack_and_are_decided_with_the_buttons(
    phone_page, browser_login, make_project, make_user, do_work, worker
):
    project = make_project(items=3)
    subs = [do_work(project, worker) for _ in range(3)]
    browser_login(phone_page, make_user(reviewer=True))
    phone_page.goto(f"/review/projects/{project.pk}/")
    boxes = [card(phone_page, n).bounding_box() for n in (1, 2, 3)]
    assert boxes[0]["x"] == boxes[1]["x"] == boxes[2]["x"]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert all(b["x"] + b["width"] <= 390 for b in boxes)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    second = card(phone_page, 2)
    second.locator("summary", has_text="Reject").click()
    second.locator("details[open] label.reason", has_text="Careless or random").click()
    second.get_by_role("button", name="Reject answer").click()
    expect(second.locator(".verdict")).to_contain_text("Careless or random")
    card(phone_page, 1).get_by_role("button", name="Approve").click()
    expect(card(phone_page, 1).locator(".verdict")).to_contain_text("Approve")
    decisions = dict(Review.objects.values_list("submission_id", "decision"))
    assert decisions == {subs[0].pk: "approve", subs[1].pk: "reject"}


def test_the_counters_follow_each_decision_without_a_reload(
    page, browser_login, make_project, make_user, do_work, worker
):
    project = make_project(items=6)
    for _ in range(5):
        do_work(project, worker)
    browser_login(page, make_user(reviewer=True))
    page.goto(f"/review/projects/{project.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    waiting = page.locator("#batch-waiting")
    history = page.locator("#batch-history")
    expect(waiting).to_have_text("5 answers waiting in this project")
    expect(history.locator("[data-count=approve]")).to_have_text("0 approved")

    page.keyboard.press("a")
    expect(waiting).to_have_text("4 answers waiting in this project")
    expect(history.locator("[data-count=approve]")).to_have_text("1 approved")

    expect(card(page, 2)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("r")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(waiting).to_have_text("3 answers waiting in this project")
    expect(history.locator("[data-count=reject]")).to_have_text("1 rejected")

    expect(card(page, 3)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("e")
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    expect(waiting).to_have_text("2 answers waiting in this project")
    expect(history.locator("[data-count=return]")).to_have_text("1 returned")

    expect(card(page, 4)).to_have_class(re.compile(r"\bcurrent\b"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Shift+A")
    expect(waiting).to_have_text("0 answers waiting in this project")
    expect(history.locator("[data-count=approve]")).to_have_text("3 approved")
    expect(page.locator("#batch-done")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
