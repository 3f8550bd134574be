"""The columnar reader's input: UTF-8 bytes, whatever the file's encoding, watched.

:class:`Utf8Feed` hands the CSV reader UTF-8 bytes in bounded chunks. On the
way it watches two things no columnar reader reports: bytes that are not
valid in the declared encoding, and a quoted field that never closes (which
would make any reader buffer the rest of the file as one cell).
"""

from __future__ import annotations

import codecs
from typing import IO, Any

from govlens.inspect.stream import CHUNK, Capped, Reader

#: A quoted field longer than this is taken as a quote that never closes.
MAX_FIELD_BYTES = 64 << 20


class Reencode(Exception):
    """The file turned out not to be UTF-8 before any UTF-8 text was seen: read it again.

    ``where`` says where the first byte that is not UTF-8 is ("at byte 1234").
    """

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


class RunawayQuote(Exception):
    """A quoted field stayed open for more than ``MAX_FIELD_BYTES``."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class Utf8Feed(Reader):
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
        self.raw = Capped(raw, max_bytes)
        self.encoding = encoding
        self.passthrough = encoding in {"utf-8", "utf-8-sig"}
        self._utf8_tail = b""  # the start of a character cut by the chunk's end
        errors = "govlens-c1" if encoding == "cp1252" else "replace"
        self.decoder = None if self.passthrough else codecs.getincrementaldecoder(encoding)(errors)
        self.quote = quote.encode() if quote else None
        self.max_field = MAX_FIELD_BYTES if max_field is None else max_field
        self.utf8_seen = False  # a valid multi-byte UTF-8 character was met
        self.invalid_at: int | None = None  # offset of the first invalid UTF-8 byte
        self._open_quote_bytes = 0
        self._odd = False
        self._first = True
        self._pending = b""

    @property
    def consumed(self) -> int:
        """Source bytes read (decompressed)."""
        return self.raw.consumed

    @property
    def truncated(self) -> bool:
        """Whether reading stopped at the size cap with more to come."""
        return self.raw.truncated

    def read(self, size: int = -1) -> bytes:
        want = CHUNK if size is None or size < 0 else max(size, 1)
        while len(self._pending) < want:
            chunk = self._next_chunk(want - len(self._pending))
            if not chunk:
                break
            self._pending = self._pending + chunk if self._pending else chunk
        out, self._pending = self._pending[:want], self._pending[want:]
        return out

    def _next_chunk(self, size: int) -> bytes:
        start = self.consumed
        data = self.raw.read(size)
        if not data:
            if self.decoder is not None:
                return self.decoder.decode(b"", final=True).encode("utf-8")
            if self._utf8_tail:  # the file ends inside a character
                tail, self._utf8_tail = self._utf8_tail, b""
                self._check_utf8(tail + b"\n", self.consumed - len(tail))
            return b""
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
                    raise Reencode(f"at byte {start + exc.start}") from None
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


class Utf8Watch:
    """UTF-8 checked on the parsed cells, for a file Arrow reads by itself.

    Arrow parses a plain UTF-8 file faster from the file than from
    :class:`Utf8Feed`, which then cannot look at the bytes. The checks move to
    the cells: every binary column is validated (Arrow's vectorised check), and
    until text beyond ASCII has been seen, the first invalid cell in record
    order decides, as the feed does, whether the file is UTF-8 with bad bytes
    or not UTF-8 at all (:class:`Reencode`).
    """

    def __init__(self, seen: bool) -> None:
        self.seen = seen  # valid text beyond ASCII was met
        self.first_bad: int | None = None  # record number of the first invalid cell

    def check(self, batch: Any, numbers: Any) -> None:
        """Raise :class:`Reencode` if this batch's first bad byte comes before any non-ASCII text."""
        if self.seen:
            return
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        from govlens.inspect.vector import invalid_utf8

        first_bad: tuple[int, int] | None = None
        first_text: tuple[int, int] | None = None
        for i in range(batch.num_columns):
            arr = batch.column(i)
            bad = invalid_utf8(arr)
            if bad:
                first_bad = min(first_bad or (bad[0], i), (bad[0], i))
            ascii_ = pc.string_is_ascii(arr.view(pa.string())).to_numpy(zero_copy_only=False)
            text = np.flatnonzero(~np.asarray(ascii_, dtype=bool))
            text = text[~np.isin(text, bad)] if bad else text
            if len(text):
                first_text = min(first_text or (int(text[0]), i), (int(text[0]), i))
        if first_bad is not None and (first_text is None or first_bad < first_text):
            row, col = first_bad
            value = batch.column(col)[row].as_py()
            try:
                value.decode("utf-8")
            except UnicodeDecodeError as exc:
                if value[: exc.start].isascii():
                    raise Reencode(f"in record {int(numbers[row])}") from None
        self.seen = first_bad is not None or first_text is not None

    def bad(self, record: int) -> None:
        if self.first_bad is None or record < self.first_bad:
            self.first_bad = record
