"""kill -9 in the middle of a recrawl's sitemap-lastmod skipping, then the job resumed to its end.

A generated wiki (``tests/faults/site.py``) whose sitemap lists every title page and, last, the home page
with a lastmod older than the first crawl; the index pages are in no sitemap: they are reached through
the links stored for the home page and re-checked with a conditional request. After the first crawl
three title pages are edited and their lastmod moved to now. The recrawl (``--job-dir``) is killed with
SIGKILL as soon as its job ledger in the state store shows some of the pages committed as settled by
lastmod (the skipping is synchronous and commits every 500 writes or half second, so a 500-page sitemap
takes several commits); the same command then resumes it and must finish by itself.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.revisit import SKIP_REASON
from tests.crawler.conftest import explain, jsonl, manifest, run_crawl, start_crawl

from .faultserver import FaultServer
from .site import build_site
from .test_kill9 import check_files, dataset_keys, kill, record_keys

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

TITLES, PER_INDEX = 500, 25
OLD = "2026-01-01T00:00:00Z"
KILL_AT = 50
"""Kill once at least this many pages are committed as settled by lastmod (of about 500)."""


def write_sitemap(root: Path, base: str, entries: list[tuple[str, str]]) -> None:
    """``/sitemap-pages.xml`` listing ``(path, lastmod)`` in this order, named by robots.txt's ``Sitemap:``."""
    urls = "".join(f"<url><loc>{base}{path.lstrip('/')}</loc><lastmod>{when}</lastmod></url>\n" for path, when in entries)
    (root / "sitemap-pages.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n", encoding="utf-8")  # fmt: skip
    (root / "robots.txt").write_text(f"User-agent: *\nDisallow:\n\nSitemap: {base}sitemap-pages.xml\n", encoding="utf-8")


