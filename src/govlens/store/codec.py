"""Encoding model records for storage: canonical JSON, content hash, compression."""

from __future__ import annotations

import hashlib
import zlib

import msgspec

from govlens.model import Dataset

#: Bump when the stored shape of a record changes, so old bodies are not mistaken for new ones.
RECORD_FORMAT = b"govlens-record-1\n"

_encoder = msgspec.json.Encoder(order="deterministic")
_decoder = msgspec.json.Decoder(Dataset)


def encode_dataset(ds: Dataset) -> bytes:
    """Canonical JSON of a dataset (keys in field order, deterministic)."""
    return _encoder.encode(ds)


def decode_dataset(data: bytes) -> Dataset:
    return _decoder.decode(data)


def record_hash(canonical: bytes) -> str:
    return hashlib.sha256(RECORD_FORMAT + canonical).hexdigest()


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 1)


def decompress(data: bytes) -> bytes:
    return zlib.decompress(data)


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
