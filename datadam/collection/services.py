"""Captures: uploading one for a task (checked at once), attaching it to the answer at
submit, and recording its fingerprint once submitted."""

from __future__ import annotations

import secrets
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.consent.services import consent_for_capture
from datadam.errors import Conflict, InvalidInput, NotFound
from datadam.kinds import get_kind
from datadam.kinds._capture import CaptureKind
from datadam.work.models import Assignment, AssignmentStatus
from datadam.work.services.leases import _require_worker

from . import dedup
from .analysis import ANALYSERS, Analysed
from .fingerprints import audio as audio_prints
from .fingerprints import image as image_prints
from .models import Capture, CaptureSource

#: Tries (uploads) one worker may make for one task: retakes are fine, a flood is not.
MAX_TRIES = 30
FOLDER = "captures"
_NOUNS = {"image": "photo", "audio": "recording", "video": "clip"}


def _task(worker: Any, assignment_id: int) -> tuple[Assignment, CaptureKind]:
    """The worker's own open task on a collection project."""
    assignment = (Assignment.objects.select_related("project")
                  .filter(pk=assignment_id, worker=worker).first())
    if assignment is None:
        raise NotFound(_("assignment not found"))
    now = timezone.now()
    if not (assignment.status == AssignmentStatus.RETURNED
            or (assignment.status == AssignmentStatus.LEASED and assignment.expires_at > now)):
        raise Conflict(_("this task is not open for capturing: take a new task"))
    kind = get_kind(assignment.project.kind)
    if not isinstance(kind, CaptureKind):
        raise InvalidInput(_("this project does not take captures"))
    return assignment, kind


def max_distance(project: Any, media_kind: str) -> int:
    """How many of the 64 bits the lookup searches: a recording within them is a duplicate;
    a photo or clip is one when the signatures confirm it (``dedup``)."""
    own = (project.config or {}).get("duplicate_distance")
    if isinstance(own, int):
        return own
    if media_kind == "audio":
        return int(audio_prints.DEFAULT_MAX_DISTANCE)
    return image_prints.SEARCH_DISTANCE


def hash_only_distance(project: Any, media_kind: str) -> int:
    """Within how many bits a candidate is a duplicate by its hash alone (either side has
    no signature): the searched distance for recordings, at most 8 bits for pictures."""
    searched = max_distance(project, media_kind)
    if media_kind == "audio":
        return searched
    return min(searched, image_prints.HASH_ONLY_DISTANCE)


def duplicate_message(media_kind: str, scope: str) -> str:
    noun = _NOUNS.get(media_kind, "photo")
    messages = {
        ("photo", "worker"): _("This looks like a photo you sent before."),
        ("photo", "project"): _("This looks like a photo already sent in this project."),
        ("photo", "client"): _("This looks like a photo sent to another project of this "
                               "client."),
        ("recording", "worker"): _("This sounds like a recording you sent before."),
        ("recording", "project"): _("This sounds like a recording already sent in this "
                                    "project."),
        ("recording", "client"): _("This sounds like a recording sent to another project of "
                                   "this client."),
        ("clip", "worker"): _("This looks like a clip you sent before."),
        ("clip", "project"): _("This looks like a clip already sent in this project."),
        ("clip", "client"): _("This looks like a clip sent to another project of this "
                              "client."),
    }
    return messages[(noun, scope)]


def _duplicates(capture_or_analysed: Any, *, project: Any, worker_id: int, media_kind: str,
                exclude: int | None = None) -> list[dict[str, Any]]:
    fingerprint = capture_or_analysed.fingerprint
    if fingerprint is None:
        return []
    signature = capture_or_analysed.signature
    found = dedup.near_duplicates(
        organization_id=project.organization_id, media_kind=media_kind,
        fingerprint=fingerprint, worker_id=worker_id, project_id=project.pk,
        max_distance=max_distance(project, media_kind),
        signature=None if signature is None else bytes(signature),
        hash_only_distance=hash_only_distance(project, media_kind), exclude_capture=exclude)
    return [{"capture": m.capture_id, "submission": m.submission_id, "project": m.project_id,
             "distance": m.distance, "similarity": m.similarity, "scope": m.scope,
             "url": reverse("capture_file", args=[m.capture_id]) if m.capture_id else "",
             "thumb_url": (reverse("capture_thumb", args=[m.capture_id])
                           if m.capture_id and media_kind != "audio" else ""),
             "message": duplicate_message(media_kind, m.scope)} for m in found]


def _store(project_id: int, analysed: Analysed) -> tuple[str, str]:
    name = f"{FOLDER}/{project_id}/{analysed.sha256[:2]}/{analysed.sha256}_" \
           f"{secrets.token_hex(4)}.{analysed.ext}"
    analysed.data.seek(0)
    key = default_storage.save(name, File(analysed.data, name=name))
    thumb = ""
    if analysed.thumb:
        thumb = default_storage.save(f"{key}.thumb.webp", ContentFile(analysed.thumb))
    return key, thumb


