"""The model jobs of a project: training (the built-in text head; the client's server is
told of the approved answers) and predicting (suggestions for the items still to answer,
and their claim order). Both are safe to run twice: training is skipped when the approved
labels are those it was trained on; predicting rewrites the same suggestions.

A model that fails (a server down, an answer the kind refuses) never blocks workers: the
error is recorded, the managers hear of it once, and work goes on without suggestions.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Avg
from django.utils import timezone

from datadam import rawsql
from datadam.datasets.models import AggregationState, ItemResult
from datadam.projects.models import Item, Project, ProjectStatus

from ..models import Order, ProjectModel, Source, Suggestion
from ..predictors import PREDICTORS, Predicted, embeddings

logger = logging.getLogger(__name__)
CHUNK = 256
ENCODER = "all-MiniLM-L6-v2"


def training_labels(project: Project) -> list[tuple[int, str]]:
    """(item id, label) of the project's approved labels: results that rest on reviewed
    answers only, and the gold items' known answers, in item order."""
    rows = list(ItemResult.objects.filter(project=project, provisional=False)
                .values_list("item_id", "result"))
    rows += list(Item.objects.filter(project=project, gold__isnull=False)
                 .values_list("pk", "gold"))
    out = [(pk, value["label"]) for pk, value in rows
           if isinstance(value, dict) and isinstance(value.get("label"), str)]
    return sorted(out)


def _digest(labels: list[tuple[int, str]]) -> str:
    text = "\n".join(f"{pk}:{label}" for pk, label in labels)
    return hashlib.sha256(f"{ENCODER}\n{text}".encode()).hexdigest()


def train_text(model: ProjectModel, project: Project) -> bool:
    """Fit the head on the approved labels; False when there was nothing new to learn."""
    from ..textmodel.head import fit_selected

    labels = training_labels(project)
    classes = [str(c) for c in (project.config or {}).get("labels") or []]
    labels = [(pk, label) for pk, label in labels if label in classes]
    if len(labels) < model.min_labels or len({label for _pk, label in labels}) < 2:
        return False
    digest = _digest(labels)
    if digest == model.training_digest:
        return False  # the same labels give the same head: nothing to do
    data = dict(Item.objects.filter(pk__in=[pk for pk, _l in labels]).values_list("pk", "data"))
    items = [(pk, data.get(pk) or {}) for pk, _label in labels]
    vectors = embeddings(project, items)
    x = np.stack([vectors[pk] for pk, _label in labels])
    y = [label for _pk, label in labels]
    head, accuracy, _c = fit_selected(x, y, classes)
    model.head = head.to_bytes()
    model.estimated_accuracy = float(accuracy)
    model.trained_on = len(labels)
    model.training_digest = digest
    model.version = f"minilm-l6+head:{digest[:12]}"
    model.trained_at = timezone.now()
    return True


#: Settled answers sent to a model server per training run (the newest first).
TRAIN_BATCH = 500


def train_backend(model: ProjectModel, project: Project) -> bool:
    """Tell the client's server the project's labels (``/setup``) and send it the answers
    settled since its last training, as Label Studio annotations (``/webhook`` or
    ``/train``); its model version is what it says."""
    from ..backends.errors import ConversionError
    from ..backends.labelstudio import TrainingExample, label_config, to_ls
    from ..predictors import backend_of

    backend = backend_of(model)
    config = label_config(project.kind, project.config or {})
    version = backend.setup(project_id=project.pk, label_config=config)
    if version:
        model.version = str(version)[:100]
    settled = ItemResult.objects.filter(project=project, provisional=False)
    if model.trained_at is not None:
        settled = settled.filter(updated_at__gt=model.trained_at)
    rows = list(settled.order_by("-updated_at").values_list("item_id", "item__data",
                                                             "result")[:TRAIN_BATCH])
    examples = []
    for item_id, data, result in rows:
        try:
            regions = to_ls(project.kind, project.config or {}, data or {}, result)
        except ConversionError:
            continue  # an answer the protocol cannot carry (say, an image without its size)
        examples.append(TrainingExample(task_id=item_id, data=data or {}, result=regions))
    if not examples:
        return False
    backend.train(project.pk, examples, config, timeout_s=max(model.timeout_s, 30.0))
    model.trained_on += len(examples)
    model.trained_at = timezone.now()
    return True


