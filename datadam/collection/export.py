"""Exporting a collection project: one record per approved capture whose consent stands,
its media de-identified as the project says, and a folder format that training code reads.

Records (``capture_records``) have the shape every export writer reads (see
``datadam.kinds.exporting``), one per capture rather than per item::

    {"item_id", "external_id", "data": {"prompt", "image"|"audio"|"video": <media path>,
     "width", "height", "duration", "capture_id"},
     "result": {"capture", "tags", "source", "worker", "metadata", "checks_failed",
                "duplicates", "consent", "confidence", "answers", "provisional", "method"},
     "answers": []}

A capture leaves every later export when its consent is withdrawn (``consent`` app); its
worker is named by id only. Media paths are ``MEDIA_URL`` + the storage key: the export job
opens them (``export_media``) and the files never go to the public media URL (captures are
served by ``collection.views`` to those who may see them only).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

import orjson
from django.conf import settings
from django.db.models import Q

from datadam.kinds.archive import FLUSH_AT, ZipStream
from datadam.kinds.exporting import ExportContext, Record
from datadam.privacy.faces import deidentify_image
from datadam.work.models import AssignmentStatus

from .models import Capture

CHUNK = 1000
FOLDERS = {"image": "images", "audio": "audio", "video": "videos"}


def capture_records(project: Any, chunk: int = CHUNK) -> Iterator[Record]:
    """The project's approved captures, consent standing, in capture-id order (keyset)."""
    config = project.config or {}
    keep_metadata = bool(config.get("keep_metadata"))
    rows = (Capture.objects.filter(project_id=project.pk, submission__isnull=False,
                                   assignment__status=AssignmentStatus.APPROVED)
            .filter(Q(consent__isnull=True) | Q(consent__withdrawn_at__isnull=True))
            .select_related("item", "consent__form", "submission").order_by("id"))
    last = 0
    while True:
        batch = list(rows.filter(id__gt=last)[:chunk])
        for capture in batch:
            yield _record(capture, keep_metadata)
        if len(batch) < chunk:
            return
        last = batch[-1].pk


def _record(capture: Capture, keep_metadata: bool) -> Record:
    item = capture.item
    data = {k: v for k, v in (item.data or {}).items() if k in ("prompt", "text")}
    data[capture.media_kind] = f"{settings.MEDIA_URL}{capture.key}"
    data.update(capture_id=capture.pk, width=capture.width or None,
                height=capture.height or None, duration=capture.duration)
    consent = capture.consent
    answer = capture.submission.answer if capture.submission_id else {}
    result = {
        "capture": capture.pk, "tags": answer.get("tags") or {}, "source": capture.source,
        "worker": capture.worker_id,
        "metadata": capture.metadata if keep_metadata else {},
        "checks_failed": [c["check"] for c in capture.checks if not c.get("passed")],
        "duplicates": [d.get("capture") for d in capture.duplicates],
        "consent": None if consent is None else {
            "id": consent.pk, "form_version": consent.form.version,
            "third_party": not consent.subject_is_worker,
            "signed_at": consent.signed_at.isoformat()},
        "confidence": 1.0, "answers": 1, "provisional": False, "method": "review",
    }
    return {"item_id": item.pk, "external_id": item.external_id, "data": data,
            "result": result, "answers": []}


class DeidentifyingOpener:
    """``open_media`` with images de-identified as the project says: faces (and plates)
    blurred, and every metadata block removed unless the project keeps it (the location
    was removed at upload, always). Counts what it blurred (``found``)."""

    def __init__(self, config: dict[str, Any],
                 open_media: Callable[[str], IO[bytes] | None]) -> None:
        self.faces, self.plates = bool(config.get("blur_faces")), bool(config.get("blur_plates"))
        self.strip = not config.get("keep_metadata")
        self.open_media = open_media
        self.found = {"faces": 0, "plates": 0, "images": 0}

    def __call__(self, reference: str) -> IO[bytes] | None:
        source = self.open_media(reference)
        if source is None or not (self.faces or self.plates or self.strip) \
                or not _is_image(reference):
            return source
        with source:
            data = source.read()
        clean, found = deidentify_image(data, faces=self.faces, plates=self.plates)
        self.found["images"] += 1
        for key in ("faces", "plates"):
            self.found[key] += found.get(key, 0)
        return io.BytesIO(clean)


def _is_image(reference: str) -> bool:
    return reference.rsplit(".", 1)[-1].lower() in ("jpg", "jpeg", "png", "webp", "gif", "bmp")


def statement(config: dict[str, Any]) -> dict[str, Any]:
    """What the export masked, for the dataset card and the folder's own file."""
    return {"faces_blurred": bool(config.get("blur_faces")),
            "plates_blurred": bool(config.get("blur_plates")),
            "metadata": "kept" if config.get("keep_metadata") else "removed",
            "location": "removed",
            "withdrawn_consents": "excluded",
            "workers": "named by id only"}


def write_folder(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    """A zip in the Hugging Face ``imagefolder`` / ``audiofolder`` layout: the files under
    ``images/`` (``audio/``, ``videos/``) and ``metadata.jsonl`` with a ``file_name`` per
    capture and its prompt, tags and consent; ``deidentification.json`` says what was
    masked and how many faces and plates were blurred. Files are opened through the
    context's opener, which de-identifies them (``DeidentifyingOpener``)."""
    zs = ZipStream()
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)
    files = 0
    for record in records:
        data, result = record["data"], record["result"]
        kind = next((k for k in FOLDERS if k in data), None)
        source = ctx.open_media(data[kind]) if kind and ctx.open_media else None
        if source is None:
            continue
        reference = data[kind]
        tail = reference.rsplit("/", 1)[-1]
        ext = tail.rsplit(".", 1)[-1] if "." in tail else "bin"
        name = f"{FOLDERS[kind]}/{data['capture_id']}.{ext}"
        try:
            yield from zs.copy(name, source)
        finally:
            source.close()
        files += 1
        spool.write(orjson.dumps({
            "file_name": name, "capture_id": data["capture_id"], "item_id": record["item_id"],
            "external_id": record["external_id"], "prompt": data.get("prompt", ""),
            "text": data.get("text"), "tags": result["tags"], "source": result["source"],
            "worker": result["worker"], "width": data.get("width"),
            "height": data.get("height"), "duration": data.get("duration"),
            "metadata": result["metadata"], "checks_failed": result["checks_failed"],
            "consent": result["consent"]}) + b"\n")
        if zs.pending >= FLUSH_AT:
            yield zs.drain()
    spool.seek(0)
    yield from zs.copy("metadata.jsonl", spool, compress=True, large=True)
    found = dict(getattr(ctx.open_media, "found", {}))
    zs.writestr("deidentification.json", orjson.dumps(
        {**statement(ctx.config), "files": files, **{f"{k}_blurred_count": v
                                                     for k, v in found.items() if k != "images"}},
        option=orjson.OPT_INDENT_2))
    if ctx.card is not None:
        zs.writestr("dataset_card.json", orjson.dumps(ctx.card, option=orjson.OPT_INDENT_2))
    yield zs.close()
