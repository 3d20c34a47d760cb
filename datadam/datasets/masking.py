"""Personal data masked in what workers wrote, on its way into an export.

A project whose config sets ``mask_personal_data`` (a list of kinds from
``privacy.personal_data.ALL_KINDS``, or ``true`` for all) gets every string of each record's
result and individual answers passed through ``privacy.personal_data.mask_text``: resident
registration, phone, card and account numbers, e-mail addresses and street addresses become
``[RRN]``, ``[PHONE]``, ... The item's own data (what the client imported) is left as it was.
The dataset card states the kinds masked (``TaskKind.deidentification``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any


def masked_kinds(config: dict[str, Any]) -> tuple[str, ...]:
    """The kinds of personal data a project masks in exports (empty: none)."""
    wanted = config.get("mask_personal_data")
    if not wanted:
        return ()
    from datadam.privacy.personal_data import ALL_KINDS

    if wanted is True:
        return tuple(ALL_KINDS)
    if isinstance(wanted, list):
        return tuple(k for k in ALL_KINDS if k in wanted)
    return ()


def _masked(value: Any, kinds: tuple[str, ...]) -> Any:
    from datadam.privacy.personal_data import mask_text

    if isinstance(value, str):
        return mask_text(value, kinds)[0]
    if isinstance(value, list):
        return [_masked(v, kinds) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v, kinds) for k, v in value.items()}
    return value


def mask_records(records: Iterable[dict[str, Any]], kinds: tuple[str, ...]
                 ) -> Iterator[dict[str, Any]]:
    """The records with personal data masked in their results and answers."""
    for record in records:
        out = dict(record)
        if out.get("result") is not None:
            out["result"] = _masked(out["result"], kinds)
        if out.get("answers"):
            out["answers"] = _masked(out["answers"], kinds)
        yield out
