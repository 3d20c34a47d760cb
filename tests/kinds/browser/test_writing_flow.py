"""The writing kinds in the real pages of a live server: a worker writes a question–answer
pair beside the passage on the task page (keyboard only: Enter moves on and adds a pair,
Ctrl+Enter sends), a blocking check refuses a copied question with its message and keeps
what was written, and the stored answers are normalised with the widget's meta (pastes, the
characters they brought, keystrokes, typing time); an answer pasted whole is stored with the
"pasted" warning; the reviewer sees the passage, the pair, the pastes and that warning on the
review cards; a returned answer comes back pre-loaded on the revise page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item, Project
from datadam.projects.services import project_launch
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

PASSAGES = [
    "한강은 서울 한가운데를 흐른다. 다리들이 도시의 북쪽과 남쪽을 잇고, 여름 저녁이면 강변 공원이 "
    "산책하는 사람들로 붐빈다.",
    "제주도는 한국에서 가장 큰 섬이다. 한라산이 섬의 가운데에 솟아 있고, 바닷가에는 검은 현무암이 "
    "많다.",
    "설악산은 강원도 동쪽에 있는 산이다. 가을이면 단풍이 붉게 물들어 전국에서 등산객이 찾아온다.",
]
PASTED_QUESTION = "이 글에 나오는 산은 어느 지역에 있고, 어느 계절에 사람들이 가장 많이 찾나요?"


def paste(page, text: str) -> None:
    """Paste ``text`` into the focused field as the system clipboard would: a paste event
    carrying the text (what the widget counts), then the text inserted."""
    page.evaluate("""(text) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        document.activeElement.dispatchEvent(new ClipboardEvent("paste", {
            clipboardData: data, bubbles: true, cancelable: true}));
    }""", text)
    page.keyboard.insert_text(text)


def qa_project(make_project, client_org) -> Project:
    project = make_project(items=0, launch=False, kind="writing_qa", config={
        "min_count": 1, "max_count": 3, "min_chars": 5, "target_languages": ["ko"],
        "blocking": ["length", "copy"]})
    user, _org = client_org
    report = items_import(user=user, project_id=project.pk, lines=parse_records(
        [{"data": {"source": text, "source_language": "ko"}} for text in PASSAGES]))
    assert report.ok, report.errors
    return project_launch(user=user, project_id=project.pk)


def shown_item(page) -> Item:
    return Item.objects.get(pk=page.locator("#task form[data-item]").get_attribute("data-item"))


def test_a_qa_pair_written_with_the_keyboard_is_stored_normalised_with_pastes_and_a_copied_question_is_refused(  # noqa: E501
    page, make_project, client_org, worker, reviewer, browser_login
):
    project = qa_project(make_project, client_org)
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    root = page.locator("#task .tw[data-writing=qa_pairs]")
    question = root.locator("textarea[data-field=question]").first
    expect(question).to_be_focused()  # ready to type at once
    first = shown_item(page)
    expect(root.locator(".tw-source-text")).to_have_text(first.data["source"])
    page.evaluate("window.__samePage = true")
    # The page's scripts and styles, htmx included, stay small (target 250 kB).
    loaded = page.evaluate("""() => performance.getEntriesByType("resource")
        .filter((e) => /\\.(js|css)(\\?|$)/.test(e.name))
        .map((e) => [e.name, e.decodedBodySize])""")
    assert any("text_writing/widget.js" in name for name, _size in loaded), loaded
    assert sum(size for _name, size in loaded) <= 250_000, loaded

    page.keyboard.type("이 글에서 강은 어느 도시를  흐르나요?")
    count = root.locator(".tw-count").first
    expect(count).to_contain_text("21 / 200")  # spaces collapsed, as stored
    page.keyboard.press("Enter")  # moves to the answer; does not submit
    answer_field = root.locator("textarea[data-field=answer]").first
    expect(answer_field).to_be_focused()
    answer_field.dispatch_event("paste")  # a paste is counted (the text comes by typing here)
    page.keyboard.insert_text("서울")
    page.keyboard.press("Enter")  # the last field: a second pair is added
    expect(root.locator("fieldset.tw-row")).to_have_count(2)
    expect(root.locator("textarea[data-field=question]").nth(1)).to_be_focused()
    expect(root.locator(".tw-status")).to_contain_text("2 written; 1 to 3 wanted.")
    root.get_by_role("button", name="Remove Pair 2").click()  # and taken away again
    expect(root.locator("fieldset.tw-row")).to_have_count(1)
    assert not Submission.objects.exists()

    question.focus()
    page.keyboard.press("Control+Enter")  # sends from any field
    expect(page.locator("#task-notice")).to_contain_text("Saved")
    assert page.evaluate("window.__samePage") is True  # the next item came without reload
    stored = Submission.objects.get(assignment__item=first)
    assert stored.answer["pairs"] == [{"question": "이 글에서 강은 어느 도시를 흐르나요?",
                                       "answer": "서울"}]
    meta = stored.answer["meta"]
    assert meta["pastes"] == 1 and meta["typed_ms"] > 0 and meta["pasted_chars"] == 0
    # Key presses in the fields: the question's 6 spaces and "?", and three Enters (Shift and
    # Control alone are not counted). Playwright types Hangul, which its US layout lacks, as
    # text without key events, and "서울" came in by insert_text.
    assert meta["keys"] == 10
    assert "checks" not in stored.answer

    # The second passage: a question copied from it is refused, with what was written kept.
    second = shown_item(page)
    assert second.pk != first.pk
    expect(question).to_be_focused()
    copied = "한라산이 섬의 가운데에 솟아 있고?"
    page.keyboard.insert_text(copied)
    expect(root.locator(".tw-hint").first).to_contain_text("copied from the source")
    page.keyboard.press("Enter")
    page.keyboard.insert_text("네")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#task-error")).to_contain_text(
        re.compile(r"Question 1 copies \d+% of its characters from the source"))
    assert not Submission.objects.filter(assignment__item=second).exists()
    expect(question).to_have_value(copied)
    question.fill("제주도의 한가운데에는 무엇이 있나요?")
    root.locator("textarea[data-field=answer]").first.fill("한라산")
    page.click("#submit")
    expect(page.locator("#task form[data-item]")).not_to_have_attribute("data-item",
                                                                       str(second.pk))
    third = shown_item(page)
    assert third.pk not in (first.pk, second.pk)
    stored2 = Submission.objects.get(assignment__item=second)
    assert stored2.answer["pairs"] == [{"question": "제주도의 한가운데에는 무엇이 있나요?",
                                        "answer": "한라산"}]

    # The third passage: a question pasted whole. It is accepted (pasting only warns) and
    # stored with the "pasted" finding the server worked out from the meta.
    expect(question).to_be_focused()
    paste(page, PASTED_QUESTION)
    page.keyboard.press("Enter")
    page.keyboard.type("가을")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#task-empty")).to_be_visible()
    stored3 = Submission.objects.get(assignment__item=third)
    assert stored3.answer["meta"]["pastes"] == 1
    assert stored3.answer["meta"]["pasted_chars"] == len(PASTED_QUESTION)
    share = round(len(PASTED_QUESTION) / (len(PASTED_QUESTION) + 2), 2)
    assert stored3.answer["checks"] == [{"check": "pasted", "share": share}]

    # The reviewer's card: the passage, the pair, the pastes.
    page.context.clear_cookies()
    browser_login(page, reviewer)
    page.goto(f"/review/projects/{project.pk}/")
    card = page.locator(f".rcard[data-sub='{stored.pk}']")
    expect(card.locator(".tw-rv-src")).to_contain_text("한강은 서울 한가운데를 흐른다")
    expect(card.locator(".tw-pairs")).to_contain_text("이 글에서 강은 어느 도시를 흐르나요?")
    expect(card.locator(".tw-rv-pastes")).to_have_text("1 paste")
    expect(card.locator(".tw-rv-check")).to_have_count(0)
    pasted_card = page.locator(f".rcard[data-sub='{stored3.pk}']")
    expect(pasted_card.locator(".tw-rv-check[data-check=pasted]")).to_contain_text(
        f"Pasted: {round(share * 100)} in 100 of the answer's characters came in by pasting")
    expect(pasted_card.locator(".tw-rv-pasted-chars")).to_have_text(
        f"({len(PASTED_QUESTION)} characters)")

    # Returned for revision: the revise page shows the pair written before; the worker
    # changes the answer and sends it again (the paste counted before still counts).
    review_decide(reviewer=reviewer, submission_id=stored.pk, decision=Decision.RETURN,
                  reason_code="incomplete", comment="더 정확하게")
    page.context.clear_cookies()
    browser_login(page, worker)
    page.goto(f"/work/assignments/{stored.assignment_id}/revise/")
    root = page.locator(".tw[data-writing=qa_pairs]")
    expect(root.locator("textarea[data-field=question]")).to_have_value(
        "이 글에서 강은 어느 도시를 흐르나요?")
    answer_field = root.locator("textarea[data-field=answer]")
    expect(answer_field).to_have_value("서울")
    answer_field.fill("서울특별시")
    answer_field.press("Control+Enter")
    page.wait_for_url(lambda url: "/revise/" not in url)
    latest = Submission.objects.filter(assignment_id=stored.assignment_id).order_by(
        "-revision").first()
    assert latest.revision == 1 and latest.answer["pairs"][0]["answer"] == "서울특별시"
    assert latest.answer["meta"]["pastes"] == 1
