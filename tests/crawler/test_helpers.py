"""The crawler tests' own helpers."""

from __future__ import annotations

from pathlib import Path

from .conftest import jsonl


def test_jsonl_leaves_out_a_half_written_last_line(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    assert jsonl(path) == []
    path.write_bytes(b'{"a": 1}\n\n{"b": "\xc3\xa9"}\n{"c": "\xc3')  # cut inside a UTF-8 character
    assert jsonl(path) == [{"a": 1}, {"b": "é"}]
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n')
    assert jsonl(path) == [{"a": 1}, {"b": 2}]
    path.write_bytes(b'{"a": 1')
    assert jsonl(path) == []
