"""Page versions in a dataset: the ``versions`` and ``changes`` tables, and records read back.

Every distinct content of a page (``record_id`` + ``content_sha256``) is a version. The ``titles``
table keeps each of them (and one row per extractor version that read it); this module reads them
back as records (``to_dict()`` form), numbers the versions by capture time and writes two derived
tables beside the others, with explicit schemas and the dataset's file metadata:

- ``OUTDIR/versions/versions.parquet``: one row per version (rebuilt from ``titles`` each time);
- ``OUTDIR/changes/crawl_date=YYYY-MM-DD/part-changes.parquet``: the field-level changes between
  consecutive versions, partitioned by the date the newer version was captured. ``write_changes(
  since=DATE)`` rewrites the partitions from DATE on, so reruns replace rows instead of adding them.

Values in ``changes.old`` / ``changes.new`` are the text itself for strings and compact JSON for
anything else (numbers, list items); ``detail`` holds the changed attributes of a list item or the
word spans of an edited paragraph, as JSON.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from exports.diff import DEFAULT_IGNORED, RecordDiff, compare
from exports.parquet import fsync_dir, parse_timestamp, to_array
from exports.schemas import STRING, TIMESTAMP, with_metadata
from extractors.records import FIELD_NAMES, TitleRecord, format_timestamp, record_from_dict

logger = logging.getLogger(__name__)

VERSIONS = pa.schema(
    [
        pa.field("record_id", STRING, nullable=False),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("url", STRING),
        pa.field("content_sha256", STRING),
        pa.field("fetched_at", TIMESTAMP),
        pa.field("revision_id", STRING),
        pa.field("last_edited_at", TIMESTAMP),
        pa.field("last_edited_at_iso", STRING),
        pa.field("extractor_version", STRING),
        pa.field("run_id", STRING),
    ]
)
"""One row per distinct content of a page; ``version`` counts from 1 in capture order."""

CHANGES = pa.schema(
    [
        pa.field("record_id", STRING, nullable=False),
        pa.field("url", STRING),
        pa.field("field", STRING, nullable=False),
        pa.field("change", STRING, nullable=False),
        pa.field("key", STRING),
        pa.field("old", STRING),
        pa.field("new", STRING),
        pa.field("detail", STRING),
        pa.field("old_fetched_at", TIMESTAMP),
        pa.field("new_fetched_at", TIMESTAMP),
        pa.field("old_content_sha256", STRING),
        pa.field("new_content_sha256", STRING),
    ]
)
"""One row per field-level change between two consecutive versions of a page."""

CHANGES_FILE = "part-changes.parquet"
_INDEX_COLUMNS = [
    "record_id",
    "url",
    "content_sha256",
    "fetched_at",
    "revision_id",
    "last_edited_at",
    "last_edited_at_iso",
    "extractor_version",
    "run_id",
]
_ID_CHUNK = 500


# -- reading records back -----------------------------------------------------------------------


def row_to_record_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``titles`` row as the record's ``to_dict()`` form (typed date columns back to ISO text)."""
    out: dict[str, Any] = {}
    for name in FIELD_NAMES:
        if name in ("first_release_date", "end_date", "last_edited_at"):
            out[name] = row.get(f"{name}_iso")
        elif name in ("budget", "box_office"):
            parts = {k: row.get(f"{name}_{k}") for k in ("raw", "amount", "currency")}
            out[name] = parts if parts["raw"] is not None or parts["amount"] is not None else None
        elif name == "releases":
            out[name] = [
                {**{k: v for k, v in item.items() if k != "date_iso"}, "date": item.get("date_iso")}
                for item in row.get(name) or ()
            ]
        elif name == "fetched_at":
            value = row.get(name)
            out[name] = format_timestamp(value) if isinstance(value, datetime) else value
        else:
            value = row.get(name)
            out[name] = [] if value is None and name in _LIST_FIELDS else value
    # through the record type once, so both sides of a diff have exactly the same shape
    return record_from_dict(out).to_dict()


_LIST_FIELDS = frozenset(f.name for f in dataclasses.fields(TitleRecord) if f.default == ())


