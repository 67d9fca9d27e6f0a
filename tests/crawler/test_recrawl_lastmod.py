"""Incremental recrawls that trust the sitemap's ``<lastmod>``: real crawls of the sample wiki on 127.0.0.1.

The sample wiki gets a sitemap index named only in robots.txt (``Sitemap:``), whose sitemap lists
every page with a lastmod; the profile's own ``/sitemap.xml`` (no lastmods) stays as it is.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.localredis import redis_server_binary, start_redis_server, stop_redis_server
from crawler.localserver import LocalWikiServer
from crawler.state import SqliteStore

from .conftest import explain, jsonl, manifest, run_crawl, site_pages

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

OLD = "2026-01-01T00:00:00Z"
EDITED = "/memories/4000-1001/"
FAILURES = 2  # the deleted page (404) and the path robots.txt disallows, as in every crawl of the sample wiki


def write_sitemaps(root: Path, base: str, lastmods: dict[str, str]) -> None:
    """``/maps/index.xml`` (a sitemap index) -> ``/maps/pages-1.xml``, and a ``Sitemap:`` line in robots.txt."""
    maps = root / "maps"
    maps.mkdir(exist_ok=True)
    urls = "".join(f"<url><loc>{base}{path.lstrip('/')}</loc><lastmod>{when}</lastmod></url>\n"
                   for path, when in sorted(lastmods.items()))  # fmt: skip
    (maps / "pages-1.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n", encoding="utf-8")  # fmt: skip
    (maps / "index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}maps/pages-1.xml</loc><lastmod>{OLD}</lastmod></sitemap></sitemapindex>\n",
        encoding="utf-8")  # fmt: skip
    robots = root / "robots.txt"
    if "Sitemap:" not in robots.read_text(encoding="utf-8"):
        robots.write_text(robots.read_text(encoding="utf-8") + f"\nSitemap: {base}maps/index.xml\n", encoding="utf-8")


def requested(wiki: LocalWikiServer, pages: dict[str, str]) -> dict[str, list[tuple[int, bool]]]:
    """Page path -> (status, conditional) of each request the server saw for it."""
    return {p: [(e.status, e.conditional) for e in wiki.stats.entries(p)] for p in pages if wiki.stats.entries(p)}


def test_recrawl_skips_pages_whose_lastmod_is_older_than_their_last_fetch(
    wiki: LocalWikiServer, site_copy: Path, tmp_path: Path
) -> None:
    pages = site_pages(site_copy)
    titles = {p for p, kind in pages.items() if kind == "title"}
    lastmods = dict.fromkeys(pages, OLD)
    write_sitemaps(site_copy, wiki.url, lastmods)
    out = tmp_path / "out"

    # first crawl: everything is new, each page fetched once
    proc = run_crawl(wiki.url, out)
    assert proc.returncode == 0, explain(proc)
    first = manifest(out)
    assert first["outcomes"] == {"record": len(titles), "unchanged": 0, "not_title": len(pages) - len(titles),
                                 "failure": FAILURES}  # fmt: skip
    assert first["unchanged_by_lastmod"] == 0
    assert first["revisit"]["sitemap_lastmods"] == len(pages)
    assert all(statuses == [(200, False)] for statuses in requested(wiki, pages).values())
    assert wiki.stats.paths["/robots.txt"] == 1  # its Sitemap: line is read without a second fetch
    assert wiki.stats.paths["/maps/index.xml"] == wiki.stats.paths["/maps/pages-1.xml"] == 1

    # recrawl of the unchanged site: only the start page is requested (a 304 tells that the profile chosen
    # from its markup still holds; the sitemaps are read then), no other page
    wiki.stats.reset()
    proc = run_crawl(wiki.url, out)
    assert proc.returncode == 0, explain(proc)
    second = manifest(out)
    assert second["outcomes"] == {"record": 0, "unchanged": len(pages), "not_title": 0, "failure": FAILURES}
    assert second["seen"] == first["seen"] == sum(second["outcomes"].values())
    assert second["unchanged_by_lastmod"] == len(pages) - 1
    assert requested(wiki, pages) == {"/": [(304, True)]}
    assert "by sitemap lastmod" in proc.stdout
    store = SqliteStore(out / "state.sqlite")
    try:
        state = store.get(wiki.url + EDITED.lstrip("/"))
    finally:
        store.close()
    assert state is not None
    assert state.last_fetched is not None
    assert state.last_seen is not None
    assert state.last_fetched < state.last_seen  # a skip is no fetch: last_fetched stays at the first crawl's

    # one page changes on the server, and the sitemap says so: only it is fetched, and its new version lands
    page = site_copy / EDITED.strip("/") / "index.html"
    page.write_text(page.read_text().replace('class="wiki-descriptor">', 'class="wiki-descriptor">Edited: ', 1))
    now = datetime.now(UTC).replace(microsecond=0)
    write_sitemaps(site_copy, wiki.url, {**lastmods, EDITED: f"{now:%Y-%m-%dT%H:%M:%S}+00:00"})
    wiki.stats.reset()
    proc = run_crawl(wiki.url, out)
    assert proc.returncode == 0, explain(proc)
    third = manifest(out)
    assert third["outcomes"] == {"record": 1, "unchanged": len(pages) - 1, "not_title": 0, "failure": FAILURES}
    assert third["changes"] == {"changed": 1}
    assert third["unchanged_by_lastmod"] == len(pages) - 2
    assert requested(wiki, pages) == {"/": [(304, True)], EDITED: [(200, True)]}  # the edited page: whole
    newest = jsonl(out / "records.jsonl")[-1]
    assert newest["url"] == wiki.url + EDITED.lstrip("/")
    assert newest["deck"].startswith("Edited: ")

    # --recheck-after 0: every known page is re-checked with a conditional request, as before lastmods
    wiki.stats.reset()
    proc = run_crawl(wiki.url, out, "--recheck-after", "0")
    assert proc.returncode == 0, explain(proc)
    fourth = manifest(out)
    assert fourth["outcomes"] == {"record": 0, "unchanged": len(pages), "not_title": 0, "failure": FAILURES}
    assert fourth["unchanged_by_lastmod"] == 0
    assert fourth["revisit"]["recheck_after_seconds"] == 0
    seen = requested(wiki, pages)
    assert set(seen) == set(pages)
    assert all(statuses == [(304, True)] for statuses in seen.values()), seen


def test_the_recheck_ceiling_sends_old_pages_a_conditional_request(
    wiki: LocalWikiServer, site_copy: Path, tmp_path: Path
) -> None:
    pages = site_pages(site_copy)
    write_sitemaps(site_copy, wiki.url, dict.fromkeys(pages, OLD))
    out = tmp_path / "out"
    proc = run_crawl(wiki.url, out, "--profile", "whiskey")  # named: the sitemaps come before the start page
    assert proc.returncode == 0, explain(proc)
    time.sleep(2.5)  # every last fetch is now older than the 2 s ceiling below

    wiki.stats.reset()
    proc = run_crawl(wiki.url, out, "--profile", "whiskey", "--recheck-after", "2s")
    assert proc.returncode == 0, explain(proc)
    m = manifest(out)
    assert m["outcomes"] == {"record": 0, "unchanged": len(pages), "not_title": 0, "failure": FAILURES}
    assert m["unchanged_by_lastmod"] == 0
    assert m["revisit"]["recheck_due"] == len(pages)
    assert m["settings"]["TITLECRAWL_RECHECK_AFTER"] == "2s"
    assert all(statuses == [(304, True)] for statuses in requested(wiki, pages).values())
    assert set(requested(wiki, pages)) == set(pages)

    # those 304s were fetches: with the default ceiling (30 days) the next recrawl skips every page again,
    # the start page too
    wiki.stats.reset()
    proc = run_crawl(wiki.url, out, "--profile", "whiskey")
    assert proc.returncode == 0, explain(proc)
    assert manifest(out)["unchanged_by_lastmod"] == len(pages)
    assert requested(wiki, pages) == {}


def test_no_conditional_fetches_every_page_and_a_bad_duration_is_refused(
    wiki: LocalWikiServer, site_copy: Path, tmp_path: Path
) -> None:
    """--no-conditional fetches every page whole, lastmod or not; a bad --recheck-after is refused."""
    pages = site_pages(site_copy)
    write_sitemaps(site_copy, wiki.url, dict.fromkeys(pages, OLD))
    out = tmp_path / "out"
    assert run_crawl(wiki.url, out).returncode == 0
    wiki.stats.reset()
    proc = run_crawl(wiki.url, out, "--no-conditional")
    assert proc.returncode == 0, explain(proc)
    assert manifest(out)["unchanged_by_lastmod"] == 0
    assert all(statuses == [(200, False)] for statuses in requested(wiki, pages).values())
    assert set(requested(wiki, pages)) == set(pages)

    proc = run_crawl(wiki.url, out, "--recheck-after", "soon")
    assert proc.returncode == 2
    assert "not a duration" in proc.stderr


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A private redis-server on a free loopback port (skipped without one, unless CI requires it)."""
    binary = redis_server_binary()
    if binary is None:
        if os.environ.get("TITLECRAWL_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is not installed, and TITLECRAWL_REQUIRE_REDIS=1 requires it")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    folder = tmp_path / "redis"
    folder.mkdir()
    proc, port = start_redis_server(folder, binary)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_redis_server(proc)


def test_a_redis_worker_skips_by_lastmod_too(
    wiki: LocalWikiServer, site_copy: Path, tmp_path: Path, redis_url: str
) -> None:
    """The page state in Redis carries last_fetched: a worker's recrawl settles the sitemap's pages alike."""
    pages = site_pages(site_copy)
    write_sitemaps(site_copy, wiki.url, dict.fromkeys(pages, OLD))
    out = tmp_path / "out"
    opts = ("--redis", redis_url, "--worker-id", "w1", "--profile", "whiskey")
    proc = run_crawl(wiki.url, out, *opts)
    assert proc.returncode == 0, explain(proc)
    assert manifest(out)["unchanged_by_lastmod"] == 0

    wiki.stats.reset()
    proc = run_crawl(wiki.url, out, *opts)
    assert proc.returncode == 0, explain(proc)
    m = manifest(out)
    assert m["outcomes"] == {"record": 0, "unchanged": len(pages), "not_title": 0, "failure": FAILURES}
    assert m["unchanged_by_lastmod"] == len(pages)
    assert requested(wiki, pages) == {}
