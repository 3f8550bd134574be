"""PDF through WeasyPrint, from a self-contained HTML document. Nothing is fetched:
any URL in the document (other than ``data:``) is refused."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of ``html`` (which must carry its CSS and images inline)."""
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1, allow_redirects=False)
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return bytes(pdf)
