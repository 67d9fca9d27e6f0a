"""``titlecrawl diff``: field-level changes between two versions of a title page.

- ``titlecrawl diff OLD NEW``: each side a page file (extracted first) or a record JSON;
- ``titlecrawl diff --dataset OUTDIR --record ID [--from T1] [--to T2]``: two versions in a dataset;
- ``titlecrawl diff --dataset OUTDIR --since DATE``: every page's changes into the ``changes`` table.

Exit status as diff(1): 0 no change, 1 changes found, 2 trouble (``--since`` gives 0 on success).
"""

from __future__ import annotations

import argparse
import gzip
import logging
import re
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import IO, Any

import orjson

from exports.diff import DEFAULT_IGNORED, RecordDiff, compare
from exports.reextract import Capture, extract_capture, read_page_file
from exports.report import write_report
from exports.versions import dataset_diffs, record_versions, write_changes, write_versions
from extractors.records import FIELD_NAMES

logger = logging.getLogger(__name__)


class DiffInputError(Exception):
    """A side of the diff that cannot be read; the message is shown to the user."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diff",
        help="field-level changes between two versions of a page (files, records or a dataset)",
        description="Compare two versions of a title page and print their field-level changes as JSON "
        "Lines: scalar fields old -> new, list items added / removed / changed (matched by identity), "
        "text fields as word-level spans. Each side is a page file (.html/.htm/.txt, gzip too; it is "
        "extracted), a record JSON (a .json file, a .jsonl line, or inline JSON), or two versions in a "
        "dataset. Provenance and version fields (fetched_at, content_sha256, revision_id, errors ...) "
        "are not compared unless --include names them. Exit status: 0 no change, 1 changes, 2 trouble.",
    )
    p.add_argument("sides", nargs="*", metavar="OLD NEW", help="the two versions (page files or record JSON)")
    p.add_argument("--url", help="URL of both pages when they are page files without a meta.json")
    p.add_argument("--site", help="force a site or family name when extracting page files")
    p.add_argument("--dataset", metavar="OUTDIR", help="read versions from this dataset")
    p.add_argument("--record", metavar="ID", help="with --dataset (or a .jsonl side): the record_id")
    p.add_argument(
        "--from",
        dest="from_",
        metavar="T1",
        help="the old version: capture time (the version current then), version number or "
        "content_sha256 prefix (default: the one before --to)",
    )
    p.add_argument("--to", metavar="T2", help="the new version, same forms (default: the latest)")
    p.add_argument(
        "--since",
        metavar="DATE",
        help="with --dataset: diff every page's versions captured from DATE on into the "
        "changes table (OUTDIR/changes) and refresh OUTDIR/versions",
    )
    p.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="FIELD",
        help="also compare a field ignored by default (errors, revision_id, ...); repeatable",
    )
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="FIELD",
        help="leave a field out of the comparison; repeatable",
    )
    p.add_argument("--html", metavar="REPORT", help="also write a side-by-side HTML report")
    p.add_argument(
        "--format",
        choices=("jsonl", "text"),
        default="jsonl",
        help="jsonl (default): one JSON object per change; text: one readable line per change",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the changes here instead of stdout")
    p.set_defaults(func=run)


# -- reading one side ---------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _pick(records: list[dict[str, Any]], record_id: str | None, where: str) -> dict[str, Any]:
    if record_id:
        found = [r for r in records if r.get("record_id") == record_id]
        if not found:
            raise DiffInputError(f"{where}: no record {record_id}")
        return found[-1]
    if len(records) != 1:
        raise DiffInputError(f"{where}: {len(records)} records; name one with --record")
    return records[0]


def _json_records(text: bytes, where: str) -> list[dict[str, Any]] | None:
    """The records of JSON text (one object, an array, or JSON Lines); None if it is not JSON."""
    stripped = text.lstrip()
    if stripped[:1] not in (b"{", b"["):
        return None
    try:
        data = orjson.loads(stripped)
    except orjson.JSONDecodeError:
        try:
            data = [orjson.loads(line) for line in stripped.splitlines() if line.strip()]
        except orjson.JSONDecodeError as exc:
            raise DiffInputError(f"{where}: not valid JSON ({exc})") from exc
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) and "record_id" in i for i in items):
        raise DiffInputError(f"{where}: JSON without records (no record_id)")
    return items


def load_side(value: str, *, url: str | None, site: str | None, record_id: str | None) -> dict[str, Any]:
    """One side of a diff as a record dict: inline JSON, a record JSON file, or a page file."""
    if value.lstrip().startswith("{"):
        records = _json_records(value.encode(), "inline JSON")
        return _pick(records or [], record_id, "inline JSON")
    path = Path(value)
    if not path.is_file():
        raise DiffInputError(f"{value}: no such file")
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DiffInputError(f"{value}: {exc}") from exc
    records = _json_records(data, value)
    if records is not None:
        return _pick(records, record_id, value)
    capture = read_page_file(path)
    if not isinstance(capture, Capture):
        raise DiffInputError(f"{value}: {capture.reason}")
    if url:
        capture = Capture(
            source=capture.source,
            url=url,
            fetched_at=capture.fetched_at,
            body=capture.body,
            content_type=capture.content_type,
        )
    return extract_capture(capture, site=site).to_dict()


# -- picking dataset versions -------------------------------------------------------------------

_HEX = re.compile(r"[0-9a-f]{6,64}\Z")


def _parse_moment(text: str) -> datetime | None:
    """A capture time; a bare date means the end of that day (the version current on that day)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime.combine(day, time.max, tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pick_version(versions: list[dict[str, Any]], spec: str, what: str) -> int:
    """The index of the version ``spec`` names: a number (1 = oldest, -1 = latest), a content hash
    prefix, or a time (the latest version captured at or before it)."""
    if re.fullmatch(r"-?\d{1,4}", spec):
        number = int(spec)
        index = number - 1 if number > 0 else len(versions) + number
        if not 0 <= index < len(versions):
            raise DiffInputError(f"{what} {spec}: there are {len(versions)} versions")
        return index
    if _HEX.match(spec.lower()):
        found = [
            i for i, v in enumerate(versions) if (v.get("content_sha256") or "").startswith(spec.lower())
        ]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise DiffInputError(f"{what} {spec}: several versions have this content hash prefix")
    moment = _parse_moment(spec)
    if moment is None:
        raise DiffInputError(f"{what} {spec}: not a version number, content hash or time")
    index = -1
    for i, version in enumerate(versions):
        at = version.get("fetched_at")
        if at and datetime.fromisoformat(at) <= moment:
            index = i
    if index < 0:
        raise DiffInputError(f"{what} {spec}: no version captured by then")
    return index


def _dataset_pair(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    if not args.record:
        raise DiffInputError("--dataset needs --record ID (or --since DATE)")
    versions = record_versions(args.dataset, args.record)
    if not versions:
        raise DiffInputError(f"{args.dataset}: no versions of {args.record}")
    if len(versions) < 2 and not (args.from_ and args.to):
        raise DiffInputError(f"{args.record} has only one version in {args.dataset}")
    new = pick_version(versions, args.to, "--to") if args.to else len(versions) - 1
    old = pick_version(versions, args.from_, "--from") if args.from_ else new - 1
    if old < 0:
        raise DiffInputError(f"--to {args.to}: that is the first version; nothing before it")
    return versions[old], versions[new]


# -- running ------------------------------------------------------------------------------------


def _ignored(args: argparse.Namespace) -> frozenset[str]:
    unknown = [f for f in [*args.include, *args.ignore] if f not in FIELD_NAMES]
    if unknown:
        raise DiffInputError(f"unknown field(s): {', '.join(unknown)}")
    return (DEFAULT_IGNORED - set(args.include)) | set(args.ignore)


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_lines(diff: RecordDiff) -> list[str]:
    """A diff as readable lines: a header, then one line per change."""
    lines = [f"{diff.record_id}  {diff.old_fetched_at or '?'} -> {diff.new_fetched_at or '?'}"]
    width = max((len(c.field) for c in diff.changes), default=0)
    for change in diff.changes:
        head = f"  {change.field:<{width}}  {change.change:<7}  "
        if change.spans:
            detail = "; ".join(f'"{_short(s.old, 40)}" -> "{_short(s.new, 40)}"' for s in change.spans)
            lines.append(f"{head}{change.key}: {detail}")
        elif change.fields:
            detail = ", ".join(
                f"{name} {_short(a, 30)} -> {_short(b, 30)}" for name, (a, b) in change.fields.items()
            )
            lines.append(f"{head}{change.key}: {detail}")
        elif change.key is not None:
            lines.append(f"{head}{change.key}")
        else:
            lines.append(
                f"{head}{_short(change.old) if change.old is not None else '-'} -> "
                f"{_short(change.new) if change.new is not None else '-'}"
            )
    return lines


def _write_rows(diffs: list[RecordDiff], out: IO[bytes], fmt: str = "jsonl") -> None:
    for diff in diffs:
        if fmt == "text":
            out.write(("\n".join(text_lines(diff)) + "\n").encode())
            continue
        for row in diff.rows():
            out.write(orjson.dumps(row) + b"\n")
    out.flush()


def _since(args: argparse.Namespace, ignore: frozenset[str]) -> int:
    try:
        since = date.fromisoformat(args.since)
    except ValueError as exc:
        raise DiffInputError(f"--since {args.since}: not a date (YYYY-MM-DD)") from exc
    diffs = list(dataset_diffs(args.dataset, since=since, ignore=ignore))
    counts = write_changes(args.dataset, diffs, since=since)
    write_versions(args.dataset)
    if args.output:
        with open(args.output, "wb") as fh:
            _write_rows(diffs, fh, args.format)
    elif args.format == "text":
        _write_rows(diffs, sys.stdout.buffer, "text")
    if args.html:
        write_report(diffs, args.html, title=f"titlecrawl changes since {since.isoformat()}")
    total = sum(counts.values())
    print(
        f"{total} changes in {len(diffs)} version pairs since {since.isoformat()} -> "
        f"{Path(args.dataset) / 'changes'}",
        file=sys.stderr,
    )
    return 0


def run(args: argparse.Namespace) -> int:
    try:
        ignore = _ignored(args)
        if args.dataset and args.since:
            if args.sides or args.record:
                raise DiffInputError("--since works on the whole dataset: no OLD NEW or --record")
            return _since(args, ignore)
        if args.dataset:
            if args.sides:
                raise DiffInputError("give either OLD NEW or --dataset, not both")
            old, new = _dataset_pair(args)
        else:
            if len(args.sides) != 2:
                raise DiffInputError("give two versions: OLD NEW (or --dataset OUTDIR --record ID)")
            old, new = (load_side(s, url=args.url, site=args.site, record_id=args.record) for s in args.sides)
    except (DiffInputError, OSError) as exc:
        print(f"titlecrawl diff: {exc}", file=sys.stderr)
        return 2
    diff = compare(old, new, ignore=ignore)
    if args.output:
        with open(args.output, "wb") as fh:
            _write_rows([diff], fh, args.format)
    else:
        _write_rows([diff], sys.stdout.buffer, args.format)
    if args.html:
        write_report([diff], args.html, title=f"titlecrawl diff: {diff.record_id or 'record'}")
    return 1 if diff.changes else 0
