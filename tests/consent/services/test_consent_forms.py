"""A project's consent form: versions, removal, who may change it."""

from __future__ import annotations

import pytest

from datadam.audit.models import AuditEvent
from datadam.consent import services
from datadam.consent.models import ConsentForm
from datadam.consent.selectors import current_form
from datadam.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def save(project, user=None, **fields):
    body = {"title": "Voice consent", "body": "We record your voice.", "subject": "worker",
            **fields}
    return services.consent_form_save(user=user or project.created_by, project_id=project.pk,
                                      **body)


def test_each_change_saves_a_new_version_and_keeps_the_old_one_inactive(make_project):
    project = make_project()
    first = save(project)
    second = save(project, body="We record your voice and keep it two years.")
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert not first.active and second.active
    assert current_form(project.pk) == second
    events = AuditEvent.objects.filter(action="consent_form.save", project_id=project.pk)
    assert [e.data["version"] for e in events.order_by("pk")] == [1, 2]


def test_saving_the_current_form_unchanged_makes_no_new_version(make_project):
    project = make_project()
    first = save(project)
    again = save(project, title="  Voice consent  ")
    assert again.pk == first.pk
    assert ConsentForm.objects.filter(project=project).count() == 1


def test_removing_the_form_asks_for_none_and_a_later_save_continues_the_numbering(
    make_project,
):
    project = make_project()
    save(project)
    services.consent_form_remove(user=project.created_by, project_id=project.pk)
    assert current_form(project.pk) is None
    assert ConsentForm.objects.filter(project=project, active=False).count() == 1
    services.consent_form_remove(user=project.created_by, project_id=project.pk)  # no-op
    assert AuditEvent.objects.filter(action="consent_form.remove").count() == 1
    assert save(project, subject="third_party").version == 2


def test_only_the_projects_organization_or_an_operator_may_change_its_form(
    make_project, make_client_org, worker, operator
):
    project = make_project()
    for stranger in (make_client_org()[0], worker):
        with pytest.raises(NotFound):
            save(project, user=stranger)
        with pytest.raises(NotFound):
            services.consent_form_remove(user=stranger, project_id=project.pk)
    assert save(project, user=operator).version == 1


@pytest.mark.parametrize("fields,message", [
    ({"title": "  "}, "title must not be empty"),
    ({"body": ""}, "body must not be empty"),
    ({"title": "x" * 201}, "title must be at most 200"),
    ({"body": "a\x00b"}, "NUL"),
    ({"subject": "everybody"}, "subject must be one of: worker, third_party"),
    ({"title": 5}, "title must be text"),
])
def test_a_form_that_cannot_be_signed_is_refused_with_the_reason(make_project, fields, message):
    project = make_project()
    with pytest.raises(InvalidInput, match=message):
        save(project, **fields)
    assert not ConsentForm.objects.exists()
