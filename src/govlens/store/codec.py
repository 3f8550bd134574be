"""Encoding model records for storage: canonical JSON, content hash, compression."""

from __future__ import annotations

import hashlib
import threading
import zlib

import msgspec
import zstandard

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


_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_local = threading.local()


def _zstd() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    # zstandard's (de)compressors are not thread-safe: one pair per thread.
    pair = getattr(_local, "zstd", None)
    if pair is None:
        pair = _local.zstd = (zstandard.ZstdCompressor(level=1), zstandard.ZstdDecompressor())
    return pair  # type: ignore[no-any-return]


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
