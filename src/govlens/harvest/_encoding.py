"""JSON catalogues saved in a legacy 8-bit encoding, read as the text they hold.

JSON exchanged between systems is UTF-8 (RFC 8259), but data.json files exported from
spreadsheets and older Windows tools are often Windows-1252 (Latin-1 with curly quotes
and the euro sign): every accented letter of a Spanish catalogue is then a byte no UTF-8
parser accepts. Such a file is re-encoded as UTF-8 into a temporary file before it is
parsed: from the charset its server declared when there is one, else from Windows-1252,
a guess the harvest reports. Valid UTF-8 (nearly never what Windows-1252 text with
accents happens to be) is read as it is.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

#: What a file that is not UTF-8 and declares no charset is read as.
GUESS = "cp1252"
_CHUNK = 1 << 20


def first_invalid_utf8(path: Path) -> int | None:
    """The offset of the first byte of ``path`` that is not UTF-8, or None when all are."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                pending = len(decoder.getstate()[0])  # bytes of a sequence cut by the chunk's end
                return max(0, offset - pending) + exc.start
            if not chunk:
                return None
            offset += len(chunk)


def known_charset(name: str | None) -> str | None:
    """``name``'s codec name, when Python knows it and it is not UTF-8."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in ("utf-8", "utf-8-sig") else codec


def to_utf8(path: Path, charset: str) -> Path:
    """A temporary file holding ``path``'s text, read as ``charset``, as UTF-8. Bytes the
    charset leaves undefined (five in Windows-1252) become U+FFFD."""
    decoder = codecs.getincrementaldecoder(charset)("replace")
    fd, name = tempfile.mkstemp(prefix="govlens-datajson-utf8-", suffix=".json")
    try:
        with open(path, "rb") as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(_CHUNK):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)
