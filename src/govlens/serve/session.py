"""Sessions, sign-in and CSRF protection for the pages that write.

The session is a cookie signed with itsdangerous (HMAC-SHA1 over a timestamped
payload), ``HttpOnly`` and ``SameSite=Lax``, holding the username and a CSRF
token; it expires after :data:`MAX_AGE` seconds. Every form that writes carries
the token in a hidden ``csrf`` field, and a write is refused (403) unless the
field matches the session's token and, when the browser sends an ``Origin``,
it is this site's. Signing in starts a new session (new token). The signing key
is ``GOVLENS_SECRET_KEY`` when set (needed for sessions to survive restarts or
span several workers), else a random key per process.

Accounts are re-read on every request: a disabled or deleted account is signed
out at once.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from govlens.errors import NotFound
from govlens.maturity.accounts import Principal
from govlens.serve.web import store
from govlens.store.maturity import MaturityStore

COOKIE = "govlens_session"
MAX_AGE = 8 * 3600
MAX_FORM_BYTES = 1024 * 1024


@dataclass(slots=True)
class Session:
    csrf: str
    username: str | None = None
    fresh: bool = False  # the cookie must be (re)written


def _serializer(request: Request) -> URLSafeTimedSerializer:
    state = request.app.state
    ser = getattr(state, "session_serializer", None)
    if ser is None:
        key = os.environ.get("GOVLENS_SECRET_KEY") or secrets.token_urlsafe(32)
        ser = URLSafeTimedSerializer(key, salt="govlens-session")
        state.session_serializer = ser
    return ser


def session(request: Request) -> Session:
    """The request's session, or a new anonymous one (remember to :func:`save` it)."""
    cached = getattr(request.state, "session", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    raw = request.cookies.get(COOKIE)
    data: Any = None
    if raw:
        try:
            data = _serializer(request).loads(raw, max_age=MAX_AGE)
        except BadSignature:
            data = None
    if isinstance(data, dict) and isinstance(data.get("c"), str):
        s = Session(csrf=data["c"], username=data.get("u") if isinstance(data.get("u"), str) else None)
    else:
        s = Session(csrf=secrets.token_urlsafe(24), fresh=True)
    request.state.session = s
    return s


def save(request: Request, response: Response) -> Response:
    """Write the session cookie when it is new or changed."""
    s = session(request)
    if s.fresh:
        token = _serializer(request).dumps({"c": s.csrf, "u": s.username})
        response.set_cookie(COOKIE, token, max_age=MAX_AGE, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
    return response


def sign_in(request: Request, username: str) -> None:
    request.state.session = Session(csrf=secrets.token_urlsafe(24), username=username, fresh=True)


def sign_out(request: Request, response: Response) -> None:
    request.state.session = Session(csrf=secrets.token_urlsafe(24), fresh=True)
    response.delete_cookie(COOKIE, path="/")


def principal(request: Request) -> Principal | None:
    """Who is signed in (an enabled account), or None."""
    s = session(request)
    if not s.username:
        return None
    try:
        acct = MaturityStore(store(request)).account(s.username)
    except NotFound:
        return None
    if acct.disabled:
        return None
    return Principal(acct.username, acct.role, acct.institution)


def require_principal(request: Request) -> Principal:
    who = principal(request)
    if who is None:
        raise HTTPException(status_code=401, detail="sign in first")
    return who


async def form(request: Request) -> dict[str, list[str]]:
    """The posted form, after the CSRF and origin checks; values grouped by field name."""
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        raise HTTPException(status_code=413, detail="form too large")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        parts = urlsplit(origin)
        if (parts.scheme, parts.netloc) != (request.url.scheme, request.url.netloc):
            raise HTTPException(status_code=403, detail="cross-origin form refused")
    data = await request.form(max_files=0, max_fields=5000)
    out: dict[str, list[str]] = {}
    for key, value in data.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    sent = (out.get("csrf") or [""])[0]
    s = session(request)
    if s.fresh or not hmac.compare_digest(sent.encode(), s.csrf.encode()):
        raise HTTPException(status_code=403, detail="invalid or missing CSRF token")
    return out


def first(fields: dict[str, list[str]], name: str, default: str = "") -> str:
    values = fields.get(name)
    return values[0].strip() if values else default
