"""Column-at-a-time checks on Arrow arrays, exact by construction.

A cheap vectorised test (an RE2 pattern, a vectorised ``strptime``, a float
comparison with a margin) accepts the values that are certainly fine. Only
the values it does not accept go through the cell parser of
:mod:`govlens.inspect.types` and the constraint checks of
:mod:`govlens.inspect.constraints`, one by one, so the result is exactly
theirs and the Python work is proportional to the suspicious values, not to
the rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govlens.inspect.constraints import numeric_bounds
from govlens.inspect.types import FALSE_VALUES, INVALID, TRUE_VALUES, FieldSpec

_TZ = r"(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
#: Patterns that only accept values the type's parser accepts.
_SURE = {
    "integer": r"^\s*[+-]?[0-9]+\s*$",
    # an exponent of up to 17 digits: Decimal refuses exponents past about 10**18
    "number": r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,17})?\s*$",
    "year": r"^[0-9]{4}$",
    "yearmonth": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "datetime": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T" + _TIME + _TZ + "$",
    "time": "^" + _TIME + _TZ + "$",
    # lon in [-180, 180], lat in [-90, 90], as decimals
    "geopoint": r"^\s*[+-]?(180(\.0*)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]*)?)\s*,"
                r"\s*[+-]?(90(\.0*)?|[0-8]?[0-9](\.[0-9]*)?)\s*$",
}
#: Decimal text that Arrow's float parser reads (no blanks, no ``inf``, small exponents).
_PLAIN_NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$"
_NUMERIC_OPTIONS = {"bareNumber", "groupChar", "decimalChar"}
_LOWER = {"minimum", "exclusiveMinimum"}


def _bools(mask: Any) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _sure_mask(arr: pa.Array, spec: FieldSpec) -> pa.Array | None:
    """True where the value is certainly valid; ``None`` when no shortcut applies."""
    if spec.format != "default" or _NUMERIC_OPTIONS & {k for k, _ in spec.options}:
        return None
    if spec.type == "boolean":
        allowed = list(spec.option("trueValues", TRUE_VALUES)) + list(
            spec.option("falseValues", FALSE_VALUES))
        return pc.is_in(arr, value_set=pa.array(allowed, pa.string()))
    pattern = _SURE.get(spec.type)
    if pattern is None:
        return None
    mask = pc.match_substring_regex(arr, pattern)
    if spec.type in {"date", "datetime"}:
        head = pc.utf8_slice_codeunits(arr, 0, 10 if spec.type == "date" else 19)
        fmt = "%Y-%m-%d" if spec.type == "date" else "%Y-%m-%dT%H:%M:%S"
        parsed = pc.strptime(pc.if_else(mask, head, pa.scalar(None, pa.string())),
                             format=fmt, unit="s", error_is_null=True)
        # A day past the month's end may roll over; only a round trip is proof.
        again = pc.strftime(parsed, format=fmt)
        mask = pc.and_(mask, pc.fill_null(pc.equal(again, head), False))
        # Arrow's calendar has a year 0, Python's (the reader's) starts at year 1
        mask = pc.and_(mask, pc.invert(pc.starts_with(arr, "0000")))
    return mask


def blank_mask(arr: pa.Array, spec: FieldSpec) -> np.ndarray:
    """Where the cell is blank: absent, or one of the field's missing values."""
    if spec.missing_values == ("",):
        mask = pc.equal(pc.binary_length(arr), 0)
    else:
        mask = pc.is_in(arr, value_set=pa.array(list(spec.missing_values), arr.type))
    return _bools(pc.or_kleene(pc.is_null(arr), mask))


def type_errors(arr: pa.Array, spec: FieldSpec, blank: np.ndarray) -> list[tuple[int, str]]:
    """(index, value) of the non-blank cells that do not read as ``spec``'s type."""
    if not spec.text_checked:
        return []
    sure = _sure_mask(arr, spec)
    suspects = ~blank if sure is None else ~blank & ~_bools(sure)
    idx = np.flatnonzero(suspects)
    if not len(idx):
        return []
    values = arr.take(pa.array(idx)).to_pylist()
    parse = spec.parse
    return [(int(i), v) for i, v in zip(idx, values, strict=True) if parse(v) is INVALID]


def constraint_suspects(
    arr: pa.Array, spec: FieldSpec, blank: np.ndarray, names: set[str]
) -> np.ndarray:
    """Indices of the cells that may break one of the constraints ``names``."""
    cons = dict(spec.constraints)
    suspects = blank.copy() if "required" in names else np.zeros(len(arr), dtype=bool)
    present = ~blank
    if "pattern" in names or (names & {"minLength", "maxLength"} and spec.type != "string"):
        suspects |= present
    if "enum" in names:
        inside = pc.is_in(arr, value_set=pa.array([str(x) for x in cons["enum"]], pa.string()))
        suspects |= present & ~_bools(inside)
    if names & {"minLength", "maxLength"} and spec.type == "string":
        length = pc.fill_null(pc.utf8_length(arr), 0).to_numpy(zero_copy_only=False)
        if "minLength" in cons:
            suspects |= present & (length < int(cons["minLength"]))
        if "maxLength" in cons:
            suspects |= present & (length > int(cons["maxLength"]))
    if names & set(_BOUND_NAMES):
        suspects |= present & ~_within_bounds(arr, spec, names)
    return np.flatnonzero(suspects)


_BOUND_NAMES = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _within_bounds(arr: pa.Array, spec: FieldSpec, names: set[str]) -> np.ndarray:
    """True where the value is certainly within the field's bounds."""
    n = len(arr)
    bounds = [(k, b) for k, b in numeric_bounds(spec) if k in names]
    if bounds:
        plain = pc.fill_null(pc.match_substring_regex(arr, _PLAIN_NUMBER), False)
        values = pc.cast(pc.if_else(plain, arr, pa.scalar(None, arr.type)), pa.float64())
        ok = _bools(plain)
        numbers = values.to_numpy(zero_copy_only=False)
        with np.errstate(invalid="ignore"):
            for name, bound in bounds:
                margin = 1e-9 * max(1.0, abs(bound))
                if name in _LOWER:
                    ok &= numbers > bound + margin
                else:
                    ok &= numbers < bound - margin
        return ok
    if spec.type == "date" and spec.format == "default":
        sure = _sure_mask(arr, spec)
        assert sure is not None
        ok = _bools(sure)
        for name, want in spec.constraints:
            if name in names and name in _BOUND_NAMES:
                bound = spec.parse(want)
                if bound is INVALID:
                    continue
                compare = pc.greater if name in _LOWER else pc.less
                ok &= _bools(compare(arr, pa.scalar(bound.isoformat(), arr.type)))
        return ok
    return np.zeros(n, dtype=bool)


def invalid_utf8(arr: pa.Array) -> list[int]:
    """Indices of the values of a binary array that are not valid UTF-8."""
    try:
        arr.view(pa.string()).validate(full=True)
        return []
    except pa.ArrowInvalid:
        pass
    out = []
    for i, v in enumerate(arr.to_pylist()):
        if v is None:
            continue
        try:
            v.decode("utf-8")
        except UnicodeDecodeError:
            out.append(i)
    return out
