"""Writes of the qualifications app: qualifications, project requirements, computed rules.

Exams and attempts live in ``exams``, document checks in ``credentials``, grants in
``grants``; all are re-exported here so callers import services from one place.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from datadam.accounts.models import Organization, WorkerProfile
from datadam.audit.services import audit_record
from datadam.errors import Conflict, InvalidInput, NotFound, PermissionDenied, whole_number
from datadam.kinds import get_kind
from datadam.projects.services import project_for_manager

from .credentials import credential_decide, credential_document, credential_submit
from .exams import (
    attempt_answer,
    attempt_start,
    exam_create,
    exam_delete,
    exam_update,
    question_add,
    question_delete,
    question_update,
)
from .grants import (
    check_level,
    holding_grant,
    holding_revoke,
    is_member,
    qualification_for_manager,
    qualification_grant,
    qualification_revoke,
)
from .models import (
    Granting,
    ProjectRequirement,
    Qualification,
    QualificationRule,
    Source,
    WorkerQualification,
)

__all__ = [
    "attempt_answer", "attempt_start", "credential_decide", "credential_document",
    "credential_submit", "exam_create", "exam_delete", "exam_update", "qualification_compute",
    "qualification_create", "qualification_delete", "qualification_grant",
    "qualification_revoke", "qualification_update", "qualifications_compute", "question_add",
    "question_delete", "question_update", "requirements_set", "rule_add", "rule_delete",
]

GENDERS = [g for g in WorkerProfile.Gender.values if g]
QUALIFICATION_FIELDS = {"name", "description", "granting", "document_hint"}


# --- Qualifications ---------------------------------------------------------------------------
def _clean_qualification(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    unknown = set(out) - QUALIFICATION_FIELDS
    if unknown:
        raise InvalidInput(
            _("unknown fields: %(unknown)s")
            % {"unknown": ', '.join(sorted(unknown))}
        )
    if "name" in out:
        out["name"] = str(out["name"] or "").strip()
        if not out["name"] or len(out["name"]) > 100:
            raise InvalidInput(_("name must be 1 to 100 characters"))
    if "granting" in out and out["granting"] not in Granting.values:
        raise InvalidInput(
            _("granting must be one of %(value)s")
            % {"value": ', '.join(Granting.values)}
        )
    for name, limit in (("description", 5000), ("document_hint", 300)):
        if name in out:
            out[name] = str(out[name] or "").strip()
            if len(out[name]) > limit:
                raise InvalidInput(
                    _("%(name)s must be at most %(limit)s characters")
                    % {"name": name, "limit": limit}
                )
    return out


def qualification_create(
    *, user: Any, organization_id: int | None, name: str, **fields: Any
) -> Qualification:
    """An organization's member creates its qualification; operators create platform ones."""
    if organization_id is None:
        if not getattr(user, "is_operator", False):
            raise PermissionDenied(_("only operators create platform-wide qualifications"))
    elif not Organization.objects.filter(pk=organization_id).exists() or not (
        getattr(user, "is_operator", False) or is_member(user, organization_id)
    ):
        raise PermissionDenied(_("you are not a member of that organization"))
    clean = _clean_qualification({"name": name, **fields})
    try:
        with transaction.atomic():
            qualification = Qualification.objects.create(
                organization_id=organization_id, created_by=user, **clean
            )
            audit_record(actor=user, action="qualification.create", target=qualification,
                         organization_id=organization_id, data=clean)
    except IntegrityError:
        raise Conflict(_("a qualification with this name already exists")) from None
    return qualification


def qualification_update(*, user: Any, qualification_id: int, **fields: Any) -> Qualification:
    clean = _clean_qualification(fields)
    try:
        with transaction.atomic():
            qualification = qualification_for_manager(
                user=user, qualification_id=qualification_id, lock=True
            )
            for name, value in clean.items():
                setattr(qualification, name, value)
            qualification.save()
            audit_record(actor=user, action="qualification.update", target=qualification,
                         organization_id=qualification.organization_id, data=clean)
    except IntegrityError:
        raise Conflict(_("a qualification with this name already exists")) from None
    return qualification


