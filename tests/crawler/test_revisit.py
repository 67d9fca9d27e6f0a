"""The revisit policy: sitemap lastmods, the recheck ceiling, and the page state that carries ``last_fetched``."""

from __future__ import annotations

import sqlite3
import zlib
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from defusedxml import ElementTree as SafeET

from crawler.revisit import RevisitPolicy, last_fetch, parse_duration, parse_iso, parse_lastmod
from crawler.spiders.wiki import _entries
from crawler.state import PageState, SqliteStore
from crawler.state_redis import _pack_state, _unpack_state

DAY = 86400.0


def ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30d", 30 * DAY), ("12h", 43200.0), ("90m", 5400.0), ("3600s", 3600.0), ("3600", 3600.0), ("2w", 14 * DAY),
     ("1.5h", 5400.0), ("0", 0.0), (" 7D ", 7 * DAY), (0, 0.0), (120, 120.0)],
)  # fmt: skip
def test_durations(text: str | float, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-1d", "30 days", "1y", "d"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)
    with pytest.raises(ValueError, match="negative"):
        parse_duration(-5)


def test_lastmod_is_read_as_the_latest_moment_it_can_mean() -> None:
    assert parse_lastmod("2026-11-01T12:00:00Z") == ts("2026-11-01T12:00:00")
    assert parse_lastmod("2026-11-01T12:00:00.250Z") == ts("2026-11-01T12:00:00")
    assert parse_lastmod("2026-11-01T13:30:00+01:30") == ts("2026-11-01T12:00:00")
    assert parse_lastmod("2026-11-01T07:00:00-0500") == ts("2026-11-01T12:00:00")
    assert parse_lastmod("2026-11-01T12:00Z") == ts("2026-11-01T12:00:59")  # the end of that minute
    assert parse_lastmod("2026-11-01") == ts("2026-11-02T00:00:00")  # the end of that day
    assert parse_lastmod("2026-12") == ts("2027-01-01T00:00:00")
    assert parse_lastmod("2026") == ts("2027-01-01T00:00:00")
    assert parse_lastmod("2026-11-01T12:00:00") == ts("2026-11-02T00:00:00")  # no zone: the latest (UTC-12)
    for bad in (None, "", "yesterday", "2026-13-01", "2026-02-30", "01/11/2026", "2026-11-01T25:00:00Z"):
        assert parse_lastmod(bad) is None, bad


def state(**kw: object) -> PageState:
    defaults: dict[str, object] = {"url": "http://127.0.0.1/x/", "content_sha256": "ab" * 32,
                                   "last_seen": "2026-11-10T00:00:00Z", "last_fetched": "2026-11-10T00:00:00Z"}  # fmt: skip
    defaults.update(kw)
    return PageState(**defaults)  # type: ignore[arg-type]


def test_policy_skips_only_pages_fetched_after_their_lastmod_and_recently() -> None:
    policy = RevisitPolicy(30 * DAY)
    fetched = ts("2026-11-10T00:00:00")
    now = fetched + DAY
    lastmod = ts("2026-11-01T00:00:00")
    assert policy.skip(lastmod, state(), now)
    assert not policy.skip(None, state(), now)  # the sitemap gives no lastmod
    assert not policy.skip(lastmod, None, now)  # never fetched
    assert not policy.skip(lastmod, state(content_sha256=None), now)  # no successful fetch in the state
    assert not policy.skip(fetched + 1, state(), now)  # changed after the last fetch
    assert not policy.skip(fetched, state(), now)  # the same second: the change may have come after the fetch
    assert policy.skip(fetched - 1, state(), now)
    assert not policy.skip(lastmod, state(), fetched + 30 * DAY)  # the ceiling: re-check it
    assert policy.skip(lastmod, state(), fetched + 30 * DAY - 1)
    assert not RevisitPolicy(0).skip(lastmod, state(), now)  # --recheck-after 0
    assert not RevisitPolicy(0).enabled
    # a store written before last_fetched existed: last_seen was the last fetch then
    old = state(last_fetched=None)
    assert last_fetch(old) == "2026-11-10T00:00:00Z"
    assert policy.skip(lastmod, old, now)
    assert not policy.skip(lastmod, state(last_fetched=None, last_seen=None), now)
    assert parse_iso("2026-11-10T00:00:00Z") == fetched
    assert parse_iso("garbage") is None


def test_sqlite_store_keeps_last_fetched_and_upgrades_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE pages (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, content_sha256 TEXT, "
        "record_sha256 TEXT, record_id TEXT, extractor_version TEXT, first_seen TEXT, last_seen TEXT, "
        "last_changed TEXT, links BLOB);"
        "INSERT INTO pages (url, content_sha256, last_seen) VALUES ('http://127.0.0.1/a/', 'ab', '2026-11-10T00:00:00Z');"
    )
    db.commit()
    db.close()
    store = SqliteStore(path)
    try:
        old = store.get("http://127.0.0.1/a/")
        assert old is not None
        assert (old.last_fetched, old.last_seen) == (None, "2026-11-10T00:00:00Z")
        store.put(state(url="http://127.0.0.1/b/", last_fetched="2026-11-09T00:00:00Z", links=("http://127.0.0.1/c/",)))
        store.commit()
    finally:
        store.close()
    again = SqliteStore(path)  # the upgraded file opens again
    try:
        new = again.get("http://127.0.0.1/b/")
        assert new is not None
        assert new.last_fetched == "2026-11-09T00:00:00Z"
        assert new.links == ("http://127.0.0.1/c/",)
    finally:
        again.close()


def test_redis_page_state_carries_last_fetched_and_reads_old_blobs() -> None:
    page = state(links=("http://127.0.0.1/c/",), last_fetched="2026-11-09T00:00:00Z")
    assert _unpack_state(page.url, _pack_state(page)) == page
    old = orjson.loads(zlib.decompress(_pack_state(page)))
    del old["last_fetched"]  # written by a version without the field
    unpacked = _unpack_state(page.url, zlib.compress(orjson.dumps(old)))
    assert unpacked.last_fetched is None
    assert last_fetch(unpacked) == page.last_seen


def test_sitemap_entries_with_and_without_lastmod() -> None:
    root = SafeET.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
        b"<url><loc> /a/ </loc><lastmod>2026-11-01</lastmod>"
        b"<image:image><image:loc>/img.png</image:loc></image:image></url>"
        b"<url><loc>/b/</loc></url><url><lastmod>2026-11-01</lastmod></url><url><loc>/c/</loc><lastmod> </lastmod></url>"
        b"</urlset>"
    )
    assert list(_entries(root)) == [("/a/", "2026-11-01"), ("/b/", None), ("/c/", None)]  # no image locs
