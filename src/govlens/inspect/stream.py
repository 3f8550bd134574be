"""Byte streams: decompression, counting, and a UTF-8 feed for the columnar reader.

:class:`Utf8Feed` hands the CSV reader UTF-8 bytes whatever the file's
encoding, in bounded chunks. On the way it watches two things no columnar
reader reports: bytes that are not valid in the declared encoding, and a
quoted field that never closes (which would make any reader buffer the rest
of the file as one cell).
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from govlens.errors import InspectError

CHUNK = 1 << 20
#: A quoted field longer than this is taken as a quote that never closes.
MAX_FIELD_BYTES = 64 << 20


def _c1_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the five bytes CP1252 leaves undefined as their Latin-1 control characters."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start: exc.end]
    return "".join(chr(b) for b in bad), exc.end


codecs.register_error("govlens-c1", _c1_fallback)


class CountingReader(io.RawIOBase):
    """Counts the bytes read from an underlying binary file."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.count += n
        return n


@contextmanager
def open_decompressed(
    path: Path, compression: str | None, member: str | None = None
) -> Iterator[tuple[IO[bytes], CountingReader]]:
    """The file's content as a binary stream, and a counter of the file bytes read."""
    with open(path, "rb") as fh:
        counter = CountingReader(fh)
        buffered = io.BufferedReader(counter, CHUNK)
        try:
            if compression == "gzip":
                yield gzip.GzipFile(fileobj=buffered), counter
            elif compression == "bz2":
                yield bz2.BZ2File(buffered), counter
            elif compression == "xz":
                yield lzma.LZMAFile(buffered), counter
            elif compression == "zip":
                with zipfile.ZipFile(path) as zf, zf.open(member or zf.namelist()[0]) as inner:
                    yield inner, counter
            else:
                yield buffered, counter
        except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile) as exc:
            raise InspectError("cannot decompress the file", path=str(path),
                               compression=compression, cause=str(exc)) from exc


class Reencode(Exception):
    """The file turned out not to be UTF-8 before any UTF-8 text was seen: read it again."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class RunawayQuote(Exception):
    """A quoted field stayed open for more than ``MAX_FIELD_BYTES``."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class Utf8Feed(io.RawIOBase):
    """A readable stream of UTF-8 bytes for a CSV reader, from any source encoding."""

    def __init__(
        self,
        raw: IO[bytes],
        encoding: str,
        *,
        quote: str | None = '"',
        max_bytes: int | None = None,
        max_field: int | None = None,
    ) -> None:
        self.raw = raw
        self.encoding = encoding
        self.passthrough = encoding in {"utf-8", "utf-8-sig"}
        self.utf8_check = codecs.getincrementaldecoder("utf-8")("strict")
        errors = "govlens-c1" if encoding == "cp1252" else "replace"
        self.decoder = None if self.passthrough else codecs.getincrementaldecoder(encoding)(errors)
        self.quote = quote.encode() if quote else None
        self.max_bytes = max_bytes
        self.max_field = MAX_FIELD_BYTES if max_field is None else max_field
        self.consumed = 0  # decompressed source bytes read
        self.utf8_seen = False  # a valid multi-byte UTF-8 character was met
        self.invalid_at: int | None = None  # offset of the first invalid UTF-8 byte
        self.truncated = False
        self._open_quote_bytes = 0
        self._odd = False
        self._first = True
        self._pending = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        want = CHUNK if size is None or size < 0 else max(size, 1)
        while len(self._pending) < want:
            chunk = self._next_chunk(max(want, CHUNK))
            if not chunk:
                break
            self._pending += chunk
        out, self._pending = self._pending[:want], self._pending[want:]
        return out

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def _next_chunk(self, size: int) -> bytes:
        if self.max_bytes is not None:
            size = min(size, self.max_bytes - self.consumed)
            if size <= 0:
                self.truncated = self.truncated or bool(self.raw.read(1))
                return b""
        data = self.raw.read(size)
        if not data:
            if self.decoder is not None:
                return self.decoder.decode(b"", final=True).encode("utf-8")
            return b""
        start = self.consumed
        self.consumed += len(data)
        if self.max_bytes is not None and self.consumed >= self.max_bytes and b"\n" in data:
            data = data[: data.rfind(b"\n") + 1]  # only whole lines before the cut
        if self._first:
            self._first = False
            if self.encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
                data = data[3:]
        if self.decoder is not None:
            out = self.decoder.decode(data).encode("utf-8", "surrogatepass")
        else:
            out = data
            if not data.isascii():
                self._check_utf8(data, start)
        self._watch_quotes(out)
        return out

    def _check_utf8(self, data: bytes, start: int) -> None:
        try:
            text = self.utf8_check.decode(data)
        except UnicodeDecodeError as exc:
            if self.invalid_at is None:
                self.invalid_at = start + exc.start
            if not self.utf8_seen:
                valid = data[: exc.start]
                if valid.isascii():
                    raise Reencode(start + exc.start) from None
                self.utf8_seen = True
            self.utf8_check.reset()
            return
        if not self.utf8_seen and not text.isascii():
            self.utf8_seen = True

    def _watch_quotes(self, out: bytes) -> None:
        if self.quote is None:
            return
        if self.quote not in out:
            if self._odd:
                self._open_quote_bytes += len(out)
        else:
            odd = (out.count(self.quote) % 2 == 1) != self._odd
            if odd and self._odd:
                self._open_quote_bytes += len(out)
            elif odd:
                self._open_quote_bytes = len(out) - out.rfind(self.quote)
            else:
                self._open_quote_bytes = 0
            self._odd = odd
        if self._open_quote_bytes > self.max_field:
            raise RunawayQuote(self.consumed)


def text_stream(raw: IO[bytes], encoding: str) -> io.TextIOWrapper:
    """Decoded text for the record-by-record path; undecodable bytes survive as surrogates."""
    if encoding in {"utf-8", "utf-8-sig"}:
        errors = "surrogateescape"
    elif encoding == "cp1252":
        errors = "govlens-c1"
    else:
        errors = "replace"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")  # type: ignore[arg-type]
