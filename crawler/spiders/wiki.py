"""The ``wiki`` spider: follows a wiki's links by its site profile and extracts each title page.

    scrapy crawl wiki -a start=http://127.0.0.1:8000/ -O out.jsonl
    scrapy crawl wiki -a start=https://www.giantbomb.com/games/ -a profile=whiskey -s TITLECRAWL_OUTDIR=out

Arguments: ``start`` (URLs, comma- or space-separated), ``profile`` (``whiskey``, ``mediawiki``,
``myanimelist``, ... ``generic``; by default chosen by the start URL's host, else by the first page's
markup). Everything else comes from the ``TITLECRAWL_*`` settings (see ``crawler/settings.py``).

The spider stays thin: it decides nothing about outcomes. For every URL it yields one ``PageItem``
(the page's record, a ``not_title`` page, a 304, or a failure from the errback); the sink pipeline
turns it into exactly one outcome.
"""

from __future__ import annotations

import gzip
import io
import ipaddress
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from defusedxml import ElementTree as SafeET
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES
from twisted.python.failure import Failure

from crawler.failures import AlreadyDone, describe_failure
from crawler.items import PageItem
from crawler.offload import ExtractionPool, workers_from_settings
from crawler.pageworker import PageJob, page_links
from crawler.profiles import SiteProfile, get_profile, profile_for_url, sniff_profile
from crawler.redact import redact_url
from crawler.redis_frontier import apply_redis_settings, shared_start_urls
from crawler.session import CrawlSession, normalize_link, session_for, site_key, utc_now
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
        session.open()  # lock the output folder, start or resume the job: fail before the engine starts
        if not session.config.contact and not local:
            logger.warning("no contact in the User-Agent: set TITLECRAWL_CONTACT (titlecrawl crawl --contact)")
        return spider

    # -- start -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        session = self.session
        store, job = session.require()
        if self.profile is None and isinstance(job.meta.get("profile"), str):
            self.profile = session.profile = get_profile(str(job.meta["profile"]))
        if session.shared:  # the queue is shared and kept in Redis: only new start URLs go on it
            for url in session.discover(session.start_urls):
                yield self.page_request(url)
        elif job.resumed:
            logger.info("resumed job %s: %d URLs still pending", job.job_id, store.ledger_counts(job).get("pending", 0))
            for url in store.pending(job):
                yield self.page_request(url)
        else:
            for url in session.discover(session.start_urls):
                yield self.page_request(url)
        if self.profile is not None:
            for request in self.sitemap_requests():
                yield request

    def page_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse, errback=self.failed, dont_filter=True, meta={"tc_url": url}
        )

    def sitemap_requests(self) -> Iterator[scrapy.Request]:
        if self._sitemaps_requested or not self.session.config.sitemaps or self.profile is None:
            return
        self._sitemaps_requested = True
        if not self.session.first_claim("sitemaps"):
            return  # another worker of this distributed job reads them
        origins = dict.fromkeys(f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.session.start_urls)
        for origin in origins:
            for path in self.profile.sitemaps:
                yield self.sitemap_request(origin + path)

    def sitemap_request(self, url: str) -> scrapy.Request:
        self._sitemaps_seen += 1
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
            known = store.get(response.url)
            if known is None:
                yield PageItem(url=url, final_url=response.url, outcome="failure", fetched_at=fetched_at,
                               http_status=304, reason="304 Not Modified for a page never fetched")
                return
            for request in self.follow(known.links):
                yield request
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
            for request in self.sitemap_requests():
                yield request
        if self.profile is None:
            raise RuntimeError("no site profile")
        decision = self.profile.classify(response.url)
        job = PageJob(body=response.body, url=response.url, content_type=content_type, fetched_at=fetched_at,
                      profile=self.profile.name, allowed_sites=frozenset(session.allowed_sites),
                      extract=decision.kind == "title")  # fmt: skip
        result = await self.extraction.run(job)  # parse, links and extraction: off the crawl loop
        for request in self.follow(result.links):
            yield request
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
        self.profile = get_profile(self.session.agree("profile", sniffed))  # one profile for all workers
        self.session.profile = self.profile
        store, job = self.session.require()
        store.set_job_meta(job, profile=self.profile.name)
        logger.info("profile %s chosen from the markup of %s", self.profile.name, page.url)

    def links(self, page: Page) -> tuple[str, ...]:
        """The page's links that stay on the site and that the profile does not skip, in page order."""
        if self.profile is None:
            return ()
        return page_links(page, self.profile, frozenset(self.session.allowed_sites))

    def follow(self, links: Iterable[str]) -> Iterator[scrapy.Request]:
        for link in self.session.discover(list(links)):
            yield self.page_request(link)

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
    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
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
        tag = root.tag.rsplit("}", 1)[-1]
        locs = [(el.text or "").strip() for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "loc"]
        if tag == "sitemapindex":
            for loc in locs:
                link = normalize_link(response.url, loc)
                if link and self.session.is_allowed(link) and self._sitemaps_seen < MAX_SITEMAPS:
                    yield self.sitemap_request(link)
            return
        links = []
        for loc in locs:
            link = normalize_link(response.url, loc)
            if link and self.session.is_allowed(link) and self.profile and self.profile.classify(link).kind != "skip":
                links.append(link)
        stats["urls"] += len(links)
        yield from self.follow(links)

    def sitemap_failed(self, failure: Failure) -> None:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        _status, reason, _final = describe_failure(failure, request)
        logger.info("no sitemap at %s: %s", request.url, reason)
        self.session.sitemap_stats["failed"] += 1


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
