"""The sources of suggestions behind one interface: a predictor takes a batch of items and
gives, per item, a suggested answer (validated against the kind), a score and the
probabilities or confidence that uncertainty is measured from.

- ``text_embeddings``: all-MiniLM-L6-v2 embeddings (computed once per item, stored as
  ``ItemEmbedding``) and a logistic-regression head trained on the project's approved labels
  (``textmodel``).
- ``ocr``: RapidOCR's packaged ONNX models on the item's image (``builtin.ocr``).
- ``morphemes``: Kiwi's analysis, as the kind's analysis job stored it in the item
  (``builtin.morphemes``).
- ``backend``: the client's server, spoken to in Label Studio's ML backend protocol
  (``backends.labelstudio``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from datadam.kinds import get_kind
from datadam.projects.models import Project

from .models import ItemEmbedding, ProjectModel, Source


@dataclass
class Predicted:
    item_id: int
    answer: dict[str, Any]
    score: float | None
    #: class probabilities (text classifier), for margin and entropy
    probabilities: np.ndarray | None = None


Items = list[tuple[int, dict[str, Any]]]  # (item id, item data)


def validator(project: Project) -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]:
    """The kind's answer check, as a predictor applies it to every suggestion."""
    kind = get_kind(project.kind)

    def check(answer: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        return kind.validate_answer(answer, project.config or {}, data)

    return check


# --- text ---------------------------------------------------------------------------------------
def embeddings(project: Project, items: Items) -> dict[int, np.ndarray]:
    """The items' embeddings, computing and storing those not stored yet."""
    from .textmodel.encoder import encode

    ids = [pk for pk, _data in items]
    stored = {pk: np.frombuffer(bytes(vec), dtype=np.float16).astype(np.float32)
              for pk, vec in ItemEmbedding.objects.filter(item_id__in=ids).values_list(
                  "item_id", "vector")}
    missing = [(pk, data) for pk, data in items if pk not in stored]
    if missing:
        texts = [str((data or {}).get("text", "")) for _pk, data in missing]
        vectors = encode(texts)
        ItemEmbedding.objects.bulk_create(
            [ItemEmbedding(item_id=pk, project=project, vector=vec.astype(np.float16).tobytes())
             for (pk, _data), vec in zip(missing, vectors, strict=True)],
            ignore_conflicts=True)  # a second run of the job wrote them already
        stored.update({pk: vec for (pk, _data), vec in zip(missing, vectors, strict=True)})
    return stored


def predict_text(model: ProjectModel, project: Project, items: Items) -> list[Predicted]:
    from .textmodel.head import Head

    if not model.head:
        return []
    head = Head.from_bytes(bytes(model.head))
    vectors = embeddings(project, items)
    matrix = np.stack([vectors[pk] for pk, _data in items])
    probabilities = head.predict_proba(matrix)
    out = []
    for (pk, _data), p in zip(items, probabilities, strict=True):
        best = int(np.argmax(p))
        out.append(Predicted(pk, {"label": head.classes[best]}, float(p[best]), p))
    return out


# --- built-in OCR and morphemes ---------------------------------------------------------------
def predict_ocr(model: ProjectModel, project: Project, items: Items) -> list[Predicted]:
    from datadam.datasets.export_jobs import open_media

    from .builtin.ocr import ocr_predict

    check = validator(project)
    out = []
    for pk, data in items:
        stream = open_media(str((data or {}).get("image", "")))
        if stream is None:
            continue
        config = project.config or {}
        with stream:
            try:
                found = ocr_predict(stream.read(), languages=config.get("languages") or [],
                                    tools=tuple(config.get("tools") or ("box",)))
            except ValueError:  # not an image, or too large: no suggestion for it
                continue
        try:
            answer = check(found["answer"], data)
        except Exception:  # noqa: BLE001 - a prediction the kind refuses is no suggestion
            continue
        out.append(Predicted(pk, answer, found.get("score")))
    return out


def predict_morphemes(model: ProjectModel, project: Project, items: Items) -> list[Predicted]:
    from .builtin.morphemes import morphemes_predict

    check = validator(project)
    out = []
    for pk, data in items:
        found = morphemes_predict(str((data or {}).get("text", "")))
        try:
            answer = check(found["answer"], data)
        except Exception:  # noqa: BLE001
            continue
        out.append(Predicted(pk, answer, found.get("score")))
    return out


# --- the client's server ------------------------------------------------------------------------
def backend_of(model: ProjectModel) -> Any:
    from .backends.labelstudio import LabelStudioBackend

    return LabelStudioBackend(model.backend_url, timeout_s=model.timeout_s,
                              token=model.backend_token)


def predict_backend(model: ProjectModel, project: Project, items: Items) -> list[Predicted]:
    """Predictions of the client's server; its errors raise ``BackendError`` (the job
    records it and workers go on without suggestions)."""
    from .backends.labelstudio import label_config

    check = validator(project)
    backend = backend_of(model)
    config = label_config(project.kind, project.config or {})
    predictions = backend.predict(
        [{"id": pk, "data": data} for pk, data in items], project_id=project.pk,
        label_config=config, kind=project.kind, config=project.config or {},
        validate=lambda answer, data: check(answer, data))
    out = []
    for (pk, _data), prediction in zip(items, predictions, strict=True):
        if prediction is None or prediction.answer is None:
            continue
        out.append(Predicted(pk, prediction.answer, prediction.score))
        if prediction.model_version:
            model.version = prediction.model_version
    return out


PREDICTORS: dict[str, Callable[[ProjectModel, Project, Items], list[Predicted]]] = {
    Source.TEXT: predict_text, Source.OCR: predict_ocr, Source.MORPHEMES: predict_morphemes,
    Source.BACKEND: predict_backend,
}
