"""The audit log (filters, keyset pages) and the ledger health panel."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.audit.models import AuditEvent
from datadam.audit.services import audit_record
from datadam.rewards.models import Account, AccountKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def _actions(response) -> list[tuple[str, int | None]]:
    return [(e.action, e.project_id) for e in response.context["page"].rows]


def test_audit_log_is_newest_first_and_filters_by_action_actor_and_project(ops, make_user):
    ana, bo = make_user(email="ana@audit.example"), make_user(email="bo@audit.example")
    audit_record(actor=ana, action="payout.request", project_id=None)
    audit_record(actor=bo, action="submission.create", project_id=7)
    audit_record(actor=ana, action="submission.create", project_id=8)
    audit_record(actor=bo, action="payout.refused", project_id=None)
    assert _actions(ops.get("/ops/audit/", {"actor": "ANA@audit.example"})) == [
        ("submission.create", 8), ("payout.request", None)]
    assert _actions(ops.get("/ops/audit/", {"action": "payout", "actor": "bo@audit.example"})) \
        == [("payout.refused", None)]
    assert _actions(ops.get("/ops/audit/", {"project": "7"})) == [("submission.create", 7)]
    assert _actions(ops.get("/ops/audit/", {"actor": "nobody@audit.example"})) == []


def test_audit_log_pages_by_id_not_offset(ops, make_user, monkeypatch):
    from datadam.operations import selectors

    actor = make_user(email="pager@audit.example")
    ids = [audit_record(actor=actor, action=f"test.e{i}").pk for i in range(5)]
    monkeypatch.setattr(selectors, "PAGE", 2)
    first = ops.get("/ops/audit/", {"actor": actor.email})
    assert [e.pk for e in first.context["page"].rows] == [ids[4], ids[3]]
    assert f"before={ids[3]}" in first.context["next_query"]
    # An event written meanwhile does not shift the next page.
    audit_record(actor=actor, action="test.late")
    second = ops.get("/ops/audit/" + first.context["next_query"])
    assert [e.pk for e in second.context["page"].rows] == [ids[2], ids[1]]


def test_bad_audit_filter_is_a_form_error(ops):
    response = ops.get("/ops/audit/", {"project": "seven"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()
    assert response.context["page"] is None


def test_audit_rows_show_actor_action_and_data(ops, operator, worker):
    ops.post(f"/ops/users/{worker.pk}/active/", {"active": "0", "reason": "fraud"})
    html = ops.get("/ops/audit/", {"action": "user.suspend"}).content.decode()
    assert operator.email in html and "user.suspend" in html
    assert '<span class="muted">reason:</span> <code>fraud</code>' in html  # a detail a line
    assert AuditEvent.objects.filter(action="user.suspend").count() == 1


def test_ledger_panel_is_healthy_and_totals_balances_by_kind(ops, make_client_org):
    make_client_org(credit=7000)
    make_client_org(credit=3000)
    response = ops.get("/ops/ledger/")
    assert response.context["problems"] == []
    totals = {t["kind"]: (t["accounts"], t["total"]) for t in response.context["totals"]}
    assert totals[AccountKind.ORGANIZATION] == (2, 10000)
    assert totals[AccountKind.EXTERNAL] == (1, -10000)
    assert response.context["grand_total"] == 0
    assert 'id="ledger-ok"' in response.content.decode()


def test_ledger_panel_lists_an_account_whose_balance_drifted(ops, client_org):
    account = Account.objects.get(kind=AccountKind.ORGANIZATION, organization=client_org[1])
    Account.objects.filter(pk=account.pk).update(balance=account.balance + 5)
    response = ops.get("/ops/ledger/")
    assert {"account": account.pk, "balance": account.balance + 5,
            "entries": account.balance} in response.context["problems"]
    assert 'id="ledger-problems"' in response.content.decode()
