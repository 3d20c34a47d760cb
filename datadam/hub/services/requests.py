"""Improvement requests: filed by any user who may use a dataset, triaged by its
organization, and (relabeling ones) turned into a relabeling project whose approved answers
go into the next version."""

from __future__ import annotations

from typing import Any

import orjson
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound
from datadam.kinds import get_kind
from datadam.projects.importing import items_import
from datadam.projects.models import Item, Project
from datadam.projects.services import EDITABLE_IN_DRAFT, project_create

from ..models import (
    DatasetSource,
    DatasetVersion,
    ImprovementRequest,
    RelabelItem,
    RequestKind,
    RequestStatus,
    SourceRole,
    VersionItem,
    VersionStatus,
)
from ..visibility import dataset_managed, dataset_used

MAX_KEYS = 1000
MAX_REASON = 5000
DECISIONS = ("accept", "decline", "duplicate")


def _keys(value: Any) -> list[int]:
    if not isinstance(value, list) or len(value) > MAX_KEYS or not all(
            isinstance(k, int) and not isinstance(k, bool) for k in value):
        raise InvalidInput(_("items must list at most %(n)s item ids") % {"n": MAX_KEYS})
    return sorted(set(value))


def improvement_request_create(*, user: Any, dataset_id: int, version: int, kind: str,
                               reason: str, items: list[int] | None = None,
                               proposed_label: str = "") -> ImprovementRequest:
    """File a request against items of a ready version (``items``: their ids as the
    version lists them). A relabeling request names at least one item."""
    from datadam.notifications.services import organization_notify

    if not getattr(user, "is_authenticated", False):
        raise InvalidInput(_("sign in to file an improvement request"))
    if kind not in RequestKind.values:
        raise InvalidInput(_("kind must be one of: %(known)s")
                           % {"known": ", ".join(RequestKind.values)})
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
        raise InvalidInput(_("give a reason of at most %(n)s characters") % {"n": MAX_REASON})
    if not isinstance(proposed_label, str) or len(proposed_label) > 200:
        raise InvalidInput(_("proposed_label must be text of at most 200 characters"))
    keys = _keys(items or [])
    if kind == RequestKind.RELABEL and not keys:
        raise InvalidInput(_("a relabeling request names the items to relabel"))
    with transaction.atomic():
        dataset = dataset_used(user=user, dataset_id=dataset_id)
        target = DatasetVersion.objects.filter(dataset=dataset, number=version,
                                               status=VersionStatus.READY).first()
        if target is None:
            raise NotFound(_("version not found"))
        found = set(VersionItem.objects.filter(version=target, key__in=keys)
                    .values_list("key", flat=True))
        missing = [k for k in keys if k not in found]
        if missing:
            raise InvalidInput(_("these items are not in version %(n)s: %(keys)s")
                               % {"n": version, "keys": ", ".join(map(str, missing[:20]))})
        request = ImprovementRequest.objects.create(
            dataset=dataset, version=target, user=user, kind=kind, keys=keys,
            proposed_label=proposed_label.strip(), reason=reason.strip())
        audit_record(actor=user, action="hub.request.create", target=request,
                     organization_id=dataset.organization_id,
                     data={"dataset": dataset.pk, "kind": kind, "items": len(keys)})
        organization_notify(organization_id=dataset.organization_id, exclude=user,
                            code="hub.request_filed",
                            params={"dataset": dataset.title,
                                    "user": user.display_name or user.email,
                                    "reason": request.reason[:200]},
                            link=f"/hub/{dataset.pk}/requests/{request.pk}/")
    return request


def improvement_request_triage(*, user: Any, request_id: int, decision: str,
                               response: str = "",
                               duplicate_of: int | None = None) -> ImprovementRequest:
    """Accept, decline (with a reason) or mark as a duplicate of another request of the
    same dataset. Only an open request is triaged; the requester is notified."""
    from datadam.notifications.services import notification_send

    if decision not in DECISIONS:
        raise InvalidInput(_("decision must be one of: %(known)s")
                           % {"known": ", ".join(DECISIONS)})
    if not isinstance(response, str) or len(response) > MAX_REASON:
        raise InvalidInput(_("response must be text of at most %(n)s characters")
                           % {"n": MAX_REASON})
    with transaction.atomic():
        request = ImprovementRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            raise NotFound(_("improvement request not found"))
        dataset = dataset_managed(user=user, dataset_id=request.dataset_id)
        if request.status != RequestStatus.OPEN:
            raise Conflict(_("the request was triaged already"))
        params: dict[str, Any] = {"dataset": dataset.title, "request": request.pk,
                                  "reason": response.strip()}
        if decision == "decline":
            if not response.strip():
                raise InvalidInput(_("say why the request is declined"))
            request.status = RequestStatus.DECLINED
        elif decision == "duplicate":
            original = ImprovementRequest.objects.filter(
                pk=duplicate_of, dataset=dataset).exclude(pk=request.pk).first() if isinstance(
                duplicate_of, int) else None
            if original is None:
                raise InvalidInput(_("duplicate_of must name another request of this dataset"))
            request.status = RequestStatus.DUPLICATE
            request.duplicate_of = original
            params["duplicate_of"] = original.pk
        else:
            request.status = RequestStatus.ACCEPTED
        request.response = response.strip()
        request.triaged_by = user
        request.triaged_at = timezone.now()
        request.save()
        audit_record(actor=user, action=f"hub.request.{request.status}", target=request,
                     organization_id=dataset.organization_id, data={"dataset": dataset.pk})
        notification_send(user=request.user, code=f"hub.request_{request.status}",
                          params=params, link=f"/hub/{dataset.pk}/requests/{request.pk}/")
    return request


