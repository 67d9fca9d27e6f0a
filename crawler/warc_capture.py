"""WARC capture of a crawl: every request and response, with the record id extracted from it.

Enabled by the ``TITLECRAWL_WARC_DIR`` setting (``titlecrawl crawl --warc DIR`` sets it); off, both
components raise ``NotConfigured`` and cost nothing. ``warc_settings(directory)`` gives the settings
that turn it on.

- ``WarcCaptureDownloaderMiddleware`` sits next to the downloader (order 950: after retries,
  redirects and decompression have not touched the response yet), so it sees every response as it
  came off the wire (still content-encoded), redirects, errors and ``robots.txt`` included, and every
  request that got no response (``process_exception``). Error, redirect and ``robots.txt`` exchanges are
  written at once; a 2xx page waits (keyed by a token in ``request.meta``) for its extraction.
- ``WarcCaptureSpiderMiddleware`` sees what the spider made of that response and writes the waiting
  exchange with the ``record_id`` of the record it yielded (``WARC-Titlecrawl-Record-ID``) and the
  item's ``fetched_at`` as its ``WARC-Date`` (the same second the record states, so a re-extraction of
  the WARC gives the crawl's records back exactly).
- Anything still waiting when the spider closes is written without a record id; the writer is closed,
  so every ``.warc.gz`` file is complete (see ``exports.warc``).
"""

from __future__ import annotations

import itertools
import logging
import weakref
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from exports.warc import DEFAULT_COMPRESS_LEVEL, DEFAULT_MAX_BYTES, WarcCaptureWriter, header_pairs

from .redact import safe_header_pairs

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

SETTING_DIR = "TITLECRAWL_WARC_DIR"
SETTING_MAX_BYTES = "TITLECRAWL_WARC_MAX_BYTES"
SETTING_PREFIX = "TITLECRAWL_WARC_PREFIX"
SETTING_COMPRESS_LEVEL = "TITLECRAWL_WARC_COMPRESS_LEVEL"
META_KEY = "_titlecrawl_warc_token"

DOWNLOADER_MIDDLEWARE = f"{__name__}.WarcCaptureDownloaderMiddleware"
SPIDER_MIDDLEWARE = f"{__name__}.WarcCaptureSpiderMiddleware"
DOWNLOADER_ORDER = 950
SPIDER_ORDER = 950
MAX_PENDING = 500
"""Exchanges waiting for their record beyond this are written without one, oldest first: a page that
never reached the spider (dropped by another middleware) must not hold its body until the end."""


def warc_settings(
    directory: str | Path, *, max_bytes: int | None = None, prefix: str | None = None
) -> dict[str, Any]:
    """Scrapy settings that capture a crawl into ``directory`` (merge into the crawl's settings)."""
    settings: dict[str, Any] = {
        SETTING_DIR: str(directory),
        "DOWNLOADER_MIDDLEWARES": {DOWNLOADER_MIDDLEWARE: DOWNLOADER_ORDER},
        "SPIDER_MIDDLEWARES": {SPIDER_MIDDLEWARE: SPIDER_ORDER},
    }
    if max_bytes is not None:
        settings[SETTING_MAX_BYTES] = max_bytes
    if prefix is not None:
        settings[SETTING_PREFIX] = prefix
    return settings


