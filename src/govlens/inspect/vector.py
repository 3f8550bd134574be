"""Column-at-a-time checks on Arrow arrays, exact by construction.

A cheap vectorised test (an RE2 pattern, a vectorised ``strptime``) accepts
the values that are certainly of the field's type. Only the values it does
not accept go through the cell reader of :mod:`govlens.inspect.types`, one
by one, so the result is exactly the reader's and the Python work is
proportional to the suspicious values, not to the rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govlens.inspect.types import FALSE_VALUES, TRUE_VALUES, FieldSpec

_TZ = r"(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
#: Patterns that only accept values the type's reader accepts.
_SURE = {
    "integer": r"^\s*[+-]?[0-9]+\s*$",
    "number": r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$",
    "year": r"^[0-9]{4}$",
    "yearmonth": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "datetime": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T" + _TIME + _TZ + "$",
    "time": "^" + _TIME + _TZ + "$",
}
_NUMERIC_OPTIONS = {"bareNumber", "groupChar", "decimalChar"}


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
    return mask


def blank_mask(arr: pa.Array, spec: FieldSpec) -> np.ndarray:
    """Where the cell is blank: absent, or one of the field's missing values."""
    missing = pc.is_in(arr, value_set=pa.array(list(spec.missing_values), arr.type))
    mask = pc.or_(pc.is_null(arr), pc.fill_null(missing, False))
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def type_errors(arr: pa.Array, spec: FieldSpec, blank: np.ndarray) -> list[tuple[int, str]]:
    """(index, value) of the non-blank cells that do not read as ``spec``'s type."""
    if spec.type == "any" or (spec.type == "string" and spec.format == "default"):
        return []
    sure = _sure_mask(arr, spec)
    if sure is None:
        suspects = ~blank
    else:
        ok = np.asarray(pc.fill_null(sure, False).to_numpy(zero_copy_only=False), dtype=bool)
        suspects = ~blank & ~ok
    idx = np.flatnonzero(suspects)
    if not len(idx):
        return []
    values = arr.take(pa.array(idx)).to_pylist()
    read = spec.reader
    return [(int(i), v) for i, v in zip(idx, values, strict=True) if not read(v)]


def constraint_suspects(arr: pa.Array, spec: FieldSpec, blank: np.ndarray) -> list[tuple[int, Any]]:
    """(index, value) of cells that may break a constraint; the caller confirms each."""
    names = {k for k, _ in spec.constraints}
    if not names:
        return []
    if "required" in names and dict(spec.constraints)["required"]:
        suspects = blank.copy()
    else:
        suspects = np.zeros(len(arr), dtype=bool)
    cons = dict(spec.constraints)
    if "pattern" in names:
        suspects |= ~blank
    if "enum" in names:
        inside = pc.is_in(arr, value_set=pa.array([str(x) for x in cons["enum"]], pa.string()))
        suspects |= ~blank & ~np.asarray(pc.fill_null(inside, False).to_numpy(
            zero_copy_only=False), dtype=bool)
    if names & {"minLength", "maxLength"}:
        length = pc.fill_null(pc.utf8_length(arr), 0).to_numpy(zero_copy_only=False)
        if "minLength" in cons:
            suspects |= ~blank & (length < int(cons["minLength"]))
        if "maxLength" in cons:
            suspects |= ~blank & (length > int(cons["maxLength"]))
    idx = np.flatnonzero(suspects)
    values = arr.take(pa.array(idx, pa.int64())).to_pylist() if len(idx) else []
    return [(int(i), v) for i, v in zip(idx, values, strict=True)]


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
