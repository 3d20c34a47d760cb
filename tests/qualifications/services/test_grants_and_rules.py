"""Operator grants and revocations, and qualifications computed from reviewed work."""

from __future__ import annotations

import pytest

from datadam.audit.models import AuditEvent
from datadam.errors import Conflict, InvalidInput, NotFound
from datadam.qualifications import services
from datadam.qualifications.models import WorkerQualification
from datadam.review.services import review_decide

pytestmark = pytest.mark.django_db


def test_an_operator_grants_and_revokes_by_email_and_both_are_audited(operator, worker,
                                                                      qualification):
    holding = services.qualification_grant(actor=operator, qualification_id=qualification.pk,
                                           email=worker.email.upper(), level=2)
    assert (holding.level, holding.source, holding.is_active()) == (2, "manual", True)
    services.qualification_revoke(actor=operator, qualification_id=qualification.pk,
                                  email=worker.email, reason="fraud")
    holding.refresh_from_db()
    assert not holding.is_active()
    actions = list(AuditEvent.objects.filter(target_type="workerqualification")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["qualification.grant", "qualification.revoke"]
    with pytest.raises(Conflict):
        services.qualification_revoke(actor=operator, qualification_id=qualification.pk,
                                      email=worker.email)


def test_granting_what_is_already_held_changes_and_records_nothing(operator, worker,
                                                                   qualification):
    for _ in range(2):
        services.qualification_grant(actor=operator, qualification_id=qualification.pk,
                                     email=worker.email, level=1)
    assert WorkerQualification.objects.count() == 1
    assert AuditEvent.objects.filter(action="qualification.grant").count() == 1


def test_grants_refuse_unknown_workers_and_bad_levels(operator, client_org, worker,
                                                      qualification):
    with pytest.raises(NotFound):
        services.qualification_grant(actor=operator, qualification_id=qualification.pk,
                                     email="nobody@example.test", level=1)
    with pytest.raises(NotFound):  # clients hold no qualifications
        services.qualification_grant(actor=operator, qualification_id=qualification.pk,
                                     email=client_org[0].email, level=1)
    with pytest.raises(InvalidInput):
        services.qualification_grant(actor=operator, qualification_id=qualification.pk,
                                     email=worker.email, level=101)
    assert not WorkerQualification.objects.exists()


def test_another_organization_cannot_grant_or_see_the_qualification(make_client_org, worker,
                                                                    qualification):
    other, _org = make_client_org()
    with pytest.raises(NotFound):
        services.qualification_grant(actor=other, qualification_id=qualification.pk,
                                     email=worker.email, level=1)


def test_names_are_unique_per_organization(client_org, make_client_org, qualification):
    with pytest.raises(Conflict):
        services.qualification_create(user=client_org[0], organization_id=client_org[1].pk,
                                      name="Shape spotting")
    other, org = make_client_org()
    assert services.qualification_create(user=other, organization_id=org.pk,
                                         name="Shape spotting")


def test_only_operators_create_platform_qualifications(client_org, operator):
    from datadam.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.qualification_create(user=client_org[0], organization_id=None, name="Korean")
    q = services.qualification_create(user=operator, organization_id=None, name="Korean")
    assert q.organization_id is None


@pytest.fixture
def reviewed(make_project, reviewer, do_work):
    """Reviewed answers: ``reviewed(worker, approved=n, rejected=m)``."""
    project = make_project(items=40, overlap=3)

    def make(worker, approved: int = 0, rejected: int = 0):
        for i in range(approved + rejected):
            sub = do_work(project, worker)
            review_decide(reviewer=reviewer, submission_id=sub.pk,
                          decision="approve" if i < approved else "reject",
                          reason_code="" if i < approved else "careless")
    return make


def test_a_computed_qualification_is_granted_once_however_often_it_runs(
    client_org, make_user, reviewed
):
    user, org = client_org
    q = services.qualification_create(user=user, organization_id=org.pk, name="Careful",
                                      granting="computed")
    services.rule_add(user=user, qualification_id=q.pk, kind="text_classification",
                      min_reviewed=10, min_approval_rate=0.9, level=1)
    good, sloppy, new = make_user(), make_user(), make_user()
    reviewed(good, approved=10, rejected=1)
    reviewed(sloppy, approved=8, rejected=4)
    reviewed(new, approved=5)
    assert services.qualifications_compute() == {"granted": 1, "revoked": 0}
    assert services.qualifications_compute() == {"granted": 0, "revoked": 0}
    held = WorkerQualification.objects.filter(qualification=q)
    assert [(h.worker_id, h.level, h.source) for h in held] == [(good.pk, 1, "computed")]
    assert AuditEvent.objects.filter(action="qualification.grant").count() == 1


def test_a_computed_holding_is_revoked_when_its_rule_no_longer_holds(client_org, worker,
                                                                     reviewed):
    from datadam.qualifications.tasks import compute_task

    user, org = client_org
    q = services.qualification_create(user=user, organization_id=org.pk, name="Careful",
                                      granting="computed")
    rule = services.rule_add(user=user, qualification_id=q.pk, min_reviewed=3,
                             min_approval_rate=1.0, level=2)
    reviewed(worker, approved=3)
    compute_task.call(qualification_id=q.pk)
    assert WorkerQualification.objects.get(worker=worker).level == 2
    reviewed(worker, rejected=1)
    assert compute_task.call(qualification_id=q.pk) == {"granted": 0, "revoked": 1}
    assert not WorkerQualification.objects.get(worker=worker).is_active()
    services.rule_delete(user=user, rule_id=rule.pk)


def test_rules_only_count_work_on_the_owning_organizations_projects(
    make_client_org, make_project, worker, reviewer, do_work
):
    owner, org = make_client_org()
    q = services.qualification_create(user=owner, organization_id=org.pk, name="Careful",
                                      granting="computed")
    services.rule_add(user=owner, qualification_id=q.pk, min_reviewed=2, min_approval_rate=0.5)
    elsewhere = make_project(items=3)  # another organization's project
    for _ in range(2):
        sub = do_work(elsewhere, worker)
        review_decide(reviewer=reviewer, submission_id=sub.pk, decision="approve")
    assert services.qualification_compute(qualification_id=q.pk)["granted"] == 0


def test_rules_need_a_computed_qualification(client_org, qualification):
    with pytest.raises(InvalidInput):
        services.rule_add(user=client_org[0], qualification_id=qualification.pk)


def test_a_qualification_in_use_cannot_be_deleted(client_org, operator, worker, qualification,
                                                  make_project):
    user = client_org[0]
    services.qualification_grant(actor=operator, qualification_id=qualification.pk,
                                 email=worker.email, level=1)
    with pytest.raises(Conflict):
        services.qualification_delete(user=user, qualification_id=qualification.pk)
    unused = services.qualification_create(user=user, organization_id=client_org[1].pk,
                                           name="Unused")
    project = make_project()
    services.requirements_set(user=user, project_id=project.pk,
                              qualifications=[{"qualification": unused.pk, "min_level": 1}])
    with pytest.raises(Conflict) as err:
        services.qualification_delete(user=user, qualification_id=unused.pk)
    assert f"#{project.pk}" in err.value.message
    services.requirements_set(user=user, project_id=project.pk)
    services.qualification_delete(user=user, qualification_id=unused.pk)
