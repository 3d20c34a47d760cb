"""Span tagging end to end in the real pages of a live server: a worker tags a Hangul span
(and an emoji) on the task page and the stored offsets are code points; the next item comes
without a reload; a reviewer sees the spans on the review card. Also measures the scripts
and styles the task page loads."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item, Project
from datadam.projects.services import project_launch
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

FESTIVAL = "서울에서 🎉 축제가 열렸다"
FAMILY = "👩‍👩‍👧 family"
CONFIG = {"labels": ["LOC", "EVT", "PER"]}
BUDGET = 250_000  # bytes of JS and CSS a task page may load

CHAR_BOX = """([k]) => {
  const el = document.querySelector("#task .dd-sp-text");
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    const cps = Array.from(node.data);
    if (seen + cps.length > k) {
      const from = cps.slice(0, k - seen).join("").length;
      const range = document.createRange();
      range.setStart(node, from);
      range.setEnd(node, from + cps[k - seen].length);
      const r = range.getClientRects()[0];
      return [r.left, r.right, (r.top + r.bottom) / 2];
    }
    seen += cps.length;
  }
  return null;
}"""

# Every script and style sheet the page fetched (modules included), with their sizes.
ASSETS = """() => performance.getEntriesByType("resource")
  .filter((e) => /\\.(js|css)(\\?|$)/.test(new URL(e.name).pathname))
  .map((e) => [new URL(e.name).pathname, e.decodedBodySize, e.encodedBodySize])"""


def span_project(make_project, texts) -> Project:
    project = make_project(items=0, launch=False, kind="span_tagging", config=CONFIG)
    report = items_import(user=project.created_by, project_id=project.pk, lines=parse_records(
        [{"data": {"text": t}, "external_id": f"t{i}"} for i, t in enumerate(texts)]))
    assert report.ok, report.errors
    return project_launch(user=project.created_by, project_id=project.pk)


def shown_item(page) -> Item:
    expect(page.locator("#task input[name=answer]")).to_have_value('{"spans":[]}')
    return Item.objects.get(pk=page.locator("#task form[data-item]").get_attribute("data-item"))


def alt_drag(page, start: int, end: int) -> None:
    left, right = page.evaluate(CHAR_BOX, [start]), page.evaluate(CHAR_BOX, [end - 1])
    page.keyboard.down("Alt")
    page.mouse.move(left[0] + 1, left[2])
    page.mouse.down()
    page.mouse.move(right[1] - 1, right[2], steps=5)
    page.mouse.up()
    page.keyboard.up("Alt")


def test_a_hangul_span_tagged_on_the_task_page_is_stored_in_code_points(
    page, make_project, worker, browser_login
):
    project = span_project(make_project, [FESTIVAL, FAMILY])
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    first = shown_item(page)
    page.evaluate("window.__samePage = true")
    assets = page.evaluate(ASSETS)
    total = sum(size for _path, size, _gz in assets)
    print(f"\ntask page JS+CSS: {total} bytes ({sum(gz for *_r, gz in assets)} as sent): "
          + ", ".join(f"{p} {s}" for p, s, _ in assets))
    assert any(p.endswith("span_tagging/widget.js") for p, *_ in assets)
    assert total <= BUDGET, assets

    assert first.data["text"] == FESTIVAL  # imported first, served first
    alt_drag(page, 7, 9)  # 축제, exactly, after the emoji (two UTF-16 units)
    page.keyboard.press("2")
    alt_drag(page, 0, 2)  # 서울, without the particle 에서
    page.locator("#task .dd-sp-label[data-label=LOC]").click()
    expect(page.locator("#task .dd-sp-list .dd-sp-row")).to_have_count(2)
    page.click("#submit")

    second = shown_item(page)  # the next item, swapped in by htmx
    assert second.pk != first.pk and second.data["text"] == FAMILY
    assert page.evaluate("window.__samePage") is True
    expect(page.locator("#task-notice")).to_contain_text("Saved")
    stored = Submission.objects.get(assignment__item=first, assignment__worker=worker).answer
    assert stored == {"spans": [{"start": 0, "end": 2, "label": "LOC"},
                                {"start": 7, "end": 9, "label": "EVT"}]}
    assert [FESTIVAL[s["start"]:s["end"]] for s in stored["spans"]] == ["서울", "축제"]

    # The keyboard alone: the text has the focus; Shift+→ takes the family emoji (5 code
    # points, 8 UTF-16 units), 3 labels it PER, Enter (nothing selected any more) submits.
    expect(page.locator("#task .dd-sp-text")).to_be_focused()
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("3")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    expect(page.locator("#task-empty")).to_be_visible()
    stored = Submission.objects.get(assignment__item=second, assignment__worker=worker).answer
    assert stored == {"spans": [{"start": 0, "end": 5, "label": "PER"}]}


def test_the_korean_task_page_tags_a_hangul_word_and_the_reviewer_sees_it_marked(
    ko_page, make_project, worker, reviewer, browser_login
):
    page = ko_page
    project = span_project(make_project, [FESTIVAL])
    Project.objects.filter(pk=project.pk).update(review_policy="manual")
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    item = shown_item(page)
    assert page.locator("html").get_attribute("lang") == "ko"
    box = page.evaluate(CHAR_BOX, [8])
    page.mouse.dblclick((box[0] + box[1]) / 2, box[2])  # 제 in 축제가: the whole eojeol
    page.keyboard.press("2")
    assert json.loads(page.locator("#task input[name=answer]").input_value()) == {
        "spans": [{"start": 7, "end": 10, "label": "EVT"}]}
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    stored = Submission.objects.get(assignment__item=item).answer
    assert stored == {"spans": [{"start": 7, "end": 10, "label": "EVT"}]}

    page.context.clear_cookies()
    browser_login(page, reviewer)
    page.goto(f"/review/projects/{project.pk}/")
    card = page.locator(".rcard").first
    expect(card.locator(".dd-sp-m")).to_have_text("축제가")
    expect(card.locator(".dd-sp-end")).to_have_attribute("data-tag", "EVT")
    expect(card.locator(".dd-sp-cap")).to_contain_text("EVT")
