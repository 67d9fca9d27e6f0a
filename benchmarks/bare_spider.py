"""The baseline of ``crawl_bench.py``: a bare Scrapy spider that fetches every page of a wiki and counts it.

    .venv/bin/python benchmarks/bare_spider.py http://127.0.0.1:PORT/

It follows the links of the home and index pages (``/titles/page-K/``) only, parses nothing else and
yields no items; same politeness and concurrency settings as ``titlecrawl crawl`` of a local server
(robots.txt, AutoThrottle, 16 requests, 8 per host). Prints one line: ``BENCH`` and a JSON object (pages, seconds).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response


class CountingSpider(scrapy.Spider):
    name = "count"
    custom_settings = {  # noqa: RUF012 - Scrapy reads this class attribute
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 0.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
        "DOWNLOAD_DELAY": 0.0,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "CONCURRENT_ITEMS": 1,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "USER_AGENT": "titlecrawl-bench",
    }

    def __init__(self, start: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.pages = 0
        self.started = time.monotonic()

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        self.pages += 1
        path = urlsplit(response.url).path
        if path == "/" or path.startswith("/titles/"):
            for href in response.xpath("//a/@href | //link[@rel='next']/@href").getall():
                yield response.follow(href, callback=self.parse)

    def closed(self, reason: str) -> None:
        print("BENCH " + json.dumps({"pages": self.pages, "seconds": round(time.monotonic() - self.started, 3),
                          "reason": reason}), flush=True)  # fmt: skip


def main() -> int:
    process = CrawlerProcess()
    process.crawl(CountingSpider, start=sys.argv[1])
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
