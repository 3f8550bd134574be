"""The review steps after the harvest: check links, inspect a sample of files, write the report.

Each step takes the review state and returns it with its result under
``state.extra[<stage>]``; a step whose input is missing (a failed harvest)
records why it was skipped instead. The embedded demo's loopback server is
reached through the probe's and the inspector's allow-lists (``127.0.0.1``
only, and only when the demo is what is reviewed), never by turning a guard off.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govlens.store import Store

if TYPE_CHECKING:
    from govlens.run.pipeline import Review

LOOPBACK = "127.0.0.1"
#: Files downloaded and validated per review (the first ones in harvest order).
INSPECT_SAMPLE = 60


@dataclass(frozen=True, slots=True)
class Skipped:
    """A stage that did not run in this review, and why."""

    stage: str
    reason: str


def _run_ok(state: Review) -> bool:
    return state.harvest is not None and state.harvest.status == "complete" and state.harvest.run > 0


def _allow(state: Review) -> tuple[str, ...]:
    return (LOOPBACK,) if state.extra.get("demo") else ()


def _put(state: Review, stage: str, value: Any) -> Review:
    return replace(state, extra={**state.extra, stage: value})


def probe_step(state: Review) -> Review:
    """Check every distribution URL of the harvested run."""
    if not _run_ok(state):
        return _put(state, "probe", Skipped("probe", "the harvest did not complete"))
    from govlens.probe.guard import Guard
    from govlens.probe.policy import ProbeSettings
    from govlens.run.probe import probe

    assert state.harvest is not None
    allow = _allow(state)
    demo = bool(allow)
    settings = ProbeSettings(allow_hosts=allow, min_interval=0.0 if demo else 0.1,
                             per_host=16 if demo else 4, timeout=5.0 if demo else 20.0)
    with Store.open(state.settings.db_url) as store:
        infos = probe(store, settings, catalogue=state.harvest.catalogue, guard=Guard(allow))
    return _put(state, "probe", infos[0] if infos else Skipped("probe", "no complete run to check"))


def inspect_step(state: Review) -> Review:
    """Download and validate a sample of the run's tabular files."""
    if not _run_ok(state):
        return _put(state, "inspect", Skipped("inspect", "the harvest did not complete"))
    from govlens.inspect.catalogue import inspect_catalogue

    assert state.harvest is not None
    sample = int(state.extra.get("inspect_sample", INSPECT_SAMPLE))
    with Store.open(state.settings.db_url) as store:
        done = inspect_catalogue(store, state.harvest.catalogue, sample=sample, allow_hosts=_allow(state))
    return _put(state, "inspect", done)


def assess_step(state: Review) -> Review:
    """Score the run's metadata (MQA, udata, stars) with the link checks and inspections just
    made. A build without the scoring stage says so instead of pretending."""
    if not _run_ok(state):
        return _put(state, "assess", Skipped("assess", "the harvest did not complete"))
    try:
        from govlens.run.assess import assess_catalogues
    except ImportError:
        return _put(state, "assess", Skipped("assess", "not part of the review in this version yet"))
    from govlens.store.links import link_states
    from govlens.store.tables import inspection_facts

    assert state.harvest is not None
    with Store.open(state.settings.db_url) as store:
        infos = assess_catalogues(
            store, state.harvest.catalogue,
            links_for=lambda st, run: link_states(st, run.id),
            files_for=lambda st, run: inspection_facts(st.engine, run.id),
        )
    return _put(state, "assess", infos[0] if infos else Skipped("assess", "no complete run to score"))


def default_report_path(catalogue: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in catalogue) or "catalogue"
    return Path.cwd() / f"govlens-report-{safe}.html"


def report_step(state: Review) -> Review:
    """Write the catalogue's report (HTML, or PDF when the path ends in ``.pdf``)."""
    if not _run_ok(state):
        return _put(state, "report", Skipped("report", "the harvest did not complete"))
    from govlens.run.report import write_report

    assert state.harvest is not None
    out = Path(state.extra.get("report_path") or default_report_path(state.harvest.catalogue))
    fmt = "pdf" if out.suffix.lower() == ".pdf" else "html"
    ran = tuple(s for s in ("harvest", "assess", "probe", "inspect")
                if s == "harvest" or not isinstance(state.extra.get(s, Skipped(s, "")), Skipped))
    path, lang = write_report(state.settings, out, fmt=fmt, catalogue=state.harvest.catalogue,  # type: ignore[arg-type]
                              lang=state.extra.get("lang"), stages=ran)
    return _put(state, "report", {"path": str(path.resolve()), "format": fmt, "lang": lang})
