"""data.json catalogues, streamed with ijson so a catalogue is never held whole in memory.

A URL is downloaded to a temporary file (within the response size limit); a
local file is read in place. A first streaming pass reads the catalogue-level
fields (skipping the ``dataset`` array); a second yields the datasets in pages
of ``page_size``. The cursor is the number of datasets already committed. A
top-level array is a POD v1.0 catalogue; a single dataset object (an ADELA
record) is a catalogue of one.
"""

from __future__ import annotations

import codecs
import functools
import os
import tempfile
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import httpx
import ijson

from govlens.errors import SourceFormatError, SourceRejected, SourceUnavailable
from govlens.harvest._encoding import GUESS, first_invalid_utf8, known_charset, to_utf8
from govlens.harvest._http import within
from govlens.harvest._jsonstream import TooDeep, items, scan_top
from govlens.harvest.base import CatalogueMeta, Normaliser, Options, RawPage, is_url
from govlens.model import Dataset, SourceKind, StageError
from govlens.normalise.datajson import detect_profile, normalise
from govlens.normalise.guards import Limits, each_json


def normalise_page(
    records: Sequence[Any], limits: Limits, *, profile: str, defaults: Mapping[str, Any]
) -> list[Dataset]:
    return each_json(records, limits, "datajson", ("identifier", "@id"),
                     lambda r: normalise(r, profile=profile, defaults=defaults, limits=limits))


