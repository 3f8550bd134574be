"""Fix-list items from the coverage matrix (pure).

A missing priority dataset becomes "publish it" with the taxonomy's concrete
recommendation; a present one that nobody publishes as open, machine-readable
data becomes "open it". The fix lists of ``govlens.advise`` take these items
through :func:`coverage_fixes`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
        cat = taxonomy[c.category]
        prio = _FRAMEWORK_PRIORITY.get(cat.framework, 0)
        if c.status == "missing":
            out.append(
                CoverageFix(c.publisher, c.category, "publish-missing", cat.recommend.get(lang), (), prio * 2)
            )
        elif c.quality.open_data == 0:
            text = _OPEN[lang if lang in _OPEN else "en"].format(
                label=cat.label.get(lang).lower(), ids=", ".join(c.datasets[:3])
            )
            out.append(CoverageFix(c.publisher, c.category, "open-existing", text, c.datasets, prio * 2 - 1))
    out.sort(key=lambda f: (-f.priority, f.publisher, f.category))
    return out
