"""Sign-in throttling: too many failed passwords lock a name (and an address) for a while.

Failures are counted per account name and per client address in a sliding
window. When either reaches ``limit`` within ``window`` seconds, further
attempts are refused with HTTP 429 and ``Retry-After`` until the oldest
failure in the window ages out. A successful sign-in clears the name's count.
The state lives in the server process: a restart forgets it, which is
acceptable for the small number of accounts a maturity assessment has.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

DEFAULT_LIMIT = 5
DEFAULT_WINDOW = 15 * 60.0
_MAX_KEYS = 10_000


class SignInThrottle:
    def __init__(self, limit: int = DEFAULT_LIMIT, window: float = DEFAULT_WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window positive")
        self.limit, self.window, self._clock = limit, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, address: str | None) -> tuple[str, ...]:
        keys = ("user:" + username.strip().casefold(),)
        return keys + ("addr:" + address,) if address else keys

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.get(key)
        if q is None:
            return deque()
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            del self._failures[key]
        return q

    def retry_after(self, username: str, address: str | None) -> int:
        """Seconds to wait before another attempt is allowed; 0 when allowed now."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(username, address):
                q = self._recent(key, now)
                if len(q) >= self.limit:
                    wait = max(wait, q[0] + self.window - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, username: str, address: str | None) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) >= _MAX_KEYS:
                for key in list(self._failures):
                    self._recent(key, now)
                for key in list(self._failures)[: max(0, len(self._failures) - _MAX_KEYS // 2)]:
                    del self._failures[key]
            for key in self._keys(username, address):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(username, None)[0], None)
