"""The navigation bar: each role sees the links to the pages it may open."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from datadam.accounts.models import Role

pytestmark = pytest.mark.django_db


def nav_hrefs(user) -> list[str]:
    client = Client()
    client.force_login(user)
    html = client.get("/accounts/profile/" if user.is_worker else "/ops/payouts/").content.decode()
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S)
    assert nav, "the page has no main navigation"
    return re.findall(r'href="([^"]+)"', nav.group(1))


def test_operators_see_organizations_ledger_and_review_in_the_navigation(make_user):
    hrefs = nav_hrefs(make_user(Role.OPERATOR))
    for href in ("/ops/payouts/", "/ops/users/", "/ops/organizations/", "/ops/ledger/",
                 "/review/", "/ops/audit/"):
        assert href in hrefs
    assert len(hrefs) == len(set(hrefs)), "a link is listed twice"


def test_every_operator_navigation_link_opens(make_user):
    operator = make_user(Role.OPERATOR)
    client = Client()
    client.force_login(operator)
    for href in nav_hrefs(operator):
        assert client.get(href).status_code == 200, href


def test_workers_without_the_reviewer_role_see_no_review_or_operator_links(make_user):
    hrefs = nav_hrefs(make_user(Role.WORKER))
    assert "/work/" in hrefs
    assert "/review/" not in hrefs
    assert not [h for h in hrefs if h.startswith("/ops/")]
