"""Re-extraction benchmark: ``titlecrawl reextract`` of the WARC of a crawl of the synthetic wiki.

    .venv/bin/python benchmarks/reextract_bench.py --pages 10000            # writes the WARC itself
    .venv/bin/python benchmarks/reextract_bench.py --warc OUT/warc          # a crawl's WARC (crawl_bench --out OUT)

Without ``--warc`` it writes, with the crawler's own writer (``exports.warc.WarcCaptureWriter``), one
request/response exchange per page of the synthetic wiki (``benchmarks/synthwiki.py``: title pages,
index pages, home, robots.txt), as a crawl with ``--warc`` captures them; no server and no crawl
needed. Then it runs ``titlecrawl reextract WARC -o OUT --no-progress`` in a fresh process and prints
pages per second (the command's own count of pages over its wall time, start-up included), CPU
seconds per page of the process and its workers, and peak memory; the goal is 200 pages/s on 2 cores.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.crawl_bench import PY, load_average, machine, run_measured
from benchmarks.synthwiki import LAST_MODIFIED, SynthWiki
from exports.warc import WarcCaptureWriter

BASE = "http://127.0.0.1:8000"


def write_warc(wiki: SynthWiki, folder: Path) -> tuple[int, int]:
    """Capture every page of the wiki into ``folder``; return (exchanges, bytes)."""
    fetched = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    paths = ["/robots.txt", "/", *(f"/titles/page-{k}/" for k in range(1, wiki.index_pages + 1)), *wiki.paths]
    request = [("Host", "127.0.0.1:8000"), ("User-Agent", "titlecrawl-bench"), ("Accept-Encoding", "gzip")]
    with WarcCaptureWriter(folder, prefix="synthwiki") as writer:
        for path in paths:
            found = wiki.get(path)
            if found is None:
                continue
            body, ctype = found
            headers = [("Content-Type", ctype), ("Content-Length", str(len(body))), ("ETag", wiki.etag(path)),
                       ("Last-Modified", LAST_MODIFIED)]  # fmt: skip
            writer.write_exchange(BASE + path, request, 200, headers, body, fetched)
        exchanges = writer.exchanges
    return exchanges, sum(p.stat().st_size for p in folder.glob("*.warc.gz"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="title pages of the synthetic wiki")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warc", type=Path, help="re-extract this WARC folder or file instead of writing one")
    parser.add_argument("--jobs", type=int, default=0, help="titlecrawl reextract --jobs (0: one per core)")
    parser.add_argument("--timeout", type=float, default=1200.0)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="reextract-bench-"))
    try:
        warc = args.warc
        made = ""
        if warc is None:
            started = time.monotonic()
            exchanges, size = write_warc(SynthWiki(args.pages, args.seed), tmp / "warc")
            warc = tmp / "warc"
            made = (f"WARC written by the benchmark: {exchanges} exchanges, {size / 1e6:.0f} MB "
                    f"in {time.monotonic() - started:.0f} s")  # fmt: skip
        load = load_average()
        cmd = [PY, "-m", "titlecrawl.cli", "reextract", str(warc), "-o", str(tmp / "out"), "--no-progress",
               "--jobs", str(args.jobs)]  # fmt: skip
        m = run_measured(cmd, args.timeout)
        if m.returncode != 0:
            print(m.output[-3000:])
            return 1
        found = re.search(r"^(\d+) pages: (\d+) records", m.output, re.MULTILINE)
        if found is None:
            print(m.output[-3000:])
            return 1
        pages, records = int(found.group(1)), int(found.group(2))
        info = machine()
        rate = pages / m.wall if m.wall else 0.0
        print(f"reextract_bench: N={args.pages} title pages (seed {args.seed}), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        print(f"machine: {info['nproc']} cores, {info['cpu']}, {info['ram']} RAM, Python {info['python']}")
        print(f"load average (1/5/15 min) before the run: {load}")
        if made:
            print(made)
        print(f"titlecrawl reextract --jobs {args.jobs}: {pages} pages ({records} records) in {m.wall:.1f} s "
              f"= {rate:.1f} pages/s; CPU {1000 * m.cpu / max(pages, 1):.1f} ms/page; "
              f"peak RSS {m.peak_rss / 2**20:.0f} MB")  # fmt: skip
        print(f"goal re-extraction >= 200 pages/s: {'met' if rate >= 200 else 'NOT met'} ({rate:.1f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
