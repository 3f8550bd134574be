"""Cleaning dirty values: sizes, dates, format tokens, URLs, e-mails, free text.

Each cleaner returns the cleaned value and appends a :class:`NormaliseWarning`
to ``warnings`` when the meaning of the input is not certain. A value whose
meaning is not certain is kept as found (dates, formats, URLs, e-mails) or,
when the model's type cannot hold it (a size that is not a number), left empty
with the raw value in the warning; the raw record keeps it too. Nothing is
dropped silently.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Iterable
from typing import Any

import orjson

from govlens.model import NormaliseWarning

Warnings = list[NormaliseWarning]

# -- text ---------------------------------------------------------------------------


class _Dropped(threading.local):
    """The values :func:`text` met and could not read (a list, an object) since the
    normaliser of this thread last cleared them: the cue to look for what was lost, and
    which values those were (:mod:`govlens.normalise.shape`). Each normaliser clears them
    as it starts a record, so they never outlive the record being read."""

    def __init__(self) -> None:
        self.values: list[Any] = []


dropped = _Dropped()


def unicode_text(s: str) -> str:
    """``s`` with lone UTF-16 surrogates (not characters: no encoding holds them) replaced by
    U+FFFD; a surrogate pair becomes the character it encodes. ``s`` itself when it has none."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s


def text(value: Any) -> str | None:
    """A stripped string, or None for empty/missing values. Numbers become text.
    Anything else (a list, an object) is None, and is noted in ``dropped.values``."""
    if type(value) is str:
        s = value.strip()
        return s or None
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip()
        return s or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    dropped.values.append(value)
    return None


def unread(value: Any) -> None:
    """Note a value a reader other than :func:`text` met and could not read."""
    dropped.values.append(value)


def as_list(value: Any) -> list[Any]:
    """A list from a list, a scalar, or a JSON-encoded list in a string (CKAN extras)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return []
        if s[0] == "[" and s[-1] == "]":
            try:
                decoded = orjson.loads(s)
            except orjson.JSONDecodeError:
                return [s]
            return decoded if isinstance(decoded, list) else [s]
        return [s]
    return [value]


def texts(values: Iterable[Any]) -> tuple[str, ...]:
    """Distinct non-empty strings, in order."""
    out: dict[str, None] = {}
    for v in values:
        s = v.strip() if type(v) is str else text(v)
        if s:
            out[s] = None
    return tuple(out)


# -- sizes --------------------------------------------------------------------------

_UNITS = {
    "": 1, "b": 1, "byte": 1, "bytes": 1, "octets": 1, "o": 1,
    "k": 1024, "kb": 1024, "kib": 1024, "ko": 1024,
    "m": 1024**2, "mb": 1024**2, "mib": 1024**2, "mo": 1024**2,
    "g": 1024**3, "gb": 1024**3, "gib": 1024**3, "go": 1024**3,
    "t": 1024**4, "tb": 1024**4, "tib": 1024**4, "to": 1024**4,
}
_SIZE = re.compile(r"^\s*(\d+(?:[.,]\d+)*)\s*([a-zA-Z]*)\s*$")


def size(value: Any, path: str, warnings: Warnings) -> int | None:
    """Bytes from an integer, a numeric string or free text ("590 KB", "1,004 KB", "15.9KB").

    Units are binary (1 KB = 1024 bytes), as file browsers report them. A comma
    followed by exactly three digits is a thousands separator; otherwise it is a
    decimal comma ("1,5 MB").
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        warnings.append(NormaliseWarning("size-unparsed", path, str(value), "not a size"))
        return None
    if isinstance(value, int):
        if value < 0:
            warnings.append(NormaliseWarning("size-unparsed", path, str(value), "negative size"))
            return None
        return value
    if isinstance(value, float):
        if value < 0 or not math.isfinite(value):
            warnings.append(NormaliseWarning("size-unparsed", path, str(value), "not a size"))
            return None
        return int(value)
    raw = str(value)
    m = _SIZE.match(raw)
    if m is None or m.group(2).lower() not in _UNITS:
        warnings.append(NormaliseWarning("size-unparsed", path, raw[:200], "not a size"))
        return None
    number, unit = m.group(1), m.group(2).lower()
    if re.fullmatch(r"\d{1,3}(,\d{3})+", number):
        number = number.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", number) and unit in ("", "b", "bytes", "byte"):
        number = number.replace(".", "")  # "1.234.567 bytes"
    else:
        number = number.replace(",", ".")
    try:
        amount = float(number)
    except ValueError:
        warnings.append(NormaliseWarning("size-unparsed", path, raw[:200], "not a size"))
        return None
    result = round(amount * _UNITS[unit])
    free_text = unit not in ("", "b", "byte", "bytes", "octets", "o") or raw.strip() != str(result)
    if free_text and not raw.strip().isdigit():
        warnings.append(
            NormaliseWarning("size-free-text", path, raw[:200], f"read as {result} bytes")
        )
    return result


