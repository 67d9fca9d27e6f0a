"""``titlecrawl extract PAGES -o OUT``: a dataset folder, one .parquet file, JSON Lines, JSON."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from exports.json import read_json_document, read_json_lines
from titlecrawl.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "samples" / "title").glob("*/page.html"))

pytestmark = pytest.mark.skipif(len(PAGES) < 2, reason="needs the samples of samples/title")


def extract(*args: str) -> int:
    return main(["extract", *(str(p) for p in PAGES), *args])


def test_extract_to_a_dataset_folder_then_again_adds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    assert extract("-o", str(out)) == 0
    titles = pd.read_parquet(out / "titles")
    assert len(titles) == len(PAGES)
    assert titles["record_id"].is_unique
    assert titles["run_id"].nunique() == 1
    jsonl = tmp_path / "records.jsonl"
    assert extract("-o", str(jsonl)) == 0
    records = read_json_lines(jsonl)
    assert sorted(titles["record_id"]) == sorted(r["record_id"] for r in records)
    credits = sum(len(r["credits"]) for r in records)
    assert duckdb.execute(
        "select count(*) from read_parquet(?)", [f"{out}/credits/**/*.parquet"]
    ).fetchall() == [(credits,)]
    # the same pages into the same folder: no new rows
    assert extract("-o", str(out)) == 0
    assert len(pd.read_parquet(out / "titles")) == len(PAGES)


def test_extract_to_one_parquet_file_and_to_json(tmp_path: Path) -> None:
    assert extract("-o", str(tmp_path / "titles.parquet")) == 0
    table = pq.read_table(tmp_path / "titles.parquet")
    assert table.num_rows == len(PAGES)
    assert extract("-o", str(tmp_path / "records.json")) == 0
    document = read_json_document(tmp_path / "records.json")
    assert table.column("record_id").to_pylist() == [r["record_id"] for r in document]
    assert table.column("first_release_date_iso").to_pylist() == [r["first_release_date"] for r in document]
    assert extract("-o", str(tmp_path / "records.jsonl.gz")) == 0
    assert read_json_lines(tmp_path / "records.jsonl.gz") == document
