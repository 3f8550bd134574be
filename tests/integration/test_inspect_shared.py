"""Every shared CSV and spreadsheet gets a truthful report; the known faults are diagnosed."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlens.inspect import inspect_file
from govlens.model import TableReport

pytestmark = pytest.mark.shared_data

TABULAR = {".csv", ".tsv", ".xlsx", ".xls", ".ods"}


def _shared_tables(root: Path) -> list[Path]:
    dirs = [root / "csv-validation", root / "mx-adela" / "spec" / "fixtures" / "files"]
    return sorted(p for d in dirs for p in d.rglob("*") if p.suffix.lower() in TABULAR)


def _pairs(r: TableReport) -> list[tuple[str, int | None, int | None]]:
    return [(e.type, e.row_number, e.field_number) for e in r.errors]


def test_every_shared_table_reports_its_coverage(shared_data: Path) -> None:
    files = _shared_tables(shared_data)
    assert len(files) > 250
    for p in files:
        r = inspect_file(p)
        cov = r.coverage
        assert r.to_dict()["stats"]["coverage"]["rows_checked"] == cov.rows_checked
        assert r.error_total == len(r.errors) + r.errors_omitted, p
        if cov.complete:
            assert cov.rows_checked == cov.rows_total == r.rows, p
            assert r.tasks or cov.bytes_checked == cov.bytes_total == p.stat().st_size, p
        else:
            assert cov.reason, p
            assert not r.valid, p


ADELA = Path("mx-adela/spec/fixtures/files")


@pytest.mark.parametrize(
    ("name", "rows", "expected"),
    [
        # line 2 ends with one comma too many: a 22nd cell
        ("ragged_rows_inventory.csv", 9, [("extra-cell", 2, 22)]),
        # line 10 is empty
        ("blank_rows_inventory.csv", 10, [("blank-row", 10, None)]),
        # '"estatal,' opens a quote that closes 4 lines later: record 3 has 38 cells
        ("stray_quote_inventory.csv", 6, [("extra-cell", 3, n) for n in range(22, 39)]),
        # 'One "string|two string"': a quote inside an unquoted cell is literal text
        ("unclosed_quote_inventory.csv", 9, []),
        ("inventory.csv", 9, []),
    ],
)
def test_adela_faults(
    shared_data: Path, name: str, rows: int, expected: list[tuple[str, int, int | None]]
) -> None:
    for engine in ("arrow", "python"):
        r = inspect_file(shared_data / ADELA / name, engine=engine)
        assert _pairs(r) == expected, engine
        assert (r.encoding, r.dialect.delimiter, r.rows) == ("utf-8", ",", rows)


def test_adela_latin1(shared_data: Path) -> None:
    r = inspect_file(shared_data / ADELA / "inventory-latin-1.csv")
    assert (r.valid, r.encoding, r.rows, len(r.fields)) == (True, "iso-8859-1", 9, 21)
    assert r.fields[0].name == "ds:identifier"


def test_adela_invalid_encoding(shared_data: Path) -> None:
    # Neither UTF-8 nor CP1252: byte 0x8D (undefined in CP1252) sits in 7 titles.
    r = inspect_file(shared_data / ADELA / "invalid_encoding_inventory.csv")
    assert r.encoding == "latin-1"
    assert _pairs(r) == [("encoding-error", n, 2) for n in (2, 6, 7, 8, 9, 10, 11)]
    assert r.dialect.line_terminator == "\r"


def test_semicolon_file(shared_data: Path) -> None:
    p = shared_data / "csv-validation/frictionless-py/data/issue-1009-semicolon.csv"
    if not p.exists():
        pytest.skip("issue-1009.csv absent")
    r = inspect_file(p)
    assert r.dialect.delimiter == ";"
    assert len(r.fields) > 1


def test_xlsx_per_sheet(shared_data: Path) -> None:
    r = inspect_file(shared_data / ADELA / "inventario_general_de_datos.xlsx")
    assert r.format == "xlsx" and r.tasks
    assert sum(t.rows for t in r.tasks) == r.rows
    assert all(e.sheet for e in r.errors)


@pytest.mark.slow
def test_engines_agree_on_every_shared_csv(shared_data: Path) -> None:
    for p in _shared_tables(shared_data):
        if p.suffix.lower() not in {".csv", ".tsv"}:
            continue
        a, b = inspect_file(p, engine="arrow"), inspect_file(p, engine="python")
        assert (_pairs(a), a.rows, a.error_counts) == (_pairs(b), b.rows, b.error_counts), p


#: Where Frictionless's ``describe`` reads a shared CSV's columns differently, and why.
DESCRIBED_APART = {
    "country-2.csv": "a comment line above a ';' table: its sniffer gives up and reads one column",
    "dialect.csv": "pipe-delimited; its sniffer gives up (see docs/inspect-agreement.md)",
    "VilleMTP_MTP_BudgetPri_2015.csv": "it guesses TIS-620 for this Latin-1 file, so labels differ",
}


@pytest.mark.slow
def test_inferred_types_are_frictionless_types(shared_data: Path) -> None:
    import warnings

    from frictionless import Resource, describe

    checked = 0
    for p in _shared_tables(shared_data):
        if p.suffix.lower() not in {".csv", ".tsv"} or p.name in DESCRIBED_APART:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                described = describe(p.name, basepath=str(p.parent))
            except Exception:  # noqa: BLE001, S112 - files Frictionless cannot describe at all
                continue
        assert isinstance(described, Resource), p
        theirs = [(f.name, f.type) for f in described.schema.fields]
        assert [(f.name, f.type) for f in inspect_file(p).fields] == theirs, p
        checked += 1
    assert checked > 200


def test_xlsx_rows_are_openpyxl_rows(shared_data: Path) -> None:
    import warnings

    from govlens.inspect.sheets import openpyxl_sheets
    from govlens.inspect.xlsx import xlsx_sheets

    books = sorted(p for d in ("csv-validation", "mx-adela", "ar-pydatajson")
                   for p in (shared_data / d).rglob("*.xlsx"))
    read = 0
    for p in books:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                expected = [(name, list(rows)) for name, rows in openpyxl_sheets(p)]
            except Exception:  # noqa: BLE001, S112 - not a workbook (e.g. CSV named .xlsx)
                continue
        got = [(name, list(rows)) for name, rows in xlsx_sheets(p)]
        assert got == expected, p
        kinds = [[type(v) for r in rows for v in r] for _, rows in got]
        assert kinds == [[type(v) for r in rows for v in r] for _, rows in expected], p
        read += 1
    assert read > 35