def _required_by(qualification_id: int) -> list[int]:
    return [
        r.project_id
        for r in ProjectRequirement.objects.only("project_id", "qualifications")
        if any(int(n["qualification"]) == qualification_id for n in r.qualifications or [])
    ]


def qualification_delete(*, user: Any, qualification_id: int) -> None:
    """Delete a qualification nobody has used yet (a mistake); one in use stays for history."""
    with transaction.atomic():
        qualification = qualification_for_manager(
            user=user, qualification_id=qualification_id, lock=True
        )
        in_use = (
            qualification.holdings.exists()
            or qualification.credential_checks.exists()
            or qualification.exams.filter(attempts__isnull=False).exists()
        )
        if in_use:
            raise Conflict(_(
                "this qualification has holders, attempts or document checks; "
                "it cannot be deleted"
            ))
        projects = _required_by(qualification.pk)
        if projects:
            raise Conflict(
                _("projects require this qualification: %(projects)s")
                % {"projects": ", ".join(f"#{p}" for p in projects)}
            )
        audit_record(actor=user, action="qualification.delete", target=qualification,
                     organization_id=qualification.organization_id,
                     data={"name": qualification.name})
        qualification.delete()


# --- Who may work on a project ------------------------------------------------------------------
def _native_languages(value: Any) -> list[str]:
    """Language codes the worker's native language must be among ("ko": a native Korean
    speaker)."""
    from datadam.accounts.languages import is_language

    codes = _strings(value, "native_languages", limit=50, length=8)
    wrong = [c for c in codes if not is_language(c)]
    if wrong:
        raise InvalidInput(_("native_languages: %(codes)s are not language codes such as ko or "
                             "en") % {"codes": ", ".join(map(repr, wrong))})
    return codes


def _attributes(attributes: dict[str, str]) -> dict[str, str]:
    """Free attributes: a value written as a comparison must compare with a number ("<=6");
    languages have fields of their own (the worker's profile refuses them as attributes)."""
    from datadam.accounts.services import FIELD_ATTRIBUTES

    from .eligibility import attribute_bound, is_bound_like

    for name, value in attributes.items():
        if name.casefold() in FIELD_ATTRIBUTES:
            raise InvalidInput(_("attributes: %(name)s is not a free attribute; use languages or "
                                 "native_languages") % {"name": name})
        if is_bound_like(value) and attribute_bound(value) is None:
            raise InvalidInput(_("attributes: %(name)s=%(value)s compares with no number; write "
                                 "it as <=6, >=18, <3 or >0") % {"name": name, "value": value})
    return attributes


def _strings(value: Any, name: str, *, limit: int, length: int) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or any(not isinstance(x, str) for x in value):
        raise InvalidInput(_("%(name)s must be a list of strings") % {"name": name})
    out: list[str] = []
    for x in value:
        x = x.strip()
        if not x or len(x) > length:
            raise InvalidInput(
                _("every entry of %(name)s must be 1 to %(length)s characters")
                % {"name": name, "length": length}
            )
        if x not in out:
            out.append(x)
    if len(out) > limit:
        raise InvalidInput(
            _("%(name)s may list at most %(limit)s entries")
            % {"name": name, "limit": limit}
        )
    return out


def _age(value: Any, name: str) -> int | None:
    if value is None:
        return None
    return whole_number(name, value, 14, 120)


def _required_qualifications(value: Any, organization_id: int) -> list[dict[str, int]]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 20:
        raise InvalidInput(_("qualifications must be a list of at most 20 entries"))
    out: list[dict[str, int]] = []
    for need in value:
        if not isinstance(need, dict) or set(need) - {"qualification", "min_level"}:
            raise InvalidInput(
                _('each qualification must be {"qualification": id, "min_level": n}')
            )
        qid = need.get("qualification")
        if isinstance(qid, bool) or not isinstance(qid, int):
            raise InvalidInput(_("qualification must be a qualification id"))
        level = check_level(need.get("min_level", 0), "min_level")
        if any(n["qualification"] == qid for n in out):
            raise InvalidInput(_("each qualification may be listed once"))
        out.append({"qualification": qid, "min_level": level})
    ids = [n["qualification"] for n in out]
    usable = set(
        Qualification.objects.filter(pk__in=ids)
        .filter(Q(organization=None) | Q(organization_id=organization_id))
        .values_list("pk", flat=True)
    )
    unknown = [str(i) for i in ids if i not in usable]
    if unknown:
        raise InvalidInput(
            _("unknown qualifications: %(unknown)s")
            % {"unknown": ', '.join(unknown)}
        )
    return out


