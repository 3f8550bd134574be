"""The database schema (SQLAlchemy Core). Migrations in ``migrations/`` build it.

Storage model
-------------
* ``catalogues``: one row per named catalogue (a harvested source).
* ``runs``: one row per harvest of a catalogue. A run is a snapshot of the
  catalogue at that time; ``cursor`` is the resume point, committed with each page.
* ``records``: normalised dataset records, content-addressed by ``hash`` and
  compressed (zstd; zlib in early files). A record that has not changed between runs is stored once.
  Each also has an integer ``id``, in the order records were stored, which ``record_urls`` uses.
* ``run_datasets``: which record each dataset had in each run (a few dozen
  bytes per dataset per run), with ``state`` ``present`` or ``withdrawn``.
* ``publishers``: the institutions of a catalogue, latest known name.
* ``urls`` and ``record_urls``: every distinct distribution URL, and which
  record/distribution uses it. Link checks hang off ``urls``. ``record_urls`` is keyed by
  the record's ``id`` rather than its hash: a harvest's new records have the highest ids,
  so their rows go at the end of the key's B-tree instead of all over it.

The maturity tables live in :mod:`govlens.store.schema_maturity` and are
re-exported here, so ``schema.<table>`` names every table.
"""

from __future__ import annotations

import sqlalchemy as sa

from govlens.store._metadata import metadata
from govlens.store.schema_maturity import (
    mat_accounts,
    mat_action_checks,
    mat_actions,
    mat_answer_log,
    mat_answers,
    mat_institution_publishers,
    mat_institutions,
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
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    sa.Column("identifier", sa.Text, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),  # zstd(JSON of model.Dataset); zlib in early files
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
    sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("distribution", sa.Text, primary_key=True),
    sa.Column("role", sa.String(10), primary_key=True),  # access | download
    sa.Column("url_id", sa.Integer, sa.ForeignKey("urls.id"), primary_key=True),
    sa.Index("ix_record_urls_url_id", "url_id"),
)

# ---------------------------------------------------------------------------
# Dashboard summaries (serve). Per-run aggregates, written once for a complete
# run (complete runs never change), so the dashboard's overview and institution
# pages read a few hundred rows instead of grouping a million.
# ---------------------------------------------------------------------------

