"""Writing encoded pages: one transaction for one page or for a batch of consecutive pages.

A batch commits its pages' records, run memberships, publishers, URLs and the
cursor of its last page together, so a harvest killed at any point resumes
after the last committed batch with no dataset lost and none duplicated. The
harvest pipeline gathers a few pages a transaction while more are coming and
writes more at once when the database falls behind (one commit dirties most of
the hash-keyed index pages, whatever the number of rows).

Rows are inserted sorted on the key of their index (``record_urls`` on its first
column, the record id, a record's few rows in the order they came), so each B-tree
is walked in order once per batch rather than jumped across at random. New records get
the highest ids, so their ``record_urls`` rows go at the end of that table's key. A record already
stored (unchanged since an earlier run) is not written again, nor are its URLs:
a weekly harvest of a mostly unchanged catalogue writes little more than its
run memberships.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import orjson
import sqlalchemy as sa

from govlens.errors import StoreError
from govlens.store import schema as t
from govlens.store._bulk import insert_rows
from govlens.store._sql import fast_select_in, upsert
from govlens.store.pages import EncodedPage
from govlens.store.rows import RunRow

PRESENT = "present"

#: (encoded page, cursor to resume after it, sequence number of its first dataset)
PageWrite = tuple[EncodedPage, object, int]


def write_pages(conn: sa.Connection, run: RunRow, batch: Sequence[PageWrite]) -> int:
    """Write consecutive pages of ``run`` in the transaction of ``conn``; the number of
    datasets newly added to the run (an identifier already in it is skipped: the first wins)."""
    if not batch:
        return 0
    members: dict[str, tuple[int, str, str, str | None, str, int, int, int]] = {}
    records: dict[str, tuple[str, str, bytes | None]] = {}
    urls: dict[str, str] = {}
    links: list[tuple[str, str, str, str]] = []  # a repeated one is skipped by the insert
    publishers: dict[str, tuple[str, str | None, str | None, str | None]] = {}
    rid = run.id
    for page, _cursor, first_seq in batch:
        for i, (ident, h, pkey, nd, nw) in enumerate(page.members):
            if ident and ident not in members:
                members[ident] = (rid, ident, h, pkey, PRESENT, nd, nw, first_seq + i)
        if records.keys().isdisjoint(page.records):
            links += page.links
        else:  # a record an earlier page of the batch holds too: its links are there already
            links += [link for link in page.links if link[0] not in records]
        for h, (ident, body) in page.records.items():
            records.setdefault(h, (h, ident, body))
        urls.update(page.urls)
        publishers.update(page.publishers)
    if batch[0][2] > 0 and members:  # the run already has datasets: skip those it holds
        existing = fast_select_in(
            conn, f"SELECT identifier FROM run_datasets WHERE run_id = {int(rid)} AND identifier IN ({{in}})",
            list(members))
        for (ident,) in existing:
            del members[ident]
    if records:  # a record already stored (unchanged since an earlier run) has its URLs stored too
        known = fast_select_in(conn, "SELECT hash FROM records WHERE hash IN ({in})", sorted(records))
        if known:
            for (h,) in known:
                del records[h]
            links = [link for link in links if link[0] in records]
            urls = {uh: urls[uh] for uh in {link[3] for link in links}}
    unstored = [h for h, (_, _, body) in records.items() if body is None]
    if unstored:  # taken for stored by the encoder (``known``), and not in the store
        raise StoreError("a record taken for one stored by an earlier run is not in the store",
                         run=run.id, cause=f"record {unstored[0]}")
    _insert_ignore(conn, t.records, ("hash", "identifier", "body"), sorted(records.values()))
    if urls:
        _insert_ignore(conn, t.urls, ("hash", "url"), sorted(urls.items()))
        ids = dict(fast_select_in(conn, "SELECT hash, id FROM urls WHERE hash IN ({in})", sorted(urls)))
        rids = dict(fast_select_in(conn, "SELECT hash, id FROM records WHERE hash IN ({in})",
                                   sorted({link[0] for link in links})))
        rows = [(rids[h], d, r, ids[uh]) for h, d, r, uh in links]
        rows.sort(key=itemgetter(0))
        _insert_ignore(conn, t.record_urls, ("record_id", "distribution", "role", "url_id"), rows)
    upsert(
        conn,
        t.publishers,
        [{"catalogue_id": run.catalogue_id, "key": k, "name": n, "uri": u, "email": e, "homepage": hp}
         for k, (n, u, e, hp) in sorted(publishers.items())],
        ("catalogue_id", "key"),
        ("name", "uri", "email", "homepage"),
    )
    _insert_ignore(
        conn, t.run_datasets,
        ("run_id", "identifier", "record_hash", "publisher_key", "state", "distributions", "warnings", "seq"),
        sorted(members.values()),
    )
    conn.execute(
        t.runs.update()
        .where(t.runs.c.id == run.id)
        .values(cursor=orjson.dumps(batch[-1][1]).decode(), pages=t.runs.c.pages + len(batch))
    )
    return len(members)


def _insert_ignore(conn: sa.Connection, table: sa.Table, columns: Sequence[str],
                   rows: Sequence[tuple[Any, ...]]) -> None:
    if rows:
        insert_rows(conn, table, rows, columns=columns, on_conflict="ignore")
