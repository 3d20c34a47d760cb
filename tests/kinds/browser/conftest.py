"""The canvas harness (harness.py) as the live server's URLconf, and helpers to drive it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

_NAME = "datadam_canvas_harness"


def _harness() -> Any:
    if _NAME not in sys.modules:
        spec = importlib.util.spec_from_file_location(_NAME, Path(__file__).with_name("harness.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = module
        spec.loader.exec_module(module)
    return sys.modules[_NAME]


@pytest.fixture
def harness(settings, live_server) -> Any:
    module = _harness()
    settings.ROOT_URLCONF = _NAME
    module.POSTED.clear()
    return module

