"""Table Schema constraints and ``unique``, held to Frictionless's own verdicts."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from govlens.inspect import constraints, inspect_file

DATA = b"""id,n,x,d,code,name
1,5,1.5,2024-01-01,A,ab
01,10,2.5,2023-12-31,B,abc
3,11,-0.5,2024-06-01,C,a
4,0,3.0,2025-01-01,a,abcd
5,,2.0,,,
x,7,1e1,2024-13-01,A,ab
5,7,2.0,2024-02-02,A,
"""
SCHEMA: dict[str, Any] = {"fields": [
    {"name": "id", "type": "integer", "constraints": {"unique": True, "enum": [1, 3, 4, 5, 6]}},
    {"name": "n", "type": "integer",
     "constraints": {"minimum": 1, "exclusiveMaximum": 11, "required": True}},
    {"name": "x", "type": "number", "constraints": {"exclusiveMinimum": 0, "maximum": 2.5}},
    {"name": "d", "type": "date", "constraints": {"minimum": "2024-01-01", "maximum": "2024-12-31"}},
    {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z]", "enum": ["A", "B", "C"]}},
    {"name": "name", "type": "string", "constraints": {"minLength": 2, "maxLength": 3, "unique": True}},
]}
Found = list[tuple[str, int | None, int | None, str]]


def frictionless_errors(path: Path, schema: dict[str, Any]) -> Found:
    from frictionless import Resource, validate

    descriptor = {"name": "data", "path": path.name, "schema": schema,
                  # Data Package v2: exclusiveMinimum and exclusiveMaximum are v2 constraints
                  "$schema": "https://datapackage.org/profiles/2.0/dataresource.json"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = validate(Resource.from_descriptor(descriptor, basepath=str(path.parent)))
    return sorted((e.type, e.row_number, e.field_number, e.note) for e in report.tasks[0].errors)


def govlens_errors(path: Path, schema: dict[str, Any], engine: str) -> Found:
    report = inspect_file(path, schema=schema, engine=engine)
    return sorted((e.type, e.row_number, e.field_number, e.note) for e in report.errors)


@pytest.mark.parametrize("engine", ["arrow", "python"])
def test_constraints_and_unique_as_frictionless(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(DATA)
    expected = frictionless_errors(path, SCHEMA)
    assert ("constraint-error", 4, 3, 'constraint "exclusiveMinimum" is "0"') in expected
    assert ("unique-error", 3, 1, "the same as in the row at position 2") in expected  # "01" is 1
    assert govlens_errors(path, SCHEMA, engine) == expected


@pytest.mark.parametrize("engine", ["arrow", "python"])
def test_unique_in_record_order_across_ragged_records(tmp_path: Path, engine: str) -> None:
    # Ragged records reach the columnar engine apart from the others; repeats must still
    # point at the previous occurrence in record order.
    body = "id,v\n" + "".join(
        f"{i % 7},{i}\n" if i % 3 else f"{i % 7},{i},extra\n" for i in range(1, 60))
    path = tmp_path / "r.csv"
    path.write_text(body)
    schema = {"fields": [{"name": "id", "type": "integer", "constraints": {"unique": True}},
                         {"name": "v", "type": "integer"}]}
    assert govlens_errors(path, schema, engine) == frictionless_errors(path, schema)


def test_unique_beyond_its_memory_is_stated_not_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constraints, "UNIQUE_BUDGET", 20_000)
    path = tmp_path / "u.csv"
    path.write_text("id\n" + "".join(f"k{i}\n" for i in range(5000)) + "k1\nk4999\n")
    schema = {"fields": [{"name": "id", "type": "string", "constraints": {"unique": True}}]}
    for engine in ("arrow", "python"):
        r = inspect_file(path, schema=schema, engine=engine)
        # "k1" was remembered before the memory filled; "k4999" was not
        assert [(e.type, e.row_number) for e in r.errors] == [("unique-error", 5002)], engine
        assert not r.coverage.complete
        assert r.coverage.rows_checked == r.coverage.rows_total == 5002
        assert any('"unique" on field 1 ("id") is checked in part from row' in w
                   for w in r.warnings), r.warnings


def test_constraint_not_for_the_type_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\nx,1\n")
    schema = {"fields": [{"name": "a", "type": "string", "constraints": {"minimum": 3}},
                         {"name": "b", "type": "integer", "constraints": {"maximum": "many"}}]}
    r = inspect_file(path, schema=schema)
    assert r.valid
    assert any('constraint "minimum" does not apply to type "string"' in w for w in r.warnings)
    assert any('constraint "maximum"' in w and "does not read as integer" in w for w in r.warnings)


def test_numeric_bounds_near_the_bound_are_exact(tmp_path: Path) -> None:
    # values a float comparison could get wrong go through the exact reader
    path = tmp_path / "b.csv"
    path.write_text("x\n0.30000000000000001\n0.3\n0.30000000000000004\n9007199254740993\n")
    schema = {"fields": [{"name": "x", "type": "number",
                          "constraints": {"maximum": "0.3", "minimum": "0.3"}}]}
    for engine in ("arrow", "python"):
        found = govlens_errors(path, schema, engine)
        assert [(t, row) for t, row, _, _ in found] == [
            ("constraint-error", 2), ("constraint-error", 4), ("constraint-error", 5)], engine
