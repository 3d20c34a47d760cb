"""The collection kinds in the real task page of a live server, with Chromium's fake camera
(a 1920×1080 moving test pattern) and microphone (a beep): a worker takes a photo or records
sound or a clip, the real upload API checks it, and the answer is stored with the capture.
Refused captures keep Submit disabled; a project with a consent form holds the camera back
until the worker signs it. (The widget's own states, on a stand-in API:
test_capture_widget.py.)
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from datadam.collection.models import Capture
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_launch
from datadam.work.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = {"prompt": "Take a photo of a cup on a table, from above."}
# The test pattern is flat colour with sharp shapes: no check of sharpness here.
PHOTO_CONFIG = {"facing": "user", "blur_min": 0}
CAPTURE_BUDGET = 40_000  # bytes of the widget's own scripts and styles (no libraries)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def capture_project(make_project, kind: str, config: dict[str, Any],
                    items: list[dict[str, Any]] | None = None) -> Project:
    project = make_project(items=0, launch=False, kind=kind, config=config)
    report = items_import(user=project.created_by, project_id=project.pk,
                          lines=parse_records(items or [PHOTO]))
    assert report.ok, report.errors
    return project_launch(user=project.created_by, project_id=project.pk)


def open_task(page, project: Project) -> Any:
    page.goto(f"/work/projects/{project.pk}/task/")
    root = page.locator("#task .dd-cap")
    expect(root).to_have_attribute("data-state", "live", timeout=15_000)
    return root


def use(page, root, button: str) -> None:
    """Use the take and wait for the server's checks."""
    page.get_by_role("button", name=button).click()
    expect(root).to_have_attribute("data-state", "done", timeout=30_000)


def stored(project: Project, worker) -> Submission:
    return Submission.objects.get(assignment__project=project, assignment__worker=worker)


def test_a_photo_from_the_fake_camera_is_checked_submitted_and_stored_with_its_capture(
    cam_page, make_project, worker, browser_login
):
    page = cam_page
    project = capture_project(make_project, "photo_capture", {
        **PHOTO_CONFIG, "tags": [{"name": "light", "choices": ["daylight", "lamp"]}]})
    browser_login(page, worker)
    root = open_task(page, project)
    expect(root.locator(".dd-cap-prompt")).to_have_text(PHOTO["prompt"])
    own = page.evaluate("""() => performance.getEntriesByType("resource")
        .filter(e => e.name.includes("/kinds/_capture/")).map(e => e.decodedBodySize)""")
    assert len(own) == 4 and sum(own) <= CAPTURE_BUDGET, own  # 3 modules and the styles
    page.keyboard.press("Space")
    expect(root).to_have_attribute("data-state", "taken")
    use(page, root, "Use this photo")
    expect(root.locator(".dd-cap-check[data-check=resolution]")).to_have_attribute(
        "data-result", "pass")
    expect(page.locator("#submit")).to_be_disabled()  # the tag is not chosen yet
    page.get_by_label("daylight").check()
    expect(page.locator("#submit")).to_be_enabled()
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()

    sub = stored(project, worker)
    capture = Capture.objects.get(pk=sub.answer["capture"])
    assert capture.submission_id == sub.pk and capture.source == "camera"
    assert (capture.media_kind, capture.width, capture.height) == ("image", 1920, 1080)
    assert sub.answer["tags"] == {"light": "daylight"}
    assert sub.answer["media"] and sub.answer["media_kind"] == "image"
    assert {c["check"] for c in sub.answer["checks"]} >= {"resolution", "dark"}

    # The worker's own answer card shows the stored photo and its checks (review.html).
    page.goto(f"/work/mine/{sub.assignment_id}/")
    card = page.locator(".dd-capr")
    expect(card.locator("a.dd-capr-media img")).to_be_visible()
    expect(card.locator(".dd-cap-check[data-check=resolution]")).to_have_attribute(
        "data-result", "pass")
    expect(card.locator(".dd-capr-tags")).to_contain_text("light: daylight")


def test_two_seconds_from_the_fake_microphone_are_recorded_submitted_and_stored(
    cam_page, make_project, worker, browser_login
):
    page = cam_page
    item = {"prompt": "Read the sentence aloud.", "text": "The weather is clear today."}
    project = capture_project(make_project, "audio_recording",
                              {"min_seconds": 1, "max_seconds": 10}, [item])
    browser_login(page, worker)
    root = open_task(page, project)
    expect(root.locator(".dd-cap-script")).to_have_text(item["text"])
    page.keyboard.press("Space")
    expect(root).to_have_attribute("data-state", "recording")
    page.wait_for_timeout(2000)
    page.keyboard.press("Space")
    expect(root).to_have_attribute("data-state", "taken")
    use(page, root, "Use this recording")
    expect(root.locator(".dd-cap-check[data-check=duration]")).to_have_attribute(
        "data-result", "pass")
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    sub = stored(project, worker)
    assert sub.answer["media_kind"] == "audio"
    assert 1.5 <= sub.answer["duration"] <= 3.5
    assert Capture.objects.get(pk=sub.answer["capture"]).submission_id == sub.pk


