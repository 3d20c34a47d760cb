"""The audio kinds in the real task page of a live server: the clips are generated WAVs
uploaded as a client would (``media_upload``) with their renditions made (an Opus copy and
the waveform's peaks, which the player draws without decoding). A worker transcribes one
clip, using the player's keys to seek and change speed, and submits; another draws a
labelled segment on the waveform, deletes it, undoes that, and submits. Headless chromium
may play no sound: only seeking, the waveform and its regions are checked, never audio.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from datadam.demo import sounds
from datadam.media.services import media_renditions_make, media_upload
from datadam.projects.models import Item, Project
from datadam.projects.services import project_launch
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def audio_project(make_project, kind: str, config: dict[str, Any],
                  clips: dict[str, bytes]) -> Project:
    project = make_project(items=0, launch=False, kind=kind, config=config)
    files = [SimpleUploadedFile(name, data, content_type="audio/wav")
             for name, data in clips.items()]
    report = media_upload(user=project.created_by, project_id=project.pk, files=files)
    assert report.created == len(clips), report
    assert media_renditions_make(asset_ids=report.media_ids)["ready"] == len(clips)
    return project_launch(user=project.created_by, project_id=project.pk)


def open_task(page, project: Project) -> int:
    """The task page once its waveform is drawn and the recording can be seeked (the test
    server has no byte ranges: the player then fetches the file whole); the item's id."""
    page.goto(f"/work/projects/{project.pk}/task/")
    player = page.locator("#task [data-audio-player][data-ready][data-seekable]")
    expect(player).to_have_count(1, timeout=15_000)
    player.locator(".dd-au-wave").scroll_into_view_if_needed()
    return int(page.locator("#task form[data-item]").get_attribute("data-item"))


def current_time(page) -> float:
    return page.evaluate(
        "document.querySelector('#task [data-audio-player]').ddPlayer.ws.getCurrentTime()")


def test_a_clip_is_transcribed_with_the_players_keys_and_the_text_is_stored(
    page, make_project, worker, browser_login
):
    clips = {f"digits-{seed}.wav": sounds.digits_clip(seed) for seed in (11, 12)}
    project = audio_project(make_project, "audio_transcription", {"language": "en"},
                            {name: wav for name, (wav, _t) in clips.items()})
    browser_login(page, worker)
    item_id = open_task(page, project)
    page.evaluate("window.__samePage = true")
    shown = Item.objects.get(pk=item_id).external_id
    truth = clips[shown][1]
    root = page.locator("#task [data-audio-player]")
    # The waveform came from the precomputed peaks (the Opus copy was fetched whole).
    assert page.evaluate("document.querySelector('#task [data-audio-player]').dataset.src"
                         ).endswith(".web.webm")
    src = page.evaluate("document.querySelector('#task [data-audio-player]')"
                        ".ddPlayer.ws.getMediaElement().src")
    assert src.startswith("blob:"), src  # fetched whole: the test server has no ranges
    expect(root.locator(".dd-au-time")).to_contain_text("0:00.0 /")

    root.locator(".dd-au-wave").focus()
    duration = page.evaluate(
        "document.querySelector('#task [data-audio-player]').ddPlayer.ws.getDuration()")
    assert duration > 1.5
    for key, expected in (("ArrowRight", 1.0), ("Shift+ArrowRight", duration),
                          ("ArrowLeft", duration - 1), ("Shift+ArrowLeft", 0.0),
                          ("ArrowRight", 1.0)):
        page.keyboard.press(key)  # ← → 1 s, with Shift 5 s, within the recording
        page.wait_for_function(
            "t => Math.abs(document.querySelector('#task [data-audio-player]').ddPlayer"
            ".ws.getMediaElement().currentTime - t) < 0.05", arg=expected)
    expect(root.locator(".dd-au-time")).to_contain_text("0:01.0 / ")
    page.keyboard.press("]")
    page.keyboard.press("]")
    expect(root.locator(".dd-au-rate")).to_have_text("1.5×")
    page.keyboard.press("[")
    expect(root.locator(".dd-au-rate")).to_have_text("1.25×")
    page.keyboard.press("l")
    expect(root.locator("[data-act=loop]")).to_have_attribute("aria-pressed", "true")

    box = root.locator("textarea[name=text]")
    box.click()
    page.keyboard.type(truth["text"])
    page.keyboard.press("Control+Space")  # play/pause while typing: no space typed
    page.keyboard.press("Control+Space")
    expect(box).to_have_value(truth["text"])
    page.keyboard.press("Control+Enter")  # submits from the text box
    # The next clip is swapped in by htmx, its player mounted, the old one gone.
    expect(page.locator("#task form[data-item]")).not_to_have_attribute(
        "data-item", str(item_id))
    expect(page.locator("#task [data-audio-player][data-ready][data-seekable]")).to_have_count(1)
    assert page.evaluate("window.__samePage") is True
    sub = Submission.objects.get(assignment__item_id=item_id, assignment__worker=worker)
    assert sub.answer == {"text": truth["text"]}
    next_truth = clips[Item.objects.get(
        pk=page.locator("#task form[data-item]").get_attribute("data-item")).external_id][1]
    page.locator("#task textarea[name=text]").fill(next_truth["text"])
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    assert Submission.objects.filter(assignment__worker=worker).count() == 2