def requirements_set(
    *,
    user: Any,
    project_id: int,
    qualifications: Any = None,
    age_min: Any = None,
    age_max: Any = None,
    genders: Any = None,
    regions: Any = None,
    languages: Any = None,
    native_languages: Any = None,
    devices: Any = None,
    attributes: Any = None,
) -> ProjectRequirement | None:
    """Set who may work on a project (replacing what was there). Asking nothing removes the
    row, so an unrestricted project costs one missed index lookup per claim."""
    project = project_for_manager(user=user, project_id=project_id)
    clean: dict[str, Any] = {
        "qualifications": _required_qualifications(qualifications, project.organization_id),
        "age_min": _age(age_min, "age_min"),
        "age_max": _age(age_max, "age_max"),
        "genders": _strings(genders, "genders", limit=len(GENDERS), length=16),
        "regions": _strings(regions, "regions", limit=100, length=100),
        "languages": _strings(languages, "languages", limit=50, length=30),
        "native_languages": _native_languages(native_languages),
        "devices": _strings(devices, "devices", limit=50, length=30),
    }
    if clean["age_min"] is not None and clean["age_max"] is not None and (
        clean["age_min"] > clean["age_max"]
    ):
        raise InvalidInput(_("age_min must not be above age_max"))
    bad = [g for g in clean["genders"] if g not in GENDERS]
    if bad:
        raise InvalidInput(_("genders must be among %(value)s") % {"value": ', '.join(GENDERS)})
    attributes = attributes or {}
    if not isinstance(attributes, dict) or len(attributes) > 20 or any(
        not isinstance(k, str) or not isinstance(v, str) or not k.strip() or len(k) > 50
        or len(v) > 200 for k, v in attributes.items()
    ):
        raise InvalidInput(_(
            "attributes must map at most 20 names (1-50 characters) to texts "
            "of at most 200 characters"
        ))
    clean["attributes"] = _attributes({k.strip(): v.strip() for k, v in attributes.items()})
    from datadam.skills.gates import project_gated

    # A skill gate or invitation-only setting keeps the (then empty) row: claims check it.
    asks = any(v not in (None, [], {}) for v in clean.values()) or project_gated(project.pk)
    with transaction.atomic():
        if asks:
            req, _created = ProjectRequirement.objects.update_or_create(
                project=project, defaults={**clean, "updated_by": user}
            )
        else:
            ProjectRequirement.objects.filter(project=project).delete()
            req = None
        audit_record(actor=user, action="project.requirements", target=project,
                     project_id=project.pk, organization_id=project.organization_id, data=clean)
    return req


# --- Computed qualifications -------------------------------------------------------------------
def rule_add(
    *,
    user: Any,
    qualification_id: int,
    kind: str = "",
    min_reviewed: Any = 50,
    min_approval_rate: Any = 0.9,
    level: Any = 1,
) -> QualificationRule:
    qualification = qualification_for_manager(user=user, qualification_id=qualification_id)
    if qualification.granting != Granting.COMPUTED:
        raise InvalidInput(_(
            "rules apply to qualifications computed from work; change how this "
            "qualification is granted first"
        ))
    if kind:
        get_kind(kind)
    whole_number("min_reviewed", min_reviewed, 1, 1_000_000)
    if isinstance(min_approval_rate, bool) or not isinstance(min_approval_rate, int | float) or (
        not 0 <= min_approval_rate <= 1
    ):
        raise InvalidInput(_("min_approval_rate must be a number from 0 to 1"))
    check_level(level)
    with transaction.atomic():
        rule = QualificationRule.objects.create(
            qualification=qualification, kind=kind, min_reviewed=min_reviewed,
            min_approval_rate=float(min_approval_rate), level=level,
        )
        audit_record(actor=user, action="qualification.rule_add", target=rule,
                     organization_id=qualification.organization_id,
                     data={"kind": kind, "min_reviewed": min_reviewed,
                           "min_approval_rate": float(min_approval_rate), "level": level})
    return rule


