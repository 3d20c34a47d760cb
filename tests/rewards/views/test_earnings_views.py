"""The earnings page: balance, history, payout requests and their form errors."""

from __future__ import annotations

import pytest

from datadam.review.services import review_decide
from datadam.rewards.models import Payout

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_worker(make_project, worker, reviewer, do_work):
    """A worker with two approved answers (20 points) and one awaiting review."""
    project = make_project(items=4, reward=10)
    for _ in range(2):
        sub = do_work(project, worker)
        review_decide(reviewer=reviewer, submission_id=sub.pk, decision="approve")
    do_work(project, worker)
    return worker


def test_earnings_show_balance_week_pending_and_history(client, paid_worker):
    client.force_login(paid_worker)
    html = client.get("/work/earnings/").content.decode()
    assert '<dd id="balance"><b>20</b> pts</dd>' in html
    assert '<dd id="earned-7d"><b>20</b> pts</dd>' in html
    assert '<dd id="pending"><b>10</b> pts' in html and "(1 answer)" in html
    assert html.count("Paid for approved work") == 2


def test_a_payout_request_holds_the_points_and_is_listed(client, paid_worker, balance_of):
    client.force_login(paid_worker)
    response = client.post("/work/earnings/", {"amount": "15"})
    assert response.status_code == 302
    html = client.get("/work/earnings/").content.decode()
    assert "Payout of 15 points requested" in html
    assert '<dd id="balance"><b>5</b> pts</dd>' in html
    assert list(Payout.objects.values_list("worker", "amount", "status")) == [
        (paid_worker.pk, 15, "requested")
    ]
    assert balance_of(paid_worker) == 5


def test_asking_for_more_than_the_balance_is_a_form_error(client, paid_worker, balance_of):
    client.force_login(paid_worker)
    response = client.post("/work/earnings/", {"amount": "21"})
    assert response.status_code == 200
    assert "You have 20 points available" in response.content.decode()
    assert not Payout.objects.exists() and balance_of(paid_worker) == 20


@pytest.mark.parametrize("amount", ["0", "-3", "ten", "1.5", ""])
def test_a_non_positive_or_non_integer_amount_is_a_form_error(client, paid_worker, amount):
    client.force_login(paid_worker)
    response = client.post("/work/earnings/", {"amount": amount})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert not Payout.objects.exists()


def test_htmx_payout_request_redirects_the_whole_page(client, paid_worker):
    client.force_login(paid_worker)
    response = client.post("/work/earnings/", {"amount": "5"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/work/earnings/"
    assert Payout.objects.count() == 1


def test_a_new_worker_sees_zero_and_no_form(client, worker):
    client.force_login(worker)
    html = client.get("/work/earnings/").content.decode()
    assert '<dd id="balance"><b>0</b> pts</dd>' in html and 'name="amount"' not in html
