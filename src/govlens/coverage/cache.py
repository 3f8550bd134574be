"""The rules' classification of complete runs, kept in the process.

Classifying every dataset of a run is what makes a coverage matrix cost seconds
(decoding and classifying thousands of records); a complete run's datasets never
change, so its classification is worked out once and kept here, with the facts of
each dataset's quality that the dataset alone fixes (format, licence, the inputs of
freshness, its URLs: :class:`~govlens.coverage.matrix.Classified`). What can change
after the run is not kept: link states (``govlens probe``), MQA scores
(``govlens assess``) and freshness (the time) are read or worked out by the caller on
every request (:func:`govlens.coverage.service.run_coverage`).

Values derived from a run's classification alone (the coverage fixes of
``govlens.run.quality``) can be kept with it (:meth:`ClassificationCache.derived`),
under a key that names whatever else they read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from govlens.coverage.matrix import Classified, classified
from govlens.coverage.terms import builtin_table
from govlens.store import COMPLETE, RunRow, Store

T = TypeVar("T")


_Items = tuple[tuple[str | None, Classified], ...]


@dataclass(slots=True)
class _Run:
    """What is kept of one run: ``(publisher key of the row, classified dataset)`` in harvest order,
    for the whole run once it has been asked for, else for each publisher asked for."""

    stamp: tuple[Any, ...]
    whole: _Items | None = None
    groups: dict[str, _Items] = field(default_factory=dict)
    derived: dict[Hashable, Any] = field(default_factory=dict)

    def items(self, publisher: str | None) -> list[Classified] | None:
        if self.whole is not None:
            return [c for key, c in self.whole if publisher is None or key == publisher]
        group = self.groups.get(publisher) if publisher is not None else None
        return None if group is None else [c for _key, c in group]


def classify_run(store: Store, run: RunRow, publisher: str | None = None) -> _Items:
    """The rules' classification of a run's datasets (of one publisher's, by key, if given)."""
    table = builtin_table()
    return tuple((sd.publisher_key, c)
                 for sd in store.iter_datasets(run.id, publisher=publisher)
                 for c in classified((sd.dataset,), table=table, similar=None))


class ClassificationCache:
    """The classification of the latest complete run asked for, per database and catalogue.

    The key holds the database, the catalogue, the run's id, finish time and dataset count, so
    another database, a new run or a database emptied and filled again is a miss, never a stale
    answer. Each catalogue keeps one run: the first request for a newer run drops the older one,
    and a request for a run that finished earlier than the one kept is answered without keeping
    it. Runs that are not complete are classified on every request and not kept.

    A request for one publisher classifies that publisher's datasets only (and keeps them) until
    the whole run is asked for; from then on every publisher's come from the whole run's. One
    classification of a catalogue is worked out at a time: a request that comes meanwhile waits
    for it instead of doing it again.
    """

    def __init__(self, derived_per_run: int = 256) -> None:
        self._derived_per_run = derived_per_run
        self._runs: dict[tuple[str, int], _Run] = {}
        self._busy: dict[tuple[str, int], threading.Lock] = {}
        self._lock = threading.Lock()

    def classified(self, store: Store, run: RunRow, publisher: str | None = None) -> list[Classified]:
        """The run's classified datasets (those of the publisher with key ``publisher`` if given)."""
        if run.status != COMPLETE:
            return [c for _key, c in classify_run(store, run, publisher)]
        where, kept = self._kept(store, run)
        with self._lock:
            busy = self._busy.setdefault(where, threading.Lock())
        with busy:
            with self._lock:
                found = kept.items(publisher)
            if found is not None:
                return found
            items = classify_run(store, run, publisher)
            with self._lock:
                if publisher is None:
                    kept.whole, kept.groups = items, {}
                else:
                    kept.groups[publisher] = items
        return [c for _key, c in items]

    def derived(self, store: Store, run: RunRow, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept with the run's classification under ``key``: for values that
        depend on the classification and on nothing else than what ``key`` names."""
        if run.status != COMPLETE:
            return compute()
        _where, kept = self._kept(store, run)
        with self._lock:
            if key in kept.derived:
                return kept.derived[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if len(kept.derived) >= self._derived_per_run:
                del kept.derived[next(iter(kept.derived))]
            kept.derived[key] = value
        return value

    def clear(self) -> None:
        """Forget every run (the next request for each classifies it again)."""
        with self._lock:
            self._runs.clear()

    def _kept(self, store: Store, run: RunRow) -> tuple[tuple[str, int], _Run]:
        """What is kept of ``run``: a new, empty entry for a run not seen yet, which replaces the
        catalogue's older run (and is not kept if the catalogue's kept run finished later)."""
        where = (store.engine.url.render_as_string(hide_password=True), run.catalogue_id)
        stamp = (run.id, run.finished_at, run.datasets)
        with self._lock:
            held = self._runs.get(where)
            if held is not None and held.stamp == stamp:
                return where, held
            fresh = _Run(stamp)
            if held is None or _order(held.stamp) <= _order(stamp):
                self._runs[where] = fresh
            return where, fresh


def _order(stamp: tuple[Any, ...]) -> tuple[Any, ...]:
    """Runs in the order they finished (a database emptied and harvested again numbers its runs
    from 1 again, and the new ones finished later)."""
    run_id, finished, _datasets = stamp
    return (finished is not None, finished or 0, run_id)


#: The process's classifications: the coverage matrix of the API and the web pages, the
#: coverage fixes of ``/fixes`` and ``govlens fixes``, and ``govlens coverage``.
CLASSIFICATIONS = ClassificationCache()
