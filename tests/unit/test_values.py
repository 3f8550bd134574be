"""Cleaning dirty values: sizes, dates, formats, URLs, e-mails."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlens.model import NormaliseWarning
from govlens.normalise import values as v


def _codes(ws: list[NormaliseWarning]) -> list[str]:
    return [w.code for w in ws]


@pytest.mark.parametrize(
    ("raw", "expected", "codes"),
    [
        (12345, 12345, []),
        ("12345", 12345, []),
        ("590 KB", 590 * 1024, ["size-free-text"]),
        ("6979 kb", 6979 * 1024, ["size-free-text"]),
        ("1,004 KB", 1004 * 1024, ["size-free-text"]),
        ("15.9KB", round(15.9 * 1024), ["size-free-text"]),
        ("1,5 MB", round(1.5 * 1024**2), ["size-free-text"]),
        ("2 GB", 2 * 1024**3, ["size-free-text"]),
        ("", None, []),
        (None, None, []),
        ("unknown", None, ["size-unparsed"]),
        ("12 parsecs", None, ["size-unparsed"]),
        (-5, None, ["size-unparsed"]),
    ],
)
def test_sizes(raw: object, expected: int | None, codes: list[str]) -> None:
    ws: list[NormaliseWarning] = []
    assert v.size(raw, "size", ws) == expected
    assert _codes(ws) == codes
    if ws:
        assert ws[0].path == "size" and ws[0].value == str(raw)


@pytest.mark.parametrize(
    ("raw", "expected", "codes"),
    [
        ("2014-10-03", "2014-10-03", []),
        ("2014-10", "2014-10", []),
        ("2014", "2014", []),
        ("2016-09-05T18:25:21.249967", "2016-09-05T18:25:21.249967", []),
        ("2016-09-05 18:25:21", "2016-09-05T18:25:21", []),
        ("2016-09-05T18:25:21+0200", "2016-09-05T18:25:21+02:00", []),
        ("20141003T110820", "2014-10-03T11:08:20", ["date-compact"]),
        ("20141003", "2014-10-03", ["date-compact"]),
        ("25/12/2019", "2019-12-25", ["date-dmy"]),
        ("12/25/2019", "2019-12-25", ["date-mdy"]),
        ("03/04/2019", "03/04/2019", ["date-ambiguous"]),
        ("last week", "last week", ["date-unparsed"]),
        ("2014-13-45", "2014-13-45", ["date-unparsed"]),
        ("  ", None, []),
    ],
)
def test_dates(raw: str, expected: str | None, codes: list[str]) -> None:
    ws: list[NormaliseWarning] = []
    assert v.date(raw, "modified", ws) == expected
    assert _codes(ws) == codes


@pytest.mark.parametrize(
    ("raw", "fmt", "media"),
    [
        (".CSV", "CSV", None),
        ("csv ", "CSV", None),
        ("xlsx", "XLSX", None),
        ("text/csv", None, "text/csv"),
        ("application/vnd.ms-excel; charset=x", None, "application/vnd.ms-excel"),
        ("http://publications.europa.eu/resource/authority/file-type/CSV",
         "http://publications.europa.eu/resource/authority/file-type/CSV", None),
    ],
)
def test_formats(raw: str, fmt: str | None, media: str | None) -> None:
    ws: list[NormaliseWarning] = []
    assert v.file_format(raw, "format", ws) == (fmt, media, raw.strip())
    assert ws == []


def test_free_text_format_is_kept_and_flagged() -> None:
    ws: list[NormaliseWarning] = []
    assert v.file_format("Archivo CSV comprimido", "format", ws)[0] == "Archivo CSV comprimido"
    assert _codes(ws) == ["format-free-text"]


def test_urls_dedupe_and_flag() -> None:
    ws: list[NormaliseWarning] = []
    got = v.urls([" http://a/x.csv", "http://a/x.csv", "", None, "www.example.org/y"], "u", ws)
    assert got == ("http://a/x.csv", "www.example.org/y")
    assert _codes(ws) == ["url-duplicated", "url-invalid"]


def test_emails() -> None:
    ws: list[NormaliseWarning] = []
    assert v.email("mailto:datos@sep.gob.mx", "e", ws) == "datos@sep.gob.mx"
    assert v.email(" datos@sep.gob.mx ", "e", ws) == "datos@sep.gob.mx"
    assert ws == []
    assert v.email("Dirección de datos", "e", ws) == "Dirección de datos"
    assert _codes(ws) == ["email-invalid"]


def test_as_list_reads_json_in_strings() -> None:
    assert v.as_list('["SPA", "ENG"]') == ["SPA", "ENG"]
    assert v.as_list("SPA") == ["SPA"]
    assert v.as_list("[broken") == ["[broken"]
    assert v.as_list(None) == []


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.none()))
def test_cleaners_never_raise(value: object) -> None:
    ws: list[NormaliseWarning] = []
    v.size(value, "p", ws)
    v.date(value, "p", ws)
    v.file_format(value, "p", ws)
    v.email(value, "p", ws)
    v.urls([value], "p", ws)
    assert all(isinstance(w, NormaliseWarning) for w in ws)
