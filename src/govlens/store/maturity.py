"""Maturity queries: institutions and their publishers, accounts, answers (with a log of
every change), the action plan and the history of its checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from govlens.errors import ConfigError, NotFound
from govlens.model import Action, ActionCheck, Answer, Evidence
from govlens.store import schema as t
from govlens.store._sql import now, upsert
from govlens.store.repository import COMPLETE, PRESENT, Store


@dataclass(frozen=True, slots=True)
class InstitutionRow:
    id: str
    name: str
    publishers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    username: str
    password_hash: str
    role: str
    institution: str | None
    disabled: bool


def _iso(d: datetime | None) -> str | None:
    if d is None:
        return None
    if d.tzinfo is None:  # SQLite returns naive datetimes; they were stored in UTC
        d = d.replace(tzinfo=UTC)
    return d.isoformat()


def _when(text: str | None) -> datetime:
    if not text:
        return now()
    d = datetime.fromisoformat(text)
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _value_json(value: Any) -> str:
    return orjson.dumps(list(value) if isinstance(value, tuple) else value).decode()


def _evidence_json(evidence: Iterable[Evidence]) -> str:
    return orjson.dumps([
        {k: v for k, v in (("kind", e.kind), ("ref", e.ref), ("note", e.note), ("value", e.value))
         if v is not None}
        for e in evidence
    ]).decode()


def _answer(row: Any) -> Answer:
    value = orjson.loads(row.value)
    return Answer(
        scope=row.scope,
        item=row.item,
        value=tuple(value) if isinstance(value, list) else value,
        evidence=() if row.evidence == "[]" else tuple(Evidence(**e) for e in orjson.loads(row.evidence)),
        note=row.note,
        answered_by=row.answered_by,
        answered_at=_iso(row.answered_at),
    )


def _action(row: Any) -> Action:
    return Action(
        id=row.id, recommendation=row.recommendation, title=row.title, owner=row.owner,
        due=row.due.isoformat(), indicator=row.indicator, scope=row.scope,
        comparator=row.comparator, target=row.target, baseline=row.baseline,
        adopted_at=_iso(row.adopted_at), adopted_by=row.adopted_by, note=row.note,
    )


class MaturityStore:
    """The maturity tables of one govlens database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    # -- institutions ------------------------------------------------------------------

    def add_institution(self, iid: str, name: str, publishers: Sequence[str] = ()) -> InstitutionRow:
        """Create or rename an institution; ``publishers`` replace its publisher keys."""
        with self.engine.begin() as conn:
            upsert(conn, t.mat_institutions, [{"id": iid, "name": name, "created_at": now()}],
                   keys=["id"], update=["name"])
            if publishers:
                conn.execute(t.mat_institution_publishers.delete().where(
                    t.mat_institution_publishers.c.institution_id == iid))
                conn.execute(t.mat_institution_publishers.insert(),
                             [{"institution_id": iid, "publisher_key": p} for p in dict.fromkeys(publishers)])
        return self.institution(iid)

    def institutions(self) -> list[InstitutionRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.mat_institutions).order_by(t.mat_institutions.c.id)).all()
            links = conn.execute(sa.select(t.mat_institution_publishers).order_by(
                t.mat_institution_publishers.c.publisher_key)).all()
        pubs: dict[str, list[str]] = {}
        for link in links:
            pubs.setdefault(link.institution_id, []).append(link.publisher_key)
        return [InstitutionRow(r.id, r.name, tuple(pubs.get(r.id, ()))) for r in rows]

    def institution(self, iid: str) -> InstitutionRow:
        for row in self.institutions():
            if row.id == iid:
                return row
        raise NotFound("no such institution", institution=iid)

    # -- accounts ------------------------------------------------------------------------

    def add_account(self, username: str, password_hash: str, role: str,
                    institution: str | None) -> AccountRow:
        with self.engine.begin() as conn:
            exists = conn.execute(sa.select(t.mat_accounts.c.id).where(
                t.mat_accounts.c.username == username)).first()
            if exists:
                raise ConfigError("an account with this username exists", username=username)
            conn.execute(t.mat_accounts.insert().values(
                username=username, password_hash=password_hash, role=role,
                institution_id=institution, disabled=False, created_at=now()))
        return self.account(username)

    def account(self, username: str) -> AccountRow:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(t.mat_accounts).where(t.mat_accounts.c.username == username)).first()
        if r is None:
            raise NotFound("no such account", username=username)
        return AccountRow(r.id, r.username, r.password_hash, r.role, r.institution_id, bool(r.disabled))

    def accounts(self) -> list[AccountRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.mat_accounts).order_by(t.mat_accounts.c.username)).all()
        return [AccountRow(r.id, r.username, r.password_hash, r.role, r.institution_id, bool(r.disabled))
                for r in rows]

    def update_account(self, username: str, *, password_hash: str | None = None,
                       disabled: bool | None = None) -> None:
        values: dict[str, Any] = {}
        if password_hash is not None:
            values["password_hash"] = password_hash
        if disabled is not None:
            values["disabled"] = disabled
        with self.engine.begin() as conn:
            n = conn.execute(t.mat_accounts.update().where(
                t.mat_accounts.c.username == username).values(**values)).rowcount
        if not n:
            raise NotFound("no such account", username=username)

    # -- answers ---------------------------------------------------------------------------

    def answers(self, scope: str | None = None) -> list[Answer]:
        q = sa.select(t.mat_answers).order_by(t.mat_answers.c.scope, t.mat_answers.c.item)
        if scope is not None:
            q = q.where(t.mat_answers.c.scope == scope)
        with self.engine.connect() as conn:
            return [_answer(r) for r in conn.execute(q)]

    def save_answers(self, answers: Sequence[Answer]) -> int:
        """Store answers (replacing earlier ones of the same scope and item) and log them,
        all in one transaction: either every answer is saved or none is."""
        rows = [
            {"scope": a.scope, "item": a.item, "value": _value_json(a.value),
             "evidence": _evidence_json(a.evidence), "note": a.note,
             "answered_by": a.answered_by, "answered_at": _when(a.answered_at)}
            for a in answers
        ]
        if not rows:
            return 0
        with self.engine.begin() as conn:
            upsert(conn, t.mat_answers, rows, keys=["scope", "item"],
                   update=["value", "evidence", "note", "answered_by", "answered_at"])
            conn.execute(t.mat_answer_log.insert(), rows)
        return len(rows)

    def withdraw_answer(self, scope: str, item: str, by: str | None, at: str | None = None) -> bool:
        with self.engine.begin() as conn:
            n = conn.execute(t.mat_answers.delete().where(
                (t.mat_answers.c.scope == scope) & (t.mat_answers.c.item == item))).rowcount
            if n:
                conn.execute(t.mat_answer_log.insert().values(
                    scope=scope, item=item, value=None, evidence=None, note=None,
                    answered_by=by, answered_at=_when(at)))
        return bool(n)

    def answer_log(self, scope: str, item: str | None = None) -> list[dict[str, Any]]:
        q = sa.select(t.mat_answer_log).where(t.mat_answer_log.c.scope == scope)
        if item is not None:
            q = q.where(t.mat_answer_log.c.item == item)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(t.mat_answer_log.c.id)).all()
        return [{"item": r.item, "value": None if r.value is None else orjson.loads(r.value),
                 "answered_by": r.answered_by, "answered_at": _iso(r.answered_at)} for r in rows]

    # -- action plan -------------------------------------------------------------------------

    def add_action(self, action: Action) -> Action:
        with self.engine.begin() as conn:
            new_id = conn.execute(t.mat_actions.insert().values(
                recommendation=action.recommendation, title=action.title, owner=action.owner,
                due=date.fromisoformat(action.due), indicator=action.indicator, scope=action.scope,
                comparator=action.comparator, target=action.target, baseline=action.baseline,
                note=action.note, adopted_by=action.adopted_by,
                adopted_at=_when(action.adopted_at))).inserted_primary_key
        assert new_id is not None
        new_id = new_id[0]
        return self.action(int(new_id))

    def action(self, action_id: int) -> Action:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(t.mat_actions).where(t.mat_actions.c.id == action_id)).first()
        if r is None:
            raise NotFound("no such action", action=action_id)
        return _action(r)

    def actions(self) -> list[Action]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.mat_actions).order_by(t.mat_actions.c.id)).all()
        return [_action(r) for r in rows]

    def record_checks(self, checks: Sequence[ActionCheck]) -> None:
        """Append checks to the history and set each action's latest status."""
        if not checks:
            return
        with self.engine.begin() as conn:
            conn.execute(t.mat_action_checks.insert(), [
                {"action_id": c.action, "checked_at": _when(c.checked_at), "status": c.status,
                 "value": c.value, "run": c.run} for c in checks])
            for c in checks:
                conn.execute(t.mat_actions.update().where(t.mat_actions.c.id == c.action).values(
                    status=c.status, checked_at=_when(c.checked_at)))

    def checks(self, action_id: int | None = None) -> list[ActionCheck]:
        q = sa.select(t.mat_action_checks).order_by(t.mat_action_checks.c.action_id,
                                                     t.mat_action_checks.c.checked_at,
                                                     t.mat_action_checks.c.id)
        if action_id is not None:
            q = q.where(t.mat_action_checks.c.action_id == action_id)
        with self.engine.connect() as conn:
            return [ActionCheck(r.action_id, _iso(r.checked_at) or "", r.status, r.value, r.run)
                    for r in conn.execute(q)]

    # -- what the core store measures ----------------------------------------------------------

    def publisher_datasets(self) -> tuple[dict[str, int], list[str]]:
        """Present datasets per publisher key in each catalogue's latest complete run, and
        the names of those runs (``catalogue#run``)."""
        latest = (
            sa.select(t.runs.c.catalogue_id, sa.func.max(t.runs.c.id).label("run_id"))
            .where(t.runs.c.status == COMPLETE)
            .group_by(t.runs.c.catalogue_id)
            .subquery()
        )
        q = (
            sa.select(t.run_datasets.c.publisher_key, sa.func.count().label("n"))
            .join(latest, latest.c.run_id == t.run_datasets.c.run_id)
            .where(t.run_datasets.c.state == PRESENT)
            .group_by(t.run_datasets.c.publisher_key)
        )
        runs_q = sa.select(t.catalogues.c.name, latest.c.run_id).join(
            latest, latest.c.catalogue_id == t.catalogues.c.id).order_by(t.catalogues.c.name)
        with self.engine.connect() as conn:
            counts = {r.publisher_key: int(r.n) for r in conn.execute(q) if r.publisher_key}
            runs = [f"{r.name}#{r.run_id}" for r in conn.execute(runs_q)]
        return counts, runs
