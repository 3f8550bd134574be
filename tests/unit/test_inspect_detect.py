"""Detection and cell reading, on bytes made in the test."""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.inspect import checks, inspect_file, sniff
from govlens.inspect.infer import infer_fields
from govlens.inspect.types import FieldSpec, make_reader


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (codecs.BOM_UTF8 + "año,b\n1,2\n".encode(), "utf-8-sig"),
        ("año,b\n1,2\n".encode(), "utf-8"),
        ("año,b\n1,2\n".encode("cp1252"), "iso-8859-1"),
        ("“año”,b\n1,2\n".encode("cp1252"), "cp1252"),
        (b"a,b\n1,2\n", "utf-8"),
        ("año,b\n".encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_encoding_detection(data: bytes, name: str) -> None:
    assert sniff.detect_encoding(data, True).name == name


def test_mostly_utf8_with_stray_latin1_is_utf8_and_mixed() -> None:
    data = ("año,niño,señor\n" * 20).encode() + "Público\n".encode("latin-1")
    enc = sniff.detect_encoding(data, True)
    assert (enc.name, enc.mixed) == ("utf-8", True)


@pytest.mark.parametrize(
    ("head", "fmt"),
    [(b"PK\x03\x04rest", "zip"), (b"%PDF-1.4", "pdf"), (b"\x1f\x8b\x08", "gzip"),
     (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"), (b"a,b\n", None)],
)
def test_magic(head: bytes, fmt: str | None) -> None:
    assert sniff.magic_format(head) == fmt


def test_header_row_skips_title_lines() -> None:
    sample = [["Informe 2024"], ["a", "b", "c"]] + [["1", "2", "3"]] * 10
    assert sniff.header_row(sample) == 2


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("integer", ["1", " -2 ", "+3", "1_000"], ["1.5", "x", "", "1,000"]),
        ("number", ["1.5", "-2e3", ".5", "NaN"], ["1,5", "abc"]),
        ("date", ["2024-02-29", "2024-1-5"], ["2023-02-29", "29/02/2024"]),
        ("datetime", ["2024-01-01T10:00:00Z", "2024-01-01T10:00:00+01:00"], ["2024-01-01"]),
        ("boolean", ["true", "FALSE", "1"], ["yes", "si"]),
        ("year", ["2024"], ["24", "-123"]),
        ("yearmonth", ["2024-03"], ["2024-13"]),
        ("geopoint", ["-99.1, 19.4"], ["200, 19.4"]),
        ("object", ['{"a": 1}'], ["[1]", "{"]),
        ("array", ["[1, 2]"], ['{"a": 1}']),
    ],
)
def test_readers_follow_frictionless(kind: str, good: list[str], bad: list[str]) -> None:
    read = make_reader(FieldSpec("f", kind))
    assert all(read(v) for v in good)
    assert not any(read(v) for v in bad)


def test_inference_states_confidence() -> None:
    rows = [[str(i), f"x{i}"] for i in range(19)] + [["n/a", "y"]]
    fields = infer_fields(["id", "name"], rows)
    assert [(f.type, f.confidence, f.sample) for f in fields] == [
        ("integer", 0.95, 20), ("string", 1.0, 20)]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_declared_csv_served_html(tmp_path: Path) -> None:
    p = _write(tmp_path, "datos.csv", b"<!DOCTYPE html><html><body>Not found</body></html>")
    r = inspect_file(p, declared_format="csv")
    assert (r.valid, r.format, r.format_matches) == (False, "html", False)
    assert [e.type for e in r.errors] == ["format-error"]


def test_declared_csv_served_xlsx_is_read_as_xlsx(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "monto"])
    ws.append([1, 10.5])
    ws.append([2, "diez"])
    wb.save(tmp_path / "datos.csv")
    r = inspect_file(tmp_path / "datos.csv", declared_format="csv")
    assert (r.format, r.format_matches, r.rows) == ("xlsx", False, 2)
    assert [(e.type, e.row_number, e.field_number) for e in r.errors] == []


