"""Crawl state that outlives a run: per-URL page state for incremental crawls, and each job's ledger.

Two small interfaces, so another backend (Redis, for many workers: ``crawler/state_redis.py``) can
stand in for SQLite:

- ``PageStateStore``: keyed by URL, what the last crawl saw (ETag, Last-Modified, content hash,
  record fingerprint, first/last seen, last changed, record id, the links to follow). A recrawl sends
  the validators as a conditional request; a 304, or a page whose bytes or record did not change, is
  ``unchanged`` and makes no new record version.
- ``JobLedger``: one crawl job's frontier and outcomes: every URL the job accepted is ``pending``
  until it ends as exactly one outcome (``record``, ``unchanged``, ``not_title``, ``failure``) or
  as a ``redirect`` to another URL. A resumed job re-queues what is still pending; the manifest and
  ``failures.jsonl`` are built from the ledger, so they stay exact across kills and restarts.

``SqliteStore`` implements both on one SQLite file (WAL), so one ``commit()`` makes a batch of
outcomes, page states and the records journal's length durable together. Writes are batched
(``maybe_commit``); after a crash the records journal is cut back to its last committed length
(``journal_mark``), so the pages whose commit was lost are simply crawled again.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

logger = logging.getLogger(__name__)

OutcomeKind = Literal["record", "unchanged", "not_title", "failure"]
OUTCOMES: tuple[OutcomeKind, ...] = ("record", "unchanged", "not_title", "failure")


@dataclass(frozen=True, slots=True)
class PageState:
    """What the last crawl saw of one URL."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    record_sha256: str | None = None
    """Fingerprint of the extracted record without its fetch metadata (None for non-title pages)."""
    record_id: str | None = None
    extractor_version: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    last_changed: str | None = None
    links: tuple[str, ...] = ()
    """The page's links the profile follows: followed again when the page answers 304."""
    last_fetched: str | None = None
    """When a request last confirmed the page (a 200 or a 304); ``last_seen`` also moves when a recrawl
    settles the page from its sitemap lastmod without a request (``crawler/revisit.py``)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one URL of a job ended."""

    url: str
    outcome: OutcomeKind
    http_status: int | None = None
    reason: str | None = None
    """Why (failures: "HTTP 404 Not Found", "robots.txt disallows"; not_title: "person page")."""
    fetched_at: str | None = None
    record_id: str | None = None
    record_status: str | None = None
    """``ok`` / ``partial`` for records."""
    family: str | None = None
    """The extractor family that made the record."""
    errors: tuple[tuple[str, str], ...] = ()
    """(field, kind) of each extraction error of the record."""
    change: str | None = None
    """For records: ``new`` (URL never recorded before) or ``changed`` (a new version)."""


@dataclass(slots=True)
class Job:
    job_id: str
    run_id: str
    started_at: str
    resumed: bool = False
    resumable: bool = False
    meta: dict[str, object] = field(default_factory=dict)


class PageStateStore(Protocol):
    """Per-URL page state, kept across runs."""

    def get(self, url: str) -> PageState | None: ...
    def put(self, state: PageState) -> None: ...


class JobLedger(Protocol):
    """One job's frontier and the outcome of each of its URLs."""

    def open_job(self, job_id: str, run_id: str, *, resumable: bool, meta: dict[str, object]) -> Job: ...
    def set_job_meta(self, job: Job, **values: object) -> None: ...
    def close_job(self, job: Job, *, finished: bool) -> None: ...
    def discover(self, job: Job, urls: Iterable[str], *, limit: int | None = None) -> list[str]: ...
    def accepted(self, job: Job) -> int: ...
    def pending(self, job: Job, *, batch: int = 1000) -> Iterator[str]: ...
    def state_of(self, job: Job, url: str) -> str | None: ...
    def finish(self, job: Job, outcome: Outcome) -> bool: ...
    def redirect(self, job: Job, url: str, target: str) -> None: ...
    def outcomes(self, job: Job) -> Iterator[Outcome]: ...
    def ledger_counts(self, job: Job) -> dict[str, int]: ...


