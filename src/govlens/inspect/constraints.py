"""Table Schema constraints, checked on the cell's value as Frictionless does.

A constraint is checked only on a cell that read as its field's type, on the
value read (so ``enum: [1, 2]`` accepts ``"01"`` in an integer field), and
only where Frictionless supports it for the type. The note is Frictionless's:
``constraint "maximum" is "10"``. A constraint the type does not support, or
a bound that does not read as the type, is left out and the report says so.

``unique`` needs to remember every distinct value seen. :class:`Unique`
remembers them up to a memory budget; past it, values already remembered are
still checked but new ones are not added, and the report names the row from
which the check is partial.
"""

from __future__ import annotations

import operator
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from govlens.inspect.types import INVALID, FieldSpec

_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_LENGTHS = ("minLength", "maxLength")
#: The constraints each type supports, in the order Frictionless checks them.
SUPPORTED: dict[str, tuple[str, ...]] = {
    "string": ("required", *_LENGTHS, "pattern", "enum"),
    "array": ("required", *_LENGTHS, "enum"),
    "object": ("required", *_LENGTHS, "enum"),
    **{t: ("required", *_BOUNDS, "enum")
       for t in ("integer", "number", "date", "datetime", "time", "year", "yearmonth")},
}
_COMPARE = {"minimum": operator.ge, "maximum": operator.le,
            "exclusiveMinimum": operator.gt, "exclusiveMaximum": operator.lt}
#: Memory allowed for the values behind ``unique`` constraints, in bytes, per file.
UNIQUE_BUDGET = 48 << 20
Check = Callable[[Any], bool]


@dataclass(slots=True)
class FieldChecks:
    """The constraints of one field, ready to run on read values (``None`` = blank)."""

    checks: list[tuple[str, str, Check]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    required: bool = False

    def notes(self, value: Any) -> list[str]:
        if value is INVALID:
            return []
        return [note for _, note, ok in self.checks if not ok(value)]

    def names(self) -> set[str]:
        return {name for name, _, _ in self.checks}


def compile_checks(spec: FieldSpec) -> FieldChecks:
    """The checks of a field's constraints (``unique`` aside, see :class:`Unique`)."""
    out = FieldChecks()
    if not spec.constraints:
        return out
    given = dict(spec.constraints)
    supported = SUPPORTED.get(spec.type, ("required", "enum"))
    for name in given:
        if name not in supported and name != "unique":
            out.skipped.append(f'constraint "{name}" does not apply to type "{spec.type}"')
    for name in supported:
        if name not in given:
            continue
        want = given[name]
        note = f'constraint "{name}" is "{want}"'
        check = _make_check(spec, name, want)
        if check is None:
            out.skipped.append(f'constraint "{name}" ({want!r}) does not read as {spec.type}')
        elif name != "required" or want:
            out.checks.append((name, note, check))
            out.required = out.required or name == "required"
    return out


def _make_check(spec: FieldSpec, name: str, want: Any) -> Check | None:
    if name == "required":
        return lambda v: v is not None
    if name in _LENGTHS:
        n = int(want)
        if name == "minLength":
            return lambda v: v is None or len(v) >= n
        return lambda v: v is None or len(v) <= n
    if name == "pattern":
        pattern = re.compile(str(want))
        return lambda v: v is None or pattern.fullmatch(str(v)) is not None
    if name == "enum":
        if not isinstance(want, list):
            return None
        allowed = [spec.parse(x) for x in want]
        return lambda v: v is None or v in allowed
    bound = spec.parse(want)
    if bound is INVALID:
        return None
    compare = _COMPARE[name]

    def check(v: Any) -> bool:
        if v is None:
            return True
        if v != v:  # noqa: PLR0124 - NaN (float or Decimal) is outside every bound
            return False
        try:
            return bool(compare(v, bound))
        except TypeError:  # e.g. a naive and an aware datetime: not comparable, not checked
            return True

    return check


def numeric_bounds(spec: FieldSpec) -> list[tuple[str, float]]:
    """The field's bounds as floats, for a vectorised first pass (integer and number only)."""
    if spec.type not in {"integer", "number"}:
        return []
    out = []
    for name, want in spec.constraints:
        if name in _BOUNDS:
            value = spec.parse(want)
            if value is not INVALID:
                out.append((name, float(value)))
    return out


class Unique:
    """Remembers the values of one ``unique`` field, within a share of the memory budget."""

    def __init__(self, field_number: int, name: str, budget: int) -> None:
        self.field_number = field_number
        self.name = name
        self.budget = budget
        self.used = 0
        self.seen: dict[Any, int] = {}
        self.full_at: int | None = None  # the row from which new values were not remembered

    def see(self, row: int, value: Any) -> int | None:
        """Remember ``value`` at ``row``; the row it was last seen at, if it was."""
        prev = self.seen.get(value)
        if prev is not None:
            self.seen[value] = row
            return prev
        if self.full_at is None:
            self.used += sys.getsizeof(value) + 100
            if self.used > self.budget:
                self.full_at = row
            else:
                self.seen[value] = row
        return None

    def note(self) -> str | None:
        if self.full_at is None:
            return None
        return (f'constraint "unique" on field {self.field_number} ("{self.name}") is checked in '
                f"part from row {self.full_at}: {len(self.seen)} distinct values filled its "
                f"memory; a value first seen from that row on was not remembered, so a repeat of "
                f"it is not reported")


def unique_trackers(fields: Sequence[FieldSpec], budget: int | None = None) -> list[Unique | None]:
    """One :class:`Unique` per field whose ``unique`` constraint is true, ``None`` elsewhere."""
    budget = UNIQUE_BUDGET if budget is None else budget
    flagged = [bool(dict(f.constraints).get("unique")) for f in fields]
    share = budget // max(1, sum(flagged))
    return [Unique(i + 1, f.name, share) if on else None
            for i, (f, on) in enumerate(zip(fields, flagged, strict=True))]