def test_declared_csv_served_pdf_and_zip(tmp_path: Path) -> None:
    pdf = _write(tmp_path, "a.csv", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n")
    assert inspect_file(pdf, declared_format="csv").format == "pdf"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("tabla.csv", "a,b\n1,2\n3\n")
    r = inspect_file(_write(tmp_path, "b.csv", buf.getvalue()), declared_format="csv")
    assert (r.format, r.compression) == ("csv", "zip")
    assert [(e.type, e.row_number) for e in r.errors] == [("missing-cell", 3)]


def test_gzip_csv(tmp_path: Path) -> None:
    p = _write(tmp_path, "a.csv.gz", gzip.compress(b"a;b\n1;2\n;\n"))
    r = inspect_file(p)
    assert (r.compression, r.dialect.delimiter) == ("gzip", ";")
    assert [(e.type, e.row_number) for e in r.errors] == [("blank-row", 3)]


def test_schema_type_and_constraint_errors(tmp_path: Path) -> None:
    p = _write(tmp_path, "s.csv", b"id,fecha,estado\n1,2024-01-31,CDMX\nx,2024-02-30,\n3,31/01/2024,Jal\n")
    schema = {"fields": [
        {"name": "id", "type": "integer"},
        {"name": "fecha", "type": "date"},
        {"name": "estado", "type": "string", "constraints": {"required": True, "enum": ["CDMX"]}},
    ]}
    for engine in ("arrow", "python"):
        r = inspect_file(p, schema=schema, engine=engine)
        assert [(e.type, e.row_number, e.field_number) for e in r.errors] == [
            ("type-error", 3, 1), ("type-error", 3, 2), ("constraint-error", 3, 3),
            ("type-error", 4, 2), ("constraint-error", 4, 3)], engine
        assert r.fields[0].source == "schema"


def test_schema_header_mismatch(tmp_path: Path) -> None:
    p = _write(tmp_path, "h.csv", b"id,nombre,extra\n1,a,z\n")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
    r = inspect_file(p, schema=schema)
    assert [(e.type, e.row_number, e.field_number) for e in r.errors] == [
        ("incorrect-label", 1, 2), ("extra-label", 1, 3), ("extra-cell", 2, 3)]


def test_errors_are_capped_and_counted(tmp_path: Path) -> None:
    p = _write(tmp_path, "c.csv", b"a,b\n" + b"1\n" * 50)
    r = inspect_file(p, limit_errors=10)
    assert (len(r.errors), r.errors_omitted, dict(r.error_counts)) == (10, 40, {"missing-cell": 50})
    assert r.to_dict()["errors_omitted"] == 40


def test_late_latin1_restarts_as_cp1252(tmp_path: Path) -> None:
    head = b"clave,nombre\n" + b"1,abc\n" * 300_000  # over the 1 MB sniffing window
    p = _write(tmp_path, "l.csv", head + "2,Público\n".encode("cp1252"))
    r = inspect_file(p)
    assert (r.encoding, r.valid, r.rows) == ("cp1252", True, 300_001)


def test_utf8_file_with_latin1_rows_reports_them(tmp_path: Path) -> None:
    body = "id,nombre\n" + "".join(f"{i},Año {i}\n" for i in range(1, 30))
    p = _write(tmp_path, "m.csv", body.encode() + "30,Público\n".encode("latin-1") + b"31,ok\n")
    for engine in ("arrow", "python"):
        r = inspect_file(p, engine=engine)
        assert r.encoding == "utf-8"
        assert [(e.type, e.row_number, e.field_number) for e in r.errors] == [
            ("encoding-error", 31, 2)], engine


def test_runaway_quote_is_reported_with_partial_coverage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    from govlens.inspect import engines, feed

    monkeypatch.setattr(feed, "MAX_FIELD_BYTES", 1 << 20)
    monkeypatch.setattr(engines, "MAX_FIELD_BYTES", 1 << 20)
    old = csv.field_size_limit(1 << 20)
    try:
        p = _write(tmp_path, "q.csv", b'a,b\n1,"abierta\n' + b"2,x\n" * 400_000)
        r = inspect_file(p)
    finally:
        csv.field_size_limit(old)
    assert r.engine == "python"
    assert [(e.type, e.row_number) for e in r.errors] == [("source-error", 2)]
    assert not r.coverage.complete and r.coverage.reason


_VALUES = ["1", "-7", "2.5", "1e3", "true", "FALSE", "2024", "2024-03", "2024-02-30", "2024-02-29",
           "2024-01-01T10:00:00Z", "10:00:00", "P1D", "-99.1, 19.4", '{"a": 1}', "[1]",
           '{"type": "Point", "coordinates": [1, 2]}', "abc", "", "", "0", "12:5"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_VALUES), min_size=0, max_size=3), min_size=1, max_size=40))
def test_inference_is_frictionless_detector(rows: list[list[str]]) -> None:
    from frictionless import Detector

    labels = ["a", "b", "c"]
    theirs = Detector().detect_schema(rows, labels=labels)
    ours = infer_fields(labels, rows)
    assert [f.type for f in ours] == [f.type for f in theirs.fields]


def test_duplicate_labels_name_every_earlier_position() -> None:
    found = checks.header_errors(["a", "b", "a", "", "a"], [FieldSpec(n) for n in "abcde"], 1,
                                 schema=False)
    assert [(e.type, e.field_number, e.note) for e in found] == [
        ("duplicate-label", 3, 'at position "1"'), ("blank-label", 4, ""),
        ("duplicate-label", 5, 'at position "1, 3"')]


