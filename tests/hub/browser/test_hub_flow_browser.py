"""In a real browser, the dataset hub's whole loop: a client publishes a project by request
from its dashboard, a worker asks for access and (once approved) downloads the data,
reports two wrong labels from the sample viewer, the client accepts and relabels them, and
the next version shows the fix and credits the worker, who is notified. Background jobs are
run by calling them between the steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from playwright.sync_api import expect

from datadam.hub.models import Dataset, ImprovementRequest, VersionItem
from datadam.projects.models import Project
from datadam.projects.services import project_launch
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

TERMS = "Research use only. Never try to identify the writers."


def switch_user(page: Any, login: Any, user: Any) -> None:
    page.context.clear_cookies()
    login(page, user)


def shoot(page: Any, name: str) -> None:
    """Desktop and phone screenshots of the current page into test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hub_{name}_desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(ARTIFACTS / f"hub_{name}_phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})
    assert width <= 390, f"the {name} page scrolls sideways on a phone ({width} px)"


def test_publish_request_access_download_report_relabel_and_release(
    page, browser_login, client_org, labeled_project, make_user, worker, do_work, build,
    hub_storage, tmp_path
):
    owner, _org = client_org
    requester = make_user("worker", email="mina@example.test")

    # The client publishes the project, shared by request, from its dashboard.
    browser_login(page, owner)
    page.goto(f"/console/projects/{labeled_project.pk}/")
    page.click("#publish-dataset")
    page.wait_for_url("**/hub/publish/?project=*")
    expect(page.locator(f"input[name=projects][value='{labeled_project.pk}']")).to_be_checked()
    page.fill("input[name=title]", "Movie reviews")
    page.fill("input[name=title_ko]", "영화 리뷰")
    page.fill("textarea[name=description]", "Short reviews labeled by sentiment.")
    page.check("input[name=visibility][value=request]")
    page.click("#publish-submit")
    expect(page.locator("#usage_terms, [name=usage_terms]").first).to_be_visible()
    expect(page.locator(".errorlist").first).to_contain_text("needs usage terms")
    page.fill("textarea[name=usage_terms]", TERMS)
    page.fill("input[name=languages]", "en")
    page.click("#publish-submit")
    page.wait_for_url("**/hub/*/")
    dataset = Dataset.objects.get(title="Movie reviews")
    expect(page.locator("#building")).to_contain_text("Version 1 is being built")

    build(dataset)
    dataset.refresh_from_db()
    page.reload()
    expect(page.locator("#building")).to_have_count(0)
    expect(page.locator("#card")).to_contain_text("Dataset card of version 1")
    expect(page.locator("#files tr[data-path='train.jsonl']")).to_be_visible()
    expect(page.locator("[data-visibility=request]")).to_have_text("By request")
    shoot(page, "dataset")

    # A worker asks for access; the client approves it on the access page.
    switch_user(page, browser_login, requester)
    page.goto(f"/hub/{dataset.pk}/")
    expect(page.locator("#usage-terms")).to_contain_text(TERMS)
    expect(page.locator("#files-locked")).to_be_visible()
    page.fill("textarea[name=purpose]", "Training a sentiment model for my thesis.")
    page.check("input[name=accept_terms]")
    page.click("#access-submit")
    expect(page.locator("#access-state")).to_contain_text("Waiting for approval")

    switch_user(page, browser_login, owner)
    page.goto(f"/hub/{dataset.pk}/")
    expect(page.locator("[data-stat=pending-access]")).to_have_text("1")
    page.click("#access-requests")
    request_card = page.locator("[data-status=pending]")
    expect(request_card).to_contain_text("Training a sentiment model")
    request_card.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Access approved")

    # The worker downloads the JSONL and reports two wrong labels from the sample viewer.
    switch_user(page, browser_login, requester)
    page.goto(f"/hub/{dataset.pk}/")
    with page.expect_download() as download:
        page.locator("#files a", has_text="train.jsonl").click()
    saved = Path(tmp_path / "train.jsonl")
    download.value.save_as(saved)
    lines = [orjson.loads(line) for line in saved.read_bytes().splitlines()]
    assert len(lines) == 4 and {r["result"]["label"] for r in lines} == {"pos", "neg", "neu"}
    assert download.value.suggested_filename == f"{dataset.slug}-v1-train.jsonl"

    page.click("#browse")
    page.wait_for_url(f"**/hub/{dataset.pk}/v1/items/")
    expect(page.locator(".hub-item")).to_have_count(4)
    positive = list(VersionItem.objects.filter(version=dataset.latest_id, label="pos")
                    .order_by("key").values_list("key", flat=True))
    for key in positive:
        page.locator(f"#item-{key} input[name=items]").check()
    shoot(page, "items")
    page.select_option("select[name=kind]", "relabel")
    page.fill("input[name=proposed_label]", "neg")
    page.fill("textarea[name=reason]", "Both reviews are clearly negative.")
    page.click("#report-submit")
    page.wait_for_url(f"**/hub/{dataset.pk}/requests/*/")
    improvement = ImprovementRequest.objects.get()
    assert improvement.keys == positive
    expect(page.locator("#status")).to_have_text("Open")

    # The client accepts it and creates the relabeling project from the list.
    switch_user(page, browser_login, owner)
    page.goto(f"/hub/{dataset.pk}/requests/{improvement.pk}/")
    page.check("input[name=decision][value=accept]")
    page.click("#triage-submit")
    expect(page.locator("#status")).to_have_text("Accepted")
    page.goto(f"/hub/{dataset.pk}/requests/")
    page.check(f"#pick-{improvement.pk}")
    page.click("#relabel-submit")
    page.wait_for_url("**/console/projects/*/")
    project = Project.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert project.items_count == 2 and project.status == "draft"

    project_launch(user=owner, project_id=project.pk)
    for _ in positive:
        do_work(project, worker, {"label": "neg"})

    # The client builds version 2: two relabelled records, the worker credited.
    page.goto(f"/hub/{dataset.pk}/")
    page.click("#new-version")
    page.fill("textarea[name=changelog]", "Two reviews relabelled after a report.")
    page.click("#version-submit")
    page.wait_for_url(f"**/hub/{dataset.pk}/")
    expect(page.locator("#building")).to_contain_text("Version 2 is being built")
    build(dataset)
    page.reload()
    expect(page.locator("[data-version='2'] [data-change=relabelled]")).to_have_text("~2")
    page.locator("[data-version='2'] a", has_text="v2").click()
    page.wait_for_url(f"**/hub/{dataset.pk}/v2/")
    expect(page.locator("[data-stat=relabelled]")).to_have_text("2")
    expect(page.locator(f"#credits [data-request='{improvement.pk}']")).to_contain_text(
        "Thanks to mina")
    shoot(page, "version")
    page.locator("[data-stat=relabelled] a").click()
    rows = page.locator("#changes tbody tr")
    expect(rows).to_have_count(2)
    for key in positive:
        expect(page.locator(f"#changes tr[data-key='{key}']")).to_contain_text("pos")
        expect(page.locator(f"#changes tr[data-key='{key}']")).to_contain_text("→ neg")

    # The worker's bell shows the release.
    switch_user(page, browser_login, requester)
    expect(page.locator("#unread-count")).to_be_visible()
    page.goto("/notifications/")
    expect(page.locator("#notifications")).to_contain_text(
        f"includes your improvement request #{improvement.pk}")
    page.goto(f"/hub/{dataset.pk}/requests/{improvement.pk}/")
    expect(page.locator("#status")).to_have_text("Released")


def test_the_korean_index_shows_the_korean_title(ko_page, published, client_org):
    from datadam.hub.services.datasets import dataset_update

    dataset_update(user=client_org[0], dataset_id=published.pk, title_ko="감성 말뭉치")
    ko_page.goto("/hub/")
    expect(ko_page.locator("html")).to_have_attribute("lang", "ko")
    expect(ko_page.locator(f"[data-dataset='{published.pk}'] h2")).to_have_text("감성 말뭉치")
    shoot(ko_page, "index_ko")
    ko_page.locator(f"[data-dataset='{published.pk}'] h2 a").click()
    expect(ko_page.locator("#title")).to_have_text("감성 말뭉치")
