"""Streaming a JSON document's top-level fields and list items, with a nesting limit.

ijson's prefix-based API builds a prefix string per event, which grows with
the nesting depth: a hostile document nested 100,000 levels deep costs
memory quadratic in its depth. This module reads ijson's basic events and
refuses anything nested deeper than ``max_depth`` before that happens.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson

MAX_DEPTH = 64
_START = {"start_map", "start_array"}
_END = {"end_map", "end_array"}
#: Catalogue-level values bigger than this many events are not kept (they are not needed).
_MAX_TOP_VALUE_EVENTS = 100_000


class TooDeep(ValueError):
    """The document is nested deeper than allowed."""


def scan_top(f: IO[bytes], max_depth: int = MAX_DEPTH) -> tuple[str, dict[str, Any]]:
    """``(shape, fields)``: shape is ``catalogue`` (an object with a ``dataset`` list),
    ``array`` (a list of datasets) or ``single`` (one dataset object); fields are
    the catalogue's top-level values other than ``dataset``."""
    fields: dict[str, Any] = {}
    depth = 0
    key: str | None = None
    builder: Any = None
    count = 0
    seen_dataset = False
    for event, value in ijson.basic_parse(f, use_float=True):
        if depth == 0:
            if event == "start_array":
                return "array", {}
            if event != "start_map":
                raise ValueError("a data.json document is a JSON object or array")
        if event in _START:
            depth += 1
            if depth > max_depth:
                raise TooDeep(f"nested deeper than {max_depth} levels")
        elif event in _END:
            depth -= 1
        if depth == 1 and event == "map_key":
            if builder is not None and key is not None:
                fields[key] = builder.value
            key, count = value, 0
            seen_dataset |= key == "dataset"
            builder = None if key == "dataset" else ijson.ObjectBuilder()
            continue
        if builder is not None and not (depth == 0 and event == "end_map"):
            count += 1
            if count > _MAX_TOP_VALUE_EVENTS:
                builder, key = None, None
                continue
            builder.event(event, value)
    if builder is not None and key is not None:
        fields[key] = builder.value
    return ("catalogue", fields) if seen_dataset else ("single", {})


def items(f: IO[bytes], shape: str, max_depth: int = MAX_DEPTH) -> Iterator[Any]:
    """The items of the dataset list (``dataset`` of a catalogue, or the top-level array)."""
    target = 1 if shape == "array" else 2
    active = False
    depth = 0
    key: str | None = None
    builder: Any = None
    for event, value in ijson.basic_parse(f, use_float=True):
        if builder is not None:
            builder.event(event, value)
            if event in _START:
                depth += 1
                if depth > max_depth:
                    raise TooDeep(f"nested deeper than {max_depth} levels")
            elif event in _END:
                depth -= 1
                if depth == target:
                    yield builder.value
                    builder = None
            continue
        if event in _START:
            if active and depth == target:
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
                depth += 1
                continue
            depth += 1
            if depth > max_depth:
                raise TooDeep(f"nested deeper than {max_depth} levels")
            if depth == target and event == "start_array" and (shape == "array" or key == "dataset"):
                active = True
        elif event in _END:
            depth -= 1
            if depth < target:
                active = False
        elif event == "map_key":
            if depth == 1:
                key = value
        elif active and depth == target:
            yield value
