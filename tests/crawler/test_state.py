"""The state store, the job ledger, the records journal, failure reasons and Retry-After parsing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.failures import ROBOTS_REASON, OffsiteRedirect, describe_failure
from crawler.middlewares import parse_retry_after
from crawler.pipelines import record_fingerprint
from crawler.session import RecordJournal
from crawler.state import Outcome, PageState, SqliteStore


def test_page_state_round_trip(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "state.sqlite")
    state = PageState(
        url="http://127.0.0.1:1/memories/4000-1001/", etag='"a-1"', last_modified="Mon, 23 Nov 2026 10:00:00 GMT",
        content_sha256="c" * 64, record_sha256="r" * 64, record_id="animevice:4000-1001",
        extractor_version="whiskey/1", first_seen="2026-11-01T00:00:00Z", last_seen="2026-11-23T00:00:00Z",
        last_changed="2026-11-01T00:00:00Z", links=("http://127.0.0.1:1/a/4040-1/", "http://127.0.0.1:1/b/"),
    )  # fmt: skip
    store.put(state)
    store.commit()
    store.close()
    again = SqliteStore(tmp_path / "state.sqlite")
    assert again.get(state.url) == state
    assert again.get("http://127.0.0.1:1/other/") is None
    assert again.page_count() == 1


def test_ledger_accepts_each_url_once_and_respects_the_limit() -> None:
    store = SqliteStore(":memory:")
    job = store.open_job("j1", "r1", resumable=False, meta={})
    assert store.discover(job, ["u1", "u2", "u1"]) == ["u1", "u2"]
    assert store.discover(job, ["u2", "u3", "u4", "u5"], limit=4) == ["u3", "u4"]
    assert store.accepted(job) == 4
    assert store.finish(job, Outcome(url="u1", outcome="record", record_id="s:1", errors=(("title", "missing"),)))
    assert not store.finish(job, Outcome(url="u1", outcome="unchanged"))  # one outcome per URL
    store.redirect(job, "u2", "u9")
    assert store.finish(job, Outcome(url="u9", outcome="not_title", reason="person page"))
    assert list(store.pending(job)) == ["u3", "u4"]
    assert store.ledger_counts(job) == {"done": 2, "pending": 2, "redirect": 1}
    ended = {o.url: o for o in store.outcomes(job)}
    assert ended["u1"].errors == (("title", "missing"),)
    assert ended["u9"].reason == "person page"


def test_a_resumable_job_continues_and_a_finished_one_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    store = SqliteStore(path)
    job = store.open_job("job-1", "run-1", resumable=True, meta={"start_urls": ["x"]})
    store.discover(job, ["a", "b", "c"])
    store.finish(job, Outcome(url="a", outcome="record"))
    store.commit()
    store.db.close()  # the process dies: no close_job

    store = SqliteStore(path)
    job = store.open_job("job-1", "run-2", resumable=True, meta={})
    assert (job.resumed, job.run_id, job.meta) == (True, "run-1", {"start_urls": ["x"]})
    assert list(store.pending(job)) == ["b", "c"]
    store.close_job(job, finished=True)
    job = store.open_job("job-1", "run-3", resumable=True, meta={})
    assert (job.resumed, job.run_id) == (False, "run-3")
    assert list(store.pending(job)) == []


def test_the_ledger_of_a_killed_job_without_job_dir_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    store = SqliteStore(path)
    job = store.open_job("gone", "gone", resumable=False, meta={})
    store.discover(job, ["a", "b"])
    store.commit()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    store.db.execute("UPDATE jobs SET pid = ? WHERE job_id = 'gone'", (int(dead.stdout),))
    store.db.close()
    store = SqliteStore(path)
    store.open_job("new", "new", resumable=False, meta={})
    left = store.db.execute("SELECT count(*) FROM ledger WHERE job_id = 'gone'").fetchone()[0]
    status = store.db.execute("SELECT status FROM jobs WHERE job_id = 'gone'").fetchone()[0]
    assert (left, status) == (0, "interrupted")


def test_records_journal_drops_what_was_never_committed(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    store = SqliteStore(tmp_path / "state.sqlite")
    journal = RecordJournal(path, store)
    journal.append(b'{"record_id":"a"}')
    store.commit()
    journal.append(b'{"record_id":"b"}')  # written, but its commit never happens
    journal.close()
    with path.open("ab") as fh:
        fh.write(b'{"record_id":"c", "cut sh')  # a line cut by the kill
    store.db.close()

    store = SqliteStore(tmp_path / "state.sqlite")
    journal = RecordJournal(path, store)
    assert path.read_bytes() == b'{"record_id":"a"}\n'
    journal.append(b'{"record_id":"b"}')
    journal.close()
    store.commit()
    assert path.read_bytes().splitlines() == [b'{"record_id":"a"}', b'{"record_id":"b"}']


def test_store_commits_in_batches(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite")
    store.COMMIT_INTERVAL = 3600
    store.put(PageState(url="u"))
    assert not store.maybe_commit()
    other = sqlite3.connect(tmp_path / "s.sqlite")
    assert other.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    store.COMMIT_INTERVAL = 0
    assert store.maybe_commit()
    assert other.execute("SELECT count(*) FROM pages").fetchone()[0] == 1
    other.close()


def _failure(exc: Exception, request: Request) -> Failure:
    try:
        raise exc
    except Exception:  # noqa: BLE001 - building a Failure with its traceback
        failure = Failure()
    failure.request = request  # type: ignore[attr-defined]
    return failure


def test_failure_reasons() -> None:
    req = Request("http://127.0.0.1:1/x/", meta={"tc_url": "http://127.0.0.1:1/x/", "download_timeout": 30})
    response = HtmlResponse("http://127.0.0.1:1/x/", status=404, body=b"", request=req)
    assert describe_failure(_failure(HttpError(response, "404"), req), req) == (404, "HTTP 404 Not Found", req.url)
    retried = req.replace(meta={**req.meta, "retry_times": 3})
    assert describe_failure(_failure(HttpError(response.replace(status=503), "x"), retried), retried)[1] == (
        "HTTP 503 Service Unavailable after 3 retries"
    )
    assert describe_failure(_failure(IgnoreRequest("Forbidden by robots.txt"), req), req)[1] == ROBOTS_REASON
    assert describe_failure(_failure(IgnoreRequest("max redirections reached"), req), req)[1].startswith("too many")
    off = describe_failure(_failure(OffsiteRedirect("redirect off-site to http://elsewhere/"), req), req)
    assert off == (None, "redirect off-site to http://elsewhere/", None)
    assert describe_failure(_failure(DownloadTimeoutError("slow"), req), req)[1] == "timed out after 30 s"
    assert describe_failure(_failure(DNSLookupError("x"), req), req)[1] == "DNS lookup failed"


def test_retry_after_values() -> None:
    assert parse_retry_after(b"1") == 1.0
    assert parse_retry_after("  120 ") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert parse_retry_after("later") is None
    assert parse_retry_after(None) is None


def test_record_fingerprint_ignores_fetch_metadata() -> None:
    a = {"record_id": "s:1", "title": "X", "fetched_at": "2026-11-01T00:00:00Z", "content_sha256": "1"}
    b = {**a, "fetched_at": "2026-11-23T00:00:00Z", "content_sha256": "2"}
    assert record_fingerprint(a) == record_fingerprint(b)
    assert record_fingerprint(a) != record_fingerprint({**a, "title": "Y"})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX")
def test_outdir_is_locked_against_a_second_crawl(tmp_path: Path) -> None:
    from scrapy.utils.test import get_crawler

    from crawler.session import CrawlConfigError, CrawlSession

    settings = {"TITLECRAWL_OUTDIR": str(tmp_path / "out")}
    first = CrawlSession(get_crawler(settings_dict=settings))
    first.open()
    second = CrawlSession(get_crawler(settings_dict=settings))
    with pytest.raises(CrawlConfigError, match="another crawl"):
        second.open()
    first.close()


def test_progress_line_counts_outcomes() -> None:
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from crawler.extensions import ProgressLog

    stats = MemoryStatsCollector(get_crawler())
    progress = ProgressLog(stats, interval=30.0)
    for kind, n in (("record", 5), ("unchanged", 3), ("not_title", 4), ("failure", 1)):
        stats.set_value(f"titlecrawl/outcome/{kind}", n)
    stats.set_value("titlecrawl/extraction_errors", 2)
    assert progress.line() == (
        "13 pages (26/min): 5 records, 3 unchanged, 4 not titles, 1 failures; 2 extraction errors; 0 retries"
    )
    stats.inc_value("titlecrawl/outcome/record")
    assert progress.line().startswith("14 pages (2/min)")


def test_pending_urls_are_read_in_batches_in_order() -> None:
    store = SqliteStore(":memory:")
    job = store.open_job("j", "r", resumable=True, meta={})
    urls = [f"u{i}" for i in range(25)]
    store.discover(job, urls)
    for url in urls[::3]:
        store.finish(job, Outcome(url=url, outcome="not_title"))
    assert list(store.pending(job, batch=4)) == [u for i, u in enumerate(urls) if i % 3]


def test_pending_leaves_out_urls_discovered_while_it_is_read() -> None:
    """A resumed crawl goes through the pending URLs while visiting them discovers more: those are
    requested by whoever discovered them, so ``pending`` must not hand them out a second time."""
    store = SqliteStore(":memory:")
    job = store.open_job("j", "r", resumable=True, meta={})
    store.discover(job, ["a", "b", "c"])
    seen = []
    for url in store.pending(job, batch=2):
        seen.append(url)
        if len(url) == 1:  # found on the page, still pending when the next batch is read
            store.discover(job, [f"{url}-link"])
    assert seen == ["a", "b", "c"]
    assert list(store.pending(job)) == ["a", "b", "c", "a-link", "b-link", "c-link"]
