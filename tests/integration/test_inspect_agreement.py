"""Agreement with Frictionless on a representative set of shared files (see docs/inspect-agreement.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlens.inspect import inspect_file

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

SAME = [
    "mx-adela/spec/fixtures/files/ragged_rows_catalog.csv",
    "mx-adela/spec/fixtures/files/blank_rows_catalog.csv",
    "mx-adela/spec/fixtures/files/stray_quote_inventory.csv",
    "mx-adela/spec/fixtures/files/inventory-latin-1.csv",
    "mx-adela/spec/fixtures/files/inventario_general_de_datos_error_fecha.xlsx",
    "csv-validation/frictionless-py/data/invalid.csv",
    "csv-validation/frictionless-py/data/duplicate-headers.csv",
    "csv-validation/frictionless-py/data/blank-rows.csv",
    "csv-validation/frictionless-py/data/table-1MB.csv",
    "csv-validation/goodtables-py/data/invalid.csv",
    "csv-validation/goodtables-py/data/april-to-may-12th-2010.xls",
    "csv-validation/frictionless-py/data/table-output.ods",
]
# Where we differ on purpose; each is explained in docs/inspect-agreement.md.
DIFFERENT = [
    "mx-adela/spec/fixtures/files/invalid_encoding_inventory.csv",
    "csv-validation/goodtables-py/data/hmt/invalid_excel.xlsx",
    "csv-validation/frictionless-py/data/compression/implicit-gz.csv",
]


def _theirs(p: Path) -> set[tuple[str, int | None]]:
    from frictionless import validate

    report = validate(p.name, basepath=str(p.parent))
    task = report.tasks[0]
    out = set()
    for e in task.errors:
        row = getattr(e, "row_number", None) or (getattr(e, "row_numbers", None) or [None])[0]
        out.add((e.type, row))
    return out


def _ours(p: Path) -> set[tuple[str, int | None]]:
    r = inspect_file(p)
    first = r.tasks[0].name if r.tasks else None
    return {(e.type, e.row_number) for e in r.errors if e.sheet == first}


@pytest.mark.parametrize("rel", SAME)
def test_same_errors_as_frictionless(shared_data: Path, rel: str) -> None:
    pytest.importorskip("frictionless")
    p = shared_data / rel
    assert _ours(p) == _theirs(p)


@pytest.mark.parametrize("rel", DIFFERENT)
def test_documented_differences_still_hold(shared_data: Path, rel: str) -> None:
    pytest.importorskip("frictionless")
    p = shared_data / rel
    assert _ours(p) != _theirs(p)
    doc = (Path(__file__).resolve().parents[2] / "docs" / "inspect-agreement.md").read_text()
    assert Path(rel).name in doc
