"""Demo of skills, recommendations, invitations and reviewer checks (called by the loader).

Some Shapes items become gold (their true shape), so do three sentiment items the reviewer
answered; the workers get profiles and the projects
skill tags, skills are computed, a client searches for workers for an invitation-only
project and invites the best match, and the reviewer decides the control answers mixed into
their batch (one of them wrongly).
"""

from __future__ import annotations

from typing import Any

from datadam.accounts.models import User, WorkerProfile
from datadam.projects.importing import items_import, parse_records
from datadam.projects.models import Item, Project
from datadam.projects.services import project_create, project_launch
from datadam.recommendations.services import invitation_create, recommendation_search
from datadam.review.selectors import review_batch
from datadam.review.services import review_decide
from datadam.reviewchecks.controls import CONTROL_ID_BASE, parse_control_id
from datadam.skills.services import project_skills_set, skills_compute
from datadam.work.services import assignment_claim, assignment_submit

from .media import SHAPES, save_shape

PROFILES = [
    {"native_language": "ko", "other_languages": ["en"], "region": "Seoul",
     "occupation": "designer"},
    {"native_language": "ko", "region": "Busan", "occupation": "doctor"},
    {"native_language": "en", "region": "Incheon", "occupation": "student"},
]
QUERY = "careful, visually sharp, Korean native, has done boxes before"


def _reviewer_answers_gold(reviewer: User, sentiment: Project, truth: dict[str, str]) -> None:
    """The reviewer does three sentiment tasks too; those items become gold, so controls
    built on them can never tell the reviewer an answer they could still give."""
    for _ in range(3):
        a = assignment_claim(worker=reviewer, project_id=sentiment.pk)
        if a is None:
            return
        right = truth[a.item.data["text"]]
        assignment_submit(worker=reviewer, assignment_id=a.pk, answer={"label": right})
        Item.objects.filter(pk=a.item_id).update(gold={"label": right})


def _decide_controls(reviewer: User, project: Project) -> int:
    decided, slipped = 0, False
    for _ in range(6):
        batch = review_batch(reviewer=reviewer, project=project)
        controls = [s for s in batch["submissions"] if s.pk >= CONTROL_ID_BASE]
        if not controls:
            break
        _item, good = parse_control_id(controls[0].pk)
        # Right every time but once: the first known-bad answer is let through.
        approve = good or not slipped
        slipped = slipped or not good
        review_decide(reviewer=reviewer, submission_id=controls[0].pk,
                      **({"decision": "approve"} if approve else
                         {"decision": "reject", "reason_code": "wrong_answer"}))
        decided += 1
    return decided


def demo_skills(*, client: User, reviewer: User, workers: list[User], shapes: Project,
                sentiment: Project, truth: dict[str, str],
                sentiment_truth: dict[str, str]) -> dict[str, Any]:
    for worker, profile in zip(workers, PROFILES, strict=True):
        WorkerProfile.objects.update_or_create(user=worker, defaults=profile)
    if not Item.objects.filter(project=shapes, gold__isnull=False).exists():
        # Without gold questions of its own (quality demo), six answered items become gold.
        for item in Item.objects.filter(project=shapes).order_by("pk")[:6]:
            Item.objects.filter(pk=item.pk).update(gold={"label": truth[item.data["image"]]})
    _reviewer_answers_gold(reviewer, sentiment, sentiment_truth)
    project_skills_set(user=client, project_id=shapes.pk, tags=["boxes", "visual"])
    project_skills_set(user=client, project_id=sentiment.pk, tags=["korean"])
    skills_compute()
    controls = _decide_controls(reviewer, sentiment)

    triage = project_create(
        user=client, organization_id=shapes.organization_id,
        name="Shape triage (by invitation)", kind="image_classification", reward=15,
        review_reward=2, overlap=1, config={"labels": list(SHAPES)},
        instructions="Only invited workers: pick the shape, carefully.",
    )
    items_import(user=client, project_id=triage.pk, lines=parse_records(
        [{"image": save_shape(SHAPES[i % 3], 2000 + i)} for i in range(6)]))
    project_launch(user=client, project_id=triage.pk)
    project_skills_set(user=client, project_id=triage.pk, tags=["visual"], invite_only=True,
                       bonus_skill=0.5, bonus_percent=20)
    _parsed, matches = recommendation_search(user=client, project_id=triage.pk, query=QUERY)
    invited = None
    if matches:
        best = matches[0]
        invited = invitation_create(
            user=client, project_id=triage.pk, worker_id=best.worker.pk,
            message="Your shape work is excellent — join our triage project?",
            reasons=best.reasons,
        )
    return {"triage": triage, "controls": controls, "invited": invited}
