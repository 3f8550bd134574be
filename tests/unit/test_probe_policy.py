"""Pure decisions of the link checker: classification, fallback, retries, persistence, soft failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from govlens.errors import ConfigError
from govlens.model import LinkCheck
from govlens.probe import soft
from govlens.probe.policy import (
    ProbeSettings,
    Streak,
    classify_answer,
    defers_host,
    get_fallback,
    not_requested,
    persist,
    retry_after_seconds,
    retry_delay,
)

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
S = ProbeSettings()


@pytest.mark.parametrize(
    ("status", "retry_after", "verdict", "error_class"),
    [
        (200, None, "ok", None),
        (206, None, "ok", None),
        (404, None, "broken", None),
        (410, None, "broken", None),
        (401, None, "broken", None),
        (429, None, "unknown", "rate-limited"),
        (429, 30.0, "unknown", "rate-limited"),
        (503, 5.0, "unknown", "unavailable"),
        (503, None, "failure", None),
        (500, None, "failure", None),
        (304, None, "failure", "redirect-without-location"),
        (999, None, "failure", "protocol"),
    ],
)
def test_classify_answer(status: int, retry_after: float | None, verdict: str, error_class: str | None) -> None:
    got = classify_answer(status, retry_after=retry_after)
    assert got[:2] == (verdict, error_class)
    assert str(status) in got[2]


def test_html_where_a_file_was_declared_is_ok_but_said() -> None:
    verdict, _, reason = classify_answer(200, content_type="text/html; charset=utf-8", expect_file=True)
    assert verdict == "ok" and "HTML page where a file was declared" in reason


def test_retry_after_forms() -> None:
    assert retry_after_seconds("120", T0) == 120
    assert retry_after_seconds("Sun, 01 Nov 2026 12:01:00 GMT", T0) == 60
    assert retry_after_seconds("Sun, 01 Nov 2026 11:00:00 GMT", T0) == 0
    assert retry_after_seconds("soon", T0) is None
    assert retry_after_seconds(None, T0) is None


def _head(**kw: object) -> LinkCheck:
    base: dict[str, object] = {"url": "http://x/f.csv", "verdict": "ok", "reason": "r", "status": 200,
                               "content_type": "text/csv", "content_length": 10}
    base.update(kw)
    return LinkCheck(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("head", "fallback"),
    [
        (_head(), False),
        (_head(status=405), True),
        (_head(status=501), True),
        (_head(status=404), True),
        (_head(status=500), True),
        (_head(status=429), False),
        (_head(status=503, retry_after=3.0), False),
        (_head(content_type="text/html"), True),
        (_head(content_type=None, content_length=None), True),
        (_head(content_type=None), False),
        (_head(status=None, error_class="timeout"), True),
        (_head(status=None, error_class="reset"), True),
        (_head(status=None, error_class="dns"), False),
        (_head(status=None, error_class="refused"), False),
    ],
)
def test_get_fallback(head: LinkCheck, fallback: bool) -> None:
    assert (get_fallback(head) is not None) is fallback


def test_retry_delays_honour_retry_after_and_back_off() -> None:
    s = ProbeSettings(retries=2, backoff=0.5, max_wait=30)
    assert retry_delay(_head(status=429, retry_after=3.0), 0, s) == 3.0
    assert retry_delay(_head(status=503), 0, s) == 0.5
    assert retry_delay(_head(status=503), 1, s) == 1.0
    assert retry_delay(_head(status=503), 2, s) is None  # retries used up
    assert retry_delay(_head(status=None, error_class="reset"), 0, s) == 0.5
    assert retry_delay(_head(status=429, retry_after=3600.0), 0, s) is None  # too long to wait
    assert retry_delay(_head(status=404), 0, s) is None
    assert retry_delay(_head(status=500), 0, s) is None
    assert defers_host(_head(status=429, retry_after=3600.0), s)
    assert not defers_host(_head(status=429, retry_after=3.0), s)


def test_not_requested_results_say_why() -> None:
    last = LinkCheck("http://x/a", "failure", "connection refused", "refused")
    skipped = not_requested("http://x/b", last, "x failed 3 connections in a row")
    assert (skipped.url, skipped.verdict, skipped.requested) == ("http://x/b", "failure", False)
    assert skipped.reason.startswith("not requested: x failed 3") and "connection refused" in skipped.reason
    waited = not_requested("http://x/c", _head(status=429, verdict="unknown", error_class="rate-limited"), "x asked")
    assert (waited.verdict, waited.error_class) == ("unknown", "deferred")


def test_persistence_rule_needs_n_failures_over_d_days() -> None:
    s = ProbeSettings(persist_failures=2, persist_days=1)
    out, streak, note = persist("failure", None, None, T0, s)
    assert (out, streak.failures, streak.since) == ("failing", 1, T0)
    out, streak, _ = persist("failure", None, streak, T0 + timedelta(hours=2), s)
    assert (out, streak.failures) == ("failing", 2)  # two failures, but within a day
    out, streak, _ = persist("unknown", "timeout", streak, T0 + timedelta(hours=20), s)
    assert (out, streak.failures) == ("unknown", 2)  # unknown neither breaks nor extends the streak
    out, streak, note = persist("failure", None, streak, T0 + timedelta(days=1, hours=1), s)
    assert (out, streak.failures, streak.since) == ("broken", 3, T0)
    assert "3 failures in a row since 2026-11-01" in note
    out, streak, _ = persist("ok", None, streak, T0 + timedelta(days=3), s)
    assert (out, streak) == ("ok", Streak())


def test_persistence_rule_days_alone_are_not_enough() -> None:
    s = ProbeSettings(persist_failures=3, persist_days=1)
    _, streak, _ = persist("failure", None, None, T0, s)
    out, streak, _ = persist("failure", None, streak, T0 + timedelta(days=5), s)
    assert out == "failing"
    out, _, _ = persist("failure", None, streak, T0 + timedelta(days=6), s)
    assert out == "broken"


def test_definitive_failures_are_broken_at_once_and_tls_first_seen_is_unknown() -> None:
    out, streak, _ = persist("broken", None, None, T0, S)
    assert (out, streak.failures) == ("broken", 1)
    out, streak, note = persist("failure", "tls", None, T0, S)
    assert out == "unknown" and "first time" in note
    out, streak, _ = persist("failure", "tls", streak, T0 + timedelta(hours=1), S)
    assert out == "failing"
    out, _, _ = persist("failure", "tls", streak, T0 + timedelta(days=2), S)
    assert out == "broken"


@pytest.mark.parametrize("field", ["concurrency", "per_host", "max_redirects", "persist_failures"])
def test_settings_refuse_nonsense(field: str) -> None:
    with pytest.raises(ConfigError):
        ProbeSettings(**{field: 0})  # type: ignore[arg-type]


def _detect(body: bytes, *, status: int = 200, ct: str | None = "text/html", url: str = "http://x/a.csv",
            final: str | None = None, expect_file: bool = True, headers: dict[str, str] | None = None) -> tuple[str, str] | None:
    return soft.detect(status=status, content_type=ct, body=body, headers=headers or {},
                       url=url, final_url=final or url, expect_file=expect_file)


def _kind(body: bytes, **kw: Any) -> str | None:
    """The kind of soft failure ``_detect`` finds, or None."""
    found = _detect(body, **kw)
    return found[0] if found else None


def test_soft_failures() -> None:
    assert _kind("<title>Página no encontrada</title>".encode()) == "soft-404"
    assert _kind(b"<html><h1>Error 404</h1></html>") == "soft-404"
    assert _kind(b"<title>Page Not Found | Portal</title>", expect_file=False) == "soft-404"
    assert _kind("<title>Iniciar sesión</title>".encode()) == "login"
    assert _kind(b"<form><input name=p type=password></form>") == "login"
    assert _detect(b"<form><input type='password'></form>", expect_file=False) is None
    assert _kind(b"<title>Just a moment...</title>", status=403) == "waf"
    assert _kind(b"", status=403, headers={"cf-mitigated": "challenge"}) == "waf"
    assert _kind(b"", final="http://x/404.html", ct=None) == "soft-404"
    assert _kind(b"", final="http://x/", ct="text/html") == "soft-404"
    # ordinary pages and files are not soft failures
    assert _detect(b"<title>Presupuesto 2024 - Decreto 404 bis</title>") is None
    assert _detect(b"<title>Datos abiertos</title><h1>Presupuesto</h1>") is None
    assert _detect(b"a,b\n1,2\n", ct="text/csv") is None
    assert _detect(b"", final="http://x/", ct="text/html", expect_file=False) is None


def test_a_soft_failure_overrides_the_success_status() -> None:
    assert classify_answer(200, soft=("soft-404", "soft 404: the page says 'x'")) == (
        "broken", "soft-404", "soft 404: the page says 'x' (HTTP 200 OK)")
    assert classify_answer(403, soft=("waf", "blocked"))[:2] == ("unknown", "waf")
    assert classify_answer(200, soft=("login", "login page"))[:2] == ("unknown", "login")


@pytest.mark.parametrize("error_class", ["connect-timeout", "ssrf", "dns", "dns-temporary", "tls", "invalid-url"])
def test_no_get_after_failures_a_get_cannot_change(error_class: str) -> None:
    assert get_fallback(_head(status=None, error_class=error_class, content_type=None)) is None


def test_soft_failures_in_other_charsets_and_redirects() -> None:
    latin = "<title>Página no encontrada</title>".encode("latin-1")
    assert _kind(latin, ct="text/html; charset=iso-8859-1") == "soft-404"
    assert _kind(b"<h1>Seite nicht gefunden</h1>") == "soft-404"
    # a redirect to an error page, whatever the page looks like
    found = _detect(b"a,b\n", ct="text/csv", url="http://x/data/a.csv", final="http://x/errors/404")
    assert found is not None and found[0] == "soft-404" and "/errors/404" in found[1]
    # an error status is not a *soft* failure: the status already says it
    assert _detect(b"<title>Not Found</title>", status=404) is None
    # a firewall page is recognised whatever the status
    assert _kind(b"<html>Incapsula incident ID: 123</html>", status=200) == "waf"
