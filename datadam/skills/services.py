"""Writes of the skills app: recomputing skills, a project's skill settings, the pay tier."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datadam.audit.services import audit_record
from datadam.errors import InsufficientFunds, InvalidInput
from datadam.projects.services import project_for_manager
from datadam.rewards.services import ledger_post, organization_account, worker_account

from .compute import skill_tallies
from .estimate import Evidence, skill_estimate
from .models import ProjectSkills, WorkerSkill

TAG_RE = re.compile(r"^[\w-]{1,64}$")
MAX_TAGS = 20


def skills_compute(
    *, worker_ids: Iterable[int] | None = None, actor: Any = None
) -> dict[str, int]:
    """Recompute the skill rows of the given workers (None: everyone who has worked).

    Idempotent: rows are rewritten from the work itself and rows no longer backed by any work
    are removed, so running it twice (or concurrently) ends in the same rows. ``actor`` is
    who asked (None: the background job); each run is audited with its counts.
    """
    wanted = None if worker_ids is None else {int(w) for w in worker_ids}
    tallies = skill_tallies(wanted)
    now = timezone.now()
    written = 0
    with transaction.atomic():
        stale = WorkerSkill.objects.all()
        if wanted is not None:
            stale = stale.filter(worker_id__in=wanted)
        keep = set(tallies)
        gone = [
            pk for pk, w, k, t in stale.values_list("pk", "worker_id", "kind", "tag")
            if (w, k, t) not in keep
        ]
        WorkerSkill.objects.filter(pk__in=gone).delete()
        for (worker_id, kind, tag), t in tallies.items():
            est = skill_estimate(Evidence(
                gold_total=t.gold_total, gold_correct=t.gold_correct, agree_items=t.agree_items,
                agree_share=t.agree_share, approved=t.approved, rejected=t.rejected,
                returned=t.returned,
            ))
            WorkerSkill.objects.update_or_create(
                worker_id=worker_id, kind=kind, tag=tag,
                defaults={
                    "answers": t.answers, "gold_total": t.gold_total,
                    "gold_correct": t.gold_correct, "agree_items": t.agree_items,
                    "agree_share": round(t.agree_share, 4), "approved": t.approved,
                    "rejected": t.rejected, "returned": t.returned, "median_ms": t.median_ms,
                    "score": est.score, "lower": est.lower, "computed_at": now,
                },
            )
            written += 1
        audit_record(
            actor=actor, action="skills.compute", target_type="skills",
            data={"workers": None if wanted is None else sorted(wanted)[:100],
                  "written": written, "removed": len(gone)},
        )
    return {"written": written, "removed": len(gone)}


def _skill_value(value: Any, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("%(name)s must be a number between 0 and 1") % {"name": name}
        ) from None
    if not 0 <= number <= 1:
        raise InvalidInput(_("%(name)s must be between 0 and 1") % {"name": name})
    return number


def clean_tags(tags: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        tag = str(tag).strip().casefold()
        if not tag:
            continue
        if not TAG_RE.match(tag):
            raise InvalidInput(
                _("tag %(tag)s: use letters, digits, '-' or '_' (at most 64)")
                % {"tag": repr(tag)}
            )
        if tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise InvalidInput(_("at most %(max)s tags") % {"max": MAX_TAGS})
    return out


def project_skills_set(
    *,
    user: Any,
    project_id: int,
    tags: Iterable[Any] = (),
    min_skill: Any = None,
    bonus_skill: Any = None,
    bonus_percent: int = 0,
    invite_only: bool = False,
) -> ProjectSkills:
    """Set a project's skill tags, skill gate, pay tier and invitation-only flag.

    A gate or invitation-only flag also creates the project's (possibly empty) requirement
    row, which is what tells claiming that the project asks something of its workers.
    """
    from datadam.qualifications.models import ProjectRequirement

    clean = clean_tags(tags)
    minimum = _skill_value(min_skill, "min_skill")
    bonus_at = _skill_value(bonus_skill, "bonus_skill")
    try:
        percent = int(bonus_percent or 0)
    except (TypeError, ValueError):
        raise InvalidInput(_("bonus_percent must be a whole number")) from None
    if not 0 <= percent <= 200:
        raise InvalidInput(_("bonus_percent must be between 0 and 200"))
    if percent and bonus_at is None:
        raise InvalidInput(_("a bonus needs bonus_skill, the skill it starts at"))
    with transaction.atomic():
        project = project_for_manager(user=user, project_id=project_id, lock=True)
        row, _created = ProjectSkills.objects.update_or_create(
            project=project,
            defaults={"tags": clean, "min_skill": minimum, "bonus_skill": bonus_at,
                      "bonus_percent": percent, "invite_only": bool(invite_only)},
        )
        if minimum is not None or invite_only:
            ProjectRequirement.objects.get_or_create(project=project)
        audit_record(
            actor=user, action="skills.project_set", target=project, project_id=project.pk,
            organization_id=project.organization_id,
            data={"tags": clean, "min_skill": minimum, "bonus_skill": bonus_at,
                  "bonus_percent": percent, "invite_only": bool(invite_only)},
        )
    return row


def skill_bonus_pay(*, assignment: Any, submission: Any, actor: Any) -> int:
    """Pay the project's skill bonus for an approved answer, at most once (its ledger key).

    Called by ``review_decide`` inside its transaction on approval. The bonus comes from the
    organization's account (escrow holds only the base budget); if that cannot cover it, the
    approval still stands, no bonus is paid and the shortfall is audited. Returns the amount.
    """
    project = assignment.project
    tier = ProjectSkills.objects.filter(project_id=project.pk, bonus_percent__gt=0).first()
    if tier is None or tier.bonus_skill is None:
        return 0
    skill = WorkerSkill.objects.filter(
        worker_id=assignment.worker_id, kind=project.kind, tag=""
    ).first()
    if skill is None or skill.lower < tier.bonus_skill:
        return 0
    amount = project.reward * tier.bonus_percent // 100
    if amount <= 0:
        return 0
    key = f"submission:{submission.pk}:skill_bonus"
    try:
        _txn, created = ledger_post(
            key=key, kind="bonus",
            legs=[(organization_account(project.organization), -amount),
                  (worker_account(assignment.worker), amount)],
            actor=actor, project_id=project.pk,
            memo=f"skill bonus {tier.bonus_percent}% for answer #{assignment.pk}",
        )
    except InsufficientFunds:
        audit_record(
            actor=actor, action="skills.bonus_unfunded", target=submission,
            project_id=project.pk, organization_id=project.organization_id,
            data={"amount": amount, "skill": skill.lower},
        )
        return 0
    if created:
        audit_record(
            actor=actor, action="skills.bonus_paid", target=submission, project_id=project.pk,
            organization_id=project.organization_id,
            data={"amount": amount, "skill": skill.lower, "percent": tier.bonus_percent},
        )
    return amount if created else 0
