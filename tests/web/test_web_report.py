"""``govlens report``: self-contained HTML and PDF, whole government and one institution, es and en."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from seed import EVIL_PUBLISHER, IMG
from test_web_pages import Markup
from webtools import seeded, xobjects  # noqa: F401 - fixture

from govlens.config import Settings
from govlens.errors import ConfigError, NotFound
from govlens.run.report import gather, render, write_report
from govlens.store import Store


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_government_html_is_self_contained_and_escaped(seeded: Store, tmp_path: Path) -> None:
    out, lang = write_report(Settings(db_url=url_of(seeded)), tmp_path / "r.html")
    assert lang == "es"  # a Mexican catalogue
    doc = out.read_text("utf-8")
    found = Markup.parse(doc)
    assert "Datos abiertos en todo el gobierno" in doc
    assert not found.tags & {"script", "img", "link", "iframe"} and not found.handlers
    assert not [u for u in found.urls if not u.startswith(("http://", "https://"))]
    assert "<style>" in doc and doc.count("<svg") >= 3 and doc.count('class="mark"') >= 4
    assert "&lt;img src=x onerror=" in doc  # the hostile publisher name, as text
    assert "Secretaría de Hacienda y Crédito Público" in doc


def test_institution_report_in_english(seeded: Store, tmp_path: Path) -> None:
    out, lang = write_report(Settings(db_url=url_of(seeded)), tmp_path / "i.html", publisher="shcp",
                             lang="en")
    doc = out.read_text("utf-8")
    assert lang == "en" and '<html lang="en">' in doc
    assert "Open data of Secretaría de Hacienda y Crédito Público" in doc
    trend = doc.split("<h2>Trend over runs</h2>")[1].split("<h2>Priority datasets</h2>")[0]
    assert trend.count('class="mark"') == 2  # one point per run on the trend


def test_pdf_has_the_text_and_the_charts(seeded: Store) -> None:
    report = gather(seeded)
    pdf = render(report, "pdf", "en")
    assert pdf.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = "\n".join(p.extract_text() for p in pages)
    assert "Open data across government" in text
    # WeasyPrint draws each inline SVG chart as a form XObject.
    assert xobjects(list(pages)) >= 3
    assert "Secretaría de Hacienda" in text
    one = render(gather(seeded, publisher=EVIL_PUBLISHER.key), "pdf", "es")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(one)).pages)
    assert "Datos abiertos de Secretaría" in text and "<img src=x" in text.replace("\n", " ")


def test_unknown_names_are_clear_errors(seeded: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        gather(seeded, catalogue="nope")
    with pytest.raises(NotFound):
        gather(seeded, publisher="nobody")
    with pytest.raises(ConfigError):
        write_report(Settings(db_url=url_of(seeded)), tmp_path / "x.doc", fmt="doc")  # type: ignore[arg-type]
    assert not (tmp_path / "x.doc").exists()


def test_cli_writes_pdf(seeded: Store, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "gov.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "govlens.cli", "report", "--db", url_of(seeded), "--format", "pdf",
         "--out", str(out), "--lang", "en"],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and out.read_bytes().startswith(b"%PDF")
    bad = subprocess.run(
        [sys.executable, "-m", "govlens.cli", "report", "--db", url_of(seeded), "--publisher", "nobody",
         "--out", str(tmp_path / "n.html")],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 2 and "govlens: error:" in bad.stderr
    assert IMG not in bad.stderr
