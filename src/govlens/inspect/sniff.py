"""Detection from the first bytes: format served, compression, encoding, dialect, header row.

Everything here looks at a bounded sample (the first megabyte, the first
hundred records) and decides; nothing reads a whole file.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from govlens.inspect.sniffer import Sniffer
from govlens.model import Dialect

HEAD_BYTES = 1 << 20
SAMPLE_ROWS = 100
DELIMITERS = ",;\t|"
#: Bytes that CP1252 leaves undefined; a file holding them is not CP1252.
CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
COMPRESSIONS = {"gzip", "bz2", "xz"}
TABULAR = {"csv", "xlsx", "xls", "ods"}


@dataclass(frozen=True, slots=True)
class Encoding:
    """The encoding chosen and why; ``mixed`` means invalid bytes were already seen."""

    name: str
    reason: str
    mixed: bool = False


#: Formats known by their first bytes, tried in order.
MAGIC: tuple[tuple[tuple[bytes, ...], str], ...] = (
    ((b"PK\x03\x04", b"PK\x05\x06"), "zip"),
    ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), "xls"),
    ((b"%PDF",), "pdf"),
    ((b"\x1f\x8b",), "gzip"),
    ((b"BZh",), "bz2"),
    ((b"\xfd7zXZ\x00",), "xz"),
    ((b"PAR1",), "parquet"),
    ((b"\x89PNG", b"\xff\xd8\xff", b"GIF8"), "image"),
)


def magic_format(head: bytes) -> str | None:
    """A format known from its first bytes, or ``None`` for text."""
    return next((fmt for prefixes, fmt in MAGIC if head.startswith(prefixes)), None)


def zip_format(path: Path) -> tuple[str, str | None]:
    """What a ZIP container is: ``xlsx``, ``ods``, or ``zip`` with its one tabular member."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "xl/workbook.xml" in names:
                return "xlsx", None
            if "mimetype" in names:
                kind = zf.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in kind:
                    return "ods", None
            tabular = [
                n for n in names
                if not n.endswith("/") and Path(n).suffix.lower().lstrip(".") in
                {"csv", "tsv", "txt", "xlsx", "xls", "ods"} and not n.startswith("__MACOSX")
            ]
            return "zip", tabular[0] if len(tabular) == 1 else None
    except (zipfile.BadZipFile, OSError, KeyError):
        return "zip", None


def text_format(head: bytes, encoding: str) -> str:
    """``html``, ``xml``, ``json`` or ``csv`` for a text file, from how it begins."""
    text = head[:4096].decode(encoding, "replace").lstrip("\ufeff \t\r\n").lower()
    if text.startswith(("<!doctype html", "<html")) or "<html" in text[:1024]:
        return "html"
    if text.startswith(("<?xml", "<")):
        return "xml"
    if text.startswith("{") or (text.startswith("[") and text[1:].lstrip()[:1] in {"{", "[", '"'}):
        return "json"
    if "\x00" in text:
        return "binary"
    return "csv"


def detect_encoding(head: bytes, at_eof: bool) -> Encoding:
    """Decide the text encoding from the first bytes (see ``docs/inspect.md``)."""
    if head.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig", "byte-order mark")
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return Encoding("utf-32", "byte-order mark")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Encoding("utf-16", "byte-order mark")
    sample = head[:HEAD_BYTES]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            return Encoding("utf-16-le", "every other byte is NUL")
        if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            return Encoding("utf-16-be", "every other byte is NUL")
    if sample.isascii():
        return Encoding("utf-8", "the first bytes are ASCII")
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    text = decoder.decode(sample, final=at_eof)
    replaced = text.count("\ufffd")
    invalid = replaced - sample.count(b"\xef\xbf\xbd")
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - replaced
    if invalid <= 0:
        return Encoding("utf-8", "valid UTF-8")
    if multibyte > invalid:
        return Encoding("utf-8", f"mostly UTF-8 ({multibyte} characters) with {invalid} "
                        "invalid byte sequences", mixed=True)
    return single_byte(sample)


