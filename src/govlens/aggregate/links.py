"""Link health per publisher and per catalogue (pure).

Input rows are ``(publisher_key, url, outcome, previous_outcome)``, one per
URL of each publisher in a run (``govlens.store.links.publisher_links``
streams them): ``outcome`` is the URL's latest state as of the run,
``previous_outcome`` its state as of the catalogue's previous run, each
``None`` when the URL had not been checked.

A URL is *newly broken* when it is broken now and was not broken at the
previous run, including a URL that is new in this run.
"""

from __future__ import annotations

from collections.abc import Iterable

from govlens.model import LinkHealth

Row = tuple[str | None, str, str | None, str | None]
_OUTCOMES = ("ok", "broken", "failing", "unknown")


def link_health(rows: Iterable[Row]) -> tuple[dict[str | None, LinkHealth], LinkHealth]:
    """Link health per publisher key, and for all the run's distinct URLs together."""
    counts: dict[str | None, dict[str, int]] = {}
    overall = dict.fromkeys(("urls", *_OUTCOMES, "unchecked", "newly_broken"), 0)
    seen: set[str] = set()
    for pkey, url, outcome, previous in rows:
        per = counts.setdefault(pkey, dict.fromkeys(overall, 0))
        for bucket, fresh in ((per, True), (overall, url not in seen)):
            if not fresh:
                continue
            bucket["urls"] += 1
            bucket[outcome if outcome in _OUTCOMES else "unchecked"] += 1
            if outcome == "broken" and previous != "broken":
                bucket["newly_broken"] += 1
        seen.add(url)
    return {k: LinkHealth(**v) for k, v in counts.items()}, LinkHealth(**overall)


def health_fields(h: LinkHealth) -> dict[str, float | int | None]:
    """The link-health fields a publisher scorecard record carries (shares of checked URLs)."""
    return {
        "link_urls": h.urls,
        "links_checked": h.checked,
        "links_ok_share": _round(h.share("ok")),
        "links_broken_share": _round(h.share("broken")),
        "links_failing_share": _round(h.share("failing")),
        "links_unknown_share": _round(h.share("unknown")),
        "links_broken": h.broken,
        "links_newly_broken": h.newly_broken,
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
