"""A quoted field that never closes before the end of the file.

The ``csv`` module (like Frictionless, which reads through it) and Arrow read a quote
opened and never closed as one cell running to the end of the file: a file whose
quote opens in row 15,000 of 20,000 is read as 15,000 rows, the last with a missing
cell or none missing at all, and the 5,000 rows it swallowed go unnoticed. Such a file
is found in two steps: an odd number of quote characters (the cheap test: a closed
quoted field holds an even number, its escaped quotes doubled), then the ``csv`` module
in strict mode, which alone says "unexpected end of data" where a quoted field is open
at the end (a stray quote inside an unquoted cell, such as ``12" pipe``, also makes the
count odd; strict mode's complaint about it is passed over, as the lenient reading
takes it as text).
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from govlens.inspect.stream import CHUNK, open_decompressed, text_stream


@dataclass(frozen=True, slots=True)
class OpenQuote:
    """The record (numbered as the report's rows are) whose quoted field runs to the end,
    and how many lines of the file that field holds."""

    record: int
    lines: int

    def note(self) -> str:
        return (f"a quoted field opened in record {self.record} never closes: the rest of the file "
                f"({self.lines} lines) was read as part of one cell")


def _count(path: Path, byte: int, compression: str | None, member: str | None) -> int:
    """How many times ``byte`` occurs in the file's content (numpy compares a whole buffer at
    once: ``bytes.count`` of a frequent byte is four times slower, most of the check's cost)."""
    buf = bytearray(CHUNK)
    view = np.frombuffer(buf, np.uint8)
    count = 0
    with ExitStack() as stack:
        raw: IO[bytes] = (stack.enter_context(open(path, "rb", buffering=0)) if compression is None
                          else stack.enter_context(open_decompressed(path, compression, member))[0])
        while n := raw.readinto(buf):  # type: ignore[attr-defined]
            count += int(np.count_nonzero(view[:n] == byte))
    return count


def open_quote(path: Path, encoding: str, dialect: csv.Dialect | type[csv.Dialect],
               compression: str | None = None, member: str | None = None) -> OpenQuote | None:
    """Where a quoted field stays open to the end of the file, or None when none does."""
    quote = dialect.quotechar
    codec = "utf-8" if encoding.startswith("utf-8") else encoding  # no byte-order mark here
    if not quote or dialect.quoting == csv.QUOTE_NONE or len(quote.encode(codec, "replace")) != 1:
        return None
    if _count(path, quote.encode(codec)[0], compression, member) % 2 == 0:
        return None
    with open_decompressed(path, compression, member) as (raw, _):
        reader = csv.reader(text_stream(raw, encoding), dialect, strict=True)
        record, line = 0, 0
        while True:
            try:
                next(reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    return OpenQuote(record + 1, reader.line_num - line)
            record, line = record + 1, reader.line_num
