"""Hand-written SQL for the hot paths, with the ORM's own conversions on the way in and out.

Building a query through the ORM costs about 1 ms of CPU on the claim/submit path, several
times the database's own work. These helpers let a service run one SQL statement and still
get model instances whose values were converted exactly as the ORM converts them (JSON,
datetimes on SQLite, booleans), and insert rows whose column list follows the model: a
field added later with a default is filled in as ``Model.objects.create`` would fill it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
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
    conn = connections[DEFAULT_DB_ALIAS]
    ordered, order, convs = _reader(conn.vendor, model, names)
    row = [values[i] for i in order]
    for i, (col, found) in enumerate(convs):
        for conv in found:
            row[i] = conv(row[i], col, conn)
    return model.from_db(DEFAULT_DB_ALIAS, ordered, row)


class Ref(str):
    """A column value given as an SQL expression (``made.id``) instead of a parameter."""


# Field types whose prepared value is the value itself for a plain int or str (checked by
# type, so enums, lazy strings and other subclasses still go through the field).
_AS_IS = {
    int: {
        "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
        "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
        "PositiveSmallIntegerField", "ForeignKey", "OneToOneField",
    },
    str: {"CharField", "TextField", "SlugField", "EmailField"},
}


@cache
def _insert_plan(model: type[models.Model], given: frozenset[str], vendor: str) -> tuple:
    """Per model, set of given values and database: (column list, [(field, source, extra)]).

    source is 'given' (extra: the types whose value needs no preparing), 'now'
    (auto_now/auto_now_add), 'default' (a callable default) or 'constant' (extra: the
    default, prepared once here: it is the same for every row).
    """
    conn = connections[DEFAULT_DB_ALIAS]
    cols, plan = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in given:
            continue
        cols.append(q(field.column))
        if field.attname in given:
            kind = field.get_internal_type()
            plain = frozenset(t for t, kinds in _AS_IS.items() if kind in kinds)
            if field.null and kind != "JSONField":
                plain |= {type(None)}
            plan.append((field, "given", plain))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            plan.append((field, "now", None))
        elif callable(field.default):
            plan.append((field, "default", None))
        else:
            plan.append((field, "constant", field.get_db_prep_save(field.get_default(), conn)))
    return ", ".join(cols), tuple(plan)


def insert_parts(model: type[models.Model], values: dict[str, Any]) -> tuple[str, str, list[Any]]:
    """(column list, value expressions, params) for one row of ``model``.

    Values not given take the field's default, auto_now(_add) fields the current time, as
    ``Model.objects.create`` would; values are prepared by the fields (JSON, datetimes).
    Every request of the claim/submit loop inserts three rows, so the work per value is
    kept small: plain ints and strs and constant defaults skip the field's preparing.
    """
    conn = connections[DEFAULT_DB_ALIAS]  # the real connection: one lookup, not one per use
    cols, plan = _insert_plan(model, frozenset(values), conn.vendor)
    exprs, params = [], []
    for field, source, extra in plan:
        if source == "constant":
            exprs.append("%s")
            params.append(extra)
            continue
        if source == "given":
            value = values[field.attname]
            if type(value) in extra:
                exprs.append("%s")
                params.append(value)
                continue
        elif source == "now":
            value = timezone.now()
        else:
            value = field.get_default()
        if isinstance(value, Ref):
            exprs.append(str(value))
        else:
            exprs.append("%s")
            params.append(field.get_db_prep_save(value, conn))
    return cols, ", ".join(exprs), params


@cache
def _preparing_cursor_class() -> type:
    """A psycopg cursor that binds parameters on the server and prepares every statement."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):  # type: ignore[misc, valid-type]
        def execute(
            self,
            query: Any,
            params: Any = None,
            *,
            prepare: bool | None = True,
            binary: bool | None = None,
        ) -> Any:
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparingCursor


@contextmanager
def cursor() -> Iterator[Any]:
    """A cursor for the hot paths' statements: on PostgreSQL their plans are prepared once
    per connection and reused, instead of parsed and planned on every request.

    Parsing and planning was about half of PostgreSQL's CPU time on the claim/submit path:
    those statements are few and fixed, so each connection keeps them prepared (psycopg
    keeps the most recent ``prepared_max`` statements). The ORM's own queries keep Django's
    default client-side binding. ``DATADAM["PREPARED_STATEMENTS"]`` turns this off (for a
    connection pooler that cannot carry prepared statements). It is Django's own cursor
    wrapper either way: errors are translated and queries logged as usual.
    """
    if connection.vendor != "postgresql" or not settings.DATADAM["PREPARED_STATEMENTS"]:
        with connection.cursor() as cur:
            yield cur
        return
    connection.ensure_connection()
    raw = connection.connection
    factory = raw.cursor_factory
    raw.cursor_factory = _preparing_cursor_class()
    try:
        wrapped = connection.cursor()
    finally:
        raw.cursor_factory = factory
    with wrapped as cur:
        yield cur
