"""Two institutions answer the questionnaire in a real browser (Debian chromium through
Playwright, against uvicorn); neither can edit the other's answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_maturity_web import PASSWORD, seed_maturity
from test_web_browser import Watch, browser  # noqa: F401 - the browser fixture
from webtools import LiveServer

from govlens.config import Settings
from govlens.serve import create_app
from govlens.store import Store
from govlens.store.maturity import MaturityStore

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def site(browser: Any, tmp_path: Path) -> Iterator[tuple[str, Store]]:  # noqa: F811
    url = f"sqlite:///{tmp_path / 'maturity.sqlite'}"
    store = Store.open(url)
    seed_maturity(store)
    with LiveServer(create_app(Settings(db_url=url), store=store)) as base:
        yield base, store
    store.close()


def sign_in(browser: Any, base: str, username: str) -> tuple[Any, Any, Watch]:  # noqa: F811
    ctx = browser.new_context()
    page = ctx.new_page()
    watch = Watch(page, base)
    page.goto(base + "/login?lang=en")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator(".account .who").inner_text().startswith(f"Signed in as {username}")
    return ctx, page, watch


def answer_q72(page: Any, base: str, scope: str, value: str) -> None:
    page.goto(f"{base}/maturity/answers/{scope}?dimension=open_by_default&lang=en")
    page.select_option('select[name="v.q72"]', value)
    page.fill('textarea[name="e.q72"]', f"url:https://www.gob.mx/{scope}/datos-abiertos")
    page.click("form.questionnaire button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("p.pass[role=status]").inner_text() == "Answers saved."


def cannot_edit(page: Any, base: str, other: str) -> int:
    """The other institution's page has no form; a crafted POST with this session is refused."""
    page.goto(f"{base}/maturity/answers/{other}?dimension=open_by_default&lang=en")
    assert page.locator("form.questionnaire").count() == 0
    assert page.locator('select[name="v.q72"]').count() == 0
    assert "only the institution itself" in page.locator("p.notice").inner_text()
    token = page.locator('input[name="csrf"]').first.get_attribute("value")
    return int(page.evaluate(
        """async ([url, token]) => {
             const body = new URLSearchParams({csrf: token, items: 'q72', 'v.q72': 'yes'});
             const r = await fetch(url, {method: 'POST', body, redirect: 'manual'});
             return r.status;
           }""",
        [f"{base}/maturity/answers/{other}", token],
    ))


def test_two_institutions_cannot_edit_each_others_answers(browser: Any, site: tuple[str, Store]) -> None:  # noqa: F811
    base, store = site
    ctx_a, ana, watch_a = sign_in(browser, base, "ana")  # Hacienda (shcp)
    ctx_b, beto, watch_b = sign_in(browser, base, "beto")  # Educación (sep)

    answer_q72(ana, base, "shcp", "no")
    answer_q72(beto, base, "sep", "yes")
    assert cannot_edit(ana, base, "sep") == 403
    assert cannot_edit(beto, base, "shcp") == 403

    got = {(a.scope, a.item): a for a in MaturityStore(store).answers()}
    assert got[("shcp", "q72")].value == "no" and got[("shcp", "q72")].answered_by == "ana"
    assert got[("sep", "q72")].value == "yes" and got[("sep", "q72")].answered_by == "beto"
    assert got[("shcp", "q72")].evidence[0].ref == "https://www.gob.mx/shcp/datos-abiertos"

    # Each sees the other's answer, read-only, and the scores that follow from it.
    beto.goto(f"{base}/maturity/answers/shcp?dimension=open_by_default&lang=es")
    assert "Respuesta" in beto.locator("#item-q72").inner_text()
    beto.goto(f"{base}/maturity?lang=en")
    assert beto.locator("svg.chart .mark").count() >= 6
    out = ROOT / "artifacts" / "maturity.png"
    out.parent.mkdir(exist_ok=True)
    beto.screenshot(path=str(out), full_page=True)
    print(f"maturity screenshot: {out}")

    for watch in (watch_a, watch_b):
        # The refused crafted POSTs are the only errors the console may report.
        assert all("403" in e for e in watch.errors), watch.errors
        assert watch.dialogs == [] and watch.foreign == []
    ctx_a.close()
    ctx_b.close()
