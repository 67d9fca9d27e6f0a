"""A writer killed with SIGKILL in the middle of a write leaves only whole files that every reader reads."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from exports.dataset import RECORD_TABLES

ROOT = Path(__file__).resolve().parents[2]

# Rotates every 30 rows (so whole files exist), then keeps a file open and streams into it for ever.
WRITER = textwrap.dedent(
    """
    import itertools, sys
    from datetime import date
    sys.path.insert(0, sys.argv[2])
    from exports.dataset import DatasetWriter
    from tests.exports.factories import memories

    writer = DatasetWriter(sys.argv[1], run_id="crash", crawl_date=date(2026, 11, 1), batch_size=10)
    writer.rows_per_file = 30
    for i in itertools.count():
        writer.write(memories(record_id=f"animevice:4000-{i}", content_sha256=f"{i:064x}"))
        if i == 99:
            # titles files 0-2 are complete, file 3 is being written: from now on it only grows
            writer.rows_per_file = 10**9
            print("READY", flush=True)
    """
)


def _wait_for_ready(proc: subprocess.Popen[str], timeout: float) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            if line.strip() == "READY":
                return
            if not line:
                break
    proc.kill()
    pytest.fail(f"the writer did not get going: {proc.stderr.read() if proc.stderr else ''}")


@pytest.mark.slow
def test_sigkill_mid_write_leaves_only_whole_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(out), str(ROOT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as proc:
        try:
            _wait_for_ready(proc, timeout=60)
            time.sleep(0.3)  # let it stream more row groups into the open temporary files
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    partition = out / "titles" / "crawl_date=2026-11-01"
    finals = sorted(p.name for p in partition.glob("*.parquet"))
    assert finals[:3] == ["part-crash-0.parquet", "part-crash-1.parquet", "part-crash-2.parquet"]
    # the killed write left its unfinished file under a hidden name, with row groups in it but no footer
    leftovers = list(partition.glob(".*.tmp"))
    assert leftovers, "the crash should leave a half-written temporary file"
    assert all(p.stat().st_size > 0 for p in leftovers)
    for leftover in leftovers:
        with pytest.raises(pa.ArrowInvalid, match=r"(?i)parquet|footer|magic"):
            pq.ParquetFile(leftover)

    # every final file is whole: 30 rows each, readable on its own
    for path in partition.glob("*.parquet"):
        assert pq.ParquetFile(path).metadata.num_rows == 30

    complete = 30 * len(finals)
    frame = pd.read_parquet(out / "titles")
    assert len(frame) == complete
    assert frame["record_id"].is_unique
    assert ds.dataset(out / "titles", partitioning="hive").count_rows() == complete
    rows = duckdb.execute("select count(*) from read_parquet(?)", [f"{out}/titles/**/*.parquet"]).fetchall()
    assert rows == [(complete,)]
    # the flat tables too: whatever files they have are whole, and all three readers agree
    for table in RECORD_TABLES:
        folder = out / table
        if not any(folder.rglob("*.parquet")):
            continue
        n = ds.dataset(folder, partitioning="hive").count_rows()
        assert len(pd.read_parquet(folder)) == n
        assert duckdb.execute(
            "select count(*) from read_parquet(?)", [f"{folder}/**/*.parquet"]
        ).fetchall() == [(n,)]
