"""A version's folder: the files a dataset version is downloaded as (pyarrow; no Django).

::

    README.md                          YAML header that ``datasets.load_dataset`` reads
                                       (configs, features, licence, languages, tags), then
                                       the card: description, measured accuracy, changes
    data/train-00000-of-00001.parquet  one row per record (the Hugging Face export's columns)
    train.jsonl                        the same records, one JSON object per line
    SHA256SUMS                         checksum manifest (``sha256sum -c SHA256SUMS``)

``VersionFolder`` takes the records as they stream past and writes the JSONL and Parquet
files to a directory at once (memory stays flat: the Parquet writer holds one row group);
``finish`` writes the README and the manifest and returns every file with its size and
SHA-256. The same records and facts give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from datadam.kinds.exporting import ExportContext, Record
from datadam.kinds.hf import COLUMN_HELP, DATA_FILE, _Parquet, _q, card_lines, hf_dtype

JSONL_FILE = "train.jsonl"
README_FILE = "README.md"
MANIFEST_FILE = "SHA256SUMS"
#: The keys a record keeps in a version (individual answers are never published).
RECORD_KEYS = ("item_id", "external_id", "data", "result")


@dataclass(frozen=True)
class FolderFacts:
    """What the README says besides the records."""

    title: str
    slug: str
    version: int
    kind: str
    licence: str
    description: str = ""
    description_ko: str = ""
    title_ko: str = ""
    languages: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    changelog: str = ""
    changes: dict[str, int] | None = None  # added, removed, relabelled
    usage_terms: str = ""
    card: dict[str, Any] | None = None


@dataclass(frozen=True)
class FolderFile:
    path: str
    local: Path
    bytes: int
    sha256: str


def slim(record: Record) -> Record:
    """The record as a version keeps it (no individual answers)."""
    return {key: record.get(key) for key in RECORD_KEYS}


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class VersionFolder:
    """Writes a version's files into ``root`` while the records pass."""

    def __init__(self, root: Path, ctx: ExportContext) -> None:
        self.root = root
        self.ctx = ctx
        self.jsonl = (root / JSONL_FILE).open("wb")
        self.table = _Parquet(ctx)
        self.rows = 0
        self.pending: list[bytes] = []

    def add(self, record: Record, line: bytes) -> None:
        """One record and its JSON line (the caller has it already: no second encoding)."""
        self.pending.append(line)
        if len(self.pending) >= 1000:
            self.jsonl.write(b"".join(self.pending))
            self.pending.clear()
        self.table.add(record, None)
        self.rows += 1

    def finish(self, facts: FolderFacts) -> list[FolderFile]:
        """Close the data files, write README and manifest; every file, manifest last."""
        self.jsonl.write(b"".join(self.pending))
        self.jsonl.close()
        parquet = self.root / DATA_FILE
        parquet.parent.mkdir(parents=True, exist_ok=True)
        if self.rows == 0:
            self.table.flush()  # an empty version still has its columns
        with self.table.close() as tmp, parquet.open("wb") as out:
            shutil.copyfileobj(tmp, out, 1 << 20)
        assert self.table.schema is not None
        (self.root / README_FILE).write_text(readme(facts, self.table.schema, self.rows),
                                             encoding="utf-8")
        files = [self._file(p) for p in (README_FILE, DATA_FILE, JSONL_FILE)]
        manifest = self.root / MANIFEST_FILE
        manifest.write_text("".join(f"{f.sha256}  {f.path}\n" for f in files), encoding="utf-8")
        return [*files, self._file(MANIFEST_FILE)]

    def _file(self, path: str) -> FolderFile:
        local = self.root / path
        return FolderFile(path=path, local=local, bytes=local.stat().st_size,
                          sha256=_digest(local))


def _yaml_list(name: str, values: list[str]) -> list[str]:
    return [f"{name}:", *(f"- {_q(v)}" for v in values)] if values else []


def readme(facts: FolderFacts, schema: pa.Schema, rows: int) -> str:
    """README.md: the YAML header the ``datasets`` library and the Hugging Face Hub read,
    then the dataset card for people."""
    licence = facts.licence if facts.licence != "other" else "other"
    head = ["---", f"pretty_name: {_q(facts.title)}", f"license: {licence}"]
    if licence == "other":
        head.append(f"license_name: {_q(facts.slug + '-terms')}")
    head += _yaml_list("language", facts.languages)
    head += _yaml_list("tags", ["datadam", facts.kind, *facts.tags])
    head += ["configs:", "- config_name: default", "  data_files:", "  - split: train",
             "    path: data/train-*", "dataset_info:", "  features:"]
    for f in schema:
        head += [f"  - name: {f.name}", f"    dtype: {hf_dtype(f.type)}"]
    head += ["---", ""]
    body = [f"# {facts.title}", ""]
    if facts.title_ko:
        body += [f"**{facts.title_ko}**", ""]
    if facts.description:
        body += [facts.description, ""]
    if facts.description_ko:
        body += [facts.description_ko, ""]
    body += [f"Version {facts.version} of `{facts.slug}`, published on datadam (task kind "
             f"`{facts.kind}`): {rows} records, each with the crowd's aggregated result.", ""]
    if facts.changelog or facts.changes:
        body += ["## Changes", ""]
        if facts.changes:
            body += [f"Against the previous version: {facts.changes.get('added', 0)} added, "
                     f"{facts.changes.get('removed', 0)} removed, "
                     f"{facts.changes.get('relabelled', 0)} relabelled.", ""]
        if facts.changelog:
            body += [facts.changelog, ""]
    body += ["## Dataset card", "", *card_lines(_flat_card(facts.card)), "",
             "## Columns", "", "| column | type | what |", "|---|---|---|"]
    body += [f"| `{f.name}` | {hf_dtype(f.type)} | {COLUMN_HELP.get(f.name, '')} |"
             for f in schema]
    body += ["", "## Loading", "", "```python", "from datasets import load_dataset", "",
             'ds = load_dataset("path/to/this/folder", split="train")', "```", "",
             f"`{JSONL_FILE}` holds the same records as JSON lines; `{MANIFEST_FILE}` the "
             "SHA-256 of every file (`sha256sum -c SHA256SUMS`).", ""]
    if facts.usage_terms:
        body += ["## Usage terms", "", facts.usage_terms, ""]
    body += ["## The card as data", "", "```json",
             json.dumps(facts.card or {}, ensure_ascii=False, indent=2, sort_keys=True,
                        default=str), "```", ""]
    return "\n".join(head + body)


def _flat_card(card: dict[str, Any] | None) -> dict[str, Any] | None:
    """The hub's card in the shape ``card_lines`` reads (pooled accuracy, summed counts)."""
    if not card:
        return None
    return {"accuracy": card.get("accuracy") or {}, "correct_means": card.get("correct_means"),
            "items": card.get("items", 0), "results": card.get("results", 0),
            "results_provisional": card.get("results_provisional", 0),
            "gold_items": card.get("gold_items", 0)}


def line_of(record: Record) -> bytes:
    return orjson.dumps(slim(record)) + b"\n"
