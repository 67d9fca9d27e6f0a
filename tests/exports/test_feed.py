"""The Scrapy feed exporter: in process on a file, and ``scrapy crawl wiki -O out.parquet`` for real."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from exports.feed import ParquetItemExporter
from exports.json import read_json_lines
from exports.schemas import TITLES

from .factories import all_records, kaze_tv, memories

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "samples" / "site"


def test_exporter_writes_records_and_record_dicts_in_row_groups(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "out.parquet"
    with path.open("wb") as fh, caplog.at_level(logging.WARNING):
        exporter = ParquetItemExporter(fh, batch_size=2, fields_to_export=None, encoding="utf-8", indent=None)
        exporter.start_exporting()
        for record in all_records():
            exporter.export_item(record)
        exporter.export_item(
            kaze_tv(record_id="myanimelist:anime/9002").to_dict()
        )  # the crawler's dict items
        exporter.export_item({"url": "https://example.com/not-a-record"})
        exporter.finish_exporting()
        assert not fh.closed, "Scrapy's feed storage closes the file, not the exporter"
    assert (exporter.count, exporter.skipped) == (6, 1)
    assert "not a title record" in caplog.text

    parquet = pq.ParquetFile(path)
    assert [parquet.metadata.row_group(i).num_rows for i in range(parquet.metadata.num_row_groups)] == [
        2,
        2,
        2,
    ]
    assert parquet.schema_arrow.equals(TITLES, check_metadata=False)
    assert parquet.schema_arrow.metadata[b"titlecrawl.table"] == b"titles"
    rows = parquet.read().to_pylist()
    assert [r["record_id"] for r in rows] == [*(r.record_id for r in all_records()), "myanimelist:anime/9002"]
    assert rows[-1]["characters"] == rows[1]["characters"]
    assert rows[-1]["fetched_at"] == kaze_tv().fetched_at


def test_exporter_codec_is_zstd_unless_chosen(tmp_path: Path) -> None:
    for codec, expected in ((None, "ZSTD"), ("snappy", "SNAPPY")):
        path = tmp_path / f"{codec}.parquet"
        with path.open("wb") as fh:
            exporter = (
                ParquetItemExporter(fh) if codec is None else ParquetItemExporter(fh, compression=codec)
            )
            exporter.start_exporting()
            exporter.export_item(memories())
            exporter.finish_exporting()
        assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == expected
    with pytest.raises(ValueError, match="compression"):
        ParquetItemExporter(io.BytesIO(), compression="zip")


def test_exporter_refuses_to_append_to_an_existing_file() -> None:
    buffer = io.BytesIO(b"PAR1 an earlier feed")
    buffer.seek(0, io.SEEK_END)
    exporter = ParquetItemExporter(buffer)
    with pytest.raises(ValueError, match="cannot be appended"):
        exporter.start_exporting()


def test_exporter_with_no_items_writes_an_empty_table(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    with path.open("wb") as fh:
        exporter = ParquetItemExporter(fh)
        exporter.start_exporting()
        exporter.finish_exporting()
    assert pq.read_table(path).num_rows == 0


@pytest.mark.slow
def test_scrapy_crawl_wiki_writes_parquet_feeds_with_batches(tmp_path: Path) -> None:
    if not (ROOT / "crawler" / "spiders").is_dir() or not SITE.is_dir():
        pytest.skip("the crawler or the sample wiki is not there yet")
    from crawler.localserver import LocalWikiServer

    feeds = {
        str(tmp_path / "records.jsonl"): {"format": "jsonlines", "overwrite": True},
        str(tmp_path / "batch-%(batch_id)d.parquet"): {
            "format": "parquet",
            "overwrite": True,
            "batch_item_count": 3,
        },
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TITLECRAWL_", "SCRAPY_"))}
    env["PYTHONPATH"] = str(ROOT)
    with LocalWikiServer(SITE).start() as server:
        cmd = [
            sys.executable, "-m", "scrapy", "crawl", "wiki", "-a", f"start={server.url}",
            "-O", str(tmp_path / "all.parquet"), "-s", f"FEEDS={json.dumps(feeds)}",
            "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0", "-s", "LOGSTATS_INTERVAL=0",
        ]  # fmt: skip
        proc = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    assert proc.returncode == 0, proc.stderr[-4000:]

    expected = read_json_lines(tmp_path / "records.jsonl")
    assert len(expected) >= 5
    whole = pq.read_table(tmp_path / "all.parquet").to_pylist()
    assert sorted(r["record_id"] for r in whole) == sorted(r["record_id"] for r in expected)
    batches = sorted(tmp_path.glob("batch-*.parquet"))
    assert len(batches) == -(-len(expected) // 3)
    sizes = [pq.ParquetFile(p).metadata.num_rows for p in batches]
    assert all(n <= 3 for n in sizes)
    assert sum(sizes) == len(expected)

    by_id = {r["record_id"]: r for r in whole}
    memories_row = by_id[memories().record_id]  # the sample wiki's Memories page, typed in Parquet
    assert memories_row["first_release_date_iso"] == "1995-12-23"
    assert memories_row["first_release_date"].isoformat() == "1995-12-23"
    assert "Tensai Okamura" in [c["person"] for c in memories_row["credits"]]
