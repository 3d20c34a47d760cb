"""Where each role lands after logging in: where its work is."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.accounts.models import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def landing(user) -> str:
    """Log in through the form and follow the redirects; the page it ends on."""
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD},
                           follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


def test_a_reviewer_lands_on_the_review_queue(make_user):
    assert landing(make_user(Role.WORKER, reviewer=True)) == "/review/"


@pytest.mark.parametrize(
    ("role", "page"),
    [(Role.WORKER, "/work/"), (Role.CLIENT, "/console/"), (Role.OPERATOR, "/ops/payouts/")],
)
def test_other_roles_keep_their_landing(make_user, role, page):
    assert landing(make_user(role)) == page


def test_a_reviewer_still_reaches_the_task_feed(make_user):
    client = Client()
    client.force_login(make_user(Role.WORKER, reviewer=True))
    assert client.get("/work/").status_code == 200
