"""Fixtures for notifications: sending one to a user with a registered code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datadam.notifications.models import Notification
from datadam.notifications.services import notification_send


@pytest.fixture
def notify() -> Callable[..., Notification]:
    """Send ``user`` a "version ready" notification for ``dataset`` linking to ``link``."""

    def send(user: Any, *, dataset: str = "Street signs", version: str = "1.2",
             link: str = "/work/", code: str = "hub.version_ready") -> Notification:
        return notification_send(
            user=user, code=code, params={"dataset": dataset, "version": version}, link=link
        )

    return send
