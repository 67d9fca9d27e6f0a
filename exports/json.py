"""JSON Lines (optionally gzip) and single JSON documents of records."""

from __future__ import annotations

import gzip
import logging
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Iterable

    from extractors.records import TitleRecord

logger = logging.getLogger(__name__)


def dumps_record(record: TitleRecord | dict[str, Any]) -> bytes:
    """One record as compact JSON bytes (no newline); keys in field order, non-ASCII kept."""
    data = record if isinstance(record, dict) else record.to_dict()
    return orjson.dumps(data)


class JsonLinesWriter:
    """Append records to a ``.jsonl`` file (``.jsonl.gz`` is gzip); usable as a context manager.

    Written to ``PATH.tmp`` and renamed on ``close()``, so a reader never sees half a file.
    """

    def __init__(self, path: str | Path, *, atomic: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._target = self.path.with_name(self.path.name + ".tmp") if atomic else self.path
        self._fh: IO[bytes] = (
            gzip.open(self._target, "wb") if self.path.suffix == ".gz" else open(self._target, "wb")  # noqa: SIM115
        )
        self.count = 0

    def write(self, record: TitleRecord | dict[str, Any]) -> None:
        self._fh.write(dumps_record(record) + b"\n")
        self.count += 1

    def close(self) -> None:
        if self._fh.closed:
            return
        self._fh.flush()
        if hasattr(self._fh, "fileno"):
            try:
                os.fsync(self._fh.fileno())
            except (OSError, ValueError):
                pass
        self._fh.close()
        if self._target != self.path:
            os.replace(self._target, self.path)

    def __enter__(self) -> JsonLinesWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_json_document(records: Iterable[TitleRecord | dict[str, Any]], path: str | Path) -> int:
    """All records as one JSON array, written atomically. Returns the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with open(tmp, "wb") as fh:
        fh.write(b"[")
        for record in records:
            fh.write((b",\n" if count else b"\n") + dumps_record(record))
            count += 1
        fh.write(b"\n]\n")
    os.replace(tmp, path)
    return count


def read_json_lines(path: str | Path) -> list[dict[str, Any]]:
    """Every record of a ``.jsonl`` / ``.jsonl.gz`` file, as dicts."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return [orjson.loads(line) for line in fh if line.strip()]
