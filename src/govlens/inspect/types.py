"""Table Schema types: reading one cell, and inferring a column's type from a sample.

The readers follow Frictionless v5's field readers (``frictionless/fields``)
so that a value Frictionless accepts is accepted here and one it rejects is
rejected: ``int()`` after ``strip()`` for integers, ``Decimal`` for numbers,
``strptime("%Y-%m-%d")`` for dates, ``dateutil.isoparse`` for datetimes,
ISO 8601 durations, ``lon,lat`` geopoints, JSON objects and arrays.

:func:`infer_fields` is Frictionless's inference, step for step: each column
is offered the candidate types in order, every non-blank sample value scores
+1 for a type it reads as and -1 otherwise, and the first type whose score
reaches ``confidence`` (0.9) of the column's non-blank values wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from govlens.model import FieldInfo

#: The candidate types in Frictionless's order (``settings.DEFAULT_FIELD_CANDIDATES``).
CANDIDATES = (
    "yearmonth", "geopoint", "duration", "geojson", "object", "array", "datetime", "time",
    "date", "integer", "number", "boolean", "year", "string",
)
SAMPLE_SIZE = 100
CONFIDENCE = 0.9
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")
_GEOJSON_TYPES = {
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection", "Feature", "FeatureCollection",
}

Reader = Callable[[Any], bool]


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
    _reader: list[Reader] = field(default_factory=list, compare=False, repr=False)

    def option(self, key: str, default: Any = None) -> Any:
        return dict(self.options).get(key, default)

    @property
    def reader(self) -> Reader:
        if not self._reader:
            self._reader.append(make_reader(self))
        return self._reader[0]

    @property
    def note(self) -> str:
        return f'type is "{self.type}/{self.format}"'

    def info(self) -> FieldInfo:
        return FieldInfo(self.name, self.type, self.format, self.source, self.confidence,
                         self.sample)


def make_reader(spec: FieldSpec) -> Reader:
    """A function telling whether one non-blank cell reads as ``spec``'s type."""
    t, fmt = spec.type, spec.format
    if t == "integer":
        return _numeric_reader(spec, integer=True)
    if t == "number":
        return _numeric_reader(spec, integer=False)
    if t == "boolean":
        trues = tuple(spec.option("trueValues", TRUE_VALUES))
        falses = tuple(spec.option("falseValues", FALSE_VALUES))
        accepted = set(trues) | set(falses)
        return lambda v: isinstance(v, bool) or (isinstance(v, str) and v in accepted)
    if t == "date":
        return _date_reader(fmt)
    if t == "datetime":
        return _datetime_reader(fmt)
    if t == "time":
        return _time_reader(fmt)
    if t == "year":
        return _read_year
    if t == "yearmonth":
        return _read_yearmonth
    if t == "duration":
        return _read_duration
    if t == "geopoint":
        return _read_geopoint
    if t in {"object", "geojson", "array"}:
        return _json_reader(t)
    if t == "string":
        return _string_reader(fmt)
    return lambda v: True  # any


def _numeric_reader(spec: FieldSpec, *, integer: bool) -> Reader:
    bare = spec.option("bareNumber", True)
    group = spec.option("groupChar")
    decimal = spec.option("decimalChar")
    strip = None if bare else re.compile(r"((^[^-\d]*)|(\D*$))")

    def read(v: Any) -> bool:
        if isinstance(v, bool):
            return False
        if isinstance(v, int):
            return True
        if isinstance(v, (float, Decimal)):
            return not integer or v % 1 == 0
        if not isinstance(v, str):
            return False
        s = v.strip()
        if strip is not None:
            s = strip.sub("", s)
        if not integer and (group is not None or decimal is not None or not bare):
            if group:
                s = s.replace(group, "")
            if decimal and decimal != ".":
                if "." in s:
                    return False
                s = s.replace(decimal, ".")
        try:
            int(s) if integer else Decimal(s)
        except (ValueError, ArithmeticError):
            return False
        return True

    return read


def _date_reader(fmt: str) -> Reader:
    def read(v: Any) -> bool:
        if isinstance(v, datetime):
            return v.hour == v.minute == v.second == 0
        if isinstance(v, date):
            return True
        if not isinstance(v, str):
            return False
        try:
            if fmt == "default":
                datetime.strptime(v, "%Y-%m-%d")
            elif fmt == "any":
                _dateutil().parse(v)
            else:
                datetime.strptime(v, fmt)
        except (ValueError, OverflowError, TypeError):
            return False
        return True

    return read


def _datetime_reader(fmt: str) -> Reader:
    def read(v: Any) -> bool:
        if isinstance(v, datetime):
            return True
        if not isinstance(v, str):
            return False
        try:
            if fmt == "default":
                if len(v) < 19 or v[16] != ":":
                    return False
                _dateutil().isoparse(v)
            elif fmt == "any":
                _dateutil().parse(v)
            else:
                datetime.strptime(v, fmt)
        except (ValueError, OverflowError, TypeError):
            return False
        return True

    return read


