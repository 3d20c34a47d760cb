"""Recommendations rank and explain; invitations open an invitation-only project."""

from __future__ import annotations

import pytest

from datadam.accounts.models import Role, WorkerProfile
from datadam.audit.models import AuditEvent
from datadam.errors import Conflict, NotFound, PermissionDenied
from datadam.recommendations.models import InvitationStatus
from datadam.recommendations.services import (
    invitation_create,
    invitation_respond,
    invitation_withdraw,
    recommendation_search,
)
from datadam.review.services import review_decide
from datadam.skills.services import project_skills_set, skills_compute
from datadam.work.selectors import feed_cards, feed_projects
from datadam.work.services import assignment_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(make_project, mark_gold, make_user, do_work, reviewer, client_org):
    """Three workers with history in a tagged "boxes" project: ``good`` right on all gold and
    Korean, ``sloppy`` wrong on the gold, ``fresh`` without work but in Busan."""
    history = make_project(items=8, overlap=2)
    project_skills_set(user=client_org[0], project_id=history.pk, tags=["boxes"])
    good, sloppy, fresh = (make_user(Role.WORKER) for _ in range(3))
    WorkerProfile.objects.create(user=good, native_language="ko", other_languages=["en"],
                                 region="Seoul")
    WorkerProfile.objects.create(user=sloppy, other_languages=["en"], region="Seoul")
    WorkerProfile.objects.create(user=fresh, other_languages=["ko"], region="Busan")
    for _ in range(8):
        s = do_work(history, good)
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="approve")
        s = do_work(history, sloppy, {"label": "neg"})
        review_decide(reviewer=reviewer, submission_id=s.pk, decision="reject",
                      reason_code="wrong_answer")
    mark_gold(history, 8)
    skills_compute()
    return history, good, sloppy, fresh


def test_ranked_and_explained(crowd, make_project, client_org):
    _history, good, sloppy, _fresh = crowd
    target = make_project(items=3)
    parsed, matches = recommendation_search(
        user=client_org[0], project_id=target.pk,
        query="careful, Korean native, has done boxes before")
    assert {c.name for c in parsed.criteria} == {"accuracy", "language", "tag"}
    ids = [m.worker.pk for m in matches]
    assert ids.index(good.pk) < ids.index(sloppy.pk)
    top = matches[0]
    assert top.worker == good
    texts = " ".join(line["text"] for line in top.lines)
    assert "gold 8/8" in texts and "native Korean speaker" in texts and "#boxes" in texts
    assert all(0 <= line["match"] <= 1 for line in top.lines)
    assert AuditEvent.objects.filter(action="recommendation.search").count() == 1


def test_required_filters_cut_and_others_cannot_search(crowd, make_project, client_org,
                                                        make_client_org):
    _history, good, sloppy, fresh = crowd
    target = make_project(items=3)
    _parsed, matches = recommendation_search(
        user=client_org[0], project_id=target.pk, query="",
        filters={"region": "Busan"})
    assert [m.worker for m in matches] == [fresh]
    other, _org = make_client_org()
    with pytest.raises(NotFound):
        recommendation_search(user=other, project_id=target.pk, query="careful")


def test_invitation_flow_opens_an_invitation_only_project(crowd, make_project, client_org):
    _history, good, _sloppy, _fresh = crowd
    target = make_project(items=3, reward=1)
    project_skills_set(user=client_org[0], project_id=target.pk, invite_only=True)
    with pytest.raises(PermissionDenied):
        assignment_claim(worker=good, project_id=target.pk)
    assert target not in feed_projects(worker=good)
    inv = invitation_create(user=client_org[0], project_id=target.pk, worker_id=good.pk,
                            message="Join us")
    with pytest.raises(Conflict):
        invitation_create(user=client_org[0], project_id=target.pk, worker_id=good.pk)
    _p, again = recommendation_search(user=client_org[0], project_id=target.pk, query="")
    assert good not in [m.worker for m in again]  # already invited
    invitation_respond(worker=good, invitation_id=inv.pk, accept=True)
    with pytest.raises(Conflict):
        invitation_respond(worker=good, invitation_id=inv.pk, accept=False)
    cards = feed_cards(worker=good)
    assert cards[0].project == target  # lowest reward, yet first
    assert assignment_claim(worker=good, project_id=target.pk) is not None
    actions = set(AuditEvent.objects.filter(project_id=target.pk)
                  .values_list("action", flat=True))
    assert {"invitation.create", "invitation.accepted"} <= actions


def test_decline_reinvite_withdraw_and_scoping(crowd, make_project, client_org, make_user):
    _history, good, sloppy, _fresh = crowd
    target = make_project(items=3)
    inv = invitation_create(user=client_org[0], project_id=target.pk, worker_id=sloppy.pk)
    with pytest.raises(NotFound):
        invitation_respond(worker=good, invitation_id=inv.pk, accept=True)
    invitation_respond(worker=sloppy, invitation_id=inv.pk, accept=False)
    inv = invitation_create(user=client_org[0], project_id=target.pk, worker_id=sloppy.pk)
    assert inv.status == InvitationStatus.PENDING
    inv = invitation_withdraw(user=client_org[0], invitation_id=inv.pk)
    assert inv.status == InvitationStatus.WITHDRAWN
    with pytest.raises(NotFound):
        invitation_create(user=client_org[0], project_id=target.pk,
                          worker_id=make_user(Role.CLIENT).pk)
