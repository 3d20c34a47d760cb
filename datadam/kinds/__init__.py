"""Task kinds are plugins: each folder here defines one ``TaskKind`` and registers it.

A kind owns its item format, answer schema and validation, per-item aggregation and export
fields. The rest of the platform only talks to the ``TaskKind`` interface in ``base``.
"""

from __future__ import annotations

import importlib
import pkgutil

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


#: Packages here that are not kinds: shared code of several kinds.
_SHARED = frozenset({"geometry", "imaging", "templatetags"})
_loaded = False


def _load() -> None:
    """Import every kind package (a folder here with an ``__init__.py``, not private and not
    shared code); importing one registers its kind. Adding a kind touches its folder only."""
    global _loaded
    if _loaded:
        return
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.ispkg and not module.name.startswith("_") and module.name not in _SHARED:
            importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True
