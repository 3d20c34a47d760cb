"""Task kinds are plugins: each folder here defines one ``TaskKind`` and registers it.

A kind owns its item format, answer schema and validation, per-item aggregation and export
fields. The rest of the platform only talks to the ``TaskKind`` interface in ``base``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from datadam.errors import InvalidInput

from .base import TaskKind

_REGISTRY: dict[str, TaskKind] = {}


def register(kind: TaskKind) -> TaskKind:
    _REGISTRY[kind.slug] = kind
    return kind


def get_kind(slug: str) -> TaskKind:
    _load()
    try:
        return _REGISTRY[slug]
    except KeyError:
        raise InvalidInput(
            _(
                "unknown task kind %(slug)s; known kinds: %(known)s"
            )
            % {"slug": repr(slug), "known": ', '.join(sorted(_REGISTRY))}
        ) from None


def kind_title(slug: str) -> str:
    """A kind's title in the active language; an unknown slug becomes words."""
    _load()
    kind = _REGISTRY.get(slug)
    return str(kind.title) if kind is not None else slug.replace("_", " ").capitalize()


def all_kinds() -> list[TaskKind]:
    _load()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def _load() -> None:
    # Importing a kind's package registers it.
    from . import (  # noqa: F401
        bounding_box,
        image_classification,
        keypoints,
        ocr,
        polygon,
        text_classification,
    )
