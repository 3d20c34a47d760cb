"""Who may work on a project: evaluating a project's requirements against one worker.

``requirement_gaps`` is pure (no database): it compares a ``ProjectRequirement`` with the facts
of a worker (profile and held qualification levels). ``claim_refusals`` is what every claim
calls: one indexed query reads the project's requirements together with the worker's profile
and levels; a project without requirements costs exactly that one query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import CharField, JSONField, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.accounts.languages import language_name
from datadam.accounts.models import WorkerProfile

from .models import ProjectRequirement, Qualification, WorkerQualification


@dataclass(frozen=True)
class WorkerFacts:
    """What the requirements look at: the worker's profile and their active levels."""

    birth_year: int | None = None
    gender: str = ""
    region: str = ""
    languages: tuple[str, ...] = ()
    native_language: str = ""
    devices: tuple[str, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)
    levels: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    """One requirement the worker does not meet, with a message to show them."""

    code: str
    message: str
    qualification_id: int | None = None
    min_level: int | None = None


def active_holdings(now: datetime | None = None, prefix: str = "") -> Q:
    """Holdings that count: not revoked and not expired (``prefix``: the path to them)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}revoked_at": None}) & (
        Q(**{f"{prefix}expires_at": None}) | Q(**{f"{prefix}expires_at__gt": now})
    )


def _norm(value: Any) -> str:
    return str(value or "").strip().casefold()


def _list(values: Any) -> str:
    return ", ".join(str(v) for v in values)


# A required attribute written as a comparison with a number: "<=6", ">= 18", "≤6".
_BOUND = re.compile(r"\s*(<=|>=|<|>|≤|≥)\s*(-?\d+(?:\.\d+)?)\s*")
_NUMBER = re.compile(r"\s*-?\d+(?:\.\d+)?\s*")
_OPERATORS = {"≤": "<=", "≥": ">="}


def attribute_bound(value: Any) -> tuple[str, float] | None:
    """``("<=", 6.0)`` for a required attribute value such as "<=6"; None for a plain value,
    which the worker's value must equal (case and outer spaces aside)."""
    match = _BOUND.fullmatch(str(value or ""))
    if match is None:
        return None
    operator = _OPERATORS.get(match.group(1), match.group(1))
    return operator, float(match.group(2))


def is_bound_like(value: Any) -> bool:
    """Whether a value starts like a comparison ("<", ">", "≤", "≥"), well written or not."""
    return str(value or "").lstrip()[:1] in ("<", ">", "≤", "≥")


def _within(have: str | None, bound: tuple[str, float]) -> bool:
    if have is None or _NUMBER.fullmatch(have) is None:
        return False
    number, (operator, limit) = float(have), bound
    return {"<=": number <= limit, ">=": number >= limit, "<": number < limit,
            ">": number > limit}[operator]


def _bound_message(name: str, bound: tuple[str, float]) -> str:
    operator, limit = bound
    values = {"name": name, "value": f"{limit:g}"}
    messages = {
        "<=": _("Your profile needs the attribute %(name)s as a number of %(value)s or less."),
        ">=": _("Your profile needs the attribute %(name)s as a number of %(value)s or more."),
        "<": _("Your profile needs the attribute %(name)s as a number below %(value)s."),
        ">": _("Your profile needs the attribute %(name)s as a number above %(value)s."),
    }
    return messages[operator] % values


def age_range_text(age_min: int | None, age_max: int | None) -> str:
    if age_min is not None and age_max is not None:
        return _("aged %(min)s to %(max)s") % {"min": age_min, "max": age_max}
    if age_min is not None:
        return _("aged %(min)s or older") % {"min": age_min}
    return _("aged %(max)s or younger") % {"max": age_max}


def requirement_gaps(
    req: ProjectRequirement,
    facts: WorkerFacts,
    *,
    names: dict[int, str] | None = None,
    year: int | None = None,
) -> list[Gap]:
    """Every requirement of ``req`` that ``facts`` do not meet (empty: the worker may work)."""
    names = names or {}
    year = year or timezone.now().year
    gaps: list[Gap] = []
    for need in req.qualifications or []:
        qid, level = int(need["qualification"]), int(need.get("min_level", 0))
        have = facts.levels.get(qid)
        if have is not None and have >= level:
            continue
        name = names.get(qid, f"#{qid}")
        if have is None:
            msg = _("You need the qualification “%(name)s” (level %(level)s or higher).") % {
                "name": name, "level": level,
            }
        else:
            msg = _("Your level of “%(name)s” is %(have)s; this project needs %(level)s.") % {
                "name": name, "have": have, "level": level,
            }
        gaps.append(Gap("qualification", msg, qid, level))
    if req.age_min is not None or req.age_max is not None:
        wanted = age_range_text(req.age_min, req.age_max)
        if not facts.birth_year:
            gaps.append(Gap("age", _("Add your birth year to your profile: this project is for "
                                     "workers %(range)s.") % {"range": wanted}))
        else:
            age = year - facts.birth_year
            if (req.age_min is not None and age < req.age_min) or (
                req.age_max is not None and age > req.age_max
            ):
                gaps.append(Gap("age", _("This project is for workers %(range)s.")
                                % {"range": wanted}))
    if req.genders and facts.gender not in req.genders:
        labels = dict(WorkerProfile.Gender.choices)
        gaps.append(Gap("gender", _("This project is for workers whose gender is: %(list)s.")
                        % {"list": _list(str(labels.get(g, g)) for g in req.genders)}))
    if req.regions and _norm(facts.region) not in {_norm(r) for r in req.regions}:
        gaps.append(Gap("region", _("This project is for workers in: %(list)s. Your profile "
                                    "says: %(mine)s.") % {"list": _list(req.regions),
                                                          "mine": facts.region or "—"}))
    missing = [x for x in req.languages or [] if x not in facts.languages]
    if missing:
        gaps.append(Gap("languages", _("Your profile needs these languages: %(list)s.")
                        % {"list": _list(missing)}))
    natives = list(getattr(req, "native_languages", None) or [])
    if natives and facts.native_language not in natives:
        gaps.append(Gap("native_language", _(
            "This project is for native speakers of: %(list)s. Your profile says: %(mine)s."
        ) % {"list": _list(language_name(c) for c in natives),
             "mine": language_name(facts.native_language) if facts.native_language else "—"}))
    missing = [x for x in req.devices or [] if x not in facts.devices]
    if missing:
        gaps.append(Gap("devices", _("Your profile needs these devices: %(list)s.")
                        % {"list": _list(missing)}))
    mine = {_norm(k): _norm(v) for k, v in (facts.attributes or {}).items()}
    for name, value in (req.attributes or {}).items():
        bound = attribute_bound(value)
        if bound is not None:
            if not _within(mine.get(_norm(name)), bound):
                gaps.append(Gap("attributes", _bound_message(name, bound)))
        elif mine.get(_norm(name)) != _norm(value):
            gaps.append(Gap("attributes", _("Your profile needs the attribute %(name)s=%(value)s.")
                            % {"name": name, "value": value}))
    return gaps


