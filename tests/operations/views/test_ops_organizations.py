"""Organizations on /ops/organizations/: balances and retry-safe top-ups."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.rewards.models import LedgerTransaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def test_list_shows_each_organizations_balance_and_searches_by_name(ops, make_client_org,
                                                                    make_project):
    owner, rich = make_client_org(credit=5000)
    _, poor = make_client_org(credit=0)
    make_project(items=0, launch=False, owner=(owner, rich))
    make_project(items=0, launch=False, owner=(owner, rich))
    rows = {o.pk: o for o in ops.get("/ops/organizations/").context["page"].rows}
    assert (rows[rich.pk].balance, rows[poor.pk].balance) == (5000, 0)
    assert (rows[rich.pk].projects_n, rows[rich.pk].members_n) == (2, 1)
    assert (rows[poor.pk].projects_n, rows[poor.pk].members_n) == (0, 1)
    found = ops.get("/ops/organizations/", {"q": rich.name}).context["page"].rows
    assert [o.pk for o in found] == [rich.pk]


def test_topup_credits_the_organization(ops, make_client_org, balance_of, ledger_ok):
    _, org = make_client_org(credit=0)
    response = ops.post(f"/ops/organizations/{org.pk}/",
                        {"amount": "25000", "reference": "KB-2024-0001"}, follow=True)
    assert "25000 points credited." in response.content.decode()
    assert balance_of(org) == 25000
    ledger_ok()


def test_retrying_a_topup_with_the_same_reference_posts_once(ops, make_client_org, balance_of,
                                                             ledger_ok):
    _, org = make_client_org(credit=0)
    data = {"amount": "25000", "reference": "KB-2024-0002"}
    ops.post(f"/ops/organizations/{org.pk}/", data)
    response = ops.post(f"/ops/organizations/{org.pk}/", data, follow=True)
    assert "nothing was posted again" in response.content.decode()
    assert balance_of(org) == 25000
    assert LedgerTransaction.objects.filter(key="topup:KB-2024-0002").count() == 1
    ledger_ok()


def test_a_reference_used_for_another_organization_is_a_form_error(ops, make_client_org,
                                                                   balance_of):
    _, first = make_client_org(credit=0)
    _, second = make_client_org(credit=0)
    ops.post(f"/ops/organizations/{first.pk}/", {"amount": "100", "reference": "WIRE-9"})
    response = ops.post(f"/ops/organizations/{second.pk}/",
                        {"amount": "100", "reference": "WIRE-9"})
    assert f"already used to credit {first.name}" in response.content.decode()
    assert (balance_of(first), balance_of(second)) == (100, 0)


@pytest.mark.parametrize("data, error", [
    ({"amount": "lots", "reference": "R-1"}, "Enter a whole number."),
    ({"amount": "0", "reference": "R-1"}, "greater than or equal to 1"),
    ({"amount": "-5", "reference": "R-1"}, "greater than or equal to 1"),
    ({"amount": "100", "reference": "   "}, "This field is required."),
])
def test_bad_topup_input_is_a_form_error_and_posts_nothing(ops, make_client_org, balance_of,
                                                           data, error):
    _, org = make_client_org(credit=0)
    before = LedgerTransaction.objects.count()
    response = ops.post(f"/ops/organizations/{org.pk}/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert balance_of(org) == 0
    assert LedgerTransaction.objects.count() == before