def test_a_segment_dragged_on_the_waveform_is_labelled_undone_and_stored(
    page, make_project, worker, browser_login
):
    wav, _truth = sounds.event_clip(4, seconds=6.0)
    project = audio_project(make_project, "audio_segments",
                            {"labels": ["cry", "speech", "silence"]}, {"events.wav": wav})
    browser_login(page, worker)
    item_id = open_task(page, project)
    hidden = page.locator("#task input[name=answer]")
    expect(hidden).to_have_value('{"segments":[]}')
    expect(page.locator("#task .dd-au-empty")).to_be_visible()

    page.keyboard.press("2")  # label: speech
    expect(page.locator("#task .dd-au-label[data-label=speech]")).to_have_attribute(
        "aria-pressed", "true")
    wave = page.locator("#task .dd-au-wave").bounding_box()
    duration = 6.0
    x0, x1 = wave["x"] + wave["width"] * 1.5 / duration, wave["x"] + wave["width"] * 3.0 / duration
    y = wave["y"] + wave["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y, steps=5)
    page.mouse.move(x1, y, steps=5)
    page.mouse.up()
    expect(page.locator("#task .dd-au-row")).to_have_count(1)
    (seg,) = json.loads(hidden.input_value())["segments"]
    per_px = duration / wave["width"]
    assert seg["label"] == "speech"
    assert seg["start"] == pytest.approx(1.5, abs=3 * per_px), seg
    assert seg["end"] == pytest.approx(3.0, abs=3 * per_px), seg

    # Selected on creation: L loops it, Delete removes it, Ctrl+Z brings it back.
    page.keyboard.press("l")
    expect(page.locator("#task .dd-au-status")).to_contain_text("Looping")
    page.keyboard.press("Delete")
    expect(page.locator("#task .dd-au-row")).to_have_count(0)
    assert json.loads(hidden.input_value()) == {"segments": []}
    page.keyboard.press("Control+z")
    expect(page.locator("#task .dd-au-row")).to_have_count(1)
    assert json.loads(hidden.input_value())["segments"] == [seg]
    # A second one by keys at the playhead: I at 4 s, O at 5 s, label cry.
    page.keyboard.press("1")
    page.evaluate("document.querySelector('#task [data-audio-player]').ddPlayer.setTime(4)")
    page.keyboard.press("i")
    page.evaluate("document.querySelector('#task [data-audio-player]').ddPlayer.setTime(5)")
    page.keyboard.press("o")
    expect(page.locator("#task .dd-au-row")).to_have_count(2)
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    sub = Submission.objects.get(assignment__item_id=item_id, assignment__worker=worker)
    assert sub.answer["segments"] == [seg, {"start": 4.0, "end": 5.0, "label": "cry"}]


PAGE_BUDGET = 250_000  # bytes of JavaScript and CSS on a task page


@pytest.mark.parametrize("kind, config", [
    ("audio_transcription", {"language": "ko"}),
    ("audio_classification", {"labels": ["cry", "speech", "music"]}),
    ("audio_segments", {"labels": ["cry", "speech"]}),
])
def test_the_task_page_of_each_audio_kind_loads_at_most_250_kb_of_scripts_and_styles(
    page, make_project, worker, browser_login, kind, config
):
    wav, _ = sounds.event_clip(2, seconds=3.0)
    project = audio_project(make_project, kind, config, {"a.wav": wav})
    browser_login(page, worker)
    open_task(page, project)
    sizes = page.evaluate("""() => performance.getEntriesByType("resource")
        .filter(e => /\\.(js|css)(\\?|$)/.test(e.name))
        .map(e => [e.name.replace(location.origin, ""), e.decodedBodySize])""")
    total = sum(size for _name, size in sizes)
    print(f"\n{kind}: {total} bytes of JS+CSS: {sorted(sizes, key=lambda s: -s[1])}")
    assert any("wavesurfer.esm.js" in name for name, _size in sizes)
    assert total <= PAGE_BUDGET, sizes
