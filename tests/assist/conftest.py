"""Fixtures of the model-assistance tests: a text classification project whose items say
their own label, and an encoder stand-in that is fast and deterministic."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

LABELS = ["pos", "neg"]


def fake_vector(text: str) -> np.ndarray:
    """A unit vector that separates the classes: texts with "good" point one way, "bad" the
    other, anything else in between, with a little noise from the text's hash."""
    seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
    rng = np.random.default_rng(seed)
    v = rng.normal(0, 0.3, 16).astype(np.float32)
    v[0] += 2.0 if "good" in text else -2.0 if "bad" in text else 0.0
    return v / np.linalg.norm(v)


@pytest.fixture
def fake_encoder(monkeypatch) -> Callable[[list[str]], np.ndarray]:
    """The sentence encoder replaced by ``fake_vector`` (the real one is tested on its own)."""
    from datadam.assist.textmodel import encoder

    def encode(texts: list[str]) -> np.ndarray:
        return np.stack([fake_vector(t) for t in texts]) if texts else np.zeros((0, 16))

    monkeypatch.setattr(encoder, "encode", encode)
    return encode


@pytest.fixture
def sentiment(make_project) -> Callable[..., Any]:
    """A launched project of ``n`` texts, half "good …", half "bad …"."""
    from datadam.projects.importing import items_import, parse_records

    def make(n: int = 40, **fields: Any) -> Any:
        fields.setdefault("config", {"labels": LABELS})
        project = make_project(items=0, launch=False, **fields)
        rows = [{"text": f"{'good' if i % 2 == 0 else 'bad'} review number {i}"}
                for i in range(n)]
        items_import(user=project.created_by, project_id=project.pk, lines=parse_records(rows))
        from datadam.projects.services import project_launch

        return project_launch(user=project.created_by, project_id=project.pk)

    return make
