"""The grouped statement's table of how each aggregate adds up over groups."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from golive.engine.compiler import _SUMMED_BY, SOURCE_COLUMNS, _summed
from golive.engine.measures import AGGREGATES


def test_every_aggregate_a_measure_reads_adds_up_over_groups_except_distinct() -> None:
    names = {name for wanted in AGGREGATES.values() for name in wanted} | set(SOURCE_COLUMNS)
    names |= {"bad", "suspects"}
    # a distinct count does not add up: a statement with one is never grouped
    assert names - {"distinct"} <= set(_SUMMED_BY), names - set(_SUMMED_BY)


def test_an_aggregate_without_a_rule_is_an_error_not_a_sum() -> None:
    with pytest.raises(KeyError):
        _summed(sa.literal_column("1").label("c3_median"))
    assert "sum(" in str(_summed(sa.literal_column("1").label("c3_n")))
    assert "min(" in str(_summed(sa.literal_column("1").label("c3_tmin")))
