"""A 500-page wiki with a fifth of its pages hostile: the crawl finishes, stays polite and accounts for every URL.

One ``titlecrawl crawl`` (a real child process) runs against a ``FaultServer`` on 127.0.0.1 serving a
generated site (``tests/faults/site.py``); the tests check the server's counters, the output folder and
the state store's ledger. A second crawl then runs with the faults gone except the pages that change
on every fetch. Short timeouts keep the whole module well under a minute of crawling.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds
import pytest

from tests.crawler.conftest import explain, jsonl, manifest, run_crawl

from .faultserver import Fault, FaultServer
from .site import GeneratedSite, build_site

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]

TIMEOUT = 2
RETRY_TIMES = 3
RETRY_AFTER_MAX = 30
BACKOFF = 0.1
MAXSIZE = 1_000_000
SETTINGS = (
    "--profile", "whiskey",
    "-s", f"DOWNLOAD_TIMEOUT={TIMEOUT}", "-s", f"DOWNLOAD_MAXSIZE={MAXSIZE}", "-s", f"RETRY_TIMES={RETRY_TIMES}",
    "-s", f"TITLECRAWL_BACKOFF_BASE={BACKOFF}", "-s", f"TITLECRAWL_RETRY_AFTER_MAX={RETRY_AFTER_MAX}",
    "-s", "REDIRECT_MAX_TIMES=5",
)  # fmt: skip
CRAWL_LIMIT = 180
"""Seconds a crawl may take before the test calls it hung (it takes about 25 s on a loaded 2-core machine)."""


@dataclass
class Plan:
    """Which fault each path gets and what each URL must end as."""

    faults: dict[str, Fault] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    """Path -> the name of its fault (a title path, or a hop the fault adds)."""
    expected: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """Path -> (outcome, failure reason) for URLs that end otherwise than a healthy page."""
    redirects: set[str] = field(default_factory=set)
    """Paths that answer with a redirect: no outcome of their own."""

    def paths(self, kind: str) -> list[str]:
        return [p for p, k in self.kinds.items() if k == kind]


def _variant(site: GeneratedSite, path: str, name: str, encoding: str, meta: str | None) -> bytes:
    text = (site.root / path.strip("/") / "index.html").read_text(encoding="utf-8")
    text = text.replace(site.names[path], name)
    text = text.replace('<meta charset="utf-8">', f'<meta charset="{meta}">' if meta else "")
    return text.encode(encoding, "xmlcharrefreplace")


def _changing(site: GeneratedSite, path: str, *, record_changes: bool) -> Fault:
    base = (site.root / path.strip("/") / "index.html").read_text(encoding="utf-8")
    name = site.names[path]

    def body(n: int) -> bytes:
        if record_changes:  # the title's name changes: a new record version
            return base.replace(name, f"{name} (edition {n})").encode()
        return base.replace("</body>", f"<!-- served {n} times --></body>").encode()  # only bytes change

    return Fault.changing(body)


def make_plan(site: GeneratedSite, sentinel: FaultServer) -> Plan:
    plan = Plan()
    titles = iter(site.titles[1::4])  # every 4th title (from the 2nd) is hostile: spread over the crawl

    def add(kind: str, count: int, fault: Fault | None, outcome: tuple[str, str | None] | None = None) -> list[str]:
        chosen = [next(titles) for _ in range(count)]
        for path in chosen:
            plan.kinds[path] = kind
            if fault is not None:
                plan.faults[path] = fault
            if outcome is not None:
                plan.expected[path] = outcome
        return chosen

    after = f" after {RETRY_TIMES} retries"
    add("429-once", 3, Fault.http(429, retry_after="1", times=1))
    add("503-once", 3, Fault.http(503, retry_after="1", times=1))
    add("503-always", 2, Fault.http(503, retry_after="1"), ("failure", "HTTP 503 Service Unavailable" + after))
    add("429-too-long", 1, Fault.http(429, retry_after="3600"),
        ("failure", f"HTTP 429: server asked to retry after 3600 s, over the {RETRY_AFTER_MAX} s limit"))
    add("500-flap", 20, Fault.http(500, times=2))
    add("500-always", 3, Fault.http(500), ("failure", "HTTP 500 Internal Server Error" + after))
    add("404", 2, Fault.http(404), ("failure", "HTTP 404 Not Found"))
    add("reset-once", 12, Fault.reset(times=1))
    add("reset-always", 2, Fault.reset(), ("failure", "connection closed before a response" + after))
    add("slow-once", 3, Fault.slow(TIMEOUT + 2, times=1))
    add("slow-always", 2, Fault.slow(TIMEOUT + 2), ("failure", f"timed out after {TIMEOUT} s" + after))
    add("truncated-once", 3, Fault.truncate(b"<html><body>" + b"x" * 5000, times=1))
    add("truncated-always", 2, Fault.truncate(b"<html><body>" + b"x" * 5000),
        ("failure", "response cut short (data loss)" + after))
    add("too-large", 2, Fault.serve(b"<html><body>" + b"y" * (2 * MAXSIZE) + b"</body></html>", "text/html"),
        ("failure", "response larger than the download size limit"))
    add("gzip-bomb", 2, Fault.gzip_bomb(60 * MAXSIZE),
        ("failure", "response larger than the download size limit (after decompression)"))
    for path in add("sjis-meta", 4, None):
        plan.faults[path] = Fault.serve(_variant(site, path, "夜の渡し舟", "shift_jis", "shift_jis"), "text/html")
    for path in add("sjis-undeclared", 3, None):
        plan.faults[path] = Fault.serve(_variant(site, path, "夜の渡し舟", "shift_jis", None), "text/html")
    for path in add("cp1252-undeclared", 4, None):
        plan.faults[path] = Fault.serve(_variant(site, path, "Café Noël – “Ōtomo”", "cp1252", None), "text/html")
    for path in add("cp1252-as-utf8", 3, None):
        plan.faults[path] = Fault.serve(_variant(site, path, "Café Noël", "cp1252", None),
                                        "text/html; charset=utf-8")
    for n, path in enumerate(add("redirect-loop", 2, None)):
        hop = f"/loop-{n}/b/"
        plan.faults[path] = Fault.redirect(hop)
        plan.faults[hop] = Fault.redirect(path)
        plan.kinds[hop] = "redirect-loop-hop"
        plan.redirects.add(path)
        plan.expected[hop] = ("failure", "redirect loop")
    for path in add("redirect-chain", 1, None):
        plan.faults[path] = Fault.redirect("/chain/1/")
        plan.redirects.add(path)
        for i in range(1, 30):
            plan.faults[f"/chain/{i}/"] = Fault.redirect(f"/chain/{i + 1}/")
        plan.redirects.update(f"/chain/{i}/" for i in range(1, 5))
        plan.expected["/chain/5/"] = ("failure", "too many redirects (a redirect loop?)")
    offsite = [f"http://localhost:{sentinel.port}/mirror/", f"http://127.0.0.1:{sentinel.port}/other-port/"]
    for n, path in enumerate(add("redirect-offsite", 4, None)):
        target = offsite[n % 2] + f"{n}/"
        plan.faults[path] = Fault.redirect(target)
        plan.expected[path] = ("failure", f"redirect off-site to {target}")
    for path in add("redirect-offsite-via-hop", 1, None):
        plan.faults[path] = Fault.redirect("/hop/1/")
        plan.faults["/hop/1/"] = Fault.redirect(f"http://localhost:{sentinel.port}/via-hop/")
        plan.redirects.add(path)
        plan.kinds["/hop/1/"] = "redirect-offsite-hop"
        plan.expected["/hop/1/"] = ("failure", f"redirect off-site to http://localhost:{sentinel.port}/via-hop/")
    for path in add("changing-record", 8, None):
        plan.faults[path] = _changing(site, path, record_changes=True)
    for path in add("changing-bytes", 8, None):
        plan.faults[path] = _changing(site, path, record_changes=False)
    plan.faults["/robots.txt"] = Fault.slow(TIMEOUT + 2)
    # links off the site on an index page: never requested
    index = site.root / site.index_pages[1].strip("/") / "index.html"
    links = "".join(f'<a href="{u}x/">mirror</a>' for u in offsite)
    index.write_text(index.read_text(encoding="utf-8").replace("</ul>", links + "</ul>"), encoding="utf-8")
    return plan


@dataclass
class Crawled:
    site: GeneratedSite
    plan: Plan
    server: FaultServer
    sentinel: FaultServer
    out: Path
    first: dict[str, Any]
    second: dict[str, Any]
    hits: Counter[str]
    arrivals: dict[str, list[float]]
    hosts: set[str | None]
    first_records: dict[str, dict[str, Any]]
    """Path -> record, of the first crawl."""
    first_failures: dict[str, str]
    """Path -> failure reason, of the first crawl."""
    second_records: dict[str, dict[str, Any]]
    elapsed: float


def by_path(lines: list[dict[str, Any]], prefix: str) -> dict[str, dict[str, Any]]:
    return {line["url"].removeprefix(prefix): line for line in lines}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    base = tmp_path_factory.mktemp("hostile")
    site = build_site(base / "site")
    with FaultServer(base / "site").start() as sentinel, FaultServer(site.root).start() as server:
        plan = make_plan(site, sentinel)
        server.faults.update(plan.faults)
        out = base / "out"
        started = time.monotonic()
        proc = run_crawl(server.url, out, *SETTINGS, timeout=CRAWL_LIMIT)
        elapsed = time.monotonic() - started
        assert proc.returncode == 0, explain(proc)
        first = manifest(out)
        prefix = server.url.rstrip("/")
        hits = Counter(server.hits)
        arrivals: dict[str, list[float]] = {}
        for a in server.arrivals:
            arrivals.setdefault(a.path, []).append(a.at)
        hosts = {a.host for a in server.arrivals}
        records = jsonl(out / "records.jsonl")
        first_records = by_path(records, prefix)
        assert len(first_records) == len(records), "a page recorded twice"
        first_failures = {p: f["reason"] for p, f in by_path(jsonl(out / "failures.jsonl"), prefix).items()}

        # the site heals, except the pages that change on every fetch; crawl again
        server.faults = {p: f for p, f in plan.faults.items() if f.kind == "changing"}
        proc = run_crawl(server.url, out, *SETTINGS, timeout=CRAWL_LIMIT)
        assert proc.returncode == 0, explain(proc)
        second = manifest(out)
        second_records = by_path(jsonl(out / "records.jsonl")[len(records):], prefix)
        yield Crawled(site, plan, server, sentinel, out, first, second, hits, arrivals, hosts, first_records,
                      first_failures, second_records, elapsed)


def expected_outcomes(c: Crawled) -> dict[str, tuple[str, str | None]]:
    want: dict[str, tuple[str, str | None]] = dict.fromkeys((c.site.home, *c.site.index_pages), ("not_title", None))
    for path in c.site.titles:
        if path not in c.plan.redirects:
            want[path] = ("record", None)
    want.update(c.plan.expected)
    return want


def test_the_site_is_500_pages_and_a_fifth_hostile(crawled: Crawled) -> None:
    assert len(crawled.site.paths) == 500
    hostile = {p for p in crawled.plan.kinds if p in crawled.site.titles}
    assert 95 <= len(hostile) <= 105
    assert len({crawled.site.names[p] for p in crawled.site.titles}) == len(crawled.site.titles)


def test_every_url_ends_in_exactly_one_expected_outcome(crawled: Crawled) -> None:
    c = crawled
    want = expected_outcomes(c)
    assert set(c.first_records) == {p for p, (o, _r) in want.items() if o == "record"}
    assert c.first_failures == {p: r for p, (o, r) in want.items() if o == "failure"}
    not_titles = {p for p, (o, _r) in want.items() if o == "not_title"}
    m = c.first
    assert m["outcomes"] == {"record": len(c.first_records), "unchanged": 0, "not_title": len(not_titles),
                             "failure": len(c.first_failures)}
    # the server answered 200 to every page expected to be fetched (the records and the index pages)
    for path in (*c.first_records, *not_titles):
        assert 200 in {e.status for e in c.server.stats.entries(path)}, path


def test_counts_reconcile_with_the_files(crawled: Crawled) -> None:
    m, out = crawled.first, crawled.out
    o = m["outcomes"]
    assert m["complete"]
    assert m["finish_reason"] == "finished"
    assert m["pending"] == 0
    assert m["seen"] == o["record"] + o["unchanged"] + o["not_title"] + o["failure"] == len(expected_outcomes(crawled))
    assert m["redirects"] == len(crawled.plan.redirects)
    assert len(crawled.first_records) == o["record"]
    assert len({r["record_id"] for r in crawled.first_records.values()}) == o["record"]
    assert len(crawled.first_failures) == o["failure"]
    kept = json.loads((out / "manifests" / f"{m['run_id']}.json").read_text())
    assert kept["failures_by_reason"] == dict(Counter(crawled.first_failures.values()))
    assert sum(kept["failures_by_reason"].values()) == o["failure"]


def test_retries_are_bounded(crawled: Crawled) -> None:
    c = crawled
    attempts = RETRY_TIMES + 1
    for path, kind in c.plan.kinds.items():
        hits = c.hits[path]
        if kind.endswith("-once"):
            assert hits == 2, (path, kind, hits)
        elif kind == "500-flap":
            assert hits == 3, (path, kind, hits)
        elif kind in ("503-always", "500-always", "slow-always", "truncated-always"):
            assert hits == attempts, (path, kind, hits)
        elif kind == "reset-always":
            # Twisted's HTTP client itself retries once a request whose kept-alive connection was reset
            assert attempts <= hits <= 2 * attempts, (path, kind, hits)
        else:
            assert hits == 1, (path, kind, hits)
    assert c.hits["/chain/5/"] == 1
    assert c.hits["/chain/6/"] == 0
    assert c.hits["/robots.txt"] <= attempts
    # every path of the site was asked for at most RETRY_TIMES + 1 times (twice that for resets)
    worst = max(c.hits.values())
    assert worst <= 2 * attempts


def test_retry_after_is_waited_for(crawled: Crawled) -> None:
    c = crawled
    for kind in ("429-once", "503-once", "503-always"):
        for path in c.plan.paths(kind):
            times = c.arrivals[path]
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert gaps, path
            assert min(gaps) >= 1.0, (path, gaps)  # Retry-After: 1, counted from the server's side
    for path in c.plan.paths("500-flap"):
        times = c.arrivals[path]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert gaps[0] >= BACKOFF * 0.75, gaps  # exponential backoff, jittered by at most a quarter
        assert gaps[1] >= 2 * BACKOFF * 0.75, gaps


def test_nothing_but_the_site_on_127_0_0_1_was_contacted(crawled: Crawled) -> None:
    assert crawled.sentinel.hits == Counter()
    assert crawled.sentinel.stats.requests == 0
    assert crawled.hosts == {f"127.0.0.1:{crawled.server.port}"}


def test_the_crawl_finished_by_itself_in_bounded_time(crawled: Crawled) -> None:
    # bounded by CRAWL_LIMIT (the subprocess timeout); the figure is for the log, not a speed test
    assert crawled.elapsed < CRAWL_LIMIT
    assert crawled.first["exit_status"] == 0


def test_declared_charsets_decode_and_undeclared_bytes_lose_no_page(crawled: Crawled) -> None:
    c = crawled
    records = c.first_records
    for path in c.plan.paths("sjis-meta"):
        assert records[path]["title"] == "夜の渡し舟", path
    for path in c.plan.paths("cp1252-undeclared"):
        assert records[path]["title"] == "Café Noël – “Ōtomo”", path  # Ō sent as &#332;
    for path in c.plan.paths("sjis-undeclared"):  # no charset anywhere: detected (extractors/page.py)
        assert records[path]["title"] == "夜の渡し舟", path
    for path in c.plan.paths("cp1252-as-utf8"):  # a wrong charset: read as declared, the page still a record
        assert records[path]["status"] in ("ok", "partial"), path


def test_the_dataset_is_readable_and_matches_records_jsonl(crawled: Crawled) -> None:
    out = crawled.out
    records = jsonl(out / "records.jsonl")  # both crawls' records: the dataset holds both runs
    titles = ds.dataset(out / "titles", partitioning="hive").to_table().to_pandas()
    assert sorted(titles["record_id"]) == sorted(r["record_id"] for r in records)
    assert set(zip(titles["record_id"], titles["content_sha256"], strict=True)) == {
        (r["record_id"], r["content_sha256"]) for r in records
    }
    for table in ("names", "credits", "releases", "failures", "runs"):
        pd.read_parquet(out / table)
    failures = pd.read_parquet(out / "failures")
    assert len(failures) == crawled.first["outcomes"]["failure"]  # the second run had none
    assert sorted(pd.read_parquet(out / "runs")["run_id"]) == sorted([crawled.first["run_id"], crawled.second["run_id"]])
    assert not list(out.rglob(".*.tmp"))


def test_a_recrawl_sees_what_changed_between_two_fetches(crawled: Crawled) -> None:
    c = crawled
    refetched = {"changing-record", "sjis-meta", "sjis-undeclared", "cp1252-undeclared", "cp1252-as-utf8"}
    want = {p for p in c.site.titles if c.plan.kinds.get(p) in refetched or p in c.plan.expected
            or p in c.plan.redirects}  # pages whose first version differed from the file, or that had none
    assert set(c.second_records) == want
    m = c.second
    assert m["outcomes"]["failure"] == 0
    assert m["seen"] == sum(m["outcomes"].values()) == len(c.site.paths)
    assert m["outcomes"]["record"] == len(want)
    assert m["changes"] == {"changed": len(want & set(c.first_records)), "new": len(want - set(c.first_records))}
    # the pages whose bytes change on every fetch but whose record does not: unchanged, no new version
    assert not set(c.plan.paths("changing-bytes")) & set(c.second_records)
    # everything else, index pages included, answered 304 to a conditional request
    assert m["outcomes"]["unchanged"] == len(c.site.paths) - len(want)
    assert m["outcomes"]["not_title"] == 0
