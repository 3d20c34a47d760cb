"""The four image kinds end to end in the real pages of a live server: a worker draws on the
task page's canvas and the stored answer is in original image pixels; a reviewer sees the
shapes on the review cards and decides; the client downloads the JSONL export with the
answer and the aggregated result.

The images are the demo's generated scenes (``datadam.demo.scenes``: their true shapes are
known) enlarged 4× to 2560×1920 and uploaded as a client would (``media_upload``), with the
1600 px ``web`` rendition made: the task page draws that copy about 800 pixels
wide, so each check that the answer holds ORIGINAL pixels is a check of the scaling too.
Where the mouse goes is worked out here from the image as it shows on the screen (its
rectangle in the page), not from the widget's own scale.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from datadam.accounts.models import Role
from datadam.datasets.aggregation import results_aggregate
from datadam.demo import scenes
from datadam.media.services import media_renditions_make, media_upload
from datadam.projects.models import Item, Project
from datadam.projects.services import project_launch
from datadam.review.models import Review
from datadam.work.models import AssignmentStatus, Submission

pytestmark = pytest.mark.django_db(transaction=True)

ZOOM = 4  # the scenes are 640×480; the uploaded images 2560×1920
W, H = scenes.WIDTH * ZOOM, scenes.HEIGHT * ZOOM
SHAPE_LABELS = list(scenes.OBJECTS)  # circle, square, triangle: keys 1–3


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded images go to a folder of this test's own."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


# --- Data: scenes uploaded as images of a project ---------------------------------------------
def enlarged(png: bytes) -> bytes:
    img = Image.open(io.BytesIO(png)).resize((W, H), Image.Resampling.NEAREST)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def times(value: Any) -> Any:
    """A scene's coordinates (numbers, nested lists) ×ZOOM: the uploaded image's pixels."""
    if isinstance(value, list):
        return [times(v) for v in value]
    return value * ZOOM


def image_project(make_project, kind: str, config: dict[str, Any],
                  pictures: dict[str, bytes]) -> Project:
    """A launched ``kind`` project whose items are ``pictures`` (name: scene PNG), uploaded
    through the media app with their renditions made (so the task page shows ``web``)."""
    project = make_project(items=0, launch=False, kind=kind, config=config)
    files = [SimpleUploadedFile(name, enlarged(png), content_type="image/png")
             for name, png in pictures.items()]
    report = media_upload(user=project.created_by, project_id=project.pk, files=files)
    assert report.created == len(pictures), report
    assert media_renditions_make(asset_ids=report.media_ids)["ready"] == len(pictures)
    return project_launch(user=project.created_by, project_id=project.pk)


# --- Driving the task page ---------------------------------------------------------------------
EMPTY = {"bounding_box": '{"boxes":[]}', "polygon": '{"shapes":[]}',
         "keypoints": '{"keypoints":{}}', "ocr": '{"regions":[]}'}


def open_task(page, project: Project) -> Item:
    """The task page, once its canvas shows the image (the hidden answer is then filled in
    with the empty answer: the widget's ready state); the item it shows."""
    page.goto(f"/work/projects/{project.pk}/task/")
    return wait_for_canvas(page, project)


def wait_for_canvas(page, project: Project) -> Item:
    """Wait until the task's canvas is ready; scroll the whole image into view (the stage
    is about 600 pixels high, its top a third of the way down); the item shown."""
    expect(page.locator("#task input[name=answer]")).to_have_value(
        EMPTY[project.kind], timeout=15_000)
    page.locator("#task .dd-stage").evaluate("el => el.scrollIntoView({block: 'nearest'})")
    return Item.objects.get(pk=page.locator("#task form[data-item]").get_attribute("data-item"))


class Screen:
    """Image pixels ↔ screen pixels, from where the image shows on the page now."""

    def __init__(self, page, item: Item) -> None:
        shown = page.evaluate("""() => {
            const a = document.querySelector("#task [data-annotator]").ddAnnotator;
            const stage = a.el.getBoundingClientRect();
            const r = a.imageNode.getClientRect();  // the drawn image, in stage pixels
            return {left: stage.left + r.x, top: stage.top + r.y, width: r.width,
                    height: r.height, drawn: a.imageNode.image().naturalWidth};
        }""")
        self.left, self.top = shown["left"], shown["top"]
        self.sx = shown["width"] / item.data["width"]
        self.sy = shown["height"] / item.data["height"]
        self.drawn = shown["drawn"]  # the width of the file drawn (the web rendition's)
        # One screen pixel, in image pixels: how near a drawn coordinate can be.
        self.tol = 1.5 / min(self.sx, self.sy)

    def point(self, x: float, y: float) -> tuple[int, int]:
        """The whole screen pixel nearest to image pixel (x, y)."""
        return round(self.left + x * self.sx), round(self.top + y * self.sy)

    def image(self, sx: float, sy: float) -> tuple[float, float]:
        """Back: where screen pixel (sx, sy) is in the original image."""
        return (sx - self.left) / self.sx, (sy - self.top) / self.sy


def drag(page, item: Item, start, end) -> tuple[list[float], float]:
    """Drag from image pixel ``start`` to ``end`` (where they show now): the box that drag
    means in original pixels, worked out back from the screen pixels the mouse went to,
    and how near the answer must be to it."""
    screen = Screen(page, item)
    a, b = screen.point(*start), screen.point(*end)
    page.mouse.move(*a)
    page.mouse.down()
    page.mouse.move(*b, steps=8)
    page.mouse.up()
    (x0, y0), (x1, y1) = screen.image(*a), screen.image(*b)
    return [min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)], screen.tol


