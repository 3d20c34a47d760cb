"""The Hugging Face ``datasets`` export of every kind (pyarrow; no Django).

A zip of a dataset folder that ``datasets.load_dataset(<folder>)`` loads as it is::

    README.md                             YAML header (configs, features, split size) and
                                          the dataset card: measured accuracy and more
    data/train-00000-of-00001.parquet     one row per item, in item-id order
    images/ (or audio/, videos/)          with media included: our own files

The Parquet file is written row group by row group while the records stream past (at most
``ROWS`` rows or about ``BYTES`` of text held at once), into a temporary file that is then
copied into the zip, so memory stays flat whatever the number of items. Columns::

    item_id, external_id, <simple item fields>, [file], data, label, result, confidence,
    answers, provisional, method, [individual_answers]

The simple item fields are the item's ``text``, ``image``, ``audio``, ``video`` (URLs or
paths), ``width``, ``height`` and ``duration`` where the first row group's items have them
(an item without one, or with another type, has null there). ``data`` and ``result`` are
JSON strings (the item's data; the kind's result without its confidence, answers,
provisional and method, which have columns of their own). ``label`` is the class label of a
classification result (the labels joined by ", " for a multi-label one), null for other
kinds. ``file``: the file's path in the folder, with media included. ``individual_answers``:
every answer of the item as JSON, when they were asked for. The same data gives the same
bytes (no dates in the Parquet file; the zip's entries carry a fixed one).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from .archive import FLUSH_AT, Media, ZipStream
from .exporting import ExportContext, ExportFormat, Record

DATA_FILE = "data/train-00000-of-00001.parquet"
ROWS = 5_000
BYTES = 32 << 20
#: Item fields given columns of their own when present, and their Arrow types.
SIMPLE_FIELDS: dict[str, pa.DataType] = {
    "text": pa.string(), "image": pa.string(), "audio": pa.string(), "video": pa.string(),
    "width": pa.int64(), "height": pa.int64(), "duration": pa.float64(),
}
#: Where media files go in the folder, by the item field that names them.
MEDIA_FOLDERS = {"image": "images", "audio": "audio", "video": "videos"}
RESULT_META = ("confidence", "answers", "provisional", "method")
#: What each column holds, for the card.
COLUMN_HELP = {
    "item_id": "the item's id in datadam",
    "external_id": "the item's id in the client's own system, as imported",
    "text": "the item's text", "image": "the image's URL or path",
    "audio": "the audio file's URL or path", "video": "the video's URL or path",
    "width": "width in pixels", "height": "height in pixels",
    "duration": "length in seconds",
    "file": "the media file's path in this folder (empty: not included, see data)",
    "data": "the item's data as JSON",
    "label": "the class label (the labels joined by \", \" when several; null for other kinds)",
    "result": "the aggregated result as JSON (the kind's own keys)",
    "confidence": "how sure the result is, 0 to 1 (posterior, or the answers' agreement)",
    "answers": "how many answers the result rests on",
    "provisional": "true while an answer it rests on still awaits review",
    "method": "how the answers were combined",
    "individual_answers": "every answer with its worker id and review, as JSON",
}


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _label(result: Any) -> str | None:
    if not isinstance(result, dict):
        return None
    if isinstance(result.get("label"), str):
        return result["label"]
    if isinstance(result.get("labels"), list):
        return ", ".join(str(v) for v in result["labels"])
    return None


def _simple(value: Any, kind: pa.DataType) -> Any:
    """An item field's value if it fits the column's type, else null."""
    if isinstance(value, bool):
        return None
    if kind == pa.string():
        return value if isinstance(value, str) else None
    if kind == pa.int64():
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value if isinstance(value, int) and abs(value) < 1 << 62 else None
    return float(value) if isinstance(value, int | float) else None


def media_reference(data: Any) -> tuple[str, str] | None:
    """(field, reference) of the item's media file, if it names one."""
    if isinstance(data, dict):
        for field in MEDIA_FOLDERS:
            if isinstance(data.get(field), str) and data[field]:
                return field, data[field]
    return None


