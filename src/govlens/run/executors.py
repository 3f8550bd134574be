"""The fan-out seam: every pipeline takes a ``concurrent.futures.Executor``.

* ``serial``: runs tasks in the calling thread (small catalogues, tests);
* ``thread`` / ``process``: the standard library's pools (default: processes,
  one per core, for the CPU-bound scorers);
* ``dask``: a Dask cluster through ``distributed.Client.get_executor()``
  (optional extra ``govlens[dask]``); ``address`` names a running scheduler,
  none starts a local cluster.

Tasks are module-level functions taking frozen, picklable values, so the same
code runs on all four.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from govlens.errors import ConfigError, WorkerLost

T = TypeVar("T")
R = TypeVar("R")
KINDS = ("serial", "thread", "process", "dask")


class SerialExecutor(Executor):
    """Runs each task at submit time, in the caller's thread."""

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> Future[R]:
        fut: Future[R] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future, as pools do
            fut.set_exception(exc)
        return fut


@contextmanager
def make_executor(kind: str = "process", workers: int | None = None,
                  address: str | None = None) -> Iterator[Executor]:
    """An executor of ``kind``, shut down on exit."""
    n = workers or os.cpu_count() or 1
    if kind == "serial":
        yield SerialExecutor()
    elif kind == "thread":
        with ThreadPoolExecutor(max_workers=n) as ex:
            yield ex
    elif kind == "process":
        with ProcessPoolExecutor(max_workers=n) as ex:
            yield ex
    elif kind == "dask":
        try:
            from distributed import Client
        except ImportError as exc:
            raise ConfigError("the Dask executor needs the optional extra: pip install 'govlens[dask]'") from exc
        # distributed's Client methods are unannotated: each call is an untyped call
        client = (Client(address) if address  # type: ignore[no-untyped-call]
                  else Client(n_workers=n, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                              dashboard_address=None))
        try:
            yield client.get_executor()  # type: ignore[no-untyped-call]
        finally:
            client.close()  # type: ignore[no-untyped-call]
    else:
        raise ConfigError("unknown executor", kind=kind, choices=", ".join(KINDS))


def ordered_map(executor: Executor, fn: Callable[[T], R], items: Iterable[T], window: int = 8) -> Iterator[R]:
    """``executor.map`` that keeps at most ``window`` tasks in flight, so input streams.
    A worker process that ends abruptly (killed, out of memory) raises :class:`WorkerLost`."""
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(executor.submit(fn, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool as exc:
        raise WorkerLost("a worker process ended abruptly (killed, or out of memory)",
                         task=getattr(fn, "__name__", None), cause=str(exc)[:300]) from exc
