"""API: a project's aggregated results, worker estimates, dataset card, acceptance samples,
exports.

Everything is scoped to the caller: another organization's project or sample is a 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from datadam.projects.services import project_for_manager

from . import downloads, export_jobs, selectors, services

router = Router(tags=["results"])


class SampleIn(Schema):
    aql: float


class Verdict(Schema):
    item_id: int
    correct: bool


class InspectIn(Schema):
    verdicts: list[Verdict]


@router.get("/projects/{project_id}/dataset-card")
def dataset_card(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """What the dataset holds and how accurate its labels are (gold check, acceptance
    sample, 95 % Wilson interval), aggregation method and answers saved by dynamic overlap."""
    project = project_for_manager(user=request.auth, project_id=project_id)
    return selectors.dataset_card(project)


@router.get("/projects/{project_id}/aggregation")
def aggregation(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """State of the platform's aggregation and the dynamic-overlap saving."""
    project = project_for_manager(user=request.auth, project_id=project_id)
    return {
        "aggregation": selectors.aggregation_summary(project),
        "overlap": selectors.overlap_summary(project),
    }


@router.post("/projects/{project_id}/aggregation/run", response={202: dict})
def aggregation_run(request: HttpRequest, project_id: int):
    """Aggregate the project's answers now (queued for the background worker)."""
    queued = services.results_refresh(user=request.auth, project_id=project_id)
    return Status(202, {"queued": queued})


@router.get("/projects/{project_id}/aggregated-results")
def aggregated_results(request: HttpRequest, project_id: int, after: int = 0, limit: int = 100):
    """Stored results (label, posterior confidence, answers, method), by item id."""
    project = project_for_manager(user=request.auth, project_id=project_id)
    return selectors.results_page(project, after=after, limit=max(1, min(limit, 1000)))


@router.get("/projects/{project_id}/worker-estimates")
def worker_estimates(request: HttpRequest, project_id: int, after: int = 0, limit: int = 100):
    """Each worker's estimated accuracy in the project, from the last aggregation."""
    project = project_for_manager(user=request.auth, project_id=project_id)
    return selectors.worker_estimates(project, after=after, limit=max(1, min(limit, 1000)))


@router.get("/projects/{project_id}/samples")
def list_samples(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    project = project_for_manager(user=request.auth, project_id=project_id)
    return selectors.samples_of(project)


@router.post("/projects/{project_id}/samples", response={201: dict})
def create_sample(request: HttpRequest, project_id: int, payload: SampleIn):
    """Draw an acceptance sample of the delivered results for the given AQL."""
    sample = services.sample_create(user=request.auth, project_id=project_id, aql=payload.aql)
    return Status(201, _sample(sample))


def _sample(sample: Any) -> dict[str, Any]:
    out = services.sample_outcome(sample)
    out["project_id"] = sample.project_id
    out["items"] = [
        {"item_id": r["item_id"], "external_id": r["item__external_id"], "data": r["item__data"],
         "label": r["label"], "result": r["result"], "correct": r["correct"]}
        for r in selectors.sample_items(sample)
    ]
    return out


@router.get("/samples/{sample_id}")
def get_sample(request: HttpRequest, sample_id: int) -> dict[str, Any]:
    """A sample with its plan, the sampled items with their delivered labels and verdicts."""
    return _sample(services.sample_for_inspector(user=request.auth, sample_id=sample_id))


@router.post("/samples/{sample_id}/inspect")
def inspect_sample(request: HttpRequest, sample_id: int, payload: InspectIn) -> dict[str, Any]:
    """Mark sampled items correct or wrong; when all are marked the sample is decided."""
    verdicts = {v.item_id: v.correct for v in payload.verdicts}
    sample = services.sample_inspect(user=request.auth, sample_id=sample_id, verdicts=verdicts)
    return _sample(sample)


# --- Exports ----------------------------------------------------------------------------------
class ExportIn(Schema):
    format: str
    answers: bool = False
    media: str = "reference"


@router.post("/projects/{project_id}/exports", response={202: dict})
def create_export(request: HttpRequest, project_id: int, payload: ExportIn):
    """Queue an export of the project's dataset in a format its kind offers (``jsonl`` and
    ``csv`` for every kind; ``coco``, ``yolo``, ``voc`` for image kinds that list them).
    ``answers``: every individual answer with its worker and review decision too (JSONL,
    CSV, COCO); ``media``: ``reference`` (images by URL or path) or ``include`` (our own
    image files in the archive). Poll ``GET /exports/{id}`` until ``status`` is ``done``."""
    export = export_jobs.export_create(user=request.auth, project_id=project_id,
                                       fmt=payload.format, answers=payload.answers,
                                       media=payload.media)
    return Status(202, export_jobs.export_summary(export))


@router.get("/projects/{project_id}/exports")
def list_exports(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """The project's last 50 exports, newest first, and the formats it may export to."""
    project = project_for_manager(user=request.auth, project_id=project_id)
    return {
        "exports": [export_jobs.export_summary(e) for e in export_jobs.exports_of(project)],
        "formats": [{"slug": f.slug, "title": f.title, "extension": f.extension}
                    for f in export_jobs.export_formats(project.kind)],
    }


@router.get("/exports/{export_id}")
def get_export(request: HttpRequest, export_id: int) -> dict[str, Any]:
    """One export's status (queued, running, done, failed), size, items and checksum."""
    return export_jobs.export_summary(
        export_jobs.export_for_manager(user=request.auth, export_id=export_id))


@router.get("/exports/{export_id}/download")
def download_export(request: HttpRequest, export_id: int):
    """The export's file, streamed; a single byte range (``Range: bytes=a-b``) is answered
    with 206, so an interrupted download can resume (``If-Range`` with the ``ETag``, the
    file's SHA-256)."""
    export = export_jobs.export_for_manager(user=request.auth, export_id=export_id)
    return downloads.export_response(request, export)
