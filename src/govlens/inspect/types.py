"""Table Schema types: reading one cell as its field's type.

The parsers follow Frictionless v5's value readers (``frictionless/fields``)
so that a value Frictionless accepts is accepted here and one it rejects is
rejected: ``int()`` after ``strip()`` for integers, ``Decimal`` for numbers,
``strptime("%Y-%m-%d")`` for dates, ``dateutil.isoparse`` for datetimes,
ISO 8601 durations, ``lon,lat`` geopoints, JSON objects and arrays.

A parser returns the cell's value (what constraints compare) or
:data:`INVALID`. Each begins with a cheap test that rejects most values of
other types without raising, because type inference offers every value to
a dozen parsers and most of them must say no.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import orjson

from govlens.model import FieldInfo

TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")
_GEOJSON_TYPES = {
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection", "Feature", "FeatureCollection",
}
_JSON_SPACE = " \t\n\r"


class _Invalid:
    """The value a parser returns for a cell that does not read as the type."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()
Parser = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field to check cells against: a Table Schema field, given or inferred."""

    name: str
    type: str = "any"
    format: str = "default"
    source: str = "inferred"
    confidence: float | None = None
    sample: int = 0
    options: tuple[tuple[str, Any], ...] = ()
    constraints: tuple[tuple[str, Any], ...] = ()
    missing_values: tuple[str, ...] = ("",)
    _parser: list[Parser] = field(default_factory=list, compare=False, repr=False)

    def option(self, key: str, default: Any = None) -> Any:
        return dict(self.options).get(key, default)

    @property
    def parse(self) -> Parser:
        """The cell's value, or :data:`INVALID`."""
        if not self._parser:
            self._parser.append(make_parser(self))
        return self._parser[0]

    def reader(self, value: Any) -> bool:
        """Whether one non-blank cell reads as the field's type."""
        return self.parse(value) is not INVALID

    @property
    def text_checked(self) -> bool:
        """Whether a text cell can be of the wrong type (every text is a default string)."""
        return self.type != "any" and not (self.type == "string" and self.format == "default")

    @property
    def note(self) -> str:
        return f'type is "{self.type}/{self.format}"'

    def info(self) -> FieldInfo:
        return FieldInfo(self.name, self.type, self.format, self.source, self.confidence,
                         self.sample)


def make_parser(spec: FieldSpec) -> Parser:
    """A function giving one non-blank cell's value as ``spec``'s type, or :data:`INVALID`."""
    try:
        return _shared_parser(spec.type, spec.format, spec.options)
    except TypeError:  # an option holds a list: not shareable
        return _new_parser(spec)


@lru_cache(maxsize=256)
def _shared_parser(kind: str, fmt: str, options: tuple[tuple[str, Any], ...]) -> Parser:
    return _new_parser(FieldSpec("shared", kind, fmt, options=options))


def _new_parser(spec: FieldSpec) -> Parser:
    t, fmt = spec.type, spec.format
    if t in {"integer", "number"}:
        return _numeric_parser(spec, integer=t == "integer")
    if t == "boolean":
        return _boolean_parser(spec)
    if t in {"date", "datetime", "time"}:
        return _temporal_parser(t, fmt)
    if t in {"object", "geojson", "array"}:
        return _json_parser(t)
    if t == "string":
        return _string_parser(fmt)
    simple = {"year": _parse_year, "yearmonth": _parse_yearmonth, "duration": _parse_duration,
              "geopoint": _parse_geopoint}
    return simple.get(t, _parse_any)


def make_reader(spec: FieldSpec) -> Callable[[Any], bool]:
    """A function telling whether one non-blank cell reads as ``spec``'s type."""
    parse = make_parser(spec)
    return lambda v: parse(v) is not INVALID


def _parse_any(v: Any) -> Any:
    return v


def _numeric_parser(spec: FieldSpec, *, integer: bool) -> Parser:
    bare = spec.option("bareNumber", True)
    group = spec.option("groupChar")
    decimal = spec.option("decimalChar")
    strip = None if bare else re.compile(r"((^[^-\d]*)|(\D*$))")
    process = not integer and (group is not None or decimal is not None or not bare)

    def parse(v: Any) -> Any:
        if isinstance(v, str):
            s = v.strip()
            if strip is not None:
                s = strip.sub("", s)
            if process:
                if group:
                    s = s.replace(group, "")
                if decimal and decimal != ".":
                    if "." in s:
                        return INVALID
                    s = s.replace(decimal, ".")
            try:
                return int(s) if integer else Decimal(s)
            except (ValueError, ArithmeticError):
                return INVALID
        if isinstance(v, bool):
            return INVALID
        if isinstance(v, int):
            return v if integer else Decimal(v)
        if isinstance(v, (float, Decimal)):
            if integer:
                return int(v) if v % 1 == 0 else INVALID
            return Decimal(str(v)) if isinstance(v, float) else v
        return INVALID

    return parse


def _boolean_parser(spec: FieldSpec) -> Parser:
    trues = frozenset(spec.option("trueValues", TRUE_VALUES))
    falses = frozenset(spec.option("falseValues", FALSE_VALUES))

    def parse(v: Any) -> Any:
        if isinstance(v, bool):
            return v
        if isinstance(v, str):
            if v in trues:
                return True
            if v in falses:
                return False
        return INVALID

    return parse


