"""``SharedRobotsTxtMiddleware``: every request that waits for a site's robots.txt gets its rules."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, TextResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.middlewares import SharedRobotsTxtMiddleware

ROBOTS = b"User-agent: *\nDisallow: /drafts/\n"
SITE = "http://127.0.0.1:8000"


class SlowEngine:
    """Answers robots.txt once released, so that requests pile up waiting for it."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.fetched: list[str] = []

    async def download_async(self, request: Request) -> TextResponse:
        self.fetched.append(request.url)
        await self.release.wait()
        return TextResponse(request.url, status=200, body=ROBOTS, request=request)


async def _check_all(paths: list[str]) -> tuple[list[BaseException | None], list[str]]:
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, "ROBOTSTXT_USER_AGENT": "titlecrawl"})
    crawler.stats = MemoryStatsCollector(crawler)
    engine = SlowEngine()
    crawler.engine = engine  # type: ignore[assignment]
    middleware = SharedRobotsTxtMiddleware.from_crawler(crawler)

    async def check(path: str) -> BaseException | None:
        try:
            await middleware.process_request(Request(SITE + path))
        except IgnoreRequest as exc:
            return exc
        return None

    tasks = [asyncio.ensure_future(check(path)) for path in paths]
    for _ in range(20):  # let every request reach the wait for robots.txt
        await asyncio.sleep(0)
    assert not any(task.done() for task in tasks)
    engine.release.set()
    results: list[Any] = await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
    late = await check("/drafts/later/")  # robots.txt known by now
    return [*results, late], engine.fetched


@pytest.mark.parametrize("position", [0, 1, 5])
def test_every_waiter_for_robots_txt_obeys_it(position: int) -> None:
    paths = [f"/page-{n}/" for n in range(6)]
    paths.insert(position, "/drafts/")
    results, fetched = asyncio.run(_check_all(paths))
    assert fetched == [SITE + "/robots.txt"]  # fetched once for all of them
    verdicts = dict(zip([*paths, "/drafts/later/"], results, strict=True))
    assert isinstance(verdicts.pop("/drafts/"), IgnoreRequest)
    assert isinstance(verdicts.pop("/drafts/later/"), IgnoreRequest)
    assert verdicts == dict.fromkeys(verdicts)  # the others are allowed
