"""High-value and anti-corruption dataset coverage.

* :func:`classify` — the categories of one dataset, with confidence and evidence;
* :func:`find`, :func:`build`, :func:`coverage_share`, :func:`record` — the matrix (pure);
* :func:`coverage_fixes` — fix-list items from the matrix;
* :func:`hvd_availability` — ``hvd_availability`` measurements for the maturity module;
* ``govlens.coverage.service.coverage`` — the matrix of stored catalogues.
"""

from govlens.coverage.classify import classify, classify_many, evidence
from govlens.coverage.fixes import CoverageFix, coverage_fixes
from govlens.coverage.matrix import Found, build, coverage_share, find, hvd_availability, record
from govlens.coverage.taxonomy import Category, Taxonomy, builtin_taxonomy, load_taxonomy

__all__ = [
    "Category",
    "CoverageFix",
    "Found",
    "Taxonomy",
    "build",
    "builtin_taxonomy",
    "classify",
    "classify_many",
    "coverage_fixes",
    "coverage_share",
    "evidence",
    "find",
    "hvd_availability",
    "load_taxonomy",
    "record",
]