def running_job(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT job_id FROM jobs WHERE status = 'running'").fetchone()
    return None if row is None else str(row[0])


def settled_by_lastmod(db: sqlite3.Connection, job_id: str) -> int:
    """The job's outcomes committed as ``unchanged`` by sitemap lastmod."""
    row = db.execute(
        "SELECT count(*) FROM ledger WHERE job_id = ? AND state = 'done' AND outcome = 'unchanged' AND reason = ?",
        (job_id, SKIP_REASON),
    ).fetchone()
    return int(row[0])


def fetch_times(out: Path) -> dict[str, tuple[str, str]]:
    """URL -> (last_fetched, last_seen) of every page in the state store."""
    db = sqlite3.connect(out / "state.sqlite")
    try:
        return {str(u): (str(f), str(s)) for u, f, s in db.execute("SELECT url, last_fetched, last_seen FROM pages")}
    finally:
        db.close()


def test_recrawl_killed_while_settling_pages_by_lastmod_then_resumed(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site", titles=TITLES, per_index=PER_INDEX)
    out, job = tmp_path / "out", tmp_path / "job"
    args = ("--profile", "whiskey", "--job-dir", str(job))  # named: the sitemap is read before the start page
    with FaultServer(site.root).start() as server:  # no faults: quiet about clients killed mid-request
        in_sitemap = [*site.titles, site.home]  # the home page last: its links are found after the kill
        write_sitemap(site.root, server.url, [(p, OLD) for p in in_sitemap])

        # the first crawl: every page fetched and stored
        first = run_crawl(server.url, out, *args)
        assert first.returncode == 0, explain(first)
        assert manifest(out)["outcomes"] == {"record": TITLES, "unchanged": 0, "not_title": len(site.paths) - TITLES,
                                             "failure": 0}  # fmt: skip

        before = fetch_times(out)
        time.sleep(1.1)  # times are whole seconds: the recrawl's are later than the first crawl's

        # three title pages change, early, in the middle and at the end of the sitemap; it says so
        edited = [site.titles[2], site.titles[TITLES // 2], site.titles[-1]]
        for path in edited:
            page = site.root / path.strip("/") / "index.html"
            page.write_text(page.read_text(encoding="utf-8").replace(
                'class="wiki-descriptor">', 'class="wiki-descriptor">Edited: ', 1), encoding="utf-8")  # fmt: skip
        now = f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}+00:00"
        write_sitemap(site.root, server.url, [(p, now if p in edited else OLD) for p in in_sitemap])
        skippable = set(in_sitemap) - set(edited)
        server.reset_counts()

        # the recrawl, killed while it settles pages by lastmod: some committed, not all
        proc = start_crawl(server.url, out, *args)
        db = sqlite3.connect(out / "state.sqlite", isolation_level=None, timeout=30)
        try:
            deadline, job_id, seen = time.monotonic() + 120, None, 0
            while time.monotonic() < deadline and proc.poll() is None:
                job_id = job_id or running_job(db)
                seen = settled_by_lastmod(db, job_id) if job_id else 0
                if seen >= KILL_AT:
                    break
                time.sleep(0.005)
            output = kill(proc)
            assert proc.returncode == -signal.SIGKILL, f"the recrawl ended before the kill ({seen} settled)\n{output}"
            assert job_id is not None
            killed_settled = settled_by_lastmod(db, job_id)
            pending = db.execute("SELECT count(*) FROM ledger WHERE job_id = ? AND state = 'pending'",
                                 (job_id,)).fetchone()[0]  # fmt: skip
            run_id = db.execute("SELECT run_id FROM jobs WHERE job_id = ?", (job_id,)).fetchone()[0]
        finally:
            db.close()
        assert KILL_AT <= killed_settled < len(skippable), f"{killed_settled} settled by lastmod\n{output}"
        assert pending > 0
        killed_hits = dict(server.hits)
        server.reset_counts()

        # the same command resumes the job and finishes it by itself
        resumed = run_crawl(server.url, out, *args)
        assert resumed.returncode == 0, explain(resumed)
        resumed_hits = dict(server.hits)

    m = manifest(out)
    pages = len(site.paths)
    assert m["run_id"] == run_id
    assert m["job_id"] == job_id
    assert m["resumed"] is True
    assert m["complete"] is True
    assert m["pending"] == 0
    assert m["redirects"] == 0
    # every page settled exactly once in the job's counts: the edited pages as new versions, the others unchanged
    assert m["outcomes"] == {"record": len(edited), "unchanged": pages - len(edited), "not_title": 0, "failure": 0}
    assert m["seen"] == sum(m["outcomes"].values()) == pages
    assert m["changes"] == {"changed": len(edited)}
    # settled by lastmod (without a request, in either session) + fetched (with a request) = every page
    assert m["unchanged_by_lastmod"] == len(skippable)
    fetched = set(site.paths) - skippable
    assert m["unchanged_by_lastmod"] + len(fetched) == m["seen"]

    # no page that its lastmod settles was requested, in either session; the others were, each at most
    # once per session (a page fetched before the kill but not committed is fetched again)
    for hits in (killed_hits, resumed_hits):
        assert not skippable & set(hits), sorted(skippable & set(hits))[:5]
        assert all(hits.get(p, 0) <= 1 for p in fetched), {p: n for p, n in hits.items() if n > 1}
    assert all(killed_hits.get(p, 0) + resumed_hits.get(p, 0) >= 1 for p in fetched)

    # the page state: a page settled by lastmod was seen again but not fetched, the others were fetched
    after = fetch_times(out)
    base = server.url.rstrip("/")
    assert set(after) == set(before) == {base + p for p in site.paths}
    for path in site.paths:
        (fetched_then, seen_then), (fetched_now, seen_now) = before[base + path], after[base + path]
        assert seen_now > seen_then, path
        assert (fetched_now == fetched_then) == (path in skippable), path

    # the records: the first crawl's and one new version per edited page, none twice; the dataset the same
    records = jsonl(out / "records.jsonl")
    keys = record_keys(records)
    assert len(keys) == len(set(keys)) == TITLES + len(edited)
    newest = records[TITLES:]
    assert sorted(r["url"] for r in newest) == sorted(base + p for p in edited)
    assert all(r["deck"].startswith("Edited: ") for r in newest)
    assert dataset_keys(out) == keys
    check_files(out)
