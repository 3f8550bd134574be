"""The sign-in throttle counts failures per name and per address in a sliding window."""

from __future__ import annotations

import pytest

from govlens.serve.throttle import SignInThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_locks_a_name_after_the_limit_and_frees_it_when_the_window_passes() -> None:
    clock = Clock()
    th = SignInThrottle(limit=3, window=60, clock=clock)
    for _ in range(2):
        th.failed("ana", "10.0.0.1")
        clock.now += 1
    assert th.retry_after("ana", "10.0.0.9") == 0
    th.failed("ana", "10.0.0.1")
    # the first failure was at 1000; it leaves the window at 1060; now is 1002
    assert th.retry_after("Ana ", "10.0.0.9") == 59
    clock.now = 1060.0
    assert th.retry_after("ana", "10.0.0.9") == 0


def test_an_address_is_locked_whatever_name_it_tries() -> None:
    th = SignInThrottle(limit=2, window=60, clock=Clock())
    th.failed("a", "192.0.2.7")
    th.failed("b", "192.0.2.7")
    assert th.retry_after("c", "192.0.2.7") > 0
    assert th.retry_after("c", "192.0.2.8") == 0


def test_success_clears_the_name_but_not_the_address() -> None:
    th = SignInThrottle(limit=2, window=60, clock=Clock())
    th.failed("ana", "192.0.2.7")
    th.failed("ana", "192.0.2.7")
    th.succeeded("ana")
    assert th.retry_after("ana", None) == 0
    assert th.retry_after("ana", "192.0.2.7") > 0


def test_memory_stays_bounded_under_many_names() -> None:
    th = SignInThrottle(limit=5, window=60, clock=Clock())
    for i in range(25_000):
        th.failed(f"user{i}", None)
    assert len(th._failures) <= 10_000


def test_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        SignInThrottle(limit=0)
