"""CSV input/output for crowd labels, gold answers and results (streamed with the csv module)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, NamedTuple

import numpy as np

from .errors import AggregationInputError
from .result import AggregationResult

__all__ = [
    "LabelTable",
    "read_gold_csv",
    "read_labels_csv",
    "write_result_csv",
    "write_workers_csv",
]

Source = str | os.PathLike[str] | IO[str] | IO[bytes]
_CHUNK_ROWS = 65_536


class LabelTable(NamedTuple):
    """Crowd labels read from CSV: three aligned string arrays."""

    workers: np.ndarray
    tasks: np.ndarray
    labels: np.ndarray


def _name(source: Source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return str(getattr(source, "name", "<file>"))


@contextmanager
def _open_text(source: Source, mode: str) -> Iterator[IO[str]]:
    """Yield a text stream for a path or an open (text or binary) file object."""
    if isinstance(source, (str, os.PathLike)):
        encoding = "utf-8-sig" if mode == "r" else "utf-8"
        with open(source, mode, newline="", encoding=encoding) as handle:
            yield handle
        return
    file_mode = getattr(source, "mode", "")
    binary = isinstance(file_mode, str) and "b" in file_mode
    if binary or isinstance(source, (io.RawIOBase, io.BufferedIOBase)):
        encoding = "utf-8-sig" if mode == "r" else "utf-8"
        wrapper = io.TextIOWrapper(source, encoding=encoding, newline="")  # type: ignore[arg-type]
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()
        return
    yield source  # type: ignore[misc]


def _columns(
    reader: Any, name: str, wanted: Sequence[Sequence[str]]
) -> tuple[list[int], list[str]]:
    """Positions of the wanted columns (each given as alternative names) in the header row."""
    try:
        header = next(reader)
    except StopIteration:
        expected = ",".join(alts[0] for alts in wanted)
        raise AggregationInputError(
            f"{name}: empty file, expected a header row with columns {expected}"
        ) from None
    except csv.Error as exc:
        raise AggregationInputError(f"{name}: line 1: malformed CSV ({exc})") from exc
    cleaned = [h.replace("\ufeff", "").strip().lower() for h in header]
    positions, chosen = [], []
    for alts in wanted:
        hit = next((a for a in alts if a in cleaned), None)
        if hit is None:
            raise AggregationInputError(
                f"{name}: line 1: missing column {' or '.join(repr(a) for a in alts)} in header "
                f"{header!r}"
            )
        positions.append(cleaned.index(hit))
        chosen.append(hit)
    return positions, chosen


def _rows(reader: Any, name: str, positions: list[int], chosen: list[str]) -> Iterator[list[str]]:
    """Yield the wanted fields of every non-blank row, checking for short rows and empty values."""
    need = max(positions) + 1
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < need:
                raise AggregationInputError(
                    f"{name}: line {reader.line_num}: expected {need} fields, got {len(row)}"
                )
            values = [row[p] for p in positions]
            for value, col in zip(values, chosen, strict=True):
                if not value.strip():
                    raise AggregationInputError(
                        f"{name}: line {reader.line_num}, column {col!r}: empty value"
                    )
            yield values
    except csv.Error as exc:
        raise AggregationInputError(
            f"{name}: line {reader.line_num}: malformed CSV ({exc})"
        ) from exc


def read_labels_csv(source: Source) -> LabelTable:
    """Read ``worker,task,label`` rows (header required, any column order, extra columns ignored).

    Values are kept as strings. Raises :class:`AggregationInputError` for an empty file, a
    missing column, a short row, an empty value (naming line and column) or no data rows.
    """
    name = _name(source)
    chunks: tuple[list[np.ndarray], ...] = ([], [], [])
    buffers: tuple[list[str], ...] = ([], [], [])
    workers, tasks, labels = buffers

    def flush() -> None:  # bounded Python-object memory: keep rows as numpy arrays
        for chunk, buffer in zip(chunks, buffers, strict=True):
            if buffer:
                chunk.append(np.asarray(buffer))
                buffer.clear()

    with _open_text(source, "r") as handle:
        reader = csv.reader(handle)
        positions, chosen = _columns(reader, name, [("worker",), ("task",), ("label",)])
        for w, t, y in _rows(reader, name, positions, chosen):
            workers.append(w)
            tasks.append(t)
            labels.append(y)
            if len(labels) == _CHUNK_ROWS:
                flush()
    flush()
    if not chunks[2]:
        raise AggregationInputError(f"{name}: no label rows after the header")
    return LabelTable(*(np.concatenate(chunk) for chunk in chunks))


def read_gold_csv(source: Source) -> dict[str, str]:
    """Read gold answers from ``task,label`` or ``task,true_label`` columns into a dict.

    A task listed twice with different labels is an error; a header-only file gives ``{}``.
    """
    name = _name(source)
    gold: dict[str, str] = {}
    with _open_text(source, "r") as handle:
        reader = csv.reader(handle)
        positions, chosen = _columns(reader, name, [("task",), ("true_label", "label")])
        for task, label in _rows(reader, name, positions, chosen):
            previous = gold.setdefault(task, label)
            if previous != label:
                raise AggregationInputError(
                    f"{name}: line {reader.line_num}: task {task!r} has conflicting gold labels "
                    f"{previous!r} and {label!r}"
                )
    return gold


def _write(target: Source, header: list[str], rows: Iterator[Sequence[Any]]) -> None:
    with _open_text(target, "w") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_result_csv(result: AggregationResult, target: Source) -> None:
    """Write ``task,label,confidence`` (confidence with 6 decimals), one row per task."""
    rows = zip(
        result.tasks.tolist(),
        result.labels.tolist(),
        (f"{c:.6f}" for c in result.confidence.tolist()),
        strict=True,
    )
    _write(target, ["task", "label", "confidence"], rows)


def write_workers_csv(result: AggregationResult, target: Source) -> None:
    """Write ``worker,skill,n_labels`` (skill = estimated accuracy, 6 decimals)."""
    rows = zip(
        result.workers.tolist(),
        (f"{s:.6f}" for s in result.worker_skill.tolist()),
        result.worker_n_labels.tolist(),
        strict=True,
    )
    _write(target, ["worker", "skill", "n_labels"], rows)
