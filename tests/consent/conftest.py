"""Fixtures for consent: a project asking for a consent form, signing, and captures made
under a consent (rows written directly: the capture code belongs to the collection app)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from datadam.collection.models import Capture
from datadam.consent import services
from datadam.consent.models import Consent, ConsentForm
from datadam.projects.models import Project

_seq = itertools.count(1)

FORM_BODY = ("We record your voice reading sentences.\n\nThe recordings train speech "
             "recognition. You may withdraw at any time.")


@pytest.fixture
def ask_consent(client_org) -> Callable[..., ConsentForm]:
    """Make ``project`` ask for a consent form (as its client); a new version each time."""

    def ask(project: Project, subject: str = "worker", *, title: str = "",
            body: str = FORM_BODY) -> ConsentForm:
        return services.consent_form_save(
            user=project.created_by, project_id=project.pk,
            title=title or f"Recording consent {next(_seq)}", body=body, subject=subject,
        )

    return ask


@pytest.fixture
def consent_project(make_project, ask_consent) -> Project:
    """An open project asking workers to consent for their own voice."""
    project = make_project(items=5)
    ask_consent(project)
    return project


@pytest.fixture
def sign() -> Callable[..., Consent]:
    def do(worker: Any, project: Project, name: str = "Kim Minji", *,
           third_party: bool = False, signature: str | None = None) -> Consent:
        return services.consent_sign(
            worker=worker, project_id=project.pk, subject_name=name,
            signature=name if signature is None else signature, agree=True,
            third_party=third_party, user_agent="pytest",
        )

    return do


@pytest.fixture
def make_capture() -> Callable[..., Capture]:
    """A capture by ``worker`` in ``project`` under ``consent`` (on the worker's lease)."""
    from datadam.work.services import assignment_claim

    def make(project: Project, worker: Any, consent: Consent | None) -> Capture:
        assignment = assignment_claim(worker=worker, project_id=project.pk)
        assert assignment is not None, "no task left to claim"
        n = next(_seq)
        return Capture.objects.create(
            project=project, organization_id=project.organization_id, assignment=assignment,
            item_id=assignment.item_id, worker=worker, media_kind="audio",
            key=f"captures/{n}.webm", content_type="audio/webm", size=1000 + n,
            sha256=f"{n:064x}", consent=consent,
        )

    return make
