"""Signing up, in and out in a real browser, in English and Korean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datadam.accounts.models import User, WorkerProfile

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_signs_up_fills_profile_and_sees_the_task_feed(page):
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "new.worker@example.test")
    page.fill("input[name=password]", "a-long-password")
    page.fill("input[name=display_name]", "Nova")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/accounts/profile/")
    page.fill("input[name=birth_year]", "1999")
    page.fill("input[name=region]", "Seoul")
    page.select_option("select[name=native_language]", "ko")
    page.check("input[name=other_languages][value=en]")
    page.check("input[name=devices][value=android]")
    page.fill("textarea[name=attributes]", "dialect=Busan")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=Profile saved.")
    profile = WorkerProfile.objects.get(user__email="new.worker@example.test")
    assert (profile.region, profile.native_language, profile.other_languages,
            profile.attributes) == ("Seoul", "ko", ["en"], {"dialect": "Busan"})


def test_signup_with_a_taken_email_shows_a_form_error(page, make_user):
    user = make_user()
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", "a-long-password")
    page.click("form.stack button[type=submit]")
    assert page.locator(".errorlist").inner_text().strip() == (
        "an account with this e-mail already exists"
    )
    assert User.objects.filter(email=user.email).count() == 1


def test_repeated_wrong_passwords_are_throttled(page, make_user):
    user = make_user()
    for _ in range(5):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", "wrong-password")
        page.click("form.stack button[type=submit]")
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", "pw-secret-123")
    page.click("form.stack button[type=submit]")
    assert "Too many failed sign-ins" in page.locator(".errorlist").inner_text()


def test_login_page_renders_in_korean(ko_page, make_user):
    ko_page.goto("/accounts/login/")
    assert ko_page.locator("html").get_attribute("lang") == "ko"
    expect(ko_page.get_by_role("heading", name="로그인")).to_be_visible()
    expect(ko_page.locator("main")).to_contain_text("비밀번호를 잊으셨나요?")
    user = make_user()
    ko_page.fill("input[name=username]", user.email)
    ko_page.fill("input[name=password]", "wrong-password")
    ko_page.click("form.stack button[type=submit]")
    # Django's own Korean catalog words the refused sign-in.
    expect(ko_page.locator(".errorlist")).to_contain_text("비밀번호")


def test_worker_signs_up_and_fills_the_profile_in_korean(ko_page, make_user):
    page = ko_page
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", name="작업자로 가입")).to_be_visible()
    page.fill("input[name=email]", make_user().email)
    page.fill("input[name=password]", "a-long-password")
    page.click("form.stack button[type=submit]")
    expect(page.locator(".errorlist")).to_have_text("이 이메일로 가입된 계정이 이미 있습니다")

    page.fill("input[name=email]", "new.worker@example.test")
    page.fill("input[name=password]", "a-long-password")
    page.fill("input[name=display_name]", "노바")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/accounts/profile/")
    expect(page.locator(".messages")).to_contain_text("datadam에 오신 것을 환영합니다!")
    expect(page.get_by_role("heading", name="내 프로필")).to_be_visible()
    expect(page.locator("main")).to_contain_text("출생 연도")
    page.fill("input[name=birth_year]", "1999")
    page.fill("input[name=region]", "서울")
    # Languages are named in the page's language, with their own names beside them.
    page.select_option("select[name=native_language]", label="한국어")
    expect(page.locator("label", has=page.locator("input[value=ja]"))).to_contain_text("일본어")
    page.click("form.stack button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("프로필을 저장했습니다.")
    nav = page.get_by_role("navigation", name="주 메뉴")
    for label in ("작업", "내 작업", "수익", "자격", "프로필"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(1)
    profile = WorkerProfile.objects.get(user__email="new.worker@example.test")
    assert (profile.region, profile.native_language) == ("서울", "ko")
