"""``govlens review``: the main job, as a list of small steps over a shared state.

The steps: serve the embedded demo catalogue when no source is given, harvest
it, summarise what was found, then the later stages of :mod:`govlens.run.stages`
(check links, inspect a sample of files, score the metadata, write the report). Each step takes the
:class:`Review` state and returns it with its own result added.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from govlens.config import Settings
from govlens.model import HarvestInfo, SourceKind
from govlens.run.harvest import Progress, harvest
from govlens.store import Store

DEMO_CATALOGUE = "demo-mx"


@dataclass(frozen=True, slots=True)
class PublisherSummary:
    key: str
    name: str
    datasets: int
    distributions: int
    warnings: int


@dataclass(frozen=True, slots=True)
class Findings:
    """What the harvest found: per publisher, and the commonest formats, licences and warnings."""

    publishers: tuple[PublisherSummary, ...]
    formats: tuple[tuple[str, int], ...]
    licences: tuple[tuple[str, int], ...]
    warnings: tuple[tuple[str, int], ...]
    without_licence: int
    without_contact: int
    without_description: int


@dataclass(frozen=True, slots=True)
class Review:
    """The state passed from step to step."""

    settings: Settings
    source: str | None = None
    kind: SourceKind | None = None
    catalogue: str | None = None
    progress: Progress | None = None
    harvest: HarvestInfo | None = None
    findings: Findings | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Step = Callable[[Review], Review]


def harvest_step(state: Review) -> Review:
    info = harvest(state.settings, state.source or "", state.kind, state.catalogue, state.progress)
    return replace(state, harvest=info)


def findings_step(state: Review) -> Review:
    info = state.harvest
    if info is None or info.run == 0:
        return state
    with Store.open(state.settings.db_url) as store:
        return replace(state, findings=summarise(store, info.run, info.catalogue))


def summarise(store: Store, run_id: int, catalogue: str) -> Findings:
    pubs: dict[str, list[int]] = {}
    formats: Counter[str] = Counter()
    licences: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    no_licence = no_contact = no_description = 0
    names = {k: p["name"] for k, p in store.publishers(store.catalogue(catalogue).id).items()}
    for sd in store.iter_datasets(run_id):
        ds = sd.dataset
        row = pubs.setdefault(sd.publisher_key or "", [0, 0, 0])
        row[0] += 1
        row[1] += len(ds.distributions)
        row[2] += len(ds.warnings)
        formats.update(d.format or d.media_type or "(none)" for d in ds.distributions)
        licences[ds.licence or "(none)"] += 1
        warnings.update(w.code for w in ds.warnings)
        no_licence += not ds.licence or ds.licence == "notspecified"
        no_contact += ds.contact_point is None or not ds.contact_point.email
        no_description += not ds.description
    return Findings(
        publishers=tuple(PublisherSummary(k, names.get(k, k), *v)
                         for k, v in sorted(pubs.items(), key=lambda kv: -kv[1][0])),
        formats=tuple(formats.most_common()),
        licences=tuple(licences.most_common()),
        warnings=tuple(warnings.most_common()),
        without_licence=no_licence,
        without_contact=no_contact,
        without_description=no_description,
    )


def _later_steps() -> list[Step]:
    from govlens.run import stages

    # Scoring comes after the link checks and file inspections: MQA's accessibility and
    # format metrics read their results.
    return [stages.probe_step, stages.inspect_step, stages.assess_step, stages.report_step]


#: The steps of a review, in order.
STEPS: list[Step] = [harvest_step, findings_step, *_later_steps()]


@contextlib.contextmanager
def _demo_source(state: Review) -> Iterator[Review]:
    if state.source is not None:
        yield state
        return
    from govlens.demo import DemoServer

    with DemoServer() as server:
        yield replace(state, source=server.url, kind="ckan", catalogue=state.catalogue or DEMO_CATALOGUE,
                      extra={**state.extra, "demo": server.url})


def review(
    settings: Settings,
    source: str | None = None,
    kind: SourceKind | None = None,
    catalogue: str | None = None,
    progress: Progress | None = None,
    steps: list[Step] | None = None,
    options: dict[str, Any] | None = None,
) -> Review:
    """Run every step on ``source`` (the embedded demo catalogue when None). ``options`` seed
    ``state.extra`` (``report_path``, ``lang``, ``inspect_sample``)."""
    state = Review(settings, source, kind, catalogue, progress, extra=dict(options or {}))
    with _demo_source(state) as state:
        for step in STEPS if steps is None else steps:
            state = step(state)
    return state
