"""The priority-datasets section of a report, read from the store: the coverage matrix of
the latest runs and its fix list (the same fixes ``govlens fixes`` gives)."""

from __future__ import annotations

from collections.abc import Sequence

from govlens.coverage.classify import telling_publisher
from govlens.coverage.fixes import fix_text, group_fixes
from govlens.coverage.service import coverage
from govlens.coverage.taxonomy import Taxonomy, Text
from govlens.model import WHOLE_GOVERNMENT, CoverageCell
from govlens.report.coverage import (
    Bilingual,
    CoverageFacts,
    FrameworkCount,
    PriorityDataset,
    PriorityFix,
)
from govlens.store import Store


def _text(t: Text) -> Bilingual:
    return Bilingual(t.es, t.en)


def coverage_facts(store: Store, *, catalogue: str | None = None, publisher: str | None = None,
                   publisher_name: str | None = None) -> CoverageFacts | None:
    """The whole government's priority datasets (every catalogue, or the one named), or one
    institution's (``publisher`` in ``catalogue``). None when no catalogue has a complete run."""
    if not store.latest_runs(catalogue):
        return None
    cov = coverage(store, catalogue=catalogue, publisher=publisher)
    if publisher is None:
        return facts(cov.government, cov.taxonomy, None, None)
    cells = [c for cat in cov.catalogues for c in cat.cells if c.publisher == publisher]
    name = publisher_name or next((cat.publishers.get(publisher) for cat in cov.catalogues), None)
    return facts(cells, cov.taxonomy, publisher, telling_publisher(name or publisher))


def facts(cells: Sequence[CoverageCell], taxonomy: Taxonomy, publisher: str | None,
          relevant: frozenset[str] | None) -> CoverageFacts:
    """Report values from one group's cells (``relevant`` None: every category is asked for)."""
    frameworks = []
    for fw in taxonomy.frameworks:
        rows = [c for c in cells if taxonomy[c.category].framework == fw.id]
        if rows:
            frameworks.append(FrameworkCount(
                fw.id, _text(fw.label), len(rows), sum(c.status == "present" for c in rows),
                sum(c.status == "present" and c.quality.open_data > 0 for c in rows),
            ))
    present = tuple(
        PriorityDataset(c.category, taxonomy[c.category].framework, _text(taxonomy[c.category].label),
                        c.quality.datasets, c.quality.open_data, c.quality.mqa_band)
        for c in cells if c.status == "present"
    )
    fixes = tuple(
        PriorityFix(f.category, taxonomy[f.category].framework, _text(taxonomy[f.category].label), f.kind,
                    Bilingual(fix_text(f, taxonomy, "es"), fix_text(f, taxonomy, "en")), f.datasets)
        for f in group_fixes(cells, taxonomy, relevant=relevant)
    )
    return CoverageFacts(
        publisher if publisher != WHOLE_GOVERNMENT else None, tuple(frameworks), present, fixes,
        len(relevant) if relevant is not None else 0,
    )
