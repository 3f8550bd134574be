"""The checker's light HEAD client against a loopback server that answers with chosen bytes.

The server here writes exact answers (kept-alive or not, a body after a HEAD
answer, an informational 1xx answer, cookies) so the tests see what the
client does on the wire: connections opened, requests sent, headers carried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest

from govlens.model import LinkCheck
from govlens.probe import Guard, ProbeSettings
from govlens.probe.links import LinkChecker
from govlens.run.probe import loop_factory
from probe_fixtures import StubResolver, tripwire  # noqa: F401 - fixtures

FAST = ProbeSettings(timeout=2.0, connect_timeout=1.0, allow_hosts=("127.0.0.1",), min_interval=0, retries=0)
OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 8\r\n\r\n"

Answer = Callable[[str, str, dict[str, str]], bytes]


class RawServer:
    """Answers each request with the bytes ``answer(method, path, headers)`` returns."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.port = 0

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                line, *fields = head.decode("latin-1").split("\r\n")
                method, path, _ = line.split(" ")
                headers = {k.lower(): v.strip() for k, _, v in (f.partition(":") for f in fields if f)}
                self.requests.append((method, path, headers))
                writer.write(self.answer(method, path, headers))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def run(self, body: Callable[[], object]) -> object:
        async def main() -> object:
            srv = await asyncio.start_server(self._client, "127.0.0.1", 0)
            self.port = srv.sockets[0].getsockname()[1]
            async with srv:
                return await body()  # type: ignore[misc]

        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            return runner.run(main())

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def check_all(server: RawServer, paths: list[str], settings: ProbeSettings = FAST, host: str = "127.0.0.1",
              **kw: object) -> list[LinkCheck]:
    async def go() -> list[LinkCheck]:
        async with LinkChecker(settings, **kw) as checker:  # type: ignore[arg-type]
            return [await checker.check(server.url(p, host), expect_file=True) for p in paths]

    return server.run(go)  # type: ignore[return-value]


@pytest.fixture
def plain() -> Iterator[RawServer]:
    yield RawServer(lambda method, path, headers: OK)


def test_head_checks_share_one_kept_alive_connection(plain: RawServer) -> None:
    got = check_all(plain, ["/a.csv", "/b.csv", "/c.csv?x=1"])
    assert [(g.verdict, g.method, g.status, g.content_length, g.content_type) for g in got] == [
        ("ok", "HEAD", 200, 8, "text/csv")] * 3
    assert plain.connections == 1
    assert [(m, p) for m, p, _ in plain.requests] == [("HEAD", "/a.csv"), ("HEAD", "/b.csv"), ("HEAD", "/c.csv?x=1")]
    sent = plain.requests[0][2]
    assert sent["host"] == f"127.0.0.1:{plain.port}"
    assert sent["accept-encoding"] == "identity" and sent["user-agent"].startswith("govlens")


def test_a_body_after_a_head_answer_is_not_read_as_the_next_answer() -> None:
    server = RawServer(lambda method, path, headers: OK + b"a,b\n1,2\n")
    got = check_all(server, ["/a.csv", "/b.csv", "/c.csv"])
    assert [(g.verdict, g.method, g.status) for g in got] == [("ok", "HEAD", 200)] * 3
    assert server.connections == 3  # a connection with stray bytes is never reused


def test_connection_close_is_honoured() -> None:
    server = RawServer(lambda method, path, headers: OK.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
    got = check_all(server, ["/a.csv", "/b.csv"])
    assert [g.verdict for g in got] == ["ok", "ok"] and server.connections == 2


def test_an_informational_answer_is_left_to_aiohttp() -> None:
    def answer(method: str, path: str, headers: dict[str, str]) -> bytes:
        return b"HTTP/1.1 100 Continue\r\n\r\n" + OK

    server = RawServer(answer)
    [got] = check_all(server, ["/a.csv"])
    assert (got.verdict, got.method, got.status) == ("ok", "HEAD", 200)
    assert [m for m, _, _ in server.requests] == ["HEAD", "HEAD"]  # the light client's, then aiohttp's


def test_an_unparsable_answer_is_left_to_aiohttp_and_classified_as_a_protocol_error() -> None:
    server = RawServer(lambda method, path, headers: b"HTTP/1.1 abc Nonsense\r\n\r\n" if method == "HEAD" else OK)
    [got] = check_all(server, ["/a.csv"])
    assert [m for m, _, _ in server.requests][:2] == ["HEAD", "HEAD"]
    assert got.method == "GET" and "protocol" in got.reason  # aiohttp rejected it too; the GET settled it


def test_a_cookie_set_on_a_redirect_is_sent_back() -> None:
    def answer(method: str, path: str, headers: dict[str, str]) -> bytes:
        if headers.get("cookie") == "session=abc":
            return OK
        return b"HTTP/1.1 302 Found\r\nLocation: /a.csv\r\nSet-Cookie: session=abc; Path=/\r\nContent-Length: 0\r\n\r\n"

    server = RawServer(answer)
    stub = StubResolver({"files.example.test": ["127.0.0.1"]})
    guard = Guard(["files.example.test"], resolver=stub)
    [got] = check_all(server, ["/a.csv"], host="files.example.test", guard=guard)
    assert (got.verdict, got.method, got.status, got.redirects) == ("ok", "HEAD", 200, 1)
    assert [h.get("cookie") for _, _, h in server.requests] == [None, "session=abc"]


def test_names_are_resolved_through_the_guard_and_refused_when_private() -> None:
    server = RawServer(lambda method, path, headers: OK)
    stub = StubResolver({"intranet.example.test": ["10.1.2.3"]})
    [got] = check_all(server, ["/a.csv"], host="intranet.example.test", guard=Guard([], resolver=stub))
    assert (got.verdict, got.error_class, got.status) == ("unknown", "ssrf", None), got.reason
    assert server.connections == 0


def test_the_same_answers_without_the_light_client(plain: RawServer) -> None:
    got = check_all(plain, ["/a.csv", "/b.csv"], light_head=False)
    assert [(g.verdict, g.method, g.status, g.content_length) for g in got] == [("ok", "HEAD", 200, 8)] * 2
