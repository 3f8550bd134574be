"""Fix-list items from the coverage matrix (pure).

A missing priority dataset becomes "publish it" with the taxonomy's concrete
recommendation; a present one that nobody publishes as open, machine-readable
data becomes "open it". ``govlens fixes`` (``govlens.run.quality.fix_lists``)
adds :func:`group_fixes` of each publisher and catalogue to its metadata fixes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Literal

from govlens.coverage.taxonomy import Taxonomy
from govlens.model import WHOLE_GOVERNMENT, CoverageCell

FixKind = Literal["publish-missing", "open-existing"]


@dataclass(frozen=True, slots=True)
class CoverageFix:
    """One action for a publisher (or ``"*"``, the government as a whole)."""

    publisher: str
    category: str
    kind: FixKind
    action: str
    datasets: tuple[str, ...] = ()
    #: Rank within a fix list: anti-corruption datasets first, then HVD, then G8.
    priority: int = 0


_FRAMEWORK_PRIORITY = {"odc": 3, "hvd": 2, "g8": 1}
_OPEN = {
    "es": "Publicar {label} en un formato legible por máquina (CSV, JSON) con licencia abierta; hoy solo hay: {ids}.",
    "en": "Publish {label} in a machine-readable format (CSV, JSON) under an open licence; today there is only: {ids}.",
}


def coverage_fixes(
    cells: Iterable[CoverageCell],
    taxonomy: Taxonomy,
    *,
    lang: str = "en",
    publishers: bool = False,
) -> list[CoverageFix]:
    """Fixes from the government rows (and from every publisher's rows when
    ``publishers`` is true: a publisher is asked for a dataset only when its
    own rows say it is missing), best first."""
    out = []
    for c in cells:
        if c.publisher != WHOLE_GOVERNMENT and not publishers:
            continue
        prio = _FRAMEWORK_PRIORITY.get(taxonomy[c.category].framework, 0)
        if c.status == "missing":
            fix = CoverageFix(c.publisher, c.category, "publish-missing", "", (), prio * 2)
        elif c.quality.open_data == 0:
            fix = CoverageFix(c.publisher, c.category, "open-existing", "", c.datasets, prio * 2 - 1)
        else:
            continue
        out.append(replace(fix, action=fix_text(fix, taxonomy, lang)))
    out.sort(key=lambda f: (-f.priority, f.publisher, f.category))
    return out


def fix_text(fix: CoverageFix, taxonomy: Taxonomy, lang: str = "en") -> str:
    """The action of a fix in ``lang`` (``es`` or ``en``): the taxonomy's recommendation
    for a missing dataset, "publish it as open data" for a closed one."""
    cat = taxonomy[fix.category]
    if fix.kind == "publish-missing":
        return cat.recommend.get(lang)
    return _OPEN[lang if lang in _OPEN else "en"].format(
        label=cat.label.get(lang).lower(), ids=", ".join(fix.datasets[:3])
    )


def group_fixes(
    cells: Iterable[CoverageCell],
    taxonomy: Taxonomy,
    *,
    relevant: Collection[str] | None = None,
    lang: str = "en",
) -> list[CoverageFix]:
    """The coverage fixes of one group's cells (one publisher's, or a catalogue's ``"*"``
    rows), best first.

    With ``relevant`` (the categories the publisher is the telling institution for,
    :func:`govlens.coverage.classify.telling_publisher`), a missing dataset is asked of
    the group only when its category is relevant; a category the group already
    publishes is always its own ("open it" when none of its datasets is open data).
    A fix is left out when the same kind of fix on a narrower category that implies
    it is in the list ("publish the budget" makes "publish finance data" redundant).
    """
    kept = [c for c in cells if relevant is None or c.status == "present" or c.category in relevant]
    fixes = coverage_fixes(kept, taxonomy, lang=lang, publishers=True)
    subsumed = {
        (f.kind, broader)
        for f in fixes
        for broader in taxonomy.closure([f.category]) - {f.category}
    }
    return [f for f in fixes if (f.kind, f.category) not in subsumed]