def click(page, item: Item, x: float, y: float) -> tuple[list[float], float]:
    """Click image pixel (x, y) where it shows now: the point the click means in original
    pixels, and how near the answer must be to it."""
    screen = Screen(page, item)
    at = screen.point(x, y)
    page.mouse.click(*at)
    return list(screen.image(*at)), screen.tol


def answer(page) -> dict[str, Any]:
    return json.loads(page.locator("#task input[name=answer]").input_value())


def near(values, expected, tol: float) -> bool:
    values, expected = list(values), list(expected)
    return len(values) == len(expected) and all(
        abs(a - b) <= tol for a, b in zip(values, expected, strict=True))


def submission_of(item: Item, worker) -> Submission:
    return Submission.objects.get(assignment__item=item, assignment__worker=worker)


# --- Boxes -------------------------------------------------------------------------------------
SQUARE, TRIANGLE = 1, 2  # shapes_scene seeds: one square at [130, 263, 92, 92]; one triangle


def truth_box(item: Item) -> dict[str, Any]:
    """The one shape of a shapes scene item (``shapes-<seed>.png``), in the upload's pixels."""
    seed = int(re.fullmatch(r"shapes-(\d+)\.png", item.external_id).group(1))
    _png, boxes, _polygons = scenes.shapes_scene(seed)
    (truth,) = boxes["boxes"]
    return {"label": truth["label"], "box": times(truth["box"])}


def draw_truth_box(page, item: Item) -> tuple[list[float], float]:
    """Pick the label of the item's one shape by clicking its button and drag a box around
    the shape: the box that drag means in original pixels, and the tolerance."""
    truth = truth_box(item)
    button = page.locator(f"#task .dd-label[data-label={truth['label']}]")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    x, y, w, h = truth["box"]
    drawn, tol = drag(page, item, (x, y), (x + w, y + h))
    boxes = answer(page)["boxes"]
    assert [b["label"] for b in boxes] == [truth["label"]]
    assert near(boxes[0]["box"], drawn, tol), (boxes, drawn)
    assert near(boxes[0]["box"], truth["box"], 2 * tol), (boxes, truth)
    return drawn, tol


def box_project(make_project, *seeds: int) -> Project:
    return image_project(make_project, "bounding_box", {"labels": SHAPE_LABELS},
                         {f"shapes-{s}.png": scenes.shapes_scene(s)[0] for s in seeds})


# --- 1. A box ----------------------------------------------------------------------------------
def test_a_box_drawn_by_mouse_with_its_label_is_stored_in_original_pixels_and_the_next_item_comes_without_reload(  # noqa: E501
    page, make_project, worker, browser_login
):
    project = box_project(make_project, SQUARE, TRIANGLE)
    browser_login(page, worker)
    first = open_task(page, project)
    page.evaluate("window.__samePage = true")
    # Shown scaled down, from the 1600 px web rendition; answers in the 2560 px original.
    assert first.data["width"] == W and "web" in first.data
    screen = Screen(page, first)
    assert screen.drawn == 1600 and screen.sx < 0.5, vars(screen)

    drawn, tol = draw_truth_box(page, first)
    expect(page.locator("#task .dd-list .dd-row")).to_have_count(1)
    page.click("#submit")

    second = wait_for_canvas(page, project)  # the next item's canvas, ready
    assert second.pk != first.pk
    expect(page.locator("#task-notice")).to_contain_text("Saved")
    assert page.evaluate("window.__samePage") is True  # swapped in by htmx, no reload
    expect(page.locator("#task .konvajs-content")).to_have_count(1)  # the old stage is gone

    (box,) = submission_of(first, worker).answer["boxes"]
    assert box["label"] == truth_box(first)["label"]
    assert near(box["box"], drawn, tol), (box, drawn)
    assert all(round(v, 2) == v for v in box["box"])

    # The second item takes a box too (Enter submits); then there is nothing left.
    draw_truth_box(page, second)
    page.keyboard.press("Enter")
    expect(page.locator("#task-empty")).to_be_visible()
    (box,) = submission_of(second, worker).answer["boxes"]
    assert box["label"] == truth_box(second)["label"]