def parse_levels(text: str | None) -> dict[int, int]:
    """Levels aggregated by the database as "qid:level,qid:level"."""
    out: dict[int, int] = {}
    for part in (text or "").split(","):
        if ":" in part:
            qid, level = part.split(":", 1)
            out[int(qid)] = int(level)
    return out


def worker_facts(worker: Any, now: datetime | None = None) -> WorkerFacts:
    """A worker's facts in two small indexed queries."""
    levels = dict(
        WorkerQualification.objects.filter(active_holdings(now), worker_id=worker.pk)
        .values_list("qualification_id", "level")
    )
    profile = WorkerProfile.objects.filter(user_id=worker.pk).first()
    if profile is None:
        return WorkerFacts(levels=levels)
    return WorkerFacts(
        birth_year=profile.birth_year,
        gender=profile.gender or "",
        region=profile.region or "",
        languages=profile.languages_known,
        native_language=profile.native_language or "",
        devices=tuple(profile.devices or ()),
        attributes=dict(profile.attributes or {}),
        levels=levels,
    )


def qualification_names(reqs: list[ProjectRequirement]) -> dict[int, str]:
    ids = {int(n["qualification"]) for r in reqs for n in (r.qualifications or [])}
    if not ids:
        return {}
    return dict(Qualification.objects.filter(pk__in=ids).values_list("pk", "name"))


def claim_refusals(*, worker: Any, project_id: int) -> list[str]:
    """Why ``worker`` may not claim work in the project (empty: they may): its requirements,
    then its skill gate and invitation-only setting (``skills.gates``).

    One query: the project's requirement row (looked up by its primary key) with the worker's
    profile fields and their active levels attached as scalar subqueries, which the database
    evaluates with the row (the skill gate's figures too). Refusing costs one more query for
    the names.
    """
    from datadam.skills.gates import gate_annotations, gate_refusals

    profile = WorkerProfile.objects.filter(user_id=worker.pk)
    levels = (
        WorkerQualification.objects.filter(active_holdings(), worker_id=worker.pk)
        .values("worker_id")
        .annotate(
            s=StringAgg(
                Concat(
                    Cast("qualification_id", CharField()),
                    Value(":"),
                    Cast("level", CharField()),
                    output_field=CharField(),
                ),
                Value(","),
            )
        )
        .values("s")
    )
    row = (
        ProjectRequirement.objects.filter(pk=project_id)
        .annotate(
            w_birth_year=Subquery(profile.values("birth_year")[:1]),
            w_gender=Subquery(profile.values("gender")[:1]),
            w_region=Subquery(profile.values("region")[:1]),
            w_native=Subquery(profile.values("native_language")[:1]),
            w_languages=Subquery(profile.values("other_languages")[:1], output_field=JSONField()),
            w_devices=Subquery(profile.values("devices")[:1], output_field=JSONField()),
            w_attributes=Subquery(profile.values("attributes")[:1], output_field=JSONField()),
            w_levels=Subquery(levels[:1], output_field=CharField()),
            **gate_annotations(worker),
        )
        .first()
    )
    if row is None:
        return []
    facts = WorkerFacts(
        birth_year=row.w_birth_year,
        gender=row.w_gender or "",
        region=row.w_region or "",
        languages=WorkerProfile(native_language=row.w_native or "",
                                other_languages=row.w_languages or []).languages_known,
        native_language=row.w_native or "",
        devices=tuple(row.w_devices or ()),
        attributes=dict(row.w_attributes or {}),
        levels=parse_levels(row.w_levels),
    )
    gaps = requirement_gaps(row, facts)
    if not gaps:
        return gate_refusals(row)
    names = qualification_names([row])
    return [g.message for g in requirement_gaps(row, facts, names=names)] + gate_refusals(row)
