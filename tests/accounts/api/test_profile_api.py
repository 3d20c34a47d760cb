"""A worker's profile through the API: native and other languages are fields of their own."""

from __future__ import annotations

import pytest

from datadam.accounts.models import Role, WorkerProfile
from datadam.qualifications.eligibility import claim_refusals
from datadam.qualifications.services import requirements_set

pytestmark = pytest.mark.django_db


def test_a_worker_sets_native_and_other_languages_and_reads_them_back(api, worker):
    r = api(worker).patch("me/profile", {"native_language": "ko",
                                         "other_languages": ["en", "ko", "ja"]})
    assert r.status_code == 200, r.content
    body = r.json()
    # The native language is not also "other"; the list keeps its order otherwise.
    assert (body["native_language"], body["other_languages"]) == ("ko", ["en", "ja"])
    assert api(worker).get("me/profile").json()["other_languages"] == ["en", "ja"]
    assert WorkerProfile.objects.get(user=worker).languages_known == ("ko", "en", "ja")


def test_a_patch_changes_only_the_fields_it_sends(api, worker):
    api(worker).patch("me/profile", {"native_language": "ko", "region": "Seoul"})
    body = api(worker).patch("me/profile", {"occupation": "nurse"}).json()
    assert (body["native_language"], body["region"], body["occupation"]) == (
        "ko", "Seoul", "nurse")
    assert api(worker).patch("me/profile", {"native_language": None}).json()[
        "native_language"] == ""


def test_other_languages_never_repeat_the_stored_native_one(api, worker):
    api(worker).patch("me/profile", {"native_language": "ko"})
    body = api(worker).patch("me/profile", {"other_languages": ["ko", "en", "en"]}).json()
    assert (body["native_language"], body["other_languages"]) == ("ko", ["en"])


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"native_language": "Korean"}, "native_language"),
        ({"other_languages": ["en", "xx"]}, "'xx'"),
        ({"gender": "robot"}, "gender"),
        ({"region": "x" * 101}, "region"),
        ({"languages": ["ko"]}, "languages"),
    ],
)
def test_bad_profile_fields_are_refused_with_a_message(api, worker, body, words):
    r = api(worker).patch("me/profile", body)
    assert r.status_code in (400, 422), r.content
    assert words in r.content.decode()
    assert not WorkerProfile.objects.filter(user=worker).exclude(native_language="").exists()


def test_only_workers_have_a_profile(api, make_user):
    client = make_user(Role.CLIENT)
    assert api(client).get("me/profile").status_code == 403
    assert api(client).patch("me/profile", {"region": "Seoul"}).status_code == 403


def test_a_project_asking_for_a_language_accepts_a_native_speaker(api, worker, make_project,
                                                                  client_org):
    project = make_project(items=1)
    requirements_set(user=client_org[0], project_id=project.pk, languages=["ko"])
    assert claim_refusals(worker=worker, project_id=project.pk)
    api(worker).patch("me/profile", {"native_language": "ko"})
    assert claim_refusals(worker=worker, project_id=project.pk) == []