def _temporal_parser(kind: str, fmt: str) -> Parser:
    def parse(v: Any) -> Any:
        if kind == "date" and isinstance(v, datetime):
            return v.date() if v.hour == v.minute == v.second == 0 else INVALID
        if isinstance(v, {"date": date, "datetime": datetime, "time": time}[kind]):
            return v
        if not isinstance(v, str):
            return INVALID
        try:
            if fmt == "any":
                parsed = _dateutil().parse(v)
            elif fmt != "default":
                parsed = datetime.strptime(v, fmt)
            elif kind == "date":
                # strptime's %Y takes exactly four digits, first
                if not v[:4].isdigit() or "-" not in v:
                    return INVALID
                return datetime.strptime(v, "%Y-%m-%d").date()
            elif kind == "datetime":
                if len(v) < 19 or v[16] != ":":
                    return INVALID
                return _dateutil().isoparse(v)
            else:
                if len(v) < 8 or v[5] != ":":
                    return INVALID
                return _dateutil().isoparse(f"2000-01-01T{v}").timetz()
        except (ValueError, OverflowError, TypeError):
            return INVALID
        if kind == "date":
            return parsed.date()
        return parsed.timetz() if kind == "time" else parsed

    return parse


def _parse_year(v: Any) -> Any:
    if isinstance(v, bool):
        return INVALID
    if not isinstance(v, int):
        if not isinstance(v, str) or len(v) != 4:
            return INVALID
        try:
            v = int(v)
        except ValueError:
            return INVALID
    return v if 0 <= v <= 9999 else INVALID


def _parse_yearmonth(v: Any) -> Any:
    if isinstance(v, (tuple, list)):
        return tuple(v) if len(v) == 2 else INVALID
    if not isinstance(v, str) or v.count("-") != 1:
        return INVALID
    year, month = v.split("-")
    try:
        y, m = int(year), int(month)
    except ValueError:
        return INVALID
    return (y, m) if 1 <= m <= 12 else INVALID


def _parse_duration(v: Any) -> Any:
    if isinstance(v, timedelta):
        return v
    if not isinstance(v, str) or not (v[:1] == "P" or (v[:1] in "+-" and v[1:2] == "P")):
        return INVALID
    import isodate

    try:
        return isodate.parse_duration(v)
    except (ValueError, TypeError, isodate.ISO8601Error):
        return INVALID


def _parse_geopoint(v: Any) -> Any:
    if not isinstance(v, str) or v.count(",") != 1:
        return INVALID
    lon_s, lat_s = v.split(",")
    try:
        lon, lat = Decimal(lon_s.strip()), Decimal(lat_s.strip())
        if -180 <= lon <= 180 and -90 <= lat <= 90:
            return (lon, lat)
    except (ValueError, ArithmeticError):
        pass
    return INVALID


def _json_parser(kind: str) -> Parser:
    want = list if kind == "array" else dict
    opening = "[" if kind == "array" else "{"

    def parse(v: Any) -> Any:
        if isinstance(v, str):
            if v.lstrip(_JSON_SPACE)[:1] != opening:
                return INVALID
            v = _json_loads(v)
        if not isinstance(v, want):
            return INVALID
        if kind == "geojson" and not (isinstance(v, dict) and _looks_geojson(v)):
            return INVALID
        return v

    return parse


def _json_loads(text: str) -> Any:
    """``json.loads``; orjson first (what it accepts, json reads the same way)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return INVALID


def _looks_geojson(obj: dict[str, Any]) -> bool:
    """GeoJSON's shape: a known ``type`` and the member that type requires."""
    kind = obj.get("type")
    if kind not in _GEOJSON_TYPES:
        return False
    if kind == "Feature":
        return "geometry" in obj and "properties" in obj
    if kind == "FeatureCollection":
        return isinstance(obj.get("features"), list)
    if kind == "GeometryCollection":
        return isinstance(obj.get("geometries"), list)
    return isinstance(obj.get("coordinates"), list)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$")


def _string_parser(fmt: str) -> Parser:
    pattern = {"email": _EMAIL, "uuid": _UUID, "uri": _URI}.get(fmt)

    def parse(v: Any) -> Any:
        if not isinstance(v, str) or (pattern is not None and pattern.match(v) is None):
            return INVALID
        return v

    return parse


def _dateutil() -> Any:
    from dateutil import parser

    return parser


def fields_from_schema(schema: dict[str, Any]) -> list[FieldSpec]:
    """Field specs from a Table Schema descriptor (``fields``, ``missingValues``)."""
    missing = tuple(str(v) for v in schema.get("missingValues", [""]))
    out = []
    for i, f in enumerate(schema.get("fields", [])):
        if not isinstance(f, dict):
            continue
        opts = tuple(
            (k, f[k]) for k in ("bareNumber", "groupChar", "decimalChar", "trueValues",
                                "falseValues") if k in f
        )
        cons = tuple(sorted((f.get("constraints") or {}).items()))
        out.append(
            FieldSpec(
                name=str(f.get("name") or f"field{i + 1}"),
                type=str(f.get("type") or "string"),
                format=str(f.get("format") or "default"),
                source="schema",
                options=opts,
                constraints=cons,
                missing_values=tuple(str(v) for v in f.get("missingValues", missing)),
            )
        )
    return out