def rule_delete(*, user: Any, rule_id: int) -> None:
    rule = QualificationRule.objects.filter(pk=rule_id).select_related("qualification").first()
    if rule is None:
        raise NotFound(_("rule not found"))
    qualification = qualification_for_manager(user=user, qualification_id=rule.qualification_id)
    with transaction.atomic():
        audit_record(actor=user, action="qualification.rule_delete", target=rule,
                     organization_id=qualification.organization_id)
        rule.delete()


def _levels_by_rules(qualification: Qualification) -> dict[int, int]:
    """Per worker, the highest level any rule of the qualification gives them now."""
    from datadam.work.models import Assignment, AssignmentStatus

    best: dict[int, int] = {}
    for rule in qualification.rules.all():
        qs = Assignment.objects.filter(
            status__in=[AssignmentStatus.APPROVED, AssignmentStatus.REJECTED]
        )
        if rule.kind:
            qs = qs.filter(project__kind=rule.kind)
        if qualification.organization_id:
            qs = qs.filter(project__organization_id=qualification.organization_id)
        rows = (
            qs.values("worker_id")
            .annotate(n=Count("pk"), ok=Count("pk", filter=Q(status=AssignmentStatus.APPROVED)))
            .filter(n__gte=rule.min_reviewed)
            .values_list("worker_id", "n", "ok")
        )
        for worker_id, n, ok in rows:
            if ok >= rule.min_approval_rate * n - 1e-9:
                best[worker_id] = max(best.get(worker_id, -1), rule.level)
    return best


def qualification_compute(*, qualification_id: int) -> dict[str, int]:
    """Apply a computed qualification's rules to every worker. Safe to run twice: a second
    run finds nothing to change and records nothing.

    Holdings that came from the rules follow them (raised, lowered, or revoked when no rule
    holds any more); a holding from an exam, a document or an operator is only ever raised.
    """
    from datadam.accounts.models import User

    qualification = Qualification.objects.filter(pk=qualification_id).first()
    if qualification is None or qualification.granting != Granting.COMPUTED:
        return {"granted": 0, "revoked": 0}
    best = _levels_by_rules(qualification)
    holdings = {
        h.worker_id: h for h in WorkerQualification.objects.filter(qualification=qualification)
    }
    workers = User.objects.in_bulk(list(best))
    granted = revoked = 0
    for worker_id, level in best.items():
        worker = workers.get(worker_id)
        if worker is None or not worker.is_worker:
            continue
        held = holdings.get(worker_id)
        upward = held is not None and held.is_active() and held.source != Source.COMPUTED
        _h, changed = holding_grant(
            qualification=qualification, worker=worker, level=level, source=Source.COMPUTED,
            actor=None, expires_at=held.expires_at if upward else None, upward_only=upward,
        )
        granted += changed
    for worker_id, held in holdings.items():
        if worker_id in best or held.source != Source.COMPUTED or held.revoked_at is not None:
            continue
        with transaction.atomic():
            locked = WorkerQualification.objects.select_for_update().get(pk=held.pk)
            if locked.source == Source.COMPUTED and locked.revoked_at is None:
                holding_revoke(holding=locked, actor=None,
                               reason="the qualification's rules no longer hold")
                revoked += 1
    return {"granted": granted, "revoked": revoked}


def qualifications_compute(*, qualification_id: int | None = None) -> dict[str, int]:
    """Run every computed qualification's rules (or one's): what the background job does."""
    ids = (
        [qualification_id]
        if qualification_id
        else list(
            Qualification.objects.filter(granting=Granting.COMPUTED).values_list("pk", flat=True)
        )
    )
    total = {"granted": 0, "revoked": 0}
    for qid in ids:
        for key, n in qualification_compute(qualification_id=qid).items():
            total[key] += n
    return total