class CrawlStore(PageStateStore, JobLedger, Protocol):
    """Everything a crawl keeps: page state, job ledgers and the records journal's committed length.

    One ``commit()`` makes all writes since the last one durable together; ``maybe_commit()``
    batches them. ``SqliteStore`` is the embedded implementation; ``open_store`` picks one by path.
    """

    def get_mark(self, key: str) -> int | None: ...
    def set_mark(self, key: str, value: int) -> None: ...
    def commit(self) -> None: ...
    def maybe_commit(self) -> bool: ...
    def close(self) -> None: ...


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _pack_links(links: tuple[str, ...]) -> bytes | None:
    return zlib.compress("\n".join(links).encode("utf-8"), 6) if links else None


def _unpack_links(blob: bytes | None) -> tuple[str, ...]:
    if not blob:
        return ()
    return tuple(zlib.decompress(blob).decode("utf-8").split("\n"))


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (asked of the kernel with signal 0)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    etag TEXT, last_modified TEXT, content_sha256 TEXT, record_sha256 TEXT, record_id TEXT,
    extractor_version TEXT, first_seen TEXT, last_seen TEXT, last_changed TEXT, links BLOB, last_fetched TEXT
);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    status TEXT NOT NULL, resumable INTEGER NOT NULL, host TEXT, pid INTEGER, meta TEXT
);
CREATE TABLE IF NOT EXISTS ledger (
    id INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL, url TEXT NOT NULL, state TEXT NOT NULL,
    outcome TEXT, http_status INTEGER, reason TEXT, fetched_at TEXT, record_id TEXT, record_status TEXT,
    family TEXT, errors TEXT, change TEXT, target TEXT,
    UNIQUE (job_id, url)
);
CREATE INDEX IF NOT EXISTS ledger_pending ON ledger (job_id, state);
CREATE TABLE IF NOT EXISTS marks (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS title_parts (url TEXT PRIMARY KEY, title_key TEXT NOT NULL, record BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS title_parts_key ON title_parts (title_key);
CREATE TABLE IF NOT EXISTS titles (title_key TEXT PRIMARY KEY, dirty INTEGER NOT NULL, merged_sha256 TEXT);
CREATE TABLE IF NOT EXISTS title_links (title_key TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY (title_key, url));
"""


class SqliteStore:
    """Page state and job ledgers in one SQLite file (``:memory:`` for a throwaway store)."""

    COMMIT_INTERVAL = 0.5
    """Seconds between batched commits (``maybe_commit``)."""
    COMMIT_OPS = 500

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA busy_timeout = 30000")
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a commit survives the process being killed (not a power cut).
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.executescript(_SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(pages)")}
        if "last_fetched" not in columns:  # a store written before the column existed
            self.db.execute("ALTER TABLE pages ADD COLUMN last_fetched TEXT")
        self._in_tx = False
        self._ops = 0
        self._last_commit = time.monotonic()
        self._counts: dict[str, int] = {}

    # -- transactions ---------------------------------------------------------------------
    def _write(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        if not self._in_tx:
            self.db.execute("BEGIN IMMEDIATE")
            self._in_tx = True
        self._ops += 1
        return self.db.execute(sql, params)

    def commit(self) -> None:
        if self._in_tx:
            self.db.execute("COMMIT")
            self._in_tx = False
        self._ops = 0
        self._last_commit = time.monotonic()

    def maybe_commit(self) -> bool:
        """Commit when the batch is old or large enough; True when it committed."""
        if self._in_tx and (
            self._ops >= self.COMMIT_OPS or time.monotonic() - self._last_commit >= self.COMMIT_INTERVAL
        ):
            self.commit()
            return True
        return False

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.db.close()

    # -- page state -----------------------------------------------------------------------
    def get(self, url: str) -> PageState | None:
        row = self.db.execute(
            "SELECT url, etag, last_modified, content_sha256, record_sha256, record_id, extractor_version, "
            "first_seen, last_seen, last_changed, links, last_fetched FROM pages WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return PageState(
            url=row[0], etag=row[1], last_modified=row[2], content_sha256=row[3], record_sha256=row[4],
            record_id=row[5], extractor_version=row[6], first_seen=row[7], last_seen=row[8], last_changed=row[9],
            links=_unpack_links(row[10]), last_fetched=row[11],
        )

    def put(self, state: PageState) -> None:
        self._write(
            "INSERT OR REPLACE INTO pages (url, etag, last_modified, content_sha256, record_sha256, record_id, "
            "extractor_version, first_seen, last_seen, last_changed, links, last_fetched) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                state.url, state.etag, state.last_modified, state.content_sha256, state.record_sha256,
                state.record_id, state.extractor_version, state.first_seen, state.last_seen,
                state.last_changed, _pack_links(state.links), state.last_fetched,
            ),
        )  # fmt: skip

    def page_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM pages").fetchone()[0])

    # -- journal marks --------------------------------------------------------------------
    def get_mark(self, key: str) -> int | None:
        row = self.db.execute("SELECT value FROM marks WHERE key = ?", (key,)).fetchone()
        return None if row is None else int(row[0])

    def set_mark(self, key: str, value: int) -> None:
        self._write("INSERT OR REPLACE INTO marks (key, value) VALUES (?, ?)", (key, value))

    # -- titles read from several pages (crawler/titleparts.py) ---------------------------
    def put_part(self, url: str, title_key: str, record_json: bytes) -> None:
        """Keep the latest record (JSON) of one page of a title and mark the title to be merged again."""
        self._write(
            "INSERT OR REPLACE INTO title_parts (url, title_key, record) VALUES (?, ?, ?)",
            (url, title_key, zlib.compress(record_json, 6)),
        )
        self._write(
            "INSERT INTO titles (title_key, dirty) VALUES (?, 1) ON CONFLICT (title_key) DO UPDATE SET dirty = 1",
            (title_key,),
        )

    def has_part(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM title_parts WHERE url = ?", (url,)).fetchone() is not None

    def part_urls(self, title_key: str) -> list[str]:
        return [str(r[0]) for r in self.db.execute("SELECT url FROM title_parts WHERE title_key = ?", (title_key,))]

    def note_title_links(self, title_key: str, urls: Iterable[str]) -> None:
        """Pages of a title that a page of it links to (the title waits for them while they are pending)."""
        for url in urls:
            self._write("INSERT OR IGNORE INTO title_links (title_key, url) VALUES (?, ?)", (title_key, url))

    def title_link_urls(self, title_key: str) -> list[str]:
        return [str(r[0]) for r in self.db.execute("SELECT url FROM title_links WHERE title_key = ?", (title_key,))]

    def parts(self, title_key: str) -> list[tuple[str, bytes]]:
        """(url, record JSON) of every page kept for a title."""
        rows = self.db.execute(
            "SELECT url, record FROM title_parts WHERE title_key = ? ORDER BY url", (title_key,)
        ).fetchall()
        return [(str(url), zlib.decompress(blob)) for url, blob in rows]

    def title_state(self, title_key: str) -> tuple[bool, str | None]:
        """(whether a page of the title changed since its last merged record, that record's fingerprint)."""
        row = self.db.execute("SELECT dirty, merged_sha256 FROM titles WHERE title_key = ?", (title_key,)).fetchone()
        return (False, None) if row is None else (bool(row[0]), row[1])

    def title_merged(self, title_key: str, merged_sha256: str | None) -> None:
        """The title's merged record is written (or needed no new version): not dirty any more."""
        self._write(
            "INSERT INTO titles (title_key, dirty, merged_sha256) VALUES (?, 0, ?) ON CONFLICT (title_key) "
            "DO UPDATE SET dirty = 0, merged_sha256 = excluded.merged_sha256",
            (title_key, merged_sha256),
        )

    def dirty_titles(self) -> list[str]:
        return [str(row[0]) for row in self.db.execute("SELECT title_key FROM titles WHERE dirty = 1 ORDER BY title_key")]

    # -- jobs -----------------------------------------------------------------------------
    def open_job(self, job_id: str, run_id: str, *, resumable: bool, meta: dict[str, object]) -> Job:
        """Start a job, or resume it when a job of this id is still unfinished (``resumable`` jobs only)."""
        self._forget_dead_jobs()
        row = self.db.execute(
            "SELECT run_id, started_at, status, meta FROM jobs WHERE job_id = ?", (job_id,)
        ).fetchone()
        if row is not None and row[2] != "done" and resumable:
            self._write(
                "UPDATE jobs SET status = 'running', host = ?, pid = ? WHERE job_id = ?",
                (socket.gethostname(), os.getpid(), job_id),
            )
            self.commit()
            job = Job(job_id, row[0], row[1], resumed=True, resumable=True, meta=json.loads(row[3] or "{}"))
        else:
            if row is not None:  # a finished job of the same id: start it afresh
                self._write("DELETE FROM ledger WHERE job_id = ?", (job_id,))
            started = _now_iso()
            self._write(
                "INSERT OR REPLACE INTO jobs (job_id, run_id, started_at, status, resumable, host, pid, meta) "
                "VALUES (?, ?, ?, 'running', ?, ?, ?, ?)",
                (job_id, run_id, started, int(resumable), socket.gethostname(), os.getpid(), json.dumps(meta)),
            )
            self.commit()
            job = Job(job_id, run_id, started, resumed=False, resumable=resumable, meta=meta)
        self._counts[job_id] = int(
            self.db.execute(
                "SELECT count(*) FROM ledger WHERE job_id = ? AND state != 'redirect'", (job_id,)
            ).fetchone()[0]
        )
        return job

    def set_job_meta(self, job: Job, **values: object) -> None:
        """Remember facts about a job for its resumption (its start URLs, the profile it settled on)."""
        job.meta.update(values)
        self._write("UPDATE jobs SET meta = ? WHERE job_id = ?", (json.dumps(job.meta), job.job_id))

    def close_job(self, job: Job, *, finished: bool) -> None:
        """Mark the job done (its ledger of a non-resumable job is dropped) or interrupted."""
        status = "done" if finished else "interrupted"
        self._write("UPDATE jobs SET status = ?, finished_at = ? WHERE job_id = ?", (status, _now_iso(), job.job_id))
        if finished or not job.resumable:
            self._write("DELETE FROM ledger WHERE job_id = ?", (job.job_id,))
        self.commit()

    def _forget_dead_jobs(self) -> None:
        """Drop the ledgers of non-resumable jobs whose process died (a killed crawl without a job dir)."""
        host = socket.gethostname()
        dead = [
            job_id
            for job_id, job_host, pid in self.db.execute(
                "SELECT job_id, host, pid FROM jobs WHERE status = 'running' AND resumable = 0"
            ).fetchall()
            if job_host == host and pid and not pid_alive(int(pid))
        ]
        for job_id in dead:
            self._write("DELETE FROM ledger WHERE job_id = ?", (job_id,))
            self._write("UPDATE jobs SET status = 'interrupted' WHERE job_id = ?", (job_id,))
        if dead:
            self.commit()

    # -- ledger ---------------------------------------------------------------------------
    def discover(self, job: Job, urls: Iterable[str], *, limit: int | None = None) -> list[str]:
        """Add URLs to the job's frontier; return those new to it (the rest: known, or over ``limit``)."""
        added: list[str] = []
        for url in urls:
            if limit is not None and self._counts.get(job.job_id, 0) >= limit:
                break
            cur = self._write(
                "INSERT OR IGNORE INTO ledger (job_id, url, state) VALUES (?, ?, 'pending')", (job.job_id, url)
            )
            if cur.rowcount:
                added.append(url)
                self._counts[job.job_id] = self._counts.get(job.job_id, 0) + 1
        return added

    def accepted(self, job: Job) -> int:
        """URLs the job has accepted (pending or ended; redirects not counted)."""
        return self._counts.get(job.job_id, 0)

    def pending(self, job: Job, *, batch: int = 1000) -> Iterator[str]:
        """The job's URLs without an outcome at the call, in the order they were found (read in batches).

        URLs discovered while the caller goes through them are left out: whoever discovered them got them
        from ``discover`` to request (a resumed crawl yielded them twice, and fetched them twice)."""
        row = self.db.execute("SELECT max(id) FROM ledger WHERE job_id = ?", (job.job_id,)).fetchone()
        return self._pending(job, int(row[0] or 0), batch)

    def _pending(self, job: Job, top: int, batch: int) -> Iterator[str]:
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT id, url FROM ledger WHERE job_id = ? AND state = 'pending' AND id > ? AND id <= ? "
                "ORDER BY id LIMIT ?",
                (job.job_id, last, top, batch),
            ).fetchall()
            if not rows:
                return
            for row_id, url in rows:
                last = row_id
                yield url

    def state_of(self, job: Job, url: str) -> str | None:
        row = self.db.execute("SELECT state FROM ledger WHERE job_id = ? AND url = ?", (job.job_id, url)).fetchone()
        return None if row is None else str(row[0])

    def finish(self, job: Job, outcome: Outcome) -> bool:
        """Record a URL's outcome; False (and nothing changes) when it already has one."""
        state = self.state_of(job, outcome.url)
        if state in ("done", "redirect"):
            return False
        if state is None:
            self._counts[job.job_id] = self._counts.get(job.job_id, 0) + 1
        self._write(
            "INSERT INTO ledger (job_id, url, state, outcome, http_status, reason, fetched_at, record_id, "
            "record_status, family, errors, change) VALUES (?, ?, 'done', ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (job_id, url) DO UPDATE SET state = 'done', outcome = excluded.outcome, "
            "http_status = excluded.http_status, reason = excluded.reason, fetched_at = excluded.fetched_at, "
            "record_id = excluded.record_id, record_status = excluded.record_status, family = excluded.family, "
            "errors = excluded.errors, change = excluded.change",
            (
                job.job_id, outcome.url, outcome.outcome, outcome.http_status, outcome.reason, outcome.fetched_at,
                outcome.record_id, outcome.record_status, outcome.family,
                json.dumps(outcome.errors) if outcome.errors else None, outcome.change,
            ),
        )  # fmt: skip
        return True

    def redirect(self, job: Job, url: str, target: str) -> None:
        """``url`` answered with a redirect to ``target``, which carries the page's outcome."""
        state = self.state_of(job, url)
        if state in ("done", "redirect"):
            return
        if state == "pending":
            self._counts[job.job_id] = self._counts.get(job.job_id, 0) - 1
        self._write(
            "INSERT INTO ledger (job_id, url, state, target) VALUES (?, ?, 'redirect', ?) "
            "ON CONFLICT (job_id, url) DO UPDATE SET state = 'redirect', target = excluded.target",
            (job.job_id, url, target),
        )

    def outcomes(self, job: Job) -> Iterator[Outcome]:
        cur = self.db.execute(
            "SELECT url, outcome, http_status, reason, fetched_at, record_id, record_status, family, errors, change "
            "FROM ledger WHERE job_id = ? AND state = 'done' ORDER BY id",
            (job.job_id,),
        )
        for row in cur:
            errors = tuple((str(f), str(k)) for f, k in json.loads(row[8])) if row[8] else ()
            yield Outcome(
                url=row[0], outcome=row[1], http_status=row[2], reason=row[3], fetched_at=row[4],
                record_id=row[5], record_status=row[6], family=row[7], errors=errors, change=row[9],
            )  # fmt: skip

    def ledger_counts(self, job: Job) -> dict[str, int]:
        """Rows per state (``pending``, ``done``, ``redirect``)."""
        return {
            str(state): int(n)
            for state, n in self.db.execute(
                "SELECT state, count(*) FROM ledger WHERE job_id = ? GROUP BY state", (job.job_id,)
            )
        }


def open_store(path: str | Path | None, **options: str | float | None) -> CrawlStore:
    """The state store at ``path``: an SQLite file, a ``redis://`` (``rediss://``, ``unix://``) address, or
    a throwaway in-memory store for None. ``options`` go to the Redis store (``prefix``, ``worker``,
    ``heartbeat_ttl``).
    """
    if path is not None and "://" in str(path):
        scheme = str(path).split("://", 1)[0]
        if scheme in ("redis", "rediss", "unix"):
            from .state_redis import RedisStore

            return RedisStore(str(path), **options)  # type: ignore[arg-type]
        raise ValueError(f"no state store backend for {scheme!r} addresses (SQLite files and redis:// only)")
    return SqliteStore(path if path is not None else ":memory:")
