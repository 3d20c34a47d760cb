"""The Korean morpheme kind with the database: the analysis job after import, answers through
the API, fused results and gold, the Sejong export job, and the demo project."""

from __future__ import annotations

import json
import random

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from datadam.accounts.models import Role
from datadam.datasets.aggregation import results_aggregate
from datadam.datasets.export_jobs import export_create, export_run
from datadam.datasets.models import AggregationState, ItemResult, WorkerEstimate
from datadam.demo.crowd import SPARE_ITEMS
from datadam.demo.morphemes import demo_morphemes
from datadam.kinds.korean_morphemes.analysis import analyse, analyser_name
from datadam.kinds.korean_morphemes.formats import read_tsv
from datadam.kinds.korean_morphemes.jobs import morphemes_analyse
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item
from datadam.projects.services import project_launch
from datadam.quality.services import gold_import

pytestmark = pytest.mark.django_db

TEXTS = ["학교에 갔다.", "친구가 시장에서 사과를 샀다.", "오늘 날씨가 좋네요."]


def tok(start: int, end: int, form: str, tag: str) -> dict:
    return {"start": start, "end": end, "form": form, "tag": tag}


TRUTH = [tok(0, 2, "학교", "NNG"), tok(2, 3, "에", "JKB"), tok(4, 5, "가", "VV"),
         tok(4, 5, "았", "EP"), tok(5, 6, "다", "EF"), tok(6, 7, ".", "SF")]


def project_of(make_project, client_org, texts=TEXTS, **fields):
    project = make_project(items=0, launch=False, kind="korean_morphemes", config={},
                           review_policy="auto", **fields)
    report = items_import(user=client_org[0], project_id=project.pk,
                          lines=parse_records([{"text": t} for t in texts]))
    assert report.ok, report.errors
    return project


