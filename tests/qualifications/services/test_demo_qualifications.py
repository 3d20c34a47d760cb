"""The demo: the Shapes project requires the shape exam its workers passed, and a document
check waits for the operator."""

from __future__ import annotations

import pytest

from datadam.accounts.models import User
from datadam.demo.loader import demo_load
from datadam.projects.models import Project
from datadam.qualifications.models import CredentialCheck, ProjectRequirement, Qualification
from datadam.qualifications.selectors import worker_may_work

pytestmark = pytest.mark.django_db


def test_the_demo_gates_the_shapes_project_and_leaves_a_document_to_check(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_load(verbose=False)
    shapes = Project.objects.get(name__startswith="Shapes")
    spotting = Qualification.objects.get(name="Shape spotting")
    assert ProjectRequirement.objects.get(pk=shapes.pk).qualifications == [
        {"qualification": spotting.pk, "min_level": 1}
    ]
    assert spotting.exams.get().questions.count() == 4
    for email in ("worker@datadam.test", "worker2@datadam.test", "worker3@datadam.test"):
        assert worker_may_work(worker=User.objects.get(email=email), project=shapes) == []
    reviewer = User.objects.get(email="reviewer@datadam.test")
    assert worker_may_work(worker=reviewer, project=shapes)
    [check] = CredentialCheck.objects.all()
    assert (check.status, check.qualification.name) == ("pending", "Medical doctor")
    demo_load(verbose=False)  # loading twice changes nothing
    assert Qualification.objects.count() == 2
