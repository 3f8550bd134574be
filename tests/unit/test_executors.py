"""The fan-out seam: a worker process that dies is a WorkerLost, not a traceback."""

from __future__ import annotations

import os
import signal

import pytest

from govlens.errors import GovlensError, Transient, WorkerLost
from govlens.run.executors import make_executor, ordered_map


def _square_or_die(n: int) -> int:
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # as the system's out-of-memory killer does
    return n * n


def test_ordered_map_keeps_order_on_every_executor() -> None:
    for kind in ("serial", "thread", "process"):
        with make_executor(kind, workers=2) as ex:
            assert list(ordered_map(ex, abs, [-3, 1, -2, 5, -8], window=2)) == [3, 1, 2, 5, 8]


def test_a_killed_worker_process_is_worker_lost() -> None:
    with make_executor("process", workers=2) as ex, pytest.raises(WorkerLost) as info:
        list(ordered_map(ex, _square_or_die, range(6), window=2))
    err = info.value
    assert isinstance(err, GovlensError) and isinstance(err, Transient)
    assert err.context["task"] == "_square_or_die" and "terminated abruptly" in str(err.context["cause"])
