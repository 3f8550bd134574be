"""What is known about a URL after link checking, as the scorers see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LinkOutcome = Literal["ok", "broken", "failing", "unknown"]


@dataclass(frozen=True, slots=True)
class LinkState:
    """The latest check of one URL.

    ``outcome`` is ``ok`` only for a 2xx final answer (after following up to 10
    redirects), which is what earns MQA accessibility points. A URL that was
    never checked has no ``LinkState`` at all and scores 0 as "not checked".
    """

    url: str
    outcome: LinkOutcome
    status: int | None = None
    final_url: str | None = None
    reason: str | None = None
    checked_at: str | None = None
