"""Extraction off the crawl loop: workers give the records in-process extraction gives, and lose nothing."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.localserver import LocalWikiServer
from crawler.offload import WORKER_GC_THRESHOLDS, ExtractionPool, workers_from_settings
from crawler.pageworker import PageJob, PageResult, RecordSummary, process_page
from crawler.session import site_key
from extractors import extract_title

from .conftest import REPO, crawl_env, manifest, run_crawl

SAMPLES = REPO / "samples" / "title"
FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
CRASH = b"<!-- crash this worker -->"


def job_for(sample: str, *, url: str | None = None, profile: str = "generic") -> PageJob:
    meta = json.loads((SAMPLES / sample / "meta.json").read_text(encoding="utf-8"))
    url = url or meta["url"]
    return PageJob(body=(SAMPLES / sample / "page.html").read_bytes(), url=url,
                   content_type="text/html; charset=utf-8", fetched_at=FETCHED, profile=profile,
                   allowed_sites=frozenset({site_key(url)}), extract=True)  # fmt: skip


def crash_on_marker(job: PageJob) -> PageResult:
    """Run in a worker: dies like a segfault on a marked page, else extracts as usual."""
    if CRASH in job.body:
        os._exit(70)
    return process_page(job)


def report_gc(job: PageJob) -> PageResult:
    """Run in a worker: its garbage collector's thresholds, in the error field."""
    return PageResult(content_sha256=None, links=(), error=repr((gc.get_threshold(), gc.get_freeze_count() > 0)))


def raise_always(job: PageJob) -> PageResult:
    raise RuntimeError(f"cannot handle {job.url}")


def run(pool: ExtractionPool, *jobs: PageJob) -> list[PageResult]:
    async def go() -> list[PageResult]:
        return list(await asyncio.gather(*(pool.run(job) for job in jobs)))

    return asyncio.run(go())


def _gone(pid: int, within: float = 20.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if (p / "meta.json").is_file())


def test_workers_give_the_records_in_process_extraction_gives() -> None:
    jobs = [job_for(name) for name in SAMPLE_NAMES]
    pool = ExtractionPool(1)
    try:
        remote = run(pool, *jobs)
        assert len(pool.pids()) == 1
    finally:
        pool.close()
    assert pool.pids() == []
    for job, got in zip(jobs, remote, strict=True):
        local = process_page(job)
        assert got.error is None, job.url
        assert local.error is None, job.url
        assert got.record_json == local.record_json, job.url
        assert got.summary == local.summary
        assert got.record_fingerprint == local.record_fingerprint
        record = extract_title(job.body, job.url, fetched_at=FETCHED, content_type=job.content_type)
        assert got.record_data == record.to_dict()  # the record, as JSON
        assert got.summary == RecordSummary.of(record)
        assert got.links == local.links
        assert got.content_sha256 == local.content_sha256
    assert {r.summary.status for r in remote if r.summary} <= {"ok", "partial", "not_title"}


def test_links_stay_on_site_and_follow_the_profile() -> None:
    job = job_for("animevice-memories", profile="whiskey")
    result = process_page(job)
    assert result.links, "the Memories page links to people and companies on the same site"
    assert all(site_key(link) == "animevice.com" for link in result.links)
    assert len(set(result.links)) == len(result.links)
    assert not any("/login" in link or "#" in link for link in result.links)