def _titles(outdir: Path) -> ds.Dataset | None:
    folder = outdir / "titles"
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return None
    return ds.dataset(folder, format="parquet", partitioning="hive")


def _version_key(text: str | None) -> tuple[Any, ...]:
    """Natural order of extractor versions (``whiskey/10`` after ``whiskey/9``)."""
    parts = re.split(r"(\d+)", text or "")
    return tuple(int(p) if p.isdigit() else p for p in parts)


@dataclass(frozen=True, slots=True)
class Version:
    """One distinct content of a page."""

    record_id: str
    version: int
    url: str | None
    content_sha256: str | None
    fetched_at: datetime | None
    revision_id: str | None
    last_edited_at: datetime | None
    last_edited_at_iso: str | None
    extractor_version: str | None
    run_id: str | None


def _sort_time(value: datetime | None) -> datetime:
    return value if value is not None else datetime.max.replace(tzinfo=UTC)


def _pick_versions(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """record_id -> one row per content (the earliest capture, read by the newest extractor),
    in capture order."""
    by_content: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_content[(row["record_id"], row.get("content_sha256"))].append(dict(row))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (record_id, _sha), group in by_content.items():
        first = min(group, key=lambda r: (_sort_time(r.get("fetched_at")), r.get("run_id") or ""))
        best = max(group, key=lambda r: (_version_key(r.get("extractor_version")), r.get("run_id") or ""))
        out[record_id].append(
            {**best, "fetched_at": first.get("fetched_at"), "_first_run": first.get("run_id")}
        )
    for versions in out.values():
        versions.sort(key=lambda r: (_sort_time(r.get("fetched_at")), r.get("content_sha256") or ""))
    return out


def dataset_versions(outdir: str | Path) -> list[Version]:
    """Every version of every page in the dataset, by record_id then capture time."""
    titles = _titles(Path(outdir))
    if titles is None:
        return []
    rows = titles.to_table(columns=_INDEX_COLUMNS).to_pylist()
    out: list[Version] = []
    for record_id, versions in sorted(_pick_versions(rows).items()):
        for number, row in enumerate(versions, 1):
            out.append(
                Version(
                    record_id=record_id,
                    version=number,
                    url=row.get("url"),
                    content_sha256=row.get("content_sha256"),
                    fetched_at=row.get("fetched_at"),
                    revision_id=row.get("revision_id"),
                    last_edited_at=row.get("last_edited_at"),
                    last_edited_at_iso=row.get("last_edited_at_iso"),
                    extractor_version=row.get("extractor_version"),
                    run_id=row.get("_first_run"),
                )
            )
    return out


def record_versions(outdir: str | Path, record_id: str) -> list[dict[str, Any]]:
    """The versions of one page as records (``to_dict()`` form), oldest first."""
    titles = _titles(Path(outdir))
    if titles is None:
        return []
    table = titles.to_table(filter=pc.field("record_id") == record_id)
    return [row_to_record_dict(r) for r in _pick_versions(table.to_pylist()).get(record_id, [])]


def _iter_multi_version_records(titles: ds.Dataset) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    index = titles.to_table(columns=["record_id", "content_sha256"])
    pairs = {(r, s) for r, s in zip(index.column(0).to_pylist(), index.column(1).to_pylist(), strict=True)}
    counts: dict[str, int] = defaultdict(int)
    for record_id, _sha in pairs:
        counts[record_id] += 1
    wanted = sorted(r for r, n in counts.items() if n > 1)
    for start in range(0, len(wanted), _ID_CHUNK):
        chunk = wanted[start : start + _ID_CHUNK]
        table = titles.to_table(filter=pc.field("record_id").isin(chunk))
        grouped = _pick_versions(table.to_pylist())
        for record_id in chunk:
            yield record_id, [row_to_record_dict(r) for r in grouped.get(record_id, [])]


def _since_datetime(since: date | datetime | None) -> datetime | None:
    """The start (UTC) of the day ``since`` falls on: changes are kept per capture day."""
    if since is None:
        return None
    if isinstance(since, datetime):
        since = (since if since.tzinfo else since.replace(tzinfo=UTC)).astimezone(UTC).date()
    return datetime(since.year, since.month, since.day, tzinfo=UTC)


def dataset_diffs(
    outdir: str | Path,
    *,
    since: date | datetime | None = None,
    ignore: Sequence[str] | frozenset[str] = DEFAULT_IGNORED,
) -> Iterator[RecordDiff]:
    """The diff of every pair of consecutive versions whose newer side was captured at or after
    ``since``, page by page (record_id order); pairs without changes are left out."""
    titles = _titles(Path(outdir))
    if titles is None:
        return
    cutoff = _since_datetime(since)
    for _record_id, versions in _iter_multi_version_records(titles):
        for old, new in itertools.pairwise(versions):
            new_at = parse_timestamp(new.get("fetched_at"))
            if cutoff is not None and (new_at is None or new_at < cutoff):
                continue
            diff = compare(old, new, ignore=ignore)
            if diff.changes:
                yield diff


# -- writing ------------------------------------------------------------------------------------


def _text_value(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def changes_rows(diff: RecordDiff) -> list[dict[str, Any]]:
    """The rows of the ``changes`` table for one diff."""
    rows = []
    for change in diff.changes:
        data = change.to_dict()
        detail = {k: data[k] for k in ("fields", "spans") if k in data}
        rows.append(
            {
                "record_id": diff.record_id or "",
                "url": diff.url,
                "field": change.field,
                "change": change.change,
                "key": change.key,
                "old": _text_value(change.old),
                "new": _text_value(change.new),
                "detail": orjson.dumps(detail).decode() if detail else None,
                "old_fetched_at": parse_timestamp(diff.old_fetched_at),
                "new_fetched_at": parse_timestamp(diff.new_fetched_at),
                "old_content_sha256": diff.old_content_sha256,
                "new_content_sha256": diff.new_content_sha256,
            }
        )
    return rows


def _table(schema: pa.Schema, name: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    arrays = [to_array([r.get(f.name) for r in rows], f.type, f"{name}.{f.name}") for f in schema]
    return pa.Table.from_arrays(arrays, schema=with_metadata(schema, name))


def _write_file(path: Path, table: pa.Table) -> None:
    """Write one whole Parquet file under a hidden temporary name, then rename it into place (the
    dataset's convention: readers skip names starting with a dot)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_versions(outdir: str | Path) -> Path | None:
    """Rebuild ``OUTDIR/versions/versions.parquet`` from the ``titles`` table; None when it is empty."""
    outdir = Path(outdir)
    versions = dataset_versions(outdir)
    if not versions:
        return None
    path = outdir / "versions" / "versions.parquet"
    _write_file(path, _table(VERSIONS, "versions", [_version_row(v) for v in versions]))
    return path


def _version_row(version: Version) -> dict[str, Any]:
    return {name: getattr(version, name) for name in VERSIONS.names}


def write_changes(
    outdir: str | Path,
    diffs: Iterable[RecordDiff],
    *,
    since: date | datetime | None = None,
) -> dict[str, int]:
    """Write the changes of ``diffs`` into ``OUTDIR/changes``, one partition per capture date of the
    newer version; partitions from ``since`` on (all, when None) that get no rows are removed, so the
    table always matches the latest run. Returns rows per partition date."""
    outdir = Path(outdir)
    by_day: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for diff in diffs:
        for row in changes_rows(diff):
            when = row["new_fetched_at"]
            day = when.date().isoformat() if when is not None else "unknown"
            by_day[day].append(row)
    folder = outdir / "changes"
    cutoff = _since_datetime(since)
    if folder.is_dir():
        for part in folder.glob("crawl_date=*"):
            day = part.name.split("=", 1)[1]
            stale = day not in by_day and (
                cutoff is None or day == "unknown" or day >= cutoff.date().isoformat()
            )
            if stale:
                (part / CHANGES_FILE).unlink(missing_ok=True)
    counts = {}
    for day, rows in sorted(by_day.items()):
        _write_file(folder / f"crawl_date={day}" / CHANGES_FILE, _table(CHANGES, "changes", rows))
        counts[day] = len(rows)
    return counts