# -- dates --------------------------------------------------------------------------

_ISO = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?(Z)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")


def _valid(y: str, mo: str | None, d: str | None, h: str | None, mi: str | None, s: str | None) -> bool:
    if mo is not None and not 1 <= int(mo) <= 12:
        return False
    if d is not None and not 1 <= int(d) <= 31:
        return False
    if h is not None and not 0 <= int(h) <= 24:
        return False
    if mi is not None and not 0 <= int(mi) <= 59:
        return False
    return s is None or 0 <= int(s) <= 60


def _iso(y: str, mo: str | None, d: str | None, h: str | None, mi: str | None, s: str | None,
         frac: str | None = None, tz: str | None = None) -> str:
    out = y
    if mo:
        out += f"-{mo}"
        if d:
            out += f"-{d}"
            if h:
                out += f"T{h}:{mi}"
                if s:
                    out += f":{s}{frac or ''}"
                if tz:
                    out += tz if tz == "Z" or ":" in tz else f"{tz[:3]}:{tz[3:]}"
    return out


def date(value: Any, path: str, warnings: Warnings) -> str | None:
    if value is None:
        return None
    s = value.strip() if type(value) is str else text(value)  # a clean string, the common case, first
    if not s:
        return None
    out, code, message = _parse_date(s)
    if code is not None:
        warnings.append(NormaliseWarning(code, path, s[:200], message))
    return out


@functools.lru_cache(maxsize=65536)
def _parse_date(s: str) -> tuple[str, str | None, str]:
    """``(value, warning code or None, message)``; catalogues repeat their dates a lot."""
    ws: Warnings = []
    out = _date(s, "", ws)
    return (out or s, ws[0].code, ws[0].message) if ws else (out or s, None, "")


def _date(value: Any, path: str, warnings: Warnings) -> str | None:
    """An ISO 8601 string at the precision given.

    ISO dates pass through (a space before the time becomes ``T``); compact
    forms (``20141003T110820``) are expanded; ``DD/MM/YYYY`` is read when the day
    is over 12, and is kept as found with a ``date-ambiguous`` warning otherwise.
    Anything else is kept as found with a ``date-unparsed`` warning.
    """
    s = text(value)
    if s is None:
        return None
    m = _ISO.match(s)
    if m and _valid(*m.groups()[:6]):
        return _iso(*m.groups())
    m = _COMPACT.match(s)
    if m and _valid(*m.groups()[:6]):
        y, mo, d, h, mi, sec, z = m.groups()
        if h and not sec:
            sec = "00"
        out = _iso(y, mo, d, h, mi, sec, None, z)
        warnings.append(NormaliseWarning("date-compact", path, s, f"read as {out}"))
        return out
    m = _DMY.match(s)
    if m:
        a, b, y, h, mi, sec = m.groups()
        day, month = int(a), int(b)
        if day > 12 and month <= 12 and _valid(y, b.zfill(2), a.zfill(2), h, mi, sec):
            out = _iso(y, b.zfill(2), a.zfill(2), h, mi, sec)
            warnings.append(NormaliseWarning("date-dmy", path, s, f"read as {out}"))
            return out
        if month > 12 and day <= 12 and _valid(y, a.zfill(2), b.zfill(2), h, mi, sec):
            out = _iso(y, a.zfill(2), b.zfill(2), h, mi, sec)
            warnings.append(NormaliseWarning("date-mdy", path, s, f"read as {out}"))
            return out
        warnings.append(NormaliseWarning("date-ambiguous", path, s, "day and month order unknown"))
        return s
    warnings.append(NormaliseWarning("date-unparsed", path, s[:200], "not an ISO 8601 date"))
    return s


