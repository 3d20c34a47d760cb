"""The capture widgets (kinds/_capture) in a real browser on the harness pages (harness.py:
the kinds' own widget.html and review.html, and a stand-in for the upload API), with
Chromium's fake camera (a 1920×1080 test pattern) and microphone (a beep).

What the real server answers is tested in test_capture_flow.py; here the stand-in's answers
are set by each test: refusals, near-duplicates, errors.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = {"prompt": "Take a photo of a cup on a table, from above."}
TAGS = [{"name": "light", "choices": ["daylight", "lamp"]},
        {"name": "room", "choices": ["kitchen", "office", "bedroom", "hall", "garden", "shop"]}]


def answer(page) -> dict:
    return json.loads(page.locator("#task input[name=answer]").input_value())


def live(page) -> None:
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "live", timeout=15_000)


def tracks_ended(page, name: str) -> bool:
    return page.evaluate(f"window.{name}.getTracks().every(t => t.readyState === 'ended')")


def test_a_photo_is_taken_with_space_uploaded_checked_tagged_and_submitted(cam_page, harness):
    page = cam_page
    page.goto(harness.url("photo_capture", item=ITEM, config={"facing": "user", "tags": TAGS}))
    live(page)
    expect(page.locator("#task .dd-cap-prompt")).to_have_text(ITEM["prompt"])
    expect(page.locator("#submit")).to_be_disabled()
    expect(page.locator("#task .dd-cap-file")).to_have_count(0)  # allow_files is off
    page.evaluate("window.firstStream = document.querySelector('.dd-cap').ddCapture.stream")

    page.keyboard.press("Space")  # focus is on no field: Space takes the photo
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "taken")
    expect(page.locator("#task .dd-cap-shot")).to_be_visible()
    assert harness.UPLOADS == []  # nothing is sent before "Use this photo"
    page.get_by_role("button", name="Use this photo").click()
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "done")
    (sent,) = harness.UPLOADS
    assert sent["content_type"] == "image/jpeg" and sent["name"] == "capture.jpg"
    assert (sent["width"], sent["height"]) == (1920, 1080)  # the track's full resolution
    assert sent["source"] == "camera" and sent["consent"] is None
    assert tracks_ended(page, "firstStream")  # uploaded: the camera is off
    check = page.locator("#task .dd-cap-check")
    expect(check).to_have_attribute("data-result", "pass")
    expect(check).to_contain_text("bytes received")

    # Tags are required: Submit waits for both, the select and the radio group.
    expect(page.locator("#submit")).to_be_disabled()
    expect(page.locator("#task .dd-cap-need")).to_contain_text("light, room")
    page.get_by_label("lamp").check()
    expect(page.locator("#submit")).to_be_disabled()
    page.locator("#task .dd-cap-tag[data-tag=room] select").select_option("office")
    expect(page.locator("#submit")).to_be_enabled()
    assert answer(page) == {"capture": 1, "tags": {"light": "lamp", "room": "office"}}
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Enter")  # the page's keys submit
    expect(page.locator("#task")).to_have_attribute("data-n", "1")
    assert json.loads(harness.POSTED[0]) == {"capture": 1,
                                             "tags": {"light": "lamp", "room": "office"}}
    live(page)  # the next task opens the camera again


def test_the_camera_goes_off_when_the_task_is_skipped(cam_page, harness):
    page = cam_page
    page.goto(harness.url("photo_capture", item=ITEM))
    live(page)
    page.evaluate("window.firstStream = document.querySelector('.dd-cap').ddCapture.stream")
    page.click("#skip")
    expect(page.locator("#task")).to_have_attribute("data-n", "1")
    assert harness.POSTED == ["skip"]
    assert tracks_ended(page, "firstStream")


def test_a_blocked_photo_shows_why_keeps_submit_disabled_and_a_retake_is_used(cam_page, harness):
    page = cam_page
    harness.REPLY.update(blocked=True, message="The photo is 1920×1080; at least 5000×3000 "
                         "is needed.", checks=[
                             {"check": "resolution", "passed": False, "value": "1920×1080",
                              "limit": "5000×3000", "blocking": True,
                              "message": "The photo is 1920×1080; at least 5000×3000 is needed."},
                             {"check": "dark", "passed": False, "value": 30, "limit": 40,
                              "blocking": False, "message": "The photo is rather dark."}])
    page.goto(harness.url("photo_capture", item=ITEM))
    live(page)
    page.get_by_role("button", name="Take photo").click()
    page.get_by_role("button", name="Use this photo").click()
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "done")
    expect(page.locator("#task .dd-cap-status")).to_contain_text("at least 5000×3000")
    expect(page.locator("#task .dd-cap-check[data-check=resolution]")).to_have_attribute(
        "data-result", "fail")
    expect(page.locator("#task .dd-cap-check[data-check=dark]")).to_have_attribute(
        "data-result", "warn")
    expect(page.locator("#submit")).to_be_disabled()
    assert page.locator("#task input[name=answer]").input_value() == ""
    retake = page.get_by_role("button", name="Retake")
    expect(retake).to_be_focused()
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Enter")  # the page's Enter key finds Submit disabled
    page.wait_for_timeout(200)
    assert harness.POSTED == []

    harness.REPLY.clear()
    retake.click()
    live(page)
    page.get_by_role("button", name="Take photo").click()
    page.get_by_role("button", name="Use this photo").click()
    expect(page.locator("#submit")).to_be_enabled()
    assert answer(page) == {"capture": 2, "tags": {}}


def test_an_upload_refused_by_the_server_shows_its_message_and_can_be_sent_again(
    cam_page, harness
):
    page = cam_page
    harness.REPLY.update(status=409, body={"error": "conflict", "message": "Too many tries for "
                                           "this task: send the last one or skip the task."})
    page.goto(harness.url("photo_capture", item=ITEM))
    live(page)
    page.get_by_role("button", name="Take photo").click()
    page.get_by_role("button", name="Use this photo").click()
    expect(page.locator("#task .dd-cap-status")).to_contain_text("Too many tries for this task")
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "taken")
    expect(page.locator("#submit")).to_be_disabled()
    harness.REPLY.clear()
    page.get_by_role("button", name="Use this photo").click()
    expect(page.locator("#submit")).to_be_enabled()
    assert len(harness.UPLOADS) == 2


def test_near_duplicates_are_shown_side_by_side_with_the_servers_message(cam_page, harness):
    page = cam_page
    harness.REPLY.update(duplicates=[{
        "capture": 40, "url": "/harness/image/640x480.jpg",
        "thumb_url": "/harness/image/320x240.jpg",
        "distance": 3, "scope": "worker", "message": "This looks like a photo you sent before."}])
    page.goto(harness.url("photo_capture", item=ITEM))
    live(page)
    page.get_by_role("button", name="Take photo").click()
    page.get_by_role("button", name="Use this photo").click()
    pair = page.locator("#task .dd-cap-pair")
    expect(pair).to_have_count(1)
    expect(page.locator("#task .dd-cap-dups h4")).to_have_text("Looks like a photo sent before")
    expect(pair).to_contain_text("This looks like a photo you sent before.")
    images = pair.locator("img")
    expect(images).to_have_count(2)
    assert images.nth(0).get_attribute("src").startswith("blob:")
    assert images.nth(1).get_attribute("src") == "/harness/image/320x240.jpg"
    left, right = images.nth(0).bounding_box(), images.nth(1).bounding_box()
    assert right["x"] > left["x"] + left["width"] - 1 and abs(right["y"] - left["y"]) < 2
    expect(page.locator("#submit")).to_be_enabled()  # not blocked: a warning only


def test_a_recording_is_made_with_space_timed_and_uploaded_as_opus(cam_page, harness):
    page = cam_page
    item = {"prompt": "Read the sentence aloud.", "text": "The weather is clear today."}
    page.goto(harness.url("audio_recording", item=item, config={"min_seconds": 1,
                                                               "max_seconds": 30}))
    live(page)
    expect(page.locator("#task .dd-cap-script")).to_have_text(item["text"])
    expect(page.locator("#task .dd-cap-meter")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "recording")
    expect(page.locator("#task .dd-cap-timer")).to_contain_text("/ 0:30")
    page.wait_for_timeout(1500)
    page.keyboard.press("Space")
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "taken")
    expect(page.locator("#task audio.dd-cap-play")).to_be_visible()
    page.get_by_role("button", name="Use this recording").click()
    expect(page.locator("#submit")).to_be_enabled()
    (sent,) = harness.UPLOADS
    assert sent["content_type"].startswith("audio/webm") and sent["name"] == "recording.webm"
    assert sent["size"] > 2000
    page.click("#submit")
    expect(page.locator("#task")).to_have_attribute("data-n", "1")
    assert json.loads(harness.POSTED[0]) == {"capture": 1, "tags": {}}


def test_recording_stops_by_itself_at_max_seconds(cam_page, harness):
    page = cam_page
    page.goto(harness.url("audio_recording", item={"prompt": "Clap once."},
                          config={"min_seconds": 0.2, "max_seconds": 1}))
    live(page)
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "taken", timeout=5000)
    expect(page.locator("#task .dd-cap-status")).to_contain_text("Stopped at the limit of 0:01")


def test_a_video_clip_is_recorded_played_back_and_uploaded(cam_phone_page, harness):
    page = cam_phone_page
    page.goto(harness.url("video_recording", item={"prompt": "Wave at the camera."},
                          config={"min_seconds": 1, "max_seconds": 10, "facing": "user"}))
    live(page)
    preview = page.locator("#task .dd-cap-live").bounding_box()
    assert preview["width"] >= 340  # the preview fills a phone's width
    page.get_by_role("button", name="Record").click()
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#task video.dd-cap-play")).to_be_visible()
    page.get_by_role("button", name="Use this video").click()
    expect(page.locator("#submit")).to_be_enabled()
    (sent,) = harness.UPLOADS
    assert sent["content_type"].startswith("video/webm") and sent["size"] > 5000


def test_the_file_picker_shows_only_when_files_are_allowed_and_sends_source_file(
    cam_page, harness, photo_file
):
    page = cam_page
    page.goto(harness.url("photo_capture", item=ITEM, config={"allow_files": False}))
    live(page)
    expect(page.locator("#task input[type=file]")).to_have_count(0)
    page.goto(harness.url("photo_capture", item=ITEM, config={"allow_files": True}))
    live(page)
    picker = page.locator("#task .dd-cap-file input[type=file]")
    expect(picker).to_have_attribute("accept", "image/*")
    assert picker.get_attribute("capture") is None
    picker.set_input_files(str(photo_file(800, 600)))
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "taken")
    page.get_by_role("button", name="Use this photo").click()
    expect(page.locator("#submit")).to_be_enabled()
    (sent,) = harness.UPLOADS
    assert (sent["source"], sent["name"], sent["width"]) == ("file", "photo-800x600.jpg", 800)


def test_a_denied_camera_is_explained_and_the_file_picker_still_works(cam_page, harness):
    page = cam_page
    page.add_init_script("""navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException("denied", "NotAllowedError"));""")
    page.goto(harness.url("photo_capture", item=ITEM, config={"allow_files": True}))
    expect(page.locator("#task .dd-cap")).to_have_attribute("data-state", "failed")
    expect(page.locator("#task .dd-cap-status")).to_contain_text("The camera may not be used")
    expect(page.locator("#task .dd-cap-status")).to_contain_text("choose a file instead")
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    expect(page.locator("#task .dd-cap-file input")).to_be_enabled()


def test_a_returned_answer_shows_the_stored_photo_and_opens_no_camera_until_retake(
    cam_page, harness
):
    page = cam_page
    stored = {"capture": 9, "media": "/harness/image/640x480.jpg",
              "thumb": "/harness/image/320x240.jpg", "media_kind": "image", "source": "camera",
              "width": 640, "height": 480, "duration": None, "tags": {"light": "daylight",
                                                                      "room": "garden"},
              "metadata": {}, "duplicates": [], "consent": {"id": 4, "subject": "Kim",
                                                            "version": 1, "withdrawn": False},
              "checks": [{"check": "blur", "passed": False, "value": 40, "limit": 60,
                          "blocking": False, "message": "The photo is a little blurred."}]}
    page.goto(harness.url("photo_capture", item=ITEM, config={"tags": TAGS}, answer=stored))
    root = page.locator("#task .dd-cap")
    expect(root).to_have_attribute("data-state", "done")
    expect(page.locator("#task .dd-cap-shot")).to_have_attribute("src", stored["media"])
    expect(page.locator("#task .dd-cap-check")).to_have_attribute("data-result", "warn")
    expect(page.get_by_label("daylight")).to_be_checked()
    expect(page.locator("#submit")).to_be_enabled()
    assert answer(page) == {"capture": 9, "tags": {"light": "daylight", "room": "garden"},
                            "consent": 4}
    assert page.evaluate("document.querySelector('.dd-cap').ddCapture.stream") is None
    page.get_by_role("button", name="Retake").click()
    live(page)
    expect(page.locator("#submit")).to_be_disabled()


def test_the_wizard_preview_opens_no_camera(cam_page, harness):
    page = cam_page
    page.goto(harness.url("photo_capture", item=ITEM, preview="1"))
    expect(page.locator("#task .dd-cap-status")).to_contain_text("Workers capture here")
    assert page.evaluate("document.querySelector('.dd-cap').ddCapture.stream") is None
    expect(page.get_by_role("button", name="Take photo")).to_be_hidden()


def test_review_cards_show_media_tags_source_checks_duplicates_and_consent(page, harness):
    photo = {"capture": 3, "media": "/harness/image/640x480.jpg",
             "thumb": "/harness/image/320x240.jpg", "media_kind": "image", "source": "file",
             "width": 640, "height": 480, "duration": None, "tags": {"light": "lamp"},
             "metadata": {"taken_at": "2026:05:01 10:20:30", "make": "Acme", "model": "Cam 2"},
             "checks": [{"check": "resolution", "passed": True, "blocking": True,
                         "message": "640×480"},
                        {"check": "blur", "passed": False, "blocking": False,
                         "message": "A little blurred"}],
             "duplicates": [{"capture": 1, "url": "/harness/image/640x480.jpg",
                             "thumb_url": "/harness/image/320x240.jpg", "distance": 2,
                             "scope": "project",
                             "message": "This looks like a photo already sent in this project."}],
             "consent": {"id": 5, "subject": "Lee", "third_party": True, "version": 2,
                         "signed_at": "2026-05-01T10:00:00+00:00", "withdrawn": True}}
    page.goto(harness.url("photo_capture", review=True, answers=[photo, None]))
    card = page.locator(".dd-capr").first
    expect(card.locator("a.dd-capr-media")).to_have_attribute("href", photo["media"])
    expect(card.locator("a.dd-capr-media img")).to_have_attribute("src", photo["thumb"])
    expect(card.locator(".dd-capr-facts")).to_contain_text("640×480")
    expect(card.locator(".dd-capr-facts")).to_contain_text("file chosen")
    expect(card.locator(".dd-capr-facts")).to_contain_text("Acme Cam 2")
    expect(card.locator(".dd-capr-tags")).to_contain_text("light: lamp")
    expect(card.locator(".dd-cap-check[data-result=pass]")).to_have_count(1)
    expect(card.locator(".dd-cap-check[data-result=warn]")).to_have_count(1)
    expect(card.locator(".dd-cap-pair img")).to_have_count(2)
    expect(card.locator(".dd-capr-consent")).to_contain_text("Lee (another person), form v2")
    withdrawn = card.locator(".dd-capr-withdrawn")
    expect(withdrawn).to_have_text("withdrawn")
    assert withdrawn.evaluate("e => getComputedStyle(e).color") == "rgb(179, 38, 30)"
    expect(page.locator(".dd-capr")).to_have_count(2)  # an item without an answer: its prompt

    result = {"captures": 3, "tags": {"light": {"lamp": 2, "daylight": 1}}}  # an item's result
    page.goto(harness.url("photo_capture", review=True, answers=[result]))
    expect(page.locator(".dd-capr")).to_contain_text("3 captures")
    expect(page.locator(".dd-capr-tags")).to_have_text("light: lamp ×2, daylight ×1")

    clip = {**photo, "media": "/harness/clip.webm", "thumb": "", "duplicates": [],
            "consent": None, "duration": 3.24, "source": "camera"}
    page.goto(harness.url("audio_recording", review=True, answers=[clip],
                          item={"prompt": "Read aloud", "text": "Hello there"}))
    expect(page.locator(".dd-capr audio")).to_have_attribute("preload", "none")
    expect(page.locator(".dd-capr-script")).to_have_text("Hello there")
    expect(page.locator(".dd-capr-facts")).to_contain_text("3.2 s")
    expect(page.locator(".dd-capr-facts")).to_contain_text("microphone")
    page.goto(harness.url("video_recording", review=True, answers=[clip]))
    expect(page.locator(".dd-capr video")).to_have_attribute("preload", "none")
