"""The wizard shows the chosen kind's own settings only, and creates a keypoint project."""

from __future__ import annotations

from playwright.sync_api import expect

from datadam.projects.models import Project


def test_choosing_a_kind_shows_its_settings_and_the_preview_places_its_points(
    page, client_org, browser_login
):
    browser_login(page, client_org[0])
    page.goto("/console/new/")
    labels = page.locator("textarea[name=labels]")
    points = page.locator("textarea[name=keypoints__points]")
    languages = page.locator("input[name=ocr__languages]").first
    method = page.locator("select[name=aggregation_method]")
    expect(labels).to_be_visible()
    expect(points).to_be_hidden()
    expect(method).to_be_visible()
    page.select_option("select[name=kind]", "keypoints")
    expect(points).to_be_visible()
    expect(labels).to_be_hidden()  # keypoint projects name points, not labels
    expect(languages).to_be_hidden()
    expect(method).to_be_hidden()  # shapes and points are fused per item, no method to pick
    page.fill("input[name=name]", "Nail corners")
    points.press_sequentially("tip\nbase")
    page.fill("textarea[name=keypoints__skeleton]", "tip - base")
    # The live preview's canvas prompts for the first typed point.
    expect(page.locator("#preview")).to_contain_text("tip")
    page.select_option("select[name=kind]", "ocr")
    expect(languages).to_be_visible()
    expect(points).to_be_hidden()
    page.select_option("select[name=kind]", "keypoints")
    page.click("#wizard button[type=submit]")
    project = Project.objects.get(name="Nail corners")
    page.wait_for_url(f"**/console/projects/{project.pk}/items/")
    assert project.kind == "keypoints"
    assert project.config["points"] == ["tip", "base"]
    assert project.config["skeleton"] == [["tip", "base"]]
