"""A client inspects an acceptance sample in a real browser and sees the accuracy."""

from __future__ import annotations

import pytest

from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.models import AcceptanceSample
from datadam.work.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def test_client_inspects_a_sample_and_sees_the_accuracy_on_the_dashboard(
    page, client_org, make_project, make_user, do_work, browser_login
):
    project = make_project(items=10, min_answers=2, max_answers=3, target_confidence=0.9,
                           review_policy="auto")
    a, b = make_user("worker"), make_user("worker")
    for _ in range(10):
        do_work(project, a, {"label": "neg"})
        do_work(project, b, {"label": "neg"})
    # Reviewed: only delivered (not provisional) results are sampled.
    Assignment.objects.filter(project=project).update(status="approved")
    results_aggregate(project_id=project.pk)
    browser_login(page, client_org[0])
    page.goto(f"/console/projects/{project.pk}/")
    quality = page.locator("#quality")
    assert quality.locator("[data-stat=aggregated]").inner_text() == "10"
    assert quality.locator("[data-stat=saved]").inner_text() == "10"
    assert "not measured yet" in quality.locator("#accuracy-source").inner_text()
    assert page.locator("#results [data-confidence]").count() == 10
    page.select_option("#aql", "0.065")
    page.click("#request-sample")
    page.wait_for_url("**/samples/*/")
    sample = AcceptanceSample.objects.get()
    assert "Inspect 3 of 10 delivered items" in page.locator("#plan").inner_text()
    radios = page.locator("#inspect input[value=correct]")
    assert radios.count() == 3
    radios.nth(0).check()
    radios.nth(1).check()
    page.locator("#inspect input[value=wrong]").nth(2).check()
    page.click("#save-verdicts")
    page.wait_for_url(f"**/console/projects/{project.pk}/")
    sample.refresh_from_db()
    assert (sample.status, sample.wrong) == ("done", 1)
    assert page.locator("[data-stat=accuracy]").inner_text() == "67%"
    assert "95% interval" in page.locator("#accuracy-interval").inner_text()
    assert "from the last acceptance sample" in page.locator("#accuracy-source").inner_text()
    verdict = page.locator("#sample-result").inner_text()
    assert verdict.startswith("Accepted" if sample.accepted else "Rejected")