def test_import_queues_the_analysis_after_commit_and_the_job_stores_it_once(
    make_project, client_org, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    jobs = DBTaskResult.objects.filter(task_path__endswith="morphemes_analyse_task")
    with django_capture_on_commit_callbacks(execute=True):
        project = project_of(make_project, client_org)
    assert [j["kwargs"] for j in jobs.values_list("args_kwargs", flat=True)] == [
        {"project_id": project.pk}]
    items = list(Item.objects.filter(project=project).order_by("pk"))
    assert all("morphemes" not in i.data for i in items)  # import analysed nothing

    assert morphemes_analyse(project_id=project.pk) == {"analysed": 3, "skipped": 0}
    stored = [i.data for i in Item.objects.filter(project=project).order_by("pk")]
    assert [d["morphemes"] for d in stored] == [analyse(t) for t in TEXTS]
    assert stored[0]["morphemes"] == TRUTH and stored[0]["analyser"] == analyser_name()
    # Twice: nothing left to do, nothing changes.
    assert morphemes_analyse(project_id=project.pk) == {"analysed": 0, "skipped": 0}
    assert [i.data for i in Item.objects.filter(project=project).order_by("pk")] == stored


def test_an_analysis_imported_with_the_item_is_kept(make_project, client_org):
    own = [tok(0, 3, "학교에", "NNG"), tok(4, 6, "갔다", "VV"), tok(6, 7, ".", "SF")]
    project = make_project(items=0, launch=False, kind="korean_morphemes", config={})
    report = items_import(user=client_org[0], project_id=project.pk, lines=parse_records(
        [{"text": TEXTS[0], "morphemes": own}]))
    assert report.ok
    bad = items_import(user=client_org[0], project_id=project.pk, lines=parse_records(
        [{"text": TEXTS[0], "morphemes": own[:1]}]))
    assert not bad.ok and "morphemes" in bad.errors[0]["error"]
    assert morphemes_analyse(project_id=project.pk) == {"analysed": 0, "skipped": 0}
    assert Item.objects.get(project=project).data["morphemes"] == own


def test_answers_are_checked_against_the_items_text_through_the_api(
    make_project, client_org, worker, api
):
    project = project_of(make_project, client_org, texts=TEXTS[:1])
    morphemes_analyse(project_id=project.pk)
    project = project_launch(user=client_org[0], project_id=project.pk)
    me = api(worker)
    task = me.post(f"projects/{project.pk}/next").json()
    assert task["assignment"]["data"]["morphemes"] == TRUTH  # API workers get the analysis too
    url = f"assignments/{task['assignment']['id']}/submit"
    bad = me.post(url, {"answer": {"tokens": TRUTH[:-1]}})
    assert bad.status_code == 422, bad.content
    assert "is in no morpheme" in bad.json()["message"]
    ok = me.post(url, {"answer": {"tokens": TRUTH}})
    assert ok.status_code == 201, ok.content


def test_results_are_fused_per_item_and_gold_is_judged_by_token_f1(
    make_project, client_org, make_user, do_work
):
    project = project_of(make_project, client_org, texts=TEXTS[:1], overlap=3)
    gold_import(user=client_org[0], project_id=project.pk,
                items=[{"data": {"text": TEXTS[0]}, "gold": {"tokens": TRUTH}}])
    project = project_launch(user=client_org[0], project_id=project.pk)
    merged = [tok(0, 3, "학교에", "NNG"), *TRUTH[2:]]
    workers = [make_user(Role.WORKER) for _ in range(3)]
    for w, answer in zip(workers, [TRUTH, TRUTH, merged], strict=True):
        do_work(project, w, {"tokens": answer})
    results_aggregate(project_id=project.pk)
    (row,) = ItemResult.objects.filter(project=project)
    assert [{k: t[k] for k in ("start", "end", "form", "tag")}
            for t in row.result["tokens"]] == TRUTH
    assert row.method == "fusion" and row.label.startswith("학교/NNG+에/JKB")
    f1 = 2 * 4 / (6 + 5)
    assert row.confidence == pytest.approx((1 + 2 * f1) / 3, abs=0.05)
    skills = dict(WorkerEstimate.objects.filter(project=project)
                  .values_list("worker_id", "skill"))
    assert skills[workers[0].pk] == 1.0 and skills[workers[2].pk] == pytest.approx(f1)
    assert AggregationState.objects.get(project=project).chosen == "fusion"


def test_the_sejong_export_job_writes_a_file_that_reads_back(
    make_project, client_org, do_work, worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    project = project_of(make_project, client_org, texts=TEXTS[:2])
    morphemes_analyse(project_id=project.pk)
    project = project_launch(user=client_org[0], project_id=project.pk)
    do_work(project, worker, {"tokens": TRUTH})
    export = export_create(user=client_org[0], project_id=project.pk, fmt="sejong")
    assert export_run(export_id=export.pk)["status"] == "done"
    export.refresh_from_db()
    with default_storage.open(export.file, "rb") as f:
        blocks = read_tsv(f.read().decode())
    assert [b["text"] for b in blocks] == TEXTS[:2]
    assert blocks[0]["tokens"] == TRUTH and blocks[1]["tokens"] is None
    assert export.file.endswith(".tsv")


def test_the_demo_project_is_analysed_worked_on_and_aggregated(client_org, make_user):
    client, org = client_org
    workers = [make_user(Role.WORKER) for _ in range(3)]
    reviewer = make_user(Role.WORKER, reviewer=True)
    (project,) = demo_morphemes(client=client, organization_id=org.pk, workers=workers,
                                reviewer=reviewer, rng=random.Random(7))
    items = Item.objects.filter(project=project)
    assert items.count() == 12 and all("morphemes" in i.data for i in items)
    results = ItemResult.objects.filter(project=project)
    # Every item is answered but the SPARE_ITEMS left for the visitor to try.
    assert results.count() == 10 - SPARE_ITEMS
    assert all(0 < r.confidence <= 1 and r.result["tokens"] for r in results)
    skills = dict(WorkerEstimate.objects.filter(project=project)
                  .values_list("worker_id", "skill"))
    assert skills[workers[0].pk] > skills[workers[2].pk]  # careful beats sloppy


def test_the_task_page_shows_the_analysis_and_a_bad_answer_is_a_form_error(
    make_project, client_org, worker, client
):
    project = project_of(make_project, client_org, texts=TEXTS[:1])
    morphemes_analyse(project_id=project.pk)
    project = project_launch(user=client_org[0], project_id=project.pk)
    client.force_login(worker)
    page = client.get(f"/work/projects/{project.pk}/task/").content.decode()
    assert 'data-km' in page and "korean_morphemes/widget.js" in page
    assert f'"form": {json.dumps("학교")}' in page  # the analysis, as the widget's JSON
    assignment = page.split('name="assignment" value="')[1].split('"')[0]
    url = f"/work/projects/{project.pk}/task/answer/"
    for bad, message in (("not json", "answer must be"),
                         ('{"tokens": [{"start": 0, "end": 2, "form": "학교", "tag": "NNG"}]}',
                          "is in no morpheme")):
        response = client.post(url, {"assignment": assignment, "key": "k", "answer": bad})
        assert response.status_code == 200 and message in response.content.decode()
    response = client.post(url, {"assignment": assignment, "key": "k2",
                                 "answer": json.dumps({"tokens": TRUTH})})
    assert response.status_code in (200, 302)
    assert Item.objects.get(project=project).assignments.get().submissions.get().answer == {
        "tokens": TRUTH}


def test_the_review_card_shows_the_morphemes(make_project, client_org, worker, make_user,
                                             do_work):
    project = project_of(make_project, client_org, texts=TEXTS[:1])
    project.review_policy = "manual"
    project.save(update_fields=["review_policy"])
    project = project_launch(user=client_org[0], project_id=project.pk)
    do_work(project, worker, {"tokens": TRUTH})
    reviewer = Client()
    reviewer.force_login(make_user(Role.WORKER, reviewer=True))
    html = reviewer.get(f"/review/projects/{project.pk}/").content.decode()
    assert 'class="km km-review"' in html
    assert '<span class="km-f">학교</span><span class="km-t">NNG</span>' in html
    assert "6 morphemes" in html


def test_the_wizard_makes_a_project_with_its_pass_score_and_previews_the_sample(client_org):
    from datadam.projects.models import Project

    client = Client()
    client.force_login(client_org[0])
    form = {"name": "형태소", "instructions": "", "reward": "5", "review_reward": "1",
            "overlap": "3", "lease_minutes": "5", "review_policy": "auto",
            "auto_approve_hours": "24", "kind": "korean_morphemes", "labels": "",
            "korean_morphemes__pass_score": "0.85"}
    preview = client.post("/console/preview/", form).content.decode()
    assert "data-km" in preview and "data-autofocus" not in preview
    assert json.dumps("ㅂ니다") in preview  # the shipped analysis of the sample sentence
    assert client.post("/console/new/", form).status_code == 302
    assert Project.objects.get(kind="korean_morphemes").config == {"pass_score": 0.85}
