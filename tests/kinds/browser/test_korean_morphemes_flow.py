"""The Korean morpheme widget in the real task page of a live server: a worker splits a
morpheme with the mouse and retags one with the keyboard, and the stored answer holds the
corrected tokens; an item the analysis job has not reached yet starts from its words cut by
script. Also measures the scripts and styles the task page loads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from datadam.kinds.korean_morphemes.jobs import morphemes_analyse
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_launch
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "학교에 갔다."


def tok(start: int, end: int, form: str, tag: str) -> dict[str, Any]:
    return {"start": start, "end": end, "form": form, "tag": tag}


TRUTH = [tok(0, 2, "학교", "NNG"), tok(2, 3, "에", "JKB"), tok(4, 5, "가", "VV"),
         tok(4, 5, "았", "EP"), tok(5, 6, "다", "EF"), tok(6, 7, ".", "SF")]
#: An analysis with one morpheme too few: 학교에 left whole.
UNSPLIT = [tok(0, 3, "학교에", "NNG"), *TRUTH[2:]]


def morpheme_project(make_project, client_org, item: dict[str, Any]) -> Project:
    project = make_project(items=0, launch=False, kind="korean_morphemes", config={})
    report = items_import(user=client_org[0], project_id=project.pk,
                          lines=parse_records([item]))
    assert report.ok, report.errors
    return project_launch(user=client_org[0], project_id=project.pk)


def answer(page) -> dict[str, Any]:
    return json.loads(page.locator("#task input[name=answer]").input_value())


def chips(page) -> list[str]:
    return page.locator("#task .km-chip").evaluate_all(
        "cs => cs.map(c => c.querySelector('.km-f').textContent + '/' + "
        "c.querySelector('.km-t').textContent)")


def test_a_split_by_mouse_and_a_tag_picked_by_typing_are_stored_as_corrected_tokens(
    page, make_project, client_org, worker, browser_login
):
    project = morpheme_project(make_project, client_org, {"text": TEXT, "morphemes": UNSPLIT})
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    expect(page.locator("#task .km-word")).to_have_count(2)
    assert chips(page) == ["학교에/NNG", "가/VV", "았/EP", "다/EF", "./SF"]
    assert answer(page) == {"tokens": UNSPLIT}  # the analysis is the starting answer
    expect(page.locator("#task .km-group .km-chip")).to_have_count(2)  # 갔 = 가 + 았

    # Select 학교에 and split it after 교 by clicking the gap between the characters.
    page.locator("#task .km-chip").first.click()
    page.keyboard.press("Escape")  # closes the tag list that a click opens
    page.locator("#task .km-split .km-gap[data-k='2']").click()
    assert chips(page) == ["학교/NNG", "에/NNG", "가/VV", "았/EP", "다/EF", "./SF"]

    # Undo and redo the split with the keyboard.
    page.keyboard.press("Control+z")
    assert chips(page)[0] == "학교에/NNG"
    page.keyboard.press("Control+Shift+z")
    assert chips(page)[1] == "에/NNG"

    # Retag 에 from the keyboard: move to it, type to filter the tag list, Enter picks.
    page.locator("#task .km-chip").first.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#task .km-chip[aria-pressed=true] .km-f")).to_have_text("에")
    page.keyboard.type("jkb")
    options = page.locator("#task .km-list [role=option]")
    expect(options.first).to_contain_text("JKB")
    expect(options).to_have_count(1)
    page.keyboard.press("Enter")  # picks the tag; does not submit
    expect(page.locator("#task .km-chip[aria-pressed=true] .km-t")).to_have_text("JKB")
    expect(page.locator("#task .km-chip[aria-pressed=true]")).to_be_focused()
    assert not Submission.objects.exists()
    assert answer(page) == {"tokens": TRUTH}

    # The page's own scripts and styles, uncompressed (htmx, app.js, app.css, the widget).
    sizes = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => /\\.(js|css)(\\?|$)/.test(r.name))
        .map(r => [r.name.replace(location.origin, ''), r.decodedBodySize])""")
    total = sum(size for _name, size in sizes)
    print(f"\ntask page JS+CSS: {total} bytes: {sizes}")
    assert any("korean_morphemes/widget.js" in name for name, _s in sizes)
    assert total <= 250_000

    page.keyboard.press("Escape")  # leave the morphemes; Enter then submits
    page.keyboard.press("Enter")
    expect(page.locator("#task-empty")).to_be_visible()
    stored = Submission.objects.get(assignment__worker=worker)
    assert stored.answer == {"tokens": TRUTH}


def test_a_form_written_with_a_plus_makes_a_contraction_and_the_next_item_takes_the_keys(
    page, make_project, client_org, worker, browser_login
):
    whole = [*TRUTH[:2], tok(4, 5, "갔", "VV"), *TRUTH[4:]]
    project = morpheme_project(make_project, client_org, {"text": TEXT, "morphemes": whole})
    items_import(user=client_org[0], project_id=project.pk,
                 lines=parse_records([{"text": "네.", "morphemes": [
                     tok(0, 1, "네", "IC"), tok(1, 2, ".", "SF")]}]))
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    page.evaluate("window.__samePage = true")
    page.locator("#task .km-chip", has_text="갔").click()
    page.keyboard.press("Escape")
    page.keyboard.press("F2")
    form = page.locator("#task .km-form")
    expect(form).to_be_focused()
    form.fill("가+았")
    page.keyboard.press("Enter")  # two morphemes over 갔; the second's tag list opens
    expect(page.locator("#task .km-tag")).to_be_focused()
    page.keyboard.type("EP")
    page.keyboard.press("Enter")
    assert answer(page) == {"tokens": TRUTH}
    page.click("#submit")
    # The next item comes in without a reload, its first morpheme ready for the keys.
    expect(page.locator("#task .km-sentence")).to_have_text("네.")
    assert page.evaluate("window.__samePage") is True
    expect(page.locator("#task .km-chip").first).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.type("SW")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    expect(page.locator("#task-empty")).to_be_visible()
    answers = [s.answer for s in Submission.objects.filter(assignment__worker=worker)
               .order_by("pk")]
    assert answers == [{"tokens": TRUTH},
                       {"tokens": [tok(0, 1, "네", "IC"), tok(1, 2, ".", "SW")]}]


def test_an_item_not_analysed_yet_starts_from_words_cut_by_script_in_korean(
    ko_page, make_project, client_org, worker, browser_login
):
    page = ko_page
    project = morpheme_project(make_project, client_org, {"text": "2024년에 봤다!"})
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#task .km-note")).to_be_visible()
    assert chips(page) == ["2024/SN", "년에/NNG", "봤다/NNG", "!/SF"]
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    stored = Submission.objects.get(assignment__worker=worker).answer
    assert [t["form"] for t in stored["tokens"]] == ["2024", "년에", "봤다", "!"]

    # Once the job has run, the next item of the project starts from Kiwi's analysis.
    items_import(user=client_org[0], project_id=project.pk,
                 lines=parse_records([{"text": TEXT}]))
    morphemes_analyse(project_id=project.pk)
    page.goto(f"/work/projects/{project.pk}/task/")
    expect(page.locator("#task .km-note")).to_be_hidden()
    assert chips(page) == [f"{t['form']}/{t['tag']}" for t in TRUTH]
