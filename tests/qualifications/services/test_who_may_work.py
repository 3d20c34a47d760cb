"""Project requirements: setting them, the claim refusing ineligible workers, the feed."""

from __future__ import annotations

import pytest

from datadam.accounts.services import profile_update
from datadam.errors import InvalidInput, NotFound, PermissionDenied
from datadam.qualifications import services
from datadam.qualifications.eligibility import claim_refusals
from datadam.qualifications.models import ProjectRequirement
from datadam.qualifications.selectors import worker_may_work
from datadam.work.selectors import feed_projects
from datadam.work.services import assignment_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def gated(client_org, make_project, qualification):
    project = make_project(items=3)
    services.requirements_set(user=client_org[0], project_id=project.pk,
                              qualifications=[{"qualification": qualification.pk,
                                               "min_level": 1}])
    return project


def test_a_worker_without_the_qualification_is_refused_with_the_reason(worker, gated):
    with pytest.raises(PermissionDenied) as err:
        assignment_claim(worker=worker, project_id=gated.pk)
    assert "Shape spotting" in err.value.message
    assert err.value.code == "not_eligible"
    assert err.value.details == worker_may_work(worker=worker, project=gated)


def test_the_claim_is_allowed_after_passing_the_exam(worker, gated, exam, take_exam):
    take_exam(worker, exam, right=4)
    assert worker_may_work(worker=worker, project=gated) == []
    assert assignment_claim(worker=worker, project_id=gated.pk) is not None


def test_an_expired_or_revoked_qualification_no_longer_counts(worker, operator, gated,
                                                              qualification):
    from datetime import timedelta

    from django.utils import timezone

    from datadam.qualifications.models import WorkerQualification

    services.qualification_grant(actor=operator, qualification_id=qualification.pk,
                                 email=worker.email, level=1)
    assert claim_refusals(worker=worker, project_id=gated.pk) == []
    WorkerQualification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert claim_refusals(worker=worker, project_id=gated.pk)
    WorkerQualification.objects.update(expires_at=None)
    services.qualification_revoke(actor=operator, qualification_id=qualification.pk,
                                  email=worker.email)
    assert claim_refusals(worker=worker, project_id=gated.pk)


def test_the_claim_check_is_one_query(worker, operator, gated, make_project, qualification,
                                      django_assert_num_queries):
    open_project = make_project(items=1)
    with django_assert_num_queries(1):
        assert claim_refusals(worker=worker, project_id=open_project.pk) == []
    services.qualification_grant(actor=operator, qualification_id=qualification.pk,
                                 email=worker.email, level=3)
    profile_update(user=worker, native_language="ko", region="Seoul")
    with django_assert_num_queries(1):
        assert claim_refusals(worker=worker, project_id=gated.pk) == []


def test_profile_conditions_are_read_in_the_claim_query(client_org, make_project, worker):
    project = make_project(items=2)
    services.requirements_set(user=client_org[0], project_id=project.pk, age_min=20,
                              age_max=60, genders=["female"], regions=["Seoul"],
                              languages=["ko"], devices=["microphone"],
                              attributes={"dialect": "Busan"})
    assert len(claim_refusals(worker=worker, project_id=project.pk)) == 6
    profile_update(user=worker, birth_year=1990, gender="female", region="seoul",
                   native_language="en", other_languages=["ko"], devices=["microphone"],
                   attributes={"dialect": "Busan"})
    assert claim_refusals(worker=worker, project_id=project.pk) == []
    assert assignment_claim(worker=worker, project_id=project.pk) is not None


def test_the_feed_leaves_out_projects_the_worker_may_not_work_on(worker, gated, make_project,
                                                                 exam, take_exam):
    free = make_project(items=1)
    assert list(feed_projects(worker=worker)) == [free]
    take_exam(worker, exam, right=4)
    assert set(feed_projects(worker=worker)) == {free, gated}


def test_requirements_are_validated(client_org, make_project, make_client_org):
    user = client_org[0]
    project = make_project()
    other_user, other_org = make_client_org()
    foreign = services.qualification_create(user=other_user, organization_id=other_org.pk,
                                            name="Theirs")
    bad = [
        {"qualifications": [{"qualification": foreign.pk, "min_level": 1}]},
        {"qualifications": [{"qualification": 999999}]},
        {"age_min": 40, "age_max": 30},
        {"age_min": 5},
        {"genders": ["robot"]},
        {"languages": "ko"},
        {"attributes": {"dialect": 3}},
    ]
    for fields in bad:
        with pytest.raises(InvalidInput):
            services.requirements_set(user=user, project_id=project.pk, **fields)
    assert not ProjectRequirement.objects.exists()


def test_only_the_projects_organization_sets_requirements(make_client_org, make_project, worker):
    project = make_project()
    other, _org = make_client_org()
    for user in (other, worker):
        with pytest.raises(NotFound):
            services.requirements_set(user=user, project_id=project.pk, age_min=20)


def test_asking_nothing_removes_the_requirements(client_org, gated):
    services.requirements_set(user=client_org[0], project_id=gated.pk)
    assert not ProjectRequirement.objects.filter(pk=gated.pk).exists()


def test_platform_qualifications_may_be_required(client_org, operator, make_project, worker):
    korean = services.qualification_create(user=operator, organization_id=None,
                                           name="Korean native", granting="manual")
    project = make_project()
    services.requirements_set(user=client_org[0], project_id=project.pk,
                              qualifications=[{"qualification": korean.pk, "min_level": 1}])
    assert "Korean native" in worker_may_work(worker=worker, project=project)[0]