def single_byte(sample: bytes) -> Encoding:
    high = {b for b in range(0x80, 0xA0) if bytes((b,)) in sample}
    if high & CP1252_UNDEFINED:
        return Encoding("latin-1", "not UTF-8, and holds bytes CP1252 leaves undefined")
    if high:
        return Encoding("cp1252", "not UTF-8; holds CP1252 punctuation (0x80-0x9F)")
    return Encoding("iso-8859-1", "not UTF-8; single-byte Latin text")


def decode_head(head: bytes, encoding: str, at_eof: bool) -> str:
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    return decoder.decode(head, final=at_eof)


def sniff_dialect(text: str, *, tsv: bool = False) -> csv.Dialect | type[csv.Dialect]:
    """The CSV dialect, sniffed as Frictionless does (first 100 lines, ``,;\\t|``)."""
    lines = io.StringIO(text, newline="").readlines()[:SAMPLE_ROWS]
    try:
        found = Sniffer().sniff("".join(lines), "\t" if tsv else DELIMITERS)
    except csv.Error:
        found = csv.excel_tab if tsv else csv.excel
        guess = None if tsv else _consistent_delimiter(lines)
        if guess and guess != found.delimiter:
            sep: str = guess

            class Guessed(csv.excel):
                delimiter = sep

            found = Guessed
    if found.quotechar == "'":
        found.quotechar = '"'
    found.doublequote = True
    return found


def _consistent_delimiter(lines: Sequence[str]) -> str | None:
    """When the sniffer gives up (a ragged line is enough): the delimiter that appears
    the same number of times on most lines."""
    best, best_share = None, 0.0
    rows = [ln for ln in lines if ln.strip()]
    for d in DELIMITERS:
        counts = [ln.count(d) for ln in rows]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        share = counts.count(mode) / len(counts)
        if mode > 0 and share > best_share:
            best, best_share = d, share
    return best if best_share >= 0.5 else None


def read_records(
    text: str, dialect: csv.Dialect | type[csv.Dialect], at_eof: bool, limit: int = SAMPLE_ROWS
) -> list[list[str]]:
    """The first ``limit`` complete records of ``text``."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    out: list[list[str]] = []
    try:
        for row in reader:
            out.append(row)
            if len(out) > limit:
                break
    except csv.Error:
        pass
    if not at_eof or len(out) > limit:
        out = out[:-1] if len(out) <= limit else out[:limit]
    return out[:limit]


def header_row(sample: Sequence[Sequence[object]]) -> int:
    """The header's record number: the first whose width is near the sample's average.

    Frictionless's rule, which skips title and comment lines above a table.
    """
    widths = [len(r) for r in sample]
    if not widths:
        return 1
    width = round(sum(widths) / len(widths))
    drift = max(round(width * 0.1), 1)
    for number, w in enumerate(widths, start=1):
        if width - drift <= w <= width + drift:
            return number
    return 1


def labels_of(cells: Sequence[object]) -> list[str]:
    return ["" if c is None else str(c).strip() for c in cells]


def to_dialect(d: csv.Dialect | type[csv.Dialect], header: int) -> Dialect:
    term = d.lineterminator
    return Dialect(
        delimiter=d.delimiter,
        quote_char=d.quotechar,
        double_quote=bool(d.doublequote),
        escape_char=d.escapechar or None,
        skip_initial_space=bool(d.skipinitialspace),
        line_terminator=term if term in {"\r\n", "\n", "\r"} else None,
        header_row=header,
    )


def line_terminator(text: str) -> str | None:
    """The line ending the text uses first: ``\\r\\n``, ``\\n`` or ``\\r``."""
    i = text.find("\n")
    j = text.find("\r")
    if i < 0 and j < 0:
        return None
    if j >= 0 and (i < 0 or j < i):
        return "\r\n" if text[j + 1: j + 2] == "\n" else "\r"
    return "\n"
