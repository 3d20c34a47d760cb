"""What an export format is, for the kinds to list theirs (no Django).

A format's ``write`` turns the project's export records into the bytes of one file, lazily
(the caller streams them to the client or to storage): memory must stay flat whatever the
number of records. Records come in item-id order, one per item, gold items left out::

    {"item_id": int, "external_id": str, "data": {...item data...},
     "result": {...the kind's result..., "confidence", "answers", "provisional", "method"}
               or None (no counted answer),
     "answers": [{"answer_id", "worker_id", "answer", "review": {...} or None, ...}]}
               (only when the client asked for individual answers; else [])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

Record = dict[str, Any]


def gettext_noop(text: str) -> str:
    """Marks a format's description for the Korean catalogue without importing Django (the
    export page translates it when it shows it)."""
    return text


@dataclass(frozen=True)
class ExportOptions:
    """What the client chose to put in an export."""

    #: include every individual answer with its worker id and review decision
    answers: bool = False
    #: "reference": media by URL/path; "include": the image files go into the archive
    media: str = "reference"


@dataclass(frozen=True)
class ExportContext:
    """The project facts a writer needs besides the records."""

    project_id: int
    name: str
    kind: str
    config: dict[str, Any]
    options: ExportOptions = field(default_factory=ExportOptions)
    #: opens a media file of ours by the item's image reference (None: not ours, reference it)
    open_media: Callable[[str], IO[bytes] | None] | None = None
    #: the dataset card (accuracy statement) to put beside the data, where the format allows
    card: dict[str, Any] | None = None
    #: a result in a few words (the kind's ``summary``), for formats with a label column
    summarise: Callable[[dict[str, Any]], str] | None = None


@dataclass(frozen=True)
class ExportFormat:
    """One export format of a kind (COCO, YOLO, Pascal VOC, ...)."""

    slug: str
    title: str
    extension: str  # of the file served: "json", "zip", "jsonl", "csv"
    content_type: str
    write: Callable[[ExportContext, Iterable[Record]], Iterator[bytes]]
    #: whether the writer needs every individual answer (else only results are read)
    needs_answers: bool = False
    #: one sentence for the export page, in English, marked with ``gettext_noop``
    description: str = ""
