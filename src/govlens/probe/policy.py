"""Pure decisions of the link checker: settings, classification, retries, persistence.

Nothing here does I/O; the checker and the scheduler ask these functions what
to do, and tests call them with literal values and an injected clock.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from govlens import __version__
from govlens.config import USER_AGENT
from govlens.errors import ConfigError
from govlens.model import LinkCheck, LinkOutcome, Verdict

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

#: Error classes and the verdict each gives (HTTP answers are classified by status).
ERROR_VERDICTS: dict[str, Verdict] = {
    "invalid-url": "broken",
    "dns": "broken",
    "redirect-loop": "broken",
    "too-many-redirects": "broken",
    "soft-404": "broken",
    "dns-temporary": "unknown",
    "timeout": "unknown",
    "connect-timeout": "unknown",
    "reset": "unknown",
    "ssrf": "unknown",
    "rate-limited": "unknown",
    "unavailable": "unknown",
    "waf": "unknown",
    "login": "unknown",
    "deferred": "unknown",
    "refused": "failure",
    "tls": "failure",
    "connect": "failure",
    "protocol": "failure",
    "redirect-without-location": "failure",
}

#: Connection-level failures: after ``host_failures`` of them in a row a host is
#: not requested again during the run.
HOST_FAILURES = frozenset({"connect-timeout", "refused", "dns", "dns-temporary", "tls", "connect"})


@dataclass(frozen=True, slots=True)
class ProbeSettings:
    """How links are checked. Every default is documented in ``docs/links.md``."""

    #: Requests in flight at once, all hosts together.
    concurrency: int = 64
    #: Requests in flight at once to one host.
    per_host: int = 4
    #: Seconds between the starts of two requests to the same host.
    min_interval: float = 0.1
    #: Seconds allowed for one request (connection, answer headers, the few KB read).
    timeout: float = 20.0
    #: Seconds allowed to open a connection.
    connect_timeout: float = 10.0
    #: Extra attempts for a reset connection, 429, 502, 503 or 504 within one run.
    retries: int = 1
    #: Seconds before the first retry when the server gives no Retry-After; doubled each time.
    backoff: float = 1.0
    #: Longest Retry-After honoured by waiting; a longer one ends the host's checks for this run.
    max_wait: float = 30.0
    #: Connection failures in a row after which a host is not requested again in this run.
    host_failures: int = 3
    #: Redirects followed before giving up.
    max_redirects: int = 10
    #: Bytes a GET reads before closing the connection.
    read_bytes: int = 8192
    #: Persistence rule: a failure is ``broken`` after this many consecutive failures...
    persist_failures: int = 2
    #: ... spread over at least this many days. Until then it is ``failing``.
    persist_days: float = 1.0
    #: URLs waiting in memory for their host (bounds memory whatever the queue size).
    buffer: int = 5000
    #: Hosts (names, addresses, networks) exempt from the SSRF guard.
    allow_hosts: tuple[str, ...] = ()
    #: Names govlens, its version and a contact URL.
    user_agent: str = USER_AGENT.format(version=__version__)
    extra_headers: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        for name in ("concurrency", "per_host", "max_redirects", "read_bytes", "buffer",
                     "persist_failures", "host_failures"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name.replace('_', '-')} must be at least 1", value=getattr(self, name))
        for name in ("timeout", "connect_timeout"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"{name.replace('_', '-')} must be positive", value=getattr(self, name))
        for name in ("min_interval", "backoff", "max_wait", "persist_days", "retries"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name.replace('_', '-')} cannot be negative", value=getattr(self, name))


# -- answers ---------------------------------------------------------------------------------


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def is_html(content_type: str | None) -> bool:
    return media_type(content_type) in HTML_TYPES


@functools.lru_cache(maxsize=1024)
def phrase(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


def classify_answer(
    status: int,
    *,
    retry_after: float | None = None,
    content_type: str | None = None,
    expect_file: bool = False,
    soft: tuple[str, str] | None = None,
) -> tuple[Verdict, str | None, str]:
    """The verdict, error class and reason for a final HTTP answer.

    ``soft`` is what :func:`govlens.probe.soft.detect` found in the page, if anything.
    """
    text = phrase(status)
    if soft is not None:
        kind, why = soft
        return ERROR_VERDICTS[kind], kind, f"{why} ({text})"
    if 200 <= status < 300:
        if expect_file and is_html(content_type):
            return "ok", None, f"{text}; an HTML page where a file was declared"
        return "ok", None, text
    if status == 429:
        return "unknown", "rate-limited", text + _wait(retry_after)
    if status == 503 and retry_after is not None:
        return "unknown", "unavailable", text + _wait(retry_after)
    if 400 <= status < 500:
        return "broken", None, text
    if 500 <= status < 600:
        return "failure", None, text
    if 300 <= status < 400:
        return "failure", "redirect-without-location", f"{text} without a usable Location"
    return "failure", "protocol", f"unexpected status {text}"


def _wait(retry_after: float | None) -> str:
    return "" if retry_after is None else f"; Retry-After {retry_after:g} s"


def get_fallback(head: LinkCheck) -> str | None:
    """Why a HEAD answer should be confirmed with a GET, or ``None`` when it is enough."""
    if head.status is None:
        if head.error_class in ("timeout", "reset", "protocol"):
            return f"HEAD failed: {head.error_class}"
        return None
    status = head.status
    if status in (405, 501):
        return f"HEAD refused ({status})"
    if status == 429 or (status == 503 and head.retry_after is not None):
        return None
    if status >= 400:
        return f"HEAD answered {status}"
    if 200 <= status < 300:
        if head.content_type is None and head.content_length is None:
            return "HEAD answer without type or length"
        if is_html(head.content_type):
            return "HEAD answered an HTML page"
    return None


# -- within a run: retries, host health ------------------------------------------------------


def retry_delay(check: LinkCheck, attempt: int, s: ProbeSettings) -> float | None:
    """Seconds to wait before trying ``check.url`` again, or ``None`` to keep the result.

    ``attempt`` counts the retries already made. A Retry-After longer than
    ``max_wait`` is not waited for.
    """
    if attempt >= s.retries:
        return None
    if check.error_class != "reset" and check.status not in (429, 502, 503, 504):
        return None
    wait = check.retry_after if check.retry_after is not None else s.backoff * 2**attempt
    return wait if wait <= s.max_wait else None


def defers_host(check: LinkCheck, s: ProbeSettings) -> bool:
    """Whether the host asked for a pause longer than we wait: stop requesting it this run."""
    return check.retry_after is not None and check.retry_after > s.max_wait and check.status in (429, 503)


def counts_against_host(check: LinkCheck) -> bool:
    return check.error_class in HOST_FAILURES


def not_requested(url: str, template: LinkCheck, why: str) -> LinkCheck:
    """The result for a URL the run did not request, inferred from its host's state."""
    verdict = "unknown" if template.error_class in ("rate-limited", "unavailable") else template.verdict
    return LinkCheck(
        url=url,
        verdict=verdict,
        reason=f"not requested: {why} (last: {template.reason})",
        error_class="deferred" if verdict == "unknown" and template.status else template.error_class,
        status=None,
        requested=False,
    )


