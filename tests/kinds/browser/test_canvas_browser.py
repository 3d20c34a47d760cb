"""The image kinds' canvas (kinds/_canvas) in a real browser, on the harness pages
(harness.py: the kinds' own widget.html and review.html, no database, no registered kind).

The item is a 4000×3000 image shown in a stage about 800 pixels wide, so every check that
the answer holds original image pixels is a check of the scaling too.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

BIG = {"image": "/harness/image/4000x3000.jpg", "width": 4000, "height": 3000}
# The media app's smaller rendition: drawn instead, coordinates still in original pixels.
WITH_WEB = {**BIG, "web": "/harness/image/1000x750.jpg"}


def answer(page) -> dict:
    return json.loads(page.locator("input[name=answer]").input_value())


def wait_ready(page, empty: str) -> None:
    expect(page.locator("input[name=answer]")).to_have_value(empty, timeout=15_000)


def at(page, x: float, y: float) -> tuple[float, float]:
    """Where image pixel (x, y) is on the screen now."""
    return tuple(page.evaluate("""([x, y]) => {
        const a = document.querySelector("[data-annotator]").ddAnnotator;
        const r = a.el.getBoundingClientRect();
        return [r.left + a.stage.x() + x * a.scale, r.top + a.stage.y() + y * a.scale];
    }""", [x, y]))


def drag(page, start, end) -> None:
    page.mouse.move(*at(page, *start))
    page.mouse.down()
    page.mouse.move(*at(page, *end), steps=6)
    page.mouse.up()


def click(page, x: float, y: float) -> None:
    page.mouse.click(*at(page, x, y))


def near(values, expected, tol=8.0) -> bool:
    return len(values) == len(expected) and all(
        abs(a - b) <= tol for a, b in zip(values, expected, strict=True))


def test_box_by_drag_with_labels_undo_redo_submit_and_next_task(page, harness):
    page.goto(harness.url("bounding_box", item=BIG, config={"labels": ["car", "person"]}))
    wait_ready(page, '{"boxes":[]}')
    assert page.evaluate("document.querySelector('[data-annotator]').ddAnnotator.scale") < 0.3
    expect(page.locator(".dd-empty")).to_be_visible()  # an empty answer is said, and valid

    page.keyboard.press("2")  # the second label
    expect(page.locator(".dd-label[data-label=person]")).to_have_attribute("aria-pressed", "true")
    drag(page, (400, 300), (2000, 1500))
    boxes = answer(page)["boxes"]
    assert [b["label"] for b in boxes] == ["person"]
    assert near(boxes[0]["box"], [400, 300, 1600, 1200]), boxes
    assert all(round(v, 2) == v for v in boxes[0]["box"])
    expect(page.locator(".dd-list .dd-row")).to_have_count(1)

    # Click one corner, then the other: a second box, labelled "car" (key 1).
    page.keyboard.press("1")
    click(page, 3000, 2000)
    click(page, 3600, 2800)
    assert [b["label"] for b in answer(page)["boxes"]] == ["person", "car"]
    assert near(answer(page)["boxes"][1]["box"], [3000, 2000, 600, 800])

    page.keyboard.press("Control+z")
    assert len(answer(page)["boxes"]) == 1
    page.keyboard.press("Control+Shift+z")
    assert len(answer(page)["boxes"]) == 2
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+y")
    assert len(answer(page)["boxes"]) == 2

    # Select the first box, move it with the mouse, relabel it, delete the other.
    page.keyboard.press("v")
    drag(page, (1200, 900), (1400, 1000))
    moved = answer(page)["boxes"][0]
    assert moved["label"] == "person" and near(moved["box"], [600, 400, 1600, 1200], tol=12)
    page.keyboard.press("1")
    assert answer(page)["boxes"][0]["label"] == "car"
    page.locator(".dd-list .dd-row").nth(1).locator(".dd-del").click()
    assert len(answer(page)["boxes"]) == 1

    # Enter submits (nothing is being drawn); the next task comes without a reload.
    page.evaluate("window.__same = true")
    sent = page.locator("input[name=answer]").input_value()
    page.keyboard.press("Enter")
    expect(page.locator("#task")).to_have_attribute("data-n", "1")
    assert harness.POSTED == [sent]
    wait_ready(page, '{"boxes":[]}')
    assert page.evaluate("window.__same") is True
    expect(page.locator(".konvajs-content")).to_have_count(1)  # the old stage is gone
    drag(page, (100, 100), (900, 700))
    assert len(answer(page)["boxes"]) == 1


def test_polygon_by_clicks_and_enter_and_a_polyline(page, harness):
    page.goto(harness.url("polygon", item=WITH_WEB,
                          config={"labels": ["road", "lane"], "tools": ["polygon", "polyline"]}))
    wait_ready(page, '{"shapes":[]}')
    page.keyboard.press("p")
    for x, y in [(500, 500), (2500, 600), (2600, 2000), (700, 2200)]:
        click(page, x, y)
    expect(page.locator("[data-act=finish]")).to_be_visible()
    page.keyboard.press("Enter")  # finishes the polygon; does not submit the task
    shapes = answer(page)["shapes"]
    assert [(s["type"], s["label"]) for s in shapes] == [("polygon", "road")]
    assert all(near(p, q) for p, q in zip(
        shapes[0]["points"], [[500, 500], [2500, 600], [2600, 2000], [700, 2200]], strict=True))
    assert harness.POSTED == []

    # A line of three points; Backspace takes the last one back while drawing.
    page.keyboard.press("2")
    page.keyboard.press("l")
    for x, y in [(3000, 200), (3300, 1500), (3900, 2900)]:
        click(page, x, y)
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    line = answer(page)["shapes"][1]
    assert line["type"] == "polyline" and line["label"] == "lane" and len(line["points"]) == 2

    # Esc drops a shape half drawn.
    page.keyboard.press("p")
    click(page, 100, 100)
    click(page, 300, 100)
    page.keyboard.press("Escape")
    assert len(answer(page)["shapes"]) == 2

    # Select the polygon by a click inside it; drag a vertex; Delete removes the polygon.
    page.keyboard.press("v")
    click(page, 1500, 1200)
    expect(page.locator(".dd-list .dd-row").first).to_have_class("dd-row dd-on")
    drag(page, (500, 500), (300, 300))
    assert near(answer(page)["shapes"][0]["points"][0], [300, 300], tol=12)
    page.keyboard.press("Delete")
    assert [s["type"] for s in answer(page)["shapes"]] == ["polyline"]
    page.keyboard.press("Control+z")
    assert len(answer(page)["shapes"]) == 2


def test_keypoints_prompted_in_order_with_occlusion_and_skeleton(page, harness):
    config = {"points": ["nose", "left_eye", "right_eye"],
              "skeleton": [["nose", "left_eye"], ["nose", "right_eye"]]}
    page.goto(harness.url("keypoints", item=BIG, config=config))
    wait_ready(page, '{"keypoints":{}}')
    expect(page.locator(".dd-status")).to_contain_text("nose")
    click(page, 2000, 1500)
    expect(page.locator(".dd-status")).to_contain_text("left_eye")
    page.keyboard.press("o")  # the next ones are occluded
    click(page, 1700, 1200)
    page.keyboard.press("o")
    click(page, 2300, 1200)
    marks = answer(page)["keypoints"]
    assert list(marks) == ["nose", "left_eye", "right_eye"]
    assert near(marks["nose"][:2], [2000, 1500]) and marks["nose"][2] == 2
    assert marks["left_eye"][2] == 1 and marks["right_eye"][2] == 2
    lines = page.evaluate("""document.querySelector("[data-annotator]").ddAnnotator
        .view.skeleton.length""")
    assert lines == 2

    # Remove one from the list; it is prompted again and placed again.
    page.locator(".dd-row[data-key='kp:left_eye'] .dd-del").click()
    assert "left_eye" not in answer(page)["keypoints"]
    expect(page.locator(".dd-row.dd-next")).to_have_attribute("data-key", "kp:left_eye")
    click(page, 1600, 1100)
    assert near(answer(page)["keypoints"]["left_eye"][:2], [1600, 1100])
    # N skips the next point: nothing is placed for it.
    page.locator(".dd-row[data-key='kp:right_eye'] .dd-del").click()
    page.keyboard.press("n")
    click(page, 100, 100)
    assert "right_eye" not in answer(page)["keypoints"]


def test_ocr_region_then_its_text_in_the_widgets_language(page, harness):
    config = {"languages": ["ko"], "tools": ["box", "polygon"]}
    page.goto(harness.url("ocr", item=BIG, config=config))
    wait_ready(page, '{"regions":[]}')
    drag(page, (400, 400), (1800, 800))
    text = page.locator(".dd-list .dd-text").first
    expect(text).to_be_focused()
    expect(text).to_have_attribute("lang", "ko")
    page.keyboard.type("서울 2024 ABC")
    regions = answer(page)["regions"]
    assert regions[0]["text"] == "서울 2024 ABC" and near(regions[0]["box"], [400, 400, 1400, 400])
    page.keyboard.press("Enter")  # leaves the field; does not submit
    expect(page.locator(".dd-stage")).to_be_focused()
    assert harness.POSTED == []

    page.keyboard.press("p")  # an outlined region: points and their bounding box
    for x, y in [(2000, 2000), (3000, 2100), (2900, 2600)]:
        click(page, x, y)
    page.keyboard.press("Enter")
    page.keyboard.type("東京")
    region = answer(page)["regions"][1]
    assert region["text"] == "東京" and len(region["points"]) == 3
    assert near(region["box"], [2000, 2000, 1000, 600])
    page.keyboard.press("Tab")
    page.keyboard.press("Control+z")  # undo happens on the canvas, not in the field
    assert len(answer(page)["regions"]) == 2 and answer(page)["regions"][1]["text"] == ""


def test_previous_answer_is_loaded_for_revision_and_readonly_shows_without_tools(page, harness):
    previous = {"boxes": [{"label": "car", "box": [100, 200, 300, 400]}]}
    page.goto(harness.url("bounding_box", item=BIG, config={"labels": ["car"]}, answer=previous))
    wait_ready(page, json.dumps(previous, separators=(",", ":")))
    expect(page.locator(".dd-list .dd-row")).to_have_count(1)

    page.goto(harness.url("bounding_box", item=BIG, config={"labels": ["car"]},
                          answer=previous, readonly="1"))
    expect(page.locator(".dd-list .dd-row")).to_have_count(1)
    expect(page.locator("input[name=answer]")).to_have_count(0)
    expect(page.locator(".dd-bar")).to_have_count(0)
    expect(page.locator(".dd-del")).to_have_count(0)


def test_review_cards_draw_shapes_and_open_a_zoom_view(page, harness):
    answers = [{"boxes": [{"label": "car", "box": [100, 200, 300, 400], "score": 0.9}]},
               {"boxes": []}, None]
    page.goto(harness.url("bounding_box", review=True, item=WITH_WEB, answers=answers,
                          config={"labels": ["car"], "colors": {"car": "#123456"}}))
    rect = page.locator(".dd-rv-svg rect")
    expect(rect).to_have_count(1)
    assert rect.get_attribute("x") == "100" and rect.get_attribute("width") == "300"
    assert page.locator(".dd-rv-svg").first.get_attribute("viewBox") == "0 0 4000 3000"
    expect(page.locator(".dd-rv-s").first).to_have_attribute("style", "--c: #123456; --ink: #fff;")
    expect(page.locator(".dd-rv")).to_have_count(3)
    expect(page.locator(".dd-rv-cap").nth(1)).to_contain_text("No boxes")
    page.locator(".dd-rv-frame").first.click()
    expect(page.locator("dialog.dd-zv")).to_be_visible()
    expect(page.locator("dialog.dd-zv rect")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("dialog.dd-zv")).to_be_hidden()

    config = {"points": ["a", "b", "c"], "skeleton": [["a", "b"], ["b", "c"]]}
    marks = {"keypoints": {"a": [10, 20, 2], "b": [30, 40, 1]}}
    page.goto(harness.url("keypoints", review=True, item=BIG, answers=[marks], config=config))
    bone = page.locator(".dd-rv-bone")
    expect(bone).to_have_count(1)  # b-c has no c
    assert [bone.get_attribute(k) for k in ("x1", "y1", "x2", "y2")] == ["10", "20", "30", "40"]
    expect(page.locator(".dd-rv-occ")).to_have_count(1)

    outline = [[500, 500], [1500, 500], [1000, 1500]]
    regions = {"regions": [{"box": [100, 200, 300, 400], "text": "안녕"},
                           {"box": [500, 500, 1000, 1000], "points": outline, "text": ""}]}
    page.goto(harness.url("ocr", review=True, item=BIG, answers=[regions],
                          config={"languages": ["ko"]}))
    expect(page.locator(".dd-rv-texts li")).to_have_count(2)
    expect(page.locator(".dd-rv-texts")).to_have_attribute("lang", "ko")
    expect(page.locator(".dd-rv-svg polygon")).to_have_count(1)


def test_resize_a_box_and_add_a_vertex_by_double_click(page, harness):
    start = {"boxes": [{"label": "car", "box": [1000, 1000, 1000, 1000]}]}
    page.goto(harness.url("bounding_box", item=BIG, config={"labels": ["car"]}, answer=start))
    wait_ready(page, json.dumps(start, separators=(",", ":")))
    page.keyboard.press("v")
    click(page, 1500, 1500)  # select: the Transformer's handles appear
    drag(page, (2000, 2000), (2500, 2400))  # the bottom-right handle
    assert near(answer(page)["boxes"][0]["box"], [1000, 1000, 1500, 1400], tol=15)

    shape = {"shapes": [{"label": "road", "type": "polygon",
                         "points": [[1000, 1000], [3000, 1000], [2000, 2500]]}]}
    page.goto(harness.url("polygon", item=BIG, config={"labels": ["road"], "tools": ["polygon"]},
                          answer=shape))
    wait_ready(page, json.dumps(shape, separators=(",", ":")))
    page.keyboard.press("v")
    click(page, 2000, 1500)
    page.mouse.dblclick(*at(page, 2000, 1000))  # on the top edge: a vertex there
    points = answer(page)["shapes"][0]["points"]
    assert len(points) == 4 and near(points[1], [2000, 1000], tol=15)
    page.mouse.dblclick(*at(page, 2000, 1000))  # on that vertex: removed again
    assert len(answer(page)["shapes"][0]["points"]) == 3


def test_touch_draws_a_box_and_two_fingers_pinch_zoom(browser, live_server, harness):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                  has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(harness.url("bounding_box", item=BIG, config={"labels": ["car"]}))
        wait_ready(page, '{"boxes":[]}')
        cdp = context.new_cdp_session(page)

        def touch(kind: str, *points) -> None:
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
                {"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

        (x1, y1), (x2, y2) = at(page, 1000, 1000), at(page, 2000, 2000)
        touch("touchStart", (x1, y1))
        for f in (0.3, 0.6, 1.0):
            touch("touchMove", (x1 + (x2 - x1) * f, y1 + (y2 - y1) * f))
        touch("touchEnd")
        assert near(answer(page)["boxes"][0]["box"], [1000, 1000, 1000, 1000], tol=20)

        scale = "document.querySelector('[data-annotator]').ddAnnotator.scale"
        before = page.evaluate(scale)
        cx, cy = at(page, 2000, 1500)
        touch("touchStart", (cx - 30, cy), (cx + 30, cy))
        for d in (50, 80, 110):
            touch("touchMove", (cx - d, cy), (cx + d, cy))
        touch("touchEnd")
        assert page.evaluate(scale) > before * 3
        assert len(answer(page)["boxes"]) == 1  # the pinch drew nothing
    finally:
        context.close()
