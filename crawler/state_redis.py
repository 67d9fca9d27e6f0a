"""The crawl state in Redis, shared by many crawler processes (``titlecrawl crawl --redis URL``).

``RedisStore`` implements ``CrawlStore`` (``crawler/state.py``) with the same meaning, for workers on
several machines at once:

- page state: one hash field per URL (``PREFIX:pages``), kept across jobs for incremental crawls;
- one shared job per key prefix (``PREFIX:job``): the first worker (or ``titlecrawl seed``) starts it,
  the others join it; a job that is ``done`` is replaced by a new one when a worker next starts;
- the job ledger: ``PREFIX:ledger`` (URL -> ``p`` pending, ``d`` done, ``r`` redirect), the outcomes
  (``PREFIX:outcomes``) and counters (``PREFIX:count``). ``discover``, ``finish`` and ``redirect`` are
  Lua scripts, so a URL is accepted once and ends as exactly one outcome whichever worker gets there
  first; ``finish`` also writes the records journal's new length (its mark) in the same step, so a
  record line is committed exactly when its URL's outcome is;
- workers: ``PREFIX:workers`` (id -> host, pid, run, output folder, journal), a heartbeat key
  ``PREFIX:alive:<id>`` with a TTL, and ``PREFIX:inflight:<id>``, the requests a worker has taken
  from the queue and not yet ended (``crawler/redis_frontier.py`` fills and drains it; when the
  heartbeat has expired another worker puts the pending ones back on the queue).

Unlike SQLite there is no multi-key transaction across calls: page state and job metadata are written
at once; only journal marks are held back until the next ``finish`` or ``commit``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import redis

from .state import Job, Outcome, PageState

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "titlecrawl"
SPIDER = "wiki"

_STATES = {b"p": "pending", b"d": "done", b"r": "redirect"}

_DISCOVER = """
local limit = tonumber(ARGV[1])
local added = {}
for i = 2, #ARGV do
  if limit >= 0 and tonumber(redis.call('HGET', KEYS[2], 'accepted') or '0') >= limit then break end
  if redis.call('HSETNX', KEYS[1], ARGV[i], 'p') == 1 then
    redis.call('HINCRBY', KEYS[2], 'accepted', 1)
    redis.call('HINCRBY', KEYS[2], 'pending', 1)
    added[#added + 1] = ARGV[i]
  end
end
return added
"""

# KEYS: ledger, count, outcomes, marks, ended; ARGV: url, outcome json, is failure, mark key, mark value ...
_FINISH = """
local s = redis.call('HGET', KEYS[1], ARGV[1])
if s == 'd' or s == 'r' then return 0 end
if s == 'p' then
  redis.call('HINCRBY', KEYS[2], 'pending', -1)
else
  redis.call('HINCRBY', KEYS[2], 'accepted', 1)
end
redis.call('HSET', KEYS[1], ARGV[1], 'd')
redis.call('HINCRBY', KEYS[2], 'done', 1)
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
if ARGV[3] == '1' then redis.call('RPUSH', KEYS[5], ARGV[1]) end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1]) end
return 1
"""

_REDIRECT = """
local s = redis.call('HGET', KEYS[1], ARGV[1])
if s == 'd' or s == 'r' then return 0 end
if s == 'p' then
  redis.call('HINCRBY', KEYS[2], 'pending', -1)
  redis.call('HINCRBY', KEYS[2], 'accepted', -1)
end
redis.call('HSET', KEYS[1], ARGV[1], 'r')
redis.call('HINCRBY', KEYS[2], 'redirect', 1)
return 1
"""

# KEYS: job, then the keys of a job's frontier; ARGV: job id, started at, meta json, '1' to only join.
_OPEN_JOB = """
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'running' then
  return {0, redis.call('HGET', KEYS[1], 'job_id'), redis.call('HGET', KEYS[1], 'started_at'),
          redis.call('HGET', KEYS[1], 'meta')}
