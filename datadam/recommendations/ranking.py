"""Ranking workers against parsed criteria, from precomputed skill rows and profiles.

Bounded cost: the candidate pool is the best ``POOL`` workers of the relevant kinds and tags
read from the skill index (``skill_rank_idx``), plus at most ``POOL`` workers matching a
requested region or occupation; every figure used afterwards is read for the pool only.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from datadam.accounts.models import Role, User, WorkerProfile
from datadam.qualifications.eligibility import active_holdings
from datadam.qualifications.models import WorkerQualification
from datadam.skills.models import WorkerSkill

from .parsing import Criterion
from .reasons import reason_text

POOL = 500


@dataclass
class Match:
    """One worker's fit: total in [0, 1] and a line per criterion."""

    worker: User
    total: float
    skill: float | None
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reasons(self) -> list[dict[str, Any]]:
        """The facts of the criteria the worker meets, each once (``accuracy`` and a ``kind``
        criterion for the project's kind state the same skill): why, in an invitation."""
        out: dict[str, dict[str, Any]] = {}
        for line in self.lines:
            if line["match"] > 0:
                out.setdefault(json.dumps(line["reason"], sort_keys=True), line["reason"])
        return list(out.values())

    @property
    def reasons_json(self) -> str:
        return json.dumps(self.reasons, separators=(",", ":"))


def _skill_fact(row: WorkerSkill | None, scope: dict[str, str]) -> tuple[float, dict[str, Any]]:
    if row is None or not row.answers:
        return 0.0, {"code": "no_work", **scope}
    fact: dict[str, Any] = {"code": "skill", **scope, "lower": round(row.lower, 4),
                            "answers": row.answers}
    if row.gold_total:
        fact.update(gold_correct=row.gold_correct, gold_total=row.gold_total)
    if row.reviewed:
        fact.update(approved=row.approved, reviewed=row.reviewed)
    return row.lower, fact


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


def _line(name: str, matched: float, fact: dict[str, Any], weight: float) -> dict[str, Any]:
    """One criterion's part of the explanation: the fact, and the fact in words."""
    return {"criterion": name, "match": round(matched, 3), "weight": weight,
            "reason": fact, "text": reason_text(fact)}


def _score_one(
    worker: User, c: Criterion, kind: str, skills: dict[tuple[str, str], WorkerSkill],
    profile: WorkerProfile | None, quals: dict[int, int], typical_ms: float | None,
) -> tuple[float, dict[str, Any]]:
    if c.name == "accuracy":
        return _skill_fact(skills.get((kind, "")), {"kind": kind})
    if c.name == "kind":
        return _skill_fact(skills.get((c.value, "")), {"kind": c.value})
    if c.name == "tag":
        return _skill_fact(skills.get(("", c.value)), {"tag": c.value})
    if c.name == "speed":
        row = skills.get((kind, ""))
        if row is None or not row.median_ms or not typical_ms:
            return 0.0, {"code": "no_timing"}
        return min(1.0, typical_ms / row.median_ms), {
            "code": "speed", "median_ms": int(row.median_ms), "typical_ms": int(typical_ms)}
    if c.name == "qualification":
        level = quals.get(int(c.value))
        if level is None:
            return 0.0, {"code": "no_qualification", "id": int(c.value)}
        return 1.0, {"code": "qualification", "id": int(c.value), "level": level}
    if profile is None:
        return 0.0, {"code": "no_profile"}
    if c.name == "language":
        langs = profile.languages_known
        if c.native and profile.native_language == c.value:
            return 1.0, {"code": "native", "lang": c.value}
        if c.value in langs:
            return (0.5 if c.native else 1.0), {"code": "speaks", "lang": c.value}
        return 0.0, {"code": "no_language", "lang": c.value}
    have = {"region": profile.region, "occupation": profile.occupation}.get(c.name, "")
    matched = 1.0 if have and have.casefold() == c.value.casefold() else 0.0
    return matched, {"code": "region" if c.name == "region" else "occupation",
                     "value": have or ""}


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
            m, fact = _score_one(worker, c, kind, mine, profiles.get(wid), quals.get(wid, {}),
                                 typical)
            if c.required and m <= 0:
                refused = True
                break
            score += c.weight * m
            lines.append(_line(c.name, m, fact, c.weight))
        if refused:
            continue
        out.append(Match(worker, round(score / total_weight, 4),
                         base.lower if base else None, lines))
    out.sort(key=lambda m: (-m.total, -(m.skill or 0.0), m.worker.pk))
    return out[: max(1, min(limit, 100))]
