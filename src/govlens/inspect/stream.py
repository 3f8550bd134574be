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
import zlib
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
    path: Path, compression: str | None, member: str | None = None, *, cut: bool = False
) -> Iterator[tuple[IO[bytes], CountingReader]]:
    """The file's content as a binary stream, and a counter of the file bytes read.

    ``cut`` says the file is the first part of a longer one (a download stopped
    at its size cap): the content is read as far as it goes, up to its last
    whole line, instead of failing where the compressed stream breaks off.
    """
    with open(path, "rb") as fh:
        counter = CountingReader(fh)
        buffered = io.BufferedReader(counter, CHUNK)
        try:
            if compression == "gzip":
                inner: IO[bytes] = gzip.GzipFile(fileobj=buffered)
            elif compression == "bz2":
                inner = bz2.BZ2File(buffered)
            elif compression == "xz":
                inner = lzma.LZMAFile(buffered)
            elif compression == "zip" and cut:
                inner = ZipHead(buffered)
            elif compression == "zip":
                with zipfile.ZipFile(path) as zf, zf.open(member or zf.namelist()[0]) as stream:
                    yield stream, counter
                return
            else:
                yield buffered, counter
                return
            yield (CutStream(inner) if cut else inner), counter
        except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile, zlib.error) as exc:
            raise InspectError("cannot decompress the file", path=str(path),
                               compression=compression, cause=str(exc)) from exc


class CutStream(io.RawIOBase):
    """The decompressed content of a file cut short, up to its last whole line.

    Whatever follows the last line end is held back until the stream is
    known to end cleanly; when decompression breaks off, it is dropped and
    :attr:`cut` is set.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.carry = b""
        self.cut = False
        self.done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        want = CHUNK if size is None or size < 0 else max(size, 1)
        while not self.done:
            try:  # read1: what one step decompresses, so a break loses little
                data = self.raw.read1(want)  # type: ignore[attr-defined]
            except (EOFError, OSError, lzma.LZMAError, zlib.error):
                self.cut, self.done, self.carry = True, True, b""
                return b""
            if not data:
                self.done = True
                out, self.carry = self.carry, b""
                return out
            data = self.carry + data
            end = data.rfind(b"\n") + 1
            self.carry = data[end:]
            if end:
                return data[:end]
        return b""

    read1 = read

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


class ZipHead(io.RawIOBase):
    """The first member of a ZIP archive, read from its local header (no central directory).

    A ZIP file cut short has lost its directory, which sits at the end; its
    first member can still be read as far as it goes.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        head = raw.read(30)
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("no local file header")
        method = int.from_bytes(head[8:10], "little")
        name_len = int.from_bytes(head[26:28], "little")
        extra_len = int.from_bytes(head[28:30], "little")
        self.name = raw.read(name_len).decode("utf-8", "replace")
        raw.read(extra_len)
        sizes_follow = bool(int.from_bytes(head[6:8], "little") & 0x08)
        if method not in (0, 8) or (method == 0 and sizes_follow):
            raise zipfile.BadZipFile(f"compression method {method} cannot be streamed")
        self.inflate = zlib.decompressobj(-15) if method == 8 else None
        self.size = int.from_bytes(head[18:22], "little") if method == 0 else None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        want = CHUNK if size is None or size < 0 else max(size, 1)
        if self.inflate is None:
            if self.size is not None:
                want = min(want, self.size)
                self.size -= want
            return self.raw.read(want) if want else b""
        while True:
            if self.inflate.eof:
                return b""
            data = self.inflate.unconsumed_tail or self.raw.read(CHUNK)
            if not data:
                raise EOFError("the ZIP member ends before its end")
            out = self.inflate.decompress(data, want)
            if out:
                return out

    read1 = read

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def zip_head_member(path: Path) -> str | None:
    """The name of a ZIP file's first member, from its local header, if it has one."""
    try:
        with open(path, "rb") as fh:
            return ZipHead(fh).name
    except (OSError, zipfile.BadZipFile):
        return None


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
        self._utf8_tail = b""  # the start of a character cut by the chunk's end
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
            chunk = self._next_chunk(want - len(self._pending))
            if not chunk:
                break
            self._pending = self._pending + chunk if self._pending else chunk
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
            if self._utf8_tail:  # the file ends inside a character
                tail, self._utf8_tail = self._utf8_tail, b""
                self._check_utf8(tail + b"\n", self.consumed - len(tail))
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
            if self._utf8_tail or not data.isascii():
                self._check_utf8(data, start)
        self._watch_quotes(out)
        return out

    def _check_utf8(self, data: bytes, start: int) -> None:
        data = self._utf8_tail + data
        start -= len(self._utf8_tail)
        end = _whole_characters(data)
        data, self._utf8_tail = data[:end], data[end:]
        if valid_utf8(data):
            self.utf8_seen = self.utf8_seen or not data.isascii()
            return
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.invalid_at is None:
                self.invalid_at = start + exc.start
            if not self.utf8_seen:
                if data[: exc.start].isascii():
                    raise Reencode(start + exc.start) from None
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


def _whole_characters(data: bytes) -> int:
    """Where the last complete UTF-8 character of ``data`` ends (a cut one is left out)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return len(data)
        if byte >= 0xC0:  # a lead byte: is its sequence complete?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) if back >= need else len(data) - back
    return len(data)


def valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (Arrow's vectorised validation)."""
    if data.isascii():
        return True
    import pyarrow as pa

    offsets = pa.array([0, len(data)], pa.int32()).buffers()[1]
    text = pa.Array.from_buffers(pa.string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def text_stream(raw: IO[bytes], encoding: str) -> io.TextIOWrapper:
    """Decoded text for the record-by-record path; undecodable bytes survive as surrogates."""
    if encoding in {"utf-8", "utf-8-sig"}:
        errors = "surrogateescape"
    elif encoding == "cp1252":
        errors = "govlens-c1"
    else:
        errors = "replace"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")  # type: ignore[arg-type]
