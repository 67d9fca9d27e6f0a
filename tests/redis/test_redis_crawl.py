"""Distributed crawls: ``titlecrawl seed`` + two ``titlecrawl crawl --redis`` workers on a ~260-page local wiki.

Every title page must be recorded exactly once across the workers' files and the Parquet dataset, also
when a worker is killed with SIGKILL halfway (the other takes over its in-flight requests once its
heartbeat expires, and its committed records at its own end of run), and when all are killed and
one is started again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from benchmarks.clonewiki import build_wiki
from crawler.localserver import LocalWikiServer
from tests.crawler.conftest import FAST, REPO, crawl_env, jsonl

pytestmark = [pytest.mark.redis, pytest.mark.slow]

TITLES = 240
FAST_DEATH = ["-s", "TITLECRAWL_REDIS_HEARTBEAT=0.5", "-s", "TITLECRAWL_REDIS_DEAD_AFTER=3",
              "-s", "TITLECRAWL_REDIS_ORPHAN_GRACE=2"]  # fmt: skip
"""A killed worker counts as dead after 3 s (default 30 s), so the tests do not wait long."""
TIMEOUT = 240


@pytest.fixture(scope="module")
def big_wiki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("wiki") / "site"
    paths = build_wiki(root, TITLES)
    return root, set(paths)


@pytest.fixture
def server(big_wiki: tuple[Path, set[str]]) -> Iterator[LocalWikiServer]:
    with LocalWikiServer(big_wiki[0]).start() as wiki:
        yield wiki


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "titlecrawl.cli", *args]


def seed(redis_url: str, wiki: LocalWikiServer) -> None:
    proc = subprocess.run(cli("seed", "--redis", redis_url, wiki.url), cwd=REPO, env=crawl_env(),
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "1 new start URLs" in proc.stdout


def worker(redis_url: str, out: Path, worker_id: str, *extra: str) -> subprocess.Popen[str]:
    cmd = cli("crawl", "--redis", redis_url, "-o", str(out), "--worker-id", worker_id, *FAST, *FAST_DEATH, *extra)
    with (out.parent / f"{worker_id}.log").open("a") as log:  # the child keeps its own copy of the handle
        return subprocess.Popen(cmd, cwd=REPO, env=crawl_env(), stdout=log, stderr=subprocess.STDOUT, text=True)


def log_of(out: Path, worker_id: str) -> str:
    path = out.parent / f"{worker_id}.log"
    return path.read_text(encoding="utf-8", errors="replace")[-6000:] if path.exists() else ""


def wait_for(condition: Any, what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def finish(proc: subprocess.Popen[str], out: Path, worker_id: str) -> int:
    try:
        return proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)
        raise AssertionError(f"worker {worker_id} did not end:\n{log_of(out, worker_id)}") from None


def registered(redis_url: str) -> int:
    client = redis.Redis.from_url(redis_url)
    try:
        return int(client.hlen("titlecrawl:workers"))
    finally:
        client.close()


def records(out: Path) -> list[dict[str, Any]]:
    return [r for path in sorted(out.glob("records-*.jsonl")) for r in jsonl(path)]


def assert_complete(out: Path, expected_paths: set[str], wiki: LocalWikiServer) -> None:
    """Every title page exactly once: in the workers' journals together, and in the Parquet dataset."""
    got = records(out)
    urls = Counter(r["url"].removeprefix(wiki.url.rstrip("/")) for r in got)
    assert set(urls) == expected_paths, (sorted(expected_paths - set(urls))[:5], sorted(set(urls) - expected_paths)[:5])
    assert max(urls.values()) == 1, [u for u, n in urls.items() if n > 1][:5]
    import pandas as pd

    table = pd.read_parquet(out / "titles", columns=["record_id"])
    assert len(table) == len(expected_paths)
    assert table["record_id"].is_unique
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"]
    assert manifest["outcomes"]["record"] == len(expected_paths)
    assert manifest["pending"] == 0
    # the sample's extra pages (listings, people ...), the 404 and robots.txt-closed ones, the generated
    # listings: nothing a worker's profile should skip (a worker that sniffed another profile would add some)
    listings = -(-(len(expected_paths) - 11) // 50)
    assert manifest["seen"] == 72 - 11 + len(expected_paths) + listings, manifest["seen"]


def test_two_workers_share_the_crawl_and_record_every_title_once(
    redis_url: str, server: LocalWikiServer, big_wiki: tuple[Path, set[str]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    seed(redis_url, server)
    server.delay = 0.5  # nothing much happens until both workers are up
    procs = {w: worker(redis_url, out, w) for w in ("w1", "w2")}
    try:
        wait_for(lambda: registered(redis_url) == 2, "both workers to register", timeout=120)
        server.delay = 0.01
        codes = {w: finish(p, out, w) for w, p in procs.items()}
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
    assert codes == {"w1": 0, "w2": 0}, log_of(out, "w1") + log_of(out, "w2")
    assert_complete(out, big_wiki[1], server)
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "manifests").glob("*.json")]
    share = {r["worker"]: r["pages_this_process"] for r in runs}
    assert set(share) == {"w1", "w2"}
    assert all(n > 0 for n in share.values()), share  # both did part of the work
    assert sum(share.values()) == runs[0]["seen"]
    assert {p.name for p in out.glob("records-*.jsonl")} == {"records-w1.jsonl", "records-w2.jsonl"}
    parts = {p.name for p in (out / "titles").rglob("*.parquet")}
    assert {n.split("-")[-2] for n in parts} == {"w1", "w2"}  # part-<time>-<hex>-<worker>-<n>.parquet
    assert registered(redis_url) == 0  # clean exits leave the registry
    # an incremental recrawl by the same two workers: every page 304, nothing new
    seed(redis_url, server)
    procs = {w: worker(redis_url, out, w) for w in ("w1", "w2")}
    codes = {w: finish(p, out, w) for w, p in procs.items()}
    assert codes == {"w1": 0, "w2": 0}, log_of(out, "w1") + log_of(out, "w2")
    again = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert again["outcomes"]["record"] == 0
    assert again["outcomes"]["unchanged"] == runs[0]["outcomes"]["record"] + runs[0]["outcomes"]["not_title"]
    assert len(records(out)) == len(big_wiki[1])


def test_a_worker_killed_halfway_loses_nothing(
    redis_url: str, server: LocalWikiServer, big_wiki: tuple[Path, set[str]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    seed(redis_url, server)
    server.delay = 0.5
    victim = worker(redis_url, out, "victim")
    survivor = worker(redis_url, out, "survivor")
    try:
        wait_for(lambda: registered(redis_url) == 2, "both workers to register", timeout=120)
        server.delay = 0.05  # slow enough that the victim has requests in flight when it dies
        wait_for(lambda: len(jsonl(out / "records-victim.jsonl")) >= 20, "the victim's first records")
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.wait(timeout=30) == -signal.SIGKILL
        assert len(records(out)) < len(big_wiki[1]), "the kill landed after the crawl ended"
        server.delay = 0.0
        code = finish(survivor, out, "survivor")
    finally:
        for p in (victim, survivor):
            if p.poll() is None:
                p.kill()
    log = log_of(out, "survivor")
    assert code == 0, log
    assert "in-flight requests of worker victim back on the queue" in log
    assert "records of dead worker victim" in log
    assert_complete(out, big_wiki[1], server)
    client = redis.Redis.from_url(redis_url)
    try:
        assert not client.exists("titlecrawl:inflight:victim")
        assert client.hkeys("titlecrawl:workers") == []  # the victim was adopted, the survivor left
    finally:
        client.close()


def test_all_workers_killed_then_one_restarted_finishes_the_job(
    redis_url: str, server: LocalWikiServer, big_wiki: tuple[Path, set[str]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    seed(redis_url, server)
    server.delay = 0.5
    procs = [worker(redis_url, out, w) for w in ("k1", "k2")]
    try:
        wait_for(lambda: registered(redis_url) == 2, "both workers to register", timeout=120)
        server.delay = 0.05
        wait_for(lambda: len(records(out)) >= 40, "some records")
        for p in procs:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=30)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert len(records(out)) < len(big_wiki[1])
    server.delay = 0.0
    fresh = worker(redis_url, out, "fresh")
    code = finish(fresh, out, "fresh")
    assert code == 0, log_of(out, "fresh")
    assert_complete(out, big_wiki[1], server)


def test_a_stopped_worker_gives_its_requests_back_at_once(
    redis_url: str, server: LocalWikiServer, big_wiki: tuple[Path, set[str]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    seed(redis_url, server)
    server.delay = 0.05
    first = worker(redis_url, out, "first", "-s", "TITLECRAWL_REDIS_DEAD_AFTER=600")  # never declared dead
    try:
        wait_for(lambda: len(jsonl(out / "records-first.jsonl")) >= 20, "the first records")
        first.send_signal(signal.SIGTERM)
        assert finish(first, out, "first") == 3, log_of(out, "first")  # did not finish: status 3
    finally:
        if first.poll() is None:
            first.kill()
    client = redis.Redis.from_url(redis_url)
    try:  # what it had in flight either ended (Scrapy lets downloads finish) or went back on the queue
        assert not client.exists("titlecrawl:inflight:first")
        pending = int(client.hget("titlecrawl:count", "pending") or 0)
        assert pending > 0
        assert client.zcard("titlecrawl:wiki:requests") == pending
    finally:
        client.close()
    server.delay = 0.0
    second = worker(redis_url, out, "second")
    assert finish(second, out, "second") == 0, log_of(out, "second")
    assert_complete(out, big_wiki[1], server)


def test_a_worker_without_start_urls_needs_a_running_job(redis_url: str, tmp_path: Path) -> None:
    proc = subprocess.run(cli("crawl", "--redis", redis_url, "-o", str(tmp_path / "out")), cwd=REPO,
                          env=crawl_env(), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "no running job in Redis to join" in proc.stderr
    proc = subprocess.run(cli("crawl", "--redis", "redis://127.0.0.1:1/0", "http://127.0.0.1:1/", "-o",
                              str(tmp_path / "out")), cwd=REPO, env=crawl_env(), capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in proc.stderr
