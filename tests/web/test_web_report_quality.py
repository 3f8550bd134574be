"""The reports' metadata quality section: the whole government and one institution, HTML and PDF,
Spanish and English, read from the per-run roll-ups."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from seed import EVIL_PUBLISHER, IMG, seed
from test_web_pages import Markup
from webtools import seeded, xobjects  # noqa: F401 - fixture

from govlens.config import Settings
from govlens.run.quality import government_summary, publisher_summaries
from govlens.run.report import gather, render, write_report
from govlens.store import Store


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def quality_part(doc: str, title: str) -> str:
    start = doc.index(f"<h2>{title}</h2>")
    end = doc.find("<h2>", start + 5)
    return doc[start:end if end > 0 else None]


def chart_marks(kind: str, html: str) -> int:
    return sum(c.count('class="mark"') for c in re.findall(rf'<svg[^>]*class="chart {kind}".*?</svg>', html, re.DOTALL))


def test_government_report_has_the_mqa_section_in_spanish(seeded: Store, tmp_path: Path) -> None:
    out, lang = write_report(Settings(db_url=url_of(seeded)), tmp_path / "gov.html")
    assert lang == "es"
    q = quality_part(out.read_text("utf-8"), "Calidad de los metadatos (MQA de la UE)")
    s = government_summary(seeded)
    assert f"{s.mqa_mean:,.1f}" in q and "Suficiente" in q and "Media MQA (sobre 405)" in q
    assert chart_marks("chart-grouped", q) == 10 and chart_marks("chart-histogram", q) == 42
    assert chart_marks("chart-share", q) == 1  # every dataset in one band
    assert "<h3>Qué corregir primero</h3>" in q and "añadir un tema (categoría) a 8 conjuntos de datos" in q
    assert "Localizabilidad" in q and "Datos MX" in q


def test_institution_report_compares_with_its_catalogue(seeded: Store, tmp_path: Path) -> None:
    out, _ = write_report(Settings(db_url=url_of(seeded)), tmp_path / "i.html", publisher="shcp", lang="en")
    doc = out.read_text("utf-8")
    q = quality_part(doc, "Metadata quality (EU MQA)")
    mine = next(p.summary for p in publisher_summaries(seeded, "mx") if p.publisher_key == "shcp")
    assert f"{mine.mqa_mean:,.1f}" in q and "Sufficient" in q
    assert chart_marks("chart-grouped", q) == 15  # institution, catalogue mean, maximum
    assert "This institution" in q and "Catalogue mean" in q
    assert "add a theme (category) to 4 datasets: +30 points each, mean +30.0" in q
    assert chart_marks("chart-line", q) == 2 and "Share of “yes” per metric" in q
    found = Markup.parse(doc)
    assert not found.tags & {"script", "img", "link", "iframe"} and not found.handlers


def test_pdf_reports_carry_the_quality_section(seeded: Store) -> None:
    pdf = render(gather(seeded), "pdf", "en")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Metadata quality (EU MQA)" in text and "What to fix first" in text
    assert "add a theme (category) to 8 datasets" in text
    one = render(gather(seeded, publisher=EVIL_PUBLISHER.key), "pdf", "es")
    pages = PdfReader(io.BytesIO(one)).pages
    words = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Calidad de los metadatos (MQA de la UE)" in words and "Esta institución" in words
    assert xobjects(list(pages)) >= 8  # the quality charts too
    assert IMG.split()[0] in words  # the hostile name, printed as text


def test_reports_before_any_assessment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    with Store.open(url) as store:
        seed(store, assess=False)
    out, _ = write_report(Settings(db_url=url), tmp_path / "r.html", lang="en")
    q = quality_part(out.read_text("utf-8"), "Metadata quality (EU MQA)")
    assert "Not assessed yet: run govlens assess." in q and 'class="mark"' not in q
