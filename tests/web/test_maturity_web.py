"""The maturity pages over HTTP: who may edit which answers, sessions and CSRF, and every
page in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from govlens.config import Settings
from govlens.maturity.accounts import hash_password
from govlens.model import CENTRE, Answer
from govlens.serve import create_app
from govlens.store import Store
from govlens.store.maturity import MaturityStore

PASSWORD = "a long enough password"
EVIL = '<script>alert("x")</script>'
HASH = hash_password(PASSWORD)


def seed_maturity(store: Store) -> None:
    ms = MaturityStore(store)
    ms.add_institution("shcp", "Secretaría de Hacienda", ["shcp"])
    ms.add_institution("sep", f"Educación {EVIL}", ["sep"])
    ms.add_account("central", HASH, "central", None)
    ms.add_account("ana", HASH, "institution", "shcp")
    ms.add_account("beto", HASH, "institution", "sep")
    ms.save_answers([Answer(CENTRE, "q1", "yes"), Answer("shcp", "q72", "yes"),
                     Answer("sep", "q72", "no", note=EVIL)])


@pytest.fixture
def mstore(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    seed_maturity(s)
    yield s
    s.close()


pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def client(store: Store) -> httpx.AsyncClient:
    app = create_app(Settings(db_url=store.engine.url.render_as_string(hide_password=False)), store=store)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver",
                             follow_redirects=False)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "the page carries a CSRF token"
    return m.group(1)


async def login(c: httpx.AsyncClient, username: str) -> str:
    token = csrf_of((await c.get("/login")).text)
    r = await c.post("/login", data={"csrf": token, "username": username, "password": PASSWORD, "next": "/maturity"})
    assert r.status_code == 303 and r.headers["location"] == "/maturity"
    return csrf_of((await c.get("/maturity")).text)


def answers(store: Store, scope: str) -> dict[str, object]:
    return {a.item: a.value for a in MaturityStore(store).answers(scope)}


async def test_an_institution_edits_only_its_own_answers(mstore: Store) -> None:
    c = client(mstore)
    token = await login(c, "ana")
    own = (await c.get("/maturity/answers/shcp?dimension=open_by_default")).text
    assert 'action="/maturity/answers/shcp"' in own  # the form is there for its own answers
    other = (await c.get("/maturity/answers/sep?dimension=open_by_default")).text
    assert "<form method=\"post\" action=\"/maturity/answers/sep\"" not in other  # read only
    r = await c.post("/maturity/answers/shcp", data={"csrf": token, "items": ["q72", "q40"], "v.q72": "no",
                                                "v.q40": "yes", "dimension": "open_by_default"})
    assert r.status_code == 303
    assert answers(mstore, "shcp") == {"q72": "no", "q40": "yes"}
    forbidden = await c.post("/maturity/answers/sep", data={"csrf": token, "items": ["q72"], "v.q72": "yes"})
    assert forbidden.status_code == 403
    assert (await c.post("/maturity/answers/centre", data={"csrf": token, "items": ["q1"], "v.q1": "no"})).status_code == 403
    assert answers(mstore, "sep") == {"q72": "no"} and answers(mstore, CENTRE) == {"q1": "yes"}
    # Institutions manage nothing else.
    assert (await c.post("/maturity/plan/check", data={"csrf": token})).status_code == 403
    assert (await c.get("/maturity/admin")).status_code == 403


async def test_the_central_office_edits_everything(mstore: Store) -> None:
    c = client(mstore)
    token = await login(c, "central")
    for scope, item, value in (("sep", "q72", "yes"), ("shcp", "q72", "no"), (CENTRE, "q1", "no")):
        r = await c.post(f"/maturity/answers/{scope}", data={"csrf": token, "items": [item], f"v.{item}": value})
        assert r.status_code == 303, r.text
        assert answers(mstore, scope)[item] == value
    r = await c.post("/maturity/admin/institutions", data={"csrf": token, "id": "imss", "name": "IMSS",
                                                      "publishers": "imss, imss-bienestar"})
    assert r.status_code == 303
    assert MaturityStore(mstore).institution("imss").publishers == ("imss", "imss-bienestar")
    r = await c.post("/maturity/admin/users", data={"csrf": token, "username": "carla", "password": PASSWORD,
                                               "role": "institution", "institution": "imss"})
    assert r.status_code == 303 and MaturityStore(mstore).account("carla").institution == "imss"
    weak = await c.post("/maturity/admin/users", data={"csrf": token, "username": "dora", "password": "short",
                                                  "role": "central"})
    assert weak.status_code == 422


async def test_checklists_evidence_and_withdrawal(mstore: Store) -> None:
    c = client(mstore)
    token = await login(c, "ana")
    data = {"csrf": token, "items": ["q75", "q91c", "q72"], "v.q75": ["available", "links"],
            "e.q75": "url:https://datos.gob.mx/shcp\ndocument:Oficio 123", "n.q75": "revisado",
            "v.q72": ""}
    assert (await c.post("/maturity/answers/shcp", data=data)).status_code == 303
    got = {a.item: a for a in MaturityStore(mstore).answers("shcp")}
    assert got["q75"].value == ("available", "links")
    assert [(e.kind, e.ref) for e in got["q75"].evidence] == [("url", "https://datos.gob.mx/shcp"),
                                                              ("document", "Oficio 123")]
    assert "q91c" not in got  # nothing ticked and never answered: left unanswered
    assert "q72" not in got  # emptied: withdrawn, and the log keeps it
    assert MaturityStore(mstore).answer_log("shcp", "q72")[-1]["value"] is None
    bad = await c.post("/maturity/answers/shcp", data={"csrf": token, "items": ["q75"], "v.q75": ["nonsense"]})
    assert bad.status_code == 422
    js = await c.post("/maturity/answers/shcp", data={"csrf": token, "items": ["q72"], "v.q72": "yes",
                                                 "e.q72": "url:javascript:alert(1)"})
    assert js.status_code == 422


async def test_writes_need_a_session_a_token_and_the_same_origin(mstore: Store) -> None:
    c = client(mstore)
    anonymous = await c.post("/maturity/answers/shcp", data={"items": ["q72"], "v.q72": "no"})
    assert anonymous.status_code == 403  # no session: no CSRF token
    token = await login(c, "ana")
    assert (await c.post("/maturity/answers/shcp", data={"items": ["q72"], "v.q72": "no"})).status_code == 403
    assert (await c.post("/maturity/answers/shcp", data={"csrf": "forged", "items": ["q72"], "v.q72": "no"})).status_code == 403
    cross = await c.post("/maturity/answers/shcp", data={"csrf": token, "items": ["q72"], "v.q72": "no"},
                   headers={"origin": "https://evil.example"})
    assert cross.status_code == 403
    assert answers(mstore, "shcp") == {"q72": "yes"}
    # Signing out ends the session: the old token no longer writes.
    assert (await c.post("/logout", data={"csrf": token})).status_code == 303
    assert (await c.post("/maturity/answers/shcp", data={"csrf": token, "items": ["q72"], "v.q72": "no"})).status_code in (401, 403)


async def test_sign_in_failures_and_disabled_accounts(mstore: Store) -> None:
    c = client(mstore)
    token = csrf_of((await c.get("/login")).text)
    r = await c.post("/login", data={"csrf": token, "username": "ana", "password": "wrong password!"})
    assert r.status_code == 303 and "failed=1" in r.headers["location"]
    r = await c.post("/login", data={"csrf": token, "username": "nobody", "password": PASSWORD})
    assert "failed=1" in r.headers["location"]
    r = await c.post("/login", data={"csrf": token, "username": "ana", "password": PASSWORD, "next": "//evil.example/x"})
    assert r.headers["location"] == "/maturity"
    token = csrf_of((await c.get("/maturity")).text)
    MaturityStore(mstore).update_account("ana", disabled=True)
    assert (await c.post("/maturity/answers/shcp", data={"csrf": token, "items": ["q72"], "v.q72": "no"})).status_code == 401


async def test_repeated_wrong_passwords_lock_the_name_for_a_while(mstore: Store) -> None:
    c = client(mstore)
    for _ in range(5):
        token = csrf_of((await c.get("/login")).text)
        r = await c.post("/login", data={"csrf": token, "username": "ana", "password": "wrong password!"})
        assert r.status_code == 303 and "failed=1" in r.headers["location"]
    token = csrf_of((await c.get("/login")).text)
    r = await c.post("/login", data={"csrf": token, "username": "ana", "password": PASSWORD})
    assert r.status_code == 429  # even the right password waits until the window passes
    assert int(r.headers["retry-after"]) > 0
    assert "Demasiados intentos" in r.text
    assert "Sesión de ana" not in (await c.get("/maturity")).text  # not signed in


async def test_the_cookie_is_signed_http_only_and_lax(mstore: Store) -> None:
    c = client(mstore)
    r = await c.get("/login")
    cookie = r.headers["set-cookie"]
    assert "govlens_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    c.cookies.set("govlens_session", "tampered." + cookie.split("=", 1)[1].split(";")[0][10:])
    assert "Sign in" in (await c.get("/maturity?lang=en")).text


PAGES = ("/maturity", "/maturity/benchmark", "/maturity/benchmark?country=KOR", "/maturity/answers/centre",
         "/maturity/answers/sep?dimension=open_by_default", "/maturity/recommendations",
         "/maturity/recommendations?scope=sep", "/maturity/plan", "/login")


@pytest.mark.parametrize("lang", ["es", "en"])
async def test_every_page_renders_escaped_in_both_languages(mstore: Store, lang: str) -> None:
    c = client(mstore)
    for path in PAGES:
        r = await c.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert r.status_code == 200, path
        assert "content-security-policy" in r.headers
        assert EVIL not in r.text and "<script" not in r.text, path
        assert f'<html lang="{lang}">' in r.text
        assert not re.search(r"\bmaturity\.[a-z_.]+\b(?![\w/-])", re.sub(r'(href|action)="[^"]*"', "", r.text)), path
    home = (await c.get(f"/maturity?lang={lang}")).text
    assert ("autoevaluad" in home) if lang == "es" else ("self-assessed" in home)
    bench = (await c.get(f"/maturity/benchmark?lang={lang}")).text
    assert "0.536" in bench and "<svg" in bench
    assert (await c.get("/maturity/benchmark?country=XXX")).status_code == 404
    assert (await c.get("/maturity/answers/nobody")).status_code == 404


async def test_adopting_and_checking_from_the_browser_forms(mstore: Store) -> None:
    c = client(mstore)
    token = await login(c, "central")
    page = (await c.get("/maturity/recommendations")).text
    rec = re.search(r'name="recommendation" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = await c.post("/maturity/plan/adopt", data={"csrf": token, "recommendation": rec, "owner": "centre",
                                              "due": "2030-01-31", "target": "0.7"})
    assert r.status_code == 303
    (action,) = MaturityStore(mstore).actions()
    assert (action.recommendation, action.target, action.due) == (rec, 0.7, "2030-01-31")
    assert (await c.post("/maturity/plan/check", data={"csrf": token})).status_code == 303
    (check,) = MaturityStore(mstore).checks(action.id)
    assert check.status == "on_track"
    assert "on track" in (await c.get("/maturity/plan?lang=en")).text
    bad = await c.post("/maturity/plan/adopt", data={"csrf": token, "recommendation": rec, "owner": "centre",
                                                "due": "soon"})
    assert bad.status_code == 422