run_publisher_stats = sa.Table(
    "run_publisher_stats",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("publisher_key", sa.Text, primary_key=True),  # "" when a dataset names no publisher
    sa.Column("datasets", sa.Integer, nullable=False),
    sa.Column("distributions", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Index("ix_run_publisher_stats_publisher_key", "publisher_key"),
)

#: Titles of a complete run's datasets, case-folded, for search (built once per run).
run_dataset_titles = sa.Table(
    "run_dataset_titles",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("identifier", sa.Text, primary_key=True),
    sa.Column("folded", sa.Text, nullable=False),  # casefolded title and identifier
)

#: A run's datasets in harvest order (listings, exports), without sorting them per request.
sa.Index("ix_run_datasets_run_seq", run_datasets.c.run_id, run_datasets.c.seq)

#: An institution's datasets in harvest order, without sorting them per request (and any
#: lookup by run and publisher: it replaces the former ``ix_run_datasets_run_publisher``).
sa.Index("ix_run_datasets_run_publisher_seq", run_datasets.c.run_id, run_datasets.c.publisher_key,
         run_datasets.c.seq)


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


# -- inspect: tabular file inspections ---------------------------------------------------
# One row per URL inspected in a run (a URL shared by several distributions is
# downloaded once). ``report`` is the zlib-compressed JSON report with its error
# list capped; ``error_counts`` counts every error found, by type.

table_inspections = sa.Table(
    "table_inspections",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("url_id", sa.Integer, sa.ForeignKey("urls.id"), primary_key=True),
    sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("declared_format", sa.String(100)),
    sa.Column("served_format", sa.String(40)),
    sa.Column("format_match", sa.Boolean),
    sa.Column("valid", sa.Boolean),  # null: the file could not be inspected at all
    sa.Column("encoding", sa.String(40)),
    sa.Column("rows", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("bytes", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("errors", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("complete", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("coverage", sa.Float),
    sa.Column("error_counts", sa.Text),  # JSON {type: count}
    sa.Column("failure", sa.Text),  # why there is no report
    sa.Column("report", sa.LargeBinary),
)

# -- assess: quality measurements (W3C DQV shape) and dataset scores per run ------------------
#
# * ``assessments``: one row per assessed run: when, with which MQA weights (JSON),
#   how many datasets, the mean score.
# * ``measurements``: one row per (dataset, subject, metric): ``seq`` 0 is the dataset
#   itself, ``i + 1`` its i-th distribution (order matters for MQA ties); ``value``
#   is JSON (true/false, a status code, a number, a text; null = not measured).
#   Scores are recomputed from these rows when weights change.
# * ``dataset_scores``: the scores of each dataset (MQA total, dimensions, rating,
#   udata, stars, DCAT-AP compliance, POD validity) and its compact MQA facts
#   (JSON) for aggregation.

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rescored_at", sa.DateTime(timezone=True)),
    sa.Column("weights", sa.Text, nullable=False),
    sa.Column("datasets", sa.Integer, nullable=False, server_default="0"),
    sa.Column("distributions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("mqa_mean", sa.Float),
    sa.Column("links_checked", sa.Integer, nullable=False, server_default="0"),
    sa.Column("seconds", sa.Float, nullable=False, server_default="0"),
    # The whole run's quality roll-up (the merge of its ``quality_stats`` rows), JSON; null until
    # written (an assessment by an older govlens: ``quality_stats.ensure`` writes it on first read).
    sa.Column("counts", sa.Text),
    sa.Column("fixes", sa.Text),
)

measurements = sa.Table(
    "measurements",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("dataset", sa.Text, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("metric", sa.String(64), primary_key=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("value", sa.Text),
    sa.Column("points", sa.Float, nullable=False, server_default="0"),
)

dataset_scores = sa.Table(
    "dataset_scores",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("dataset", sa.Text, primary_key=True),
    sa.Column("publisher_key", sa.Text),
    sa.Column("mqa", sa.Integer, nullable=False),
    sa.Column("findability", sa.Integer, nullable=False),
    sa.Column("accessibility", sa.Integer, nullable=False),
    sa.Column("interoperability", sa.Integer, nullable=False),
    sa.Column("reusability", sa.Integer, nullable=False),
    sa.Column("contextuality", sa.Integer, nullable=False),
    sa.Column("rating", sa.String(12), nullable=False),
    sa.Column("best_distribution", sa.Integer),
    sa.Column("dcat_ap_compliant", sa.Boolean),
    sa.Column("shapes", sa.String(40)),
    sa.Column("validated", sa.String(12)),
    sa.Column("udata", sa.Float, nullable=False),
    sa.Column("stars", sa.Integer, nullable=False),
    sa.Column("pod_valid", sa.Boolean),
    sa.Column("distributions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("facts", sa.Text, nullable=False),
    sa.Index("ix_dataset_scores_run_publisher", "run_id", "publisher_key"),
)

# -- quality roll-ups: per run and publisher, written with each assessment (and rescoring) --
# ``counts`` is the publisher's mergeable quality tally (bands, score bins, dimension sums,
# "yes"/"no" per metric, stars, udata; ``aggregate.quality.Tally.state``) and ``fixes`` what
# each fix would gain (``advise.fixes.FixTally.state``, with a sample of dataset identifiers),
# both JSON. A catalogue's figures are the merge of its publishers' rows, so the dashboard
# reads a few hundred small rows instead of a million dataset scores.

quality_stats = sa.Table(
    "quality_stats",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("publisher_key", sa.Text, primary_key=True),  # "" when a dataset names no publisher
    sa.Column("datasets", sa.Integer, nullable=False),
    sa.Column("distributions", sa.Integer, nullable=False),
    sa.Column("mqa_sum", sa.BigInteger, nullable=False),
    sa.Column("udata_sum", sa.Float, nullable=False),
    sa.Column("counts", sa.Text, nullable=False),
    sa.Column("fixes", sa.Text, nullable=False),
)

#: Every table, with the maturity tables re-exported from schema_maturity, and the metadata
#: (for the migrations).
__all__ = [
    "assessments",
    "catalogues",
    "dataset_scores",
    "link_checks",
    "mat_accounts",
    "mat_action_checks",
    "mat_actions",
    "mat_answer_log",
    "mat_answers",
    "mat_institution_publishers",
    "mat_institutions",
    "measurements",
    "metadata",
    "probe_queue",
    "probe_runs",
    "publishers",
    "quality_stats",
    "record_urls",
    "records",
    "run_dataset_titles",
    "run_datasets",
    "run_publisher_stats",
    "runs",
    "table_inspections",
    "urls",
]