@dataclass(slots=True)
class Exchange:
    """A request and its response, as they went over the wire."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    """A copy: later middlewares change the live header objects (decompression drops Content-Encoding)."""
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    protocol: str
    ip_address: str | None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _record_id(item: Any) -> str | None:
    """The record id an item carries: a record, a dict with ``record_id``, or an item holding a
    ``record_summary`` or a ``record`` (the crawler's ``PageItem``)."""
    value = _get(item, "record_id")
    if value is None:
        for name in ("record_summary", "record"):
            inner = _get(item, name)
            if inner is not None:
                value = getattr(inner, "record_id", None)
                break
    return value if isinstance(value, str) and value else None


def _fetched_at(item: Any) -> datetime | None:
    """The fetch time the spider gave an item (or its record): the capture's WARC-Date, so that a
    re-extraction of the WARC gives records with the crawl's own ``fetched_at``."""
    value = _get(item, "fetched_at")
    if value is None:
        inner = _get(item, "record")
        value = getattr(inner, "fetched_at", None) if inner is not None else None
    return value if isinstance(value, datetime) else None


class WarcSession:
    """The writer of one crawl and the exchanges waiting for their record."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        directory = settings.get(SETTING_DIR)
        if not directory:
            raise NotConfigured  # no message: Scrapy would log a warning for every crawl without --warc
        self.writer = WarcCaptureWriter(
            directory,
            max_bytes=settings.getint(SETTING_MAX_BYTES, DEFAULT_MAX_BYTES),
            prefix=settings.get(SETTING_PREFIX) or "titlecrawl",
            compress_level=settings.getint(SETTING_COMPRESS_LEVEL, DEFAULT_COMPRESS_LEVEL),
        )
        self.stats = crawler.stats
        self.pending: dict[int, Exchange] = {}
        self._tokens = itertools.count(1)
        self.closed = False
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    def wait(self, request: Request, exchange: Exchange) -> None:
        """Hold a page's exchange until the spider has made its record."""
        old = request.meta.get(META_KEY)
        if old is not None and old in self.pending:  # meta copied from an earlier request
            self.write(self.pending.pop(old), None)
        token = next(self._tokens)
        request.meta[META_KEY] = token
        self.pending[token] = exchange
        while len(self.pending) > MAX_PENDING:
            self.write(self.pending.pop(next(iter(self.pending))), None)

    def take(self, response: Response | None) -> Exchange | None:
        if response is None:
            return None
        token = response.meta.get(META_KEY) if response.request is not None else None
        return self.pending.pop(token, None) if token is not None else None

    def write(self, exchange: Exchange, record_id: str | None, fetched_at: datetime | None = None) -> None:
        if self.closed:
            logger.warning("WARC capture closed: %s not written", exchange.url)
            return
        self.writer.write_exchange(
            exchange.url,
            exchange.request_headers,
            exchange.status,
            exchange.response_headers,
            exchange.body,
            fetched_at or exchange.fetched_at,
            record_id,
            method=exchange.method,
            request_body=exchange.request_body,
            reason=_reason(exchange.status),
            http_version=exchange.protocol,
            ip_address=exchange.ip_address,
        )
        if self.stats is not None:
            self.stats.inc_value("warc/exchanges")
            if record_id:
                self.stats.inc_value("warc/with_record_id")

    def write_failed_request(self, request: Request, error: BaseException) -> None:
        if self.closed:
            return
        self.writer.write_request(
            request.url,
            safe_header_pairs(header_pairs(request.headers)),  # no proxy credentials in the archive
            datetime.now(UTC),
            f"{type(error).__name__}: {error}",
            method=request.method,
        )
        if self.stats is not None:
            self.stats.inc_value("warc/failed_requests")

    def close(self) -> None:
        """Write what still waits (without a record id) and finish the files."""
        if self.closed:
            return
        for exchange in self.pending.values():
            self.write(exchange, None)
        self.pending.clear()
        self.closed = True
        self.writer.close()
        if self.stats is not None:
            self.stats.set_value("warc/files", len(self.writer.paths))
        logger.info(
            "WARC capture: %d exchanges in %d file(s) under %s",
            self.writer.exchanges,
            len(self.writer.paths),
            self.writer.directory,
        )


_SESSIONS: weakref.WeakKeyDictionary[Crawler, WarcSession] = weakref.WeakKeyDictionary()


def session_for(crawler: Crawler) -> WarcSession:
    """The crawl's one WARC session, shared by both middlewares."""
    session = _SESSIONS.get(crawler)
    if session is None:
        session = _SESSIONS[crawler] = WarcSession(crawler)
    return session


def _is_page_response(response: Response) -> bool:
    """Whether the spider will see this response and may make a record of it."""
    if not 200 <= response.status < 300:
        return False
    return not urlsplit(response.url).path.endswith("/robots.txt")


class WarcCaptureDownloaderMiddleware:
    """Capture every exchange next to the downloader (see the module doc)."""

    def __init__(self, session: WarcSession) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(session_for(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=safe_header_pairs(header_pairs(request.headers)),  # no proxy credentials
            request_body=request.body,
            status=response.status,
            response_headers=header_pairs(response.headers),
            body=response.body,
            fetched_at=datetime.now(UTC),
            protocol=response.protocol or "HTTP/1.1",
            ip_address=str(response.ip_address) if response.ip_address is not None else None,
        )
        if _is_page_response(response):
            self.session.wait(request, exchange)
        else:
            self.session.write(exchange, None)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        if isinstance(exception, IgnoreRequest):  # never sent (robots.txt, offsite, a filter)
            return
        self.session.write_failed_request(request, exception)


class WarcCaptureSpiderMiddleware:
    """Write a page's exchange with the record id of what the spider made of it."""

    def __init__(self, session: WarcSession) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(session_for(crawler))

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        exchange = self.session.take(response)
        if exchange is None:
            yield from result
            return
        record_id: str | None = None
        fetched_at: datetime | None = None
        try:
            for item in result:
                record_id = record_id or _record_id(item)
                fetched_at = fetched_at or _fetched_at(item)
                yield item
        finally:
            self.session.write(exchange, record_id, fetched_at)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        exchange = self.session.take(response)
        if exchange is None:
            async for item in result:
                yield item
            return
        record_id: str | None = None
        fetched_at: datetime | None = None
        try:
            async for item in result:
                record_id = record_id or _record_id(item)
                fetched_at = fetched_at or _fetched_at(item)
                yield item
        finally:
            self.session.write(exchange, record_id, fetched_at)

    def process_spider_exception(self, response: Response, exception: BaseException) -> None:
        exchange = self.session.take(response)
        if exchange is not None:
            self.session.write(exchange, None)


__all__ = [
    "SETTING_DIR",
    "SETTING_MAX_BYTES",
    "SETTING_PREFIX",
    "WarcCaptureDownloaderMiddleware",
    "WarcCaptureSpiderMiddleware",
    "warc_settings",
]
