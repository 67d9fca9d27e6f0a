"""The Redis state store against a real redis-server: the same ledger semantics as SQLite, shared by workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.session import RecordJournal
from crawler.state import CrawlStore, Outcome, PageState, SqliteStore, open_store
from crawler.state_redis import RedisStore, peek_job

pytestmark = pytest.mark.redis


def _ledger_story(store: CrawlStore) -> list[object]:
    """One sequence of ledger operations; what each returned (to compare two stores)."""
    job = store.open_job("j1", "r1", resumable=True, meta={"start_urls": ["u1"]})
    seen: list[object] = [
        store.discover(job, ["u1", "u2", "u1"]),
        store.discover(job, ["u2", "u3", "u4", "u5"], limit=4),
        store.accepted(job),
        store.finish(job, Outcome(url="u1", outcome="record", record_id="s:1", errors=(("title", "missing"),))),
        store.finish(job, Outcome(url="u1", outcome="unchanged")),
    ]
    store.redirect(job, "u2", "u9")
    seen += [
        store.finish(job, Outcome(url="u9", outcome="not_title", reason="person page")),
        store.finish(job, Outcome(url="u2", outcome="failure")),  # a redirect has no outcome of its own
        store.state_of(job, "u2"),
        store.state_of(job, "u3"),
        store.state_of(job, "nope"),
        sorted(store.pending(job)),
        store.ledger_counts(job),
        store.accepted(job),
        sorted((o.url, o.outcome, o.reason, o.errors) for o in store.outcomes(job)),
    ]
    return seen


def test_ledger_semantics_match_sqlite(redis_url: str) -> None:
    redis_store = RedisStore(redis_url, prefix="t", worker="w1")
    try:
        assert _ledger_story(redis_store) == _ledger_story(SqliteStore(":memory:"))
    finally:
        redis_store.close()


def test_page_state_round_trip_and_open_store(redis_url: str) -> None:
    store = open_store(redis_url, prefix="t", worker="w1")
    assert isinstance(store, RedisStore)
    state = PageState(
        url="http://127.0.0.1:1/memories/4000-1001/", etag='"a-1"', last_modified="Mon, 23 Nov 2026 10:00:00 GMT",
        content_sha256="c" * 64, record_sha256="r" * 64, record_id="animevice:4000-1001",
        extractor_version="whiskey/1", first_seen="2026-11-01T00:00:00Z", last_seen="2026-11-23T00:00:00Z",
        last_changed="2026-11-01T00:00:00Z", links=("http://127.0.0.1:1/a/4040-1/", "http://127.0.0.1:1/b/"),
    )  # fmt: skip
    store.put(state)
    store.close()
    again = RedisStore(redis_url, prefix="t", worker="w2")
    try:
        assert again.get(state.url) == state
        assert again.get("http://127.0.0.1:1/other/") is None
        assert again.page_count() == 1
    finally:
        again.close()
    with pytest.raises(ValueError, match="no state store backend for 'foo'"):
        open_store("foo://bar")


def test_unreachable_redis_is_a_clear_error() -> None:
    with pytest.raises(ConnectionError, match=r"cannot reach Redis at redis://\*\*\*@127\.0\.0\.1:1/0"):
        RedisStore("redis://:secret@127.0.0.1:1/0")


def test_workers_share_one_job_and_a_finished_job_starts_afresh(redis_url: str) -> None:
    a = RedisStore(redis_url, prefix="t", worker="a")
    b = RedisStore(redis_url, prefix="t", worker="b")
    try:
        job_a = a.open_job("job-1", "run-a", resumable=False, meta={"start_urls": ["http://x/"]})
        job_b = b.open_job("job-2", "run-b", resumable=False, meta={})
        assert not job_a.resumed
        assert job_b.resumed
        assert job_b.job_id == job_a.job_id == "job-1"
        assert (job_a.run_id, job_b.run_id) == ("run-a", "run-b")  # each worker's own run
        assert job_b.meta["start_urls"] == ["http://x/"]
        assert peek_job(redis_url, "t")["status"] == "running"
        assert a.discover(job_a, ["u1", "u2"]) == ["u1", "u2"]
        assert b.discover(job_b, ["u2", "u3"]) == ["u3"]  # accepted once across workers
        assert a.claim_once(job_a, "sitemaps")
        assert not b.claim_once(job_b, "sitemaps")
        assert b.agree(job_b, "profile", "whiskey") == "whiskey"
        assert a.agree(job_a, "profile", "generic") == "whiskey"  # the first worker's choice holds
        b.close_job(job_b, finished=False)  # one worker stopping leaves the job running
        assert peek_job(redis_url, "t")["status"] == "running"
        a.close_job(job_a, finished=True)
        assert peek_job(redis_url, "t")["status"] == "done"
        fresh = b.open_job("job-3", "run-b2", resumable=False, meta={})
        assert not fresh.resumed
        assert fresh.job_id == "job-3"
        assert b.ledger_counts(fresh) == {}
        assert b.claim_once(fresh, "sitemaps")
    finally:
        a.close()
        b.close()


def test_one_outcome_per_url_across_workers_with_the_journal_mark(redis_url: str, tmp_path: Path) -> None:
    """Two workers end the same URL: one wins; the loser's journal line is taken back, its mark never lands."""
    a = RedisStore(redis_url, prefix="t", worker="a")
    b = RedisStore(redis_url, prefix="t", worker="b")
    try:
        job_a = a.open_job("j", "run-a", resumable=True, meta={})
        job_b = b.open_job("j", "run-b", resumable=True, meta={})
        a.discover(job_a, ["u1"])
        ja, jb = RecordJournal(tmp_path / "a.jsonl", a), RecordJournal(tmp_path / "b.jsonl", b)
        ja.append(b'{"record_id": "s:1"}')
        jb.append(b'{"record_id": "s:1"}')
        assert a.finish(job_a, Outcome(url="u1", outcome="record", record_id="s:1"))
        assert a.get_mark(ja.key) == ja.offset
        assert not b.finish(job_b, Outcome(url="u1", outcome="record", record_id="s:1"))
        jb.undo(b'{"record_id": "s:1"}')
        b.commit()
        ja.close()
        jb.close()
        assert (tmp_path / "b.jsonl").read_bytes() == b""
        assert b.get_mark(jb.key) == 0
        fresh = RedisStore(redis_url, prefix="t", worker="c")
        try:
            assert fresh.get_mark(ja.key) == len(b'{"record_id": "s:1"}\n')
        finally:
            fresh.close()
        assert a.ledger_counts(job_a) == {"done": 1}
    finally:
        a.close()
        b.close()


