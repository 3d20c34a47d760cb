"""Language codes and names, and the move of free-text native languages into the field."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from datadam.accounts.languages import language_choices, language_code, language_label
from datadam.accounts.models import Role, WorkerProfile

migration = importlib.import_module("datadam.accounts.migrations.0003_profile_languages")


@pytest.mark.parametrize(
    ("text", "code"),
    [("ko", "ko"), ("ko-KR", "ko"), ("ko_kr", "ko"), ("Korean", "ko"), ("한국어", "ko"),
     (" japanese ", "ja"), ("일본어", "ja"), ("Klingon", None), ("", None), (3, None)],
)
def test_a_typed_language_is_read_as_its_code(text, code):
    assert language_code(text) == code


def test_languages_are_named_in_the_readers_language_with_their_own_name():
    with translation.override("ko"):
        assert language_label("ja") == "일본어 (日本語)"
        assert language_label("ko") == "한국어"
        labels = [label for _code, label in language_choices()]
    assert labels == sorted(labels, key=str.casefold)
    with translation.override("en"):
        assert language_label("ko") == "Korean (한국어)"


@pytest.mark.django_db
def test_the_migration_moves_a_typed_native_language_into_the_field(make_user):
    known, unknown = make_user(Role.WORKER), make_user(Role.WORKER)
    WorkerProfile.objects.create(user=known, other_languages=["ko", "en"],
                                 attributes={"Native_Language": "Korean", "dialect": "Busan"})
    WorkerProfile.objects.create(user=unknown, attributes={"native_language": "Klingon"})
    migration.forwards(apps, None)
    moved = WorkerProfile.objects.get(user=known)
    assert (moved.native_language, moved.other_languages, moved.attributes) == (
        "ko", ["en"], {"dialect": "Busan"})
    kept = WorkerProfile.objects.get(user=unknown)  # nothing a worker wrote is lost
    assert (kept.native_language, kept.attributes) == ("", {"native_language": "Klingon"})
    migration.backwards(apps, None)
    back = WorkerProfile.objects.get(user=known)
    assert back.other_languages == ["ko", "en"]
    assert back.attributes["native_language"] == "ko"
