"""Reports: gather what the store knows into report data, render it, write the file.

``gather`` reads; ``render`` is pure (``govlens.report``); ``write_report``
does both and writes HTML or PDF atomically (a crash never leaves half a file).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from govlens.config import Settings
from govlens.errors import ConfigError, NotFound
from govlens.report import html, i18n
from govlens.report.data import CatalogueFacts, Health, InstitutionFacts, Report, RunPoint
from govlens.run.probe import newly_broken_links, publisher_link_health
from govlens.run.quality_facts import QualityReader
from govlens.store import COMPLETE, Store, dashboard, health

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")


def _trend(store: Store, catalogue: str) -> tuple[RunPoint, ...]:
    return tuple(
        RunPoint(r.id, dashboard.run_label(r.id, r.finished_at), r.datasets) for r in store.runs(catalogue, COMPLETE)
    )


def links_as_health(c: health.LinkCounts) -> Health:
    return Health(c.checked, c.ok, c.broken, c.failing, c.unknown)


def files_as_health(c: health.FileCounts) -> Health:
    return Health(c.files, c.valid, c.invalid, 0, c.unreadable)


def link_health(store: Store, run_id: int, publisher: str | None = None) -> Health:
    return links_as_health(health.link_counts(store, run_id, publisher=publisher))


def file_health(store: Store, run_id: int, publisher: str | None = None) -> Health:
    return files_as_health(health.file_counts(store, run_id, publisher=publisher))


def catalogue_facts(store: Store, catalogue: str | None = None,
                    quality: QualityReader | None = None) -> list[CatalogueFacts]:
    """Every catalogue (or the one named), with its counts, quality and trend across runs."""
    reader = quality or QualityReader(store)
    summaries = dashboard.catalogue_summaries(store)
    if catalogue is not None:
        summaries = [s for s in summaries if s.name == catalogue]
        if not summaries:
            raise NotFound("no such catalogue", catalogue=catalogue)
    return [
        CatalogueFacts(
            name=s.name, title=s.title, source=s.source, kind=s.kind, language=s.language, runs=s.runs,
            run=s.run, finished_at=f"{s.finished_at:%Y-%m-%d %H:%M}" if s.finished_at else None,
            datasets=s.datasets, distributions=s.distributions, publishers=s.publishers,
            warnings=s.warnings, withdrawn=s.withdrawn, trend=_trend(store, s.name),
            links=link_health(store, s.run) if s.run else Health(),
            files=file_health(store, s.run) if s.run else Health(),
            quality=reader.catalogue(s.name, s.run),
        )
        for s in summaries
    ]


def newly_broken_by_publisher(store: Store, run_id: int) -> dict[str | None, int]:
    """Links newly broken since the previous harvest, per publisher key of a run with a link
    checked (one pass over the run's URLs, the query of ``govlens publishers``)."""
    return {k: h.newly_broken for k, h in publisher_link_health(store, run_id).items() if h.checked}


def institution_facts(store: Store, cats: list[CatalogueFacts], key: str | None = None,
                      quality: QualityReader | None = None) -> list[InstitutionFacts]:
    """The institutions of the latest run of each catalogue (or the one with ``key``), with their
    quality (mean scores; the full roll-up, fixes and trend for the one with ``key``)."""
    reader = quality or QualityReader(store)
    out: list[InstitutionFacts] = []
    for c in cats:
        if c.run is None:
            continue
        cat_id = store.catalogue(c.name).id
        scores = reader.scores(c.run) if key is None else {}
        newly = newly_broken_by_publisher(store, c.run) if key is None and c.links.checked else {}
        for p in dashboard.publisher_counts(store, c.run, cat_id, keys=None if key is None else [key]):
            if key is None:
                s = scores.get(p.key)
                out.append(InstitutionFacts(c.name, p.key, p.name, p.datasets, p.distributions, p.warnings,
                                            p.homepage, newly_broken=newly.get(p.key),
                                            mqa_mean=s.mqa_mean if s else None,
                                            udata_mean=s.udata_mean if s else None))
                continue
            trend = tuple(RunPoint(h.run, h.label, h.datasets)
                          for h in dashboard.publisher_history(store, c.name, p.key))
            links = link_health(store, c.run, p.key)
            out.append(InstitutionFacts(c.name, p.key, p.name, p.datasets, p.distributions, p.warnings,
                                        p.homepage, trend, links, file_health(store, c.run, p.key),
                                        newly_broken_links(store, c.run, p.key) if links.checked else None,
                                        reader.institution(c.name, c.run, p.key)))
    out.sort(key=lambda i: (-i.datasets, i.name))
    return out


def gather(store: Store, *, catalogue: str | None = None, publisher: str | None = None,
           stages: tuple[str, ...] = ()) -> Report:
    """The report data for the whole government, or for one institution (``publisher``)."""
    reader = QualityReader(store)
    cats = catalogue_facts(store, catalogue, reader)
    now = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    if publisher is None:
        return Report("government", now, tuple(cats), tuple(institution_facts(store, cats, quality=reader)),
                      stages=stages, quality=reader.government(c.run for c in cats))
    found = institution_facts(store, cats, publisher, reader)
    if not found:
        raise NotFound("no such institution in the latest run", publisher=publisher, catalogue=catalogue)
    if len(found) > 1:
        raise ConfigError("this institution is in several catalogues; name one with --catalogue",
                          publisher=publisher, catalogues=", ".join(i.catalogue for i in found))
    return Report("institution", now, tuple(c for c in cats if c.name == found[0].catalogue),
                  institution=found[0], stages=stages)


def with_coverage(store: Store, report: Report, catalogue: str | None = None) -> Report:
    """The report with its priority-datasets section (``govlens.run.report_coverage``)."""
    from govlens.run.report_coverage import coverage_facts

    inst = report.institution
    if inst is None:
        return replace(report, coverage=coverage_facts(store, catalogue=catalogue))
    return replace(report, coverage=coverage_facts(store, catalogue=inst.catalogue, publisher=inst.key,
                                                   publisher_name=inst.name))


def report_language(report: Report, asked: str | None) -> str:
    if asked:
        return i18n.pick_language(asked)
    langs = {i18n.catalogue_language(c.language, c.source) for c in report.catalogues}
    return "es" if "es" in langs or not langs else "en"


def render(report: Report, fmt: Format, lang: str) -> bytes:
    doc = html.observatory_html(report, lang)
    if fmt == "html":
        return doc.encode("utf-8")
    from govlens.report.pdf import html_to_pdf

    return html_to_pdf(doc)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(
    settings: Settings,
    out: Path,
    *,
    fmt: Format = "html",
    catalogue: str | None = None,
    publisher: str | None = None,
    lang: str | None = None,
    stages: tuple[str, ...] = (),
) -> tuple[Path, str]:
    """Write the report to ``out``; returns the path and the language used."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown report format {fmt!r}; use html or pdf")
    with Store.open(settings.db_url) as store:
        report = with_coverage(store, gather(store, catalogue=catalogue, publisher=publisher, stages=stages),
                               catalogue)
    language = report_language(report, lang)
    write_atomic(out, render(report, fmt, language))
    return out, language
