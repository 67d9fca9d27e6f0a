"""The benchmark scripts work end to end on a tiny synthetic wiki (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.synthwiki import SynthWiki, check

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 600


def bench(script: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def test_synthetic_pages_are_distinct_records_of_their_family(tmp_path: Path) -> None:
    wiki = SynthWiki(pages=40, seed=3)
    assert check(wiki, 40) == []
    sizes = [len(wiki.page(i)) for i in range(40)]
    assert min(sizes) >= 50 * 1024
    assert max(sizes) <= 320 * 1024
    assert wiki.page(7) == SynthWiki(pages=40, seed=3).page(7)  # deterministic by seed
    assert wiki.page(7) != SynthWiki(pages=40, seed=4).page(7)
    groups = {wiki.plan(i).template.group for i in range(40)}
    assert groups == {"whiskey", "mediawiki", "other"}
    written = wiki.write(tmp_path / "site")
    assert written > 40 * 50 * 1024
    assert (tmp_path / "site" / "titles" / "page-1" / "index.html").is_file()
    assert (tmp_path / "site" / wiki.plan(5).path.strip("/")).exists()


def test_the_synthetic_wiki_publishes_sitemaps_with_lastmod() -> None:
    wiki = SynthWiki(pages=7, seed=1, sitemap_urls=3)
    robots = wiki.get("/robots.txt", "127.0.0.1:8000")
    assert robots is not None
    assert b"Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots[0]
    index = wiki.get("/sitemap.xml", "127.0.0.1:8000")
    assert index is not None
    assert index[1] == "application/xml"
    locs = re.findall(r"<loc>([^<]+)</loc>", index[0].decode())
    assert locs == [f"http://127.0.0.1:8000/sitemaps/titles-{k}.xml" for k in (1, 2, 3)]
    listed = []
    for k in (1, 2, 3):
        found = wiki.get(f"/sitemaps/titles-{k}.xml")
        assert found is not None
        text = found[0].decode()
        assert text.count("<lastmod>2026-11-01T12:00:00+00:00</lastmod>") == text.count("<url>") <= 3
        listed += re.findall(r"<loc>([^<]+)</loc>", text)
    assert listed == [wiki.plan(i).path for i in range(7)]
    assert wiki.get("/sitemaps/titles-4.xml") is None
    with pytest.raises(ValueError, match="sitemap_urls"):
        SynthWiki(pages=7, sitemap_urls=50_001)


def test_the_server_answers_pages_and_304s() -> None:
    proc = subprocess.Popen([sys.executable, str(REPO / "benchmarks" / "synthserver.py"), "--pages", "5",
                             "--max-seconds", "120"], cwd=REPO, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        wiki = SynthWiki(pages=5, seed=1)
        path = wiki.plan(2).path
        with urllib.request.urlopen(url + path.lstrip("/"), timeout=30) as resp:
            body = resp.read()
            etag = resp.headers["ETag"]
        assert body == wiki.page(2)
        request = urllib.request.Request(url + path.lstrip("/"), headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=30)
        assert info.value.code == 304
        info.value.close()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "served 2 requests" in out


def test_crawl_bench_runs_end_to_end() -> None:
    out = bench("crawl_bench.py", "--pages", "30", "--timeout", "300")
    assert re.search(r"bare Scrapy spider \(counts pages\)\s+3[0-9] ", out), out
    assert "full pipeline / bare spider:" in out
    assert "full crawl outcomes: {'record': 30, 'unchanged': 0, 'not_title': 2, 'failure': 0}" in out, out
    recheck_all = re.search(r"recrawl, re-check all \(--recheck-after 0\): .* (\d+) requests; "
                            r"outcomes (\{.*?\}), (\d+) unchanged by sitemap lastmod", out)
    assert recheck_all, out
    assert recheck_all.group(2) == "{'record': 0, 'unchanged': 32, 'not_title': 0, 'failure': 0}"
    assert recheck_all.group(3) == "0"  # every page re-checked with a request
    incremental = re.search(r"recrawl, incremental \(sitemap lastmod\): .* (\d+) requests; "
                            r"outcomes (\{.*?\}), (\d+) unchanged by sitemap lastmod", out)
    assert incremental, out
    assert incremental.group(2) == "{'record': 0, 'unchanged': 32, 'not_title': 0, 'failure': 0}"
    assert incremental.group(3) == "30"  # the 30 title pages its sitemap lists: no request
    assert int(incremental.group(1)) <= int(recheck_all.group(1)) - 30
    assert re.search(r"goal incremental recrawl >= 5x the first crawl: (met|NOT met)", out)
    assert "load average" in out


def test_reextract_bench_runs_end_to_end() -> None:
    out = bench("reextract_bench.py", "--pages", "30")
    assert "titlecrawl reextract --jobs 0: 32 pages (30 records)" in out, out
    assert re.search(r"goal re-extraction >= 200 pages/s: (met|NOT met)", out)