def assist_train(*, project_id: int) -> dict[str, Any]:
    """Train the project's model on what the crowd has settled, then predict (the job)."""
    model = ProjectModel.objects.select_related("project").filter(project_id=project_id).first()
    if model is None:
        return {"project": project_id, "skipped": "no model"}
    project = model.project
    trained = False
    try:
        if model.source == Source.TEXT:
            trained = train_text(model, project)
        elif model.source == Source.BACKEND:
            trained = train_backend(model, project)
        if trained or model.source != Source.TEXT:
            ProjectModel.objects.filter(pk=model.pk).update(
                head=model.head, estimated_accuracy=model.estimated_accuracy,
                trained_on=model.trained_on, training_digest=model.training_digest,
                version=model.version, trained_at=model.trained_at)
    except Exception as exc:  # noqa: BLE001 - any failure of a model is recorded, not raised
        return _failed(model, exc)
    outcome = assist_predict(project_id=project_id, refresh=trained)
    return {"project": project_id, "trained": trained, **outcome}


def _items_to_predict(project: Project, after: int, refresh: bool, version: str
                      ) -> list[tuple[int, dict[str, Any]]]:
    """The next chunk of items that still take answers and have no current suggestion."""
    qs = Item.objects.filter(project=project, gold__isnull=True, slots_open__gt=0, pk__gt=after)
    if not refresh:
        qs = qs.exclude(suggestion__model_version=version)
    return list(qs.order_by("pk").values_list("pk", "data")[:CHUNK])


def assist_predict(*, project_id: int, refresh: bool = False) -> dict[str, Any]:
    """Suggestions for the items still to answer, and (with an order) their claim order."""
    model = ProjectModel.objects.select_related("project").filter(project_id=project_id).first()
    if model is None:
        return {"project": project_id, "skipped": "no model"}
    project = model.project
    if model.source == Source.TEXT and not model.head:
        return {"project": project_id, "predicted": 0, "waiting_for_labels": model.min_labels}
    predictor = PREDICTORS[model.source]
    made = after = 0
    try:
        while True:
            items = _items_to_predict(project, after, refresh, model.version)
            if not items:
                break
            after = items[-1][0]
            predicted = predictor(model, project, items)
            _store(model, project, predicted)
            made += len(predicted)
    except Exception as exc:  # noqa: BLE001
        return _failed(model, exc, made=made)
    ProjectModel.objects.filter(pk=model.pk).update(predicted_at=timezone.now(),
                                                    version=model.version, last_error="")
    met = _check_target(model, project)
    return {"project": project_id, "predicted": made, "target_met": met}


def _uncertainty(model: ProjectModel, p: Predicted, votes: dict[str, int]) -> float:
    from ..textmodel.uncertainty import entropy, margin, vote_disagreement

    if model.order == Order.DISAGREEMENT:
        label = p.answer.get("label") if isinstance(p.answer, dict) else None
        counts = dict(votes)
        if isinstance(label, str):
            counts[label] = counts.get(label, 0) + 1  # the model's vote
        return float(vote_disagreement(np.array([list(counts.values()) or [1]]))[0])
    if p.probabilities is not None:
        rows = p.probabilities[None, :]
        return float((entropy(rows) if model.order == Order.ENTROPY else margin(rows))[0])
    return 1.0 - float(p.score) if p.score is not None else 0.5


