"""Who hears of a dataset's events: its organization's members."""

from __future__ import annotations

from django.db.models import QuerySet

from datadam.accounts.models import User

from .models import Dataset


def managers_of(dataset: Dataset) -> QuerySet[User]:
    return User.objects.filter(membership__organization_id=dataset.organization_id,
                               is_active=True)