def test_a_mark_set_before_a_lost_commit_is_not_kept(redis_url: str, tmp_path: Path) -> None:
    """Journal marks travel with the next outcome: a worker killed before it leaves the journal's tail unowned."""
    a = RedisStore(redis_url, prefix="t", worker="a")
    job = a.open_job("j", "run-a", resumable=True, meta={})
    a.discover(job, ["u1"])
    journal = RecordJournal(tmp_path / "a.jsonl", a)
    journal.append(b'{"record_id": "s:1"}')
    journal.close()
    a.db.close()  # killed: no finish, no commit
    again = RedisStore(redis_url, prefix="t", worker="a")
    try:
        reopened = RecordJournal(tmp_path / "a.jsonl", again)  # cuts the uncommitted line
        reopened.close()
        assert (tmp_path / "a.jsonl").read_bytes() == b""
        assert again.state_of(job, "u1") == "pending"
    finally:
        again.close()


def test_run_failures_and_adopting_a_dead_run(redis_url: str) -> None:
    a = RedisStore(redis_url, prefix="t", worker="a")
    b = RedisStore(redis_url, prefix="t", worker="b")
    try:
        job_a = a.open_job("j", "run-a", resumable=True, meta={})
        job_b = b.open_job("j", "run-b", resumable=True, meta={})
        a.discover(job_a, ["u1", "u2", "u3"])
        a.finish(job_a, Outcome(url="u1", outcome="failure", reason="HTTP 404 Not Found"))
        a.finish(job_a, Outcome(url="u2", outcome="not_title"))
        b.finish(job_b, Outcome(url="u3", outcome="failure", reason="HTTP 500 Internal Server Error"))
        assert [o.url for o in a.run_failures(job_a)] == ["u1"]
        assert [o.url for o in b.run_failures(job_b)] == ["u3"]
        b.adopt_run("run-a")
        assert sorted(o.url for o in b.run_failures(job_b)) == ["u1", "u3"]
        assert list(a.run_failures(job_a)) == []
    finally:
        a.close()
        b.close()


def test_worker_registry_and_heartbeat(redis_url: str) -> None:
    a = RedisStore(redis_url, prefix="t", worker="a", heartbeat_ttl=1)
    try:
        a.open_job("j", "run-a", resumable=True, meta={})
        a.register({"outdir": "/tmp/x"})
        assert a.workers()["a"]["outdir"] == "/tmp/x"
        assert a.alive(["a", "ghost"]) == [True, False]
        a.deregister(clean=False)  # stopped without its end of run: stays registered, no heartbeat
        assert a.alive(["a"]) == [False]
        assert "a" in a.workers()
        a.deregister(clean=True)
        assert "a" not in a.workers()
    finally:
        a.close()
