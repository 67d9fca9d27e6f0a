"""End to end: real ``titlecrawl crawl`` / ``scrapy crawl`` processes against the sample wiki on 127.0.0.1."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from crawler.localserver import LocalWikiServer, WikiRequestHandler
from extractors import extract_title
from titlecrawl import __version__

from .conftest import REPO, crawl_env, explain, jsonl, manifest, run_crawl, site_pages, start_crawl

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

DELETED = "/lost-signal/4000-1999/"
DISALLOWED = "/drafts/"
REDIRECT = "/old-memories/"
INFRA = {"/robots.txt", "/sitemap.xml"}


def test_full_crawl_accounts_for_every_url(wiki: LocalWikiServer, site_copy: Path, tmp_path: Path) -> None:
    # an off-site link (another host name for the same server): never fetched, never counted
    home = site_copy / "index.html"
    offsite = f"http://localhost:{wiki.port}/memories/4000-1001/"
    home.write_text(home.read_text().replace("</body>", f'<a href="{offsite}">mirror</a></body>'))
    pages = site_pages(site_copy)
    titles = {p for p, kind in pages.items() if kind == "title"}
    out = tmp_path / "out"

    proc = run_crawl(wiki.url, out, "--contact", "mailto:crawl-ops@example.org")
    assert proc.returncode == 0, explain(proc)
    m = manifest(out)
    expected_failures = {wiki.url.rstrip("/") + DELETED: "HTTP 404 Not Found",
                         wiki.url.rstrip("/") + DISALLOWED: "robots.txt disallows"}
    assert m["complete"]
    assert m["finish_reason"] == "finished"
    assert m["exit_status"] == 0
    assert m["profile"] == "whiskey"
    assert m["outcomes"] == {"record": len(titles), "unchanged": 0, "not_title": len(pages) - len(titles),
                             "failure": len(expected_failures)}
    assert m["seen"] == sum(m["outcomes"].values()) == len(pages) + len(expected_failures)
    assert (m["pending"], m["redirects"]) == (0, 1)

    # the server saw each page once, robots.txt once, the redirect once, the deleted page once, no drafts
    served = wiki.stats
    for path in pages:
        assert [e.status for e in served.entries(path)] == [200], path
    assert [e.status for e in served.entries(REDIRECT)] == [301]
    assert [e.status for e in served.entries(DELETED)] == [404]
    assert served.paths["/robots.txt"] == 1
    assert not any(e.path.startswith(DISALLOWED) for e in served.entries())
    assert {e.host for e in served.entries()} == {f"127.0.0.1:{wiki.port}"}
    assert {e.user_agent for e in served.entries()} == {f"titlecrawl/{__version__} (+mailto:crawl-ops@example.org)"}

    failures = {f["url"]: f for f in jsonl(out / "failures.jsonl")}
    assert {u: f["reason"] for u, f in failures.items()} == expected_failures
    assert failures[wiki.url.rstrip("/") + DELETED]["status"] == 404
    assert all(f["run_id"] == m["run_id"] and f["fetched_at"] for f in failures.values())

    records = jsonl(out / "records.jsonl")
    assert sorted(r["url"].removeprefix(wiki.url.rstrip("/")) for r in records) == sorted(titles)
    assert len({r["record_id"] for r in records}) == len(records)
    assert all(r["status"] in ("ok", "partial") for r in records)
    assert not any("/4040-" in r["url"] or "/4005-" in r["url"] for r in records)  # people, characters
    # the crawl hands the extractor exactly the bytes served: its records equal offline extraction
    for record in records:
        path = record["url"].removeprefix(wiki.url.rstrip("/"))
        fetched_at = datetime.fromisoformat(record["fetched_at"])
        offline = extract_title((site_copy / path.strip("/") / "index.html").read_bytes(), record["url"],
                                fetched_at=fetched_at).to_dict()
        assert record == json.loads(json.dumps(offline)), path
    memories = next(r for r in records if r["record_id"].endswith(":4000-1001"))
    assert memories["title"] == "Memories"
    assert len(memories["credits"]) == 11

    assert (out / "manifests" / f"{m['run_id']}.json").is_file()
    assert not list((out / "runs").glob("*.json"))  # runs/ is the dataset's table: Parquet files only
    assert m["settings"]["ROBOTSTXT_OBEY"] is True
    assert m["settings"]["AUTOTHROTTLE_ENABLED"] is True
    assert m["requests"] >= m["seen"]
    assert m["pages_per_minute"] > 0
    assert f"{m['seen']} URLs" in proc.stdout
    assert "exit status 0" in proc.stdout


def test_scrapy_crawl_with_a_feed(wiki: LocalWikiServer, site_copy: Path, tmp_path: Path) -> None:
    feed = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "wiki", "-a", f"start={wiki.url}", "-O", str(feed),
           "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0", "-s", "LOGSTATS_INTERVAL=0"]
    before = set(REPO.iterdir())
    proc = subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, explain(proc)
    records = jsonl(feed)
    titles = {p for p, kind in site_pages(site_copy).items() if kind == "title"}
    assert sorted(r["url"].removeprefix(wiki.url.rstrip("/")) for r in records) == sorted(titles)
    assert set(REPO.iterdir()) == before  # without TITLECRAWL_OUTDIR nothing is written besides the feed


def test_incremental_recrawl_fetches_only_changed_pages(wiki: LocalWikiServer, site_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_crawl(wiki.url, out)
    assert proc.returncode == 0, explain(proc)
    first = manifest(out)
    pages = site_pages(site_copy)

    changed = {"/memories/4000-1001/", "/lantern-harbor/4075-90260/"}
    for path in changed:
        page = site_copy / path.strip("/") / "index.html"
        page.write_text(page.read_text().replace('class="wiki-descriptor">', 'class="wiki-descriptor">Edited: ', 1))
        later = time.time() + 5
        os.utime(page, (later, later))
    wiki.stats.reset()

    proc = run_crawl(wiki.url, out)
    assert proc.returncode == 0, explain(proc)
    second = manifest(out)
    assert second["run_id"] != first["run_id"]
    assert second["outcomes"] == {"record": 2, "unchanged": len(pages) - 2, "not_title": 0, "failure": 2}
    assert second["changes"] == {"changed": 2}
    records = jsonl(out / "records.jsonl")
    assert len(records) == first["outcomes"]["record"] + 2
    new_versions = records[-2:]
    assert {r["url"].removeprefix(wiki.url.rstrip("/")) for r in new_versions} == changed
    assert all(r["deck"].startswith("Edited: ") for r in new_versions)

    # no body bytes for the unchanged pages: each answered 304 to a conditional request
    for path in pages:
        entries = wiki.stats.entries(path)
        assert entries, path
        if path in changed:
            assert 200 in {e.status for e in entries}, path
        else:
            assert {(e.status, e.body_bytes, e.conditional) for e in entries} == {(304, 0, True)}, path
    bodies = {e.path for e in wiki.stats.entries() if e.body_bytes}
    assert bodies <= changed | INFRA | {DELETED, REDIRECT}
    assert wiki.stats.not_modified == len(pages) - 2

    # a third run into the same folder changes nothing: an idempotent rerun; the threshold decides the status
    proc = run_crawl(wiki.url, out, "--fail-threshold", "0.01")
    assert proc.returncode == 1, explain(proc)
    third = manifest(out)
    assert third["outcomes"]["record"] == 0
    assert (third["exit_status"], third["fail_threshold"]) == (1, 0.01)
    assert third["failure_share"] == pytest.approx(2 / third["seen"], abs=1e-4)
    assert len(jsonl(out / "records.jsonl")) == len(records)
    assert len(list((out / "manifests").glob("*.json"))) == 3


def test_killed_crawl_resumes_without_losing_or_duplicating(site_copy: Path, tmp_path: Path) -> None:
    pages = site_pages(site_copy)
    titles = {p for p, kind in pages.items() if kind == "title"}
    out, job = tmp_path / "out", tmp_path / "job"
    with LocalWikiServer(site_copy, delay=0.15).start() as wiki:
        args = ("--job-dir", str(job), "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        proc = start_crawl(wiki.url, out, *args)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(jsonl(out / "records.jsonl")) < 3:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        output = proc.communicate(timeout=30)[0]
        assert proc.returncode == -signal.SIGKILL
        assert not (out / "manifest.json").exists(), "the kill landed after the crawl ended:\n" + output
        before_restart = len(jsonl(out / "records.jsonl"))
        assert 3 <= before_restart < len(titles)

        wiki.delay = 0
        resumed = run_crawl(wiki.url, out, *args)
        assert resumed.returncode == 0, explain(resumed)
    m = manifest(out)
    assert m["resumed"] is True
    assert m["complete"]
    assert m["outcomes"]["record"] == len(titles)
    assert m["seen"] == len(pages) + 2
    records = jsonl(out / "records.jsonl")
    ids = Counter(r["record_id"] for r in records)
    assert len(records) == len(titles) == len(ids)  # none missing, none twice
    assert max(ids.values()) == 1
    # the Parquet dataset holds each record once too (the resumed run re-exports what the killed one had)
    table = pd.read_parquet(out / "titles", columns=["record_id"])
    assert sorted(table["record_id"]) == sorted(ids)


class FlakyHandler(WikiRequestHandler):
    """429 with Retry-After: 1 once for Memories; 503 asking for an hour; a page that always fails;
    a page over the size limit; a page slower than the download timeout."""

    def intercept(self) -> bool:
        if self.url_path == "/night-ferry/4000-1012/":
            self.send_body(200, b"<html><body>" + b"x" * 300_000 + b"</body></html>", "text/html")
            return True
        if self.url_path == "/paper-kite-circuit/4075-90250/":
            time.sleep(1.5)
            with contextlib.suppress(OSError):  # the crawler gave up and closed the connection
                self.send_body(200, b"<html><body>too late</body></html>", "text/html")
            return True
        counts = self.server.stats.paths  # this request is not counted yet
        if self.url_path == "/memories/4000-1001/" and counts[self.url_path] == 0:
            self.send_body(429, b"slow down", "text/plain", {"Retry-After": "1"})
            return True
        if self.url_path == "/hollow-bell/4000-1005/":
            self.send_body(503, b"maintenance", "text/plain", {"Retry-After": "3600"})
            return True
        if self.url_path == "/lantern-harbor/4075-90260/":
            self.send_body(500, b"oops", "text/plain")
            return True
        return False


def test_retries_honour_retry_after_and_are_bounded(site_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with LocalWikiServer(site_copy, handler_class=FlakyHandler).start() as wiki:
        proc = run_crawl(wiki.url, out, "-s", "RETRY_TIMES=2", "-s", "TITLECRAWL_BACKOFF_BASE=0.05",
                         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "DOWNLOAD_MAXSIZE=200000",
                         "-s", "DOWNLOAD_TIMEOUT=1", "--fail-threshold", "1")
        assert proc.returncode == 0, explain(proc)
        memories = wiki.stats.entries("/memories/4000-1001/")
        hollow = wiki.stats.entries("/hollow-bell/4000-1005/")
        lantern = wiki.stats.entries("/lantern-harbor/4075-90260/")
        window = [e for e in wiki.stats.entries() if memories[0].at + 0.05 < e.at < memories[0].at + 0.95]
    assert [e.status for e in memories] == [429, 200]
    assert memories[1].at - memories[0].at >= 0.95  # waited as long as Retry-After asked
    assert len(window) <= 2  # the host was paused meanwhile (at most the requests already in flight)
    assert [e.status for e in hollow] == [503]  # an hour is over the limit: no retry, a failure
    assert [e.status for e in lantern] == [500, 500, 500]  # 1 + RETRY_TIMES, then a failure

    m = manifest(out)
    failures = {f["url"].removeprefix(wiki.url.rstrip("/")): f for f in jsonl(out / "failures.jsonl")}
    assert failures["/hollow-bell/4000-1005/"]["status"] == 503
    assert "3600 s" in failures["/hollow-bell/4000-1005/"]["reason"]
    assert failures["/lantern-harbor/4075-90260/"]["reason"] == "HTTP 500 Internal Server Error after 2 retries"
    assert failures["/night-ferry/4000-1012/"]["reason"] == "response larger than the download size limit"
    assert failures["/paper-kite-circuit/4075-90250/"]["reason"] == "timed out after 1 s after 2 retries"
    assert any(r["url"].endswith("/memories/4000-1001/") for r in jsonl(out / "records.jsonl"))
    assert m["retries"] >= 3
    assert m["seen"] == sum(m["outcomes"].values())


def test_exit_statuses_for_bad_arguments(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "titlecrawl.cli", "crawl", "ftp://example.org/", "-o", str(tmp_path / "o")]
    proc = subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "not an http(s) URL" in proc.stderr

    out = tmp_path / "busy"
    out.mkdir()
    with (out / ".titlecrawl.lock").open("w") as held:  # another crawl is writing this folder
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = run_crawl("http://127.0.0.1:9/", out)
    assert proc.returncode == 2, explain(proc)
    assert "another crawl is writing to" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (out / "manifest.json").exists()


def test_fetched_at_is_utc(wiki: LocalWikiServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_crawl(wiki.url, out, "--max-pages", "5")
    assert proc.returncode == 0, explain(proc)
    m = manifest(out)
    assert m["seen"] == 5
    assert m["skipped_max_pages"] > 0
    for record in jsonl(out / "records.jsonl"):
        when = datetime.fromisoformat(record["fetched_at"])
        assert when.tzinfo is not None
        assert abs((datetime.now(UTC) - when).total_seconds()) < 300


def test_sigterm_stops_gracefully_with_status_3_and_resumes(site_copy: Path, tmp_path: Path) -> None:
    out, job = tmp_path / "out", tmp_path / "job"
    with LocalWikiServer(site_copy, delay=0.1).start() as wiki:
        args = ("--job-dir", str(job), "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        proc = start_crawl(wiki.url, out, *args)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(jsonl(out / "records.jsonl")) < 2:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=60)[0]
        assert proc.returncode == 3, output
        stopped = manifest(out)
        assert (stopped["finish_reason"], stopped["complete"], stopped["exit_status"]) == ("shutdown", False, 3)
        assert stopped["pending"] > 0
        assert "still pending" in output
        # stopping fails no URL: the only failures are the path robots.txt disallows and the deleted page (404)
        stopped_failures = {f["url"].removeprefix(wiki.url.rstrip("/")) for f in jsonl(out / "failures.jsonl")}
        assert stopped_failures <= {DISALLOWED, DELETED}, stopped_failures

        wiki.delay = 0
        resumed = run_crawl(wiki.url, out, *args)
        assert resumed.returncode == 0, explain(resumed)
    m = manifest(out)
    assert (m["run_id"], m["resumed"], m["complete"], m["pending"]) == (stopped["run_id"], True, True, 0)
    assert m["profile"] == "whiskey"
    ids = [r["record_id"] for r in jsonl(out / "records.jsonl")]
    assert len(ids) == len(set(ids)) == m["outcomes"]["record"]


def test_demo_serves_crawls_and_recrawls(tmp_path: Path) -> None:
    out = tmp_path / "demo-out"
    cmd = [sys.executable, "-m", "titlecrawl.cli", "demo", "-o", str(out)]
    proc = subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, explain(proc)
    text = proc.stdout
    assert "Memories" in text
    assert "Starfall Tactics" in text
    assert "Incremental recrawl: 0 changed" in text
    m = manifest(out)
    assert m["outcomes"]["record"] == 0  # the manifest is the recrawl's
    assert len(jsonl(out / "records.jsonl")) == 11  # the first crawl's; the recrawl added none
    again = subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0, explain(again)  # the demo can run again over its own output
    (out / "manifest.json").unlink()
    (out / "records.jsonl").unlink()
    (out / "mine.txt").write_text("not titlecrawl's")
    refused = subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120, check=False)
    assert refused.returncode == 2
    assert (out / "mine.txt").exists()
