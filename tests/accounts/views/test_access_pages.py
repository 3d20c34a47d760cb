"""Role checks on pages: signed out → log in; wrong role → a 403 page saying why, in the
reader's language; a missing page → a 404 page; all in the site's layout."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings

from datadam.accounts.models import Role

pytestmark = pytest.mark.django_db

# One page per area, each behind a different role check.
PAGES = {
    "/work/": Role.WORKER,  # work: worker_required
    "/console/": Role.CLIENT,  # projects: manager_required (clients and operators)
    "/ops/payouts/": Role.OPERATOR,  # operations: operator_required
    "/qualifications/manage/": Role.CLIENT,  # qualifications: manager_required
    "/quality/": Role.WORKER,  # quality: worker_required
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_signed_out_visitors_are_sent_to_log_in(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", sorted(PAGES))
def test_a_signed_in_user_without_the_role_gets_a_403_page_in_the_layout(make_user, path):
    wrong = Role.CLIENT if PAGES[path] == Role.WORKER else Role.WORKER
    client = Client()
    client.force_login(make_user(wrong))
    response = client.get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert '<nav aria-label="' in html  # the site's layout, not a bare error
    assert "This page is not for your account" in html or "operators" in html


def test_a_worker_opening_review_is_told_how_reviewers_are_chosen(make_user) -> None:
    client = Client()
    client.force_login(make_user(Role.WORKER))
    response = client.get("/review/")
    assert response.status_code == 403
    assert "Reviewing is not open to your account" in response.content.decode()


def test_a_suspended_user_is_refused_by_the_role_check_itself(rf, make_user) -> None:
    """The session backend already signs out a suspended user (a 302 to log in); the role
    check refuses one too, should a request carry an inactive user some other way."""
    from datadam.accounts.access import worker_required

    view = worker_required(lambda request: HttpResponse("in"))
    request = rf.get("/quality/")
    request.user = make_user(Role.WORKER)
    assert view(request).status_code == 200
    request.user.is_active = False
    assert view(request).status_code == 403


@override_settings(DEBUG=False)
def test_a_missing_page_gets_the_sites_404_page_in_korean(make_user) -> None:
    client = Client(headers={"accept-language": "ko"})
    client.force_login(make_user(Role.WORKER))
    response = client.get("/console/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "페이지가 없습니다" in html and '<nav aria-label="' in html


@override_settings(DEBUG=False)
def test_another_organizations_project_page_is_a_404(make_project, make_client_org) -> None:
    project = make_project(launch=False)
    outsider, _ = make_client_org()
    client = Client()
    client.force_login(outsider)
    response = client.get(f"/quality/projects/{project.pk}/")
    assert response.status_code == 404
    assert project.name not in response.content.decode()


def test_the_server_error_page_stands_alone_in_both_languages(rf) -> None:
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))  # rendered without context processors or a database
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html and "서버에서 문제가 생겼습니다" in html


@pytest.mark.parametrize("lang,text", [("en", "takes a form, not a visit"), ("ko", "양식")])
def test_opening_a_form_only_address_gets_a_page_not_a_blank_405(make_user, lang, text):
    client = Client(headers={"accept-language": lang})
    client.force_login(make_user(Role.WORKER))
    response = client.get("/work/projects/1/task/skip/")  # takes a POST only
    assert response.status_code == 405 and response["Allow"] == "POST"
    html = response.content.decode()
    assert text in html and '<nav aria-label="' in html


def test_a_wrong_method_on_the_api_answers_in_the_apis_error_shape() -> None:
    response = Client().get("/api/v1/auth/token")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.json() == {"error": "method_not_allowed",
                               "message": "GET is not allowed here; allowed: POST"}
