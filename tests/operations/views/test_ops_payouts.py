"""Processing payouts on /ops/payouts/: paid, refused (points return), second decisions."""

from __future__ import annotations

import pytest
from django.test import Client

from datadam.rewards.models import Account, AccountKind, Payout

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def _pending_balance() -> int:
    return Account.objects.get(kind=AccountKind.PAYOUT_PENDING).balance


def test_queue_lists_requested_payouts_oldest_first_with_worker_figures(
    ops, make_payout, make_project, do_work, reviewer
):
    from datadam.review.services import review_decide

    project = make_project(items=3)
    first = make_payout(200, earned=500)
    second = make_payout(100, earned=150)
    for decision in ("approve", "approve", "reject"):
        submission = do_work(project, first.worker)
        review_decide(reviewer=reviewer, submission_id=submission.pk, decision=decision,
                      reason_code="wrong_answer" if decision == "reject" else "")
    rows = ops.get("/ops/payouts/").context["page"].rows
    assert [r["pk"] for r in rows] == [first.pk, second.pk]
    assert (rows[0]["approved"], rows[0]["rejected"], rows[0]["approval_rate"]) == (2, 1, 67)
    assert rows[0]["balance"] == 300 + 2 * project.reward
    assert (rows[1]["balance"], rows[1]["approval_rate"]) == (50, None)


def test_mark_paid_moves_the_points_out_and_leaves_the_queue(ops, make_payout, balance_of,
                                                             ledger_ok):
    payout = make_payout(300, earned=1000)
    response = ops.post(f"/ops/payouts/{payout.pk}/decide/", {"decision": "paid"}, follow=True)
    assert f"Payout #{payout.pk} marked paid." in response.content.decode()
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    assert balance_of(payout.worker) == 700
    assert _pending_balance() == 0
    assert payout.pk not in [r["pk"] for r in response.context["page"].rows]
    ledger_ok()


def test_refusal_returns_the_points_to_the_worker(ops, make_payout, balance_of, ledger_ok):
    payout = make_payout(300, earned=1000)
    assert balance_of(payout.worker) == 700
    ops.post(f"/ops/payouts/{payout.pk}/decide/",
             {"decision": "refuse", "note": "bank details missing"})
    payout.refresh_from_db()
    assert (payout.status, payout.note) == (Payout.Status.REFUSED, "bank details missing")
    assert balance_of(payout.worker) == 1000
    assert _pending_balance() == 0
    ledger_ok()


def test_refusal_without_a_note_is_a_form_error_and_changes_nothing(ops, make_payout,
                                                                    balance_of):
    payout = make_payout(300, earned=1000)
    response = ops.post(f"/ops/payouts/{payout.pk}/decide/", {"decision": "refuse", "note": " "})
    assert response.status_code == 200
    assert "Write why the payout is refused." in response.content.decode()
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED
    assert balance_of(payout.worker) == 700


def test_a_second_decision_shows_the_message_and_changes_nothing(ops, make_payout, balance_of,
                                                                 ledger_ok):
    payout = make_payout(300, earned=1000)
    ops.post(f"/ops/payouts/{payout.pk}/decide/", {"decision": "paid"})
    response = ops.post(f"/ops/payouts/{payout.pk}/decide/",
                        {"decision": "refuse", "note": "changed my mind"}, follow=True)
    assert "payout already paid" in response.content.decode()
    payout.refresh_from_db()
    assert (payout.status, payout.note) == (Payout.Status.PAID, "")
    assert balance_of(payout.worker) == 700
    ledger_ok()


def test_htmx_decision_answers_with_the_payout_card_only(ops, make_payout):
    payout = make_payout(300)
    response = ops.post(f"/ops/payouts/{payout.pk}/decide/",
                        {"decision": "refuse", "note": "duplicate account"},
                        headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article class="card" id="payout-{payout.pk}"')
    assert "the points are back on the worker" in html
    assert "<form" not in html


def test_htmx_form_error_keeps_the_form_with_the_error(ops, make_payout):
    payout = make_payout(300)
    response = ops.post(f"/ops/payouts/{payout.pk}/decide/", {"decision": "refuse"},
                        headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Write why the payout is refused." in html and "<form" in html
    assert Payout.objects.get(pk=payout.pk).status == Payout.Status.REQUESTED


def test_decided_tab_lists_paid_and_refused_payouts_newest_first(ops, make_payout):
    paid, refused, waiting = make_payout(10), make_payout(20), make_payout(30)
    ops.post(f"/ops/payouts/{paid.pk}/decide/", {"decision": "paid"})
    ops.post(f"/ops/payouts/{refused.pk}/decide/", {"decision": "refuse", "note": "no"})
    rows = ops.get("/ops/payouts/decided/").context["page"].rows
    assert [p.pk for p in rows] == [refused.pk, paid.pk]
    assert waiting.pk not in [p.pk for p in rows]


def test_queue_pages_by_id(ops, make_payout, monkeypatch):
    from datadam.operations import selectors

    payouts = [make_payout(10 + i) for i in range(3)]
    monkeypatch.setattr(selectors, "PAGE", 2)
    first = ops.get("/ops/payouts/")
    assert [r["pk"] for r in first.context["page"].rows] == [p.pk for p in payouts[:2]]
    assert first.context["next_query"] == f"?after={payouts[1].pk}"
    second = ops.get("/ops/payouts/" + first.context["next_query"])
    assert [r["pk"] for r in second.context["page"].rows] == [payouts[2].pk]
    assert second.context["next_query"] is None
