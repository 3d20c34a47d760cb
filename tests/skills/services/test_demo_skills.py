"""The demo shows skills, a recommendation with an invitation, and reviewer control scores."""

from __future__ import annotations

import pytest

from datadam.audit.models import AuditEvent
from datadam.demo.loader import demo_load
from datadam.recommendations.models import Invitation
from datadam.reviewchecks.models import ControlDecision
from datadam.skills.models import WorkerSkill

pytestmark = pytest.mark.django_db


def test_demo_has_skills_invitation_and_control_scores(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_load(verbose=False)
    wendy = WorkerSkill.objects.get(worker__email="worker@datadam.test",
                                    kind="image_classification")
    sam = WorkerSkill.objects.get(worker__email="worker3@datadam.test",
                                  kind="image_classification")
    assert wendy.gold_total > 0 and wendy.lower > sam.lower
    assert WorkerSkill.objects.filter(tag="boxes").exists()
    inv = Invitation.objects.get()
    assert inv.status == "pending" and inv.reasons
    assert AuditEvent.objects.filter(action="recommendation.search").exists()
    decisions = ControlDecision.objects.filter(reviewer__email="reviewer@datadam.test")
    assert decisions.count() >= 3
    assert decisions.filter(correct=False).count() == 1


def test_demo_pages_show_skills_recommendations_and_scores(settings, tmp_path):
    from django.test import Client

    from datadam.demo.loader import PASSWORD

    settings.MEDIA_ROOT = tmp_path
    demo_load(verbose=False)

    def page(email: str, url: str, **params: str) -> str:
        c = Client()
        assert c.login(username=email, password=PASSWORD)
        res = c.get(url, params)
        assert res.status_code == 200, (email, url, res.status_code)
        return res.content.decode()

    assert 'data-scope="image_classification"' in page("worker@datadam.test", "/skills/")
    triage = Invitation.objects.get().project
    html = page("client@datadam.test", f"/talent/projects/{triage.pk}/",
                query="careful, visually sharp, Korean native, has done boxes before")
    assert 'data-criterion="tag"' in html and "data-invitation" in html
    assert "Your review accuracy" in page("reviewer@datadam.test", "/skills/")
    assert "reviewer@datadam.test" in page("operator@datadam.test", "/review-checks/")
    assert triage.name in page("worker@datadam.test", "/talent/invitations/")