def capture_upload(*, worker: Any, assignment_id: int, upload: IO[bytes] | None,
                   source: str = CaptureSource.CAMERA, consent_id: int | None = None
                   ) -> Capture:
    """Check, store and record one file captured for the worker's task. The checks and near
    duplicates are found now, so the worker sees them before sending the answer."""
    _require_worker(worker)
    if source not in CaptureSource.values:
        raise InvalidInput(_('source must be "camera" or "file"'))
    assignment, kind = _task(worker, assignment_id)
    project = assignment.project
    config = project.config or {}
    if source == CaptureSource.FILE and not config.get("allow_files"):
        raise InvalidInput(_("This project takes captures from the camera or microphone "
                             "only, not chosen files."))
    if upload is None:
        raise InvalidInput(_('send the capture as the multipart field "file"'))
    if Capture.objects.filter(assignment=assignment).count() >= MAX_TRIES:
        raise Conflict(_("Too many tries for this task: send the last one or skip the task."))
    consent = consent_for_capture(project=project, worker=worker, consent_id=consent_id)
    analysed = ANALYSERS[kind.media_kind](upload, config)
    duplicates = _duplicates(analysed, project=project, worker_id=worker.pk,
                             media_kind=kind.media_kind)
    key, thumb = _store(project.pk, analysed)
    try:
        with transaction.atomic():
            capture = Capture.objects.create(
                project=project, organization_id=project.organization_id,
                assignment=assignment, item_id=assignment.item_id, worker=worker,
                media_kind=kind.media_kind, source=source, key=key,
                content_type=analysed.content_type, size=analysed.size,
                sha256=analysed.sha256, width=analysed.width, height=analysed.height,
                duration=analysed.duration, metadata=analysed.metadata,
                checks=[f.as_dict() for f in analysed.findings], duplicates=duplicates,
                fingerprint=analysed.fingerprint, signature=analysed.signature,
                thumb_key=thumb, consent=consent)
            audit_record(actor=worker, action="capture.upload", target=capture,
                         project_id=project.pk,
                         data={"assignment": assignment.pk, "source": source,
                               "failed": [f.check for f in analysed.findings if not f.passed],
                               "duplicates": len(duplicates)})
    except Exception:
        for name in (key, thumb):
            if name:
                default_storage.delete(name)
        raise
    return capture


def refusals(capture: Capture, config: dict[str, Any]) -> list[str]:
    """Why the project refuses this capture (its blocking checks that failed), in words."""
    blocking = set(config.get("blocking") or ())
    out = [c["message"] for c in capture.checks if not c["passed"] and c["check"] in blocking]
    if "duplicate" in blocking:
        out += [d["message"] for d in capture.duplicates[:1]]
    return out


def consent_view(consent: Any) -> dict[str, Any] | None:
    if consent is None:
        return None
    return {"id": consent.pk, "subject": consent.subject_name,
            "third_party": not consent.subject_is_worker, "version": consent.form.version,
            "signed_at": consent.signed_at.isoformat(),
            "withdrawn": consent.withdrawn_at is not None}


def capture_attach(*, answer: dict[str, Any], project: Any, assignment: Any, worker: Any
                   ) -> dict[str, Any]:
    """The answer as stored: the capture it names (this task's, this worker's), its checks
    and near-duplicates looked up again now, its consent; refused when a blocking check
    failed."""
    capture = (Capture.objects.select_for_update(of=("self",)).select_related("consent__form")
               .filter(pk=answer["capture"], assignment_id=assignment.pk,
                       worker_id=worker.pk).first())
    if capture is None:
        raise InvalidInput(_("That capture was not made for this task: capture again."))
    consent = consent_for_capture(project=project, worker=worker,
                                  consent_id=answer.get("consent") or capture.consent_id)
    if consent is not None and consent.pk != capture.consent_id:
        capture.consent = consent
    capture.duplicates = _duplicates(capture, project=project, worker_id=worker.pk,
                                     media_kind=capture.media_kind, exclude=capture.pk)
    capture.save(update_fields=["duplicates", "consent"])
    reasons = refusals(capture, project.config or {})
    if reasons:
        raise InvalidInput(" ".join(reasons))
    return {
        "capture": capture.pk, "media_kind": capture.media_kind,
        "media": reverse("capture_file", args=[capture.pk]),
        "thumb": reverse("capture_thumb", args=[capture.pk]) if capture.thumb_key else "",
        "source": capture.source, "width": capture.width, "height": capture.height,
        "duration": capture.duration, "tags": answer.get("tags") or {},
        "metadata": capture.metadata, "checks": capture.checks,
        "duplicates": capture.duplicates,
        "consent": consent_view(capture.consent if capture.consent_id else None),
    }


def capture_submitted(*, submission: Any, project: Any, worker: Any) -> None:
    """Link the capture to its submission and add its fingerprint to the client's index."""
    capture_id = submission.answer["capture"]
    Capture.objects.filter(pk=capture_id).update(submission_id=submission.pk)
    stored = (Capture.objects.filter(pk=capture_id)
              .values_list("fingerprint", "media_kind", "signature").first())
    if stored and stored[0] is not None:
        fingerprint, media_kind, signature = stored
        dedup.fingerprint_record(
            organization_id=project.organization_id, project_id=project.pk,
            worker_id=worker.pk, submission_id=submission.pk, capture_id=capture_id,
            media_kind=media_kind, fingerprint=fingerprint,
            signature=None if signature is None else bytes(signature))
