"""CSV reading and writing of crowd labels, gold answers and aggregation results."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from datadam.quality.aggregation import (
    AggregationInputError,
    aggregate,
    read_gold_csv,
    read_labels_csv,
    write_result_csv,
    write_workers_csv,
)
from datadam.quality.aggregation import io as aggregation_io

LABELS = "worker,task,label\nw1,t1,cat\nw2,t1,cat\nw3,t1,dog\nw1,t2,dog\nw2,t2,dog\n"


def test_read_labels_csv_returns_three_aligned_string_arrays(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(LABELS)
    table = read_labels_csv(path)
    assert table.workers.tolist() == ["w1", "w2", "w3", "w1", "w2"]
    assert table.tasks.tolist() == ["t1", "t1", "t1", "t2", "t2"]
    assert table.labels.tolist() == ["cat", "cat", "dog", "dog", "dog"]


def test_read_labels_csv_accepts_text_and_binary_file_objects_any_column_order_and_bom() -> None:
    text = "\ufefflabel,extra,Task,worker\r\ncat,x,t1,w1\r\n\r\ndog,y,t2,w2\r\n"
    for source in (io.StringIO(text), io.BytesIO(text.encode("utf-8"))):
        table = read_labels_csv(source)
        assert table.workers.tolist() == ["w1", "w2"]
        assert table.tasks.tolist() == ["t1", "t2"]
        assert table.labels.tolist() == ["cat", "dog"]


def test_read_labels_csv_streams_in_chunks_and_keeps_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(aggregation_io, "_CHUNK_ROWS", 2)
    text = "worker,task,label\n" + "".join(f"w{i},t{i},{'x' * (i % 3 + 1)}\n" for i in range(7))
    table = read_labels_csv(io.StringIO(text))
    assert table.workers.tolist() == [f"w{i}" for i in range(7)]
    assert table.labels.tolist() == ["x", "xx", "xxx", "x", "xx", "xxx", "x"]


def test_read_labels_csv_keeps_quoted_commas_in_values() -> None:
    table = read_labels_csv(io.StringIO('worker,task,label\nw1,"t,1","a ""b"""\n'))
    assert table.tasks.tolist() == ["t,1"] and table.labels.tolist() == ['a "b"']


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file, expected a header row with columns worker,task,label"),
        ("worker,task,answer\nw,t,a\n", "line 1: missing column 'label'"),
        ("worker,task,label\n", "no label rows after the header"),
        ("worker,task,label\nw1,t1,a\nw2,t2\n", "line 3: expected 3 fields, got 2"),
        ("worker,task,label\nw1,t1,a\nw2,,b\n", "line 3, column 'task': empty value"),
    ],
)
def test_bad_label_csv_raises_input_error_naming_line_and_column(text: str, message: str) -> None:
    with pytest.raises(AggregationInputError, match=message):
        read_labels_csv(io.StringIO(text))


def test_read_labels_csv_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("who,task,label\n")
    with pytest.raises(AggregationInputError, match="broken.csv: line 1: missing column 'worker'"):
        read_labels_csv(path)


def test_read_gold_csv_accepts_label_or_true_label_column() -> None:
    assert read_gold_csv(io.StringIO("task,true_label\nt1,cat\nt2,dog\n")) == {
        "t1": "cat",
        "t2": "dog",
    }
    assert read_gold_csv(io.StringIO("label,task\ncat,t1\n")) == {"t1": "cat"}
    assert read_gold_csv(io.StringIO("task,label\n")) == {}


def test_read_gold_csv_rejects_conflicting_answers_and_missing_columns() -> None:
    with pytest.raises(AggregationInputError, match="line 3: task 't1' has conflicting gold"):
        read_gold_csv(io.StringIO("task,label\nt1,cat\nt1,dog\n"))
    with pytest.raises(AggregationInputError, match="missing column 'true_label' or 'label'"):
        read_gold_csv(io.StringIO("task,answer\nt1,cat\n"))
    with pytest.raises(AggregationInputError, match="empty file"):
        read_gold_csv(io.StringIO(""))


def test_results_and_worker_skills_are_written_as_csv(tmp_path: Path) -> None:
    table = read_labels_csv(io.StringIO(LABELS))
    result = aggregate(*table, method="mv", gold={"t2": "dog"})
    out = tmp_path / "result.csv"
    write_result_csv(result, out)
    assert out.read_text() == "task,label,confidence\nt1,cat,0.666667\nt2,dog,1.000000\n"
    buffer = io.StringIO()
    write_workers_csv(result, buffer)
    assert buffer.getvalue().splitlines() == [
        "worker,skill,n_labels",
        "w1,1.000000,2",
        "w2,1.000000,2",
        "w3,0.000000,1",
    ]


def test_written_results_read_back_as_gold(tmp_path: Path) -> None:
    table = read_labels_csv(io.StringIO(LABELS))
    result = aggregate(*table, method="ds")
    out = tmp_path / "result.csv"
    with out.open("wb") as handle:
        write_result_csv(result, handle)
    assert read_gold_csv(out) == {"t1": "cat", "t2": "dog"}
