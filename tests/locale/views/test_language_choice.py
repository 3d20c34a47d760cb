"""The page language: taken from the browser's Accept-Language, switchable on every page with
the switcher in the header (Django's set_language), and remembered in a cookie, signed in
or not."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def switch(client: Client, language: str, next_url: str = "/") -> object:
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    return response


def test_the_browser_language_picks_korean_or_english():
    ko = Client(headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}).get("/accounts/login/")
    assert html_lang(ko) == "ko"
    assert "로그인" in ko.content.decode()
    en = Client(headers={"Accept-Language": "en-US"}).get("/accounts/login/")
    assert html_lang(en) == "en"
    assert "Log in" in en.content.decode() and "로그인" not in en.content.decode()


def test_an_unoffered_browser_language_falls_back_to_english():
    response = Client(headers={"Accept-Language": "fr-FR"}).get("/accounts/login/")
    assert html_lang(response) == "en"


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/"])
def test_every_page_offers_the_language_switcher_back_to_itself(url):
    html = Client().get(url).content.decode()
    form = re.search(r'<form id="language" action="/i18n/setlang/" method="post">(.*?)</form>',
                     html, re.S)
    assert form, f"{url} has no language switcher"
    assert f'name="next" value="{url}"' in form.group(1)
    assert 'value="ko"' in form.group(1) and "한국어" in form.group(1)
    assert 'value="en"' in form.group(1)


def test_a_visitor_switches_to_korean_and_it_is_remembered_over_the_browser_language():
    client = Client(headers={"Accept-Language": "en-US"})
    response = switch(client, "ko", "/accounts/login/")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ko"
    assert cookie["max-age"] == 365 * 24 * 60 * 60  # kept after the browser is closed
    page = client.get("/accounts/login/")
    assert html_lang(page) == "ko"
    assert "로그인" in page.content.decode()
    switch(client, "en", "/accounts/login/")
    assert html_lang(client.get("/accounts/login/")) == "en"


def test_a_signed_in_worker_switches_language_and_keeps_it_after_signing_in_again(worker):
    client = Client(headers={"Accept-Language": "en-US"})
    assert client.login(username=worker.email, password=PASSWORD)
    switch(client, "ko", "/work/")
    page = client.get("/work/")
    assert html_lang(page) == "ko"
    assert "할 수 있는 작업" in page.content.decode()
    client.post("/accounts/logout/")
    assert html_lang(client.get("/accounts/login/")) == "ko"
    assert client.login(username=worker.email, password=PASSWORD)
    assert html_lang(client.get("/work/")) == "ko"


def test_an_unknown_language_is_ignored_without_an_error():
    client = Client(headers={"Accept-Language": "en-US"})
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert html_lang(client.get("/")) == "en"


def test_the_switcher_does_not_redirect_to_another_site():
    response = Client().post("/i18n/setlang/", {"language": "ko", "next": "https://evil.test/"})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.test")


def test_service_errors_are_answered_in_the_requests_language(worker):
    for language, message in (("ko", "작업을 찾을 수 없습니다"), ("en", "assignment not found")):
        client = Client(headers={"Accept-Language": language})
        client.force_login(worker)
        response = client.post("/api/v1/assignments/0/submit", {"answer": {}},
                               content_type="application/json")
        assert response.status_code == 404
        assert response.json()["message"] == message


def test_an_upload_report_names_bad_lines_in_korean(client_org, make_project):
    user, _org = client_org
    project = make_project(items=0, launch=False)
    client = Client(headers={"Accept-Language": "ko"})
    client.force_login(user)
    body = b'{"text": "one"}\n{"text": ""}\nnot json\n'
    response = client.post(f"/console/projects/{project.pk}/items/",
                           {"file": SimpleUploadedFile("items.jsonl", body)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "아무것도 가져오지 않았습니다." in html
    assert '항목에 비어 있지 않은 "text" 필드가 필요합니다' in html.replace("&quot;", '"')
    assert "올바른 JSON이 아닙니다" in html


def test_the_kinds_api_answers_in_the_requests_language():
    korean = Client(headers={"Accept-Language": "ko"}).get("/api/v1/kinds").json()
    english = Client(headers={"Accept-Language": "en"}).get("/api/v1/kinds").json()
    assert {k["slug"]: k["title"] for k in korean}["text_classification"] == "텍스트 분류"
    assert {k["slug"]: k["title"] for k in english}["text_classification"] == "Text classification"
