"""``titlecrawl demo``: the main job on the embedded samples, with a short summary table."""

from __future__ import annotations

import argparse
from pathlib import Path

from titlecrawl.commands.extract import extract_files

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "title"
_FILLED_SKIP = {"record_id", "site", "url", "page_id", "fetched_at", "content_sha256", "extractor",
                "extractor_version", "status", "errors"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="extract every embedded sample and print a summary table")
    p.add_argument("--samples", type=Path, default=SAMPLES, help="folder of sample folders")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    pages = sorted(args.samples.glob("*/page.html"))
    if not pages:
        print(f"no samples under {args.samples}")
        return 1
    rows = []
    for path, record, error in extract_files(pages):
        if record is None:
            rows.append((path.parent.name, "-", "-", "-", error or ""))
            continue
        data = record.to_dict()
        filled = sum(1 for k, v in data.items() if k not in _FILLED_SKIP and v not in (None, [], ""))
        rows.append((record.title or "?", record.site, record.status, str(filled), str(len(record.errors))))
    header = ("title", "site", "status", "fields filled", "errors")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return 0
