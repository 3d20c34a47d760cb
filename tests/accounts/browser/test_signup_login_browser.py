"""Signing up, in and out in a real browser, in English and Korean."""

from __future__ import annotations

import pytest

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
    page.check("input[name=languages][value=ko]")
    page.check("input[name=devices][value=android]")
    page.fill("textarea[name=attributes]", "dialect=Busan")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=Profile saved.")
    profile = WorkerProfile.objects.get(user__email="new.worker@example.test")
    assert (profile.region, profile.languages, profile.attributes) == (
        "Seoul", ["ko"], {"dialect": "Busan"}
    )


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


def test_login_page_renders_in_korean(ko_page):
    ko_page.goto("/accounts/login/")
    assert ko_page.locator("html").get_attribute("lang") == "ko"
