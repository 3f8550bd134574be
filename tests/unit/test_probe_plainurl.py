"""Plain URLs split without yarl give what the guard's full parse gives."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from yarl import URL

from govlens.errors import GuardRefused, InvalidTarget
from govlens.probe import Guard
from govlens.probe.plainurl import PlainURL, as_url, checked

GUARD = Guard(("allowed.example", "10.9.0.0/16"))

_schemes = st.sampled_from(["http", "https", "HTTP", "Https", "ftp", "mailto", ""])
_hosts = st.sampled_from([
    "example.org", "datos.gob.mx", "a-b.c0", "127.0.0.1", "10.1.2.3", "10.9.1.1", "0127.0.0.1", "2130706433",
    "0x7f.1", "xn--bcher-kva.example", "ex_ample.org", "-a.org", "a-.org", "Example.ORG", "h.", "allowed.example",
    "a" * 63 + ".org", "a" * 64 + ".org", "[::1]", "", "user@example.org", "user:pw@example.org",
])
_ports = st.sampled_from(["", ":80", ":443", ":8080", ":0", ":00080", ":1", ":65535", ":65536", ":99999", ":"])
_paths = st.text(alphabet="abcAZ09-._~/,+%:@!$&'()*;= é", max_size=24)
_queries = st.sampled_from(["", "?", "?a=1&b", "?x+y", "?a=%20", "?#f", "#frag", "?a=b,c~d", "?q=é", "?a==&&"])
_spaces = st.sampled_from(["", " ", "\t", "\n "])


def outcome(parse: object, text: str) -> tuple[object, ...]:
    try:
        target = parse(text)  # type: ignore[operator]
    except (InvalidTarget, GuardRefused) as exc:
        return (type(exc).__name__, exc.message, exc.context)
    except Exception as exc:  # noqa: BLE001 - whatever the full parse raises, the same
        return (type(exc).__name__, str(exc))
    url = as_url(target)
    return ("ok", target.scheme, target.raw_host, target.port, target.raw_path_qs,
            target.host_port_subcomponent, target.raw_user, target.raw_password, url)


@settings(max_examples=3000, deadline=None)
@given(_spaces, _schemes, _hosts, _ports, _paths, _queries, _spaces)
@example("", "http", "example.org", "", "/f/1.csv", "", "")
@example("", "https", "example.org", ":443", "", "?a=1", "")
@example("", "http", "example.org", "", "/a//b/./c/../d", "", "")
@example("", "http", "example.org", "", "/.well-known/x", "", "")
def test_plain_urls_give_what_the_guard_gives(pre: str, scheme: str, host: str, port: str, path: str,
                                              query: str, post: str) -> None:
    text = f"{pre}{scheme}://{host}{port}{path}{query}{post}"
    assert outcome(lambda u: checked(GUARD, u), text) == outcome(GUARD.url, text)


def test_plain_urls_are_split_without_yarl() -> None:
    target = checked(GUARD, "http://files.example:8080/f/1.csv?x=1&y=2")
    assert isinstance(target, PlainURL)
    assert (target.scheme, target.raw_host, target.port, target.raw_path_qs, target.host_port_subcomponent) == (
        "http", "files.example", 8080, "/f/1.csv?x=1&y=2", "files.example:8080")
    assert target.url == URL("http://files.example:8080/f/1.csv?x=1&y=2")
    assert isinstance(checked(GUARD, "http://files.example/%41"), URL)  # encoded: the full parse
