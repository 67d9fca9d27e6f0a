"""The Parquet dataset: one table per entity, partitioned by crawl date (see ``docs/dataset.md``).

Layout: ``OUTDIR/<table>/crawl_date=YYYY-MM-DD/<part_prefix>-<run_id>-<n>.parquet``. Files are
written under a hidden temporary name and renamed when complete; a run writes the same file names
again when rerun, so a rerun replaces its own files instead of adding rows.

>>> import tempfile
>>> from extractors.records import TitleRecord, Credit
>>> out = tempfile.mkdtemp()
>>> with DatasetWriter(out, run_id="r1", crawl_date=date(2026, 11, 1)) as writer:
...     writer.write(TitleRecord(record_id="x:1", site="x", credits=(Credit(person="A"),)))
>>> sorted(p.relative_to(out).as_posix() for p in Path(out).rglob("*.parquet"))[:2]
['aliases/crawl_date=2026-11-01/part-r1-0.parquet', 'characters/crawl_date=2026-11-01/part-r1-0.parquet']
>>> writer.counts["titles"], writer.counts["credits"], writer.counts["characters"]
(1, 1, 0)
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import pyarrow as pa
import pyarrow.dataset as ds

from .parquet import (
    COMPRESSION,
    AtomicParquetFile,
    TitleBatch,
    failures_table,
    fsync_dir,
    parse_timestamp,
    to_array,
    writer_options,
)
from .schemas import RUNS, TABLES, TITLES, with_metadata

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import TracebackType

    from extractors.records import TitleRecord

logger = logging.getLogger(__name__)

_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_PART_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._]*\Z")
"""No '-' in a part prefix: the first '-' of a file name ends it, so names never clash between writers."""

RECORD_TABLES = (
    "titles",
    "names",
    "releases",
    "credits",
    "characters",
    "lists",
    "related",
    "aliases",
    "genres",
)
"""Tables filled from records (the rest: ``failures``, ``runs``)."""

# Manifest keys read into typed ``runs`` columns (the whole manifest is kept in ``manifest_json``).
_MANIFEST_KEYS: dict[str, tuple[str, ...]] = {
    "started_at": ("started_at", "start", "started", "start_time"),
    "finished_at": ("finished_at", "end", "finished", "ended_at", "end_time"),
    "outcomes": ("counts", "outcomes"),
    "errors_per_field": ("errors_per_field", "extraction_errors", "field_errors"),
    "pages_per_minute": ("pages_per_minute",),
    "settings": ("settings",),
}


def _check_name(value: str, what: str, pattern: re.Pattern[str], allowed: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(
            f"{what} {value!r} must be letters, digits, {allowed}, starting with a letter or digit"
        )
    return value


def new_run_id(now: datetime | None = None) -> str:
    """A fresh run id: UTC time plus a random suffix (``20261101T120000Z-3f9a1c``)."""
    now = now or datetime.now(UTC)
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


class DatasetWriter:
    """Stream records, failures and a run manifest into the dataset under ``outdir``.

    Rows are buffered up to ``batch_size`` records (or failures), then written as one row group per
    table to a Parquet file kept open under a hidden temporary name; ``close()`` renames the files
    into place. A table's file is rotated to ``-<n+1>`` after ``rows_per_file`` rows. Once anything
    was written, every table but ``runs`` gets a file (empty if it has no rows), so each table's
    folder reads back; ``runs`` gets its row from ``write_run()``.

    Use one writer per run (or a distinct ``part_prefix`` per writer sharing a run): on a clean
    ``close()`` the writer removes every other file of its ``part_prefix`` and ``run_id`` in every
    table, so writing a run again replaces it entirely. An exception inside ``with`` still commits
    the rows written so far (whole files) but removes nothing.
    
    ``compression`` is the Parquet codec (``zstd`` by default, see ``exports.parquet.COMPRESSION``).
    """

    rows_per_file: int = 1_000_000
    """Rotate a table's file after this many rows (bounds file size; each file is complete)."""

    def __init__(
        self,
        outdir: Path | str,
        *,
        run_id: str,
        crawl_date: date | None = None,
        part_prefix: str = "part",
        batch_size: int = 10_000,
        compression: str = COMPRESSION,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        writer_options("titles", compression)  # an unknown codec is refused here, not at the first write
        self.compression = compression
        self.outdir = Path(outdir)
        self.run_id = _check_name(run_id, "run_id", _RUN_ID, "'.', '_' or '-'")
        self.part_prefix = _check_name(part_prefix, "part_prefix", _PART_PREFIX, "'.' or '_'")
        self.crawl_date = crawl_date or datetime.now(UTC).date()
        self.batch_size = batch_size
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        """Rows written per table so far (including buffered ones once flushed)."""
        self.records = 0
        self._batch = TitleBatch(self.run_id, flat=True)
        self._failures: list[tuple[str, int | None, str, datetime | None]] = []
        self._manifest: dict[str, Any] | None = None
        self._open: dict[str, AtomicParquetFile] = {}
        self._next_part: dict[str, int] = dict.fromkeys(TABLES, 0)
        self._written: set[Path] = set()
        self._closed = False

    # -- public API -------------------------------------------------------------------------------

    def write(self, record: TitleRecord) -> None:
        """Add one record version (a row of ``titles`` and its rows in the flat tables)."""
        self._check_open()
        self._batch.add(record)
        self.records += 1
        if self._batch.rows >= self.batch_size:
            self._flush_records()

    def write_failure(self, url: str, status: int | None, reason: str, fetched_at: datetime) -> None:
        """Add one URL that yielded no record (HTTP error, timeout, too large ...)."""
        self._check_open()
        if not isinstance(url, str) or not url:
            raise ValueError(f"a failure needs its URL, not {url!r}")
        self._failures.append((url, status, reason, fetched_at))
        if len(self._failures) >= self.batch_size:
            self._flush_failures()

    def write_run(self, manifest: dict[str, Any]) -> None:
        """Set the run's manifest: one ``runs`` row, written on ``close()`` (a second call replaces it)."""
        self._check_open()
        if not isinstance(manifest, dict):
            raise TypeError(f"a run manifest is a dict, not {type(manifest).__name__}")
        self._manifest = manifest

    def close(self) -> None:
        """Write what is buffered, rename every file into place and drop this run's stale files."""
        self._finish(clean=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._finish(clean=exc_type is None)

    # -- internals --------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError("the dataset writer is closed")

    def _finish(self, *, clean: bool) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._flush_records()
            self._flush_failures()
            if self._manifest is not None:
                self._write_table("runs", runs_table(self._manifest, self.run_id))
            if self.records or self.counts["failures"] or self._manifest is not None:
                # every table gets a file, empty if need be: each table folder then reads back
                for table in TABLES:
                    if table != "runs" and not self._next_part[table]:
                        self._write_table(table, TABLES[table].empty_table(), allow_empty=True)
        finally:
            for table in list(self._open):
                self._commit(table)
        if clean and self._written:
            self._remove_stale()
        for folder in {path.parent for path in self._written}:
            fsync_dir(folder)

    def _flush_records(self) -> None:
        if not len(self._batch):
            return
        for name, table in self._batch.tables():
            self._write_table(name, table)
        self._batch.clear()

    def _flush_failures(self) -> None:
        if self._failures:
            table = failures_table(self._failures, self.run_id)
            self._failures.clear()
            self._write_table("failures", table)

    def _partition(self, table: str) -> Path:
        return self.outdir / table / f"crawl_date={self.crawl_date.isoformat()}"

    def _write_table(self, table: str, data: pa.Table, *, allow_empty: bool = False) -> None:
        if not data.num_rows and not allow_empty:
            return
        file = self._open.get(table)
        if file is None:
            name = f"{self.part_prefix}-{self.run_id}-{self._next_part[table]}.parquet"
            self._next_part[table] += 1
            file = self._open[table] = AtomicParquetFile(
                self._partition(table) / name,
                with_metadata(TABLES[table], table),
                table,
                compression=self.compression,
            )
        file.write(data)
        self.counts[table] += data.num_rows
        if file.rows >= self.rows_per_file:
            self._commit(table)

    def _commit(self, table: str) -> None:
        file = self._open.pop(table)
        file.commit()
        self._written.add(file.path)
        logger.debug("wrote %s (%d rows)", file.path, file.rows)

    def _remove_stale(self) -> None:
        """Remove files (and leftover temporary files) of this run that this writer did not write."""
        remove_run_files(self.outdir, self.run_id, part_prefix=self.part_prefix, keep=self._written)


def remove_run_files(
    outdir: Path | str, run_id: str, *, part_prefix: str = "part", keep: set[Path] | frozenset[Path] = frozenset()
) -> int:
    """Remove every file (and leftover temporary file) of ``run_id`` in every table, but ``keep``.

    Used to drop a run written again, or the part of a run whose writing was killed before it was
    complete (its records are then written again, by another run). Returns the files removed.
    """
    outdir = Path(outdir)
    _check_name(run_id, "run_id", _RUN_ID, "'.', '_' or '-'")
    prefix = f"{part_prefix}-{run_id}-"
    removed = 0
    for table in TABLES:
        folder = outdir / table
        if not folder.is_dir():
            continue
        for path in folder.glob("crawl_date=*/*"):
            name = path.name
            if name.startswith(".") and name.endswith(".tmp"):
                name = name[1:-4]
            if not (name.startswith(prefix) and name.endswith(".parquet")):
                continue
            if not name[len(prefix) : -len(".parquet")].isdigit() or path in keep:
                continue
            logger.info("removing %s, left by an earlier write of run %s", path, run_id)
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _manifest_value(manifest: dict[str, Any], column: str) -> Any:
    for key in _MANIFEST_KEYS[column]:
        if manifest.get(key) is not None:
            return manifest[key]
    return None


def _counts(value: Any, column: str) -> list[tuple[str, int]] | None:
    if not isinstance(value, dict):
        return None
    pairs = [(str(k), int(v)) for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)]
    if len(pairs) != len(value):
        logger.warning(
            "manifest %s: %d non-integer value(s) left out of the column", column, len(value) - len(pairs)
        )
    return pairs


def runs_table(manifest: dict[str, Any], run_id: str) -> pa.Table:
    """The one ``runs`` row of a manifest (typed columns for what is known, all of it as JSON)."""
    started = _manifest_value(manifest, "started_at")
    finished = _manifest_value(manifest, "finished_at")
    ppm = _manifest_value(manifest, "pages_per_minute")
    settings = _manifest_value(manifest, "settings")
    values: dict[str, Any] = {
        "run_id": run_id,
        "started_at": parse_timestamp(started) if isinstance(started, str | datetime) else None,
        "finished_at": parse_timestamp(finished) if isinstance(finished, str | datetime) else None,
        "outcomes": _counts(_manifest_value(manifest, "outcomes"), "outcomes"),
        "errors_per_field": _counts(_manifest_value(manifest, "errors_per_field"), "errors_per_field"),
        "pages_per_minute": float(ppm)
        if isinstance(ppm, int | float) and not isinstance(ppm, bool)
        else None,
        "settings_json": None if settings is None else json.dumps(settings, default=str, ensure_ascii=False),
        "manifest_json": json.dumps(manifest, default=str, ensure_ascii=False),
    }
    if manifest.get("run_id") not in (None, run_id):
        logger.warning("manifest run_id %r differs from the writer's %r", manifest.get("run_id"), run_id)
    arrays = [to_array([values[field.name]], field.type, field.name) for field in RUNS]
    return pa.Table.from_arrays(arrays, schema=with_metadata(RUNS, "runs"))


_VERSION_KEYS = pa.schema(
    [TITLES.field(name) for name in ("record_id", "content_sha256", "extractor_version", "run_id")]
)


def existing_versions(outdir: Path | str, *, exclude_run: str | None = None) -> set[tuple[Any, ...]]:
    """(record_id, content_sha256, extractor_version) of every record version in ``outdir/titles``.

    Versions written by ``exclude_run`` are left out (a run being written again replaces them).
    """
    folder = Path(outdir) / "titles"
    if not folder.is_dir():
        return set()
    # the key columns only, with their schema given: a folder holding no whole file yet reads as empty
    dataset = ds.dataset(folder, format="parquet", schema=_VERSION_KEYS)
    seen: set[tuple[Any, ...]] = set()
    for batch in dataset.to_batches(columns=_VERSION_KEYS.names):
        rows = zip(*(batch.column(i).to_pylist() for i in range(4)), strict=True)
        seen.update(row[:3] for row in rows if exclude_run is None or row[3] != exclude_run)
    return seen


def write_dataset(
    records: Iterable[TitleRecord],
    outdir: Path | str,
    *,
    run_id: str | None = None,
    crawl_date: date | None = None,
) -> int:
    """Write records to the dataset under ``outdir`` as one new run; returns the records written.

    A record version already in the dataset (same ``record_id``, ``content_sha256`` and
    ``extractor_version``) is skipped, so extracting the same pages into the same folder twice adds
    no rows; pages that changed, or a new extractor version, add new versions.
    """
    run_id = run_id or new_run_id()
    seen = existing_versions(outdir, exclude_run=run_id)
    skipped = 0
    with DatasetWriter(outdir, run_id=run_id, crawl_date=crawl_date) as writer:
        for record in records:
            key = (record.record_id, record.content_sha256, record.extractor_version)
            if key in seen:
                skipped += 1
                continue
            seen.add(key)
            writer.write(record)
    if skipped:
        logger.info("%d record version(s) already in %s were not written again", skipped, outdir)
    return writer.records


def write_parquet_file(
    records: Iterable[TitleRecord], path: Path | str, *, batch_size: int = 10_000, compression: str = COMPRESSION
) -> int:
    """Write records as one Parquet file of the ``titles`` table (atomically); returns the count.

    The file has the ``titles`` schema with ``run_id`` null; it is written even when empty.
    """
    path = Path(path)
    file = AtomicParquetFile(path, with_metadata(TITLES, "titles"), "titles", compression=compression)
    batch = TitleBatch()
    count = 0
    try:
        for record in records:
            batch.add(record)
            count += 1
            if len(batch) >= batch_size:
                file.write(batch.titles_table())
                batch.clear()
        if len(batch):
            file.write(batch.titles_table())
    except BaseException:
        file.discard()
        raise
    file.commit()
    fsync_dir(path.parent)
    return count


__all__ = [
    "DatasetWriter",
    "existing_versions",
    "new_run_id",
    "remove_run_files",
    "runs_table",
    "write_dataset",
    "write_parquet_file",
]
