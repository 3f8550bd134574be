"""Encoding model records for storage: canonical JSON, content hash, compression.

A stored record (:func:`encode_record`) is the canonical JSON of the dataset
with its source text left out, a newline, then the source text as UTF-8. The
raw record, most of a record's bytes, is thus kept exactly as it came and is
never escaped into a JSON string (a third bigger, and the costliest part of
encoding). Canonical JSON has no raw newline, so a body without one is a
record of the first format (the whole dataset as JSON), still read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import zlib

import msgspec
import orjson
import zstandard

from govlens.model import Dataset, NormaliseWarning, SourceRecord

#: Bump when the stored shape of a record changes, so old bodies are not mistaken for new ones.
RECORD_FORMAT = b"govlens-record-2\n"

_encoder = msgspec.json.Encoder(order="deterministic")
_decoder = msgspec.json.Decoder(Dataset)
_FIELDS = tuple(f.name for f in dataclasses.fields(Dataset))
_SOURCE = _FIELDS.index("source")


class _Title(msgspec.Struct):
    title: str | None = None


_title_decoder = msgspec.json.Decoder(_Title)


def encode_dataset(ds: Dataset) -> bytes:
    """Canonical JSON of a dataset (keys in field order, deterministic)."""
    return _encoder.encode(ds)


def decode_dataset(data: bytes) -> Dataset:
    return _decoder.decode(data)


def encode_record(ds: Dataset, text: bytes | None = None) -> bytes:
    """The stored form of a dataset: canonical JSON without the source text, newline, source text.

    ``text``, when given, is the source text as UTF-8 and ``ds.source.text`` is empty
    (``normalise.ckan.normalise_split``): the same bytes, without decoding the raw record
    into a string and encoding it back."""
    if text:
        return b"".join((_encoder.encode(ds), b"\n", text))
    src = ds.source
    if src is None or not src.text:
        return _encoder.encode(ds)
    fields = [getattr(ds, name) for name in _FIELDS]  # dataclasses.replace, without its overhead
    fields[_SOURCE] = SourceRecord(kind=src.kind, media_type=src.media_type, text="", profile=src.profile,
                                   url=src.url)
    return b"".join((_encoder.encode(Dataset(*fields)), b"\n", src.text.encode("utf-8", "surrogatepass")))


_NUL = b"\\u0000"
NUL_WARNING = NormaliseWarning("text-invalid", "record", None,
                               "NUL characters (U+0000), which no text holds (PostgreSQL refuses them), "
                               "replaced by U+FFFD")


def without_nul(ds: Dataset, canonical: bytes) -> tuple[Dataset, bytes]:
    """``(ds, canonical)`` (``canonical`` from :func:`encode_record`) with every NUL character of
    the dataset's values replaced by U+FFFD and a ``text-invalid`` warning, when it has any;
    the two as they are otherwise. The source text after the head is left as it came (it is
    stored as bytes). Looks only at the head, where a NUL is the escape ``\\u0000``."""
    end = canonical.find(b"\n")
    head = canonical if end < 0 else canonical[:end]
    if _NUL not in head:
        return ds, canonical
    doc = orjson.loads(head)
    clean = _replace_nul(doc)
    if clean == doc:  # an escaped backslash followed by "u0000", not a NUL
        return ds, canonical
    fixed = msgspec.convert(clean, Dataset)
    fixed = dataclasses.replace(fixed, warnings=(*fixed.warnings, NUL_WARNING))
    new_head = _encoder.encode(fixed)
    return fixed, new_head if end < 0 else new_head + canonical[end:]


def _replace_nul(value: object) -> object:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_replace_nul(x) for x in value]
    if isinstance(value, dict):
        return {_replace_nul(k): _replace_nul(x) for k, x in value.items()}
    return value


def decode_record(data: bytes) -> Dataset:
    """A dataset from :func:`encode_record` (or from a whole-JSON body of the first format)."""
    head, sep, text = data.partition(b"\n")
    ds = _decoder.decode(head)
    if not sep or ds.source is None:
        return ds
    return dataclasses.replace(ds, source=dataclasses.replace(ds.source, text=text.decode("utf-8", "surrogatepass")))


def load_record(body: bytes) -> Dataset:
    """A dataset from a stored (compressed) body."""
    return decode_record(decompress(body))


def load_title(body: bytes) -> str | None:
    """Only the title of a stored record (its source text is not decoded)."""
    head = decompress(body).partition(b"\n")[0]
    return _title_decoder.decode(head).title


def record_hash(canonical: bytes) -> str:
    h = hashlib.sha256(RECORD_FORMAT)
    h.update(canonical)
    return h.hexdigest()


_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_local = threading.local()


def _zstd() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    # zstandard's (de)compressors are not thread-safe: one pair per thread.
    pair = getattr(_local, "zstd", None)
    if pair is None:
        pair = _local.zstd = (zstandard.ZstdCompressor(level=1), zstandard.ZstdDecompressor())
    return pair


def compress(data: bytes) -> bytes:
    """zstd level 1: about three times faster than zlib level 1, and smaller."""
    return _zstd()[0].compress(data)


def decompress(data: bytes) -> bytes:
    """zstd bodies, and zlib bodies written by earlier versions."""
    if data[:4] == _ZSTD_MAGIC:
        return _zstd()[1].decompress(data)
    return zlib.decompress(data)


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
