"""Settings, read once at the edge (CLI or web app) and passed down as a frozen value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from govlens.errors import ConfigError

USER_AGENT = "govlens/{version} (+https://github.com/govlens/govlens; open-data observatory)"


def default_db_url(environ: Mapping[str, str] | None = None) -> str:
    """The database URL: ``GOVLENS_DB`` if set, else a SQLite file in the user's data directory."""
    env = os.environ if environ is None else environ
    url = env.get("GOVLENS_DB")
    if url:
        return url
    import platformdirs

    data_dir = Path(platformdirs.user_data_dir("govlens", appauthor=False))
    return f"sqlite:///{data_dir / 'govlens.sqlite'}"


def normalise_db_url(url: str) -> str:
    """Accept the spellings users type and return a SQLAlchemy URL.

    ``postgresql://`` and ``postgres://`` mean psycopg 3; a bare path means SQLite.
    """
    if not url:
        raise ConfigError("empty database URL")
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("sqlite:", "postgresql+psycopg:")):
        return url
    raise ConfigError("unsupported database URL; use sqlite:///PATH or postgresql+psycopg://...", url=url)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, with documented defaults."""

    db_url: str = field(default_factory=default_db_url)
    #: Seconds to wait for a catalogue page.
    harvest_timeout: float = 60.0
    #: Most seconds one answer of a catalogue may take in all, however steadily its bytes
    #: come (a server trickling a byte a second never trips ``harvest_timeout``).
    harvest_deadline: float = 600.0
    #: Rows asked of CKAN's package_search per page (at most 1000).
    ckan_rows: int = 1000
    #: Largest response body accepted from a catalogue, in bytes.
    max_response_bytes: int = 512 * 1024 * 1024
    #: Largest single record accepted, in bytes; bigger ones are capped with a warning.
    max_record_bytes: int = 8 * 1024 * 1024
    #: Most tags or keywords kept per dataset.
    max_keywords: int = 1000
    #: Most distributions kept per dataset.
    max_distributions: int = 1000
    #: Hosts the link checker may reach although the SSRF guard refuses them by
    #: default (names, ``*.suffix``, addresses or networks). ``GOVLENS_ALLOW_HOSTS``,
    #: comma-separated.
    allow_hosts: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, db: str | None = None, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = normalise_db_url(db or default_db_url(env))
        allow = tuple(h.strip() for h in env.get("GOVLENS_ALLOW_HOSTS", "").split(",") if h.strip())
        return cls(db_url=url, allow_hosts=allow)
