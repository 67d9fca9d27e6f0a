"""``titlecrawl demo``: serve the sample wiki on 127.0.0.1, crawl it, recrawl it, and show what came out.

No network: the wiki (``samples/site/``) is served from a free port on 127.0.0.1 by this process.
The first crawl writes ``demo-out/`` (records, failures, manifest, state, the Parquet dataset); the
second is an incremental recrawl of the same wiki, which finds every page unchanged (304s).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

import orjson

from crawler.localserver import LocalWikiServer
from titlecrawl.commands.crawl import build_settings, run_crawls

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "samples" / "site"
_FILLED_SKIP = {"record_id", "site", "url", "page_id", "fetched_at", "content_sha256", "extractor",
                "extractor_version", "status", "errors", "canonical_url"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="crawl the embedded sample wiki on 127.0.0.1 and print a summary")
    p.add_argument("--site", type=Path, default=SITE, help="site folder to serve (default samples/site)")
    p.add_argument("-o", "--output", type=Path, default=Path("demo-out"), help="output folder (default demo-out)")
    p.set_defaults(func=run)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, tuple("-" * w for w in widths), *rows]]
    return "\n".join(lines)


def fresh_output(out: Path) -> str | None:
    """Empty the demo's output folder; refuse (return why) when it holds something else."""
    if not out.exists():
        return None
    if not out.is_dir():
        return f"{out} exists and is not a folder"
    if any(out.iterdir()) and not (out / "manifest.json").exists() and not (out / "records.jsonl").exists():
        return f"{out} is not empty and not a titlecrawl output folder; choose another with -o"
    shutil.rmtree(out)
    return None


def record_rows(records_path: Path) -> list[tuple[str, ...]]:
    rows = []
    with records_path.open("rb") as fh:
        for line in fh:
            data: dict[str, Any] = orjson.loads(line)
            filled = sum(1 for k, v in data.items() if k not in _FILLED_SKIP and v not in (None, [], ""))
            rows.append((data.get("title") or "?", data["site"], data.get("kind") or "-", data["status"],
                         str(filled), str(len(data.get("errors") or []))))
    return sorted(rows)


def print_dataset(out: Path) -> None:
    """A few lines read back from the Parquet dataset with pandas (when the dataset was written)."""
    if not (out / "titles").is_dir():
        return
    try:
        import pandas as pd
    except ImportError:
        return
    titles = pd.read_parquet(out / "titles", columns=["record_id", "title", "kind", "first_release_date"])
    print(f"\nRead back with pandas: pd.read_parquet('{out}/titles') ({len(titles)} rows)")
    print(titles.sort_values("record_id").to_string(index=False))
    if (out / "credits").is_dir():
        credits = pd.read_parquet(out / "credits")
        if len(credits) and "person" in credits.columns:
            top = credits.groupby("person").size().sort_values(ascending=False).head(3)
            print(f"\nCredits per person across titles (top 3 of {credits['person'].nunique()}):")
            print(top.to_string())


def run(args: argparse.Namespace) -> int:
    out: Path = args.output
    problem = fresh_output(out)
    if problem:
        print(f"titlecrawl demo: {problem}", file=sys.stderr)
        return 2
    with LocalWikiServer(args.site).start() as server:
        settings = build_settings(
            {
                "TITLECRAWL_OUTDIR": str(out),
                "AUTOTHROTTLE_START_DELAY": 0.0,
                "DOWNLOAD_DELAY": 0.0,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                "LOGSTATS_INTERVAL": 0.0,
            },
            log_level="WARNING",
        )
        print(f"Serving {args.site} at {server.url}; crawling it into {out}/, then recrawling it ...")
        served: list[tuple[int, int, int]] = []

        def count_requests(_index: int, _manifest: dict[str, Any] | None) -> None:
            stats = server.stats
            served.append((stats.requests, stats.body_bytes, stats.not_modified))
            stats.reset()

        crawl = {"start_urls": [server.url]}
        runs = run_crawls(settings, [crawl, crawl], after_each=count_requests)
    if not runs or runs[0] is None:
        print("titlecrawl demo: the crawl did not run", file=sys.stderr)
        return 1
    first = runs[0]
    c = first["outcomes"]
    first_requests, first_bytes, _ = served[0]
    print(f"\nCrawl: {first['seen']} URLs, {first_requests} requests, {first_bytes:,} body bytes "
          f"({first['pages_per_minute']:.0f} pages/min)")
    print(table(("outcome", "URLs"), [(k, str(v)) for k, v in c.items()]))
    if first.get("failures_by_reason"):
        print("failures: " + ", ".join(f"{n} {r}" for r, n in first["failures_by_reason"].items()))
    print(f"\nRecords ({out}/records.jsonl):")
    print(table(("title", "site", "kind", "status", "fields filled", "errors"), record_rows(out / "records.jsonl")))
    if len(runs) > 1 and runs[1] is not None:
        c2 = runs[1]["outcomes"]
        _requests, second_bytes, not_modified = served[1]
        print(f"\nIncremental recrawl: {c2['record']} changed, {c2['unchanged']} unchanged, {c2['failure']} failures; "
              f"the server answered {not_modified} requests with 304 Not Modified and sent "
              f"{second_bytes:,} body bytes (first crawl: {first_bytes:,})")
    print_dataset(out)
    print(f"\nManifest: {out}/manifest.json; failures: {out}/failures.jsonl")
    return 0 if all(r is not None and r.get("complete") for r in runs) else 1

