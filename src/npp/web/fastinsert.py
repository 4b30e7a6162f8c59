"""Insert many rows with ``executemany``: for writers of tens of thousands of rows at once
(the demo loader, the statistics rebuild), where ``bulk_create`` spends most of its time
building a model instance and preparing every field of every row.

Values go through the same conversions as the ORM's (each field's ``get_db_prep_save``; dates
and times through the backend's adapters), but only for the fields that need one: text,
numbers, booleans and keys pass as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from npp.web.crypto import Ciphertext, EncryptedJSONField, EncryptedTextField

BATCH = 5000
PLAIN = (
    models.CharField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _sqlite_datetime(v: Any) -> str | None:
    if v is None:
        return None
    if v.tzinfo is not None:
        v = v.astimezone(dt.UTC).replace(tzinfo=None)
    return str(v)


def _converter(model: type[models.Model], attname: str) -> Callable[[Any], Any] | None:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    conn = connections[DEFAULT_DB_ALIAS]
    ops = conn.ops
    if isinstance(field, models.DateTimeField):
        if conn.vendor == "sqlite" and conn.timezone == dt.UTC:
            return _sqlite_datetime  # what the adapter does, without its checks per value
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    if isinstance(field, models.ForeignKey):
        return None  # the key's value, as given
    if isinstance(field, PLAIN) and type(field).get_db_prep_save is models.Field.get_db_prep_save:
        return None
    if isinstance(field, EncryptedTextField | EncryptedJSONField):
        return lambda v: v if type(v) is Ciphertext else field.get_db_prep_save(v, conn)
    return lambda v: field.get_db_prep_save(v, conn)


def insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples of values for ``columns``, the fields' attnames) into
    ``model``'s table; returns the number of rows. PostgreSQL gets them by ``COPY`` (one
    statement a batch, no per-row parsing and planning: an import of 100,000 records spent
    half its time in the server with ``executemany``); SQLite by ``executemany``."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    convert = [(i, c) for i, a in enumerate(columns) if (c := _converter(model, a)) is not None]
    copy = connection.vendor == "postgresql"
    sql = (
        f"COPY {table} ({cols}) FROM STDIN"
        if copy
        else f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    n = 0
    it = iter(rows)
    with connection.cursor() as cur:
        while batch := [list(r) for r in islice(it, BATCH)]:
            for r in batch:
                for i, c in convert:
                    r[i] = c(r[i])
            if copy:
                with cur.cursor.copy(sql) as pipe:
                    for r in batch:
                        pipe.write_row(r)
            else:
                cur.executemany(sql, batch)
            n += len(batch)
    return n


def insert_objects(
    model: type[models.Model], objects: Iterable[models.Model], *, with_pk: bool = False
) -> int:
    """Insert unsaved instances (an auto primary key is left to the database unless
    ``with_pk``)."""
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if with_pk or not isinstance(f, models.fields.AutoFieldMixin)
    ]
    return insert(model, fields, ([getattr(o, a) for a in fields] for o in objects))


def next_id(model: type[models.Model]) -> int:
    """The first free primary key (explicit keys let rows refer to rows not yet written)."""
    top = model.objects.aggregate(m=models.Max("pk"))["m"]
    return int(top or 0) + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After inserting explicit keys: move PostgreSQL's sequences past them."""
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(model_list)):
            cur.execute(sql)
