"""The database schema (SQLAlchemy Core). Migrations in ``migrations/`` build it.

Storage model
-------------
* ``catalogues``: one row per named catalogue (a harvested source).
* ``runs``: one row per harvest of a catalogue. A run is a snapshot of the
  catalogue at that time; ``cursor`` is the resume point, committed with each page.
* ``records``: normalised dataset records, content-addressed by ``hash`` and
  zlib-compressed. A record that has not changed between runs is stored once.
* ``run_datasets``: which record each dataset had in each run (a few dozen
  bytes per dataset per run), with ``state`` ``present`` or ``withdrawn``.
* ``publishers``: the institutions of a catalogue, latest known name.
* ``urls`` and ``record_urls``: every distinct distribution URL, and which
  record/distribution uses it. Link checks hang off ``urls``.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

catalogues = sa.Table(
    "catalogues",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("language", sa.String(20)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("catalogue_id", sa.Integer, sa.ForeignKey("catalogues.id"), nullable=False, index=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # running | complete | failed
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("cursor", sa.Text),  # JSON resume state, committed with each page
    sa.Column("pages", sa.Integer, nullable=False, server_default="0"),
    sa.Column("datasets", sa.Integer, nullable=False, server_default="0"),
    sa.Column("distributions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("publishers", sa.Integer, nullable=False, server_default="0"),
    sa.Column("warnings", sa.Integer, nullable=False, server_default="0"),
    sa.Column("withdrawn", sa.Integer, nullable=False, server_default="0"),
    sa.Column("errors", sa.Text),  # JSON list of StageError
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("identifier", sa.Text, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),  # zlib(JSON of model.Dataset)
)

run_datasets = sa.Table(
    "run_datasets",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("identifier", sa.Text, primary_key=True),
    sa.Column("record_hash", sa.String(64), sa.ForeignKey("records.hash"), nullable=False),
    sa.Column("publisher_key", sa.Text),
    sa.Column("state", sa.String(12), nullable=False),  # present | withdrawn
    sa.Column("distributions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("warnings", sa.Integer, nullable=False, server_default="0"),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Index("ix_run_datasets_run_publisher", "run_id", "publisher_key"),
    sa.Index("ix_run_datasets_record_hash", "record_hash"),
)

publishers = sa.Table(
    "publishers",
    metadata,
    sa.Column("catalogue_id", sa.Integer, sa.ForeignKey("catalogues.id"), primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("uri", sa.Text),
    sa.Column("email", sa.Text),
    sa.Column("homepage", sa.Text),
)

urls = sa.Table(
    "urls",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    sa.Column("url", sa.Text, nullable=False),
)

record_urls = sa.Table(
    "record_urls",
    metadata,
    sa.Column("record_hash", sa.String(64), sa.ForeignKey("records.hash"), primary_key=True),
    sa.Column("distribution", sa.Text, primary_key=True),
    sa.Column("role", sa.String(10), primary_key=True),  # access | download
    sa.Column("url_id", sa.Integer, sa.ForeignKey("urls.id"), primary_key=True),
    sa.Index("ix_record_urls_url_id", "url_id"),
)


# -- probe: link checks ------------------------------------------------------------------
# * ``probe_runs``: one link-checking pass over the URLs of a harvest run.
# * ``probe_queue``: the URLs a probe run still has to check, in a scrambled
#   order (``ord``) so that hosts interleave; emptied when the probe completes.
# * ``link_checks``: one row per URL per probe run: the URL's history. The
#   outcome is after the persistence rule; ``failures``/``failing_since`` carry
#   the URL's streak of consecutive failures into the next run.

probe_runs = sa.Table(
    "probe_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),  # running | complete | failed
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("urls", sa.Integer, nullable=False, server_default="0"),
    sa.Column("checked", sa.Integer, nullable=False, server_default="0"),
    sa.Column("ok", sa.Integer, nullable=False, server_default="0"),
    sa.Column("broken", sa.Integer, nullable=False, server_default="0"),
    sa.Column("failing", sa.Integer, nullable=False, server_default="0"),
    sa.Column("unknown", sa.Integer, nullable=False, server_default="0"),
    sa.Column("settings", sa.Text),  # JSON of the ProbeSettings used
)

probe_queue = sa.Table(
    "probe_queue",
    metadata,
    sa.Column("probe_run_id", sa.Integer, sa.ForeignKey("probe_runs.id"), primary_key=True),
    sa.Column("ord", sa.BigInteger, primary_key=True),
    sa.Column("url_id", sa.Integer, sa.ForeignKey("urls.id"), nullable=False),
    sa.Column("download", sa.Boolean, nullable=False),
)

link_checks = sa.Table(
    "link_checks",
    metadata,
    sa.Column("probe_run_id", sa.Integer, sa.ForeignKey("probe_runs.id"), primary_key=True),
    sa.Column("url_id", sa.Integer, sa.ForeignKey("urls.id"), primary_key=True),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("outcome", sa.String(10), nullable=False),  # ok | broken | failing | unknown
    sa.Column("verdict", sa.String(10), nullable=False),  # ok | broken | failure | unknown
    sa.Column("status", sa.Integer),
    sa.Column("final_url", sa.Text),
    sa.Column("redirects", sa.Integer, nullable=False, server_default="0"),
    sa.Column("method", sa.String(8)),
    sa.Column("content_type", sa.Text),
    sa.Column("content_length", sa.BigInteger),
    sa.Column("last_modified", sa.Text),
    sa.Column("etag", sa.Text),
    sa.Column("elapsed_ms", sa.Integer),
    sa.Column("error_class", sa.String(40)),
    sa.Column("reason", sa.Text),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("failing_since", sa.DateTime(timezone=True)),
    sa.Column("streak_error", sa.String(40)),  # error class of the streak's latest failure
    sa.Index("ix_link_checks_url_probe", "url_id", "probe_run_id"),
)
