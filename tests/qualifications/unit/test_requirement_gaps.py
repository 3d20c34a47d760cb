"""Requirement evaluation without a database: every kind of condition."""

from __future__ import annotations

import pytest

from datadam.qualifications.eligibility import (
    WorkerFacts,
    age_range_text,
    parse_levels,
    requirement_gaps,
)
from datadam.qualifications.models import ProjectRequirement

YEAR = 2026


def req(**fields) -> ProjectRequirement:
    return ProjectRequirement(project_id=1, **fields)


def codes(requirement, facts) -> list[str]:
    return [g.code for g in requirement_gaps(requirement, facts, names={7: "Korean"}, year=YEAR)]


def test_a_project_asking_nothing_takes_everybody():
    assert codes(req(), WorkerFacts()) == []


@pytest.mark.parametrize("levels,expected", [
    ({}, ["qualification"]),
    ({7: 1}, ["qualification"]),
    ({7: 2}, []),
    ({7: 90}, []),
])
def test_a_qualification_must_be_held_at_the_minimum_level(levels, expected):
    assert codes(req(qualifications=[{"qualification": 7, "min_level": 2}]),
                 WorkerFacts(levels=levels)) == expected


def test_the_qualification_message_names_it_and_the_levels():
    requirement = req(qualifications=[{"qualification": 7, "min_level": 2}])
    [missing] = requirement_gaps(requirement, WorkerFacts(), names={7: "Korean"}, year=YEAR)
    [low] = requirement_gaps(requirement, WorkerFacts(levels={7: 1}), names={7: "Korean"},
                             year=YEAR)
    assert "Korean" in missing.message and "2" in missing.message
    assert "Korean" in low.message and "1" in low.message
    assert (missing.qualification_id, missing.min_level) == (7, 2)


@pytest.mark.parametrize("birth_year,expected", [
    (None, ["age"]),      # unknown: asked to fill in the profile
    (2007, ["age"]),      # 19 this year
    (2006, []),           # 20
    (1987, []),           # 39
    (1986, ["age"]),      # 40
])
def test_birth_year_gives_the_age_range(birth_year, expected):
    assert codes(req(age_min=20, age_max=39), WorkerFacts(birth_year=birth_year)) == expected


def test_open_ended_age_ranges():
    assert codes(req(age_min=60), WorkerFacts(birth_year=1960)) == []
    assert codes(req(age_max=30), WorkerFacts(birth_year=1960)) == ["age"]
    assert "or older" in age_range_text(60, None)


@pytest.mark.parametrize("gender,expected", [("female", []), ("male", ["gender"]),
                                             ("", ["gender"])])
def test_gender_must_be_in_the_list(gender, expected):
    assert codes(req(genders=["female", "other"]), WorkerFacts(gender=gender)) == expected


@pytest.mark.parametrize("region,expected", [(" seoul ", []), ("Busan", []),
                                             ("Daegu", ["region"]), ("", ["region"])])
def test_region_must_be_in_the_list_ignoring_case_and_spaces(region, expected):
    assert codes(req(regions=["Seoul", "Busan"]), WorkerFacts(region=region)) == expected


def test_every_required_language_must_be_listed():
    requirement = req(languages=["ko", "en"])
    assert codes(requirement, WorkerFacts(languages=("en", "ko", "ja"))) == []
    [gap] = requirement_gaps(requirement, WorkerFacts(languages=("ko",)), year=YEAR)
    assert gap.code == "languages" and "en" in gap.message and "ko" not in gap.message


def test_every_required_device_must_be_listed():
    requirement = req(devices=["android", "microphone"])
    assert codes(requirement, WorkerFacts(devices=("android", "microphone"))) == []
    assert codes(requirement, WorkerFacts(devices=("android",))) == ["devices"]


@pytest.mark.parametrize("attributes,expected", [
    ({"dialect": "Busan"}, []),
    ({"Dialect": " busan "}, []),
    ({"dialect": "Seoul"}, ["attributes"]),
    ({}, ["attributes"]),
])
def test_free_attributes_must_be_equal(attributes, expected):
    assert codes(req(attributes={"dialect": "Busan"}), WorkerFacts(attributes=attributes)) == (
        expected
    )


def test_all_gaps_are_listed_together():
    requirement = req(qualifications=[{"qualification": 7, "min_level": 1}], age_min=20,
                      genders=["female"], regions=["Seoul"], languages=["ko"],
                      devices=["iphone"], attributes={"dialect": "Busan"})
    assert codes(requirement, WorkerFacts()) == [
        "qualification", "age", "gender", "region", "languages", "devices", "attributes",
    ]


def test_levels_aggregated_by_the_database_are_parsed():
    assert parse_levels("3:1,12:75") == {3: 1, 12: 75}
    assert parse_levels(None) == {} == parse_levels("")
