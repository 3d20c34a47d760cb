"""The canvas harness (harness.py) as the live server's URLconf, and helpers to drive it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ...conftest import load_harness

_NAME = "datadam_canvas_harness"


def _harness() -> Any:
    return load_harness(_NAME, Path(__file__).with_name("harness.py"))


@pytest.fixture
def harness(settings, live_server) -> Any:
    module = _harness()
    settings.ROOT_URLCONF = _NAME
    module.POSTED.clear()
    return module