def _time_reader(fmt: str) -> Reader:
    def read(v: Any) -> bool:
        if isinstance(v, time):
            return True
        if not isinstance(v, str):
            return False
        try:
            if fmt == "default":
                if len(v) < 8 or v[5] != ":":
                    return False
                _dateutil().isoparse(f"2000-01-01T{v}")
            elif fmt == "any":
                _dateutil().parse(v)
            else:
                datetime.strptime(v, fmt)
        except (ValueError, OverflowError, TypeError):
            return False
        return True

    return read


def _read_year(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if not isinstance(v, int):
        if not isinstance(v, str) or len(v) != 4:
            return False
        try:
            v = int(v)
        except ValueError:
            return False
    return 0 <= v <= 9999


def _read_yearmonth(v: Any) -> bool:
    if isinstance(v, (tuple, list)):
        return len(v) == 2
    if not isinstance(v, str):
        return False
    try:
        _year, month = v.split("-")
        int(_year)
        return 1 <= int(month) <= 12
    except ValueError:
        return False


def _read_duration(v: Any) -> bool:
    if isinstance(v, timedelta):
        return True
    if not isinstance(v, str):
        return False
    import isodate

    try:
        isodate.parse_duration(v)
    except (ValueError, TypeError, isodate.ISO8601Error):
        return False
    return True


def _read_geopoint(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        lon_s, lat_s = v.split(",")
        lon, lat = Decimal(lon_s.strip()), Decimal(lat_s.strip())
        return -180 <= lon <= 180 and -90 <= lat <= 90
    except (ValueError, ArithmeticError):
        return False


def _json_reader(kind: str) -> Reader:
    want = list if kind == "array" else dict

    def read(v: Any) -> bool:
        if isinstance(v, str):
            try:
                v = json.loads(v)
            except (ValueError, RecursionError):
                return False
        if not isinstance(v, want):
            return False
        if kind == "geojson":
            return _looks_geojson(v)
        return True

    return read


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


def _string_reader(fmt: str) -> Reader:
    pattern = {"email": _EMAIL, "uuid": _UUID, "uri": _URI}.get(fmt)
    if pattern is None:
        return lambda v: isinstance(v, str)
    return lambda v: isinstance(v, str) and pattern.match(v) is not None


def _dateutil() -> Any:
    from dateutil import parser

    return parser


# -- inference ---------------------------------------------------------------------------


def field_names(labels: Sequence[str], width: int) -> list[str]:
    """Field names from the header labels: blank ones named ``fieldN``, duplicates suffixed."""
    names = [(labels[i] if i < len(labels) else "") or f"field{i + 1}" for i in range(width)]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}{seen[name]}")
        else:
            seen[name] = 1
            out.append(name)
    return out


def infer_fields(
    names: Sequence[str],
    fragment: Sequence[Sequence[Any]],
    *,
    missing_values: Sequence[str] = ("",),
    confidence: float = CONFIDENCE,
) -> list[FieldSpec]:
    """Infer each column's type from the sample rows (Frictionless's algorithm)."""
    missing = tuple(missing_values)
    if not fragment:
        return [FieldSpec(n, "any", confidence=None, missing_values=missing) for n in names]
    readers = [(c, make_reader(FieldSpec("shared", c))) for c in CANDIDATES]
    out = []
    threshold = len(fragment) * (confidence - 1)
    for index, name in enumerate(names):
        scores = [0] * len(readers)
        max_score = len(fragment)
        chosen: FieldSpec | None = None
        for cells in fragment:
            source = cells[index] if len(cells) > index else None
            is_missing = source in missing
            if is_missing:
                max_score -= 1
            for k, (kind, read) in enumerate(readers):
                if scores[k] < threshold:
                    continue
                if not is_missing:
                    scores[k] += 1 if (source is None or read(source)) else -1
                if max_score > 0 and scores[k] >= max_score * confidence:
                    chosen = FieldSpec(name, kind, missing_values=missing)
                    break
            if chosen is not None:
                break
        if chosen is None:
            out.append(FieldSpec(name, "any", missing_values=missing))
        else:
            out.append(_with_confidence(chosen, index, fragment, missing))
    return out


def _with_confidence(
    spec: FieldSpec, index: int, fragment: Sequence[Sequence[Any]], missing: tuple[str, ...]
) -> FieldSpec:
    """State how much of the sample supports the chosen type."""
    values = [c[index] for c in fragment if len(c) > index and c[index] not in missing]
    values = [v for v in values if v is not None]
    if not values:
        return FieldSpec(spec.name, spec.type, confidence=None, sample=0, missing_values=missing)
    read = spec.reader
    share = sum(1 for v in values if read(v)) / len(values)
    return FieldSpec(spec.name, spec.type, confidence=round(share, 4), sample=len(values),
                     missing_values=missing)


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
