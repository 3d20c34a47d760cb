"""CSV and JSONL writers, read back with the csv and json modules (no database)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from datadam.kinds import tabular
from datadam.kinds.exporting import ExportContext, ExportOptions

ANSWERS = [
    {"answer_id": 31, "submission_id": 1, "worker_id": 7, "assignment_status": "approved",
     "revision": 1, "latest": True, "answer": {"label": "pos"}, "duration_ms": 1200,
     "submitted_at": "2026-12-01T10:00:00+00:00",
     "review": {"decision": "approve", "reason_code": "", "comment": "=HYPERLINK(1)",
                "reviewer_id": 2, "automatic": False}},
    {"answer_id": 32, "submission_id": 2, "worker_id": 8, "assignment_status": "submitted",
     "revision": 1, "latest": True, "answer": {"label": "neg"}, "duration_ms": 900,
     "submitted_at": "2026-12-01T10:01:00+00:00", "review": None},
]
RECORDS = [
    {"item_id": 1, "external_id": "r-1", "data": {"text": "좋아요, \"very\"\ngood"},
     "result": {"label": "pos", "confidence": 0.83, "answers": 2, "provisional": True,
                "method": "ds"}, "answers": ANSWERS},
    {"item_id": 2, "external_id": "", "data": {"image": "https://img.test/2.jpg"},
     "result": {"boxes": [{"label": "car", "box": [1, 2, 3, 4]}, {"label": "car",
                                                                 "box": [5, 6, 7, 8]}],
                "confidence": 0.5, "answers": 1, "provisional": False, "method": "fusion"},
     "answers": []},
    {"item_id": 3, "external_id": "", "data": {"text": "x"}, "result": None, "answers": []},
]


def ctx(**options):
    return ExportContext(project_id=1, name="P", kind="text_classification", config={},
                         options=ExportOptions(**options))


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_csv_one_row_per_item():
    got = rows(b"".join(tabular.write_csv(ctx(), RECORDS)))
    assert list(got[0]) == list(tabular.ITEM_COLUMNS)
    first, second, third = got
    assert first["item_id"] == "1" and first["external_id"] == "r-1"
    assert json.loads(first["data"]) == RECORDS[0]["data"]
    assert first["label"] == "pos" and json.loads(first["result"]) == {"label": "pos"}
    assert (first["confidence"], first["answers"], first["provisional"], first["method"]) == (
        "0.83", "2", "true", "ds")
    assert second["image"] == "https://img.test/2.jpg"
    assert second["label"] == ""  # without the kind's summary only class labels are read
    assert len(json.loads(second["result"])["boxes"]) == 2
    assert third["result"] == "" and third["confidence"] == ""


def test_csv_with_answers_has_one_row_per_item_per_answer():
    got = rows(b"".join(tabular.write_csv(ctx(answers=True), RECORDS)))
    assert list(got[0]) == [*tabular.ITEM_COLUMNS, *tabular.ANSWER_COLUMNS]
    assert [(r["item_id"], r["answer_id"], r["worker_id"], r["review_decision"]) for r in got] == [
        ("1", "31", "7", "approve"), ("1", "32", "8", ""), ("2", "", "", ""), ("3", "", "", "")]
    assert got[0]["review_comment"] == "'=HYPERLINK(1)"  # not run as a formula
    assert json.loads(got[1]["answer"]) == {"label": "neg"}
    assert got[0]["label"] == got[1]["label"] == "pos"


def test_jsonl_is_one_record_a_line():
    lines = b"".join(tabular.write_jsonl(ctx(), RECORDS)).decode().splitlines()
    assert [json.loads(line) for line in lines] == RECORDS


def test_media_included_zips_the_file_with_our_images():
    files = {"/media/a.jpg": b"\xff\xd8\xffA"}
    records = [{"item_id": 1, "external_id": "", "data": {"image": "/media/a.jpg"},
                "result": None, "answers": []},
               {"item_id": 2, "external_id": "", "data": {"image": "https://x.test/b.jpg"},
                "result": None, "answers": []}]
    context = ExportContext(project_id=1, name="P", kind="bounding_box", config={},
                            options=ExportOptions(media="include"),
                            open_media=lambda r: io.BytesIO(files[r]) if r in files else None)
    zf = zipfile.ZipFile(io.BytesIO(b"".join(tabular.write_csv(context, records))))
    assert zf.read("images/a.jpg") == files["/media/a.jpg"]
    assert [r["file"] for r in rows(zf.read("data.csv"))] == ["images/a.jpg", ""]
    zf = zipfile.ZipFile(io.BytesIO(b"".join(tabular.write_jsonl(context, records))))
    assert [json.loads(x)["file"] for x in zf.read("data.jsonl").splitlines()] == [
        "images/a.jpg", ""]
    assert tabular.served_as(tabular.CSV, "include") == ("zip", "application/zip")
    assert tabular.served_as(tabular.CSV, "reference")[0] == "csv"


def test_the_csv_label_is_the_kinds_own_summary_when_the_context_gives_it():
    from dataclasses import replace

    def boxes(result):
        return ", ".join(b["label"] for b in result["boxes"])

    got = rows(b"".join(tabular.write_csv(replace(ctx(), summarise=boxes), RECORDS[1:2])))
    assert got[0]["label"] == "car, car"
