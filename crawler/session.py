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
import time
import weakref
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

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CrawlConfig:
        outdir = settings.get("TITLECRAWL_OUTDIR")
        state = settings.get("TITLECRAWL_STATE")
        job_dir = settings.get("TITLECRAWL_JOB_DIR") or settings.get("JOBDIR")
        max_pages = settings.getint("TITLECRAWL_MAX_PAGES") or None
        out = Path(outdir) if outdir else None
        if state:
            state_spec: str | None = str(state)
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
        )


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
        self.result: dict[str, Any] | None = None
        """The manifest, once the crawl has ended."""
        self._lock_fh: IO[str] | None = None

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
        self.store = open_store(cfg.state)
        job_id, resumable = self._job_identity()
        self.job = self.store.open_job(
            job_id, new_run_id(), resumable=resumable,
            meta={"start_urls": self.start_urls, "profile": self.profile.name if self.profile else None},
        )
        if self.job.resumed:
            logger.info("resuming job %s (run %s, started %s)", job_id, self.job.run_id, self.job.started_at)
        if cfg.outdir is not None:
            self.journal = RecordJournal(cfg.outdir / RECORDS_FILE, self.store)

    def _lock_outdir(self, outdir: Path) -> None:
        fh = (outdir / LOCK_FILE).open("w")
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

    def is_allowed(self, url: str) -> bool:
        return site_key(url) in self.allowed_sites

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()
        if self.store is not None:
            self.store.close()
            self.store = None
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None


_SESSIONS: weakref.WeakKeyDictionary[Crawler, CrawlSession] = weakref.WeakKeyDictionary()


def session_for(crawler: Crawler) -> CrawlSession:
    """The crawl session of a crawler (made on first use)."""
    session = _SESSIONS.get(crawler)
    if session is None:
        session = _SESSIONS[crawler] = CrawlSession(crawler)
    return session
