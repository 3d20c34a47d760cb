"""Span tagging on the platform: submitting through the API (422 for spans that do not fit
the text), the aggregation job with gold, the export jobs, the review card, the demo."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from datadam.accounts.models import Role
from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.export_jobs import export_run
from datadam.datasets.models import AggregationState, ItemResult, WorkerEstimate
from datadam.datasets.selectors import dataset_card
from datadam.demo.crowd import SPARE_ITEMS
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item
from datadam.projects.services import project_launch
from datadam.work.models import Assignment, AssignmentStatus, Submission

pytestmark = pytest.mark.django_db

TEXT = "서울에서 🎉 축제가 열렸다"
CONFIG = {"labels": ["LOC", "EVT"]}
SEOUL = {"start": 0, "end": 2, "label": "LOC"}
FEST = {"start": 7, "end": 9, "label": "EVT"}


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def span_project(make_project, client_org, *, texts=(TEXT,), gold=(), **fields):
    project = make_project(items=0, launch=False, kind="span_tagging", config=CONFIG,
                           review_policy="auto", **fields)
    records = [{"data": {"text": t}, "external_id": f"t{i}"} for i, t in enumerate(texts)]
    records += [{"data": {"text": t}, "gold": g} for t, g in gold]
    report = items_import(user=client_org[0], project_id=project.pk,
                          lines=parse_records(records))
    assert report.ok, report.errors
    return project_launch(user=client_org[0], project_id=project.pk)


def test_the_api_stores_spans_in_code_points_and_refuses_spans_that_do_not_fit_with_422(
    make_project, client_org, worker, api
):
    project = span_project(make_project, client_org)
    client = api(worker)
    assignment = client.post(f"projects/{project.pk}/next").json()["assignment"]
    url = f"assignments/{assignment['id']}/submit"
    for spans, message in [
        ([{"start": 11, "end": 15, "label": "EVT"}], "after the end of the text (14 characters)"),
        ([{"start": 4, "end": 5, "label": "EVT"}], "covers only whitespace"),
        ([SEOUL, {"start": 1, "end": 4, "label": "LOC"}], "overlap"),
        ([{"start": 0, "end": 2, "label": "PER"}], "unknown label"),
        ([{"start": "0", "end": 2, "label": "LOC"}], "whole numbers"),
    ]:
        r = client.post(url, {"answer": {"spans": spans}})
        assert r.status_code == 422, r.content
        assert message in r.json()["message"]
    assert not Submission.objects.exists()
    r = client.post(url, {"answer": {"spans": [FEST, {"start": 0, "end": 3, "label": "LOC"}]}})
    assert r.status_code == 201, r.content
    assert r.json()["answer"] == {"spans": [{"start": 0, "end": 3, "label": "LOC"}, FEST]}


def test_the_job_votes_spans_scores_workers_and_judges_gold_by_span_f1(
    make_project, client_org, make_user, do_work
):
    gold = {"spans": [SEOUL, FEST]}
    project = span_project(make_project, client_org, texts=(TEXT, TEXT),
                           gold=[(TEXT, gold)], overlap=3)
    good, fine, sloppy = (make_user(Role.WORKER) for _ in range(3))
    answers = {good: {"spans": [SEOUL, FEST]}, fine: {"spans": [SEOUL, FEST]},
               sloppy: {"spans": [{"start": 0, "end": 4, "label": "LOC"}]}}
    gold_item = Item.objects.get(project=project, gold__isnull=False)
    now = timezone.now()
    for worker, answer in answers.items():
        for _ in range(2):
            do_work(project, worker, answer)
        assignment = Assignment.objects.create(  # the gold item, answered the same way
            project=project, item=gold_item, worker=worker, status=AssignmentStatus.APPROVED,
            leased_at=now, expires_at=now + timedelta(minutes=5))
        Submission.objects.create(assignment=assignment, duration_ms=5000, answer=answer)
    out = results_aggregate(project_id=project.pk)
    assert out["items"] == 2 and out["gold"] == 1
    rows = list(ItemResult.objects.order_by("item_id").values_list(
        "label", "result", "confidence", "method"))
    for label, result, confidence, method in rows:
        assert (label, method) == ("LOC, EVT", "fusion")
        assert [(s["start"], s["end"], s["label"]) for s in result["spans"]] == [
            (0, 2, "LOC"), (7, 9, "EVT")]
        assert all(0.5 < s["score"] <= 1 for s in result["spans"])
        assert 0 < confidence < 1  # the sloppy answer disagrees
    skills = dict(WorkerEstimate.objects.values_list("worker_id", "skill"))
    # Each is scored against gold and against the vote of the other two answers: for the
    # good ones that is a tie between 서울 and the sloppy 서울에서 (the longer is kept), F1 1/2.
    assert skills[good.pk] == skills[fine.pk] == pytest.approx((1 + 0.5 + 0.5) / 3)
    assert skills[sloppy.pk] == 0.0
    state = AggregationState.objects.get(project=project)
    assert state.gold_total == 1 and state.gold_correct == 1
    card = dataset_card(project)
    assert "exactly the same start and end" in card["correct_means"]


def test_conll_and_spacy_exports_run_as_jobs_and_are_listed_for_the_project(
    make_project, client_org, worker, do_work, api
):
    project = span_project(make_project, client_org, texts=(TEXT, "Seoul Busan"))
    do_work(project, worker, {"spans": [SEOUL, FEST]})
    do_work(project, worker, {"spans": [{"start": 0, "end": 5, "label": "LOC"},
                                        {"start": 6, "end": 11, "label": "LOC"}]})
    client = api(client_org[0])
    formats = client.get(f"projects/{project.pk}/exports").json()["formats"]
    assert [f["slug"] for f in formats][:4] == ["jsonl", "csv", "conll", "spacy"]
    files = {}
    for fmt in ("conll", "spacy"):
        r = client.post(f"projects/{project.pk}/exports", {"format": fmt})
        assert r.status_code == 202, r.content
        export_run(export_id=r.json()["id"])
        done = client.get(f"exports/{r.json()['id']}").json()
        assert done["status"] == "done" and done["items"] == 2, done
        body = client.get(done["download"])
        files[fmt] = b"".join(body.streaming_content).decode("utf-8")
    assert files["conll"] == ("-DOCSTART- -X- O O\n\n서울에서 _ _ B-LOC\n🎉 _ _ O\n"
                              "축제가 _ _ B-EVT\n열렸다 _ _ O\n\n"
                              "-DOCSTART- -X- O O\n\nSeoul _ _ B-LOC\nBusan _ _ B-LOC\n\n")
    first, second = (json.loads(line) for line in files["spacy"].splitlines())
    assert (first["text"], first["spans"]) == (TEXT, [[0, 2, "LOC"], [7, 9, "EVT"]])
    assert second["spans"] == [[0, 5, "LOC"], [6, 11, "LOC"]]


def test_the_review_card_shows_each_span_with_its_words_and_the_text_exactly():
    answer = {"spans": [{**SEOUL, "score": 0.67}, FEST]}
    html = render_to_string("span_tagging/review.html", {
        "item": {"text": "a\r\n" + TEXT}, "answer": answer, "config": {"labels": ["LOC"]}})
    assert "2 spans" in html and "<q>a\r</q>" in html  # the offsets are the stored text's
    assert '"a\\r\\n\\uc11c' in html or "a\\r\\n서" in html  # the JSON copy keeps \r\n
    assert "(0.67)" in html
    empty = render_to_string("span_tagging/review.html", {"item": {"text": TEXT},
                                                          "answer": {"spans": []}})
    assert "No spans" in empty


def test_the_widget_template_carries_the_text_config_and_answer_as_json():
    html = render_to_string("span_tagging/widget.html", {
        "item": {"text": TEXT}, "config": {"labels": ["LOC", "EVT"], "nested": False},
        "answer": {"spans": [SEOUL]}, "readonly": False})
    assert 'data-span-tagger' in html and 'name="answer"' in html
    assert 'data-label="EVT"' in html and "<kbd>2</kbd>" in html
    assert TEXT in html and '"start": 0' in html
    readonly = render_to_string("span_tagging/widget.html", {
        "item": {"text": TEXT}, "config": {"labels": ["LOC"]}, "answer": None, "readonly": True})
    assert "data-readonly" in readonly and 'name="answer"' not in readonly


def test_the_demo_makes_worked_reviewed_and_aggregated_span_projects(
    client_org, make_user, reviewer
):
    from datadam.demo.spans import demo_spans

    workers = [make_user(Role.WORKER) for _ in range(3)]
    projects = demo_spans(client=client_org[0], organization_id=client_org[1].pk,
                          workers=workers, reviewer=reviewer, rng=random.Random(7))
    assert [p.config["nested"] for p in projects] == [False, True]
    for project in projects:
        assert Item.objects.filter(project=project, gold__isnull=False).count() == 2
        results = ItemResult.objects.filter(project=project)
        # Items whose every answer was returned have none; SPARE_ITEMS wait for the visitor.
        assert results.count() >= 6 - SPARE_ITEMS
        assert all(r.result["spans"] for r in results)
    truth_hits = 0
    flat = projects[0]
    from datadam.kinds import get_kind

    kind = get_kind("span_tagging")
    for result in ItemResult.objects.filter(project=flat).select_related("item"):
        # Workers saw texts made from templates: each result is judged against the careful
        # worker's answer, which is the truth.
        careful = Submission.objects.filter(assignment__item=result.item,
                                            assignment__worker=workers[0]).first()
        if careful and kind.answer_matches(result.result, careful.answer, flat.config):
            truth_hits += 1
    assert truth_hits >= 6 - SPARE_ITEMS


WIZARD = {"name": "NER", "instructions": "", "reward": "5", "review_reward": "1",
          "overlap": "3", "lease_minutes": "5", "review_policy": "manual",
          "auto_approve_hours": "24"}


def test_the_wizard_makes_a_span_project_shows_its_settings_again_and_previews_the_widget(
    client_org
):
    from django.test import Client

    from datadam.projects.models import Project

    user, _org = client_org
    client = Client()
    client.force_login(user)
    response = client.post("/console/new/", {
        **WIZARD, "kind": "span_tagging", "labels": "PER\nLOC",
        "span_tagging__colors": "PER: #112233", "span_tagging__nested": ["yes"],
        "span_tagging__boundary_tolerance": "1", "span_tagging__min_agreement": "0,6",
        "span_tagging__pass_score": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get()
    assert project.config == {
        "labels": ["PER", "LOC"], "colors": {"PER": "#112233", "LOC": "#3cb44b"},
        "nested": True, "boundary_tolerance": 1, "min_agreement": 0.6, "pass_score": 0.8}
    html = client.get(f"/console/projects/{project.pk}/edit/").content.decode()
    # (PostgreSQL's jsonb keeps a mapping's keys in its own order, so either line may lead.)
    assert "PER: #112233" in html and "LOC: #3cb44b" in html
    bad = client.post("/console/new/", {**WIZARD, "kind": "span_tagging", "labels": "PER",
                                        "span_tagging__boundary_tolerance": "1.5"})
    assert bad.status_code == 200 and "whole number of characters" in bad.content.decode()
    preview = client.post("/console/preview/", {"kind": "span_tagging", "labels": "PER\nLOC"})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "data-span-tagger" in body and "Kim Min-jun flew from Seoul" in body
