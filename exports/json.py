"""JSON Lines (optionally gzip) and single JSON documents of records.

Records are serialized by orjson straight from the dataclasses (no ``asdict`` copy); the bytes are
the same as ``orjson.dumps(record.to_dict())``.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
from datetime import timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Self, cast

import orjson

if TYPE_CHECKING:
    from collections.abc import Iterable

    from extractors.records import TitleRecord

logger = logging.getLogger(__name__)

# Naive datetimes are UTC, UTC is written "Z", whole seconds: what ``format_timestamp`` writes.
_RECORD_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z | orjson.OPT_OMIT_MICROSECONDS
_ZERO = timedelta(0)
GZIP_LEVEL = 6
"""gzip level of ``.gz`` outputs: level 9 (gzip's default) is several times slower for ~3% less."""


def dumps_record(record: TitleRecord | dict[str, Any]) -> bytes:
    """One record as compact JSON bytes (no newline); keys in field order, non-ASCII kept."""
    if isinstance(record, dict):
        return orjson.dumps(record)
    fetched = record.fetched_at
    if fetched is None or fetched.utcoffset() in (None, _ZERO):
        return orjson.dumps(record, option=_RECORD_OPTIONS)
    # another time zone: to_dict() converts it to UTC first
    return orjson.dumps(record.to_dict())


def _open_write(path: Path, gz: bool) -> IO[bytes]:
    if gz:
        return cast("IO[bytes]", gzip.GzipFile(path, "wb", compresslevel=GZIP_LEVEL))
    return path.open("wb")


def _fsync_path(path: Path) -> None:
    """Flush a closed file's bytes to disk (gzip writes its trailer on close, so not before)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class JsonLinesWriter:
    """Append records to a ``.jsonl`` file (``.jsonl.gz`` is gzip); usable as a context manager.

    Written to ``PATH.tmp`` and renamed on ``close()``, so a reader never sees half a file.
    """

    def __init__(self, path: str | Path, *, atomic: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._target = self.path.with_name(self.path.name + ".tmp") if atomic else self.path
        self._fh = _open_write(self._target, self.path.suffix == ".gz")
        self.count = 0

    def write(self, record: TitleRecord | dict[str, Any]) -> None:
        self._fh.write(dumps_record(record) + b"\n")
        self.count += 1

    def close(self) -> None:
        if self._fh.closed:
            return
        self._fh.close()
        _fsync_path(self._target)
        if self._target != self.path:
            self._target.replace(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_json_document(
    records: Iterable[TitleRecord | dict[str, Any]], path: str | Path, *, run: dict[str, Any] | None = None
) -> int:
    """All records as one JSON document, written atomically (``.gz``: gzip). Returns the count.

    The document is an array of records; with ``run`` (a run manifest) it is an object
    ``{"run": {...}, "records": [...]}``, one self-describing file per run.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with _open_write(tmp, path.suffix == ".gz") as fh:
        if run is not None:
            fh.write(b'{"run": ' + orjson.dumps(run, default=str, option=_RECORD_OPTIONS) + b', "records": ')
        fh.write(b"[")
        for record in records:
            fh.write((b",\n" if count else b"\n") + dumps_record(record))
            count += 1
        fh.write(b"\n]" + (b"}" if run is not None else b"") + b"\n")
    _fsync_path(tmp)
    tmp.replace(path)
    return count


def read_json_lines(path: str | Path) -> list[dict[str, Any]]:
    """Every record of a ``.jsonl`` / ``.jsonl.gz`` file, as dicts."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return [orjson.loads(line) for line in fh if line.strip()]


def read_json_document(path: str | Path) -> Any:
    """A document written by ``write_json_document`` (gzip when it ends in ``.gz``)."""
    path = Path(path)
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return orjson.loads(data)
