"""``datadam aggregate`` reads crowd CSV, writes results, and refuses bad input cleanly."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from datadam.cli import main as datadam_main

LABELS = """worker,task,label
w1,t1,cat
w2,t1,cat
w3,t1,dog
w1,t2,dog
w2,t2,dog
w3,t2,dog
w1,t3,cat
w2,t3,dog
w3,t3,dog
"""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("method", ["mv", "wmv", "ds", "ods", "glad", "mace", "auto"])
def test_every_method_writes_one_row_per_task(tmp_path: Path, method: str) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS, encoding="utf-8")
    out, workers = tmp_path / "result.csv", tmp_path / "workers.csv"
    code = datadam_main(
        ["aggregate", "--labels", str(labels), "--method", method, "--out", str(out),
         "--workers-out", str(workers)]
    )
    assert code == 0
    rows = {r["task"]: r for r in _rows(out)}
    assert set(rows) == {"t1", "t2", "t3"}
    assert rows["t1"]["label"] == "cat" and rows["t2"]["label"] == "dog"
    assert all(0.0 <= float(r["confidence"]) <= 1.0 for r in rows.values())
    assert {r["worker"] for r in _rows(workers)} == {"w1", "w2", "w3"}


def test_gold_answers_override_the_crowd(tmp_path: Path) -> None:
    labels, gold, out = tmp_path / "l.csv", tmp_path / "g.csv", tmp_path / "o.csv"
    labels.write_text(LABELS, encoding="utf-8")
    gold.write_text("task,label\nt3,cat\n", encoding="utf-8")
    assert datadam_main(["aggregate", "--labels", str(labels), "--method", "mv",
                         "--gold", str(gold), "--out", str(out)]) == 0
    assert {r["task"]: r["label"] for r in _rows(out)}["t3"] == "cat"


def test_missing_column_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels, out = tmp_path / "l.csv", tmp_path / "o.csv"
    labels.write_text("worker,item,label\nw1,t1,cat\n", encoding="utf-8")
    assert datadam_main(["aggregate", "--labels", str(labels), "--out", str(out)]) == 2
    assert "task" in capsys.readouterr().err
    assert not out.exists()


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = datadam_main(
        ["aggregate", "--labels", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")]
    )
    assert code == 2
    assert "nope.csv" in capsys.readouterr().err


def test_console_script_runs_without_a_database(tmp_path: Path) -> None:
    labels, out = tmp_path / "l.csv", tmp_path / "o.csv"
    labels.write_text(LABELS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "datadam.cli", "aggregate", "--labels", str(labels),
         "--out", str(out), "--method", "ds"],
        capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert len(_rows(out)) == 3
