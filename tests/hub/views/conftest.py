"""Fixtures of the hub's page tests: signed-in test clients and a by-request dataset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from datadam.hub.models import Dataset

TERMS = "Research use only. Do not try to identify anyone."


@pytest.fixture
def signed_in() -> Callable[[Any], Client]:
    """A test client signed in as ``user`` (None: an anonymous visitor)."""

    def make(user: Any = None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def by_request(published, client_org) -> Dataset:
    """The published dataset, switched to by-request with usage terms."""
    from datadam.hub.services.datasets import dataset_update

    return dataset_update(user=client_org[0], dataset_id=published.pk, visibility="request",
                          usage_terms=TERMS)
