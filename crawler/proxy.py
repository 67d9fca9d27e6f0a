"""``--proxy URL`` (``TITLECRAWL_PROXY``): every request of the crawl goes through one HTTP proxy.

The proxy's user name and password, if the URL carries them, become a ``Proxy-Authorization: Basic``
header set here; the URL kept in ``request.meta["proxy"]`` (which Scrapy's ``HttpProxyMiddleware``
then uses) has none. So the credentials live only in this middleware and in that header, which the
WARC capture leaves out (``crawler.redact.safe_header_pairs``); logs show the proxy as
``http://***@host:port``. A request that already names a proxy in its meta keeps it.
"""

from __future__ import annotations

import base64
import logging
import os
from typing import TYPE_CHECKING, Self
from urllib.parse import unquote, urlsplit, urlunsplit

from scrapy.exceptions import NotConfigured

from .redact import redact_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

PROXY_ENV = "TITLECRAWL_PROXY"


def parse_proxy(url: str) -> tuple[str, bytes | None]:
    """(the proxy URL without credentials, the ``Proxy-Authorization`` value or None).

    >>> parse_proxy("http://bob:s%40cret@127.0.0.1:3128")
    ('http://127.0.0.1:3128', b'Basic Ym9iOnNAY3JldA==')
    >>> parse_proxy("http://127.0.0.1:3128/")
    ('http://127.0.0.1:3128', None)
    """
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # a bad port raises here
    except ValueError:
        raise ValueError(f"not a proxy URL: {redact_url(url)}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the proxy must be an http:// or https:// URL: {redact_url(url)}")
    hostport = parts.netloc.rsplit("@", 1)[-1]
    clean = urlunsplit((parts.scheme, hostport, "", "", ""))
    if parts.username is None:
        return clean, None
    user_pass = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode("latin-1", "replace")
    return clean, b"Basic " + base64.b64encode(user_pass)


class ProxyMiddleware:
    """Route every request through the configured proxy (before Scrapy's ``HttpProxyMiddleware``)."""

    def __init__(self, proxy: str) -> None:
        self.url, self.auth = parse_proxy(proxy)
        logger.info("fetching through the proxy %s%s", redact_url(proxy), " (with credentials)" if self.auth else "")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        proxy = crawler.settings.get("TITLECRAWL_PROXY") or os.environ.get(PROXY_ENV)
        if not proxy:
            raise NotConfigured
        return cls(str(proxy))

    def process_request(self, request: Request) -> None:
        if "proxy" in request.meta:
            return
        request.meta["proxy"] = self.url
        if self.auth is not None and b"Proxy-Authorization" not in request.headers:
            request.headers[b"Proxy-Authorization"] = self.auth
