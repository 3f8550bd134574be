"""Soft failures: answers that say "success" but are not the file.

A web application firewall's challenge, a login wall or a "page not found"
page served with status 200 would otherwise count as a working link. The
detection is deliberately conservative: it reads only the page's title and
first heading, known firewall markers and the redirect target, so an ordinary
landing page is never flagged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import urlsplit

from govlens.probe.policy import is_html

#: Markers of bot challenges and firewall block pages, matched in the lowercased page.
WAF_MARKERS = (
    "cf-chl-", "challenge-platform", "attention required! | cloudflare", "just a moment...",
    "_incapsula_resource", "incapsula incident id", "ddos-guard", "sucuri website firewall",
    "the requested url was rejected. please consult with your administrator",
    "captcha-delivery.com", "awswaf", "checking your browser before accessing",
    "please enable js and disable any ad blocker",
)
WAF_HEADERS = (("cf-mitigated", "challenge"), ("x-datadome", "protected"))
SOFT_404 = re.compile(
    r"^404\b|error\s*404|404\s*error|\b404\s*[-|:\u2013]|[-|:\u2013]\s*404$|(?:http|codigo|code)\s*404"
    r"|not found|page (?:does not|doesn'?t) exist|no (?:se )?(?:ha )?(?:encontr|encuentr)"
    r"|no existe|introuvable|nao (?:foi )?encontrad|non trovat|nicht gefunden"
)
LOGIN = re.compile(
    r"\blog ?in\b|\bsign ?in\b|iniciar sesion|inicio de sesion|\bconnexion\b|\banmelden\b"
    r"|\bacceso restringido\b|\bautenticacion\b"
)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(rb"<h1[^>]*>(.*?)</h1", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_PASSWORD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)
_ERROR_PATH = re.compile(r"(?:^|/)(?:404|not[-_]?found|error)(?:[./?_-]|$)", re.IGNORECASE)


def _plain(raw: bytes, charset: str) -> str:
    text = _TAGS.sub(" ", raw.decode(charset, "replace"))
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def _charset(content_type: str | None) -> str:
    m = re.search(r"charset=[\"']?([\w.-]+)", content_type or "", re.IGNORECASE)
    if m:
        try:
            "".encode(m.group(1))
            return m.group(1)
        except LookupError:
            pass
    return "utf-8"


def detect(
    *,
    status: int,
    content_type: str | None,
    body: bytes,
    headers: Mapping[str, str],
    url: str,
    final_url: str,
    expect_file: bool,
) -> tuple[str, str] | None:
    """``(kind, reason)`` when the answer is a soft failure, else ``None``.

    ``kind`` is ``waf`` (a bot challenge or firewall block page), ``login``
    (a login wall) or ``soft-404`` (a "not found" page or a redirect to an
    error page or to the home page, answered with a success status).
    """
    for name, value in WAF_HEADERS:
        if value in headers.get(name, "").lower():
            return "waf", f"blocked by a bot challenge ({name}: {value})"
    html = is_html(content_type) or (content_type is None and body.lstrip()[:1] == b"<")
    if not html or not body:
        return _redirected_to_error(status, url, final_url, expect_file)
    low = body.lower()
    for marker in WAF_MARKERS:
        if marker.encode() in low:
            return "waf", f"blocked by a bot challenge or firewall page ({marker!r})"
    if not 200 <= status < 300:
        return None
    charset = _charset(content_type)
    heads = [_plain(m.group(1), charset) for rx in (_TITLE, _H1) for m in [rx.search(body)] if m]
    for head in heads:
        if SOFT_404.search(head):
            return "soft-404", f"soft 404: the page says {head[:80]!r}"
    for head in heads:
        if LOGIN.search(head):
            return "login", f"login page: {head[:80]!r}"
    if expect_file and _PASSWORD.search(body):
        return "login", "login page: a password form where a file was declared"
    return _redirected_to_error(status, url, final_url, expect_file)


def _redirected_to_error(status: int, url: str, final_url: str, expect_file: bool) -> tuple[str, str] | None:
    if not 200 <= status < 300 or final_url == url:
        return None
    path = urlsplit(final_url).path
    if _ERROR_PATH.search(path) and not _ERROR_PATH.search(urlsplit(url).path):
        return "soft-404", f"soft 404: redirected to an error page ({path})"
    if expect_file and path in ("", "/") and urlsplit(url).path not in ("", "/"):
        return "soft-404", "soft 404: a file URL redirected to the home page"
    return None