# -- across runs: the persistence rule -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Streak:
    """A URL's consecutive failures: how many, since when, and the latest error class."""

    failures: int = 0
    since: datetime | None = None
    error_class: str | None = None


_NO_STREAK = Streak()
_OK: tuple[LinkOutcome, Streak, str] = ("ok", _NO_STREAK, "")


def persist(
    verdict: Verdict, error_class: str | None, prior: Streak | None, now: datetime, s: ProbeSettings
) -> tuple[LinkOutcome, Streak, str]:
    """The outcome of a check given the URL's earlier failures, the new streak and a note.

    * ``ok`` ends the streak; ``unknown`` leaves it as it was.
    * ``broken`` verdicts are broken at once and extend the streak.
    * ``failure`` verdicts are ``failing`` until ``persist_failures`` consecutive
      failures spread over at least ``persist_days`` days, then ``broken``;
      a TLS error seen for the first time is ``unknown``.
    """
    if verdict == "ok":
        return _OK
    before = prior or _NO_STREAK
    if verdict == "unknown":
        return "unknown", before, ""
    streak = Streak(before.failures + 1, before.since or now, error_class)
    if verdict == "broken":
        return "broken", streak, ""
    assert streak.since is not None
    if error_class == "tls" and before.error_class != "tls":
        return "unknown", streak, "; TLS error seen for the first time"
    span = now - streak.since
    note = f"; {streak.failures} failures in a row since {streak.since:%Y-%m-%d %H:%M} UTC"
    if streak.failures >= s.persist_failures and span >= timedelta(days=s.persist_days):
        return "broken", streak, note
    return "failing", streak, note
