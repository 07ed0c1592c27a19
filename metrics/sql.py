"""How the metrics engine talks to a database, and how its SQL is put together.

Query functions accept any :class:`Queryable` (the snapshot ``store.Reader`` in the app, a
:class:`Connection` around a plain duckdb connection in tests and tools). SQL is assembled only
from fragments defined as constants in this package; values always travel as named ``$params``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import duckdb
import pandas as pd

from metrics import registry

Cte = tuple[str, str]  # (name, SELECT …) — both constants of this package
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")

# Named constants every statement may use as parameters (fragments never splice them in).
CONSTANTS: dict[str, Any] = {"village_kind": "村", "index_code": registry.INDEX_CODE}


class Queryable(Protocol):
    """Anything that runs parameterised SQL and returns a DataFrame."""

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run ``sql`` with named ``params`` and return the result."""
        ...


class Connection:
    """A :class:`Queryable` over a duckdb connection (tests, tools, the CLI without a store).

    Examples
    --------
    >>> import duckdb
    >>> Connection(duckdb.connect()).query("SELECT $x AS x", {"x": 1})["x"].tolist()
    [1]

    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run ``sql`` with named ``params`` and return the result."""
        return self._con.execute(sql, dict(params or {})).df()


def with_ctes(ctes: Sequence[Cte], body: str) -> str:
    r"""``WITH name AS (…), … body`` from fragments of this package (never user text).

    A fragment listed twice (several modules may need it) is emitted once.

    Examples
    --------
    >>> with_ctes([("a", "SELECT 1 AS x"), ("a", "SELECT 1 AS x")], "SELECT x FROM a")
    'WITH a AS (SELECT 1 AS x)\nSELECT x FROM a'

    """
    unique: dict[str, str] = {}
    for name, text in ctes:
        if unique.setdefault(name, text) != text:
            raise ValueError(f"two different SQL fragments named {name!r}")
    if not unique:
        return body
    return "WITH " + ",\n".join(f"{n} AS ({t})" for n, t in unique.items()) + "\n" + body


def bind(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters ``sql`` uses, from ``params`` and :data:`CONSTANTS`.

    duckdb rejects named parameters a statement does not use.

    Examples
    --------
    >>> bind("SELECT $a, $index_code", {"a": 1, "b": 2})
    {'index_code': 'index', 'a': 1}

    """
    values = {**CONSTANTS, **params}
    used = set(_PARAM.findall(sql))
    missing = used - set(values)
    if missing:
        raise KeyError(f"SQL parameters without a value: {sorted(missing)}")
    return {k: v for k, v in values.items() if k in used}


def run(db: Queryable, ctes: Sequence[Cte], body: str, params: Mapping[str, Any]) -> pd.DataFrame:
    """Compose ``ctes`` + ``body`` and run it on ``db`` with the parameters it uses."""
    text = with_ctes(ctes, body)
    return db.query(text, bind(text, params))
