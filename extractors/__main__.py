"""``python -m extractors rerun samples/title/<slug>``: print a sample's current record for review.

A sample folder holds ``page.html`` (or ``page.txt``), ``meta.json`` (``url``, ``fetched_at``,
optional ``subpages``: ``{"file": "url"}`` of the same title, merged into one record) and the
hand-checked ``expected.json``. ``rerun`` prints the record the extractors make now; ``--diff``
prints only the fields that differ from ``expected.json``. Nothing is ever written: expected files
are reviewed by hand, then pasted.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .merge import merge_records
from .records import TitleRecord
from .registry import extract_title

logger = logging.getLogger(__name__)

PAGE_NAMES = ("page.html", "page.htm", "page.txt")


def read_meta(folder: Path) -> dict[str, Any]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        raise TypeError(f"{folder / 'meta.json'} is not a JSON object")
    return meta


def _timestamp(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def page_file(folder: Path) -> Path:
    for name in PAGE_NAMES:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{folder} has no {' / '.join(PAGE_NAMES)}")


def extract_sample(folder: Path) -> TitleRecord:
    """The record of a sample folder: its page, plus its ``subpages`` merged in (main page first)."""
    meta = read_meta(folder)
    fetched_at = _timestamp(meta.get("fetched_at"))
    records = [extract_title(page_file(folder).read_bytes(), meta.get("url"), fetched_at=fetched_at)]
    for name, url in (meta.get("subpages") or {}).items():
        records.append(extract_title((folder / name).read_bytes(), url, fetched_at=fetched_at))
    return merge_records(records) if len(records) > 1 else records[0]


def record_json(record: TitleRecord) -> dict[str, Any]:
    """The record as ``expected.json`` holds it (a JSON round trip of ``to_dict()``)."""
    data: dict[str, Any] = json.loads(json.dumps(record.to_dict(), ensure_ascii=False))
    return data


def diff_fields(got: dict[str, Any], expected: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose values differ: ``{field: {"expected": ..., "got": ...}}``."""
    return {
        key: {"expected": expected.get(key), "got": got.get(key)}
        for key in dict.fromkeys([*expected, *got])
        if got.get(key) != expected.get(key)
    }


def rerun(folder: Path, *, fields: list[str] | None = None, diff: bool = False) -> dict[str, Any]:
    got = record_json(extract_sample(folder))
    if diff:
        expected_path = folder / "expected.json"
        expected = json.loads(expected_path.read_text(encoding="utf-8")) if expected_path.is_file() else {}
        out: dict[str, Any] = diff_fields(got, expected)
    else:
        out = got
    if fields:
        out = {k: v for k, v in out.items() if k in fields}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractors", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("rerun", help="print the current record of sample folders (never writes)")
    p.add_argument("folders", nargs="+", type=Path, metavar="FOLDER")
    p.add_argument("--fields", help="comma-separated fields to print")
    p.add_argument("--diff", action="store_true", help="print only the fields that differ from expected.json")
    args = parser.parse_args(argv)
    fields = [f.strip() for f in args.fields.split(",")] if args.fields else None
    status = 0
    for folder in args.folders:
        try:
            out = rerun(folder, fields=fields, diff=args.diff)
        except (OSError, ValueError, TypeError) as exc:
            sys.stderr.write(f"python -m extractors rerun: {folder}: {exc}\n")
            status = 1
            continue
        if len(args.folders) > 1:
            sys.stdout.write(f"== {folder}\n")
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        if args.diff and out:
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
