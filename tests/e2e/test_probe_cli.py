"""``govlens probe`` and ``govlens links`` end to end, including an interrupted probe resumed."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner

from govlens import __version__
from govlens.cli import main
from govlens.model import Catalogue, Dataset, Distribution, Publisher
from govlens.store import Store
from linkserver import LinkServer
from probe_fixtures import Tripwire, server, tripwire  # noqa: F401 - fixtures

FIELDS = ["url", "outcome", "status", "final_url", "content_type", "content_length", "checked_at", "reason"]


def harvest(db: str, urls: list[str], name: str = "mx") -> None:
    with Store.open(db) as store:
        cat = store.ensure_catalogue(Catalogue(name=name, source="test", kind="ckan"))
        opened = store.open_run(cat, "test", "ckan")
        ds = [Dataset(identifier=f"d{i}", publisher=Publisher(key="shcp", name="SHCP"),
                      distributions=(Distribution(id=f"d{i}-0", download_urls=(u,)),))
              for i, u in enumerate(urls)]
        store.save_page(opened.run, ds, {"page": 1}, 0)
        store.finish_run(opened.run)


def test_probe_then_links(tmp_path: Path, server: LinkServer) -> None:  # noqa: F811
    db = f"sqlite:///{tmp_path / 'g.sqlite'}"
    urls = [server.url("/ok.csv"), server.url("/status/404"), server.url("/redirect/2"),
            "ftp://ftp.example.org/x.csv", server.url("/soft404.csv")]
    harvest(db, urls)
    runner = CliRunner()
    res = runner.invoke(main, ["probe", "--db", db, "--allow-host", "127.0.0.1", "--json", "--timeout", "5"])
    assert res.exit_code == 0, res.output
    [info] = json.loads(res.output)["probes"]
    assert (info["catalogue"], info["urls"], info["checked"], info["ok"], info["broken"], info["unknown"]) == (
        "mx", 5, 5, 2, 2, 1)
    assert info["refused"] == 1

    res = runner.invoke(main, ["links", "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = {r["url"]: r for r in map(json.loads, res.output.splitlines())}
    assert set(recs) == set(urls)
    assert all(list(r) == FIELDS for r in recs.values())
    assert recs[urls[0]]["status"] == 200 and recs[urls[0]]["content_type"] == "text/csv"
    assert recs[urls[0]]["content_length"] == 8 and recs[urls[0]]["checked_at"]
    assert recs[urls[2]]["final_url"] == server.url("/ok.csv")
    ftp = recs["ftp://ftp.example.org/x.csv"]
    assert (ftp["outcome"], ftp["status"]) == ("unknown", None) and "refused" in ftp["reason"]
    assert recs[urls[4]]["outcome"] == "broken" and "soft 404" in recs[urls[4]]["reason"]

    # The User-Agent names govlens and a contact URL.
    assert {a for a in server.agents if a.startswith("govlens/")} == {
        f"govlens/{__version__} (+https://github.com/govlens/govlens; open-data observatory)"}

    res = runner.invoke(main, ["links", "--db", db, "--format", "csv", "--catalogue", "mx"])
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert res.exit_code == 0 and list(rows[0]) == FIELDS and len(rows) == 5

    res = runner.invoke(main, ["probe", "--db", db, "--allow-host", "127.0.0.1"])
    assert res.exit_code == 0 and "already probed" in res.output


def test_loopback_is_refused_unless_allowed(tmp_path: Path, server: LinkServer, tripwire: Tripwire) -> None:  # noqa: F811
    db = f"sqlite:///{tmp_path / 'g.sqlite'}"
    harvest(db, [server.url("/ok.csv"), server.url("/status/404")])
    before = sum(server.hits.values())
    res = CliRunner().invoke(main, ["probe", "--db", db, "--json"], env={"GOVLENS_ALLOW_HOSTS": ""})
    [info] = json.loads(res.output)["probes"]
    assert (info["unknown"], info["refused"], info["requests"]) == (2, 2, 0)
    assert sum(server.hits.values()) == before and tripwire.attempts == []
    res = CliRunner().invoke(main, ["links", "--db", db, "--format", "jsonl"])
    for rec in map(json.loads, res.output.splitlines()):
        assert list(rec) == FIELDS
        assert (rec["outcome"], rec["status"], rec["final_url"]) == ("unknown", None, None)
        assert rec["reason"] == "refused by the SSRF guard: 127.0.0.1, a loopback address", rec
    res = CliRunner().invoke(main, ["probe", "--db", db, "--json", "--again"],
                             env={"GOVLENS_ALLOW_HOSTS": "10.0.0.0/8, 127.0.0.1"})
    [info] = json.loads(res.output)["probes"]
    assert (info["ok"], info["broken"], info["refused"]) == (1, 1, 0)


def test_errors_are_clear(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.sqlite'}"
    res = CliRunner().invoke(main, ["probe", "--db", db, "--catalogue", "nope"])
    assert res.exit_code == 2 and "govlens: error: no such catalogue" in res.output
    res = CliRunner().invoke(main, ["probe", "--db", db, "--allow-host", "a/b/c"])
    assert res.exit_code == 2 and "govlens: error:" in res.output


def test_interrupted_probe_resumes(tmp_path: Path, server: LinkServer) -> None:  # noqa: F811
    db = f"sqlite:///{tmp_path / 'g.sqlite'}"
    paths = [f"/slowf/{i}.csv" for i in range(200)]
    harvest(db, [server.url(p) for p in paths])
    cmd = [sys.executable, "-c", "from govlens.cli import main; main()", "probe", "--db", db,
           "--allow-host", "127.0.0.1", "--concurrency", "2", "--per-host", "2", "--min-interval", "0", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "GOVLENS_ALLOW_HOSTS": ""})
    deadline = time.monotonic() + 60
    while sum(server.requests_to(p) for p in paths) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "run `govlens probe` again to resume" in err

    engine = sa.create_engine(db)
    with engine.connect() as conn:
        done = conn.execute(sa.text("select u.url from link_checks c join urls u on u.id = c.url_id")).scalars().all()
        status = conn.execute(sa.text("select status from probe_runs")).scalar_one()
    engine.dispose()
    assert status == "failed" and 30 <= len(done) < 200

    res = CliRunner().invoke(main, ["probe", "--db", db, "--allow-host", "127.0.0.1", "--min-interval", "0",
                                    "--json"])
    [info] = json.loads(res.output)["probes"]
    assert info["resumed"] and (info["checked"], info["ok"], info["status"]) == (200, 200, "complete")
    for url in done:
        assert server.requests_to(url[url.index("/slowf/"):]) == 1, url
    assert all(server.requests_to(p) >= 1 for p in paths)


def test_assess_and_scores_follow_the_probe(tmp_path: Path, server: LinkServer) -> None:  # noqa: F811
    """MQA accessibility points come from the latest link states: none before a probe,
    then what the probe found, then what a later probe found."""
    db = f"sqlite:///{tmp_path / 'g.sqlite'}"
    server.states["mqa-download"] = 404
    with Store.open(db) as store:
        cat = store.ensure_catalogue(Catalogue(name="mx", source="test", kind="ckan"))
        opened = store.open_run(cat, "test", "ckan")
        ds = [Dataset(identifier="good", publisher=Publisher(key="shcp", name="SHCP"),
                      distributions=(Distribution(id="good-0", access_urls=(server.url("/f/mqa-page.csv"),),
                                                  download_urls=(server.url("/f/mqa-good.csv"),)),)),
              Dataset(identifier="bad", publisher=Publisher(key="shcp", name="SHCP"),
                      distributions=(Distribution(id="bad-0", access_urls=(server.url("/f/mqa-page.csv"),),
                                                  download_urls=(server.url("/state/mqa-download"),)),))]
        store.save_page(opened.run, ds, {"page": 1}, 0)
        store.finish_run(opened.run)
    runner = CliRunner()

    def accessibility() -> dict[str, int]:
        res = runner.invoke(main, ["assess", "--db", db, "--executor", "serial", "--json"])
        assert res.exit_code == 0, res.output
        res = runner.invoke(main, ["scores", "--db", db, "--format", "jsonl"])
        assert res.exit_code == 0, res.output
        return {r["dataset"]: r["accessibility"] for r in map(json.loads, res.output.splitlines())}

    def probe(*extra: str) -> None:
        res = runner.invoke(main, ["probe", "--db", db, "--allow-host", "127.0.0.1", "--min-interval", "0",
                                   "--json", *extra])
        assert res.exit_code == 0, res.output

    # Not checked yet: only the point for declaring a download URL.
    assert accessibility() == {"good": 20, "bad": 20}
    probe()
    # Access URL 2xx (50) + download URL declared (20) + download URL 2xx (30); the 404 earns nothing.
    assert accessibility() == {"good": 100, "bad": 70}
    server.states["mqa-download"] = 200
    probe("--again")
    assert accessibility() == {"good": 100, "bad": 100}


def test_progress_bar_on_a_terminal(tmp_path: Path, server: LinkServer) -> None:  # noqa: F811
    import pty
    import re

    db = f"sqlite:///{tmp_path / 'g.sqlite'}"
    harvest(db, [server.url(f"/f/bar-{i}.csv") for i in range(3)])
    cmd = [sys.executable, "-c", "from govlens.cli import main; main()", "probe", "--db", db,
           "--allow-host", "127.0.0.1", "--min-interval", "0"]
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:  # read the terminal while the probe runs, so it never blocks on a full pty
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal is closed once the process is gone
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, text=True,
                            env={**os.environ, "COLUMNS": "100", "TERM": "xterm", "PYTHONIOENCODING": "utf-8"})
    os.close(slave)
    out, _ = proc.communicate(timeout=60)
    reader.join(10)
    os.close(master)
    assert proc.returncode == 0
    terminal = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", b"".join(chunks).decode("utf-8", "replace"))
    assert "mx (run 1)" in terminal and "3/3" in terminal, terminal
    assert "━" in terminal  # the bar itself
    assert out.startswith("mx: run 1, 3/3 URLs checked: ok 3") and "━" not in out


def test_publisher_scorecards_show_link_health(tmp_path: Path, server: LinkServer) -> None:  # noqa: F811
    db = f"sqlite:///{tmp_path / 'g.sqlite'}"
    server.states["card-rot"] = 200
    urls = [server.url("/f/card-1.csv"), server.url("/f/card-2.csv"), server.url("/state/card-rot"),
            server.url("/status/404"), server.url("/status/429")]
    runner = CliRunner()

    def cycle() -> dict[str, Any]:
        harvest(db, urls)
        for args in (["probe", "--allow-host", "127.0.0.1", "--min-interval", "0"],
                     ["assess", "--executor", "serial"]):
            res = runner.invoke(main, [*args, "--db", db])
            assert res.exit_code == 0, res.output
        res = runner.invoke(main, ["publishers", "--db", db, "--format", "jsonl"])
        assert res.exit_code == 0, res.output
        [card] = map(json.loads, res.output.splitlines())
        assert isinstance(card, dict)
        return card

    card = cycle()
    fields = ("link_urls", "links_checked", "links_ok_share", "links_broken_share", "links_failing_share",
              "links_unknown_share", "links_broken", "links_newly_broken")
    assert card["publisher_key"] == "shcp"
    assert {k: card[k] for k in fields} == {
        "link_urls": 5, "links_checked": 5, "links_ok_share": 0.6, "links_broken_share": 0.2,
        "links_failing_share": 0.0, "links_unknown_share": 0.2, "links_broken": 1, "links_newly_broken": 1}
    server.states["card-rot"] = 410  # one more link breaks by the next harvest
    card = cycle()
    assert (card["links_ok_share"], card["links_broken"], card["links_newly_broken"]) == (0.4, 2, 1)
    res = runner.invoke(main, ["publishers", "--db", db, "--format", "csv"])
    [row] = csv.DictReader(io.StringIO(res.output))
    assert (row["links_broken"], row["links_newly_broken"]) == ("2", "1")
