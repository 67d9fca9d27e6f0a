"""JSON Lines (plain and gzip) and one JSON document per run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest

from exports.json import (
    JsonLinesWriter,
    dumps_record,
    read_json_document,
    read_json_lines,
    write_json_document,
)
from extractors.records import record_from_dict

from .factories import all_records, memories


@pytest.mark.parametrize(
    "fetched_at",
    [
        datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 12, 0, 5, 123456, tzinfo=UTC),
        datetime(2026, 11, 1, 12, 0),
        datetime(2026, 11, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        None,
    ],
    ids=["utc", "microseconds", "naive", "plus-two-hours", "none"],
)
def test_dumps_record_is_the_records_json_form(fetched_at: datetime | None) -> None:
    for record in all_records():
        record = record.replace(fetched_at=fetched_at)
        assert dumps_record(record) == orjson.dumps(record.to_dict())
    line = orjson.loads(dumps_record(memories(fetched_at=fetched_at)))
    if fetched_at is not None:
        assert line["fetched_at"] in ("2026-11-01T12:00:00Z", "2026-11-01T12:00:05Z")


@pytest.mark.parametrize("name", ["records.jsonl", "records.jsonl.gz"])
def test_json_lines_round_trip(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with JsonLinesWriter(path) as writer:
        for record in all_records():
            writer.write(record)
        assert not path.exists(), "the file appears only when complete"
    assert writer.count == 5
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == name.endswith(".gz")
    assert [record_from_dict(d) for d in read_json_lines(path)] == all_records()
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("name", ["run.json", "run.json.gz"])
def test_one_json_document_per_run(tmp_path: Path, name: str) -> None:
    manifest = {"run_id": "night-1", "counts": {"record": 5}, "started_at": datetime(2026, 11, 1, tzinfo=UTC)}
    assert write_json_document(all_records(), tmp_path / name, run=manifest) == 5
    document = read_json_document(tmp_path / name)
    assert document["run"] == {
        "run_id": "night-1",
        "counts": {"record": 5},
        "started_at": "2026-11-01T00:00:00Z",
    }
    assert [record_from_dict(d) for d in document["records"]] == all_records()

    assert write_json_document(all_records()[:2], tmp_path / "plain.json") == 2
    assert [d["record_id"] for d in read_json_document(tmp_path / "plain.json")] == [
        "animevice:4000-1001",
        "myanimelist:anime/9001",
    ]
    assert write_json_document([], tmp_path / "empty.json") == 0
    assert read_json_document(tmp_path / "empty.json") == []