# --- 2. A polygon, keypoints, an OCR region ----------------------------------------------------
def test_a_polygon_clicked_vertex_by_vertex_and_closed_with_enter_is_stored_in_original_pixels(
    page, make_project, worker, browser_login
):
    seed = 29  # one triangle, [305, 54, 104, 104]
    png, _boxes, polygons = scenes.shapes_scene(seed)
    (truth,) = polygons["shapes"]
    assert truth["label"] == "triangle"
    project = image_project(make_project, "polygon",
                            {"labels": SHAPE_LABELS, "tools": ["polygon", "polyline"]},
                            {f"shapes-{seed}.png": png})
    browser_login(page, worker)
    item = open_task(page, project)
    page.locator("#task .dd-label[data-label=triangle]").click()
    page.locator("#task .dd-tool[data-tool=polygon]").click()
    clicked = [click(page, item, x, y) for x, y in times(truth["points"])]
    expect(page.locator("#task [data-act=finish]")).to_be_visible()
    page.keyboard.press("Enter")  # finishes the polygon; does not submit
    expect(page.locator("#task [data-act=finish]")).to_be_hidden()
    drawn = answer(page)["shapes"]
    assert [(s["type"], s["label"]) for s in drawn] == [("polygon", "triangle")]
    assert not Submission.objects.exists()

    page.keyboard.press("Enter")  # nothing being drawn now: Enter submits
    expect(page.locator("#task-empty")).to_be_visible()
    (shape,) = submission_of(item, worker).answer["shapes"]
    assert (shape["type"], shape["label"]) == ("polygon", "triangle")
    assert len(shape["points"]) == 3
    for got, (at, tol), true in zip(shape["points"], clicked, times(truth["points"]),
                                    strict=True):
        assert near(got, at, tol), (shape, clicked)
        assert near(got, true, 2 * tol), (shape, truth)


def test_named_keypoints_placed_in_order_with_one_occluded_are_stored_with_coco_visibility(
    page, make_project, worker, browser_login
):
    seed = 4  # a face whose right eye a hat brim covers
    png, truth = scenes.face_scene(seed)
    assert [v for _x, _y, v in truth["keypoints"].values()] == [2, 1, 2, 2, 2]
    config = {"points": scenes.FACE_POINTS, "skeleton": scenes.FACE_SKELETON,
              "category": "face"}
    project = image_project(make_project, "keypoints", config, {f"face-{seed}.png": png})
    browser_login(page, worker)
    item = open_task(page, project)
    status = page.locator("#task .dd-status")
    occluded = page.locator("#task [data-act=occluded]")
    clicked = {}
    for name in scenes.FACE_POINTS:  # left_eye, right_eye, nose, mouth_left, mouth_right
        expect(status).to_contain_text(name)  # the next point to place is prompted
        x, y, v = truth["keypoints"][name]
        if v == 1:
            page.keyboard.press("o")  # O: the next points are placed as occluded
            expect(occluded).to_have_attribute("aria-pressed", "true")
        clicked[name] = click(page, item, x * ZOOM, y * ZOOM)
        if v == 1:
            page.keyboard.press("o")
            expect(occluded).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#task .dd-list .dd-row")).to_have_count(len(scenes.FACE_POINTS))
    bones = page.evaluate(
        "document.querySelector('#task [data-annotator]').ddAnnotator.view.skeleton.length")
    assert bones == len(scenes.FACE_SKELETON)
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()

    marks = submission_of(item, worker).answer["keypoints"]
    assert sorted(marks) == sorted(scenes.FACE_POINTS)
    for name, (x, y, v) in truth["keypoints"].items():
        at, tol = clicked[name]
        assert marks[name][2] == v, (name, marks[name])
        assert near(marks[name][:2], at, tol), (name, marks)
        assert near(marks[name][:2], [x * ZOOM, y * ZOOM], 2 * tol), (name, marks)


