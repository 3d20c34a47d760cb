"""Model names in the Django admin are spelled right: "Ledger entries", not "Ledger entrys"."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.utils import translation

from datadam.quality.models import QualityPolicy, WorkerQuality
from datadam.rewards.models import LedgerEntry
from datadam.skills.models import ProjectSkills

# Default plurals ("name" + "s") that go wrong: a consonant before a final y, or a name that
# already ends in s, x, z, ch or sh.
NAIVE = re.compile(r"([^aeiou]ys|(s|x|z|ch|sh)s)$")


def _our_models() -> list[type]:
    return [m for m in apps.get_models() if m.__module__.startswith("datadam.")]


def test_the_three_misspelled_admin_plurals_are_fixed():
    with translation.override("en"):
        assert str(LedgerEntry._meta.verbose_name_plural) == "ledger entries"
        assert str(QualityPolicy._meta.verbose_name_plural) == "quality policies"
        assert str(WorkerQuality._meta.verbose_name_plural) == "worker qualities"
        assert str(ProjectSkills._meta.verbose_name_plural) == "project skill settings"


@pytest.mark.parametrize("scope", ["registered in the admin", "every datadam model"])
def test_no_model_plural_is_a_naive_misspelling(scope):
    models = list(admin.site._registry) if scope.startswith("registered") else _our_models()
    assert models
    with translation.override("en"):
        wrong = {m.__name__: str(m._meta.verbose_name_plural) for m in models
                 if NAIVE.search(str(m._meta.verbose_name_plural))}
    assert not wrong


@pytest.mark.django_db
def test_the_admin_index_lists_the_plurals_spelled_right(operator):
    client = Client(headers={"accept-language": "en"})
    client.force_login(operator)
    html = client.get("/admin/").content.decode()
    for name in ("Ledger entries", "Quality policies", "Worker qualities"):
        assert name in html
    assert not re.search(r"entrys|policys|qualitys", html, re.I)
