"""The assess pipeline: latest run of each catalogue → score every dataset → store measurements.

Datasets stream from the store in chunks; each chunk is scored by a task on the
executor (frozen inputs: the datasets, the link states of their URLs, file
checks, the reference time, the options), and results stream back in order into
one transaction that replaces the run's previous assessment.

Link states and file checks are explicit inputs: ``links_for(store, run)`` and
``files_for(store, run)`` return URL-keyed mappings (the link checker's and the
file inspector's latest results). Without them every URL is "not checked" and
no file is inspected; the scores say so (status metrics score 0).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import islice

from govlens.advise.fixes import DatasetFacts, dataset_gains
from govlens.assess.assessment import DatasetAssessment, assess_dataset
from govlens.assess.metrics import DEFAULT_WEIGHTS, Weights
from govlens.assess.score import rating
from govlens.model import Dataset, InspectionFact, LinkState
from govlens.run.executors import SerialExecutor, ordered_map
from govlens.store import RunRow, Store
from govlens.store import measurements as ms

LinksFor = Callable[[Store, RunRow], Mapping[str, LinkState]]
FilesFor = Callable[[Store, RunRow], Mapping[str, InspectionFact]]
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class AssessInfo:
    """What one assessment (or rescoring) of a run stored."""

    run: int
    catalogue: str
    datasets: int
    distributions: int
    mqa_mean: float | None
    mqa_rating: str | None
    links_checked: int
    rescored: bool
    seconds: float


@dataclass(frozen=True, slots=True)
class Task:
    """One chunk of work for an executor: everything is frozen and picklable."""

    datasets: tuple[Dataset, ...]
    links: Mapping[str, LinkState]
    files: Mapping[str, InspectionFact] | None
    now: datetime
    shacl: bool
    weights: Weights


def run_task(task: Task) -> list[DatasetAssessment]:
    """Assess a chunk, with each dataset's fix gains (so the writer only adds them up)."""
    out = []
    for ds in task.datasets:
        a = assess_dataset(ds, links=task.links, files=task.files, now=task.now, shacl=task.shacl,
                           weights=task.weights)
        gains = dataset_gains(DatasetFacts(a.identifier, a.ds_facts, a.dist_facts), task.weights)
        out.append(replace(a, fix_gains=gains))
    return out


def _subset(datasets: tuple[Dataset, ...], table: Mapping[str, object] | None) -> dict[str, object]:
    if not table:
        return {}
    return {u: table[u] for ds in datasets for d in ds.distributions for u in d.urls if u in table}


def _reference_time(run: RunRow) -> datetime:
    t = run.finished_at or run.started_at or datetime.now(UTC)
    return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo else t


def assess_run(
    store: Store,
    run: RunRow,
    *,
    links: Mapping[str, LinkState] | None = None,
    files: Mapping[str, InspectionFact] | None = None,
    executor: Executor | None = None,
    shacl: bool = True,
    weights: Weights = DEFAULT_WEIGHTS,
    chunk: int = 250,
    progress: Progress | None = None,
) -> AssessInfo:
    """Assess every present dataset of ``run`` and store the measurements (replacing earlier ones)."""
    started = time.perf_counter()
    ex = executor or SerialExecutor()
    now = _reference_time(run)
    done = 0

    def tasks() -> Iterator[Task]:
        stream = (sd.dataset for sd in store.iter_datasets(run.id))
        while batch := tuple(islice(stream, chunk)):
            yield Task(batch, _subset(batch, links), _subset(batch, files), now, shacl,  # type: ignore[arg-type]
                       weights)

    def results() -> Iterator[DatasetAssessment]:
        nonlocal done
        for part in ordered_map(ex, run_task, tasks(), window=4 * max(1, getattr(ex, "_max_workers", 1))):
            yield from part
            done += len(part)
            if progress is not None:
                progress(run.catalogue, done, run.datasets)

    checked = len(links) if links else 0
    row = ms.save_assessment(store, run.id, results(), weights=weights, links_checked=checked)
    return AssessInfo(run.id, run.catalogue, row.datasets, row.distributions, row.mqa_mean,
                      rating(row.mqa_mean) if row.mqa_mean is not None else None, checked, False,
                      time.perf_counter() - started)


def assess_catalogues(
    store: Store,
    catalogue: str | None = None,
    *,
    links_for: LinksFor | None = None,
    files_for: FilesFor | None = None,
    executor: Executor | None = None,
    shacl: bool = True,
    weights: Weights = DEFAULT_WEIGHTS,
    progress: Progress | None = None,
) -> list[AssessInfo]:
    """Assess the latest complete run of each catalogue (or of the one named)."""
    out = []
    for run in store.latest_runs(catalogue):
        out.append(assess_run(
            store, run,
            links=links_for(store, run) if links_for else None,
            files=files_for(store, run) if files_for else None,
            executor=executor, shacl=shacl, weights=weights, progress=progress,
        ))
    return out


def rescore_catalogues(store: Store, catalogue: str | None, weights: Weights) -> list[AssessInfo]:
    """Recompute MQA scores of the latest assessed runs from stored measurements (no harvest, no re-assess)."""
    out = []
    for run in store.latest_runs(catalogue):
        started = time.perf_counter()
        row = ms.rescore(store, run.id, weights)
        out.append(AssessInfo(run.id, run.catalogue, row.datasets, row.distributions, row.mqa_mean,
                              rating(row.mqa_mean) if row.mqa_mean is not None else None,
                              row.links_checked, True, time.perf_counter() - started))
    return out
