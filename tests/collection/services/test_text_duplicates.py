"""Near-duplicate answers of the writing kinds: an answer repeating an earlier one of the same
worker, of another worker in the project or of another project of the client is stored with
a warning naming where, or refused where the project blocks duplicates; other clients' texts,
the same item's other answers and short texts are never compared; the lookup reads a bounded
number of rows whatever the client holds."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from datadam.accounts.models import Role
from datadam.collection.fingerprints import text as tp
from datadam.collection.models import Fingerprint, TextBand
from datadam.collection.textdedup import (
    TextMatch,
    answer_text,
    excerpt,
    text_duplicates,
    text_fingerprint_record,
)
from datadam.errors import InvalidInput
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Project
from datadam.projects.services import project_launch
from datadam.review.models import Decision
from datadam.review.services import review_decide
from datadam.work.models import Submission
from datadam.work.services import assignment_claim, assignment_submit

pytestmark = pytest.mark.django_db

SOURCES = ["한강은 서울 한가운데를 흐른다.", "제주도는 한국에서 가장 큰 섬이다.",
           "설악산은 강원도에 있는 산이다.", "부산은 한국의 큰 항구 도시이다."]
TEXT = ("서울을 가로지르는 강에는 다리가 많고, 여름 저녁이면 강가 공원에 사람들이 모여 산책을 "
        "하거나 자전거를 타며, 밤에는 다리의 조명이 물에 비쳐 경치가 무척 아름답다.")
NEAR = TEXT.replace("무척 아름답다.", "무척 아름답습니다!").replace(", ", " ")
OTHER = ("제주도는 우리나라에서 제일 큰 섬으로, 가운데에 한라산이 솟아 있고 바닷가에는 검은 "
         "현무암이 많으며 감귤 농사로 잘 알려져 있다.")


def writing_project(make_project, owner, *, overlap: int = 1, **config) -> Project:
    project = make_project(items=0, launch=False, kind="writing_summary", overlap=overlap,
                           owner=owner, config={"min_chars": 5, **config})
    report = items_import(user=owner[0], project_id=project.pk, lines=parse_records(
        [{"data": {"source": s, "source_language": "ko"}} for s in SOURCES]))
    assert report.ok, report.errors
    return project_launch(user=owner[0], project_id=project.pk)


def send(project: Project, worker, text: str) -> Submission:
    assignment = assignment_claim(worker=worker, project_id=project.pk)
    assert assignment is not None
    submission, _created = assignment_submit(worker=worker, assignment_id=assignment.pk,
                                             answer={"text": text})
    return submission


def duplicates_of(submission: Submission) -> list[dict]:
    return [c for c in submission.answer.get("checks", []) if c["check"] == "duplicate"]


def test_a_workers_near_copy_of_their_own_answer_is_stored_with_a_warning(
    make_project, client_org, make_user
):
    project = writing_project(make_project, client_org)
    worker = make_user(Role.WORKER)
    first = send(project, worker, TEXT)
    assert "checks" not in first.answer  # nothing earlier to repeat
    second = send(project, worker, NEAR)
    (finding,) = duplicates_of(second)
    assert finding["scope"] == "worker" and finding["submission"] == first.pk
    assert 0.8 <= finding["similarity"] <= 1 and finding["excerpt"] == TEXT  # under 120
    assert send(project, worker, OTHER).answer.get("checks") is None  # a text of its own
    assert Fingerprint.objects.filter(media_kind="text").count() == 3
    assert TextBand.objects.count() == 3 * 16


def test_a_project_that_blocks_duplicates_refuses_a_repeat_with_a_422_naming_where(
    make_project, client_org, make_user, api
):
    project = writing_project(make_project, client_org, blocking=["length", "duplicate"])
    assert project.config["duplicates"] == "block"
    worker = api(make_user(Role.WORKER))
    first = worker.post(f"projects/{project.pk}/next").json()["assignment"]
    assert worker.post(f"assignments/{first['id']}/submit",
                       {"answer": {"text": TEXT}}).status_code in (200, 201)
    second = worker.post(f"projects/{project.pk}/next").json()["assignment"]
    r = worker.post(f"assignments/{second['id']}/submit", {"answer": {"text": NEAR}})
    assert r.status_code == 422
    assert r.json()["message"].startswith("This answer repeats one you sent before (")
    assert Submission.objects.count() == 1
    other = api(make_user(Role.WORKER))
    third = other.post(f"projects/{project.pk}/next").json()["assignment"]
    r = other.post(f"assignments/{third['id']}/submit", {"answer": {"text": TEXT}})
    assert r.status_code == 422 and "already sent in this project" in r.json()["message"]
    r = other.post(f"assignments/{third['id']}/submit", {"answer": {"text": OTHER}})
    assert r.status_code in (200, 201)


def test_another_workers_copy_is_a_project_duplicate_and_another_projects_a_client_one(
    make_project, client_org, make_user, make_client_org
):
    first_project = writing_project(make_project, client_org)
    second_project = writing_project(make_project, client_org)
    stranger_project = writing_project(make_project, make_client_org())
    author, copier = make_user(Role.WORKER), make_user(Role.WORKER)
    original = send(first_project, author, TEXT)
    in_project = send(first_project, copier, NEAR)
    assert [(c["scope"], c["submission"]) for c in duplicates_of(in_project)] == [
        ("project", original.pk)]
    elsewhere = send(second_project, copier, TEXT)
    found = duplicates_of(elsewhere)
    # Both earlier texts are found, best first: the author's (identical) from the other
    # project, then the copier's own near copy.
    assert [(c["scope"], c["submission"]) for c in found] == [
        ("client", original.pk), ("worker", in_project.pk)]
    assert found[0]["similarity"] == 1.0 and found[0]["similarity"] >= found[1]["similarity"]
    # Another organization's index is its own: nothing found there.
    assert duplicates_of(send(stranger_project, copier, TEXT)) == []


def test_the_same_items_other_answers_and_its_revisions_are_not_duplicates(
    make_project, client_org, make_user, reviewer
):
    project = writing_project(make_project, client_org, overlap=2)
    one, two = make_user(Role.WORKER), make_user(Role.WORKER)
    first = send(project, one, TEXT)
    agreeing = send(project, two, TEXT)  # the same item: agreement, not a copy
    assert agreeing.assignment.item_id == first.assignment.item_id
    assert duplicates_of(agreeing) == []
    review_decide(reviewer=reviewer, submission_id=first.pk, decision=Decision.RETURN,
                  reason_code="incomplete", comment="")
    revised, _created = assignment_submit(worker=one, assignment_id=first.assignment_id,
                                          answer={"text": NEAR})
    assert revised.revision == 1 and duplicates_of(revised) == []
    # The revision's fingerprint replaced the first one's.
    assert set(Fingerprint.objects.values_list("submission_id", flat=True)) == {
        agreeing.pk, revised.pk}


def test_off_looks_for_nothing_but_still_records_and_short_texts_are_left_out(
    make_project, client_org, make_user
):
    project = writing_project(make_project, client_org, duplicates="off")
    worker = make_user(Role.WORKER)
    send(project, worker, TEXT)
    assert duplicates_of(send(project, worker, TEXT)) == []
    assert Fingerprint.objects.count() == 2
    send(project, worker, "네, 맞아요. 좋아요.")  # under 20 letters: not fingerprinted
    assert Fingerprint.objects.count() == 2
    assert text_duplicates(organization_id=project.organization_id, project_id=project.pk,
                           worker_id=worker.pk, text="네, 맞아요. 좋아요.") == []


def test_the_lookup_reads_the_same_few_rows_however_many_texts_the_client_holds(
    make_project, client_org, make_user, django_assert_num_queries
):
    project = writing_project(make_project, client_org)
    worker = make_user(Role.WORKER)
    submission = send(project, worker, OTHER)
    org = project.organization_id

    def look() -> list[TextMatch]:
        return text_duplicates(organization_id=org, project_id=project.pk,
                               worker_id=worker.pk, text=TEXT)

    with django_assert_num_queries(1):
        assert look() == []  # no band shared: one query
    for n in range(40):  # many texts sharing bands with TEXT
        text_fingerprint_record(organization_id=org, project_id=project.pk,
                                worker_id=worker.pk, submission_id=submission.pk,
                                text=f"{TEXT} {n}번째")
    with django_assert_num_queries(3):  # bands, candidates, the matches' answers
        matches = look()
    assert len(matches) == 5 and all(m.scope == "worker" for m in matches)
    assert [m.similarity for m in matches] == sorted((m.similarity for m in matches),
                                                     reverse=True)


def test_signatures_and_bands_are_stored_as_the_plain_module_computes_them(
    make_project, client_org, make_user
):
    project = writing_project(make_project, client_org)
    submission = send(project, make_user(Role.WORKER), TEXT)
    row = Fingerprint.objects.get(submission=submission)
    assert row.hash is None and row.media_kind == "text"
    assert bytes(row.signature) == tp.to_bytes(tp.minhash(TEXT))
    assert sorted(TextBand.objects.filter(fingerprint=row).values_list("band", "value")) == (
        list(enumerate(tp.bands(tp.minhash(TEXT)))))


def test_a_stored_answers_text_reads_in_order_without_meta_checks_or_speakers():
    assert answer_text({"pairs": [{"answer": "서울", "question": "어디?"}],
                        "meta": {"pastes": 1}, "checks": [{"check": "copy"}]}) == "어디?\n서울"
    assert answer_text({"turns": [{"text": "안녕하세요", "speaker": "A"}]}) == "안녕하세요"
    assert answer_text({"sentences": [" 하나 ", "", "둘"]}) == "하나\n둘"
    assert excerpt("첫 줄\n둘째 줄") == "첫 줄 둘째 줄"
    assert excerpt("가" * 300) == "가" * 119 + "…"


def test_a_blocked_repeat_is_refused_by_the_submit_service_with_its_reason(
    make_project, client_org, make_user
):
    project = writing_project(make_project, client_org, blocking=["length", "duplicate"])
    worker = make_user(Role.WORKER)
    send(project, worker, TEXT)
    with pytest.raises(InvalidInput, match="repeats one you sent before"):
        send(project, worker, TEXT)


def test_the_band_lookup_probes_the_organization_band_value_index_for_each_band(
    make_project, client_org, make_user
):
    project = writing_project(make_project, client_org)
    submission = send(project, make_user(Role.WORKER), OTHER)
    fingerprint = Fingerprint.objects.get(submission=submission)
    rng = random.Random(5)
    TextBand.objects.bulk_create([  # a client with many texts (values at random)
        TextBand(fingerprint=fingerprint, organization_id=project.organization_id,
                 band=n % 16, value=rng.getrandbits(63)) for n in range(4000)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        text_duplicates(organization_id=project.organization_id, project_id=project.pk,
                        worker_id=0, text=TEXT)
    (lookup,) = queries.captured_queries  # nothing shared: the band query alone
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + lookup["sql"])
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert plan.count("textband_lookup_idx (organization_id=? AND band=? AND "
                              "value=?)") == 16, plan
        else:
            cursor.execute("EXPLAIN " + lookup["sql"])
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert plan.count("Index Cond: ((organization_id =") == 16, plan
            assert "textband_lookup_idx" in plan and "Seq Scan" not in plan, plan
