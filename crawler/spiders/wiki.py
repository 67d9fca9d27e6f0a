"""The ``wiki`` spider: follows a wiki's links by its site profile and extracts each title page.

    scrapy crawl wiki -a start=http://127.0.0.1:8000/ -O out.jsonl
    scrapy crawl wiki -a start=https://www.giantbomb.com/games/ -a profile=whiskey -s TITLECRAWL_OUTDIR=out

Arguments: ``start`` (URLs, comma- or space-separated), ``profile`` (``whiskey``, ``mediawiki``,
``myanimelist``, ... ``generic``; by default chosen by the start URL's host, else by the first page's
markup). Everything else comes from the ``TITLECRAWL_*`` settings (see ``crawler/settings.py``).

The spider stays thin: it decides nothing about outcomes. For every URL it yields one ``PageItem``
(the page's record, a ``not_title`` page, a 304, a failure from the errback, or an ``unchanged`` page
that its sitemap ``<lastmod>`` settles without a request: ``crawler/revisit.py``); the sink pipeline
turns it into exactly one outcome.
"""

from __future__ import annotations

import gzip
import io
import ipaddress
import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from defusedxml import ElementTree as SafeET
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.asyncio import sleep as async_sleep
from twisted.python.failure import Failure

from crawler.failures import AlreadyDone, describe_failure
from crawler.items import PageItem
from crawler.offload import ExtractionPool, workers_from_settings
from crawler.pageworker import PageJob, page_links
from crawler.profiles import PROFILES, SiteProfile, get_profile, profile_for_url, sniff_profile
from crawler.redact import redact_url
from crawler.redis_frontier import apply_redis_settings, shared_start_urls
from crawler.revisit import SKIP_REASON, RevisitPolicy, extractor_outdated, parse_lastmod
from crawler.session import CrawlSession, normalize_link, session_for, site_key, utc_now
from crawler.state import PageState
from extractors.page import load_page
from titlecrawl import __version__

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

    from extractors.page import Page

logger = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
LOCAL_SETTINGS: dict[str, object] = {
    "DOWNLOAD_DELAY": 0.0,
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}
"""Defaults for a crawl whose start URLs are all on 127.0.0.1 / localhost (``TITLECRAWL_LOCAL_FAST``)."""
MAX_SITEMAPS = 50
SITEMAP_WAIT = 120.0
"""Longest wait, in seconds, for the sitemaps before the start URLs are requested (see ``WikiSpider.start``)."""


