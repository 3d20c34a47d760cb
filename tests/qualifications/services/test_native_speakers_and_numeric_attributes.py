"""A client targets native Korean speakers, an age range and free attributes (numbers
compared), in the API and the browser form; the claim checks them against the profile."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from datadam.accounts.services import profile_update
from datadam.errors import InvalidInput
from datadam.qualifications import services
from datadam.qualifications.eligibility import claim_refusals
from datadam.qualifications.models import ProjectRequirement
from datadam.qualifications.selectors import worker_may_work
from datadam.work.services import assignment_claim

pytestmark = pytest.mark.django_db

PARENTS = {"parent_of_infant": "yes", "baby_age_months": "<=6"}


@pytest.fixture
def parents_project(client_org, make_project):
    project = make_project(items=2)
    services.requirements_set(user=client_org[0], project_id=project.pk, age_min=20,
                              age_max=45, native_languages=["ko"], attributes=PARENTS)
    return project


def test_a_native_korean_parent_of_a_young_baby_may_claim(parents_project, worker):
    assert len(claim_refusals(worker=worker, project_id=parents_project.pk)) == 4
    profile_update(user=worker, birth_year=1992, native_language="ko",
                   attributes={"parent_of_infant": "Yes", "baby_age_months": "4"})
    assert claim_refusals(worker=worker, project_id=parents_project.pk) == []
    assert assignment_claim(worker=worker, project_id=parents_project.pk) is not None


def test_a_fluent_but_not_native_speaker_or_an_older_baby_is_told_what_is_missing(
    parents_project, worker
):
    profile_update(user=worker, birth_year=1992, native_language="en", other_languages=["ko"],
                   attributes={"parent_of_infant": "yes", "baby_age_months": "9"})
    reasons = claim_refusals(worker=worker, project_id=parents_project.pk)
    assert reasons == [
        "This project is for native speakers of: Korean. Your profile says: English.",
        "Your profile needs the attribute baby_age_months as a number of 6 or less.",
    ]
    assert worker_may_work(worker=worker, project=parents_project) == reasons


@pytest.mark.parametrize("fields,message", [
    ({"native_languages": ["korean"]}, "native_languages: 'korean' are not language codes"),
    ({"native_languages": "ko"}, "native_languages must be a list"),
    ({"attributes": {"baby_age_months": "<=six"}}, "compares with no number"),
    ({"attributes": {"native_language": "ko"}}, "use languages or native_languages"),
])
def test_targeting_that_could_never_match_is_refused(client_org, make_project, fields,
                                                     message):
    project = make_project()
    with pytest.raises(InvalidInput, match=message):
        services.requirements_set(user=client_org[0], project_id=project.pk, **fields)


def test_the_api_sets_and_reads_native_languages_and_a_numeric_attribute(
    client_org, make_project, api
):
    project = make_project()
    url = f"qualifications/projects/{project.pk}/requirements"
    body = {"age_min": 20, "age_max": 45, "native_languages": ["ko"], "attributes": PARENTS}
    r = api(client_org[0]).put(url, body)
    assert r.status_code == 200, r.content
    assert {k: r.json()[k] for k in body} == body
    r = api(client_org[0]).put(url, {"attributes": {"baby_age_months": "<=x"}})
    assert r.status_code == 422 and "compares with no number" in r.json()["message"]


def test_the_requirements_form_takes_native_speakers_and_comparisons(client_org, make_project):
    project = make_project()
    client = Client()
    client.force_login(client_org[0])
    url = f"/qualifications/projects/{project.pk}/requirements/"
    r = client.post(url, {"age_min": "20", "age_max": "45", "native_languages": ["ko"],
                          "attributes": "parent_of_infant=yes\nbaby_age_months <= 6"})
    assert r.status_code == 302, r.content.decode()[:2000]
    req = ProjectRequirement.objects.get(pk=project.pk)
    assert (req.age_min, req.age_max, req.native_languages, req.attributes) == (
        20, 45, ["ko"], PARENTS)
    page = client.get(url).content.decode()
    assert "baby_age_months&lt;=6" in page and "parent_of_infant=yes" in page
    assert re.search(r'<input type="checkbox" name="native_languages" value="ko"[^>]* checked>',
                     page)
    page = client.post(url, {"attributes": "baby_age_months<=six"}).content.decode()
    assert "compares with no number" in page


def test_a_worker_fills_free_attributes_in_the_profile_form(worker):
    client = Client()
    client.force_login(worker)
    r = client.post("/accounts/profile/", {"native_language": "ko",
                                           "attributes": "parent_of_infant=yes\n"
                                                         "baby_age_months=4"})
    assert r.status_code == 302
    worker.profile.refresh_from_db()
    assert worker.profile.attributes == {"parent_of_infant": "yes",
                                               "baby_age_months": "4"}
