"""Checking answers: a raw value as typed in a file or a form becomes a valid
:class:`~govlens.model.Answer` for its item, or a clear error."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from govlens.errors import ConfigError
from govlens.maturity.indicators import INDICATORS
from govlens.maturity.questionnaire import Item, Questionnaire
from govlens.model import CENTRE, EVIDENCE_KINDS, Answer, AnswerValue, Evidence

MAX_TEXT = 2000  # characters in a note or an evidence reference


class AnswerError(ConfigError):
    """An answer does not fit its item (unknown option, value out of range, bad evidence)."""


def parse_value(item: Item, raw: Any) -> AnswerValue:
    """The canonical value of ``raw`` for ``item``.

    Single choice: an option key. Percentage: a number from 0 to 100. Checklist:
    the ticked option keys, in the questionnaire's order, from a list or from
    keys separated by ``;``.
    """
    if item.kind == "choice":
        key = _choice_key(raw)
        if item.option(key) is None:
            raise AnswerError(f"'{key}' is not an option of {item.id}",
                              options=", ".join(o.key for o in item.options))
        return key
    if item.kind in ("percent", "percent_inverse"):
        return _percent(item, raw)
    return _checklist(item, raw)


def _choice_key(raw: Any) -> str:
    if isinstance(raw, bool):  # YAML reads yes/no as booleans
        return "yes" if raw else "no"
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return str(int(raw)) if float(raw).is_integer() else str(raw)
    if isinstance(raw, str) and raw.strip():
        return raw.strip()
    raise AnswerError("a single-choice answer needs one option key", got=repr(raw)[:80])


def _percent(item: Item, raw: Any) -> float:
    try:
        value = float(str(raw).strip().rstrip("%")) if not isinstance(raw, bool) else math.nan
    except ValueError:
        value = math.nan
    if not (0.0 <= value <= 100.0):  # also rejects NaN
        raise AnswerError(f"{item.id} takes a percentage from 0 to 100", got=repr(raw)[:80])
    return value


def _checklist(item: Item, raw: Any) -> tuple[str, ...]:
    if raw is None or raw == "":
        keys: list[str] = []
    elif isinstance(raw, str):
        keys = [k.strip() for k in raw.split(";") if k.strip()]
    elif isinstance(raw, (list, tuple)):
        keys = [str(k).strip() for k in raw]
    else:
        raise AnswerError(f"{item.id} takes a list of option keys", got=repr(raw)[:80])
    known = [o.key for o in item.options]
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise AnswerError(f"unknown options for {item.id}: {', '.join(unknown)}",
                          options=", ".join(known))
    return tuple(k for k in known if k in keys)


def parse_evidence(raw: Any) -> Evidence:
    """An evidence entry: a mapping ``{kind, ref, note?}`` or the short form ``kind:ref``."""
    if isinstance(raw, str):
        head, sep, tail = raw.partition(":")
        if not sep:
            raise AnswerError("evidence must read kind:reference", got=raw[:80])
        raw = {"kind": head.strip(), "ref": tail.strip()}
    if not isinstance(raw, Mapping):
        raise AnswerError("evidence must be a mapping with kind and ref", got=repr(raw)[:80])
    kind, ref, note = str(raw.get("kind")), raw.get("ref"), raw.get("note")
    if kind not in EVIDENCE_KINDS:
        raise AnswerError("unknown evidence kind", kind=kind, known=", ".join(EVIDENCE_KINDS))
    if not isinstance(ref, str) or not ref.strip() or len(ref) > MAX_TEXT:
        raise AnswerError("evidence needs a reference", kind=kind)
    ref = ref.strip()
    if kind == "url":
        parts = urlsplit(ref)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise AnswerError("evidence URL must be http(s)", url=ref[:200])
    if kind == "measurement" and ref not in INDICATORS:
        raise AnswerError("unknown measured indicator", indicator=ref)
    if note is not None and (not isinstance(note, str) or len(note) > MAX_TEXT):
        raise AnswerError("evidence note must be short text")
    value = raw.get("value")
    return Evidence(kind=kind, ref=ref, note=note or None,
                    value=None if value in (None, "") else float(value))


def make_answer(q: Questionnaire, scope: str, item_id: str, value: Any,
                evidence: Iterable[Any] = (), note: Any = None,
                answered_by: str | None = None, answered_at: str | None = None) -> Answer:
    """A checked answer of ``scope`` to ``item_id``."""
    item = q.item(item_id) if item_id in q.by_id else None
    if item is None:
        raise AnswerError("no such questionnaire item", item=item_id)
    if item.level == "centre" and scope != CENTRE:
        raise AnswerError(f"{item.id} is answered by the central office only", scope=scope)
    if note is not None and (not isinstance(note, str) or len(note) > MAX_TEXT):
        raise AnswerError("a note must be text of at most 2000 characters", item=item_id)
    return Answer(
        scope=scope,
        item=item.id,
        value=parse_value(item, value),
        evidence=tuple(parse_evidence(e) for e in evidence),
        note=note or None,
        answered_by=answered_by,
        answered_at=answered_at,
    )


def value_text(value: AnswerValue) -> str:
    """The value as one line of text (checklists joined with ``;``)."""
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
