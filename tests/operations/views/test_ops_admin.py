"""The domain models in the Django admin: browsable by operators, the ledger read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.rewards.models import Account, LedgerEntry, LedgerTransaction, Payout

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def data(make_project, do_work, reviewer, make_user, make_payout):
    from datadam.review.services import review_decide

    project = make_project(items=2)
    submission = do_work(project, make_user())
    review_decide(reviewer=reviewer, submission_id=submission.pk, decision="approve")
    return {"project": project, "submission": submission, "payout": make_payout(100)}


@pytest.mark.parametrize("model", [
    "rewards/account", "rewards/ledgertransaction", "rewards/ledgerentry", "rewards/payout",
    "projects/project", "projects/item", "work/assignment", "work/submission", "review/review",
])
def test_operator_browses_each_model_list_and_record(admin_client, data, model):
    listing = admin_client.get(f"/admin/{model}/")
    assert listing.status_code == 200
    first = listing.context["cl"].result_list[0]
    assert admin_client.get(f"/admin/{model}/{first.pk}/change/").status_code == 200


@pytest.mark.parametrize("model", [Account, LedgerTransaction, LedgerEntry])
def test_ledger_records_cannot_be_added_changed_or_deleted(admin_client, data, model):
    obj = model.objects.first()
    name = f"/admin/rewards/{model._meta.model_name}"
    assert admin_client.get(f"{name}/add/").status_code == 403
    assert admin_client.get(f"{name}/{obj.pk}/delete/").status_code == 403
    page = admin_client.get(f"{name}/{obj.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    before = list(model.objects.order_by("pk").values())
    admin_client.post(f"{name}/{obj.pk}/change/", {"balance": 10**9, "amount": 10**9})
    assert list(model.objects.order_by("pk").values()) == before


def test_payout_admin_action_decides_through_the_ledger(admin_client, data, balance_of,
                                                        ledger_ok):
    payout = data["payout"]
    response = admin_client.post("/admin/rewards/payout/", {
        "action": "refuse", "_selected_action": [payout.pk],
    }, follow=True)
    assert response.status_code == 200
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REFUSED
    assert balance_of(payout.worker) == 1000
    ledger_ok()
