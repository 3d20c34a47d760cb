"""A project's model settings: which model, whether workers see its suggestions, the
queue order and the target accuracy."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import InvalidInput, NotFound
from datadam.projects.models import Item
from datadam.projects.services import project_for_manager

from ..models import ItemEmbedding, Mode, Order, ProjectModel, Source, Suggestion

#: The kinds each built-in model serves; a model server may serve these.
BUILTIN_KINDS = {
    Source.TEXT: {"text_classification"},
    Source.OCR: {"ocr"},
    Source.MORPHEMES: {"korean_morphemes"},
}
BACKEND_KINDS = {"text_classification", "image_classification", "bounding_box", "polygon",
                 "keypoints", "span_tagging", "ocr"}
FIELDS = ("source", "mode", "order", "backend_url", "backend_token", "timeout_s",
          "target_accuracy", "min_labels")


def _choice(value: Any, choices: Any, name: str) -> str:
    if value not in choices.values:
        raise InvalidInput(_("%(name)s must be one of: %(known)s")
                           % {"name": name, "known": ", ".join(choices.values)})
    return value


def clean_settings(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The settings checked against the project's kind; InvalidInput says what is wrong."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise InvalidInput(_("unknown fields: %(unknown)s")
                           % {"unknown": ", ".join(sorted(unknown))})
    out = dict(fields)
    source = _choice(out.get("source"), Source, "source")
    kinds = BACKEND_KINDS if source == Source.BACKEND else BUILTIN_KINDS[source]
    if kind not in kinds:
        raise InvalidInput(_("this model does not serve %(kind)s projects; it serves: "
                             "%(kinds)s") % {"kind": kind, "kinds": ", ".join(sorted(kinds))})
    out["mode"] = _choice(out.get("mode", Mode.ASSIST), Mode, "mode")
    out["order"] = _choice(out.get("order", Order.NONE), Order, "order")
    url = out.get("backend_url", "") or ""
    if not isinstance(url, str) or len(url) > 500:
        raise InvalidInput(_("backend_url must be a URL of at most 500 characters"))
    if source == Source.BACKEND:
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:  # a malformed address, such as "http://[::1"
            parts, host = None, None
        if parts is None or parts.scheme not in ("http", "https") or not host:
            raise InvalidInput(_("backend_url must be the http:// or https:// address of your "
                                 "model server"))
    else:
        url = ""
    out["backend_url"] = url.rstrip("/")
    token = out.get("backend_token", "") or ""
    if not isinstance(token, str) or len(token) > 500:
        raise InvalidInput(_("backend_token must be text of at most 500 characters"))
    out["backend_token"] = token if source == Source.BACKEND else ""
    timeout = out.get("timeout_s", 5.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not (
            0.5 <= timeout <= 60):
        raise InvalidInput(_("timeout_s must be a number of seconds from 0.5 to 60"))
    out["timeout_s"] = float(timeout)
    target = out.get("target_accuracy")
    if target is not None and (isinstance(target, bool) or not isinstance(target, int | float)
                               or not 0.5 <= target < 1):
        raise InvalidInput(_("target_accuracy must be a share from 0.5 to below 1, or empty"))
    out["target_accuracy"] = None if target is None else float(target)
    labels = out.get("min_labels", 20)
    if isinstance(labels, bool) or not isinstance(labels, int) or not 2 <= labels <= 100_000:
        raise InvalidInput(_("min_labels must be a whole number from 2 to 100000"))
    out["min_labels"] = labels
    return out


def assist_configure(*, user: Any, project_id: int, **fields: Any) -> ProjectModel:
    """Set (or change) the project's model; the model's suggestions are (re)made in the
    background. Changing the model or its server clears the suggestions it made."""
    from ..tasks import assist_train_task

    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        clean = clean_settings(project.kind, fields)
        model = ProjectModel.objects.select_for_update().filter(project=project).first()
        changed_model = model is None or (model.source, model.backend_url) != (
            clean["source"], clean["backend_url"])
        if model is None:
            model = ProjectModel(project=project)
        for name, value in clean.items():
            setattr(model, name, value)
        if changed_model:
            model.version, model.trained_on, model.training_digest = "", 0, ""
            model.head, model.estimated_accuracy, model.target_met_at = None, None, None
            Suggestion.objects.filter(project=project).delete()
        model.last_error = ""
        model.updated_by = user
        model.save()
        if clean["order"] == Order.NONE:
            Item.objects.filter(project=project).exclude(priority=0).update(priority=0)
        audit_record(actor=user, action="assist.configure", target=project,
                     project_id=project.pk, organization_id=project.organization_id,
                     data={k: v for k, v in clean.items() if k != "backend_token"})
        assist_train_task.enqueue(project.pk)
    return model


def assist_disable(*, user: Any, project_id: int) -> None:
    """Remove the project's model: its suggestions go, the queue goes back to import
    order. Outcomes already recorded stay with their answers."""
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        deleted, _rows = ProjectModel.objects.filter(project=project).delete()
        if not deleted:
            raise NotFound(_("this project has no model"))
        Suggestion.objects.filter(project=project).delete()
        ItemEmbedding.objects.filter(project=project).delete()
        Item.objects.filter(project=project).exclude(priority=0).update(priority=0)
        audit_record(actor=user, action="assist.disable", target=project,
                     project_id=project.pk, organization_id=project.organization_id)
