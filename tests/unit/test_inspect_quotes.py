"""A quoted field open at the end of the file is found; closed and stray quotes are not."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from govlens.inspect.csvscan import inspect_csv
from govlens.inspect.quotes import OpenQuote, open_quote


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(("text", "found"), [
    ('id,name,amount\n1,Ana,10\n2,Luis,20\n3,Eva,"30\n4,Leo,40\n5,Max,50\n', OpenQuote(4, 3)),
    ('id,name\n1,"Ana\n2,Luis\n', OpenQuote(2, 2)),
    ('id,note\n1,"a cell\nover two lines"\n2,b\n', None),  # closed, though over two lines
    ('id,size\n1,12" pipe\n2,3" pipe\n3,1" pipe\n', None),  # stray quotes: an odd count, no open field
    ('id,quote\n1,"she said ""no"""\n', None),  # doubled quotes inside a quoted field
    ("id,name\n1,Ana\n", None),
])
def test_a_quote_open_at_the_end_is_found(tmp_path: Path, text: str, found: OpenQuote | None) -> None:
    assert open_quote(_write(tmp_path, text), "utf-8", csv.excel) == found


def test_single_byte_encodings_and_a_byte_order_mark(tmp_path: Path) -> None:
    text = 'id,nombre\n1,"Peña\n2,Ávila\n'
    assert open_quote(_write(tmp_path, text, "cp1252"), "cp1252", csv.excel) == OpenQuote(2, 2)
    assert open_quote(_write(tmp_path, text, "utf-8-sig"), "utf-8-sig", csv.excel) == OpenQuote(2, 2)


@pytest.mark.parametrize("engine", ["python", "arrow"])
def test_the_report_says_the_file_was_swallowed(tmp_path: Path, engine: str) -> None:
    rows = ["id,name,amount"] + [f"{i},name{i},{i * 10}" for i in range(1, 3001)]
    rows[2000] = '2000,"Eva,20000'  # record 2001 (the header is record 1) opens a quote never closed
    report = inspect_csv(_write(tmp_path, "\n".join(rows) + "\n"), engine=engine)
    assert not report.valid
    (err,) = [e for e in report.errors if e.type == "source-error"]
    assert err.row_number == 2001 and "never closes" in err.note and "(1001 lines)" in err.note
    assert report.rows == 2000  # what the readers make of it: the rest is one cell


def test_a_compressed_file_is_read_through(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(b'id,name\n1,"Ana\n2,Luis\n'))
    assert open_quote(path, "utf-8", csv.excel, compression="gzip") == OpenQuote(2, 2)
    path.write_bytes(gzip.compress(b'id,name\n1,"Ana"\n'))
    assert open_quote(path, "utf-8", csv.excel, compression="gzip") is None