def test_an_ocr_region_with_korean_text_typed_is_stored_with_its_box_and_text(
    page, make_project, worker, browser_login
):
    seed = 23  # one sign that reads 출구 at [324, 226, 107, 63]
    png, truth, _languages = scenes.signs_scene(seed)
    (region,) = truth["regions"]
    assert region["text"] == "출구"
    project = image_project(make_project, "ocr", {"languages": ["ko"], "tools": ["box"]},
                            {f"signs-{seed}.png": png})
    browser_login(page, worker)
    item = open_task(page, project)
    x, y, w, h = times(region["box"])
    drawn, tol = drag(page, item, (x, y), (x + w, y + h))
    field = page.locator("#task .dd-list .dd-text").first
    expect(field).to_be_focused()  # the new region's text field takes the typing
    expect(field).to_have_attribute("lang", "ko")
    page.keyboard.type("출구")
    assert answer(page)["regions"][0]["text"] == "출구"
    page.keyboard.press("Enter")  # leaves the field; does not submit
    expect(page.locator("#task .dd-stage")).to_be_focused()
    assert not Submission.objects.exists()
    page.keyboard.press("Enter")
    expect(page.locator("#task-empty")).to_be_visible()

    (stored,) = submission_of(item, worker).answer["regions"]
    assert stored["text"] == "출구"
    assert near(stored["box"], drawn, tol), (stored, drawn)
    assert near(stored["box"], [x, y, w, h], 2 * tol), stored


# --- 3 and 4. Review, then the client's export --------------------------------------------------
def test_boxes_drawn_by_a_worker_show_on_the_review_cards_are_decided_and_exported_with_the_aggregated_box(  # noqa: E501
    page, make_project, make_user, client_org, browser_login
):
    project = box_project(make_project, SQUARE, TRIANGLE)
    worker = make_user(Role.WORKER)
    worker.display_name = "Box Worker"
    worker.save()
    reviewer = make_user(Role.WORKER, reviewer=True)

    # The worker boxes both items in the browser.
    browser_login(page, worker)
    items = [open_task(page, project)]
    draw_truth_box(page, items[0])
    page.click("#submit")
    items.append(wait_for_canvas(page, project))
    assert items[1].pk != items[0].pk
    draw_truth_box(page, items[1])
    page.click("#submit")
    expect(page.locator("#task-empty")).to_be_visible()
    subs = {s.pk: s for s in Submission.objects.filter(assignment__worker=worker)}
    assert len(subs) == 2

    # The reviewer opens the worker's batch: each card shows its image and the box drawn
    # over it in original pixels (the SVG's viewBox is the original's size).
    page.context.clear_cookies()
    browser_login(page, reviewer)
    page.goto(f"/review/projects/{project.pk}/")
    expect(page.locator(".worker-name")).to_have_text("Box Worker")
    cards = page.locator(".rcard")
    expect(cards).to_have_count(2)
    order = [int(x) for x in cards.evaluate_all("cs => cs.map(c => c.dataset.sub)")]
    assert sorted(order) == sorted(subs)
    for n, sub_id in enumerate(order):
        card = cards.nth(n)
        (box,) = subs[sub_id].answer["boxes"]
        img = card.locator("img.dd-rv-img")
        expect(img).to_have_attribute("src", re.compile(r"\.web\.webp$"))
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=img.element_handle())
        svg = card.locator("svg.dd-rv-svg")
        assert svg.get_attribute("viewBox") == f"0 0 {W} {H}"
        rect = svg.locator("rect")
        expect(rect).to_have_count(1)
        assert [float(rect.get_attribute(k)) for k in ("x", "y", "width", "height")] == box["box"]
        expect(card.locator(".dd-rv-s")).to_have_attribute("data-label", box["label"])
        expect(card.locator(".dd-rv-cap")).to_contain_text(f"1 box: {box['label']}")
        # On the screen the rectangle sits where the box is on the shown image.
        shown, frame = rect.bounding_box(), card.locator(".dd-rv-frame").bounding_box()
        k = frame["width"] / W
        assert near([shown["x"] - frame["x"], shown["y"] - frame["y"]],
                    [box["box"][0] * k, box["box"][1] * k], 2), (shown, frame, box)
    page.locator(".rcard").first.evaluate("el => el.scrollIntoView()")

    # A approves the first card; the second is returned with a reason and a comment.
    page.keyboard.press("a")
    expect(cards.nth(0).locator(".verdict")).to_contain_text("Approve")
    second = cards.nth(1)
    second.locator("summary", has_text="Return").click()
    second.locator("details[open] label.reason",
                   has_text="Does not follow the instructions").click()
    second.locator("details[open] input[name=comment]").fill("Box the whole triangle")
    second.get_by_role("button", name="Return for revision").click()
    expect(second.locator(".verdict")).to_contain_text("Box the whole triangle")
    approved, returned = order
    reviews = {r.submission_id: r for r in Review.objects.filter(reviewer=reviewer)}
    assert (reviews[approved].decision, reviews[returned].decision) == ("approve", "return")
    assert (reviews[returned].reason_code, reviews[returned].comment) == (
        "guidelines", "Box the whole triangle")
    assert Submission.objects.get(pk=approved).assignment.status == AssignmentStatus.APPROVED
    assert Submission.objects.get(pk=returned).assignment.status == AssignmentStatus.RETURNED

    # The client downloads the JSONL export in the browser session: the approved answer with
    # its review and the aggregated result with its box; the returned one counts for nothing.
    results_aggregate(project_id=project.pk)
    page.context.clear_cookies()
    browser_login(page, client_org[0])
    response = page.request.get(f"/api/v1/projects/{project.pk}/export.jsonl")
    assert response.ok, response.text()
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = {line["item_id"]: line for line in map(json.loads, response.text().splitlines())}
    assert set(lines) == {i.pk for i in items}
    kept = lines[subs[approved].assignment.item_id]
    assert kept["data"]["width"] == W and kept["data"]["image"].startswith("/media/images/")
    (exported,) = kept["answers"]
    assert exported["submission_id"] == approved
    assert exported["answer"] == subs[approved].answer
    assert exported["review"]["decision"] == "approve"
    (drawn,) = subs[approved].answer["boxes"]
    (result,) = kept["result"]["boxes"]
    assert result["label"] == drawn["label"]
    assert near(result["box"], drawn["box"], 0.01), (result, drawn)
    assert 0 <= result["score"] <= 1 and kept["result"]["answers"] == 1
    sent_back = lines[subs[returned].assignment.item_id]
    (exported,) = sent_back["answers"]
    assert (exported["review"]["decision"], exported["review"]["reason_code"]) == (
        "return", "guidelines")
    assert sent_back["result"] is None