def _votes(item_ids: list[int]) -> dict[int, dict[str, int]]:
    """The labels the crowd gave each item so far (latest answers, not rejected)."""
    from datadam.work.models import AssignmentStatus, Submission

    out: dict[int, dict[str, int]] = {}
    rows = Submission.objects.filter(
        assignment__item_id__in=item_ids,
        assignment__status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED],
    ).values_list("assignment__item_id", "answer")
    for item_id, answer in rows:
        label = answer.get("label") if isinstance(answer, dict) else None
        if isinstance(label, str):
            out.setdefault(item_id, {})
            out[item_id][label] = out[item_id].get(label, 0) + 1
    return out


def _store(model: ProjectModel, project: Project, predicted: list[Predicted]) -> None:
    if not predicted:
        return
    votes = _votes([p.item_id for p in predicted]) if model.order == Order.DISAGREEMENT else {}
    rows = []
    for p in predicted:
        rows.append(Suggestion(item_id=p.item_id, project=project, answer=p.answer,
                               score=p.score, model_version=model.version,
                               uncertainty=_uncertainty(model, p, votes.get(p.item_id, {}))))
    with transaction.atomic():
        Suggestion.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["item"],
            update_fields=["answer", "score", "uncertainty", "model_version", "created_at"])
        if model.order != Order.NONE:
            # Most uncertain first: the claim walks (project, priority, id) upwards.
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {rawsql.table(Item)} SET priority = %s WHERE id = %s",
                    [(-round((s.uncertainty or 0.0) * 1_000_000), s.item_id) for s in rows])


def estimated_dataset_accuracy(model: ProjectModel, project: Project) -> float | None:
    """The accuracy the dataset would have if the items still open took the model's
    labels: the crowd's results at their measured (or else expected) accuracy, weighted by
    their number, and the open items at the head's cross-validated accuracy."""
    if model.estimated_accuracy is None:
        return None
    state = AggregationState.objects.filter(project=project).first()
    labeled = ItemResult.objects.filter(project=project).count()
    open_items = Item.objects.filter(project=project, gold__isnull=True,
                                     result__isnull=True).count()
    if state is not None and state.gold_total:
        crowd = state.gold_correct / state.gold_total
    elif state is not None and state.mean_confidence is not None:
        crowd = state.mean_confidence
    else:  # not aggregated by the job yet: the results' own posteriors
        crowd = ItemResult.objects.filter(project=project).aggregate(m=Avg("confidence"))["m"]
    if labeled and crowd is None:
        return None
    total = labeled + open_items
    if not total:
        return None
    return ((crowd or 0.0) * labeled + model.estimated_accuracy * open_items) / total


def _check_target(model: ProjectModel, project: Project) -> bool:
    """Pause the project once its target accuracy is estimated to be met (once)."""
    from datadam.notifications.services import organization_notify
    from datadam.projects.services import project_pause

    if model.target_accuracy is None or model.target_met_at is not None:
        return False
    estimate = estimated_dataset_accuracy(model, project)
    if estimate is None or estimate < model.target_accuracy:
        return False
    ProjectModel.objects.filter(pk=model.pk).update(target_met_at=timezone.now())
    if project.status == ProjectStatus.OPEN and model.updated_by is not None:
        project_pause(user=model.updated_by, project_id=project.pk)
    organization_notify(organization_id=project.organization_id, code="assist.target_met",
                        params={"project": project.name, "accuracy": f"{estimate:.1%}"},
                        link=f"/console/projects/{project.pk}/assist/")
    return True


def _failed(model: ProjectModel, exc: Exception, made: int = 0) -> dict[str, Any]:
    from datadam.notifications.services import organization_notify

    message = str(exc)[:500] or type(exc).__name__
    logger.warning("model of project %s failed: %s", model.project_id, message)
    first = not model.last_error
    ProjectModel.objects.filter(pk=model.pk).update(last_error=message)
    if first:  # once until it works again, not at every run
        organization_notify(organization_id=model.project.organization_id,
                            code="assist.failed",
                            params={"project": model.project.name, "error": message[:200]},
                            link=f"/console/projects/{model.project_id}/assist/")
    return {"project": model.project_id, "error": message, "predicted": made}
