"""The link checker: the SSRF guard, politeness policy and the async checker (I/O edge)."""

from govlens.probe.guard import (
    Guard,
    ResolvedTarget,
    Resolver,
    Target,
    forbidden_kind,
    system_resolver,
)
from govlens.probe.policy import ProbeSettings

__all__ = [
    "Guard",
    "ProbeSettings",
    "ResolvedTarget",
    "Resolver",
    "Target",
    "forbidden_kind",
    "system_resolver",
]
