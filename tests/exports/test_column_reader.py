"""The one-pass column reader of ``TitleBatch`` against the lenient column-by-column path."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from benchmarks.export_bench import records as synthetic_records
from exports import parquet
from exports.parquet import TitleBatch
from exports.schemas import ITEM_FIELDS, TITLES
from extractors.records import FIELD_NAMES, Credit, TitleRecord, record_from_dict

from .factories import all_records, kaze_tv, memories

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "title"


def _records() -> list[TitleRecord]:
    """Factory records, every sample page's expected record and benchmark-shaped ones, mixed so that
    chunks hold records with and without each nested kind."""
    samples = [record_from_dict(json.loads(p.read_text())) for p in sorted(SAMPLES.glob("*/expected.json"))]
    assert samples, "no sample records"
    synthetic = list(synthetic_records(40))
    return [*all_records(), *synthetic[:20], *samples, *synthetic[20:], *all_records()]


def _tables(records: list[TitleRecord]) -> dict[str, pa.Table]:
    batch = TitleBatch("run-1", flat=True)
    for record in records:
        batch.add(record)
    return {name: table.combine_chunks() for name, table in batch.tables()}


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_the_one_pass_reader_and_the_lenient_path_make_the_same_tables(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _records()
    monkeypatch.setattr(parquet, "CHUNK_RECORDS", chunk)
    fast = _tables(records)
    monkeypatch.setattr(parquet._ColumnReader, "columns", lambda self: None)
    lenient = _tables(records)
    assert fast.keys() == lenient.keys()
    for name, table in fast.items():
        assert table.schema.equals(lenient[name].schema, check_metadata=True), name
        assert table.equals(lenient[name]), name
    assert fast["titles"].num_rows == len(records)
    assert fast["credits"].num_rows == sum(len(r.credits) for r in records) > 400
    # the values are the records' own (not just the same in both paths)
    first = fast["titles"].slice(0, 1).to_pylist()[0]
    assert first["record_id"] == records[0].record_id
    assert [c["person"] for c in first["credits"]] == [c.person for c in records[0].credits]
    assert first["synopsis"] == records[0].synopsis


def test_the_reader_reads_every_field_of_the_record() -> None:
    read = set(parquet._RECORD_ATTRS) | set(parquet._ITEM_ATTRS)
    assert read == set(FIELD_NAMES)
    for kind, attrs in parquet._ITEM_ATTRS.items():
        wanted = {("date" if f.name == "date_iso" else f.name) for f in ITEM_FIELDS[kind] if f.name != "date"}
        assert set(attrs) == wanted, kind


def test_only_the_chunk_holding_an_odd_record_is_read_leniently(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(parquet, "CHUNK_RECORDS", 2)
    lenient_reads: list[str] = []
    nested_column = parquet._nested_column

    def spy(records: list[Any], kind: str) -> pa.ListArray:
        lenient_reads.append(kind)
        return nested_column(records, kind)

    monkeypatch.setattr(parquet, "_nested_column", spy)
    odd = memories(record_id="odd:1", credits=(Credit(person="A"), "not a credit"))
    good = [kaze_tv(record_id=f"good:{i}") for i in range(4)]
    batch = TitleBatch()
    with caplog.at_level(logging.WARNING):
        for record in (good[0], good[1], odd, good[2], good[3]):
            batch.add(record)  # type: ignore[arg-type]
        titles = batch.titles_table()
    assert lenient_reads == list(ITEM_FIELDS), "one chunk of three read leniently"
    assert "credits" in caplog.text
    rows = {row["record_id"]: row for row in titles.to_pylist()}
    assert [c["person"] for c in rows["odd:1"]["credits"]] == ["A", None]
    assert rows["good:2"]["credits"] == rows["good:0"]["credits"]
    assert rows["good:3"]["title"] == kaze_tv().title
    assert titles.schema.names == TITLES.names


def test_a_duck_typed_record_is_read_like_the_record_it_copies() -> None:
    record = memories()

    @dataclasses.dataclass(frozen=True)
    class Copy:
        """Another class with every field of a title record."""

        values: dict[str, Any]

        def __getattr__(self, name: str) -> Any:
            try:
                return self.values[name]
            except KeyError:
                raise AttributeError(name) from None

    copy = Copy({name: getattr(record, name) for name in FIELD_NAMES})
    assert _tables([copy])["titles"].equals(_tables([record])["titles"])  # type: ignore[list-item]


def test_the_tables_do_not_depend_on_the_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 1,000 (the first version's), 2,000 or 3,000 records give the same rows in the same
    order, ``genres`` included (its rows go kind by kind within blocks of ``GENRES_BLOCK`` records)."""
    records = [*synthetic_records(2_600), *all_records()]
    tables = []
    for chunk in (parquet.GENRES_BLOCK, 2 * parquet.GENRES_BLOCK, 3 * parquet.GENRES_BLOCK):
        monkeypatch.setattr(parquet, "CHUNK_RECORDS", chunk)
        tables.append(_tables(records))
    for name, table in tables[0].items():
        assert table.equals(tables[1][name]), name
        assert table.equals(tables[2][name]), name
    kinds = tables[0]["genres"].column("kind").to_pylist()
    first_block = kinds[: kinds.index("genre", kinds.index("theme"))]
    assert first_block.count("genre") == 2 * parquet.GENRES_BLOCK, "a block's genres come first"
