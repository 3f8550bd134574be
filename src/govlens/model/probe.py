"""Values of the link checker: one check of one URL, a probe run's summary, link health.

A check first yields a *verdict*, what this single answer shows:

* ``ok``: a 2xx final answer;
* ``broken``: a definitive failure (4xx other than 429, DNS name not found,
  invalid URL, redirect loop, soft 404);
* ``failure``: a failure that may be temporary (5xx, refused connection,
  protocol error, TLS error); it becomes ``broken`` only when it persists;
* ``unknown``: no conclusion possible now (429, 503 with Retry-After,
  timeout, reset connection, refused by the SSRF guard, bot challenge).

The persistence rule then turns the verdict and the URL's earlier checks into
the *outcome* the scorers see (``model.links.LinkState``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verdict = Literal["ok", "broken", "failure", "unknown"]


@dataclass(frozen=True, slots=True)
class LinkCheck:
    """What one check of one URL found (before the persistence rule).

    ``error_class`` is a stable code for machines (``timeout``, ``reset``,
    ``dns``, ``tls``, ``refused``, ``ssrf``, ``soft-404``...; ``None`` for a
    plain HTTP answer). ``retry_after`` is the wait, in seconds, that the
    server asked for. ``method`` is the method of the final answer.
    """

    url: str
    verdict: Verdict
    reason: str
    error_class: str | None = None
    status: int | None = None
    final_url: str | None = None
    redirects: int = 0
    method: str | None = None
    content_type: str | None = None
    content_length: int | None = None
    last_modified: str | None = None
    etag: str | None = None
    elapsed_ms: int = 0
    retry_after: float | None = None
    requested: bool = True


@dataclass(frozen=True, slots=True)
class LinkHealth:
    """Link health of one publisher (or of a whole catalogue) in one run.

    Counts are of distinct URLs. ``unchecked`` URLs have no check yet and are
    left out of the shares. ``newly_broken`` counts URLs broken now that were
    not broken at the previous run (including URLs new in this run).
    """

    urls: int = 0
    ok: int = 0
    broken: int = 0
    failing: int = 0
    unknown: int = 0
    unchecked: int = 0
    newly_broken: int = 0

    @property
    def checked(self) -> int:
        return self.ok + self.broken + self.failing + self.unknown

    def share(self, outcome: str) -> float | None:
        """The share of checked URLs with ``outcome`` (0..1), ``None`` when none was checked."""
        n = self.checked
        return None if n == 0 else getattr(self, outcome) / n


@dataclass(frozen=True, slots=True)
class ProbeInfo:
    """What one probe run of a harvest run did."""

    probe_run: int
    run: int
    catalogue: str
    status: str
    urls: int
    checked: int
    resumed: bool
    ok: int = 0
    broken: int = 0
    failing: int = 0
    unknown: int = 0
    refused: int = 0
    newly_broken: int = 0
    requests: int = 0
    seconds: float = 0.0