# -- formats ------------------------------------------------------------------------

_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+_\-]{0,19}$")
_MEDIA = re.compile(r"^[a-z]+/[a-z0-9.+\-_]+(?:\s*;.*)?$")


def file_format(value: Any, path: str, warnings: Warnings) -> tuple[str | None, str | None, str | None]:
    """``(format, media_type, raw)`` from a declared format.

    ``".CSV"``, ``"csv "`` become ``CSV``; a media type (``text/csv``) is kept
    as the media type; a URI (an EU file-type) is kept as it is; free text
    ("Archivo CSV") is kept as found with a ``format-free-text`` warning.
    """
    raw = text(value)
    if raw is None:
        return None, None, None
    token = raw.lstrip(".").strip()
    if _TOKEN.match(token):
        return token.upper(), None, raw
    low = token.lower()
    if _MEDIA.match(low):
        return None, low.split(";")[0].strip(), raw
    if low.startswith(("http://", "https://")):
        return token, None, raw
    warnings.append(NormaliseWarning("format-free-text", path, raw[:200], "not a format token"))
    return token, None, raw


#: A cleaner's one warning, without its path: ``(code, value, message)``.
Found = tuple[str, str | None, str]


@functools.lru_cache(maxsize=4096)
def file_format_of(value: str) -> tuple[tuple[str | None, str | None, str | None], Found | None]:
    """:func:`file_format` of a string, and its warning without a path; cached (a catalogue
    names a few formats thousands of times)."""
    ws: Warnings = []
    out = file_format(value, "", ws)
    return out, ((ws[0].code, ws[0].value, ws[0].message) if ws else None)


@functools.lru_cache(maxsize=4096)
def media_type_of(value: str) -> tuple[str | None, Found | None]:
    """:func:`media_type` of a string, and its warning without a path; cached."""
    ws: Warnings = []
    out = media_type(value, "", ws)
    return out, ((ws[0].code, ws[0].value, ws[0].message) if ws else None)


def media_type(value: Any, path: str, warnings: Warnings) -> str | None:
    """A lower-case media type; an IANA URI becomes its type; anything else is flagged."""
    raw = text(value)
    if raw is None:
        return None
    low = raw.lower()
    for prefix in ("http://www.iana.org/assignments/media-types/",
                   "https://www.iana.org/assignments/media-types/"):
        low = low.removeprefix(prefix)
    if _MEDIA.match(low):
        return low.split(";")[0].strip()
    warnings.append(NormaliseWarning("media-type-invalid", path, raw[:200], "not a media type"))
    return raw


# -- URLs and e-mails ---------------------------------------------------------------

#: An absolute URL.
URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://\S+$")


def urls(values: Iterable[Any], path: str, warnings: Warnings) -> tuple[str, ...]:
    """Distinct stripped URLs; a repeated URL is kept once, an odd one is kept and flagged."""
    out: dict[str, None] = {}
    for v in values:
        s = text(v)
        if s is None:
            continue
        if s in out:
            warnings.append(NormaliseWarning("url-duplicated", path, s[:500], "listed more than once"))
            continue
        if not URL.match(s):
            warnings.append(NormaliseWarning("url-invalid", path, s[:500], "not an absolute URL"))
        out[s] = None
    return tuple(out)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: Any, path: str, warnings: Warnings) -> str | None:
    """An e-mail address without ``mailto:``; an invalid one is kept and flagged."""
    s = text(value)
    if s is None:
        return None
    if s.lower().startswith("mailto:"):
        s = s[7:].strip()
    if not _EMAIL.match(s):
        warnings.append(NormaliseWarning("email-invalid", path, s[:200], "not an e-mail address"))
    return s or None


def slug(value: str) -> str:
    """A stable key from a name: lower-case ASCII letters, digits and dashes."""
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:120] or "unnamed"
