"""Extraction benchmark: every real page of ../shared/pages, extraction time against lxml's parse.

    .venv/bin/python benchmarks/extract_bench.py [--pages DIR] [--repeat 15] [--slowest 5] [--clock cpu|wall]
    .venv/bin/python benchmarks/extract_bench.py --synthetic 300    # the crawl worker's extraction part

For each page listed in ``INDEX.tsv`` it measures, in one run and interleaved (so both see the same
machine load), the median time of ``extractors.extract_title(bytes, url)`` (decoding, the one
parse, every field, the record) and the median time of ``lxml.html.fromstring(bytes)`` alone, and
prints their ratio, then the median ratio over all pages (the issue's goal: at most 2.0) and the
slowest pages. A page's URL comes from INDEX.tsv: the host from its ``site`` column, the path from
the page's own canonical link when it is on that host, else from the file name's slug.

Times are the thread's CPU time by default (``--clock cpu``: ``time.thread_time``), so that a run on
a machine shared with other work is not skewed by the scheduler (a wall-clock run under load
charges each preemption to whichever side was running, more often the longer one); ``--clock wall``
measures ``time.perf_counter`` instead.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml
import lxml.html

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors import extract_title
from normalize.dates import clear_caches

DEFAULT_PAGES = ROOT.parent / "shared" / "pages"
_HOST = re.compile(r"^([a-z0-9.-]+\.[a-z]{2,})", re.IGNORECASE)
_CANONICAL = re.compile(
    rb"""<(?:link[^>]+rel=["']canonical["'][^>]+href|meta[^>]+property=["']og:url["'][^>]+content)=["']([^"']+)""",
    re.IGNORECASE,
)
_IMDB = re.compile(r"^(tt\d+)-.*?(fullcredits|releaseinfo)?$")
_MAL = re.compile(r"^(anime|manga|people|character)-(\d+)(?:-(.*))?$")


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    kilobytes: float
    extract_ms: float
    parse_ms: float
    family: str
    status: str

    @property
    def ratio(self) -> float:
        return self.extract_ms / self.parse_ms if self.parse_ms else float("inf")


def page_url(filename: str, site: str, data: bytes) -> str:
    """The URL a page was fetched from, as far as INDEX.tsv and the page itself tell."""
    found = _HOST.match(site.strip())
    host = found.group(1).lower() if found else ""
    canonical = _CANONICAL.search(data[:200_000])
    if canonical:
        url = canonical.group(1).decode("utf-8", "replace")
        if host and host.split(".", 1)[-1] in url:
            return url
    slug = filename.split("__", 1)[-1].rsplit(".", 1)[0]
    imdb = _IMDB.match(slug)
    if "imdb" in host and imdb:
        return f"https://www.imdb.com/title/{imdb.group(1)}/{imdb.group(2) or ''}"
    mal = _MAL.match(slug)
    if "myanimelist" in host and mal:
        tail = "/characters" if mal.group(3) and mal.group(3).endswith("characters-staff") else ""
        return f"https://myanimelist.net/{mal.group(1)}/{mal.group(2)}{tail}"
    return f"https://{host}/{slug}" if host else ""


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure(path: Path, url: str, repeat: int, clock: Callable[[], float] = time.thread_time) -> Result:
    data = path.read_bytes()
    record = extract_title(data, url)  # warm-up: imports, compiled queries, caches
    lxml.html.fromstring(data)
    extract_times: list[float] = []
    parse_times: list[float] = []
    gc.collect()
    for _ in range(repeat):
        clear_caches()  # each run parses its dates as a first visit would
        start = clock()
        extract_title(data, url)
        extract_times.append(clock() - start)
        start = clock()
        lxml.html.fromstring(data)
        parse_times.append(clock() - start)
    return Result(
        name=path.name,
        kilobytes=len(data) / 1024,
        extract_ms=median_ms(extract_times),
        parse_ms=median_ms(parse_times),
        family=record.extractor or "?",
        status=record.status,
    )


def read_index(pages: Path) -> list[tuple[Path, str]]:
    with (pages / "INDEX.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(pages / row["filename"], row.get("site") or "") for row in rows if (pages / row["filename"]).is_file()]


def synthetic(pages: int, repeat: int) -> int:
    """The crawl worker's extraction part on synthetic pages: ``extract_page`` + ``to_dict`` + the
    record fingerprint, as ``crawler.pageworker.process_page`` runs them after its parse and links
    (profile "generic", so each page's family is found by sniffing), best of ``repeat`` runs."""
    from datetime import UTC, datetime

    from benchmarks.synthwiki import SynthWiki
    from extractors.page import load_page
    from extractors.records import record_fingerprint
    from extractors.registry import extract_page

    wiki = SynthWiki(pages=1000, seed=1)
    paths = [p for p in wiki.paths if "titles" not in p and p != "/"][:pages]
    jobs = []
    for path in paths:
        got = wiki.get(path)
        if got is not None:
            jobs.append((got[0], "http://127.0.0.1:8000" + path, got[1]))
    fetched_at = datetime(2026, 1, 1, tzinfo=UTC)

    def run() -> float:
        total = 0.0
        for body, url, content_type in jobs:
            page = load_page(body, url, content_type=content_type)  # not timed: the parse
            start = time.thread_time()
            record_fingerprint(extract_page(page, fetched_at=fetched_at).to_dict())
            total += time.thread_time() - start
        return total

    run()  # warm-up
    best = min(run() for _ in range(repeat))
    size = sum(len(body) for body, _, _ in jobs) / len(jobs) / 1024
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(f"synthetic pages: {len(jobs)} (avg {size:.0f} KB)  extraction part (extract_page + to_dict + "
          f"fingerprint), best of {repeat}: {best / len(jobs) * 1000:.3f} ms/page  "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder with INDEX.tsv and the pages")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per page (default 15)")
    parser.add_argument("--slowest", type=int, default=5, help="how many of the slowest pages to list")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="cpu: the thread's CPU time (default; fair on a shared machine); wall: perf_counter")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="instead: the crawl worker's extraction part on N synthetic pages (benchmarks/synthwiki.py)")
    args = parser.parse_args(argv)
    if args.synthetic:
        return synthetic(args.synthetic, max(args.repeat // 3, 3))
    if not (args.pages / "INDEX.tsv").is_file():
        print(f"no INDEX.tsv in {args.pages}", file=sys.stderr)
        return 2
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(f"# {platform.python_implementation()} {platform.python_version()}, lxml {lxml.__version__}, "
          f"{os.cpu_count()} cores, {platform.machine()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    print(f"# {args.repeat} timed runs per page, medians of {'thread CPU' if args.clock == 'cpu' else 'wall-clock'} "
          f"time; extract = extract_title(bytes, url); parse = lxml.html.fromstring(bytes)")
    results: list[Result] = []
    header = f"{'page':62} {'KB':>6} {'extract ms':>10} {'parse ms':>9} {'ratio':>6}  family/status"
    print(header)
    for path, site in read_index(args.pages):
        result = measure(path, page_url(path.name, site, path.read_bytes()), args.repeat, clock)
        results.append(result)
        print(f"{result.name[:62]:62} {result.kilobytes:6.0f} {result.extract_ms:10.2f} {result.parse_ms:9.2f} "
              f"{result.ratio:6.2f}  {result.family}/{result.status}", flush=True)
    if not results:
        print("no pages measured", file=sys.stderr)
        return 2
    ratios = [r.ratio for r in results]
    total_extract = sum(r.extract_ms for r in results)
    total_parse = sum(r.parse_ms for r in results)
    print(f"\npages: {len(results)}  median ratio: {statistics.median(ratios):.2f}  "
          f"(goal <= 2.00)  total extract {total_extract:.1f} ms / total parse {total_parse:.1f} ms "
          f"= {total_extract / total_parse:.2f}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("slowest pages by ratio:")
    for r in sorted(results, key=lambda r: r.ratio, reverse=True)[: args.slowest]:
        print(f"  {r.ratio:5.2f}  {r.extract_ms:7.2f} ms  {r.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
