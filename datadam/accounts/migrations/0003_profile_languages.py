"""Native and other languages become fields of the worker profile.

``languages`` (what the worker reads and writes well) is renamed ``other_languages``; the
free-text attribute ``native_language`` ("ko", "Korean", "한국어", …) moves into the new
``native_language`` field, and out of ``other_languages``. A value that names no known
language stays an attribute, so nothing a worker wrote is lost.
"""

from django.db import migrations, models

import datadam.accounts.languages


def _attribute(attributes: dict) -> str | None:
    """The key of the native_language attribute, however it was spelled."""
    return next((k for k in attributes if str(k).strip().casefold() == "native_language"), None)


def forwards(apps, schema_editor) -> None:
    from datadam.accounts.languages import language_code

    Profile = apps.get_model("accounts", "WorkerProfile")
    for profile in Profile.objects.exclude(attributes={}).iterator():
        attributes = dict(profile.attributes or {}) if isinstance(profile.attributes, dict) else {}
        key = _attribute(attributes)
        code = language_code(attributes.get(key)) if key is not None else None
        if code is None:
            continue
        del attributes[key]
        others = [c for c in (profile.other_languages or []) if c != code]
        Profile.objects.filter(pk=profile.pk).update(
            native_language=code, attributes=attributes, other_languages=others)


def backwards(apps, schema_editor) -> None:
    Profile = apps.get_model("accounts", "WorkerProfile")
    for profile in Profile.objects.exclude(native_language="").iterator():
        attributes = dict(profile.attributes or {})
        attributes["native_language"] = profile.native_language
        languages = [profile.native_language, *(profile.other_languages or [])]
        Profile.objects.filter(pk=profile.pk).update(
            attributes=attributes, other_languages=list(dict.fromkeys(languages)))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_profile_and_login_attempts"),
    ]

    operations = [
        migrations.RenameField(
            model_name="workerprofile",
            old_name="languages",
            new_name="other_languages",
        ),
        migrations.AddField(
            model_name="workerprofile",
            name="native_language",
            field=models.CharField(
                blank=True, choices=datadam.accounts.languages.language_choices, max_length=8
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
