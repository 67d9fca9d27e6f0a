"""``titlecrawl reextract INPUT... -o OUTDIR``: run today's extractors over archived captures, offline."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from exports.reextract import reextract

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "reextract",
        help="re-extract records from WARC / WET files and folders of saved pages (no network)",
        description="Run the current extractors over captures: WARC and WARC.gz files (response and "
        "resource records), WET files (conversion records) and folders of saved pages (.html, .htm, "
        ".txt, gzip too; URL and time from a meta.json sidecar). Writes the same Parquet dataset as a "
        "crawl, plus OUTDIR/records.jsonl, OUTDIR/manifest.json and the versions table. Each record keeps "
        "the capture's URL and time; a content already in the dataset with the same extractor version "
        "is not written again.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="WARC/WET files, page files or folders")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="dataset folder")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        help="worker processes (default: one per core; 1 runs in this process)",
    )
    p.add_argument("--site", help="force a site or family name for every page")
    p.add_argument("--run-id", help="run id (default: derived from the inputs, so a rerun replaces itself)")
    p.add_argument(
        "--keep-not-title",
        action="store_true",
        help="also write the records of pages that are not titles (a crawl only counts them)",
    )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="always show the progress bar (default: when stderr is a terminal)",
    )
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show it")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.inputs if not Path(p).exists()]
    for path in missing:
        print(f"titlecrawl reextract: {path}: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    if args.jobs < 0:
        print("titlecrawl reextract: --jobs must be 0 or more", file=sys.stderr)
        return 2
    manifest, stats = reextract(
        args.inputs,
        args.output,
        jobs=args.jobs,
        site=args.site,
        progress=args.progress,
        run_id=args.run_id,
        keep_not_title=args.keep_not_title,
    )
    rate = manifest.get("pages_per_minute")
    print(
        f"{stats.pages} pages: {stats.records} records ({stats.outcomes['ok']} ok, "
        f"{stats.outcomes['partial']} partial), {stats.outcomes['not_title']} not titles, "
        f"{stats.duplicates} already there, {stats.skipped} skipped, {stats.failures} failures"
        + (f", {rate / 60:.1f} pages/s" if rate else "")
        + f" -> {args.output}",
        file=sys.stderr,
    )
    return 0
