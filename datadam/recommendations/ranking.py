"""Ranking workers against parsed criteria, from precomputed skill rows and profiles.

Bounded cost: the candidate pool is the best ``POOL`` workers of the relevant kinds and tags
read from the skill index (``skill_rank_idx``), plus at most ``POOL`` workers matching a
requested region or occupation; every figure used afterwards is read for the pool only.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from datadam.accounts.models import Role, User, WorkerProfile
from datadam.kinds import kind_title
from datadam.qualifications.eligibility import active_holdings
from datadam.qualifications.models import WorkerQualification
from datadam.skills.models import WorkerSkill

from .parsing import Criterion

POOL = 500


@dataclass
class Match:
    """One worker's fit: total in [0, 1] and a line per criterion."""

    worker: User
    total: float
    skill: float | None
    lines: list[dict[str, Any]] = field(default_factory=list)


def _seconds(ms: int | None) -> str:
    return "—" if ms is None else _("%(s)s s") % {"s": f"{ms / 1000:.1f}"}


def _skill_line(row: WorkerSkill | None, label: str) -> tuple[float, str]:
    if row is None or not row.answers:
        return 0.0, _("no work in %(scope)s yet") % {"scope": label}
    parts = [_("skill %(v).2f over %(n)d answers") % {"v": row.lower, "n": row.answers}]
    if row.gold_total:
        parts.append(_("gold %(c)d/%(t)d") % {"c": row.gold_correct, "t": row.gold_total})
    if row.reviewed:
        parts.append(_("approved %(a)d/%(r)d") % {"a": row.approved, "r": row.reviewed})
    return row.lower, f"{label}: " + ", ".join(parts)


def _candidates(criteria: list[Criterion], kind: str) -> list[int]:
    kinds = {kind} | {c.value for c in criteria if c.name == "kind"}
    tags = {c.value for c in criteria if c.name == "tag"}
    scope = Q(kind__in=kinds, tag="") | Q(kind="", tag__in=tags)
    ids = list(
        WorkerSkill.objects.filter(scope, worker__is_active=True)
        .order_by("-lower").values_list("worker_id", flat=True)[:POOL]
    )
    profile_q = Q()
    for c in criteria:
        if c.name == "region":
            profile_q |= Q(region__iexact=c.value)
        elif c.name == "occupation":
            profile_q |= Q(occupation__iexact=c.value)
    if profile_q or not ids:
        more = WorkerProfile.objects.filter(user__role=Role.WORKER, user__is_active=True)
        if profile_q:
            more = more.filter(profile_q)
        ids += list(more.order_by("-user_id").values_list("user_id", flat=True)[:POOL])
    return list(dict.fromkeys(ids))


def _language_name(code: str) -> str:
    """``ko`` → "Korean" in the reader's language (the code itself when Django has no name)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _line(name: str, matched: float, text: str, weight: float) -> dict[str, Any]:
    return {"criterion": name, "match": round(matched, 3), "weight": weight, "text": text}


def _score_one(
    worker: User, c: Criterion, kind: str, skills: dict[tuple[str, str], WorkerSkill],
    profile: WorkerProfile | None, quals: dict[int, int], typical_ms: float | None,
) -> tuple[float, str]:
    if c.name == "accuracy":
        return _skill_line(skills.get((kind, "")), str(kind_title(kind)))
    if c.name == "kind":
        return _skill_line(skills.get((c.value, "")), str(kind_title(c.value)))
    if c.name == "tag":
        return _skill_line(skills.get(("", c.value)), f"#{c.value}")
    if c.name == "speed":
        row = skills.get((kind, ""))
        if row is None or not row.median_ms or not typical_ms:
            return 0.0, _("no timing yet")
        return min(1.0, typical_ms / row.median_ms), _(
            "median time %(mine)s (typical %(typ)s)"
        ) % {"mine": _seconds(row.median_ms), "typ": _seconds(int(typical_ms))}
    if c.name == "qualification":
        level = quals.get(int(c.value))
        if level is None:
            return 0.0, _("does not hold qualification #%(q)s") % {"q": c.value}
        return 1.0, _("holds qualification #%(q)s at level %(l)d") % {"q": c.value, "l": level}
    if profile is None:
        return 0.0, _("no profile")
    if c.name == "language":
        langs = profile.languages or []
        native = str((profile.attributes or {}).get("native_language", "")).casefold()
        name = {"lang": _language_name(c.value)}
        if c.native and native == c.value:
            return 1.0, _("native %(lang)s speaker") % name
        if c.value in langs:
            return (0.5 if c.native else 1.0), _("speaks %(lang)s") % name
        return 0.0, _("does not list %(lang)s") % name
    have = {"region": profile.region, "occupation": profile.occupation}.get(c.name, "")
    label = _("lives in %(v)s") if c.name == "region" else _("works as %(v)s")
    return (1.0 if have and have.casefold() == c.value.casefold() else 0.0), label % {
        "v": have or "—"
    }


def rank_workers(
    *, criteria: list[Criterion], kind: str, min_skill: float | None = None,
    exclude: set[int] | None = None, limit: int = 20,
) -> list[Match]:
    """The best ``limit`` workers for the criteria, each with its explanation."""
    ids = [i for i in _candidates(criteria, kind) if i not in (exclude or set())]
    if not criteria:
        criteria = [Criterion("accuracy")]
    workers = User.objects.filter(pk__in=ids, role=Role.WORKER, is_active=True).in_bulk()
    skills: dict[int, dict[tuple[str, str], WorkerSkill]] = {}
    for row in WorkerSkill.objects.filter(worker_id__in=list(workers)):
        skills.setdefault(row.worker_id, {})[(row.kind, row.tag)] = row
    profiles = {p.user_id: p for p in WorkerProfile.objects.filter(user_id__in=list(workers))}
    qids = [int(c.value) for c in criteria if c.name == "qualification"]
    quals: dict[int, dict[int, int]] = {}
    if qids:
        held = WorkerQualification.objects.filter(
            active_holdings(), worker_id__in=list(workers), qualification_id__in=qids
        ).values_list("worker_id", "qualification_id", "level")
        for w, q, level in held:
            quals.setdefault(w, {})[q] = level
    medians = [r.median_ms for s in skills.values() if (r := s.get((kind, ""))) and r.median_ms]
    typical = statistics.median(medians) if medians else None
    total_weight = sum(c.weight for c in criteria) or 1.0
    out: list[Match] = []
    for wid, worker in workers.items():
        mine = skills.get(wid, {})
        base = mine.get((kind, ""))
        if min_skill is not None and (base is None or base.lower < min_skill):
            continue
        lines, score, refused = [], 0.0, False
        for c in criteria:
            m, text = _score_one(worker, c, kind, mine, profiles.get(wid), quals.get(wid, {}),
                                 typical)
            if c.required and m <= 0:
                refused = True
                break
            score += c.weight * m
            lines.append(_line(c.name, m, text, c.weight))
        if refused:
            continue
        out.append(Match(worker, round(score / total_weight, 4),
                         base.lower if base else None, lines))
    out.sort(key=lambda m: (-m.total, -(m.skill or 0.0), m.worker.pk))
    return out[: max(1, min(limit, 100))]
