"""The console pages through Django's test client: access rules, forms and fragments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from datadam.accounts.models import Role
from datadam.projects.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db

WIZARD = {
    "kind": "text_classification",
    "name": "Reviews sentiment",
    "labels": "positive\nnegative\n\nneutral\n",
    "multi_label": "",
    "instructions": "Pick the mood of the review.",
    "reward": "7",
    "review_reward": "1",
    "overlap": "3",
    "lease_minutes": "5",
    "review_policy": "auto",
    "auto_approve_hours": "24",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_visitors_are_sent_to_the_login_page():
    response = Client().get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_workers_are_refused_every_console_page(make_user, make_project):
    project = make_project()
    client = signed_in(make_user(Role.WORKER))
    for url in (
        "/console/",
        "/console/new/",
        f"/console/projects/{project.pk}/",
        f"/console/projects/{project.pk}/items/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/console/projects/{project.pk}/pause/").status_code == 403
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN


def test_another_organizations_project_is_not_found(make_client_org, make_project):
    project = make_project()
    stranger, _org = make_client_org()
    client = signed_in(stranger)
    for url in ("", "numbers/", "items/", "edit/", "close/"):
        assert client.get(f"/console/projects/{project.pk}/{url}").status_code == 404, url
    for action in ("pause", "launch", "resume", "close"):
        assert client.post(f"/console/projects/{project.pk}/{action}/").status_code == 404
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN
    assert project.name not in client.get("/console/").content.decode()


def test_project_list_shows_own_projects_and_the_points_balance(client_org, make_project):
    user, _org = client_org
    project = make_project(items=4, overlap=2, reward=10, review_reward=2)
    page = signed_in(user).get("/console/").content.decode()
    assert project.name in page
    # 1,000,000 credited, 4 items × 2 answers × 12 points reserved at launch.
    assert "999,904" in page
    assert "0 of 8 answers approved" in page


def test_wizard_creates_a_draft_with_the_typed_settings(client_org):
    user, org = client_org
    response = signed_in(user).post("/console/new/", WIZARD)
    project = Project.objects.get(name="Reviews sentiment")
    assert response.status_code == 302
    assert response["Location"] == f"/console/projects/{project.pk}/items/"
    assert (project.organization, project.status) == (org, ProjectStatus.DRAFT)
    assert project.config == {"labels": ["positive", "negative", "neutral"], "multi_label": False}
    assert (project.reward, project.review_reward, project.overlap) == (7, 1, 3)
    assert (project.lease_seconds, project.review_policy, project.auto_approve_hours) == (
        300,
        "auto",
        24,
    )


def test_wizard_refuses_repeated_labels_and_creates_nothing(client_org):
    user, _org = client_org
    response = signed_in(user).post("/console/new/", {**WIZARD, "labels": "cat\ncat"})
    assert response.status_code == 200
    assert "labels must be unique" in response.content.decode()
    assert not Project.objects.exists()


def test_wizard_refuses_an_overlap_out_of_range(client_org):
    user, _org = client_org
    response = signed_in(user).post("/console/new/", {**WIZARD, "overlap": "0"})
    assert response.status_code == 200
    assert 'id="id_overlap"' in response.content.decode()
    assert response.context["form"].errors["overlap"]
    assert not Project.objects.exists()


def test_preview_renders_the_kind_widget_with_the_typed_labels(client_org):
    user, _org = client_org
    response = signed_in(user).post(
        "/console/preview/",
        {
            "kind": "image_classification",
            "labels": "cat\ndog",
            "multi_label": "on",
            "instructions": "Look <carefully>",
            "reward": "5",
            "overlap": "2",
            "review_reward": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="checkbox" name="labels" value="cat"' in html
    assert 'value="dog"' in html
    assert "Look &lt;carefully&gt;" in html
    assert "data-autofocus" not in html
    assert "Each item will cost 12 points" in html
    assert '<img src="data:image/svg+xml,' in html


def test_preview_with_an_unknown_kind_and_no_labels_still_renders(client_org):
    user, _org = client_org
    response = signed_in(user).post("/console/preview/", {"kind": "nope", "reward": "x"})
    assert response.status_code == 200
    assert "Type the labels, one per line" in response.content.decode()


def test_edit_after_launch_offers_only_the_fields_that_may_change(client_org, make_project):
    user, _org = client_org
    project = make_project()
    client = signed_in(user)
    form = client.get(f"/console/projects/{project.pk}/edit/").context["form"]
    assert set(form.fields) == {
        "name",
        "instructions",
        "lease_minutes",
        "review_policy",
        "auto_approve_hours",
    }
    response = client.post(
        f"/console/projects/{project.pk}/edit/",
        {
            "name": "Renamed",
            "instructions": "New rules",
            "lease_minutes": "20",
            "review_policy": "manual",
            "auto_approve_hours": "72",
            "reward": "999",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.instructions, project.lease_seconds, project.reward) == (
        "Renamed",
        "New rules",
        1200,
        10,
    )


def upload(client, project, name: str, content: bytes, **headers):
    return client.post(
        f"/console/projects/{project.pk}/items/",
        {"file": SimpleUploadedFile(name, content)},
        headers=headers,
    )


def test_upload_with_a_bad_line_names_it_and_imports_nothing(client_org, make_project):
    user, _org = client_org
    project = make_project(items=0, launch=False)
    body = b'{"text": "one"}\n{"text": ""}\nnot json\n{"text": "four"}\n'
    response = upload(signed_in(user), project, "items.jsonl", body, HX_Request="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in html
    assert "<td>2</td>" in html and "<td>3</td>" in html
    assert "<html" not in html  # the htmx request gets the report fragment only
    project.refresh_from_db()
    assert project.items_count == 0


def test_upload_of_a_good_csv_reports_the_count(client_org, make_project):
    user, _org = client_org
    project = make_project(items=2, launch=False)
    body = "external_id,text\nr1,좋아요\nr2,별로예요\nr3,보통\n".encode()
    html = upload(signed_in(user), project, "items.csv", body).content.decode()
    assert "Imported 3 items." in html
    assert "The project now has 5 items." in html
    project.refresh_from_db()
    assert project.items_count == 5


def test_upload_with_an_unknown_extension_is_a_message_not_an_error(client_org, make_project):
    user, _org = client_org
    project = make_project(items=0, launch=False)
    response = upload(signed_in(user), project, "items.xlsx", b"whatever")
    assert response.status_code == 200
    assert "cannot tell the file format" in response.content.decode()


def test_items_page_shows_an_example_line_for_the_kind(client_org, make_project):
    user, _org = client_org
    project = make_project(
        items=0, launch=False, kind="image_classification", config={"labels": ["cat", "dog"]}
    )
    html = signed_in(user).get(f"/console/projects/{project.pk}/items/").content.decode()
    assert "{&quot;image&quot;:&quot;https://example.com/images/0001.jpg&quot;}" in html
    assert "external_id,image" in html


def test_launch_without_enough_points_keeps_the_draft(make_client_org, make_project):
    owner = make_client_org(credit=10)
    project = make_project(items=5, launch=False, owner=owner)
    client = signed_in(owner[0])
    response = client.post(f"/console/projects/{project.pk}/launch/", follow=True)
    assert "Not enough points: this needs 60 points and the organization has 10." in (
        response.content.decode()
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_dashboard_shows_the_cost_estimate_before_launch(client_org, make_project):
    user, _org = client_org
    project = make_project(items=5, overlap=2, reward=10, review_reward=2, launch=False)
    html = signed_in(user).get(f"/console/projects/{project.pk}/").content.decode()
    assert 'data-stat="cost">120<' in html
    assert 'data-stat="balance">1,000,000<' in html
    assert "Launch and reserve 120 points" in html


def test_numbers_fragment_holds_the_charts_and_refreshes_itself(client_org, make_project):
    user, _org = client_org
    project = make_project()
    html = signed_in(user).get(f"/console/projects/{project.pk}/numbers/").content.decode()
    assert html.startswith('<section id="numbers"')
    assert 'hx-trigger="every 30s, refresh"' in html
    assert html.count("<svg") == 2


def test_close_asks_first_then_closes(client_org, make_project):
    user, _org = client_org
    project = make_project()
    client = signed_in(user)
    assert (
        b"Close the project for good"
        in client.get(f"/console/projects/{project.pk}/close/").content
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN
    client.post(f"/console/projects/{project.pk}/close/")
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED


def test_preview_while_editing_a_launched_project_keeps_its_fixed_settings(
    client_org, make_project
):
    user, _org = client_org
    project = make_project(config={"labels": ["red", "blue"], "multi_label": True})
    response = signed_in(user).post("/console/preview/", {
        "project": str(project.pk), "name": "Colours", "instructions": "Pick all colours",
    })
    html = response.content.decode()
    assert 'type="checkbox" name="labels" value="blue"' in html
    assert "Pick all colours" in html


def test_preview_of_another_organizations_project_is_not_found(make_client_org, make_project):
    project = make_project()
    stranger, _org = make_client_org()
    response = signed_in(stranger).post("/console/preview/", {"project": str(project.pk)})
    assert response.status_code == 404


def test_upload_into_an_open_project_without_enough_points_imports_nothing(
    make_client_org, make_project
):
    owner = make_client_org(credit=60)
    project = make_project(items=5, owner=owner)  # all 60 points are in escrow now
    html = upload(signed_in(owner[0]), project, "more.jsonl", b'{"text": "more"}\n').content
    assert b"Not enough points: this needs 12 points and the organization has 0." in html
    project.refresh_from_db()
    assert project.items_count == 5


def test_dashboard_links_to_the_projects_qualification_requirements(client_org, make_project):
    user, _org = client_org
    project = make_project()
    html = signed_in(user).get(f"/console/projects/{project.pk}/").content.decode()
    assert f'href="/qualifications/projects/{project.pk}/requirements/"' in html
    page = signed_in(user).get(f"/qualifications/projects/{project.pk}/requirements/")
    assert page.status_code == 200


def test_dashboard_shows_the_stored_multi_label_set_and_its_label_probabilities(
    client_org, make_project, make_user, do_work
):
    from datadam.datasets.aggregation import results_aggregate
    from datadam.datasets.models import ItemResult

    user, _org = client_org
    project = make_project(items=1, overlap=3, aggregation_method="mv", review_policy="auto",
                           config={"labels": ["a", "b", "c"], "multi_label": True})
    for labels in (["a", "b"], ["a"], ["a", "b", "c"]):
        do_work(project, make_user("worker"), {"labels": labels})
    results_aggregate(project_id=project.pk)
    html = signed_in(user).get(f"/console/projects/{project.pk}/").content.decode()
    assert "<b>a, b</b>" in html
    assert "a 1.00 · b 0.67 · c 0.33" in html
    # The confidence is the least certain yes/no decision's posterior, not a vote share.
    stored = ItemResult.objects.get(project=project)
    assert 0.5 < stored.confidence < 1 and stored.confidence != pytest.approx(2 / 3)
    assert f'data-confidence="{stored.confidence}"' in html
    assert html.count("data-provisional") == 1  # its answers still await review


def test_dashboard_names_the_aggregation_method_instead_of_its_code(
    client_org, make_project, make_user, do_work
):
    from django.conf import settings

    from datadam.datasets.aggregation import results_aggregate

    user, _org = client_org
    project = make_project(items=1, overlap=3, aggregation_method="mv", review_policy="auto")
    for label in ("pos", "pos", "neg"):
        do_work(project, make_user("worker"), {"label": label})
    results_aggregate(project_id=project.pk)
    html = signed_in(user).get(f"/console/projects/{project.pk}/").content.decode()
    assert "(Majority vote)" in html and "(mv)" not in html
    assert "method Majority vote" in html
    korean = signed_in(user)
    korean.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    html = korean.get(f"/console/projects/{project.pk}/").content.decode()
    assert "방법 다수결" in html and "(다수결)" in html
