"""Period validation, labels, arithmetic and the baseline."""

import duckdb
import pytest
from burden_fixture import build

from metrics import periods, schema
from metrics.errors import InvalidInputError
from metrics.sql import Connection


@pytest.mark.parametrize("bad", ["2025Q5", "2025q4", "2025-Q4", "25Q4", "2025Q4 ", "", None])
def test_validate_is_strict(bad):
    with pytest.raises(InvalidInputError):
        periods.validate(bad)


def test_label_and_shift():
    assert periods.label("2025Q4") == "2025年第四季度"
    assert periods.label("2025Q1", "en") == "2025 Q1"
    assert periods.shift("2025Q1", -1) == "2024Q4"
    assert periods.shift("2024Q3", 4) == "2025Q3"


def test_available_latest_baseline_and_require():
    con = duckdb.connect()
    db = build(con)
    assert periods.available(db) == ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    assert periods.latest(db) == "2025Q2"
    assert periods.baseline(db) == "2024Q1"
    assert periods.require(db, None) == "2025Q2"
    with pytest.raises(InvalidInputError, match="2024Q1–2025Q2"):
        periods.require(db, "2023Q4")
    schema.set_meta(con, "baseline_period", "2024Q4")
    assert periods.baseline(db) == "2024Q4"


def test_empty_database():
    con = duckdb.connect()
    schema.migrate(con)
    db = Connection(con)
    assert periods.latest(db) is None
    with pytest.raises(InvalidInputError):
        periods.require(db, None)
