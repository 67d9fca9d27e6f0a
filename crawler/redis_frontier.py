"""One frontier for many crawler processes: scrapy-redis' scheduler, with claims so a killed worker loses nothing.

With ``TITLECRAWL_REDIS_URL`` (or ``REDIS_URL``) set, ``apply_redis_settings`` switches the crawl to
scrapy-redis: ``SCHEDULER`` is ``ClaimingScheduler`` (a ``scrapy_redis.scheduler.Scheduler``),
``DUPEFILTER_CLASS`` is ``scrapy_redis.dupefilter.RFPDupeFilter``, the queue persists
(``SCHEDULER_PERSIST``), and the state store is a ``RedisStore`` (``crawler/state_redis.py``).

scrapy-redis pops a request off the shared queue and forgets it: if the worker dies, that request is
gone. ``ClaimingScheduler`` pops with a Lua script that moves the request into the worker's in-flight
hash (``PREFIX:inflight:<worker>``) in the same step. Every ``TITLECRAWL_REDIS_HEARTBEAT`` seconds the
worker renews its heartbeat key (TTL ``TITLECRAWL_REDIS_DEAD_AFTER``), drops the claims whose URL has
ended, and looks for dead workers: a worker whose heartbeat key has expired gets the still-pending
requests of its in-flight hash put back on the queue by whichever live worker sees it first. A
worker stopped cleanly (SIGTERM, Ctrl-C) gives its claims back at once.

A worker whose queue is empty does not stop while the job has pending URLs (another worker may still
find links): it waits, re-checks every few seconds, and once no live worker holds a claim and the
queue stays empty, it re-queues the pending URLs nobody holds (a worker killed between accepting a
link and queueing it). When the ledger has no pending URL left, every worker ends as ``finished``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.misc import load_object
from scrapy_redis import picklecompat
from scrapy_redis.scheduler import Scheduler

from .session import session_for
from .state_redis import DEFAULT_PREFIX, RedisKeys, RedisStore, peek_job

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.utils.asyncio import AsyncioLoopingCall
    from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)

POLL_INTERVAL = 1.0
"""Seconds between checks of the shared queue by a worker with nothing in flight."""

# KEYS: queue, this worker's in-flight hash. The lowest score first, as scrapy-redis' PriorityQueue.
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], r[1], r[2])
return r[1]
"""


def redis_url(settings: BaseSettings) -> str | None:
    """The Redis of a distributed crawl: ``TITLECRAWL_REDIS_URL``, else ``REDIS_URL``; None: none."""
    url = settings.get("TITLECRAWL_REDIS_URL") or settings.get("REDIS_URL")
    return str(url) if url else None


def apply_redis_settings(settings: BaseSettings) -> bool:
    """Switch scheduler, duplicate filter and queue keys to Redis when a Redis URL is set; True if so."""
    url = redis_url(settings)
    if url is None:
        return False
    keys = RedisKeys(str(settings.get("TITLECRAWL_REDIS_PREFIX") or DEFAULT_PREFIX))
    values: dict[str, object] = {
        "REDIS_URL": url,
        "SCHEDULER": "crawler.redis_frontier.ClaimingScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.queue,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
    }
    for name, value in values.items():
        settings.set(name, value, priority="spider")
    return True


def shared_start_urls(settings: BaseSettings) -> list[str]:
    """The start URLs of the running job in Redis (``titlecrawl seed``), for a worker given none."""
    url = redis_url(settings)
    if url is None:
        return []
    info = peek_job(url, str(settings.get("TITLECRAWL_REDIS_PREFIX") or DEFAULT_PREFIX))
    if info.get("status") != "running":
        return []
    return [str(u) for u in (info.get("meta") or {}).get("start_urls") or []]


def encode_page_request(url: str) -> bytes:
    """A page request as the queue stores it (what the spider's ``page_request`` gives, pickled)."""
    from scrapy import Request

    data = Request(url, dont_filter=True, meta={"tc_url": url}).to_dict()
    data["callback"], data["errback"] = "parse", "failed"
    return bytes(picklecompat.dumps(data))


class ClaimingScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis is untyped
    """scrapy-redis' scheduler whose pops are claims, released when the URL ends (see the module doc)."""

    crawler: Crawler
    spider: Spider
    df: Any
    queue: Any

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        instance: Self = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.interval = crawler.settings.getfloat("TITLECRAWL_REDIS_HEARTBEAT")
        instance.grace = crawler.settings.getfloat("TITLECRAWL_REDIS_ORPHAN_GRACE")
        instance.claims = {}
        instance.task = None
        instance.poll_task = None
        instance.quiet_since = None
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        return instance

    interval: float
    grace: float
    claims: dict[bytes, str]
    """Claimed request data -> its URL (page requests only)."""
    task: AsyncioLoopingCall | LoopingCall | None
    poll_task: AsyncioLoopingCall | LoopingCall | None
    quiet_since: float | None

    @property
    def store(self) -> RedisStore:
        store = session_for(self.crawler).require()[0]
        if not isinstance(store, RedisStore):
            raise TypeError("the Redis scheduler needs the Redis state store (TITLECRAWL_REDIS_URL)")
        return store

    def open(self, spider: Spider) -> None:
        """As scrapy-redis' ``open`` (queue, duplicate filter), then claims and the heartbeat."""
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )  # fmt: skip
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if len(self.queue):
            logger.info("joining a crawl with %d requests queued", len(self.queue))
        store = self.store
        self.inflight_key = store.keys.inflight(store.worker)
        self._pop = self.server.register_script(_POP)
        self.give_back(store.worker)  # claims a previous run under this worker id left behind
        self.task = create_looping_call(self.beat)
        self.task.start(self.interval, now=True)
        self.poll_task = create_looping_call(self.poll)
        self.poll_task.start(POLL_INTERVAL, now=False)

    def close(self, reason: str) -> None:
        for task in (self.task, self.poll_task):
            if task is not None and task.running:
                task.stop()
        try:
            self.give_back(self.store.worker)  # a stopped worker's unfinished requests go back at once
        except Exception:
            logger.warning("could not give back the in-flight requests; another worker will after the heartbeat "
                           "expires", exc_info=True)
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    # -- claims ------------------------------------------------------------------------------
    def next_request(self) -> Request | None:
        data = self._pop(keys=[self.queue.key, self.inflight_key])
        if not data:
            return None
        request: Request = self.queue._decode_request(data)
        url = request.meta.get("tc_url")
        if url is None:  # robots.txt, sitemaps: not in the ledger, not claimed
            self.server.hdel(self.inflight_key, data)
        else:
            self.claims[data] = str(url)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def release_ended(self) -> int:
        """Drop the claims whose URL has ended (its outcome is in the ledger)."""
        items = list(self.claims.items())
        states = self.store.states_of([url for _data, url in items])
        ended = [data for (data, _url), state in zip(items, states, strict=True) if state != "pending"]
        if ended:
            self.server.hdel(self.inflight_key, *ended)
            for data in ended:
                self.claims.pop(data, None)
        return len(ended)

    def give_back(self, worker: str) -> int:
        """Put ``worker``'s claimed requests whose URL is still pending back on the queue; return how many."""
        store = self.store
        key = store.keys.inflight(worker)
        lock = f"{key}:lock"
        if not self.server.set(lock, store.worker, nx=True, ex=60):
            return 0  # another worker is doing it
        try:
            entries = self.server.hgetall(key)
            requeued = 0
            urls = {data: self._url_of(data) for data in entries}
            states = dict(zip(urls, store.states_of([u or "" for u in urls.values()]), strict=True))
            pipe = self.server.pipeline()
            for data, score in entries.items():
                if urls[data] is not None and states[data] == "pending":
                    pipe.zadd(self.queue.key, {data: float(score)})
                    requeued += 1
            pipe.delete(key)
            pipe.execute()
            if worker == store.worker:
                self.claims.clear()
            if requeued:
                logger.warning("put %d in-flight requests of worker %s back on the queue", requeued, worker)
            return requeued
        finally:
            self.server.delete(lock)

    def _url_of(self, data: bytes) -> str | None:
        try:
            meta = picklecompat.loads(data).get("meta") or {}
        except Exception:  # noqa: BLE001 - a foreign or damaged entry: dropped
            logger.warning("dropping an unreadable in-flight entry (%d bytes)", len(data))
            return None
        url = meta.get("tc_url")
        return str(url) if url else None

    def recover_dead(self) -> int:
        """Re-queue the in-flight requests of workers whose heartbeat has expired."""
        store = self.store
        others = [w for w in store.workers() if w != store.worker]
        requeued = 0
        for worker, alive in zip(others, store.alive(others), strict=True):
            if not alive and self.server.exists(store.keys.inflight(worker)):
                requeued += self.give_back(worker)
        return requeued

    def beat(self) -> None:
        try:
            store = self.store
            store.heartbeat()
            self.release_ended()
            self.recover_dead()
        except Exception:
            logger.warning("Redis heartbeat failed", exc_info=True)

    def poll(self) -> None:
        """Wake an idle engine when other workers have queued requests.

        Scrapy asks the scheduler for more only after a download or item, or on its 5 s heartbeat; a
        worker with nothing in flight would otherwise sit out up to 5 s each time the shared queue
        runs dry for a moment. Uses the engine's internal ``_slot.nextcall`` when present.
        """
        slot: Any = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is None or getattr(slot, "inprogress", None):
            return  # requests in progress: each one's end asks the scheduler again
        try:
            if len(self.queue):
                nextcall.schedule()
        except Exception:  # a Redis hiccup: the next poll tries again
            logger.debug("queue poll failed", exc_info=True)

    # -- idle ----------------------------------------------------------------------------------
    def spider_idle(self, spider: Spider) -> None:
        """Keep the worker open while the job has pending URLs; re-queue orphans once everything is quiet."""
        store = self.store
        session = session_for(self.crawler)
        job = session.require()[1]
        if store.pending_count(job) <= 0:
            return  # the whole job is done: close as finished
        self.beat()
        if len(self.queue) == 0 and not self._claims_held(store):
            now = time.monotonic()
            if self.quiet_since is None:
                self.quiet_since = now
            elif now - self.quiet_since >= self.grace:
                self.requeue_orphans(store)
                self.quiet_since = None
        else:
            self.quiet_since = None
        raise DontCloseSpider

    def _claims_held(self, store: RedisStore) -> bool:
        workers = list(store.workers())
        if store.worker not in workers:
            workers.append(store.worker)
        alive = store.alive(workers)
        pipe = self.server.pipeline(transaction=False)
        for worker in workers:
            pipe.hlen(store.keys.inflight(worker))
        return any(n and ok for n, ok in zip(pipe.execute(), alive, strict=True))

    def requeue_orphans(self, store: RedisStore) -> int:
        """Queue the pending URLs that no live worker holds (accepted, then their worker died)."""
        if not self.server.set(f"{store.keys.prefix}:orphans:lock", store.worker, nx=True, ex=60):
            return 0
        job = session_for(self.crawler).require()[1]
        urls = list(store.pending(job))
        pipe = self.server.pipeline()
        for url in urls:
            pipe.zadd(self.queue.key, {encode_page_request(url): 0.0})
        pipe.execute()
        if urls:
            logger.warning("re-queued %d pending URLs that no live worker held", len(urls))
        return len(urls)
