"""URLs in their plainest form, checked by the guard without a full parse.

Most catalogue links are plain: ``http(s)://host[:port]/path[?query]`` in
lower-case letters, digits and a few safe characters, with nothing to
percent-encode or normalise. For those, :func:`checked` splits the text
itself and gives the same answers yarl would (a test compares them on
generated URLs), so a link is not parsed in full just to be requested
once. Anything else goes through :meth:`Guard.url`.
"""

from __future__ import annotations

import re

from yarl import URL

from govlens.probe.guard import Guard

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PLAIN = re.compile(
    rf"(https?)://({_LABEL}(?:\.{_LABEL})*)(?::([1-9][0-9]{{0,4}}))?"
    r"((?:/[A-Za-z0-9_~,+-][A-Za-z0-9._~,+-]*)*/?)(\?[A-Za-z0-9._~,+=&-]+)?"
)


class PlainURL:
    """A plain http(s) URL with the parts the HEAD client needs; :attr:`url` is its
    yarl form, made when first asked for (for aiohttp, cookies)."""

    __slots__ = ("_url", "host_port_subcomponent", "port", "raw_host", "raw_path_qs", "scheme", "text")

    raw_user = None
    raw_password = None

    def __init__(self, text: str, scheme: str, host: str, port: int, explicit: bool, path_qs: str) -> None:
        self.text = text
        self.scheme = scheme
        self.raw_host = host
        self.port = port
        self.host_port_subcomponent = f"{host}:{port}" if explicit else host
        self.raw_path_qs = path_qs
        self._url: URL | None = None

    @property
    def url(self) -> URL:
        if self._url is None:
            self._url = URL(self.text)
        return self._url


#: What the checker requests: a plain URL, or yarl's parse of any other.
RequestURL = PlainURL | URL


def checked(guard: Guard, url: str) -> RequestURL:
    """:meth:`Guard.url` of ``url``, as a :class:`PlainURL` when the URL is plain."""
    text = url.strip()
    m = _PLAIN.fullmatch(text)
    if m is None:
        return guard.url(url)
    scheme, host, port_text, path, query = m.groups()
    port = int(port_text) if port_text else _DEFAULT_PORTS[scheme]
    if port > 65535:
        return guard.url(url)
    guard.check_host(host, url)
    explicit = port_text is not None and port != _DEFAULT_PORTS[scheme]
    return PlainURL(text, scheme, host, port, explicit, (path or "/") + (query or ""))


def as_url(target: RequestURL) -> URL:
    """The yarl URL of a target."""
    return target.url if isinstance(target, PlainURL) else target
