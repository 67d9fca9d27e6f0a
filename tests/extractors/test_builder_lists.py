"""The builder makes a list field's bucket when it is first used; records come out the same."""

from __future__ import annotations

import dataclasses

import pytest

from extractors.builder import _TUPLE_FIELDS, RecordBuilder
from extractors.records import Name, TitleRecord


def _builder() -> RecordBuilder:
    return RecordBuilder(site="s", url="https://h/x", extractor="e", extractor_version="e/1")


def test_unused_list_fields_are_empty_tuples() -> None:
    b = _builder()
    b.set("title", "T")
    record = b.build(page_id="1", content_sha256="ab")
    for f in dataclasses.fields(TitleRecord):
        if f.name in _TUPLE_FIELDS and f.name != "errors":
            assert getattr(record, f.name) == (), f.name
    assert record.status == "ok"


def test_buckets_made_on_use_and_direct_access() -> None:
    b = _builder()
    assert list(b.lists) == []
    assert b.lists["names"] == []
    assert b.get("genres") == ()
    b.lists["names"].append(Name(name="A", type="main"))
    b.add("names", Name(name="A", type="main"), Name(name="B", type="official"))
    b.add("genres", " Drama ", "Drama", "")
    b.lists["tags"] = ["x"]  # replaced by an extractor: add() makes it a bucket again
    b.add("tags", "x", "y")
    b.set("title", "T")
    record = b.build(page_id="1", content_sha256="ab")
    assert [n.name for n in record.names] == ["A", "B"]
    assert record.genres == ("Drama",)
    assert record.tags == ("x", "y")
    with pytest.raises(KeyError):
        b.lists["not_a_field"]
    with pytest.raises(KeyError):
        b.add("not_a_field", "x")


def test_releases_derive_first_release_without_any() -> None:
    b = _builder()
    b.set("title", "T")
    record = b.build(page_id=None, content_sha256="abcdef0123456789ff", required=("title", "names"))
    assert record.first_release_date is None
    assert [e.field for e in record.errors] == ["names"]
    assert record.record_id == "s:abcdef0123456789"