# --- 5. Korean ---------------------------------------------------------------------------------
HANGUL = re.compile(r"[가-힣]")


def test_the_korean_task_page_draws_a_box_and_submits_it(
    ko_page, make_project, worker, browser_login
):
    page = ko_page
    project = box_project(make_project, SQUARE)
    browser_login(page, worker)
    item = open_task(page, project)
    assert page.locator("html").get_attribute("lang") == "ko"
    expect(page.locator("#submit")).to_contain_text("제출")
    expect(page.locator("#skip")).to_contain_text("건너뛰기")
    drawn, tol = draw_truth_box(page, item)
    page.click("#submit")
    expect(page.locator("#task-notice")).to_contain_text("저장했습니다")
    expect(page.locator("#task-empty")).to_contain_text("이 프로젝트에 더 할 작업이 없습니다")
    (box,) = submission_of(item, worker).answer["boxes"]
    assert box["label"] == "square" and near(box["box"], drawn, tol)


def test_the_korean_task_page_shows_the_canvas_tools_in_korean(
    ko_page, make_project, worker, browser_login
):
    page = ko_page
    project = box_project(make_project, SQUARE)
    browser_login(page, worker)
    open_task(page, project)
    root = page.locator("#task [data-annotator]")
    texts = {
        "toolbar": root.locator(".dd-bar").get_attribute("aria-label"),
        "select": root.locator(".dd-tool[data-tool=select]").inner_text(),
        "box": root.locator(".dd-tool[data-tool=box]").inner_text(),
        "pan": root.locator(".dd-tool[data-tool=pan]").inner_text(),
        "undo": root.locator("[data-act=undo]").inner_text(),
        "redo": root.locator("[data-act=redo]").inner_text(),
        "delete": root.locator("[data-act=remove]").inner_text(),
        "fit": root.locator("[data-act=fit]").inner_text(),
        "labels": root.locator(".dd-labels").get_attribute("aria-label"),
        "help": root.locator(".dd-help summary").inner_text(),
        "hint": root.locator(".dd-status").inner_text(),  # how to draw a box
        "empty": root.locator(".dd-empty").inner_text(),
    }
    english = [name for name, text in texts.items() if not HANGUL.search(text or "")]
    assert not english, {name: texts[name] for name in english}
