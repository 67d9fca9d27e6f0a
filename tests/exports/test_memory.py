"""Records stream to disk in row groups: what the writer holds does not grow with the number of records."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from exports.dataset import DatasetWriter

from .factories import memories

SYNOPSIS = "An anthology film in three parts, about salvage, a stink bomb and a cannon city. " * 25


def _write(out: Path, batches: int, batch_size: int = 40) -> tuple[int, int]:
    """Write ``batches`` full batches; returns the most Arrow memory held between writes and the
    Python allocation peak (tracemalloc) while writing."""
    most_arrow = 0
    tracemalloc.start()
    try:
        with DatasetWriter(out, run_id="r", crawl_date=date(2026, 11, 1), batch_size=batch_size) as writer:
            for i in range(batches * batch_size):
                writer.write(memories(record_id=f"animevice:4000-{i}", content_sha256=f"{i:064x}", synopsis=SYNOPSIS))
                most_arrow = max(most_arrow, pa.total_allocated_bytes())
        _now, python_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(pd.read_parquet(out / "titles", columns=["record_id"])) == batches * batch_size
    return most_arrow, python_peak


def test_memory_stays_flat_however_many_records(tmp_path: Path) -> None:
    _write(tmp_path / "warm-up", 1)  # one-time allocations (schemas, caches) out of the way
    small_arrow, small_python = _write(tmp_path / "small", 3)
    big_arrow, big_python = _write(tmp_path / "big", 15)
    # five times the records, the same memory (a little slack for allocator rounding)
    assert big_arrow <= small_arrow * 1.2 + 256 * 1024, (small_arrow, big_arrow)
    assert big_python <= small_python * 1.2 + 256 * 1024, (small_python, big_python)
    # and the rows went out in row groups of the batch size as they came
    assert pq.ParquetFile(next((tmp_path / "big" / "titles").rglob("*.parquet"))).metadata.num_row_groups == 15


def test_a_codec_can_be_chosen_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    with DatasetWriter(tmp_path / "out", run_id="r", crawl_date=date(2026, 11, 1), compression="snappy") as writer:
        writer.write(memories())
    meta = pq.ParquetFile(next((tmp_path / "out" / "credits").rglob("*.parquet"))).metadata
    assert meta.row_group(0).column(0).compression == "SNAPPY"
    with DatasetWriter(tmp_path / "default", run_id="r", crawl_date=date(2026, 11, 1)) as writer:
        writer.write(memories())
    meta = pq.ParquetFile(next((tmp_path / "default" / "titles").rglob("*.parquet"))).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    with pytest.raises(ValueError, match="compression"):
        DatasetWriter(tmp_path / "bad", run_id="r", compression="zip")