def schema_for(records: list[Record], ctx: ExportContext) -> pa.Schema:
    """The columns: the fixed ones, with the simple item fields the records have."""
    present = {key for r in records if isinstance(r.get("data"), dict) for key in r["data"]}
    fields = [pa.field("item_id", pa.int64()), pa.field("external_id", pa.string())]
    fields += [pa.field(k, t) for k, t in SIMPLE_FIELDS.items() if k in present]
    if ctx.options.media == "include":
        fields.append(pa.field("file", pa.string()))
    fields += [pa.field("data", pa.string()), pa.field("label", pa.string()),
               pa.field("result", pa.string()), pa.field("confidence", pa.float64()),
               pa.field("answers", pa.int64()), pa.field("provisional", pa.bool_()),
               pa.field("method", pa.string())]
    if ctx.options.answers:
        fields.append(pa.field("individual_answers", pa.string()))
    return pa.schema(fields, metadata={"huggingface": json.dumps({"info": {"features": {
        f.name: {"dtype": hf_dtype(f.type), "_type": "Value"} for f in fields}}})})


def hf_dtype(kind: pa.DataType) -> str:
    return {pa.int64(): "int64", pa.float64(): "float64", pa.bool_(): "bool"}.get(kind, "string")


def row_of(record: Record, schema: pa.Schema, file: str | None) -> dict[str, Any]:
    data = record.get("data")
    result = record.get("result")
    meta = result if isinstance(result, dict) else {}
    own = {k: v for k, v in meta.items() if k not in RESULT_META} if result is not None else None
    row: dict[str, Any] = {
        "item_id": record["item_id"], "external_id": record.get("external_id") or "",
        "data": _json(data), "label": _label(result), "result": _json(own),
        "confidence": meta.get("confidence"), "answers": meta.get("answers"),
        "provisional": meta.get("provisional"), "method": meta.get("method"),
    }
    for key, kind in SIMPLE_FIELDS.items():
        if key in schema.names:
            row[key] = _simple(data.get(key), kind) if isinstance(data, dict) else None
    if "file" in schema.names:
        row["file"] = file or ""
    if "individual_answers" in schema.names:
        row["individual_answers"] = _json(record.get("answers") or [])
    return row


class _Parquet:
    """Rows gathered and written to a temporary Parquet file a row group at a time."""

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        self.file = tempfile.TemporaryFile(prefix="datadam-hf-")
        self.records: list[tuple[Record, str | None]] = []
        self.size = 0
        self.rows = 0
        self.schema: pa.Schema | None = None
        self.writer: pq.ParquetWriter | None = None

    def add(self, record: Record, file: str | None) -> None:
        self.records.append((record, file))
        self.size += len(orjson.dumps(record.get("data"))) + len(
            orjson.dumps(record.get("result"))) + (
            len(orjson.dumps(record.get("answers"))) if self.ctx.options.answers else 0)
        if len(self.records) >= ROWS or self.size >= BYTES:
            self.flush()

    def flush(self) -> None:
        if self.schema is None:
            self.schema = schema_for([r for r, _ in self.records], self.ctx)
            self.writer = pq.ParquetWriter(self.file, self.schema, compression="zstd")
        if self.records:
            rows = [row_of(r, self.schema, f) for r, f in self.records]
            self.writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))
            self.rows += len(rows)
        self.records.clear()
        self.size = 0

    def close(self) -> Any:
        """The finished file, at its start."""
        self.flush()
        assert self.writer is not None
        self.writer.close()
        self.file.seek(0)
        return self.file


