"""docs/links.md tells the truth: its tables of settings and error classes match the code."""

from __future__ import annotations

import re
from pathlib import Path

from govlens.probe.policy import ERROR_VERDICTS, ProbeSettings

DOC = (Path(__file__).parents[2] / "docs" / "links.md").read_text(encoding="utf-8")


def _rows(first_cell: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in DOC.splitlines() if line.startswith(f"| {first_cell}")]


def test_documented_defaults_are_the_defaults() -> None:
    defaults = ProbeSettings()
    rows = [r for r in _rows("`") if len(r) == 3 and re.fullmatch(r"[\d.]+(?: s)?", r[1])]
    seen = set()
    for name, value, _ in rows:
        setting = re.findall(r"`([\w-]+)`", name)[-1].lstrip("-").replace("-", "_")
        assert getattr(defaults, setting) == float(value.removesuffix(" s")), name
        seen.add(setting)
    assert seen >= {"concurrency", "per_host", "min_interval", "retries", "max_wait", "host_failures", "buffer",
                    "timeout", "connect_timeout", "max_redirects", "read_bytes", "backoff", "persist_failures",
                    "persist_days"}


def test_every_error_class_is_in_the_row_of_its_outcome() -> None:
    table = {r[0].strip("`"): set(re.findall(r"`([\w-]+)`", r[2])) for r in _rows("`") if len(r) == 3
             and r[0].strip("`") in ("ok", "broken", "failing", "unknown")}
    outcome = {"broken": "broken", "failure": "failing", "unknown": "unknown"}
    for error_class, verdict in ERROR_VERDICTS.items():
        assert error_class in table[outcome[verdict]], (error_class, verdict)
    # A TLS error seen for the first time is unknown (the persistence rule), then failing.
    assert "tls" in table["unknown"] and "tls" in table["failing"]
    assert set().union(*table.values()) == set(ERROR_VERDICTS)