def test_a_clip_from_the_fake_camera_is_recorded_submitted_and_stored(
    cam_page, make_project, worker, browser_login
):
    page = cam_page
    project = capture_project(make_project, "video_recording", {
        "min_seconds": 1, "max_seconds": 10, "facing": "user"},
        [{"prompt": "Wave at the camera."}])
    browser_login(page, worker)
    root = open_task(page, project)
    page.get_by_role("button", name="Record").click()
    page.wait_for_timeout(2500)
    root.locator("[data-act=stop]").click()
    use(page, root, "Use this video")
    expect(page.locator("#submit")).to_be_enabled()
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    sub = stored(project, worker)
    assert sub.answer["media_kind"] == "video" and sub.answer["duration"] >= 1.5
    assert sub.answer["width"] >= 320


def test_the_file_picker_is_offered_only_where_the_project_allows_files(
    cam_page, make_project, worker, browser_login, photo_file
):
    page = cam_page
    closed = capture_project(make_project, "photo_capture", PHOTO_CONFIG)
    browser_login(page, worker)
    open_task(page, closed)
    expect(page.locator("#task input[type=file]")).to_have_count(0)

    allowed = capture_project(make_project, "photo_capture",
                              {**PHOTO_CONFIG, "options": ["allow_files"]})
    root = open_task(page, allowed)
    page.locator("#task .dd-cap-file input[type=file]").set_input_files(str(photo_file(1024, 768)))
    use(page, root, "Use this photo")
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    sub = stored(allowed, worker)
    assert (sub.answer["source"], sub.answer["width"]) == ("file", 1024)


def test_a_photo_below_the_projects_resolution_shows_why_and_cannot_be_submitted(
    cam_page, make_project, worker, browser_login
):
    page = cam_page
    project = capture_project(make_project, "photo_capture",
                              {**PHOTO_CONFIG, "min_width": 5000, "min_height": 3000})
    browser_login(page, worker)
    root = open_task(page, project)
    page.get_by_role("button", name="Take photo").click()
    use(page, root, "Use this photo")
    expect(root.locator(".dd-cap-check[data-check=resolution]")).to_have_attribute(
        "data-result", "fail")
    expect(root.locator(".dd-cap-status")).to_contain_text("cannot be used")
    expect(page.get_by_role("button", name="Retake")).to_be_visible()
    expect(page.locator("#submit")).to_be_disabled()
    assert page.locator("#task input[name=answer]").input_value() == ""
    assert not Submission.objects.filter(assignment__project=project).exists()


def test_the_camera_waits_for_the_consent_form_and_the_answer_names_the_consent(
    cam_page, make_project, worker, browser_login
):
    from datadam.consent.services import consent_form_save

    page = cam_page
    project = capture_project(make_project, "photo_capture", PHOTO_CONFIG)
    consent_form_save(user=project.created_by, project_id=project.pk, title="Your photo",
                      body="We keep your photo to train a model.", subject="worker")
    browser_login(page, worker)
    root = open_task(page, project)
    panel = root.locator(".dd-consent")
    expect(panel).to_have_attribute("data-state", "unsigned")
    expect(page.get_by_role("button", name="Take photo")).to_be_disabled()
    expect(root.locator(".dd-cap-consent-note")).to_be_visible()
    page.keyboard.press("Space")
    expect(root).to_have_attribute("data-state", "live")  # Space takes nothing either

    panel.locator("input[name=consent_subject_name]").fill("Kim Minji")
    panel.locator("input[name=consent_signature]").fill("Kim Minji")
    panel.locator("input[name=consent_agree]").check()
    panel.get_by_role("button", name="Sign").click()
    expect(root.locator(".dd-consent")).to_have_attribute("data-state", "signed")
    expect(root.locator(".dd-cap-consent-note")).to_be_hidden()
    page.get_by_role("button", name="Take photo").click()
    use(page, root, "Use this photo")
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    sub = stored(project, worker)
    assert sub.answer["consent"]["subject"] == "Kim Minji"
    assert Capture.objects.get(pk=sub.answer["capture"]).consent_id == sub.answer["consent"]["id"]


def test_the_photo_task_works_in_korean_without_script_errors(
    cam_ko_page, make_project, worker, browser_login
):
    page = cam_ko_page
    project = capture_project(make_project, "photo_capture", PHOTO_CONFIG)
    browser_login(page, worker)
    root = open_task(page, project)
    assert page.evaluate("document.documentElement.lang") == "ko"
    page.keyboard.press("Space")
    expect(root).to_have_attribute("data-state", "taken")
    root.locator("[data-act=use]").click()
    expect(root).to_have_attribute("data-state", "done", timeout=30_000)
    expect(page.locator("#submit")).to_be_enabled()
    # The page fixture fails the test on any script error.