def write_hf(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """The zip: media first (when included) as the records pass, then the Parquet file and
    the README with the card."""
    zs = ZipStream()
    include = ctx.options.media == "include"
    media: dict[str, Media] = {}
    table = _Parquet(ctx)
    try:
        for record in records:
            file = None
            found = media_reference(record.get("data")) if include else None
            if found is not None:
                field, reference = found
                if field not in media:
                    media[field] = Media(ctx.open_media, include=True,
                                         folder=MEDIA_FOLDERS[field])
                _stem, path, copied = yield from media[field].copy(zs, reference,
                                                                   record["item_id"])
                file = path if copied else ""
            table.add(record, file)
            if zs.pending >= FLUSH_AT:
                yield zs.drain()
        yield from zs.copy(DATA_FILE, table.close(), compress=False, large=True)
        assert table.schema is not None
        zs.writestr("README.md", readme(ctx, table.schema, table.rows))
        yield zs.close()
    finally:
        table.file.close()


# --- README.md ------------------------------------------------------------------------------
def _q(text: Any) -> str:
    """A YAML scalar: JSON's double-quoted string is valid YAML."""
    return json.dumps(str(text), ensure_ascii=False)


def _percent(value: Any) -> str:
    return f"{100 * value:.1f}%" if isinstance(value, int | float) else "not measured yet"


def card_lines(card: dict[str, Any] | None) -> list[str]:
    """The dataset card in words: what the labels are worth, measured."""
    if not card:
        return ["No dataset card was available for this export."]
    accuracy = card.get("accuracy") or {}
    lines = []
    if accuracy.get("estimate") is not None:
        low, high = (accuracy.get("interval_95") or [None, None])[:2]
        source = {"gold": "known-answer (gold) checks",
                  "acceptance_sample": "the client's acceptance sample"}.get(
            accuracy.get("source"), str(accuracy.get("source")))
        lines.append(f"- **Measured accuracy**: {_percent(accuracy['estimate'])} (95% "
                     f"interval {_percent(low)} to {_percent(high)}, Wilson), from {source}.")
    else:
        lines.append("- **Measured accuracy**: not measured yet (no gold checks or "
                     "acceptance sample).")
    if accuracy.get("model_expected_accuracy") is not None:
        lines.append(f"- **Mean confidence of the results**: "
                     f"{_percent(accuracy['model_expected_accuracy'])}.")
    if card.get("correct_means"):
        lines.append(f"- **A result counts as correct when**: {card['correct_means']}.")
    lines.append(f"- **Items**: {card.get('items', 0)}; results: {card.get('results', 0)}, "
                 f"of which provisional: {card.get('results_provisional', 0)}; gold items "
                 f"(not in the data): {card.get('gold_items', 0)}.")
    aggregation = card.get("aggregation") or {}
    if aggregation.get("chosen") or aggregation.get("method"):
        lines.append(f"- **Aggregation**: {aggregation.get('chosen') or aggregation.get('method')}"
                     f" ({card.get('aggregation_kind', '')}).")
    return lines


def readme(ctx: ExportContext, schema: pa.Schema, rows: int) -> str:
    """README.md: the YAML header ``datasets`` reads (no ``splits`` sizes: it wants them
    in bytes of its own Arrow form, which only it can count), then the card for people."""
    head = ["---", f"pretty_name: {_q(ctx.name)}", "tags:", "- datadam", f"- {_q(ctx.kind)}",
            "configs:", "- config_name: default", "  data_files:", "  - split: train",
            "    path: data/train-*", "dataset_info:", "  features:"]
    for f in schema:
        head += [f"  - name: {f.name}", f"    dtype: {hf_dtype(f.type)}"]
    head += ["---", ""]
    body = [f"# {ctx.name}", "",
            f"Exported from datadam project {ctx.project_id} (task kind `{ctx.kind}`): "
            f"one row per item ({rows} in all), with the crowd's aggregated result.", "",
            "## Dataset card", "", *card_lines(ctx.card), "",
            "## Columns", "", "| column | type | what |", "|---|---|---|"]
    body += [f"| `{f.name}` | {hf_dtype(f.type)} | {COLUMN_HELP.get(f.name, '')} |"
             for f in schema]
    body += ["", "## Loading", "", "```python", "import json", "from datasets import load_dataset",
             "", 'ds = load_dataset("path/to/this/folder", split="train")',
             'result = json.loads(ds[0]["result"]) if ds[0]["result"] else None', "```", "",
             "## The card as data", "", "```json",
             json.dumps(ctx.card or {}, ensure_ascii=False, indent=2, sort_keys=True,
                        default=str), "```", ""]
    return "\n".join(head + body)


HF = ExportFormat(
    slug="hf",
    title="Hugging Face datasets",
    extension="zip",
    content_type="application/zip",
    write=write_hf,
)