def _instructions(project: Project, requests: list[ImprovementRequest]) -> str:
    lines = [_("Relabeling: people who use this dataset reported these labels as wrong."), ""]
    for request in requests:
        line = f"- #{request.pk}: {request.reason}"
        if request.proposed_label:
            line += " " + _("(proposed: %(label)s)") % {"label": request.proposed_label}
        lines.append(line)
    return "\n".join([*lines, "", project.instructions or ""]).strip()


def relabel_project_create(*, user: Any, dataset_id: int, request_ids: list[int],
                           name: str = "") -> Project:
    """A draft relabeling project holding the items the accepted relabeling requests name
    (data as the version holds it, settings copied from the project they came from). Its
    results replace those items' results in the dataset's next version; launch it from
    the console like any project."""
    if not isinstance(request_ids, list) or not request_ids or not all(
            isinstance(r, int) and not isinstance(r, bool) for r in request_ids):
        raise InvalidInput(_("request_ids must list accepted relabeling requests"))
    if not isinstance(name, str) or len(name) > 200:
        raise InvalidInput(_("name must be text of at most 200 characters"))
    dataset = dataset_managed(user=user, dataset_id=dataset_id)
    if get_kind(dataset.kind).collects:
        raise Conflict(_("a collection dataset's captures are not relabeled; add a project "
                         "that collects more instead"))
    with transaction.atomic():
        # Locked: two calls for the same request cannot both make a project.
        requests = list(ImprovementRequest.objects.select_for_update().filter(
            dataset=dataset, pk__in=set(request_ids)).order_by("pk"))
        project = _relabel_project(user, dataset, requests, request_ids, name)
    project.refresh_from_db()  # items_count grew with the import
    return project


def _relabel_project(user: Any, dataset: Any, requests: list[ImprovementRequest],
                     request_ids: list[int], name: str) -> Project:
    """The relabeling project of the (locked) requests; see ``relabel_project_create``."""
    if len(requests) != len(set(request_ids)):
        raise NotFound(_("improvement request not found"))
    bad = [r.pk for r in requests if r.status != RequestStatus.ACCEPTED
           or r.kind != RequestKind.RELABEL or r.relabel_project_id is not None]
    if bad:
        raise Conflict(_("requests %(ids)s are not accepted relabeling requests without a "
                         "relabeling project") % {"ids": ", ".join(map(str, bad))})
    keys = sorted({k for r in requests for k in r.keys})
    rows = {}
    for request in requests:  # each request's keys exist in the version it points at
        for key, text in VersionItem.objects.filter(version_id=request.version_id,
                                                    key__in=request.keys).values_list(
                "key", "record"):
            rows[key] = orjson.loads(text)
    origin = Item.objects.filter(pk=keys[0]).select_related("project").first()
    template = origin.project if origin is not None else None
    if template is None or template.organization_id != dataset.organization_id:
        template = DatasetSource.objects.filter(dataset=dataset).select_related(
            "project").first().project
    settings = {f: getattr(template, f) for f in EDITABLE_IN_DRAFT - {"name", "instructions"}}
    project = project_create(
        user=user, organization_id=dataset.organization_id,
        name=(name.strip() or _("%(dataset)s: relabeling") % {"dataset": dataset.title})[:200],
        instructions=_instructions(template, requests), **settings)
    lines = [(n, rows[key]["data"], f"relabel-{key}", None)
             for n, key in enumerate(keys, start=1)]
    report = items_import(user=user, project_id=project.pk, lines=iter(lines))
    if report.error_count:
        raise InvalidInput(_("the items could not be copied into the relabeling project"))
    by_external = dict(Item.objects.filter(project=project).values_list("external_id", "pk"))
    RelabelItem.objects.bulk_create(
        RelabelItem(project=project, item_id=by_external[f"relabel-{key}"], key=key)
        for key in keys)
    DatasetSource.objects.create(dataset=dataset, project=project, role=SourceRole.RELABEL)
    ImprovementRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        relabel_project=project)
    audit_record(actor=user, action="hub.relabel.create", target=project,
                 project_id=project.pk, organization_id=dataset.organization_id,
                 data={"dataset": dataset.pk, "requests": [r.pk for r in requests],
                       "items": len(keys)})
    return project
