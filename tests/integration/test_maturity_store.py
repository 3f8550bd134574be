"""The maturity tables on SQLite and PostgreSQL: institutions, accounts, answers with their
log, the action plan's history, and the measurement read from harvested runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from govlens.errors import ConfigError, NotFound
from govlens.maturity.accounts import hash_password, verify_password
from govlens.maturity.files import AnswerFileError, read_answers
from govlens.maturity.questionnaire import load_questionnaire
from govlens.model import (
    CENTRE,
    GOVERNMENT,
    Action,
    Answer,
    Catalogue,
    Dataset,
    Evidence,
    Publisher,
)
from govlens.run.maturity import check_actions, evaluate
from govlens.store import Store
from govlens.store.maturity import MaturityStore


def test_institutions_and_accounts(store: Store) -> None:
    ms = MaturityStore(store)
    ms.add_institution("shcp", "Hacienda", ["shcp", "hacienda"])
    ms.add_institution("shcp", "Secretaría de Hacienda", ["shcp"])  # rename, replace publishers
    assert ms.institutions()[0].name == "Secretaría de Hacienda"
    assert ms.institution("shcp").publishers == ("shcp",)
    with pytest.raises(NotFound):
        ms.institution("nope")
    acct = ms.add_account("ana", hash_password("a long password"), "institution", "shcp")
    assert (acct.role, acct.institution, acct.disabled) == ("institution", "shcp", False)
    assert verify_password(acct.password_hash, "a long password")
    assert not verify_password(acct.password_hash, "a wrong password")
    assert acct.password_hash.startswith("$argon2id$")
    with pytest.raises(ConfigError, match="exists"):
        ms.add_account("ana", hash_password("another password"), "central", None)
    ms.update_account("ana", disabled=True)
    assert ms.account("ana").disabled


def test_answers_upsert_log_and_withdraw(store: Store) -> None:
    ms = MaturityStore(store)
    ms.add_institution("shcp", "Hacienda")
    first = Answer("shcp", "q1a", ("targets",), (Evidence("url", "https://x.gob.mx/a"),), "v1",
                   "ana", "2026-01-02T03:04:05+00:00")
    ms.save_answers([first, Answer(CENTRE, "q1", "yes", answered_by="eva")])
    second = Answer("shcp", "q1a", ("targets", "budget"), (), None, "ana", "2026-02-01T00:00:00+00:00")
    ms.save_answers([second])
    got = {(a.scope, a.item): a for a in ms.answers()}
    assert got[("shcp", "q1a")] == second
    assert got[(CENTRE, "q1")].value == "yes"
    assert [e["value"] for e in ms.answer_log("shcp", "q1a")] == [["targets"], ["targets", "budget"]]
    assert ms.withdraw_answer("shcp", "q1a", "ana")
    assert ms.answers("shcp") == []
    assert ms.answer_log("shcp", "q1a")[-1]["value"] is None


def test_a_bad_file_stores_nothing_and_keeps_what_was_there(store: Store) -> None:
    ms = MaturityStore(store)
    ms.add_institution("shcp", "Hacienda")
    ms.save_answers([Answer("shcp", "q72", "yes")])
    bad = b"scope,item,value\nshcp,q72,no\nshcp,q40,perhaps\n"
    with pytest.raises(AnswerFileError):
        ms.save_answers(read_answers(bad, load_questionnaire(), {"shcp", CENTRE}, fmt="csv"))
    assert [(a.item, a.value) for a in ms.answers()] == [("q72", "yes")]


def _harvest(store: Store, name: str, publishers: list[str]) -> None:
    cat = store.ensure_catalogue(Catalogue(name=name, source="demo", kind="ckan"))
    run = store.open_run(cat, "demo", "ckan")
    ds = [Dataset(identifier=f"{p}-{k}", title="t", publisher=Publisher(key=p, name=p.upper()))
          for k, p in enumerate(publishers)]
    store.save_page(run.run, ds, {"page": 1}, 0)
    store.finish_run(run.run)


def test_publishing_institutions_are_measured_from_the_latest_runs(store: Store) -> None:
    ms = MaturityStore(store)
    ms.add_institution("shcp", "Hacienda", ["shcp", "hacienda"])
    ms.add_institution("sep", "Educación", ["sep"])
    ms.add_institution("imss", "IMSS", ["imss"])
    assert len(evaluate(store).measurements) == 0  # nothing harvested: nothing measured
    _harvest(store, "mx", ["hacienda", "hacienda", "sep"])
    state = evaluate(store)
    m = state.measurements
    assert m.value("publishing_institutions_share", GOVERNMENT) == pytest.approx(2 / 3)
    share = m.get("publishing_institutions_share", GOVERNMENT)
    assert share is not None and share.detail == "2 of 3 institutions"
    assert (m.value("publishing_institutions_share", "shcp"), m.value("publishing_institutions_share", "imss")) == (1.0, 0.0)
    shcp = m.get("publishing_institutions_share", "shcp")
    assert shcp is not None and shcp.run is not None and shcp.run.startswith("mx#")
    q67 = state.scores[GOVERNMENT].items["q67"]
    assert q67.source == "measured" and q67.points == pytest.approx(2 / 3)


def test_action_checks_keep_their_history(store: Store) -> None:
    ms = MaturityStore(store)
    ms.add_institution("shcp", "Hacienda", ["hacienda"])
    ms.add_institution("sep", "Educación", ["sep"])
    act = ms.add_action(Action(0, "manual", "Every institution publishes", CENTRE, "2027-06-30",
                               "publishing_institutions_share", GOVERNMENT, ">=", 1.0,
                               adopted_at="2026-11-01T00:00:00+00:00"))
    assert act.id > 0 and act.due == "2027-06-30"
    clock = [datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC),
             datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 8, 1, tzinfo=UTC)]
    assert [c.status for c in check_actions(store, clock[0])] == ["no_data"]
    _harvest(store, "mx", ["hacienda"])
    assert [c.status for c in check_actions(store, clock[1])] == ["on_track"]
    _harvest(store, "mx", ["hacienda", "sep"])
    assert [c.status for c in check_actions(store, clock[2])] == ["achieved"]
    _harvest(store, "mx", ["sep"])
    assert [c.status for c in check_actions(store, clock[3])] == ["late"]
    history = ms.checks(act.id)
    assert [(c.status, c.value) for c in history] == [
        ("no_data", None), ("on_track", 0.5), ("achieved", 1.0), ("late", 0.5)]
    assert [datetime.fromisoformat(c.checked_at) for c in history] == clock


def test_high_value_datasets_come_from_the_coverage_matrix(store: Store) -> None:
    from govlens.model import Distribution

    ms = MaturityStore(store)
    ms.add_institution("shcp", "Hacienda", ["hacienda"])
    ms.add_institution("sep", "Educación", ["sep"])
    assert evaluate(store).measurements.get("hvd_availability", GOVERNMENT) is None
    cat = store.ensure_catalogue(Catalogue(name="mx", source="https://datos.gob.mx", kind="ckan"))
    run = store.open_run(cat, "demo", "ckan")
    budget = Dataset(identifier="a", title="Presupuesto de Egresos de la Federación 2024",
                     publisher=Publisher(key="hacienda", name="SHCP"),
                     licence="https://creativecommons.org/licenses/by/4.0/",
                     distributions=(Distribution(id="a1", download_urls=("https://x.gob.mx/a.csv",), format="CSV"),))
    school = Dataset(identifier="c", title="Matrícula escolar", publisher=Publisher(key="sep", name="SEP"))
    store.save_page(run.run, [budget, school], {"page": 1}, 0)
    store.finish_run(run.run)
    state = evaluate(store)
    gov = state.measurements.get("hvd_availability", GOVERNMENT)
    shcp = state.measurements.get("hvd_availability", "shcp")
    assert gov is not None and shcp is not None
    assert gov.value > 0 and gov.value == shcp.value  # the one budget dataset is Hacienda's
    assert state.measurements.value("hvd_availability", "sep") == 0.0
    assert gov.source == "coverage" and gov.run and gov.run.startswith("mx#")
    item = state.scores["shcp"].items["q75"]
    assert item.source == "measured" and any(m.indicator == "hvd_availability" for m in item.measured)
