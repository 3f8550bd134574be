"""Byte streams: decompression (whole or cut short), counting, and a size cap.

The UTF-8 feed for the columnar reader is in :mod:`govlens.inspect.feed`.
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
from typing import IO, cast

from govlens.errors import InspectError

CHUNK = 1 << 20


def _c1_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the five bytes CP1252 leaves undefined as their Latin-1 control characters."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start: exc.end]
    return "".join(chr(b) for b in bad), exc.end


codecs.register_error("govlens-c1", _c1_fallback)


class Reader(io.RawIOBase):
    """A readable raw stream defined by its ``read``."""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        raise NotImplementedError

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


class Capped(Reader):
    """A binary stream cut after ``limit`` bytes, at the last line end before the cut.

    ``consumed`` counts the bytes read; ``truncated`` says more followed the cut.
    """

    def __init__(self, raw: IO[bytes], limit: int | None) -> None:
        self.raw = raw
        self.limit = limit
        self.consumed = 0
        self.truncated = False

    def read(self, size: int = -1) -> bytes:
        size = CHUNK if size is None or size < 0 else size
        if self.limit is not None:
            size = min(size, self.limit - self.consumed)
            if size <= 0:
                self.truncated = self.truncated or bool(self.raw.read(1))
                return b""
        data = self.raw.read(size)
        self.consumed += len(data)
        if self.limit is not None and self.consumed >= self.limit and b"\n" in data:
            data = data[: data.rfind(b"\n") + 1]  # only whole lines before the cut
        return data


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
                inner: IO[bytes] = _binary(gzip.GzipFile(fileobj=buffered))
            elif compression == "bz2":
                inner = bz2.BZ2File(buffered)
            elif compression == "xz":
                inner = lzma.LZMAFile(buffered)  # noqa: SIM115 - reads fh, which the with closes
            elif compression == "zip" and cut:
                inner = _binary(ZipHead(buffered))
            elif compression == "zip":
                with zipfile.ZipFile(path) as zf, zf.open(member or zf.namelist()[0]) as stream:
                    yield stream, counter
                return
            else:
                yield buffered, counter
                return
            yield (_binary(CutStream(inner)) if cut else inner), counter
        except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile, zlib.error) as exc:
            raise InspectError("cannot decompress the file", path=str(path),
                               compression=compression, cause=str(exc)) from exc


def _binary(stream: io.BufferedIOBase | io.RawIOBase) -> IO[bytes]:
    """``stream`` as the binary file it is: typeshed's ``io`` classes do not derive from
    ``typing.IO``."""
    return cast(IO[bytes], stream)


class CutStream(Reader):
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

    def read(self, size: int = -1) -> bytes:
        want = CHUNK if size is None or size < 0 else max(size, 1)
        while not self.done:
            try:  # read1: what one step decompresses, so a break loses little
                data: bytes = self.raw.read1(want)  # type: ignore[attr-defined]  # IO lacks read1
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


class ZipHead(Reader):
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

    def read(self, size: int = -1) -> bytes:
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


def zip_head_member(path: Path) -> str | None:
    """The name of a ZIP file's first member, from its local header, if it has one."""
    try:
        with open(path, "rb") as fh:
            return ZipHead(fh).name
    except (OSError, zipfile.BadZipFile):
        return None


def text_stream(raw: IO[bytes], encoding: str) -> io.TextIOWrapper:
    """Decoded text for the record-by-record path; undecodable bytes survive as surrogates."""
    if encoding in {"utf-8", "utf-8-sig"}:
        errors = "surrogateescape"
    elif encoding == "cp1252":
        errors = "govlens-c1"
    else:
        errors = "replace"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")
