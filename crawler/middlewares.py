"""Downloader and spider middlewares: frontier checks, conditional requests, polite retries, no lost URLs.

- ``FrontierMiddleware``: a redirect that leaves the site is a failure (the target is never fetched);
  a redirect to a URL the job already has, or a request for a URL it has already ended (a replay),
  is dropped: that URL gets its outcome from its own request.
- ``ConditionalRequestMiddleware``: adds ``If-None-Match`` / ``If-Modified-Since`` from the state
  store, unless the page's record was made by an older extractor version (then it is fetched whole
  and extracted again).
- ``SharedRobotsTxtMiddleware`` (replaces Scrapy's ``RobotsTxtMiddleware``): every request that waits for
  a site's robots.txt gets its rules. Scrapy 2.19 lets all waiters await one Deferred through
  ``deferred_to_future``, which consumes its result: only the first waiter saw the parser, the others
  got ``None`` ("no robots.txt": allow everything). A resumed crawl, which sends many pending URLs
  before robots.txt has arrived, fetched pages robots.txt disallows.
- ``PoliteRetryMiddleware`` (replaces Scrapy's ``RetryMiddleware``): bounded retries with
  exponential backoff; on 429/503 it honours ``Retry-After`` (seconds or an HTTP date) and pauses
  the whole host for that long; a wait over ``TITLECRAWL_RETRY_AFTER_MAX`` makes the URL a failure.
- ``OutcomeSpiderMiddleware``: an exception in a callback becomes the URL's failure, not a lost URL.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Iterable
from datetime import UTC
from typing import TYPE_CHECKING, Any, Self

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.asyncio import sleep as async_sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

from .failures import AlreadyDone, OffsiteRedirect, RedirectLoop
from .items import PageItem
from .redact import redact_url
from .revisit import extractor_outdated
from .session import CrawlSession, session_for, site_key, utc_now

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def _is_infra(request: Request) -> bool:
    """robots.txt and sitemap requests: not pages of the crawl."""
    return "tc_url" not in request.meta


class FrontierMiddleware:
    def __init__(self, session: CrawlSession) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(session_for(crawler))

    def process_request(self, request: Request) -> None:
        if _is_infra(request):
            return
        session = self.session
        if not session.is_allowed(request.url):
            raise OffsiteRedirect(f"redirect off-site to {redact_url(request.url)}")
        store, job = session.require()
        url = request.meta["tc_url"]
        hops: list[str] = request.meta.get("redirect_urls") or []
        if request.url in hops:
            raise RedirectLoop("redirect loop")  # the last hop carries the failure (see describe_failure)
        if request.url != url:  # a redirect
            if store.state_of(job, request.url) is not None:
                raise AlreadyDone(request.url)  # the job already has the target: its own request ends it
            if not store.discover(job, [request.url]):  # this request now owns the target: no second fetch
                raise AlreadyDone(request.url)  # another worker accepted it a moment ago
            if hops and hops[-1] != url:
                store.redirect(job, hops[-1], request.url)  # a hop of a chain: it has no page of its own
        if store.state_of(job, url) in ("done", "redirect"):
            raise AlreadyDone(url)


class ConditionalRequestMiddleware:
    def __init__(self, session: CrawlSession) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(session_for(crawler))

    def process_request(self, request: Request) -> None:
        if _is_infra(request) or not self.session.config.conditional:
            return
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return
        store, _job = self.session.require()
        known = store.get(request.url)
        if known is None or known.content_sha256 is None:
            return
        if extractor_outdated(known):
            return  # an older extractor made the record: fetch it whole and extract it again
        if known.etag:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified:
            request.headers[b"If-Modified-Since"] = known.last_modified


def parse_retry_after(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date); None if absent or bad.

    >>> parse_retry_after(b"120")
    120.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class PoliteRetryMiddleware(RetryMiddleware):
    """Bounded retries with backoff; honours Retry-After and pauses the host meanwhile."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("TITLECRAWL_RETRY_AFTER_MAX")
        self.backoff_base = settings.getfloat("TITLECRAWL_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("TITLECRAWL_BACKOFF_MAX")
        self.paused_until: dict[str, float] = {}
        self.slot_paused_until: dict[str, float] = {}

    async def process_request(self, request: Request) -> None:
        """Hold a request until its host's pause and its own retry time have passed."""
        wait_until = max(
            self.paused_until.get(site_key(request.url), 0.0), float(request.meta.get("tc_not_before", 0.0))
        )
        wait = min(wait_until - time.monotonic(), self.retry_after_max)  # a request from another host's clock
        if wait > 0:
            await async_sleep(wait)

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry_after = parse_retry_after(response.headers.get(b"Retry-After"))
        if retry_after is not None and retry_after > self.retry_after_max:
            request.meta["tc_giveup_reason"] = (
                f"HTTP {response.status}: server asked to retry after {retry_after:g} s, "
                f"over the {self.retry_after_max:g} s limit"
            )
            self.crawler.stats.inc_value("retry/retry_after_too_long")  # type: ignore[union-attr]
            return response
        retried = self._retry(request, response_status_message(response.status))
        if retried is None:
            return response
        delay = retry_after if retry_after is not None else self.backoff(int(request.meta.get("retry_times", 0)))
        not_before = time.monotonic() + delay
        retried.meta["tc_not_before"] = not_before
        if retry_after is not None:
            key = site_key(request.url)
            self.paused_until[key] = max(self.paused_until.get(key, 0.0), not_before)
            self.pause_slot(request, retry_after)
            logger.info("%s answered %d: pausing %s for %g s (Retry-After)", request.url, response.status, key,
                        retry_after)
        return retried

    def pause_slot(self, request: Request, seconds: float) -> None:
        """Hold the requests already queued in the host's download slot too, not only the ones to come.

        Scrapy keeps up to CONCURRENT_REQUESTS requests queued per slot, past the middlewares; its own
        delay timer (``slot.latercall``) is replaced by one for the pause. Internals: without them
        (another Scrapy version) only requests that have not reached the slot wait.
        """
        downloader: Any = getattr(self.crawler.engine, "downloader", None)
        try:
            key = downloader.get_slot_key(request)
            slot = downloader.slots.get(key)
            resume = downloader._latercall
        except AttributeError:
            logger.debug("cannot pause the download slot of %s", request.url)
            return
        if slot is None:
            return
        until = time.monotonic() + seconds
        if until <= self.slot_paused_until.get(key, 0.0):
            return
        self.slot_paused_until[key] = until
        if slot.latercall is not None:
            slot.latercall.cancel()
        slot.latercall = call_later(seconds, resume, slot)

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        retried = super().process_exception(request, exception)
        if isinstance(retried, Request):
            retried.meta["tc_not_before"] = time.monotonic() + self.backoff(int(request.meta.get("retry_times", 0)))
        return retried

    def backoff(self, attempt: int) -> float:
        """Seconds before retry number ``attempt + 1``: base * 2^attempt, jittered, capped."""
        delay = min(self.backoff_max, self.backoff_base * (2**attempt))
        return float(delay * random.uniform(0.75, 1.25))


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with each waiter for a robots.txt in flight given its own Deferred."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        shared = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(shared, Deferred):  # known already, or this request fetches it
            return await super().robot_parser(request)
        mine: Deferred[RobotParser | None] = Deferred()

        def relay(result: Any) -> Any:
            mine.callback(result)
            return result  # the shared Deferred keeps its result for the next waiter

        shared.addBoth(relay)
        return await maybe_deferred_to_future(mine)


class OutcomeSpiderMiddleware:
    """A callback that raises still ends its URL: as a failure naming the exception."""

    def process_spider_exception(self, response: Response, exception: Exception) -> Iterable[Any] | None:
        url = response.meta.get("tc_url")
        if url is None:
            return None
        logger.error("error handling %s", response.url, exc_info=exception)
        return [
            PageItem(
                url=url,
                final_url=response.url,
                outcome="failure",
                fetched_at=utc_now(),
                http_status=response.status,
                reason=f"spider error: {type(exception).__name__}: {exception}",
            )
        ]

