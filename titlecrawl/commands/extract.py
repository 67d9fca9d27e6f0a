"""``titlecrawl extract PATH...``: saved pages (HTML or text, gzip too) to records, offline."""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exports.json import JsonLinesWriter, dumps_record, write_json_document
from extractors import extract_title
from extractors.merge import merge_records

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from extractors.records import TitleRecord

logger = logging.getLogger(__name__)

MAX_INPUT_BYTES = 64 * 1024 * 1024


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "extract",
        help="extract records from saved pages (.html/.htm/.txt, gzip too)",
        description="Extract one record per input file and print it as a JSON line (input order), "
        "or write OUT as .jsonl/.jsonl.gz/.json/.parquet by its extension, or a Parquet dataset when "
        "OUT is a folder. A meta.json beside a page (url, fetched_at, subpages) is used when --url is not "
        "given. Inputs that are pages of one title (an IMDb page and its full credits, a MAL page and "
        "its characters) give ONE merged record, in the place of the first.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="page files")
    p.add_argument("--url", help="the URL the page was fetched from (picks the site family)")
    p.add_argument("--site", help="force a site or family name (animevice, comicvine, giantbomb, ...)")
    p.add_argument("-o", "--output", metavar="OUT", help="output file or dataset folder (default: stdout)")
    p.set_defaults(func=run)


def read_input(path: Path) -> bytes:
    """The bytes of a page file, gunzipped when it is gzip (by magic number, not only by name)."""
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise ValueError(f"file is {size} bytes, over the {MAX_INPUT_BYTES} byte limit")
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise ValueError(f"decompresses to over {MAX_INPUT_BYTES} bytes")
    return data


def sidecar_meta(path: Path) -> dict[str, Any]:
    """``meta.json`` beside a page (the samples' layout), or ``{}``."""
    meta = path.with_name("meta.json")
    if not meta.is_file():
        return {}
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("ignoring unreadable %s", meta)
        return {}
    return data if isinstance(data, dict) else {}


def parse_timestamp(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)  # Python 3.11 reads a trailing Z
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def extract_files(
    paths: list[Path], *, url: str | None = None, site: str | None = None
) -> Iterator[tuple[Path, TitleRecord | None, str | None]]:
    """For each path in order: (path, record, None) or (path, None, one-line error)."""
    for path in paths:
        try:
            data = read_input(path)
        except (OSError, ValueError, EOFError, gzip.BadGzipFile) as exc:
            yield path, None, f"{path}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"
            continue
        meta = sidecar_meta(path)
        subpages = meta.get("subpages")
        own_url = subpages.get(path.name) if isinstance(subpages, dict) else None
        record = extract_title(
            data,
            url or own_url or meta.get("url"),
            fetched_at=parse_timestamp(meta.get("fetched_at")),
            site=site,
        )
        yield path, record, None


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    failures = 0
    results = extract_files(paths, url=args.url, site=args.site)

    def records() -> Iterator[TitleRecord]:
        nonlocal failures
        for _path, record, error in results:
            if record is None:
                failures += 1
                print(f"titlecrawl extract: {error}", file=sys.stderr)
                continue
            yield record

    out = args.output
    if out is None:
        stdout = sys.stdout.buffer
        for record in merge_same_title(records()):
            stdout.write(dumps_record(record) + b"\n")
            stdout.flush()
    else:
        count = write_output(merge_same_title(records()), Path(out))
        print(f"wrote {count} records to {out}", file=sys.stderr)
    return 1 if failures else 0


def merge_same_title(records: Iterable[TitleRecord]) -> Iterator[TitleRecord]:
    """One record per title for sub-pages given one after another: consecutive records with the same
    ``record_id`` and different contents (a main page and its full credits) merge into one
    (``extractors.merge``); the same page given twice gives two records. Streams:
    each record is yielded as soon as the next input has another record id, so output keeps input
    order and comes line by line. Records without a page id (unrecognized pages) never merge."""
    group: list[TitleRecord] = []
    for record in records:
        repeated = any(r.content_sha256 == record.content_sha256 for r in group)  # the same page twice
        if group and (record.page_id is None or record.record_id != group[0].record_id or repeated):
            yield merge_records(group) if len(group) > 1 else group[0]
            group = []
        if record.page_id is None:
            yield record
        else:
            group.append(record)
    if group:
        yield merge_records(group) if len(group) > 1 else group[0]


def write_output(records: Iterator[TitleRecord], out: Path) -> int:
    """Write records to OUT by its extension; a folder (or a path without suffix) is a dataset."""
    name = out.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        with JsonLinesWriter(out) as writer:
            for record in records:
                writer.write(record)
            return writer.count
    if name.endswith(".json"):
        return write_json_document(records, out)
    if name.endswith(".parquet"):
        from exports.dataset import write_parquet_file

        return write_parquet_file(records, out)
    from exports.dataset import write_dataset

    return write_dataset(records, out)
