"""A client uploads images through the page in a real browser: progress per file, the
archive's report, the items made."""

from __future__ import annotations

import pytest

from datadam.media.models import MediaAsset
from datadam.projects.models import Item

pytestmark = pytest.mark.django_db(transaction=True)


def test_three_files_upload_with_progress_to_done_and_become_items(
    page, client_org, image_project, browser_login, pics, tmp_path
):
    project = image_project()
    files = {
        "cat.jpg": pics.jpeg(320, 240, gps=True),
        "dog.png": pics.png(200, 100),
        "more.zip": pics.zip_of({"more/bird.png": pics.png(60, 60, color=(0, 90, 0)),
                                 "more/readme.txt": b"not an image"}),
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    browser_login(page, client_org[0])
    page.goto(f"/console/projects/{project.pk}/items/")
    page.click("#upload-images-link a")
    page.wait_for_url(f"**/console/projects/{project.pk}/images/")
    page.set_input_files("#media-files", paths)
    rows = page.locator("#media-queue > li")
    assert rows.count() == 3
    assert rows.first.locator("progress").count() == 1
    page.click("#media-submit")
    page.locator("#media-summary[data-state=done]").wait_for()
    states = [rows.nth(i).get_attribute("data-state") for i in range(3)]
    assert states == ["done", "done", "done"]
    assert [rows.nth(i).locator("progress").evaluate("p => p.value") for i in range(3)] == [
        100, 100, 100]
    assert rows.nth(0).locator(".status").inner_text() == "Added"
    assert "1 added, 0 already in the project, 1 refused" in rows.nth(2).inner_text()
    assert "more/readme.txt" in rows.nth(2).inner_text()
    assert page.locator("#media-summary").inner_text() == (
        "Done: 3 added, 0 already in the project, 1 refused.")
    assert page.locator("#items-count").inner_text() == "3"
    assert sorted(Item.objects.filter(project=project).values_list("external_id", flat=True)
                  ) == ["cat.jpg", "dog.png", "more/bird.png"]
    assert MediaAsset.objects.get(original_name="cat.jpg").gps_removed

    # The same files again: each is found in the project already.
    page.set_input_files("#media-files", paths[:2])
    page.click("#media-submit")
    page.locator("#media-summary[data-state=done]").wait_for()
    assert page.locator("#media-queue > li").nth(3).locator(".status").inner_text() == (
        "Already in the project")
    assert Item.objects.filter(project=project).count() == 3


def test_an_uploaded_image_is_served_to_the_signed_in_client(
    page, client_org, image_project, browser_login, pics
):
    from datadam.media.services import media_upload

    project = image_project()
    media_upload(user=client_org[0], project_id=project.pk,
                 files=[pics.upload("a.png", pics.png(33, 22))])
    url = Item.objects.get(project=project).data["image"]
    browser_login(page, client_org[0])
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"


def test_a_dropped_file_is_queued_and_uploaded(page, client_org, image_project, browser_login,
                                               pics):
    import base64

    project = image_project()
    browser_login(page, client_org[0])
    page.goto(f"/console/projects/{project.pk}/images/")
    page.evaluate(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], "dropped.png", {type: "image/png"}));
            const zone = document.getElementById("dropzone");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true,
                                                          cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true,
                                                      cancelable: true}));
        }""",
        base64.b64encode(pics.png(25, 25)).decode(),
    )
    assert page.locator("#media-queue > li .name").inner_text() == "dropped.png"
    page.click("#media-submit")
    page.locator("#media-summary[data-state=done]").wait_for()
    assert Item.objects.get(project=project).external_id == "dropped.png"