def test_an_extractor_exception_is_an_error_not_a_loss(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise ValueError("broken extractor")

    monkeypatch.setattr("crawler.pageworker.extract_page", boom)
    job = job_for("giantbomb-starfall-tactics")
    result = process_page(job)
    assert result.error == "ValueError: broken extractor"
    assert result.summary is None
    assert result.record_json is None
    assert result.content_sha256
    assert result.links


def test_an_exception_in_a_worker_comes_back_as_an_error() -> None:
    pool = ExtractionPool(1, func=raise_always)
    try:
        (result,) = run(pool, job_for("giantbomb-starfall-tactics"))
    finally:
        pool.close()
    assert result.error is not None
    assert "RuntimeError: cannot handle" in result.error
    assert result.content_sha256
    assert result.summary is None
    assert result.record_json is None


def test_a_dying_worker_gives_a_failure_and_the_pool_goes_on() -> None:
    good = job_for("animevice-memories")
    bad = PageJob(body=good.body + CRASH, url=good.url, content_type=good.content_type,
                  fetched_at=FETCHED, profile="generic", allowed_sites=good.allowed_sites, extract=True)  # fmt: skip
    pool = ExtractionPool(1, func=crash_on_marker)
    try:
        first = run(pool, bad)[0]
        assert first.error is not None
        assert "BrokenProcessPool" in first.error
        assert pool.restarts == 2  # the page was tried in a fresh pool once more
        after = run(pool, good)[0]  # a new pool takes the next pages
        assert after.error is None
        assert after.summary is not None
    finally:
        pool.close()
    assert pool.pids() == []


def test_workers_setting() -> None:
    assert workers_from_settings(Settings({"TITLECRAWL_EXTRACT_WORKERS": "0"})) == 0
    assert workers_from_settings(Settings({"TITLECRAWL_EXTRACT_WORKERS": 3})) == 3
    cores = len(os.sched_getaffinity(0))
    assert workers_from_settings(Settings({"TITLECRAWL_EXTRACT_WORKERS": "auto"})) == (cores if cores > 1 else 0)
    assert workers_from_settings(Settings()) == workers_from_settings(Settings({"TITLECRAWL_EXTRACT_WORKERS": "auto"}))
    with pytest.raises(ValueError, match="TITLECRAWL_EXTRACT_WORKERS"):
        workers_from_settings(Settings({"TITLECRAWL_EXTRACT_WORKERS": "many"}))
    with pytest.raises(ValueError, match="0 or more"):
        workers_from_settings(Settings({"TITLECRAWL_EXTRACT_WORKERS": "-1"}))


_ORPHAN = """
import asyncio, os, sys, time
sys.path.insert(0, {repo!r})
from crawler.offload import ExtractionPool
from tests.crawler.test_offload import job_for, run
pool = ExtractionPool(1)
run(pool, job_for("animevice-memories"))
print(" ".join(map(str, pool.pids())), flush=True)
time.sleep(600)
"""


def test_workers_end_when_the_crawl_process_is_killed() -> None:
    with subprocess.Popen([sys.executable, "-c", _ORPHAN.format(repo=str(REPO))], cwd=REPO, env=crawl_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None
            pids = [int(p) for p in proc.stdout.readline().split()]
            assert pids, "the pool started no worker"
            os.kill(proc.pid, signal.SIGKILL)  # not reaped yet: a zombie, as under a parent reading its output
            assert all(_gone(pid) for pid in pids), "a worker outlived the killed crawl"
        finally:
            proc.kill()


def test_crawl_records_do_not_depend_on_where_pages_are_extracted(site_copy: Path, tmp_path: Path) -> None:
    records: dict[str, dict[str, dict[str, object]]] = {}
    with LocalWikiServer(site_copy).start() as wiki:
        for workers in ("0", "1"):
            out = tmp_path / f"out-{workers}"
            done = run_crawl(wiki.url, out, "-s", f"TITLECRAWL_EXTRACT_WORKERS={workers}")
            assert done.returncode == 0, done.stderr[-3000:]
            m = manifest(out)
            assert m["outcomes"] == {"record": 11, "unchanged": 0, "not_title": 59, "failure": 2}
            lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
            records[workers] = {
                r["record_id"]: {k: v for k, v in r.items() if k != "fetched_at"} for r in map(json.loads, lines)
            }
    assert len(records["1"]) == 11
    assert records["1"] == records["0"]


def test_workers_collect_garbage_less_often() -> None:
    pool = ExtractionPool(1, func=report_gc)
    try:
        (result,) = run(pool, job_for("giantbomb-starfall-tactics"))
    finally:
        pool.close()
    assert result.error == repr((WORKER_GC_THRESHOLDS, True))