def user_agent(contact: str) -> str:
    """``titlecrawl/0.1.0 (+https://example.org/contact)``: the project, its version and a contact."""
    return f"titlecrawl/{__version__} (+{contact})" if contact else f"titlecrawl/{__version__}"


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WikiSpider(scrapy.Spider):
    name = "wiki"
    handle_httpstatus_list = [304]  # noqa: RUF012 - Scrapy reads this class attribute

    def __init__(
        self,
        start: str | None = None,
        profile: str | None = None,
        start_urls: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        urls = list(start_urls or []) + (start.replace(",", " ").split() if start else [])
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"start URL must be http(s): {redact_url(url)!r}")
            if redact_url(url) != url:  # it would reach logs, failures and manifests
                raise ValueError(f"a start URL must not carry a user name or password: {redact_url(url)}")
        self.start_urls = urls
        self.profile_name = profile
        self.session: CrawlSession
        self.profile: SiteProfile | None = None
        self._sitemaps_requested = False
        self._sitemaps_seen = 0
        self._sitemaps_open = 0
        """Sitemap requests not answered yet (``sitemaps_read`` waits for none)."""
        self._collecting = False
        self._sitemap_urls: dict[str, float | None] = {}
        """URLs of the sitemaps read so far (with their lastmod), visited together once all are read."""
        self.lastmods: dict[str, float] = {}
        """The sitemaps' lastmods, while their URLs and the start (or a resumed job's pending) URLs are visited."""
        self.revisit = RevisitPolicy()
        self.extraction = ExtractionPool(0)
        """Where pages are parsed and extracted (``TITLECRAWL_EXTRACT_WORKERS``; see crawler/offload.py)."""

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        apply_redis_settings(settings)  # TITLECRAWL_REDIS_URL / REDIS_URL: scrapy-redis scheduler
        if not settings.getpriority("USER_AGENT"):  # not set by anyone: name the project and a contact
            settings.set("USER_AGENT", user_agent(str(settings.get("TITLECRAWL_CONTACT") or "")), priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WikiSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        session = session_for(crawler)
        if not spider.start_urls and session.shared:  # a worker of a distributed crawl joins the seeded job
            spider.start_urls = shared_start_urls(crawler.settings)
            session.join_only = True
        if not spider.start_urls:
            raise ValueError("no running job in Redis to join: seed one (titlecrawl seed --redis URL START_URL)"
                             if session.shared else "give the wiki's start URL(s): -a start=URL[,URL...]")
        spider.session = session
        name = spider.profile_name or session.config.profile
        spider.profile = get_profile(name) if name else profile_for_url(spider.start_urls[0])
        session.profile = spider.profile
        session.start_urls = [normalize_link(u, u) or u for u in spider.start_urls]
        session.allowed_sites = {site_key(u) for u in session.start_urls}
        local = all(_is_loopback(u) for u in session.start_urls)
        if local and crawler.settings.getbool("TITLECRAWL_LOCAL_FAST"):
            for name, value in LOCAL_SETTINGS.items():  # your own server: no politeness delay
                if (crawler.settings.getpriority(name) or 0) <= SETTINGS_PRIORITIES["project"]:
                    crawler.settings.set(name, value, priority="spider")
        spider.extraction = ExtractionPool(workers_from_settings(crawler.settings))
        # --no-conditional fetches every page whole: no skipping either
        spider.revisit = RevisitPolicy(session.config.recheck_after if session.config.conditional else 0.0)
        session.open()  # lock the output folder, start or resume the job: fail before the engine starts
        if not session.config.contact and not local:
            logger.warning("no contact in the User-Agent: set TITLECRAWL_CONTACT (titlecrawl crawl --contact)")
        return spider

    # -- start -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        """The sitemaps first (when the profile is known), then the start URLs (a resumed job: its pending ones).

        Reading the sitemaps before the start page lets their lastmods settle unchanged pages before a
        link from another page requests them; the wait is bounded by ``SITEMAP_WAIT``.
        """
        session = self.session
        store, job = session.require()
        if self.profile is None and isinstance(job.meta.get("profile"), str):
            self.profile = session.profile = get_profile(str(job.meta["profile"]))
        if self.profile is not None:
            async for request in self.sitemap_requests():
                yield request
            await self.sitemaps_read()
            for entry in self.visit_sitemap_urls():
                yield entry
        if session.shared:  # the queue is shared and kept in Redis: only new start URLs go on it
            for entry in self.visit(session.start_urls):
                yield entry
        elif job.resumed:
            logger.info("resumed job %s: %d URLs still pending", job.job_id, store.ledger_counts(job).get("pending", 0))
            for entry in self.visit(store.pending(job), accepted=True):
                yield entry
        else:
            for entry in self.visit(session.start_urls):
                yield entry
        self.lastmods.clear()  # every sitemap URL is in the job now: later links cannot be new ones of them

    def page_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse, errback=self.failed, dont_filter=True, meta={"tc_url": url}
        )

    def visit(
        self, urls: Iterable[str], *, accepted: bool = False, lastmods: dict[str, float] | None = None
    ) -> Iterator[scrapy.Request | PageItem]:
        """A request for each URL new to the job (``accepted``: URLs already in its frontier).

        A known page that its sitemap lastmod shows unchanged (``crawler/revisit.py``) gets no request:
        it is settled as ``unchanged`` here, and the links stored for it are visited in turn, so
        discovery goes on as it would through a 304.
        """
        for url in urls if accepted else self.session.discover(list(urls)):
            todo = [url]
            while todo:
                current = todo.pop()
                known = self.settled_by_lastmod(current, lastmods)
                if known is None:
                    yield self.page_request(current)
                    continue
                yield PageItem(url=current, final_url=current, outcome="unchanged", fetched_at=utc_now(),
                               reason=SKIP_REASON, etag=known.etag, last_modified=known.last_modified,
                               links=known.links)  # fmt: skip
                if known.links:
                    todo.extend(reversed(self.session.discover(list(known.links))))

    def settled_by_lastmod(self, url: str, lastmods: dict[str, float] | None) -> PageState | None:
        """The page's state when its sitemap lastmod lets it go without a request; None: request it."""
        lastmod = lastmods.get(url) if lastmods is not None else None
        if lastmod is None:
            lastmod = self.lastmods.get(url)
        if lastmod is None or not self.revisit.enabled:
            return None
        store, _job = self.session.require()
        known = store.get(url)
        if known is None or known.content_sha256 is None or extractor_outdated(known):
            return None
        if self.revisit.skip(lastmod, known, time.time()):
            return known
        if self.revisit.skip(lastmod, known, 0.0):  # unchanged by its lastmod, but not checked for too long
            self.session.revisit_stats["recheck_due"] += 1
        return None

    async def sitemap_requests(self) -> AsyncIterator[scrapy.Request]:
        """The profile's sitemaps and those robots.txt names (``Sitemap:`` lines), once per job."""
        if self._sitemaps_requested or not self.session.config.sitemaps or self.profile is None:
            return
        self._sitemaps_requested = True
        if not self.session.first_claim("sitemaps"):
            return  # another worker of this distributed job reads them
        self._collecting = True
        origins = dict.fromkeys(f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.session.start_urls)
        wanted: set[str] = set()
        for origin in origins:
            for path in self.profile.sitemaps:
                url = normalize_link(origin, path) or origin + path
                wanted.add(url)
                yield self.sitemap_request(url)
        for origin in origins:
            for listed in await self.robots_sitemaps(origin):
                link = normalize_link(origin + "/", listed)
                if link and link not in wanted and self.session.is_allowed(link) and self._sitemaps_seen < MAX_SITEMAPS:
                    wanted.add(link)
                    yield self.sitemap_request(link)

    async def robots_sitemaps(self, origin: str) -> list[str]:
        """The ``Sitemap:`` lines of the site's robots.txt, as read by the robots.txt middleware (no second
        fetch); none when robots.txt is not obeyed (``ROBOTSTXT_OBEY``) or could not be read."""
        engine = getattr(self.crawler, "engine", None)
        chain = getattr(getattr(getattr(engine, "downloader", None), "middleware", None), "middlewares", ())
        robots = next((mw for mw in chain if isinstance(mw, RobotsTxtMiddleware)), None)
        if robots is None:
            return []
        try:
            parser = await robots.robot_parser(scrapy.Request(origin + "/robots.txt"))
        except Exception as exc:  # noqa: BLE001 - robots.txt trouble is the middleware's to report
            logger.debug("no robots.txt sitemaps for %s: %s", origin, exc)
            return []
        listed = getattr(getattr(parser, "rp", None), "sitemaps", None)  # Protego, Scrapy's default parser
        return [str(u) for u in listed] if listed is not None else []

    async def sitemaps_read(self) -> None:
        """Wait (at most ``SITEMAP_WAIT`` seconds) until every sitemap requested so far is read or failed."""
        deadline = time.monotonic() + SITEMAP_WAIT
        while self._sitemaps_open > 0:
            if time.monotonic() > deadline:
                logger.warning("sitemaps still loading after %g s: crawling on without waiting", SITEMAP_WAIT)
                return
            await async_sleep(0.05)

    def visit_sitemap_urls(self) -> Iterator[scrapy.Request | PageItem]:
        """Visit the URLs of the sitemaps read so far, with their lastmods (the newest when several sitemaps
        list a URL); sitemaps read later are visited as they come."""
        self._collecting = False
        found, self._sitemap_urls = self._sitemap_urls, {}
        self.lastmods.update((url, when) for url, when in found.items() if when is not None)
        yield from self.visit(found)

    def sitemap_request(self, url: str) -> scrapy.Request:
        self._sitemaps_seen += 1
        self._sitemaps_open += 1
        return scrapy.Request(
            url,
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            dont_filter=True,
            meta={"tc_infra": "sitemap", "download_maxsize": MAX_SITEMAP_BYTES},
        )

    # -- pages -------------------------------------------------------------------------------
    async def parse(self, response: Response) -> AsyncIterator[Any]:
        session = self.session
        url: str = response.meta.get("tc_url", response.url)
        fetched_at = utc_now()
        etag = _header(response, b"ETag")
        last_modified = _header(response, b"Last-Modified")
        if response.status == 304:
            store, _job = session.require()
            if self.profile is None and (name := self.remembered_profile(response.url)) is not None:
                # the page the profile was chosen from has not changed: the same profile, then the sitemaps
                self.use_profile(get_profile(name), f"kept from the last crawl ({response.url} unchanged)")
                async for entry in self.read_sitemaps():
                    yield entry
            known = store.get(response.url)
            if known is None:
                yield PageItem(url=url, final_url=response.url, outcome="failure", fetched_at=fetched_at,
                               http_status=304, reason="304 Not Modified for a page never fetched")
                return
            for entry in self.follow(known.links):
                yield entry
            yield PageItem(url=url, final_url=response.url, outcome="unchanged", fetched_at=fetched_at,
                           http_status=304, etag=etag or known.etag,
                           last_modified=last_modified or known.last_modified, links=known.links)
            return
        content_type = _header(response, b"Content-Type")
        if not isinstance(response, TextResponse):
            yield PageItem(url=url, final_url=response.url, outcome="not_title", fetched_at=fetched_at,
                           http_status=response.status, reason=f"not a page ({content_type or 'no type'})",
                           etag=etag, last_modified=last_modified)
            return
        if self.profile is None:
            self.decide_profile(load_page(response.body, response.url, content_type=content_type))
            async for entry in self.read_sitemaps():  # their lastmods first, then this page's links
                yield entry
        if self.profile is None:
            raise RuntimeError("no site profile")
        decision = self.profile.classify(response.url)
        job = PageJob(body=response.body, url=response.url, content_type=content_type, fetched_at=fetched_at,
                      profile=self.profile.name, allowed_sites=frozenset(session.allowed_sites),
                      extract=decision.kind == "title")  # fmt: skip
        result = await self.extraction.run(job)  # parse, links and extraction: off the crawl loop
        for entry in self.follow(result.links):
            yield entry
        item = PageItem(url=url, final_url=response.url, outcome="not_title", fetched_at=fetched_at,
                        http_status=response.status, content_sha256=result.content_sha256, etag=etag,
                        last_modified=last_modified, links=result.links, reason=decision.reason or None)
        if result.error is not None:
            item.outcome = "failure"
            item.reason = f"extraction error: {result.error}"
        elif decision.kind == "title" and result.summary is not None:
            summary = result.summary
            item.record_summary = summary
            item.record_json = result.record_json
            item.record_fingerprint = result.record_fingerprint
            if summary.status == "not_title":
                item.reason = f"{summary.extractor or 'extractor'}: not a title page"
            else:
                item.outcome = "record"
                item.reason = None
        yield item

    def decide_profile(self, page: Page) -> None:
        sniffed = sniff_profile(page.text).name
        self.use_profile(get_profile(self.session.agree("profile", sniffed)),  # one profile for all workers
                         f"chosen from the markup of {page.url}")
        store, _job = self.session.require()
        site = site_key(page.url or self.session.start_urls[0])
        for name in PROFILES:  # remembered for the next crawl, whose start page may answer 304
            store.set_mark(_profile_mark(site, name), int(self.profile is not None and name == self.profile.name))

    def use_profile(self, profile: SiteProfile, why: str) -> None:
        self.profile = self.session.profile = profile
        store, job = self.session.require()
        store.set_job_meta(job, profile=profile.name)
        logger.info("profile %s %s", profile.name, why)

    def remembered_profile(self, url: str) -> str | None:
        """The profile the last crawl chose from this site's markup (None: never chosen, or an older store)."""
        store, _job = self.session.require()
        site = site_key(url)
        return next((name for name in PROFILES if store.get_mark(_profile_mark(site, name)) == 1), None)

    async def read_sitemaps(self) -> AsyncIterator[scrapy.Request | PageItem]:
        """Request the sitemaps, wait for them, visit their URLs (the profile was just chosen)."""
        async for request in self.sitemap_requests():
            yield request
        await self.sitemaps_read()
        for entry in self.visit_sitemap_urls():
            yield entry
        self.lastmods.clear()

    def links(self, page: Page) -> tuple[str, ...]:
        """The page's links that stay on the site and that the profile does not skip, in page order."""
        if self.profile is None:
            return ()
        return page_links(page, self.profile, frozenset(self.session.allowed_sites))

    def follow(self, links: Iterable[str]) -> Iterator[scrapy.Request | PageItem]:
        yield from self.visit(links)

    def failed(self, failure: Failure) -> Iterator[Any]:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        url: str = request.meta.get("tc_url", request.url)
        if isinstance(failure.value, AlreadyDone):
            # redirected to a URL the job already has, or replayed after a restart: no outcome of its own
            if url != request.url:
                store, job = self.session.require()
                store.redirect(job, url, request.url)
            return
        status, reason, final_url = describe_failure(failure, request)
        yield PageItem(url=url, final_url=final_url or url, outcome="failure", fetched_at=utc_now(),
                       http_status=status, reason=reason)

    def closed(self, reason: str) -> None:
        self.extraction.close()  # every page has its outcome by now: stop the workers

    # -- sitemaps ----------------------------------------------------------------------------
    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request | PageItem]:
        try:
            yield from self._read_sitemap(response)
        finally:
            self._sitemaps_open -= 1

    def _read_sitemap(self, response: Response) -> Iterator[scrapy.Request | PageItem]:
        stats = self.session.sitemap_stats
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
                    body = fh.read(MAX_SITEMAP_BYTES + 1)
            except (OSError, EOFError):
                body = b""
            if len(body) > MAX_SITEMAP_BYTES:
                body = b""
        try:
            root = SafeET.fromstring(body, forbid_dtd=True)
        except Exception as exc:  # noqa: BLE001 - defusedxml raises several kinds; a bad sitemap is skipped
            logger.warning("unreadable sitemap %s: %s", response.url, exc)
            stats["failed"] += 1
            return
        stats["fetched"] += 1
        tag = _local(root.tag)
        if tag == "sitemapindex":
            for loc, _lastmod in _entries(root):
                link = normalize_link(response.url, loc)
                if link and self.session.is_allowed(link) and self._sitemaps_seen < MAX_SITEMAPS:
                    yield self.sitemap_request(link)
            return
        found = self._sitemap_urls if self._collecting else {}
        count = with_lastmod = 0
        for loc, lastmod in _entries(root):
            link = normalize_link(response.url, loc)
            if link and self.session.is_allowed(link) and self.profile and self.profile.classify(link).kind != "skip":
                count += 1
                when = parse_lastmod(lastmod)
                with_lastmod += when is not None
                before = found.get(link)
                found[link] = when if before is None else max(before, when or before)
        stats["urls"] += count
        self.session.revisit_stats["sitemap_lastmods"] += with_lastmod
        if not self._collecting:  # a sitemap that came after the wait: its URLs now
            yield from self.visit(found, lastmods={u: t for u, t in found.items() if t is not None})

    def sitemap_failed(self, failure: Failure) -> None:
        self._sitemaps_open -= 1
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        _status, reason, _final = describe_failure(failure, request)
        logger.info("no sitemap at %s: %s", request.url, reason)
        self.session.sitemap_stats["failed"] += 1


def _profile_mark(site: str, name: str) -> str:
    return f"profile:{site}:{name}"


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _entries(root: Any) -> Iterator[tuple[str, str | None]]:
    """(loc, lastmod) of each ``<url>`` or ``<sitemap>`` entry (any namespace)."""
    for entry in root:
        loc: str | None = None
        lastmod: str | None = None
        for child in entry:
            name = _local(child.tag)
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip() or None
        if loc:
            yield loc, lastmod


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
