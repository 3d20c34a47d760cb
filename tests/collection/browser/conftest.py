"""The capture harness (harness.py) as the live server's URLconf, and a browser tab that may
use Chromium's fake camera and microphone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ...conftest import load_harness

_NAME = "datadam_capture_harness"


def _harness() -> Any:
    return load_harness(_NAME, Path(__file__).with_name("harness.py"))


@pytest.fixture
def harness(settings, live_server) -> Any:
    module = _harness()
    settings.ROOT_URLCONF = _NAME
    for store in (module.POSTED, module.UPLOADS, module.REPLY, module.FILES):
        store.clear()
    return module


@pytest.fixture
def photo_file(tmp_path) -> Any:
    """A JPEG of the given size on disk, for the file picker."""

    def make(width: int, height: int) -> Path:
        path = tmp_path / f"photo-{width}x{height}.jpg"
        path.write_bytes(_harness().image_bytes(width, height))
        return path

    return make


def _allow_devices(tab: Any) -> Any:
    tab.context.grant_permissions(["camera", "microphone"])
    return tab


@pytest.fixture
def cam_page(page) -> Any:
    """The English desktop tab, allowed to use the (fake) camera and microphone."""
    return _allow_devices(page)


@pytest.fixture
def cam_phone_page(phone_page) -> Any:
    """A phone-sized tab (390×844), allowed to use the camera and microphone."""
    return _allow_devices(phone_page)


@pytest.fixture
def cam_ko_page(ko_page) -> Any:
    """The Korean tab, allowed to use the camera and microphone."""
    return _allow_devices(ko_page)