end
if ARGV[4] == '1' then return {-1} end
for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'job_id', ARGV[1], 'started_at', ARGV[2], 'status', 'running', 'meta', ARGV[3])
return {1, ARGV[1], ARGV[2], ARGV[3]}
"""


class NoRunningJob(RuntimeError):
    """A worker given no start URLs found no running job to join."""


@dataclass(frozen=True, slots=True)
class RedisKeys:
    """Every key a crawl uses, under one prefix (several crawls can share one Redis database)."""

    prefix: str = DEFAULT_PREFIX

    def __getattr__(self, name: str) -> str:  # pages, job, ledger, count, outcomes, marks, workers
        if name.startswith("_"):
            raise AttributeError(name)
        return f"{self.prefix}:{name}"

    @property
    def queue(self) -> str:
        """scrapy-redis' request queue (``SCHEDULER_QUEUE_KEY``)."""
        return f"{self.prefix}:{SPIDER}:requests"

    @property
    def dupefilter(self) -> str:
        """scrapy-redis' duplicate filter (``SCHEDULER_DUPEFILTER_KEY``)."""
        return f"{self.prefix}:{SPIDER}:dupefilter"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    def inflight(self, worker: str) -> str:
        return f"{self.prefix}:inflight:{worker}"

    def ended(self, run_id: str) -> str:
        return f"{self.prefix}:ended:{run_id}"

    def frontier(self) -> list[str]:
        """The keys a new job starts without (its ledger, outcomes, queue, duplicate filter)."""
        return [self.ledger, self.count, self.outcomes, self.queue, self.dupefilter, self.once]


def default_worker_id() -> str:
    """``<host>-<pid>``: unique among running workers."""
    return sanitize_worker_id(f"{socket.gethostname()}-{os.getpid()}")


def sanitize_worker_id(value: str) -> str:
    """Letters, digits, ``.``, ``_`` and ``-`` only (it names files and keys).

    >>> sanitize_worker_id("crawl box/1")
    'crawl-box-1'
    """
    cleaned = "".join(c if c.isalnum() or c in "._-" else "-" for c in value.strip()).strip("-.")
    if not cleaned:
        raise ValueError(f"unusable worker id {value!r}")
    return cleaned[:80]


def connect(url: str) -> redis.Redis[bytes]:
    """A client for ``redis://HOST:PORT/DB`` (bytes replies), failing fast when Redis is unreachable."""
    client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10, retry_on_timeout=True)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ConnectionError(f"cannot reach Redis at {redact(url)}: {exc}") from exc
    return client


def redact(url: str) -> str:
    """The Redis URL without its password.

    >>> redact("redis://:secret@10.0.0.5:6379/0")
    'redis://***@10.0.0.5:6379/0'
    """
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _pack_state(state: PageState) -> bytes:
    data = {
        "etag": state.etag, "last_modified": state.last_modified, "content_sha256": state.content_sha256,
        "record_sha256": state.record_sha256, "record_id": state.record_id,
        "extractor_version": state.extractor_version, "first_seen": state.first_seen,
        "last_seen": state.last_seen, "last_changed": state.last_changed, "links": list(state.links),
        "last_fetched": state.last_fetched,
    }  # fmt: skip
    return zlib.compress(orjson.dumps(data), 6)


def _unpack_state(url: str, blob: bytes) -> PageState:
    data = orjson.loads(zlib.decompress(blob))
    links = tuple(data.pop("links", ()) or ())
    return PageState(url=url, links=links, **data)


def _outcome_json(o: Outcome) -> bytes:
    return orjson.dumps({
        "outcome": o.outcome, "http_status": o.http_status, "reason": o.reason, "fetched_at": o.fetched_at,
        "record_id": o.record_id, "record_status": o.record_status, "family": o.family,
        "errors": [list(e) for e in o.errors], "change": o.change,
    })  # fmt: skip


def _outcome(url: str, blob: bytes) -> Outcome:
    d = orjson.loads(blob)
    return Outcome(
        url=url, outcome=d["outcome"], http_status=d.get("http_status"), reason=d.get("reason"),
        fetched_at=d.get("fetched_at"), record_id=d.get("record_id"), record_status=d.get("record_status"),
        family=d.get("family"), errors=tuple((str(f), str(k)) for f, k in d.get("errors") or ()),
        change=d.get("change"),
    )  # fmt: skip


