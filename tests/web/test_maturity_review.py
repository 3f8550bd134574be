"""The digital-government review report: its seven sections in HTML and PDF, both languages,
with measured values, recommendations and the action plan."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from test_maturity_web import EVIL, seed_maturity

from govlens.cli import main
from govlens.maturity.indicators import MeasurementSet
from govlens.model import CENTRE, GOVERNMENT, Action, Measurement
from govlens.run.maturity import check_actions
from govlens.run.review import gather_review, render_review
from govlens.store import Store
from govlens.store.maturity import MaturityStore

SECTIONS = {
    "en": ["1. Overview", "2. Benchmark position", "3. Maturity by dimension and by principle",
           "4. Open-data quality by institution", "5. Link and file health", "6. Recommendations",
           "7. Action plan status"],
    "es": ["1. Panorama", "2. Posición comparada", "3. Madurez por dimensión y por principio",
           "4. Calidad de los datos abiertos por institución", "5. Salud de enlaces y archivos",
           "6. Recomendaciones", "7. Estado del plan de acción"],
}


def m(indicator: str, scope: str, value: float) -> Measurement:
    return Measurement(indicator, scope, value, "test", "mx#3")


MEASURED = MeasurementSet.of(
    [m("mqa_mean", "shcp", 96.0), m("mqa_mean", "sep", 250.0), m("open_licence_share", GOVERNMENT, 0.61),
     m("link_health", GOVERNMENT, 0.83), m("link_broken_share", "shcp", 0.2)],
    previous=[m("link_broken_share", "shcp", 0.1)],
)


@pytest.fixture
def review_store(sqlite_url: str) -> Store:
    s = Store.open(sqlite_url)
    seed_maturity(s)
    MaturityStore(s).add_action(Action(0, "manual", "Hacienda mean MQA >= 221", "shcp", "2027-06-30",
                                       "mqa_mean", "shcp", ">=", 221.0, adopted_at="2026-11-01T00:00:00+00:00"))
    check_actions(s, datetime(2026, 12, 1, tzinfo=UTC))
    return s


@pytest.mark.parametrize("lang", ["en", "es"])
def test_review_html_has_every_section(review_store: Store, lang: str) -> None:
    review = gather_review(review_store, measurements=MEASURED, now=datetime(2026, 12, 2, tzinfo=UTC))
    html = render_review(review, "html", lang).decode()
    positions = [html.index(s) for s in SECTIONS[lang]]
    assert positions == sorted(positions)
    assert f'<html lang="{lang}">' in html
    assert "0.536" in html and "0.605" in html  # Mexico's DGI 2023 and the OECD average
    assert EVIL not in html and "<script" not in html
    assert "Hacienda mean MQA &gt;= 221" in html  # the action, escaped
    assert ("no data" if lang == "en" else "sin datos") in html  # mqa_mean of shcp not in the store
    assert "96" in html and "61" in html and "83" in html  # measured values shown
    assert html.count("<svg") >= 5
    assert ("&#39;bad&#39; band" if lang == "en" else "banda &#39;mala&#39;") in html  # mqa-bad-band for Hacienda
    assert ("Broken links are rising" if lang == "en" else "Los enlaces rotos aumentan") in html


def test_review_pdf(review_store: Store) -> None:
    review = gather_review(review_store, measurements=MEASURED)
    pdf = render_review(review, "pdf", "es")
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for section in SECTIONS["es"]:
        assert section in text.replace("\n", " "), section


def test_report_kind_review_from_the_command_line(review_store: Store, sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    res = CliRunner().invoke(main, ["report", "--kind", "review", "--format", "html", "--lang", "en",
                                    "--out", str(out), "--db", sqlite_url])
    assert res.exit_code == 0, res.output
    assert "review (html, en)" in res.output
    text = out.read_text(encoding="utf-8")
    assert "Digital government review: Mexico" in text and "7. Action plan status" in text
    bad = CliRunner().invoke(main, ["report", "--kind", "review", "--country", "XXX", "--out",
                                    str(tmp_path / "x.html"), "--db", sqlite_url])
    assert bad.exit_code == 2 and "no published benchmark" in bad.output
    assert not (tmp_path / "x.html").exists()
    assert MaturityStore(review_store).answers(CENTRE)
