"""Every operators' page: operators only; others get 403, visitors the log-in page."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.accounts.models import Role

pytestmark = pytest.mark.django_db


def _pages(user_id: int, org_id: int, payout_id: int) -> list[str]:
    return [
        "/ops/", "/ops/payouts/", "/ops/payouts/decided/", "/ops/users/",
        f"/ops/users/{user_id}/", "/ops/organizations/", f"/ops/organizations/{org_id}/",
        "/ops/audit/", "/ops/ledger/",
    ]


def _posts(user_id: int, org_id: int, payout_id: int) -> list[tuple[str, dict]]:
    return [
        (f"/ops/payouts/{payout_id}/decide/", {"decision": "paid"}),
        (f"/ops/users/{user_id}/active/", {"active": "0", "reason": "spam"}),
        (f"/ops/users/{user_id}/reviewer/", {"granted": "1"}),
        (f"/ops/organizations/{org_id}/", {"amount": "100", "reference": "x-1"}),
    ]


@pytest.fixture
def targets(make_user, client_org, make_payout):
    worker = make_user()
    return worker.pk, client_org[1].pk, make_payout(worker=worker).pk


@pytest.mark.parametrize("role", [Role.WORKER, Role.CLIENT])
def test_workers_reviewers_and_clients_get_403_on_every_ops_page(role, make_user, targets):
    user = make_user(role, reviewer=(role == Role.WORKER))
    client = Client()
    client.force_login(user)
    for url in _pages(*targets):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.WORKER, Role.CLIENT])
def test_non_operators_cannot_act_through_ops_forms(role, make_user, targets, balance_of):
    from datadam.accounts.models import User
    from datadam.rewards.models import Payout

    user = make_user(role)
    client = Client()
    client.force_login(user)
    for url, data in _posts(*targets):
        assert client.post(url, data).status_code == 403, url
    worker_id, _org_id, payout_id = targets
    worker = User.objects.get(pk=worker_id)
    assert (worker.is_active, worker.is_reviewer) == (True, False)
    assert Payout.objects.get(pk=payout_id).status == Payout.Status.REQUESTED


def test_visitors_are_sent_to_the_login_page(targets):
    client = Client()
    for url in _pages(*targets):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_operator_opens_every_ops_page(operator, targets):
    client = Client()
    client.force_login(operator)
    for url in _pages(*targets):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert b'<html lang="en">' in response.content, url


def test_ops_pages_render_in_korean(operator, targets):
    client = Client(headers={"accept-language": "ko-KR,ko;q=0.9"})
    client.force_login(operator)
    for url in _pages(*targets):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert b'<html lang="ko">' in response.content, url


def test_unknown_user_and_organization_are_404(operator):
    client = Client()
    client.force_login(operator)
    assert client.get("/ops/users/999999/").status_code == 404
    assert client.get("/ops/organizations/999999/").status_code == 404
    response = client.post("/ops/users/999999/active/", {"active": "0", "reason": "x"})
    assert response.status_code == 404
