"""A client reads which results count and the dataset card in a real browser."""

from __future__ import annotations

import pytest

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.models import AggregationState
from datadam.projects.models import Item
from datadam.review.services import review_decide

pytestmark = pytest.mark.django_db(transaction=True)


def test_answers_awaiting_review_are_not_results_until_approved(
    page, client_org, make_project, make_user, do_work, browser_login, reviewer
):
    project = make_project(items=2, overlap=1, review_policy="manual", aggregation_method="mv")
    worker = make_user("worker")
    first = do_work(project, worker, {"label": "pos"})
    do_work(project, worker, {"label": "neg"})
    results_aggregate(project_id=project.pk)
    browser_login(page, client_org[0])
    page.goto(f"/console/projects/{project.pk}/")
    quality = page.locator("#quality")
    assert quality.locator("[data-stat=aggregated]").inner_text() == "0"
    assert quality.locator("[data-stat=accuracy]").inner_text() == "—"
    assert page.locator("#sample-form").count() == 0  # nothing delivered to sample

    review_decide(reviewer=reviewer, submission_id=first.pk, decision="approve")
    results_aggregate(project_id=project.pk)
    page.reload()
    assert quality.locator("[data-stat=aggregated]").inner_text() == "1"
    confidence = float(page.locator("#results [data-confidence]").first
                       .get_attribute("data-confidence"))
    assert 0.5 < confidence < 0.9  # one answer is never certain
    page.click("#dataset-card-link")
    page.wait_for_url(f"**/console/projects/{project.pk}/dataset-card/")
    assert page.locator("[data-stat=results]").inner_text() == "1"
    assert page.locator("[data-stat=provisional]").inner_text() == "0"
    assert "only once approved" in page.locator("#rule-policy").inner_text()
    assert "Not measured yet" in page.locator("#card-source").inner_text()


def test_auto_review_results_are_provisional_and_the_card_states_gold_accuracy(
    page, client_org, make_project, make_user, do_work, browser_login
):
    project = make_project(items=6, overlap=1, review_policy="auto", aggregation_method="mv")
    ids = list(Item.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    Item.objects.filter(pk__in=ids[:4]).update(gold={"label": "neg"})
    worker = make_user("worker")
    for _ in range(6):
        do_work(project, worker, {"label": "neg"})
    results_aggregate(project_id=project.pk)
    state = AggregationState.objects.get(project=project)
    browser_login(page, client_org[0])
    page.goto(f"/console/projects/{project.pk}/")
    assert "2 results are provisional" in page.locator("#provisional-note").inner_text()
    page.click("#dataset-card")
    page.wait_for_url(f"**/console/projects/{project.pk}/dataset-card/")
    assert page.locator("h1").inner_text() == "Dataset card"
    assert page.locator("[data-stat=provisional]").inner_text() == "2"
    assert page.locator("[data-stat=gold-items]").inner_text() == "4"
    assert page.locator("[data-stat=gold]").inner_text() == (
        f"{state.gold_correct} / {state.gold_total}")
    assert page.locator("[data-stat=accuracy]").inner_text().endswith("%")
    assert "95% interval" in page.locator("#card-interval").inner_text()
    assert "gold items" in page.locator("#card-source").inner_text()
    assert "marked provisional" in page.locator("#rule-policy").inner_text()
    assert page.locator("#card-export").get_attribute("href").endswith("export.jsonl?card=true")
