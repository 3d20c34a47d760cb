"""The video kinds in the real task page of a live server: a worker cuts a segment of a
generated clip on the timeline (by dragging, then with I and O at the playhead), relabels
it, undoes and redoes, steps frames, and submits; the next item comes without a reload. A
frames project is labelled with Shift+1–3 at the colour changes. The clips (``clips``: VP8
WebM, which Debian's chromium plays) are stored as media and referenced by URL, as a client's
items are.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from datadam.demo import clips
from datadam.kinds import get_kind
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_launch
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

DURATION = 8.0
LABELS = ["red", "green", "blue"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def video_project(make_project, kind: str, config: dict[str, Any],
                  clips_by_name: dict[str, bytes]) -> Project:
    project = make_project(items=0, launch=False, kind=kind, config=config)
    records = []
    for name, data in clips_by_name.items():
        key = default_storage.save(f"demo/video/{name}", ContentFile(data))
        records.append({"external_id": name, "data": {
            "video": default_storage.url(key), "duration": DURATION, "width": clips.WIDTH,
            "height": clips.HEIGHT, "fps": clips.FPS}})
    report = items_import(user=project.created_by, project_id=project.pk,
                          lines=parse_records(records))
    assert report.ok, report.errors
    return project_launch(user=project.created_by, project_id=project.pk)


def open_task(page, empty: str) -> int:
    """Wait until the task's video can play (the hidden answer then holds the empty
    answer); the id of the item shown."""
    expect(page.locator("#task input[name=answer]")).to_have_value(empty, timeout=15_000)
    page.locator("#task .dd-v-timeline").scroll_into_view_if_needed()
    return int(page.locator("#task form[data-item]").get_attribute("data-item"))


def answer(page) -> dict[str, Any]:
    return json.loads(page.locator("#task input[name=answer]").input_value())


def timeline_x(page, t: float) -> tuple[float, float, float]:
    """Screen (x, y) of instant ``t`` on the timeline, and seconds per screen pixel."""
    box = page.locator("#task .dd-v-track").bounding_box()
    return box["x"] + box["width"] * t / DURATION, box["y"] + box["height"] / 2, (
        DURATION / box["width"])


def seek(page, t: float) -> None:
    page.evaluate(f"document.querySelector('#task [data-video]').ddVideo.seek({t})")
    expect(page.locator("#task .dd-v-timeline")).to_have_attribute("aria-valuenow", f"{t:.2f}")


def test_a_segment_cut_on_the_timeline_is_relabelled_adjusted_and_stored(
    page, make_project, worker, browser_login
):
    truth = [{"start": 2.0, "end": 5.0, "label": "green"}]
    project = video_project(make_project, "video_segments", {"labels": LABELS}, {
        "first.webm": clips.segments_clip(truth, DURATION),
        "second.webm": clips.segments_clip([], DURATION)})
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    first = open_task(page, '{"segments":[]}')
    page.evaluate("window.__samePage = true")
    # Debian's chromium plays the VP8 clip: its picture has the clip's size.
    assert page.evaluate("document.querySelector('#task video').videoWidth") == clips.WIDTH
    # The page's scripts and styles (the site's and the widget's) stay small.
    assets = page.evaluate("""performance.getEntriesByType("resource")
        .filter(e => /\\.(js|css)(\\?|$)/.test(e.name))
        .reduce((n, e) => n + e.decodedBodySize, 0)""")
    assert 0 < assets <= 250_000, assets

    # 1. Drag from 2 s to 5 s on the timeline: a segment with the first label, then 2
    #    relabels it green.
    x0, y, per_px = timeline_x(page, 2.0)
    x1, _, _ = timeline_x(page, 5.0)
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move(x1, y, steps=10)
    page.mouse.up()
    (seg,) = answer(page)["segments"]
    assert seg["label"] == "red"
    assert abs(seg["start"] - 2.0) <= 2 * per_px and abs(seg["end"] - 5.0) <= 2 * per_px
    page.keyboard.press("2")
    expect(page.locator("#task .dd-v-label[data-label=green]")).to_have_attribute(
        "aria-pressed", "true")
    assert answer(page)["segments"][0]["label"] == "green"
    expect(page.locator("#task .dd-v-row")).to_have_count(1)

    # 2. With it selected, I and O at the playhead move its edges to exactly 2.0 and 5.0 s.
    seek(page, 2.0)
    page.keyboard.press("i")
    seek(page, 5.0)
    page.keyboard.press("o")
    assert answer(page)["segments"] == [{"start": 2.0, "end": 5.0, "label": "green"}]

    # 3. Frame steps: . and , move by one frame of the clip's 10 a second.
    page.keyboard.press(".")
    expect(page.locator("#task .dd-v-timeline")).to_have_attribute("aria-valuenow", "5.10")
    page.keyboard.press(",")
    page.keyboard.press(",")
    expect(page.locator("#task .dd-v-timeline")).to_have_attribute("aria-valuenow", "4.90")

    # 4. Esc lets go; I at 6 s and O at 7.5 s add a blue segment; undo and redo it.
    page.keyboard.press("Escape")
    page.keyboard.press("3")
    seek(page, 6.0)
    page.keyboard.press("i")
    expect(page.locator("#task .dd-v-status")).to_contain_text("In-point at 0:06.00")
    seek(page, 7.5)
    page.keyboard.press("o")
    assert [s["label"] for s in answer(page)["segments"]] == ["green", "blue"]
    page.keyboard.press("Control+z")
    assert [s["label"] for s in answer(page)["segments"]] == ["green"]
    page.keyboard.press("Control+Shift+z")
    assert answer(page)["segments"][1] == {"start": 6.0, "end": 7.5, "label": "blue"}
    # Picked in the list, Delete removes it; the list's × removes one the same way.
    page.locator("#task .dd-v-pick", has_text="blue").click()
    page.keyboard.press("Delete")
    expect(page.locator("#task .dd-v-row")).to_have_count(1)

    page.click("#submit")
    second = open_task(page, '{"segments":[]}')
    assert second != first
    assert page.evaluate("window.__samePage") is True  # swapped in by htmx, no reload
    stored = Submission.objects.get(assignment__item_id=first, assignment__worker=worker)
    assert stored.answer == {"segments": [{"start": 2.0, "end": 5.0, "label": "green"}]}
    assert get_kind(project.kind).score_answer(
        stored.answer, {"segments": truth}, project.config) == 1.0

    # The second clip shows nothing: Enter sends "nothing happens".
    page.keyboard.press("Enter")
    expect(page.locator("#task-empty")).to_be_visible()
    assert Submission.objects.get(assignment__item_id=second).answer == {"segments": []}


def test_frames_are_labelled_from_each_colour_change_to_the_end(
    ko_page, make_project, worker, browser_login
):
    page = ko_page
    truth = [{"start": 0.0, "end": 3.0, "label": "blue"},
             {"start": 3.0, "end": 8.0, "label": "red"}]
    project = video_project(make_project, "video_frames",
                            {"labels": LABELS, "sample_fps": 2},
                            {"frames.webm": clips.frames_clip(truth, DURATION)})
    browser_login(page, worker)
    page.goto(f"/work/projects/{project.pk}/task/")
    item = open_task(page, '{"ranges":[]}')
    page.keyboard.press("Shift+3")  # from 0 s to the end: blue
    seek(page, 3.0)
    page.keyboard.press("Shift+1")  # from 3 s on: red
    assert answer(page) == {"ranges": [{"start": 0, "end": 3, "label": "blue"},
                                       {"start": 3, "end": 8, "label": "red"}]}
    # 2 labels the frame under the playhead (3 s) and steps to the next one (3.5 s).
    page.keyboard.press("2")
    expect(page.locator("#task .dd-v-timeline")).to_have_attribute("aria-valuenow", "3.50")
    assert answer(page)["ranges"][1] == {"start": 3, "end": 3.5, "label": "green"}
    page.keyboard.press("Control+z")
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    stored = Submission.objects.get(assignment__item_id=item).answer
    assert stored == {"ranges": [{"start": 0.0, "end": 3.0, "label": "blue"},
                                 {"start": 3.0, "end": 8.0, "label": "red"}]}


def test_the_wizard_previews_a_video_project_with_the_shipped_sample(
    page, client_org, browser_login
):
    browser_login(page, client_org[0])
    page.goto("/console/new/")
    page.select_option("select[name=kind]", "video_frames")
    page.fill("input[name=name]", "Walk or run")
    labels = page.locator("textarea[name=labels]")
    labels.press_sequentially("walk\nrun")
    labels.blur()  # its change event renders the preview once more: let that come first
    page.wait_for_load_state("networkidle")
    preview = page.locator("#preview [data-video=video_frames]")
    expect(preview.locator(".dd-v-label[data-label=run]")).to_be_visible()
    # The sample clip plays: the player is ready, and a label button labels a frame.
    page.wait_for_function("""() => {
        const p = document.querySelector('#preview [data-video]').ddVideo;
        return p && p.ready; }""")
    preview.locator(".dd-v-label[data-label=run]").click()
    expect(preview.locator(".dd-v-row")).to_have_count(1)
    expect(preview.locator(".dd-v-row")).to_contain_text("run · 0:00.00–0:00.50")
