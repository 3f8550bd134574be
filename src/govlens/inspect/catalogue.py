"""Inspecting the tabular distributions of a catalogue's latest harvest run."""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from govlens.errors import GovlensError
from govlens.inspect.files import MAX_BYTES, TIMEOUT, inspect_url
from govlens.probe.guard import Guard

TABULAR_FORMATS = frozenset({"csv", "tsv", "xlsx", "xls", "ods", "excel", "text/csv"})


@dataclass(slots=True)
class CatalogueInspection:
    """What one ``govlens inspect --catalogue`` did."""

    catalogue: str
    run: int
    targets: int = 0
    inspected: int = 0
    valid: int = 0
    invalid: int = 0
    failed: int = 0
    partial: int = 0
    format_mismatch: int = 0
    seconds: float = 0.0
    failures: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    def text(self) -> str:
        return (f"{self.catalogue} run {self.run}: {self.inspected} of {self.targets} tabular "
                f"files inspected, {self.valid} valid, {self.invalid} invalid, {self.failed} not "
                f"readable, {self.partial} checked in part (size cap), {self.format_mismatch} "
                f"not in the declared format ({self.seconds:.1f} s)")


def inspect_catalogue(
    store: Any,
    catalogue: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
    sample: int | None = None,
    allow_hosts: Collection[str] = (),
    limit_errors: int = 1000,
) -> CatalogueInspection:
    """Download and inspect each tabular distribution URL of the catalogue's latest run."""
    from govlens.store.tables import save_inspections, tabular_targets, url_ids

    started = time.perf_counter()
    run = store.latest_run(catalogue)
    targets = list(tabular_targets(store.engine, run.id, TABULAR_FORMATS))
    if sample is not None:
        targets = targets[:sample]
    ids = url_ids(store.engine, [x.url for x in targets])
    guard = Guard(allow_hosts)
    out = CatalogueInspection(catalogue, run.id, targets=len(targets))
    batch: list[Any] = []
    for target in targets:
        declared = target.declared_format
        try:
            report = inspect_url(target.url, declared_format=declared, max_bytes=max_bytes,
                                 timeout=timeout, guard=guard,
                                 limit_errors=limit_errors, media_type=target.media_type)
        except GovlensError as exc:
            out.failed += 1
            out.failures.append({"url": target.url, "error": str(exc)})
            batch.append((ids[target.url], declared, None, str(exc)))
        else:
            out.inspected += 1
            out.valid += report.valid
            out.invalid += not report.valid
            out.partial += not report.coverage.complete
            out.format_mismatch += report.format_matches is False
            batch.append((ids[target.url], declared, report, None))
        if len(batch) >= 50:
            save_inspections(store.engine, run.id, batch)
            batch = []
    save_inspections(store.engine, run.id, batch)
    out.seconds = time.perf_counter() - started
    return out
