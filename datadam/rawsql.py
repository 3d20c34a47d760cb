"""Hand-written SQL for the hot paths, with the ORM's own conversions on the way in and out.

Building a query through the ORM costs about 1 ms of CPU on the claim/submit path, several
times the database's own work. These helpers let a service run one SQL statement and still
get model instances whose values were converted exactly as the ORM converts them (JSON,
datetimes on SQLite, booleans), and insert rows whose column list follows the model: a
field added later with a default is filled in as ``Model.objects.create`` would fill it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection, models
from django.utils import timezone


def fits(number: int) -> bool:
    """Whether a number from a URL fits a 64-bit key column; sqlite3 raises OverflowError on
    a larger parameter (the ORM treats such a lookup as matching nothing, so do the callers)."""
    return -(2**63) <= number < 2**63


def q(name: str) -> str:
    """A quoted table or column name."""
    return connection.ops.quote_name(name)


@cache
def table(model: type[models.Model]) -> str:
    return q(model._meta.db_table)


@cache
def attnames(model: type[models.Model]) -> tuple[str, ...]:
    """Every concrete column of a model, in the order ``Model.from_db`` expects."""
    return tuple(f.attname for f in model._meta.concrete_fields)


@cache
def columns(model: type[models.Model], alias: str, names: tuple[str, ...] | None = None) -> str:
    """``alias."col", ...`` for a SELECT list (all concrete columns when ``names`` is None)."""
    return ", ".join(
        f"{alias}.{q(model._meta.get_field(n).column)}" for n in names or attnames(model)
    )


@cache
def _reader(vendor: str, model: type[models.Model], names: tuple[str, ...]) -> tuple:
    """(names in concrete-field order, their positions in ``names``, converters per name)."""
    position = {name: i for i, name in enumerate(attnames(model))}
    order = sorted(range(len(names)), key=lambda i: position[names[i]])
    convs = []
    for i in order:
        field = model._meta.get_field(names[i])
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        convs.append((col, tuple(found)))
    return tuple(names[i] for i in order), tuple(order), tuple(convs)


def instance(model: type[models.Model], names: tuple[str, ...], values: Any) -> Any:
    """A model instance from raw column values, converted as the ORM converts them.

    ``names`` are the attnames of ``values``, in any order; other fields are deferred
    (loaded on first use).
    """
    ordered, order, convs = _reader(connection.vendor, model, names)
    row = [values[i] for i in order]
    for i, (col, found) in enumerate(convs):
        for conv in found:
            row[i] = conv(row[i], col, connection)
    return model.from_db(connection.alias, ordered, row)


class Ref(str):
    """A column value given as an SQL expression (``made.id``) instead of a parameter."""


@cache
def _insert_plan(model: type[models.Model], given: frozenset[str]) -> tuple:
    """Per model and set of given values: (column list, [(field, source)]) where source is
    'given', 'now' (auto_now/auto_now_add) or 'default'."""
    cols, plan = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in given:
            continue
        cols.append(q(field.column))
        if field.attname in given:
            plan.append((field, "given"))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            plan.append((field, "now"))
        else:
            plan.append((field, "default"))
    return ", ".join(cols), tuple(plan)


def insert_parts(model: type[models.Model], values: dict[str, Any]) -> tuple[str, str, list[Any]]:
    """(column list, value expressions, params) for one row of ``model``.

    Values not given take the field's default, auto_now(_add) fields the current time, as
    ``Model.objects.create`` would; values are prepared by the fields (JSON, datetimes).
    """
    cols, plan = _insert_plan(model, frozenset(values))
    exprs, params = [], []
    for field, source in plan:
        if source == "given":
            value = values[field.attname]
        elif source == "now":
            value = timezone.now()
        else:
            value = field.get_default()
        if isinstance(value, Ref):
            exprs.append(str(value))
        else:
            exprs.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    return cols, ", ".join(exprs), params
