"""One crawl's shared resources: configuration, state store, job ledger, records journal, output folder.

Spider, middlewares, pipeline and extensions reach the same ``CrawlSession`` through
``session_for(crawler)``. ``open()`` (idempotent, called by whoever needs it first) locks the output
folder, opens the state store and starts or resumes the job; the pipeline's end of run calls
``finish()``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import socket
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin, urlsplit

from w3lib.url import canonicalize_url

from .state import CrawlStore, Job, open_store

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

    from .profiles import SiteProfile

logger = logging.getLogger(__name__)

RECORDS_FILE = "records.jsonl"
FAILURES_FILE = "failures.jsonl"
MANIFEST_FILE = "manifest.json"
STATE_FILE = "state.sqlite"
JOB_FILE = "job.json"
LOCK_FILE = ".titlecrawl.lock"


class CrawlConfigError(RuntimeError):
    """A setting or the output folder prevents the crawl from starting."""


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    """The ``TITLECRAWL_*`` settings of a crawl."""

    outdir: Path | None
    state: str | None
    """The state store: an SQLite file path (or another backend's ``scheme://`` address); None: in memory."""
    job_dir: Path | None
    max_pages: int | None
    profile: str | None
    fail_threshold: float
    contact: str
    conditional: bool
    sitemaps: bool
    recheck_after: float = 30 * 86400.0
    """Seconds after which a page its sitemap lastmod would skip is re-checked anyway; 0: never skip
    (``TITLECRAWL_RECHECK_AFTER``, crawler/revisit.py)."""
    redis_url: str | None = None
    """Set: a distributed crawl sharing its frontier and state through Redis (docs/scaleout.md)."""
    redis_prefix: str = "titlecrawl"
    worker_id: str | None = None
    heartbeat_ttl: float = 30.0

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CrawlConfig:
        outdir = settings.get("TITLECRAWL_OUTDIR")
        state = settings.get("TITLECRAWL_STATE")
        job_dir = settings.get("TITLECRAWL_JOB_DIR") or settings.get("JOBDIR")
        max_pages = settings.getint("TITLECRAWL_MAX_PAGES") or None
        out = Path(outdir) if outdir else None
        redis_url = settings.get("TITLECRAWL_REDIS_URL") or settings.get("REDIS_URL") or None
        if redis_url:
            state_spec: str | None = str(redis_url)
        elif state:
            state_spec = str(state)
        else:
            state_spec = str(out / STATE_FILE) if out is not None else None
        return cls(
            outdir=out,
            state=state_spec,
            job_dir=Path(job_dir) if job_dir else None,
            max_pages=max_pages,
            profile=settings.get("TITLECRAWL_PROFILE") or None,
            fail_threshold=settings.getfloat("TITLECRAWL_FAIL_THRESHOLD"),
            contact=str(settings.get("TITLECRAWL_CONTACT") or ""),
            conditional=settings.getbool("TITLECRAWL_CONDITIONAL"),
            sitemaps=settings.getbool("TITLECRAWL_SITEMAPS"),
            recheck_after=_recheck_after(settings),
            redis_url=str(redis_url) if redis_url else None,
            redis_prefix=str(settings.get("TITLECRAWL_REDIS_PREFIX") or "titlecrawl"),
            worker_id=settings.get("TITLECRAWL_WORKER_ID") or None,
            heartbeat_ttl=settings.getfloat("TITLECRAWL_REDIS_DEAD_AFTER", 30.0),
        )


def _recheck_after(settings: BaseSettings) -> float:
    from .revisit import DEFAULT_RECHECK_AFTER, parse_duration

    value = settings.get("TITLECRAWL_RECHECK_AFTER")
    try:
        return parse_duration(value if value is not None and value != "" else DEFAULT_RECHECK_AFTER)
    except ValueError as exc:
        raise CrawlConfigError(f"TITLECRAWL_RECHECK_AFTER: {exc}") from None


def new_run_id() -> str:
    """``20261101T120000Z-3f9a1c``: UTC start time plus a random suffix."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- URLs ----------------------------------------------------------------------------------------
def site_key(url: str) -> str:
    """Host and port, ``www.`` dropped: what "the same site" means for following links."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port if parts.port not in (None, default) else None
    return f"{host}:{port}" if port else host


def normalize_link(base: str, href: str) -> str | None:
    """An absolute, canonical http(s) URL for a link, without its fragment; None for anything else."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        absolute = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return canonicalize_url(absolute)


# -- the records journal ---------------------------------------------------------------------------
class RecordJournal:
    """``records.jsonl``, appended one flushed line per record; its committed length lives in the store.

    On open, bytes past the committed length (records whose outcome was never committed, a line cut
    by a kill) are cut off: those pages are still pending and are crawled again.
    """

    def __init__(self, path: Path, store: CrawlStore) -> None:
        self.path = path
        self.store = store
        self.key = f"journal:{path.resolve()}"
        self.export_key = f"exported:{path.resolve()}"
        size = path.stat().st_size if path.exists() else 0
        mark = store.get_mark(self.key)
        if mark is None:
            mark = size
        elif size > mark:
            logger.warning("%s: dropping %d bytes of records whose crawl was interrupted", path, size - mark)
            with path.open("r+b") as fh:
                fh.truncate(mark)
        elif size < mark:
            logger.warning("%s is shorter than recorded (%d < %d bytes); continuing from its end", path, size, mark)
            mark = size
        self.offset = mark
        self.start_offset = mark
        store.set_mark(self.key, mark)
        store.commit()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: IO[bytes] = path.open("ab")

    def append(self, line: bytes) -> None:
        self._fh.write(line + b"\n")
        self._fh.flush()
        self.offset += len(line) + 1
        self.store.set_mark(self.key, self.offset)

    def undo(self, line: bytes) -> None:
        """Take back the line just appended (its URL got its outcome from another worker meanwhile)."""
        self.offset -= len(line) + 1
        self._fh.flush()
        self._fh.truncate(self.offset)
        self.store.set_mark(self.key, self.offset)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            with contextlib.suppress(OSError):
                os.fsync(self._fh.fileno())
            self._fh.close()


# -- the session ---------------------------------------------------------------------------------
class CrawlSession:
    """Shared state of one crawl process."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.config = CrawlConfig.from_settings(crawler.settings)
        self.store: CrawlStore | None = None
        self.job: Job | None = None
        self.journal: RecordJournal | None = None
        self.profile: SiteProfile | None = None
        self.start_urls: list[str] = []
        self.allowed_sites: set[str] = set()
        self.started_monotonic = time.monotonic()
        self.started_at = utc_now()
        self.ended_here = 0
        """Outcomes recorded by this process (for pages per minute)."""
        self.skipped_max_pages = 0
        self.sitemap_stats: dict[str, int] = {"fetched": 0, "urls": 0, "failed": 0}
        self.revisit_stats: dict[str, int] = {"sitemap_lastmods": 0, "recheck_due": 0}
        """Sitemap URLs with a readable lastmod; known pages it showed unchanged but whose last fetch was
        older than ``recheck_after`` (re-checked with a request)."""
        self.result: dict[str, Any] | None = None
        """The manifest, once the crawl has ended."""
        self._lock_fh: IO[str] | None = None
        self.worker_id: str | None = None
        """A distributed crawl's worker id (None for a crawl on its own)."""
        self.join_only = False
        """A worker given no start URLs: it joins the running job and never starts one."""
        if self.config.redis_url:
            from .state_redis import default_worker_id, sanitize_worker_id

            wid = self.config.worker_id
            self.worker_id = sanitize_worker_id(wid) if wid else default_worker_id()

    @property
    def shared(self) -> bool:
        """A distributed crawl: the frontier, ledger and page state live in Redis, shared with other workers."""
        return self.worker_id is not None

    @property
    def records_file(self) -> str:
        return f"records-{self.worker_id}.jsonl" if self.worker_id else RECORDS_FILE

    @property
    def lock_file(self) -> str:
        return f".titlecrawl-{self.worker_id}.lock" if self.worker_id else LOCK_FILE

    @property
    def opened(self) -> bool:
        return self.job is not None

    def open(self) -> None:
        if self.job is not None:
            return
        cfg = self.config
        if cfg.outdir is not None:
            cfg.outdir.mkdir(parents=True, exist_ok=True)
            self._lock_outdir(cfg.outdir)
        meta: dict[str, object] = {"start_urls": self.start_urls, "profile": self.profile.name if self.profile else None}
        if self.worker_id is not None:
            from .state_redis import NoRunningJob, RedisStore

            store = RedisStore(str(cfg.state), prefix=cfg.redis_prefix, worker=self.worker_id,
                               heartbeat_ttl=cfg.heartbeat_ttl)
            self.store = store
            try:
                self.job = store.open_job(new_run_id(), f"{new_run_id()}-{self.worker_id}", resumable=True,
                                          meta=meta, join_only=self.join_only)
            except NoRunningJob as exc:
                self.close()
                raise CrawlConfigError(str(exc)) from None
        else:
            self.store = open_store(cfg.state)
            job_id, resumable = self._job_identity()
            self.job = self.store.open_job(job_id, new_run_id(), resumable=resumable, meta=meta)
        if self.job.resumed:
            logger.info("%s job %s (run %s, started %s)", "joining" if self.shared else "resuming",
                        self.job.job_id, self.job.run_id, self.job.started_at)
        if cfg.outdir is not None:
            self.journal = RecordJournal(cfg.outdir / self.records_file, self.store)
        if self.worker_id is not None:
            self._register_worker()

    def _lock_outdir(self, outdir: Path) -> None:
        fh = (outdir / self.lock_file).open("w")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise CrawlConfigError(f"another crawl is writing to {outdir}") from None
        fh.write(str(os.getpid()))
        fh.flush()
        self._lock_fh = fh

    def _job_identity(self) -> tuple[str, bool]:
        job_dir = self.config.job_dir
        if job_dir is None:
            return new_run_id(), False
        job_dir.mkdir(parents=True, exist_ok=True)
        path = job_dir / JOB_FILE
        spec = self.config.state
        state = spec if spec is None or "://" in spec else str(Path(spec).resolve())
        state = state or ":memory:"
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if data.get("state") not in (None, state):
                raise CrawlConfigError(
                    f"job dir {job_dir} belongs to a crawl with state {data['state']}, not {state}"
                )
            if isinstance(data.get("job_id"), str):
                return data["job_id"], True
        job_id = "job-" + secrets.token_hex(6)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"job_id": job_id, "state": state}, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
        return job_id, True

    # -- helpers for the spider and middlewares --------------------------------------------
    def require(self) -> tuple[CrawlStore, Job]:
        self.open()
        if self.store is None or self.job is None:
            raise RuntimeError("the crawl session is closed")
        return self.store, self.job

    def discover(self, urls: list[str]) -> list[str]:
        """Accept links into the job's frontier; return the ones to request now."""
        store, job = self.require()
        limit = self.config.max_pages
        added = store.discover(job, urls, limit=limit)
        if limit is not None and len(added) < len(urls):
            over = sum(1 for u in urls if store.state_of(job, u) is None)
            self.skipped_max_pages += over
        return added

    def first_claim(self, name: str) -> bool:
        """True when this process should do a once-per-job step (always, for a crawl on its own)."""
        store, job = self.require()
        claim = getattr(store, "claim_once", None)
        return True if claim is None else bool(claim(job, name))

    def agree(self, name: str, value: str) -> str:
        """``value``, or the value another worker of this distributed job settled ``name`` on first."""
        store, job = self.require()
        agree = getattr(store, "agree", None)
        return value if agree is None else str(agree(job, name, value))

    # -- distributed crawls ------------------------------------------------------------------
    def _register_worker(self) -> None:
        from .state_redis import RedisStore

        store = self.store
        if not isinstance(store, RedisStore):
            return
        outdir = self.config.outdir
        info: dict[str, Any] = {"outdir": str(outdir.resolve()) if outdir else None}
        if outdir is not None and self.journal is not None:
            info["journal"] = str(self.journal.path.resolve())
            info["lock"] = str((outdir / self.lock_file).resolve())
        store.register(info)

    def adopt_dead_workers(self) -> int:
        """Take over the records of dead workers that wrote into this output folder on this host.

        A worker killed before its end of run leaves ``records-<worker>.jsonl`` with records its
        dataset export never saw, maybe with a tail past its committed length (pages whose outcome
        was never committed: still pending, crawled again). Their committed, unexported part moves
        into this worker's journal (so this run's export writes it), the dead journal is cut back to
        what it exported itself, and the dead run's failures move to this run. The dead worker's lock
        file, held by ``flock`` while it lives, tells that it is dead and keeps two adopters apart.
        """
        from .state_redis import RedisStore

        store, journal, outdir = self.store, self.journal, self.config.outdir
        if not isinstance(store, RedisStore) or journal is None or outdir is None:
            return 0
        host, here = socket.gethostname(), str(outdir.resolve())
        workers = store.workers()
        candidates = [w for w, info in workers.items()
                      if w != store.worker and info.get("host") == host and info.get("outdir") == here
                      and info.get("journal") and info.get("lock")]  # fmt: skip
        moved = 0
        for worker in candidates:  # the flock, not the heartbeat, tells on this host: it may not have expired yet
            info = workers[worker]
            with _try_lock(Path(info["lock"])) as locked:
                if not locked or worker not in store.workers():
                    continue  # still running, or adopted meanwhile
                moved += self._adopt(store, worker, info)
        return moved

    def _adopt(self, store: Any, worker: str, info: dict[str, Any]) -> int:
        journal = self.journal
        assert journal is not None  # noqa: S101 - checked by the caller
        path = Path(info["journal"])
        jkey, ekey = f"journal:{path}", f"exported:{path}"
        mark = store.get_mark(jkey) or 0
        exported = min(store.get_mark(ekey) or 0, mark)
        lines: list[bytes] = []
        if path.is_file() and mark > exported:
            with path.open("rb") as fh:
                fh.seek(exported)
                lines = [line.rstrip(b"\n") for line in fh.read(mark - exported).splitlines() if line.strip()]
        for line in lines:
            journal.append(line)
        store.set_mark(jkey, exported)
        store.set_mark(ekey, exported)
        store.commit()  # this journal's new length and the dead one's, in one write
        if info.get("run_id"):
            store.adopt_run(str(info["run_id"]))
        if path.is_file():
            with path.open("r+b") as fh:
                fh.truncate(exported)
        store.db.hdel(store.keys.workers, worker)
        with contextlib.suppress(OSError):
            Path(info["lock"]).unlink()
        logger.warning("adopted %d records of dead worker %s (%s)", len(lines), worker, path.name)
        return len(lines)

    def is_allowed(self, url: str) -> bool:
        return site_key(url) in self.allowed_sites

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()
        if self.store is not None:
            if self.worker_id is not None:
                with contextlib.suppress(Exception):  # Redis gone: the heartbeat expires by itself
                    self.store.deregister(clean=self.result is not None)  # type: ignore[attr-defined]
            self.store.close()
            self.store = None
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None


@contextlib.contextmanager
def _try_lock(path: Path) -> Iterator[bool]:
    """Hold ``path``'s flock if nobody else does (yields False when a live process holds it)."""
    try:
        fh = path.open("a")
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        fh.close()


_SESSIONS: weakref.WeakKeyDictionary[Crawler, CrawlSession] = weakref.WeakKeyDictionary()


def session_for(crawler: Crawler) -> CrawlSession:
    """The crawl session of a crawler (made on first use)."""
    session = _SESSIONS.get(crawler)
    if session is None:
        session = _SESSIONS[crawler] = CrawlSession(crawler)
    return session
