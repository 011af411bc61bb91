"""A list of names as a table a query can join: how one statement reads a status for many tenants, one index
seek per tenant, instead of one statement per tenant or a scan of every row."""

from __future__ import annotations

import json
from collections.abc import Collection

from sqlalchemy import ARRAY, String, bindparam, func
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause


def names_table(dialect: str, names: Collection[str]) -> tuple[FromClause, ColumnElement[str]]:
    """A table of ``names`` (one row each) and its column, in one bound parameter: SQLite's ``json_each`` over a
    JSON array, PostgreSQL's ``unnest`` over an array. A list of selects joined by UNION would meet SQLite's
    limit of 500 terms."""
    ordered = sorted(set(names))
    if dialect == "postgresql":
        table = func.unnest(bindparam("names", ordered, type_=ARRAY(String))).table_valued("name").render_derived()
        return table, table.c.name
    if dialect == "sqlite":
        table = func.json_each(bindparam("names", json.dumps(ordered), type_=String)).table_valued("value")
        return table, table.c.value
    raise ValueError(f"the ledger supports SQLite and PostgreSQL, not {dialect}")