def test_small_files_use_the_record_engine_and_large_ones_arrow(tmp_path: Path) -> None:
    small = _write(tmp_path, "s.csv", b"a,b\n" + b"1,x\n" * 100)
    large = _write(tmp_path, "l.csv", b"a,b\n" + b"1,x\n" * 50_000)
    assert inspect_file(small).engine == "python"
    assert inspect_file(large).engine == "arrow"
    for p in (small, large):
        r = inspect_file(p)
        assert r.coverage.complete and r.coverage.bytes_checked == p.stat().st_size


def test_ragged_records_are_not_kept_past_their_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govlens.inspect import engines

    held: list[int] = []
    take = engines._Invalid.take

    def watch(self: engines._Invalid, last: int | None = None) -> list[tuple[int, str]]:
        held.append(len(self.rows))
        return take(self, last)

    monkeypatch.setattr(engines._Invalid, "take", watch)
    monkeypatch.setattr(engines, "PARSE_BLOCK", 4 << 10)  # Arrow reads 32 blocks ahead: 128 KB
    monkeypatch.setattr(engines, "GROUP", 128 << 10)  # checked in groups of 64 KB
    body = b"a,b\n" + b"".join(b"%d,x,extra\n" % i if i % 2 else b"%d,x\n" % i for i in range(200_000))
    r = inspect_file(_write(tmp_path, "r.csv", body), engine="arrow", limit_errors=10)
    assert dict(r.error_counts) == {"extra-cell": 100_000}
    assert len(held) > 15 and max(held) < 30_000  # a few groups' worth, not the file's 100,000


_SHORTCUT_KINDS = ["integer", "number", "year", "yearmonth", "date", "datetime", "time", "geopoint"]


@pytest.mark.parametrize(("kind", "year0", "year1"), [
    ("date", "0000-01-01", "0001-01-01"),
    ("datetime", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
])
def test_year_zero_is_no_date_on_either_path(kind: str, year0: str, year1: str) -> None:
    import numpy as np
    import pyarrow as pa

    from govlens.inspect import vector

    spec = FieldSpec("f", kind)
    arr = pa.array([year0, year1], pa.string())
    assert not spec.reader(year0) and spec.reader(year1)
    mask = vector._sure_mask(arr, spec)
    assert mask is not None and mask.to_pylist() == [False, True]
    assert vector.type_errors(arr, spec, np.zeros(2, dtype=bool)) == [(0, year0)]


def test_an_exponent_past_decimals_range_is_no_number_on_either_path() -> None:
    import numpy as np
    import pyarrow as pa

    from govlens.inspect import vector

    spec = FieldSpec("f", "number")
    huge, fine = "0E1000000000000000000", "1E99999999999999999"
    arr = pa.array([huge, fine], pa.string())
    assert not spec.reader(huge) and spec.reader(fine)
    mask = vector._sure_mask(arr, spec)
    assert mask is not None and mask.to_pylist() == [False, True]
    assert vector.type_errors(arr, spec, np.zeros(2, dtype=bool)) == [(0, huge)]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_vectorised_shortcut_only_accepts_what_the_reader_accepts(data: st.DataObject) -> None:
    import pyarrow as pa

    from govlens.inspect import vector

    kind = data.draw(st.sampled_from(_SHORTCUT_KINDS))
    near = st.from_regex(vector._SURE[kind], fullmatch=True)
    values = data.draw(st.lists(near | st.text(alphabet="0123456789+-.eE:TZ, ", max_size=26),
                                min_size=1, max_size=30))
    spec = FieldSpec("f", kind)
    sure = vector._sure_mask(pa.array(values, pa.string()), spec)
    assert sure is not None
    for value, ok in zip(values, sure.to_pylist(), strict=True):
        if ok:
            assert spec.reader(value), (kind, value)


@pytest.mark.parametrize("engine", ["arrow", "python"])
def test_utf8_seen_late_then_bad_bytes_are_cell_errors(tmp_path: Path, engine: str) -> None:
    # the first megabyte is ASCII; then real UTF-8 text, then a Latin-1 record: the file is
    # UTF-8 with a bad record, not a Latin-1 file
    head = b"clave,nombre\n" + b"1,abc\n" * 200_000
    body = head + "2,Año\n".encode() + b"3,ok\n" * 1000 + "4,Público\n".encode("latin-1")
    r = inspect_file(_write(tmp_path, "u.csv", body), engine=engine)
    assert r.encoding == "utf-8"
    assert [(e.type, e.row_number, e.field_number) for e in r.errors] == [
        ("encoding-error", 201_003, 2)]
