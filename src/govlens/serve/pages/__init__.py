"""Dashboard pages. Each module exposes ``router`` (an APIRouter of GET routes
rendering templates) and may expose ``NAV``, its top-navigation entries, in
the order listed here."""

from govlens.serve.pages import (
    catalogues,
    coverage,
    datasets,
    health,
    maturity,
    maturity_edit,
    overview,
    publishers,
    search,
)

PAGE_MODULES = (overview, publishers, datasets, catalogues, health, coverage, search, maturity,
                maturity_edit)

__all__ = ["PAGE_MODULES"]
