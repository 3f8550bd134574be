"""Caps on pathological records: too many keywords, too many distributions, too many bytes.

A capped record is still harvested; the cap is recorded as a warning on the
dataset (``keywords-capped``, ``distributions-capped``, ``record-capped``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from govlens.model import Dataset, NormaliseWarning, SourceKind, SourceRecord

T = TypeVar("T")

#: Longest single string kept in a capped raw record.
_MAX_STRING = 64 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-record caps (from ``Settings``)."""

    max_keywords: int = 1000
    max_distributions: int = 1000
    max_record_bytes: int = 8 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def cap(items: Sequence[T], limit: int, code: str, path: str, warnings: list[NormaliseWarning]) -> Sequence[T]:
    """The first ``limit`` items; a warning when more were given."""
    if len(items) <= limit:
        return items
    warnings.append(
        NormaliseWarning(code, path, str(len(items)), f"{len(items)} given, first {limit} kept")
    )
    return items[:limit]


def json_source(
    record: Any, limits: Limits, warnings: list[NormaliseWarning], raw: bytes | None = None
) -> str:
    """The raw record as JSON text, shrunk to ``max_record_bytes`` when it is bigger.

    Shrinking keeps the record valid JSON: long lists are cut to the keyword or
    distribution cap and long strings to 64 KiB; if that is still too big only
    the top-level scalar fields are kept.
    """
    return json_source_bytes(record, limits, warnings, raw).decode("utf-8", "replace")


def json_source_bytes(
    record: Any, limits: Limits, warnings: list[NormaliseWarning], raw: bytes | None = None
) -> bytes:
    """:func:`json_source` as UTF-8: ``raw`` itself when it is within the limit (a record
    orjson decoded is valid UTF-8, so its text is these very bytes)."""
    data = raw if raw is not None else orjson.dumps(record)
    if len(data) <= limits.max_record_bytes:
        return data
    size = len(data)
    shrunk = orjson.dumps(_shrink(record, max(limits.max_keywords, limits.max_distributions)))
    if len(shrunk) > limits.max_record_bytes:
        top = {k: v for k, v in record.items() if isinstance(v, (str, int, float, bool)) or v is None} \
            if isinstance(record, dict) else {}
        shrunk = orjson.dumps(_shrink(top, 0))
        if len(shrunk) > limits.max_record_bytes:
            shrunk = b"{}"
    warnings.append(
        NormaliseWarning(
            "record-capped", "", str(size),
            f"raw record of {size} bytes stored shrunk to {len(shrunk)} bytes",
        )
    )
    return shrunk


def _shrink(value: Any, max_items: int) -> Any:
    if isinstance(value, str):
        return value if len(value) <= _MAX_STRING else value[:_MAX_STRING]
    if isinstance(value, list):
        return [_shrink(v, max_items) for v in value[:max_items]]
    if isinstance(value, dict):
        return {k: _shrink(v, max_items) for k, v in value.items()}
    return value


def text_source(text: str, limits: Limits, warnings: list[NormaliseWarning]) -> str:
    """A raw text record (N-Triples) cut at a line boundary to ``max_record_bytes``."""
    if len(text) <= limits.max_record_bytes:
        return text
    cut = text[: limits.max_record_bytes]
    cut = cut[: cut.rfind("\n") + 1]
    warnings.append(
        NormaliseWarning("record-capped", "", str(len(text)),
                         f"raw record of {len(text)} characters stored cut to {len(cut)}")
    )
    return cut


def unreadable(identifier: str, kind: SourceKind, media_type: str, text: str, exc: BaseException,
               limits: Limits) -> Dataset:
    """A record the normaliser could not read: kept, with its raw text and a warning."""
    w = [NormaliseWarning("record-unreadable", "", None, f"{type(exc).__name__}: {str(exc)[:300]}")]
    body = text_source(text, limits, w)
    return Dataset(identifier=identifier, source=SourceRecord(kind, media_type, body), warnings=tuple(w))


def each_json(records: Sequence[Any], limits: Limits, kind: SourceKind, id_keys: Sequence[str],
              normalise_one: Callable[[dict[str, Any]], Dataset]) -> list[Dataset]:
    """Normalise JSON records one by one; a record that is not an object, or that the
    normaliser cannot read, is kept as ``record-unreadable`` (never dropped)."""
    out = []
    for r in records:
        try:
            if not isinstance(r, dict):
                raise TypeError(f"a {type(r).__name__}, not a JSON object")
            out.append(normalise_one(r))
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop a harvest
            text = _dump(r)
            ident = next((str(r[k]) for k in id_keys if isinstance(r, dict) and r.get(k)), None)
            ident = ident or "sha1:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
            out.append(unreadable(ident, kind, "application/json", text, exc, limits))
    return out


def _dump(r: Any) -> str:
    try:
        return orjson.dumps(r).decode()
    except TypeError:
        return repr(r)