class RedisStore:
    """Page state, the shared job's ledger and the workers' registry in one Redis database."""

    COMMIT_INTERVAL = 0.5

    def __init__(
        self,
        url: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        worker: str | None = None,
        heartbeat_ttl: float = 60.0,
    ) -> None:
        self.url = url
        self.keys = RedisKeys(prefix)
        self.worker = sanitize_worker_id(worker) if worker else default_worker_id()
        self.heartbeat_ttl = heartbeat_ttl
        self.db = connect(url)
        self._discover = self.db.register_script(_DISCOVER)
        self._finish = self.db.register_script(_FINISH)
        self._redirect = self.db.register_script(_REDIRECT)
        self._open_job = self.db.register_script(_OPEN_JOB)
        self._marks: dict[str, int] = {}
        self._last_commit = time.monotonic()
        self.run_id: str | None = None

    # -- commits: only journal marks wait for one ------------------------------------------------
    def commit(self) -> None:
        if self._marks:
            self.db.hset(self.keys.marks, mapping=dict(self._marks))  # type: ignore[arg-type]
            self._marks.clear()
        self._last_commit = time.monotonic()

    def maybe_commit(self) -> bool:
        if self._marks and time.monotonic() - self._last_commit >= self.COMMIT_INTERVAL:
            self.commit()
            return True
        return False

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.db.close()

    # -- page state ----------------------------------------------------------------------------
    def get(self, url: str) -> PageState | None:
        blob = self.db.hget(self.keys.pages, url)
        return None if blob is None else _unpack_state(url, blob)

    def put(self, state: PageState) -> None:
        self.db.hset(self.keys.pages, state.url, _pack_state(state))

    def page_count(self) -> int:
        return int(self.db.hlen(self.keys.pages))

    # -- journal marks -------------------------------------------------------------------------
    def get_mark(self, key: str) -> int | None:
        if key in self._marks:
            return self._marks[key]
        value = self.db.hget(self.keys.marks, key)
        return None if value is None else int(value)

    def set_mark(self, key: str, value: int) -> None:
        self._marks[key] = value

    # -- the shared job ------------------------------------------------------------------------
    def open_job(
        self, job_id: str, run_id: str, *, resumable: bool, meta: dict[str, object], join_only: bool = False
    ) -> Job:
        """Join the running job, or start one (``job_id`` names a new job; ``run_id`` is this worker's run).

        Starting a job drops the ledger, queue and duplicate filter of the previous (finished) one.
        ``join_only`` (a worker given no start URLs): no job is started; ``NoRunningJob`` if none runs.
        """
        reply = self._open_job(
            keys=[self.keys.job, *self.keys.frontier()],
            args=[job_id, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), json.dumps(meta),
                  "1" if join_only else "0"],
        )  # fmt: skip
        if reply[0] == -1:
            raise NoRunningJob(
                f"no running job in Redis at {redact(self.url)} (prefix {self.keys.prefix!r}): it has finished or "
                "was never seeded; seed one with `titlecrawl seed`, or give the worker start URLs"
            )
        created, shared_id, started, meta_json = reply
        self.run_id = run_id
        job_meta = json.loads(_text(meta_json) or "{}")
        if not created and not job_meta.get("start_urls") and meta.get("start_urls"):
            job_meta.update(meta)
            self.db.hset(self.keys.job, "meta", json.dumps(job_meta))
        return Job(str(_text(shared_id)), run_id, str(_text(started)), resumed=not created, resumable=True,
                   meta=job_meta)

    def job_info(self) -> dict[str, Any]:
        """The shared job's fields (empty when none was ever started)."""
        raw = self.db.hgetall(self.keys.job)
        info: dict[str, Any] = {str(_text(k)): _text(v) for k, v in raw.items()}
        if "meta" in info:
            info["meta"] = json.loads(info["meta"] or "{}")
        return info

    def set_job_meta(self, job: Job, **values: object) -> None:
        job.meta.update(values)
        self.db.hset(self.keys.job, "meta", json.dumps(job.meta))

    def close_job(self, job: Job, *, finished: bool) -> None:
        """A finished job is marked done (for every worker); an unfinished one stays running for the others."""
        self.commit()
        if finished:
            self.db.hset(self.keys.job, mapping={
                "status": "done", "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            })  # fmt: skip

    def claim_once(self, job: Job, name: str) -> bool:
        """True for the first worker of the job to ask (e.g. to read the sitemaps once per job)."""
        return bool(self.db.hsetnx(self.keys.once, name, self.worker))

    def agree(self, job: Job, name: str, value: str) -> str:
        """The job's value for ``name``: ``value`` if this worker is the first to set it, else the first one's."""
        self.db.hsetnx(self.keys.once, f"value:{name}", value)
        return str(_text(self.db.hget(self.keys.once, f"value:{name}")) or value)

    # -- ledger --------------------------------------------------------------------------------
    def discover(self, job: Job, urls: Iterable[str], *, limit: int | None = None) -> list[str]:
        batch = list(urls)
        if not batch:
            return []
        added = self._discover(keys=[self.keys.ledger, self.keys.count],
                               args=[-1 if limit is None else limit, *batch])
        return [str(_text(u)) for u in added]

    def _count(self, name: str) -> int:
        return int(self.db.hget(self.keys.count, name) or 0)

    def accepted(self, job: Job) -> int:
        return self._count("accepted")

    def pending_count(self, job: Job | None = None) -> int:
        return self._count("pending")

    def pending(self, job: Job, *, batch: int = 1000) -> Iterator[str]:
        for url, state in self.db.hscan_iter(self.keys.ledger, count=batch):
            if state == b"p":
                yield str(_text(url))

    def state_of(self, job: Job, url: str) -> str | None:
        value = self.db.hget(self.keys.ledger, url)
        return None if value is None else _STATES.get(value)

    def states_of(self, urls: list[str]) -> list[str | None]:
        if not urls:
            return []
        return [None if v is None else _STATES.get(v) for v in self.db.hmget(self.keys.ledger, urls)]

    def finish(self, job: Job, outcome: Outcome) -> bool:
        """Record a URL's outcome (with the journal marks set since the last commit, in one step);
        False, and nothing written, when it already has one."""
        marks = [x for key, value in self._marks.items() for x in (key, value)]
        done = self._finish(
            keys=[self.keys.ledger, self.keys.count, self.keys.outcomes, self.keys.marks,
                  self.keys.ended(self.run_id or job.run_id)],
            args=[outcome.url, _outcome_json(outcome), "1" if outcome.outcome == "failure" else "0", *marks],
        )  # fmt: skip
        if done:
            self._marks.clear()
        return bool(done)

    def redirect(self, job: Job, url: str, target: str) -> None:
        self._redirect(keys=[self.keys.ledger, self.keys.count], args=[url, target])

    def outcomes(self, job: Job) -> Iterator[Outcome]:
        for url, blob in self.db.hscan_iter(self.keys.outcomes, count=1000):
            yield _outcome(str(_text(url)), blob)

    def run_failures(self, job: Job) -> Iterator[Outcome]:
        """The failures this worker's run ended (and those of dead runs it adopted)."""
        key = self.keys.ended(self.run_id or job.run_id)
        start = 0
        while True:
            urls = [str(_text(u)) for u in self.db.lrange(key, start, start + 999)]
            if not urls:
                return
            start += len(urls)
            for url, blob in zip(urls, self.db.hmget(self.keys.outcomes, urls), strict=True):
                if blob is not None:
                    yield _outcome(url, blob)

    def ledger_counts(self, job: Job) -> dict[str, int]:
        counts = {str(_text(k)): int(v) for k, v in self.db.hgetall(self.keys.count).items()}
        return {name: counts[name] for name in ("pending", "done", "redirect") if counts.get(name)}

    # -- workers -------------------------------------------------------------------------------
    def register(self, info: dict[str, Any]) -> None:
        """Enter this worker in the registry and start its heartbeat."""
        entry = {"host": socket.gethostname(), "pid": os.getpid(), "run_id": self.run_id, **info}
        before = self.db.hget(self.keys.workers, self.worker)
        if before is not None:  # an earlier run under this id died: its failures become this run's
            old_run = json.loads(before).get("run_id")
            if old_run:
                self.adopt_run(str(old_run))
        self.db.hset(self.keys.workers, self.worker, json.dumps(entry))
        self.heartbeat()

    def heartbeat(self) -> None:
        self.db.set(self.keys.alive(self.worker), str(time.time()), ex=max(1, round(self.heartbeat_ttl)))

    def workers(self) -> dict[str, dict[str, Any]]:
        return {
            str(_text(w)): json.loads(v) for w, v in self.db.hgetall(self.keys.workers).items()
        }

    def alive(self, workers: list[str]) -> list[bool]:
        if not workers:
            return []
        pipe = self.db.pipeline(transaction=False)
        for w in workers:
            pipe.exists(self.keys.alive(w))
        return [bool(x) for x in pipe.execute()]

    def deregister(self, *, clean: bool) -> None:
        """Leave the registry: a clean exit drops its entry; otherwise only the heartbeat stops."""
        pipe = self.db.pipeline()
        pipe.delete(self.keys.alive(self.worker))
        if clean:
            pipe.hdel(self.keys.workers, self.worker)
            pipe.delete(self.keys.ended(self.run_id or ""))
        pipe.execute()

    def adopt_run(self, dead_run: str) -> None:
        """Take over the failures a dead worker's run ended (its records come with its journal)."""
        if self.run_id is None or dead_run == self.run_id:
            return
        src, dst = self.keys.ended(dead_run), self.keys.ended(self.run_id)
        urls = self.db.lrange(src, 0, -1)
        pipe = self.db.pipeline()
        if urls:
            pipe.rpush(dst, *urls)
        pipe.delete(src)
        pipe.execute()


def peek_job(url: str, prefix: str = DEFAULT_PREFIX) -> dict[str, Any]:
    """The shared job's fields without joining it (empty dict when there is none)."""
    client = connect(url)
    try:
        raw = client.hgetall(RedisKeys(prefix).job)
    finally:
        client.close()
    info: dict[str, Any] = {str(_text(k)): _text(v) for k, v in raw.items()}
    if "meta" in info:
        info["meta"] = json.loads(info["meta"] or "{}")
    return info
