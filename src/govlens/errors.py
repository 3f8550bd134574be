"""The one exception tree of govlens.

Quality problems found in a catalogue are *values* (``model.Finding``,
``model.NormaliseWarning``); exceptions are reserved for failures: the work
asked for could not be done.

::

    GovlensError
    ├── ConfigError                 bad settings, bad command-line values
    ├── SourceError                 a catalogue could not be read
    │   ├── SourceUnavailable       (transient) timeouts, 5xx, 429, resets
    │   ├── SourceRejected          (terminal) 4xx other than 429, refused by policy
    │   ├── SourceFormatError       (terminal) malformed JSON, RDF or data.json
    │   └── UnknownSourceKind       (terminal) the kind could not be detected
    ├── StoreError                  the database could not be used
    │   ├── MigrationError          the schema could not be brought up to date
    │   └── NotFound                no such catalogue, run, dataset or publisher
    ├── ProbeError                  the link checker itself failed (not a broken link)
    ├── InspectError                a file could not be inspected at all
    ├── WorkerLost                  (transient) a worker process ended abruptly (killed, out of memory)
    └── GuardRefused                a safety guard refused a target (SSRF, size caps)
        └── InvalidTarget           the target is not a valid http(s) URL at all

Two marker mixins say whether trying again may help: :class:`Transient`
(retry with back-off) and :class:`Terminal` (do not retry). Retry policies
decide by type, never by message.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "GovlensError",
    "GuardRefused",
    "InspectError",
    "InvalidTarget",
    "MigrationError",
    "NotFound",
    "ProbeError",
    "SourceError",
    "SourceFormatError",
    "SourceRejected",
    "SourceUnavailable",
    "StoreError",
    "Terminal",
    "Transient",
    "UnknownSourceKind",
    "WorkerLost",
]


class Transient:
    """Marker: the same request may succeed later."""


class Terminal:
    """Marker: repeating the same request will fail the same way."""


class GovlensError(Exception):
    """Root of every error govlens raises on purpose."""

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = dict(context)

    def __str__(self) -> str:
        if not self.context:
            return self.message
        details = ", ".join(f"{k}={v}" for k, v in self.context.items() if v is not None)
        return f"{self.message} ({details})" if details else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Keep exceptions picklable across process pools and Dask workers.
        return (_rebuild, (type(self), self.message, self.context))

    def to_dict(self) -> dict[str, object]:
        return {"error": type(self).__name__, "message": self.message, **self.context}


def _rebuild(cls: type[GovlensError], message: str, context: dict[str, object]) -> GovlensError:
    return cls(message, **context)


class ConfigError(GovlensError, Terminal):
    """Settings or arguments are invalid."""


class SourceError(GovlensError):
    """A catalogue source could not be read. ``context`` names the source, page and cause."""


class SourceUnavailable(SourceError, Transient):
    """The source did not answer usefully now: timeout, 5xx, 429, reset connection."""


class SourceRejected(SourceError, Terminal):
    """The source refused the request (4xx other than 429)."""


class SourceFormatError(SourceError, Terminal):
    """The source answered with content that cannot be parsed."""


class UnknownSourceKind(SourceError, Terminal):
    """The kind of source (CKAN, DCAT, data.json) could not be detected."""


class StoreError(GovlensError):
    """The database could not be used."""


class MigrationError(StoreError, Terminal):
    """The database schema could not be migrated."""


class NotFound(StoreError, Terminal):
    """A named catalogue, run, dataset or publisher does not exist."""


class ProbeError(GovlensError):
    """The link checker could not run (a broken link is a finding, not this)."""


class InspectError(GovlensError, Terminal):
    """A file could not be inspected at all."""


class WorkerLost(GovlensError, Transient):
    """A worker process govlens started ended abruptly, killed by a signal or by the
    system when memory ran out. What was stored before stays; running again resumes."""


class GuardRefused(GovlensError, Terminal):
    """A safety guard refused a target: SSRF policy, size or time caps."""


class InvalidTarget(GuardRefused):
    """The target is not a valid http(s) URL (unparsable, no host, unsupported scheme)."""
