"""Points through the API: balances, ledger history, top-ups, payouts."""

from __future__ import annotations

import pytest

from datadam.rewards.models import Payout

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_worker(make_project, worker, reviewer, do_work):
    """A worker with 30 points earned from three approved answers."""
    from datadam.review.services import review_decide

    project = make_project(items=3, reward=10, review_reward=1)
    for _ in range(3):
        s = do_work(project, worker)
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
    return worker


def test_balance_and_ledger_show_what_a_worker_earned(paid_worker, api):
    client = api(paid_worker)
    assert client.get("me/balance").json() == {"balance": 30, "earned_7d": 30}
    entries = client.get("me/ledger").json()
    assert [(e["amount"], e["kind"]) for e in entries] == [(10, "pay")] * 3
    older = client.get(f"me/ledger?before={entries[0]['id']}&limit=1").json()
    assert [e["id"] for e in older] == [entries[1]["id"]]


def test_a_worker_requests_a_payout_and_an_operator_pays_it(paid_worker, operator, api, ledger_ok):
    client, ops = api(paid_worker), api(operator)

    r = client.post("payouts", {"amount": 25})
    assert r.status_code == 201
    payout = r.json()
    assert (payout["status"], payout["amount"]) == ("requested", 25)
    assert client.get("me/balance").json()["balance"] == 5
    assert [p["id"] for p in ops.get("ops/payouts").json()] == [payout["id"]]

    r = ops.post(f"ops/payouts/{payout['id']}/decide", {"paid": True, "note": "sent"})
    assert r.status_code == 200
    assert r.json()["status"] == "paid"
    assert ops.get("ops/payouts").json() == []
    assert [p["status"] for p in client.get("payouts").json()] == ["paid"]
    r = ops.post(f"ops/payouts/{payout['id']}/decide", {"paid": False})
    assert r.status_code == 409
    assert client.get("me/balance").json()["balance"] == 5
    ledger_ok()


def test_a_refused_payout_gives_the_points_back(paid_worker, operator, api, ledger_ok):
    client, ops = api(paid_worker), api(operator)
    pid = client.post("payouts", {"amount": 30}).json()["id"]
    assert client.get("me/balance").json()["balance"] == 0
    r = ops.post(f"ops/payouts/{pid}/decide", {"paid": False, "note": "wrong IBAN"})
    assert r.json()["status"] == "refused"
    assert client.get("me/balance").json()["balance"] == 30
    assert ops.post(f"ops/payouts/{pid}/decide", {"paid": True}).status_code == 409
    assert client.get("me/balance").json()["balance"] == 30
    ledger_ok()


def test_a_payout_above_the_balance_gets_402(paid_worker, api, ledger_ok):
    client = api(paid_worker)
    r = client.post("payouts", {"amount": 31})
    assert r.status_code == 402
    assert r.json()["details"] == {"account": "worker", "need": 31, "have": 30}
    assert not Payout.objects.exists()
    assert client.get("me/balance").json()["balance"] == 30
    ledger_ok()


@pytest.mark.parametrize("amount", [0, -3, 10**20, "ten", None])
def test_a_payout_with_a_nonsense_amount_gets_422(paid_worker, api, amount):
    r = api(paid_worker).post("payouts", {"amount": amount})
    assert r.status_code == 422
    assert not Payout.objects.exists()


def test_an_operator_tops_up_an_organization_once_per_reference(
    make_client_org, operator, api, ledger_ok
):
    user, org = make_client_org(credit=0)
    ops = api(operator)
    body = {"amount": 1000, "reference": "wire-77"}
    first = ops.post(f"ops/organizations/{org.pk}/topup", body)
    again = ops.post(f"ops/organizations/{org.pk}/topup", body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert api(user).get(f"organizations/{org.pk}/balance").json() == {
        "organization_id": org.pk,
        "balance": 1000,
    }
    assert [e["amount"] for e in api(user).get(f"organizations/{org.pk}/ledger").json()] == [1000]
    ledger_ok()


def test_top_up_of_a_missing_organization_gets_404(operator, api):
    assert api(operator).post("ops/organizations/98765/topup", {"amount": 5}).status_code == 404


def test_the_organization_balance_follows_launch_and_close(client_org, make_project, api):
    user, org = client_org
    client = api(user)
    start = client.get(f"organizations/{org.pk}/balance").json()["balance"]
    project = make_project(items=2, overlap=1, reward=10, review_reward=5)
    assert client.get(f"organizations/{org.pk}/balance").json()["balance"] == start - 30
    client.post(f"projects/{project.pk}/close")
    assert client.get(f"organizations/{org.pk}/balance").json()["balance"] == start
    kinds = [e["kind"] for e in client.get(f"organizations/{org.pk}/ledger").json()]
    assert kinds[:2] == ["project_refund", "project_fund"]
