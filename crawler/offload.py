"""Extraction off the crawl loop: a pool of worker processes running ``crawler.pageworker.process_page``.

One Scrapy process is bound to one core, and parsing plus extraction cost more than the crawl itself
(see docs/performance.md). ``ExtractionPool`` hands each fetched page (its bytes, URL, content type,
fetch time, profile) to a ``ProcessPoolExecutor`` (``forkserver`` start method: the crawl process has
threads, so it is never forked) and the spider awaits the result in its ``async def parse``, while
the reactor goes on downloading, writing WARC records and settling outcomes.

``TITLECRAWL_EXTRACT_WORKERS``: ``auto`` (default) = one worker per core (the crawl loop needs a fifth of
what extraction needs per page, so on 2 cores two workers and the loop share them best; a single core
extracts in the crawl process); ``0`` = extract in the crawl process; ``N`` = N workers.

Guarantees: every page gets exactly one ``PageResult``. An extraction exception comes back as
``PageResult.error`` (the URL becomes a failure naming it). A worker that dies (killed, out of memory,
a crash in a C library) breaks the pool: the pool is started again and the page tried once more in
a fresh worker; if that fails too, the page's result is an error (a failure), never a loss. ``close()``
(the spider's close, after every in-flight page has been handled, SIGTERM included) shuts the
workers down and waits for them.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .pageworker import PageJob, PageResult, process_page
from .state import pid_alive

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

SETTING = "TITLECRAWL_EXTRACT_WORKERS"
ATTEMPTS = 2
"""Tries per page when workers die: the first, and one in a fresh pool."""


def auto_workers() -> int:
    """One worker per core; none (extraction in the crawl process) on a single core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


def workers_from_settings(settings: BaseSettings) -> int:
    value = settings.get(SETTING, "auto")
    if value is None or str(value).strip().lower() in ("", "auto"):
        return auto_workers()
    try:
        workers = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{SETTING} must be 'auto' or a number of processes, not {value!r}") from None
    if workers < 0:
        raise ValueError(f"{SETTING} must be 0 or more, not {workers}")
    return workers


WATCH_INTERVAL = 0.2
"""Seconds between a worker's checks that the crawl process is still alive."""


WORKER_GC_THRESHOLDS = (50_000, 20, 20)
"""A worker's young-generation threshold: with the imported modules frozen, garbage collection cost a
worker about 0.1 ms per page at Python's default (700), nothing measurable at this one."""


def _init_worker(crawl_pid: int) -> None:
    # Ctrl-C reaches the whole process group: the crawl process decides how to stop, not its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # the modules the forkserver preloaded: never garbage, never scanned again
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    threading.Thread(target=_watch, args=(crawl_pid,), name="titlecrawl-watch", daemon=True).start()


def _watch(crawl_pid: int) -> None:
    """End this worker when the crawl process is gone (killed with -9: nobody is left to stop us, and a
    worker holding the crawl's stdout would keep a pipe reader waiting)."""
    while _alive(crawl_pid):
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie, killed but not yet reaped by its parent, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        return pid_alive(pid)
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


class ExtractionPool:
    """Runs ``process_page`` in ``workers`` processes (0: in this process)."""

    def __init__(self, workers: int, func: Callable[[PageJob], PageResult] = process_page) -> None:
        self.workers = workers
        self.func = func
        """What runs per page: ``process_page`` (a test may give another module-level function)."""
        self._executor: ProcessPoolExecutor | None = None
        self.restarts = 0
        self.closed = False

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context: Any = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["crawler.pageworker"])
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                                 initargs=(os.getpid(),))
            logger.info("extraction in %d worker process(es)", self.workers)
        return self._executor

    async def run(self, job: PageJob) -> PageResult:
        """The page's result: from a worker, or from this process when ``workers`` is 0 or closed."""
        if self.workers == 0 or self.closed:
            return self.func(job)
        error: BaseException | None = None
        for _attempt in range(ATTEMPTS):
            executor = self._start()
            try:
                return await asyncio.wrap_future(executor.submit(self.func, job))
            except BrokenProcessPool as exc:
                error = exc
                self._restart(executor)
            except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be unpickled: this URL's failure
                error = exc
                break
        logger.error("extraction of %s failed in the workers: %s", job.url, error)
        return PageResult(content_sha256=hashlib.sha256(job.body).hexdigest(), links=(),
                          error=f"extraction worker failed: {type(error).__name__}: {error}")  # fmt: skip

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        """Drop a broken pool (once, however many of its pages noticed)."""
        if self._executor is broken:
            self._executor = None
            self.restarts += 1
            logger.warning("an extraction worker died; starting the pool again")
            broken.shutdown(wait=False, cancel_futures=True)

    def pids(self) -> list[int]:
        """Process ids of the running workers."""
        executor = self._executor
        processes: dict[int, Any] = getattr(executor, "_processes", None) or {}
        return sorted(processes)

    def close(self) -> None:
        """Stop the workers, once the pages given to them are done (waits for them)."""
        self.closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
