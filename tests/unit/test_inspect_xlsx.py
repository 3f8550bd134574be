"""The streaming XLSX reader gives openpyxl's values, on a workbook written by hand to hold
the awkward parts: no <dimension>, rows and cells without references, inline and rich
strings, phonetic runs, booleans, errors, formulas, ISO dates, the 1904 epoch."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest

from govlens.inspect import inspect_file
from govlens.inspect.sheets import openpyxl_sheets
from govlens.inspect.xlsx import xlsx_sheets

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": """<?xml version="1.0"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>""",
    "_rels/.rels": """<?xml version="1.0"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>""",
    "xl/workbook.xml": f"""<?xml version="1.0"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="1"/>
<sheets><sheet name="Datos" sheetId="1" r:id="rId1"/><sheet name="Vacía" sheetId="2" r:id="rId2"/></sheets>
</workbook>""",
    "xl/_rels/workbook.xml.rels": f"""<?xml version="1.0"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>""",
    "xl/styles.xml": f"""<?xml version="1.0"?>
<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="46"/></cellXfs></styleSheet>""",
    "xl/sharedStrings.xml": f"""<?xml version="1.0"?>
<sst xmlns="{MAIN}"><si><t>clave</t></si><si><t>fecha</t></si>
<si><r><t>Secre</t></r><r><rPr><b/></rPr><t xml:space="preserve">taría </t></r><rPh sb="0" eb="1"><t>x</t></rPh></si>
<si><t>a_x005F_b</t></si></sst>""",
    "xl/worksheets/sheet1.xml": f"""<?xml version="1.0"?>
<worksheet xmlns="{MAIN}"><sheetData>
<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>nota</t></is></c></row>
<row r="3"><c r="A3"><v>7</v></c><c r="B3" s="1"><v>45000</v></c><c r="C3" t="b"><v>1</v></c>
  <c r="D3" t="s"><v>2</v></c></row>
<row><c><v>2.50</v></c><c s="2"><v>1.5</v></c><c t="e"><v>#N/A</v></c><c t="str"><f>A3&amp;"x"</f><v>7x</v></c></row>
<row r="6"><c r="B6" t="d"><v>2024-02-29T10:00:00</v></c><c r="C6" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>
  <c r="E6" t="s"><v>3</v></c><c r="F6"><v></v></c></row>
</sheetData></worksheet>""",
    "xl/worksheets/sheet2.xml": f"""<?xml version="1.0"?>
<worksheet xmlns="{MAIN}"><dimension ref="A1:C4"/><sheetData>
<row r="2"><c r="B2"><v>1E3</v></c></row></sheetData></worksheet>""",
}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "libro.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in PARTS.items():
            zf.writestr(name, text)
    return path


def test_values_are_openpyxl_values(book: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = [(name, list(rows)) for name, rows in openpyxl_sheets(book)]
    got = [(name, list(rows)) for name, rows in xlsx_sheets(book)]
    assert got == expected
    assert [[type(v) for r in rows for v in r] for _, rows in got] == [
        [type(v) for r in rows for v in r] for _, rows in expected]
    assert got[0][1][1] == []  # the missing row 2, empty: no dimension to pad to
    assert got[0][1][2][3] == "Secretaría "  # rich runs joined, the phonetic run left out
    assert got[1][1] == [[None] * 3, [None, 1000.0, None]]  # padded to the dimension's width


def test_workbook_report(book: Path) -> None:
    r = inspect_file(book)
    assert (r.format, [t.name for t in r.tasks]) == ("xlsx", ["Datos", "Vacía"])
    assert r.coverage.complete


def test_broken_sheet_falls_back_to_openpyxl(book: Path, tmp_path: Path) -> None:
    bad = tmp_path / "roto.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"")  # not well-formed
            dst.writestr(item, data)
    r = inspect_file(bad)
    assert [e.type for e in r.errors] == ["format-error"]
    assert "cannot read the XLSX workbook" in r.errors[0].note