class DataJsonHarvester:
    kind: SourceKind = "datajson"

    def __init__(self, source: str, client: httpx.AsyncClient | None, options: Options) -> None:
        self.source = source
        self.client = client
        self.options = options
        self.meta = CatalogueMeta()
        self.notes: list[StageError] = []
        self.profile = "pod-1.1"
        self.defaults: dict[str, Any] = {}
        self._charset: str | None = None  # what the server declared (Content-Type)

    def normaliser(self) -> Normaliser:
        return functools.partial(normalise_page, profile=self.profile, defaults=self.defaults)

    async def _download(self) -> Path:
        assert self.client is not None
        fd, name = tempfile.mkstemp(prefix="govlens-datajson-", suffix=".json")
        total = 0
        limit = self.options.max_response_bytes
        ctx = {"source": self.source, "page": self.source}
        try:
            with os.fdopen(fd, "wb") as out:
                async with within(self.options.deadline, ctx), self.client.stream("GET", self.source) as resp:
                    if resp.status_code == 429 or resp.status_code >= 500:
                        raise SourceUnavailable(f"the source failed (HTTP {resp.status_code})", **ctx,
                                                cause=f"HTTP {resp.status_code}")
                    if resp.status_code >= 400:
                        raise SourceRejected(f"the source refused the request (HTTP {resp.status_code})",
                                             **ctx, cause=f"HTTP {resp.status_code}")
                    self._charset = resp.charset_encoding
                    async for chunk in resp.aiter_bytes(1 << 20):
                        total += len(chunk)
                        if total > limit:
                            raise SourceRejected("response too large", **ctx, cause=f"over {limit} bytes")
                        out.write(chunk)
        except httpx.TimeoutException as exc:
            os.unlink(name)
            raise SourceUnavailable("the source timed out", **ctx, cause=type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            os.unlink(name)
            raise SourceUnavailable("the source could not be reached", **ctx,
                                    cause=f"{type(exc).__name__}: {exc}") from exc
        except BaseException:
            os.unlink(name)
            raise
        return Path(name)

    async def pages(self, cursor: Mapping[str, Any] | None) -> AsyncIterator[RawPage]:
        if is_url(self.source):
            path = await self._download()
            temp = True
        else:
            path = Path(self.source)
            temp = False
            try:
                size = path.stat().st_size
            except OSError as exc:
                raise SourceUnavailable("cannot read the file", source=self.source, cause=str(exc)) from exc
            if size > self.options.max_response_bytes:
                raise SourceRejected("file too large", source=self.source,
                                     cause=f"{size} bytes, limit {self.options.max_response_bytes}")
        try:
            path, temp = self._as_utf8(path, temp)
            for page in self._pages(path, int((cursor or {}).get("offset", 0))):
                yield page
        finally:
            if temp:
                path.unlink(missing_ok=True)

    def _as_utf8(self, path: Path, temp: bool) -> tuple[Path, bool]:
        """``path``, or a UTF-8 copy of it when it is not UTF-8 (``harvest._encoding``)."""
        bad = first_invalid_utf8(path)
        if bad is None:
            return path, temp
        declared = known_charset(self._charset)
        converted = to_utf8(path, declared or GUESS)
        if temp:
            path.unlink(missing_ok=True)
        if declared is None:
            self.notes.append(StageError(
                "EncodingGuessed", f"the catalogue is not UTF-8 (byte {bad}) and declares no charset: read as"
                " Windows-1252, as files saved by spreadsheets and older Windows tools are; save it as"
                " UTF-8, or serve it with its charset, to be sure", self.source))
        return converted, True

    def _pages(self, path: Path, offset: int) -> Iterator[RawPage]:
        with open(path, "rb") as f:
            # JSON has no byte-order mark, but files saved on Windows often start with one:
            # read past it, as RFC 8259 lets a parser do, rather than refuse the catalogue.
            start = len(codecs.BOM_UTF8) if f.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8 else 0
            f.seek(start)
            try:
                shape, fields = scan_top(f)
            except (ijson.JSONError, ValueError, UnicodeDecodeError) as exc:  # TooDeep is a ValueError
                raise SourceFormatError("invalid data.json", source=self.source, page="catalogue",
                                        cause=str(exc)[:300]) from exc
            self._learn(shape, fields)
            f.seek(start)
            if shape == "single":
                rec = _load_single(f, self.source)
                if offset == 0:
                    yield RawPage([rec], {"offset": 1}, "record", 1)
                return
            yield from self._stream(f, shape, offset)

    def _stream(self, f: IO[bytes], shape: str, offset: int) -> Iterator[RawPage]:
        size = self.options.page_size
        batch: list[Any] = []
        index = 0
        try:
            for item in items(f, shape):
                index += 1
                if index <= offset:
                    continue
                batch.append(item)
                if len(batch) >= size:
                    yield RawPage(batch, {"offset": index}, f"datasets {index - len(batch)}-{index - 1}")
                    batch = []
        except (ijson.JSONError, UnicodeDecodeError, TooDeep) as exc:
            raise SourceFormatError("invalid data.json", source=self.source,
                                    page=f"after dataset {index}", cause=str(exc)[:300]) from exc
        if batch:
            yield RawPage(batch, {"offset": index}, f"datasets {index - len(batch)}-{index - 1}")

    def _learn(self, shape: str, fields: dict[str, Any]) -> None:
        self.profile = detect_profile(fields, array=shape == "array", single=shape == "single")
        if isinstance(fields.get("title"), str):
            self.meta.title = fields["title"]
        if isinstance(fields.get("description"), str):
            self.meta.description = fields["description"]
        if isinstance(fields.get("homepage"), str):
            self.meta.homepage = fields["homepage"]
        lang = fields.get("language")
        if isinstance(lang, list) and lang and isinstance(lang[0], str):
            lang = lang[0]
        if isinstance(lang, str):
            self.meta.language = lang
        self.meta.extra["profile"] = self.profile
        for k in ("publisher", "license"):
            if fields.get(k):
                self.defaults[k] = fields[k]


def _load_single(f: IO[bytes], source: str) -> dict[str, Any]:
    import orjson

    try:
        doc = orjson.loads(f.read())
    except orjson.JSONDecodeError as exc:
        raise SourceFormatError("invalid data.json", source=source, page="record", cause=str(exc)) from exc
    if not isinstance(doc, dict):
        raise SourceFormatError("not a data.json record", source=source, page="record")
    return doc
