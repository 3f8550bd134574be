"""Answers in files: YAML and CSV, read with every problem reported at once and written
back in the same shapes, so an export imports to the same answers.

YAML::

    format: govlens-maturity-answers/1
    answers:
      centre:
        q1: "yes"
      shcp:
        q1a:
          value: [targets, budget]
          evidence:
            - {kind: url, ref: "https://www.gob.mx/shcp/documentos/estrategia"}
            - "document:DOF 20/02/2015"
          note: Approved in March.

CSV, one answer per row: ``scope,item,value,evidence,note``. A checklist value lists
option keys separated by ``;``; evidence entries read ``kind:reference`` and are
separated by `` | ``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import yaml

from govlens.errors import ConfigError
from govlens.maturity.answers import AnswerError, make_answer, value_text
from govlens.maturity.questionnaire import Questionnaire
from govlens.model import Answer

FORMAT = "govlens-maturity-answers/1"
CSV_COLUMNS = ("scope", "item", "value", "evidence", "note")
EVIDENCE_SEP = " | "
MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 50


class AnswerFileError(ConfigError):
    """An answers file could not be read; ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: Iterable[str] = (), **context: object) -> None:
        self.problems = list(problems)
        super().__init__(message, **context)

    def __str__(self) -> str:
        shown = self.problems[:MAX_ERRORS]
        more = len(self.problems) - len(shown)
        return (super().__str__() + "".join(f"\n  - {p}" for p in shown)
                + (f"\n  ... and {more} more" if more else ""))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_file_error, (self.message, self.problems, self.context))


def _rebuild_file_error(message: str, problems: list[str], context: dict[str, object]) -> AnswerFileError:
    return AnswerFileError(message, problems, **context)


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise AnswerFileError("the file is too large", file=name, limit_bytes=MAX_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswerFileError("the file is not valid UTF-8", file=name,
                              position=exc.start) from None


def _check_scope(scope: str, scopes: Collection[str]) -> None:
    if scope not in scopes:
        raise AnswerError(f"unknown scope '{scope}' (an institution id or 'centre')")


def read_yaml(data: bytes, q: Questionnaire, scopes: Collection[str], *, name: str = "<yaml>",
              answered_by: str | None = None, answered_at: str | None = None) -> list[Answer]:
    text = _decode(data, name)
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        raise AnswerFileError("the file is not valid YAML", [f"{where}: {getattr(exc, 'problem', exc)}"],
                              file=name) from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("answers"), Mapping):
        raise AnswerFileError("expected a mapping with an 'answers' section", file=name)
    if doc.get("format", FORMAT) != FORMAT:
        raise AnswerFileError("unsupported answers format", file=name, format=doc.get("format"))
    out: list[Answer] = []
    problems: list[str] = []
    for scope, items in doc["answers"].items():
        scope = str(scope)
        if not isinstance(items, Mapping):
            problems.append(f"{scope}: expected a mapping of item ids to answers")
            continue
        for item_id, entry in items.items():
            where = f"{scope}.{item_id}"
            try:
                _check_scope(scope, scopes)
                body = entry if isinstance(entry, Mapping) else {"value": entry}
                if "value" not in body:
                    raise AnswerError("missing 'value'")
                evidence = body.get("evidence") or []
                if not isinstance(evidence, list):
                    raise AnswerError("'evidence' must be a list")
                out.append(make_answer(q, scope, str(item_id), body["value"], evidence,
                                       body.get("note"), answered_by, answered_at))
            except (AnswerError, ValueError, TypeError) as exc:
                problems.append(f"{where}: {exc}")
    if problems:
        raise AnswerFileError(f"{len(problems)} problem(s) in {name}; nothing was imported",
                              problems)
    return out


def read_csv(data: bytes, q: Questionnaire, scopes: Collection[str], *, name: str = "<csv>",
             answered_by: str | None = None, answered_at: str | None = None) -> list[Answer]:
    text = _decode(data, name)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in ("scope", "item", "value") if c not in header]
        if missing:
            raise AnswerFileError("the CSV lacks columns", file=name, missing=", ".join(missing))
        reader.fieldnames = header
        rows = list(reader)
    except csv.Error as exc:
        raise AnswerFileError("the file is not valid CSV", [f"line {reader.line_num}: {exc}"],
                              file=name) from None
    out: list[Answer] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for n, row in enumerate(rows, start=2):
        if None in row:
            problems.append(f"line {n}: more cells than columns")
            continue
        scope, item_id = (row.get("scope") or "").strip(), (row.get("item") or "").strip()
        try:
            _check_scope(scope, scopes)
            if (scope, item_id) in seen:
                raise AnswerError(f"answered twice (also line {seen[(scope, item_id)]})")
            seen[(scope, item_id)] = n
            evidence = [e for e in (row.get("evidence") or "").split(EVIDENCE_SEP.strip()) if e.strip()]
            out.append(make_answer(q, scope, item_id, row.get("value") or "", evidence,
                                   (row.get("note") or "").strip() or None, answered_by, answered_at))
        except (AnswerError, ValueError, TypeError) as exc:
            problems.append(f"line {n} ({scope}.{item_id}): {exc}")
    if problems:
        raise AnswerFileError(f"{len(problems)} problem(s) in {name}; nothing was imported",
                              problems)
    return out


def read_answers(data: bytes, q: Questionnaire, scopes: Collection[str], *, fmt: str,
                 name: str = "<input>", answered_by: str | None = None,
                 answered_at: str | None = None) -> list[Answer]:
    reader = {"yaml": read_yaml, "csv": read_csv}.get(fmt)
    if reader is None:
        raise ConfigError("unknown answers format (yaml or csv)", format=fmt)
    return reader(data, q, scopes, name=name, answered_by=answered_by, answered_at=answered_at)


def format_of(filename: str) -> str:
    lower = filename.lower()
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith(".csv"):
        return "csv"
    raise ConfigError("cannot tell the format from the file name; use --format yaml|csv",
                      file=filename)


def _evidence_entry(e: Any) -> dict[str, Any]:
    return {k: v for k, v in (("kind", e.kind), ("ref", e.ref), ("note", e.note), ("value", e.value))
            if v is not None}


def write_yaml(answers: Iterable[Answer]) -> str:
    doc: dict[str, Any] = {"format": FORMAT, "answers": {}}
    for a in sorted(answers, key=lambda a: (a.scope, a.item)):
        entry: dict[str, Any] = {"value": list(a.value) if isinstance(a.value, tuple) else a.value}
        if a.evidence:
            entry["evidence"] = [_evidence_entry(e) for e in a.evidence]
        if a.note:
            entry["note"] = a.note
        doc["answers"].setdefault(a.scope, {})[a.item] = entry
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def write_csv(answers: Iterable[Answer]) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in sorted(answers, key=lambda a: (a.scope, a.item)):
        evidence = EVIDENCE_SEP.join(f"{e.kind}:{e.ref}" for e in a.evidence)
        writer.writerow([a.scope, a.item, value_text(a.value), evidence, a.note or ""])
    return buf.getvalue()
