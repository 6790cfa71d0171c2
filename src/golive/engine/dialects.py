"""Every difference between SQL engines that the check compiler meets, in one place.

The compiler asks a :class:`Dialect` for conditional aggregates, percentiles, a
float sum, epoch microseconds of a timestamp and the string functions of the
expression language; everything else is plain SQLAlchemy Core.

Engines (see docs/sql-sources.md for the full table):

==========  ===================================================  ======  =====================
engine      percentile                                           exact   conditional aggregate
==========  ===================================================  ======  =====================
duckdb      ``quantile_cont(x, q)``                              yes     FILTER (or CASE)
postgresql  ``percentile_cont(q) WITHIN GROUP (ORDER BY x)``     yes     FILTER (or CASE)
==========  ===================================================  ======  =====================

On PostgreSQL, which never runs ``percentile_cont`` in parallel, a percentile
outside ``every`` buckets is computed one of three ways, chosen from the number of
distinct values PostgreSQL's statistics estimate for the field
(:meth:`Dialect.percentile_way`): read off the groups of a statement grouped by the
value (few values), a histogram subquery (more values, or no statistics), or
``percentile_cont`` in its own subquery (many values). docs/scaling.md has the
measurements behind the thresholds.

Both percentiles interpolate linearly between closest ranks, as numpy's default
does, so every engine gives the JSONL path's numbers. ClickHouse, Trino and
BigQuery are documented, not compiled: an engine without a dialect here is an
``error`` on its checks, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeAlias

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement

from golive.engine.fields import JsonColumns, json_field_columns

Conditional: TypeAlias = Literal["filter", "case"]
Kind: TypeAlias = Literal["text", "number", "boolean", "time", "json", "other"]
PercentileWay: TypeAlias = Literal["inline", "grouped", "histogram", "ordered"]

GROUPED_MAX_VALUES = 5_000
"""Up to this many distinct values, a PostgreSQL percentile is read off a statement
grouped by the value: one scan for every check (each group carries every check's
aggregates, so more groups cost more than a second scan)."""
HISTOGRAM_MAX_VALUES = 200_000
"""Up to this many, a histogram subquery (a parallel hash aggregate) beats sorting;
beyond, ``percentile_cont`` in its own subquery does."""


@dataclass(frozen=True)
class Dialect:
    """How one SQL engine spells what the compiler needs."""

    name: str
    conditional: Conditional = "filter"

    def with_conditional(self, conditional: Conditional) -> Dialect:
        """The same dialect with FILTER or CASE conditional aggregates."""
        return replace(self, conditional=conditional)

    # -- aggregates ---------------------------------------------------------------------

    def _when(self, condition: ColumnElement[bool], value: Any) -> ColumnElement[Any]:
        return sa.case((condition, value))

    def count_if(self, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        """How many rows satisfy ``condition``."""
        if self.conditional == "filter":
            return sa.func.count().filter(condition)
        return sa.func.count(self._when(condition, 1))

    def aggregate(
        self, name: str, value: ColumnElement[Any], condition: ColumnElement[bool]
    ) -> ColumnElement[Any]:
        """``name(value)`` (count, min, max) over the rows where ``condition`` holds."""
        function = getattr(sa.func, name)
        if self.conditional == "filter":
            return function(value).filter(condition)  # type: ignore[no-any-return]
        return function(self._when(condition, value))  # type: ignore[no-any-return]

    def count_distinct(
        self, value: ColumnElement[Any], condition: ColumnElement[bool]
    ) -> ColumnElement[Any]:
        """How many distinct non-null ``value`` where ``condition`` holds."""
        if self.conditional == "filter":
            return sa.func.count(sa.distinct(value)).filter(condition)
        return sa.func.count(sa.distinct(self._when(condition, value)))

    def float_sum(
        self, value: ColumnElement[Any], condition: ColumnElement[bool], *, partial: bool = False
    ) -> ColumnElement[Any]:
        """An accurate sum of doubles (compensated or exact), as a double.

        ``partial``: a part to be summed again (per group), kept exact: numeric on
        PostgreSQL, where the final sum becomes the double.
        """
        argument = value if self.conditional == "filter" else self._when(condition, value)
        if self.name == "duckdb":
            total: Any = sa.func.fsum(argument)
        else:  # summing as numeric is exact; the result is read back as a double
            total = sa.func.sum(sa.cast(argument, sa.Numeric))
        if self.conditional == "filter":
            total = total.filter(condition)
        return total if self.name == "duckdb" or partial else sa.cast(total, sa.Double)

    def percentile(
        self, value: ColumnElement[Any], fraction: float, condition: ColumnElement[bool]
    ) -> ColumnElement[Any]:
        """The linearly interpolated ``fraction`` quantile of ``value`` (exact)."""
        argument = value if self.conditional == "filter" else self._when(condition, value)
        q = sa.literal(fraction, sa.Double)
        quantile: Any
        if self.name == "duckdb":
            quantile = sa.func.quantile_cont(argument, q)
        else:
            quantile = sa.func.percentile_cont(q).within_group(argument)
        return quantile.filter(condition) if self.conditional == "filter" else quantile  # type: ignore[no-any-return]

    def percentile_way(self, distinct: float | None) -> PercentileWay:
        """How to compute an unbucketed percentile of a field with about ``distinct`` values.

        ``inline`` (an aggregate in the statement) wherever the engine's percentile
        aggregate runs in parallel (DuckDB). On PostgreSQL: ``grouped`` for few
        values, ``histogram`` for more or when there are no statistics (None),
        ``ordered`` (``percentile_cont`` in a subquery) for many.
        """
        if self.name != "postgresql":
            return "inline"
        if distinct is None:
            return "histogram"
        if distinct <= GROUPED_MAX_VALUES:
            return "grouped"
        return "histogram" if distinct <= HISTOGRAM_MAX_VALUES else "ordered"

    def scanning_percentile(
        self,
        value: ColumnElement[Any],
        fraction: float,
        rows: Any,
        condition: ColumnElement[bool],
        *,
        ordered: bool = False,
    ) -> ColumnElement[Any]:
        """The exact ``fraction`` quantile as a subquery of its own, outside the checks' scan.

        PostgreSQL never runs an ordered-set aggregate such as ``percentile_cont`` in
        parallel, so one among the checks' aggregates puts their whole scan on one
        core. ``ordered`` keeps ``percentile_cont``, in a subquery of its own. Else a
        histogram (``GROUP BY value``), a parallel aggregate; the quantile is then read
        off its running counts (:func:`quantile_of_ranks`).
        """
        if ordered:
            by_sorting = sa.func.percentile_cont(sa.literal(fraction, sa.Double))
            return (
                sa.select(by_sorting.within_group(value))
                .select_from(rows)
                .where(condition)
                .correlate(None)
            ).scalar_subquery()
        histogram = (
            sa.select(value.label("v"), sa.func.count().label("c"))
            .select_from(rows)
            .where(condition, value.is_not(None))
            .group_by(value)
            .correlate(None)
            .subquery("histogram")
        )
        value_counts = running_counts(histogram.c.c, histogram.c.v)
        running = sa.select(histogram.c.v, *value_counts).subquery("running")
        quantile = quantile_of_ranks(running.c.v, running.c.upto, running.c.n, fraction)
        return sa.select(quantile).scalar_subquery()

    # -- time ---------------------------------------------------------------------------

    def epoch_us(self, timestamp: ColumnElement[Any]) -> ColumnElement[Any]:
        """Epoch microseconds of a timestamp value (a naive timestamp is read as UTC)."""
        if self.name == "duckdb":
            return sa.func.epoch_us(timestamp)
        return sa.cast(sa.extract("epoch", timestamp) * 1_000_000, sa.BigInteger)

    # -- strings (``text`` is NULL for non-strings; the caller makes NULL false) -------

    def exact_text(self, text: ColumnElement[Any]) -> ColumnElement[Any]:
        """A text column read as the expression language compares strings: code point by code point.

        JSON Lines strings compare as Python compares them, and so must a column whatever
        collation it or its database has. A linguistic one (``en_US.UTF-8``, ICU) puts
        ``"B"`` after ``"a"`` for ``<``; a nondeterministic one (case-insensitive ICU)
        makes ``"A" == "a"``, merges them in ``distinct`` and refuses ``LIKE``, ``strpos``
        and ``~`` outright. ``COLLATE "C"`` is the byte order of UTF-8, which is the code
        point order, on both PostgreSQL and DuckDB.
        """
        return sa.collate(text, "C")

    def string_test(
        self, function: str, text: ColumnElement[Any], argument: str
    ) -> ColumnElement[Any]:
        """``startswith endswith contains glob matches`` of the expression language."""
        if self.name == "duckdb":
            bound = sa.literal(argument, sa.String)
            if function == "glob":
                return text.op("GLOB")(bound)
            name = {
                "startswith": "starts_with",
                "endswith": "ends_with",
                "contains": "contains",
                "matches": "regexp_matches",
            }[function]
            return getattr(sa.func, name)(text, bound)  # type: ignore[no-any-return]
        if function == "startswith":
            # LIKE with a literal prefix, not starts_with(): the same answer for the
            # deterministic collations text uses, and about 4x cheaper per row (measured
            # on 20M rows in PostgreSQL 15: docs/scaling.md).
            return text.startswith(argument, autoescape=True)
        if function == "endswith":
            return sa.func.right(text, len(argument)) == sa.literal(argument, sa.String)
        if function == "contains":
            return sa.func.strpos(text, sa.literal(argument, sa.String)) > 0
        pattern = glob_to_regex(argument) if function == "glob" else argument
        return text.op("~")(sa.literal(pattern, sa.String))

    # -- values inside JSON columns -----------------------------------------------------

    def json_field(
        self, document: ColumnElement[Any], path: list[str], index: int
    ) -> tuple[JsonColumns, list[Any]]:
        """Typed projections of the value at ``path`` in a JSON column (labelled by ``index``).

        The same views as for JSON Lines: whether the value is null or missing, the raw
        value, and text/number/boolean views that are NULL for a value of another type.
        """
        if self.name == "duckdb":
            where = "$" + "".join(f'."{part}"' for part in path)  # parts are identifiers
            return json_field_columns(sa.func.json_extract(document, where), index)
        bound = sa.literal(path, postgresql.ARRAY(sa.String))
        value = sa.cast(document, postgresql.JSONB).op("#>")(bound)
        text = sa.cast(document, postgresql.JSONB).op("#>>", return_type=sa.String)(bound)
        json_type = sa.func.upper(sa.func.jsonb_typeof(value))
        names = JsonColumns(f"t{index}", f"r{index}", f"s{index}", f"n{index}", f"b{index}")
        return names, [
            sa.or_(value.is_(None), json_type == "NULL").label(names.type),
            value.label(names.raw),
            sa.case((json_type == "STRING", self.exact_text(text))).label(names.text),
            sa.case((json_type == "NUMBER", sa.cast(text, sa.Double))).label(names.number),
            sa.case((json_type == "BOOLEAN", sa.cast(text, sa.Boolean))).label(names.boolean),
        ]

    # -- column types -------------------------------------------------------------------

    def kind(self, type_name: str) -> Kind:
        """What the expression language can read from a column of this SQL type."""
        name = type_name.lower().split("(")[0].strip()
        if name in _TEXT or name.startswith(("varchar", "char", "character")):
            return "text"
        if name in _NUMBER or name.startswith(("decimal", "numeric")):
            return "number"
        if name in ("boolean", "bool"):
            return "boolean"
        if name.startswith("timestamp"):
            return "time"
        if name in ("json", "jsonb"):
            return "json"
        return "other"


def running_counts(
    counts: ColumnElement[Any], value: ColumnElement[Any], suffix: str = ""
) -> list[ColumnElement[Any]]:
    """Over rows of (value, count): the count up to each value (ties included), and in all."""
    total = sa.func.sum(counts)
    return [
        sa.cast(total.over(order_by=value), sa.Double).label(f"upto{suffix}"),
        sa.cast(total.over(), sa.Double).label(f"n{suffix}"),
    ]


def quantile_of_ranks(
    value: ColumnElement[Any],
    upto: ColumnElement[Any],
    n: ColumnElement[Any],
    fraction: float,
) -> ColumnElement[Any]:
    """The ``fraction`` quantile, aggregated over rows of (value, running count, total).

    ``percentile_cont``'s own arithmetic: the values at ranks floor and ceil of
    ``fraction * (n - 1)``, interpolated linearly. Rows of a value none of the
    counted rows holds add nothing to the running count, so they are never chosen.
    """
    q = sa.literal(fraction, sa.Double)
    total = sa.func.max(n)
    rank = q * (n - 1)
    low = sa.func.min(value).filter(upto > sa.func.floor(rank))
    high = sa.func.min(value).filter(upto > sa.func.ceil(rank))
    return low + (high - low) * (q * (total - 1) - sa.func.floor(q * (total - 1)))


_TEXT = ("text", "varchar", "string", "bpchar", "name", "uuid")
_NUMBER = (
    "integer",
    "int",
    "int2",
    "int4",
    "int8",
    "smallint",
    "bigint",
    "hugeint",
    "tinyint",
    "utinyint",
    "usmallint",
    "uinteger",
    "ubigint",
    "uhugeint",
    "real",
    "float",
    "float4",
    "float8",
    "double",
    "double precision",
)

DUCKDB = Dialect("duckdb")
POSTGRESQL = Dialect("postgresql")
DIALECTS = {d.name: d for d in (DUCKDB, POSTGRESQL)}


def dialect_for(engine_name: str) -> Dialect:
    """The dialect for a SQLAlchemy dialect name; a clear error for engines not supported."""
    dialect = DIALECTS.get(engine_name)
    if dialect is None:
        known = ", ".join(sorted(DIALECTS))
        raise ValueError(
            f"SQL engine '{engine_name}' has no golive dialect yet (supported: {known}); "
            "see docs/sql-sources.md for what ClickHouse, Trino and BigQuery need"
        )
    return dialect


_GLOB_TOKEN = re.compile(r"\*|\?|\[!?[^\]]*\]|.", re.DOTALL)


def glob_to_regex(pattern: str) -> str:
    """A glob (``*``, ``?``, ``[abc]``, ``[!abc]``) as an anchored POSIX regular expression."""
    out = ["^"]
    for token in _GLOB_TOKEN.findall(pattern):
        if token == "*":
            out.append(".*")
        elif token == "?":
            out.append(".")
        elif len(token) > 1:  # a character class
            body = token[2:-1] if token.startswith("[!") else token[1:-1]
            escaped = body.replace("\\", "\\\\")
            out.append(("[^" if token.startswith("[!") else "[") + escaped + "]")
        else:
            out.append(re.escape(token))
    out.append("$")
    return "".join(out)
