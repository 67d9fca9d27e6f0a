"""The record contract, the builder's error handling and the registry's choices."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from extractors.builder import RecordBuilder
from extractors.merge import merge_records
from extractors.page import load_page
from extractors.records import (
    FIELD_NAMES,
    Credit,
    Money,
    Release,
    TitleRecord,
    record_from_dict,
)


def _builder() -> RecordBuilder:
    return RecordBuilder(site="demo", url="https://demo.example/t/1", extractor="demo", extractor_version="demo/1")


def test_to_dict_round_trips_through_json() -> None:
    record = TitleRecord(
        record_id="demo:1",
        site="demo",
        fetched_at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        title="Memories",
        credits=(Credit(person="Katsuhiro Otomo", role="Director", roles=("director",)),),
        releases=(Release(name="メモリーズ", date="1995-12-23", precision="day", raw="Dec. 23, 1995"),),
        budget=Money(raw="$1 million", amount=1_000_000.0, currency="USD"),
        aliases=("Magnetic Rose",),
    )
    data = json.loads(json.dumps(record.to_dict(), ensure_ascii=False))
    assert data["fetched_at"] == "2026-11-01T12:00:00Z"
    assert data["credits"][0]["roles"] == ["director"]
    assert list(data) == list(FIELD_NAMES)
    assert record_from_dict(data) == record


def test_field_errors_are_recorded_and_other_fields_survive() -> None:
    b = _builder()
    b.set("title", "  Memories \n")
    with b.field("credits"):
        raise KeyError("td")
    b.add("aliases", "Magnetic Rose", "Magnetic Rose", "", "Cannon Fodder")
    record = b.build(page_id="1", content_sha256="ab" * 32)
    assert record.title == "Memories"
    assert record.aliases == ("Magnetic Rose", "Cannon Fodder")
    assert record.status == "partial"
    assert [(e.field, e.kind) for e in record.errors] == [("credits", "exception")]
    assert record.record_id == "demo:1"


def test_missing_required_field_makes_the_record_partial() -> None:
    record = _builder().build(page_id="1", content_sha256=None, required=("title", "credits"))
    assert record.status == "partial"
    assert {(e.field, e.kind) for e in record.errors} == {("title", "missing"), ("credits", "missing")}


def test_not_title_pages_are_not_flagged_for_missing_fields() -> None:
    b = _builder()
    b.not_title("person page")
    record = b.build(page_id="p", content_sha256=None)
    assert record.status == "not_title"
    assert record.errors == ()


def test_first_release_date_is_the_earliest_release() -> None:
    b = _builder()
    b.set("title", "Memories")
    b.add("releases", Release(name="Memories", date="2004-02-24", precision="day"))
    b.add("releases", Release(name="メモリーズ", date="1995-12-23", precision="day"))
    record = b.build(page_id="1", content_sha256=None)
    assert (record.first_release_date, record.first_release_precision) == ("1995-12-23", "day")


def test_merge_refuses_different_titles() -> None:
    a = TitleRecord(record_id="x:1", site="x")
    b = TitleRecord(record_id="x:2", site="x")
    with pytest.raises(ValueError, match="different titles"):
        merge_records([a, b])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty input"),
        (b"   \n ", "empty input"),
        (bytes(range(256)) * 40, "binary"),
    ],
    ids=["empty", "blank", "binary"],
)
def test_unreadable_inputs_become_input_errors(data: bytes, message: str) -> None:
    page = load_page(data, "https://demo.example/x")
    assert page.root is None
    assert any(message in e.message for e in page.errors)


def test_html_is_parsed_once_and_text_is_kept_as_text() -> None:
    html = load_page(b"<html><body><h1>T</h1></body></html>", None)
    text = load_page("General Information\nName: Memories\n", None)
    assert html.is_html
    assert not text.is_html
    assert text.text.startswith("General Information")


def test_add_skips_duplicates_also_after_direct_changes_to_a_list() -> None:
    """``add`` checks duplicates with a set; extractors that append or replace items directly
    must not make it miss a duplicate nor drop a new item."""
    b = _builder()
    first, second, third = (Credit(person=p, role="Director") for p in ("A", "B", "C"))
    b.add("credits", first, second, first)
    b.lists["credits"].append(third)  # a direct append: taken into the set on the next add
    b.add("credits", third, second)
    assert b.get("credits") == (first, second, third)
    b.lists["credits"][0] = Credit(person="A2")  # a replacement: the set is rebuilt
    b.add("credits", first, Credit(person="A2"))
    assert b.get("credits") == (Credit(person="A2"), second, third, first)
    b.lists["credits"].pop()
    b.add("credits", first)
    assert b.get("credits") == (Credit(person="A2"), second, third, first)


def test_a_field_guard_lets_keyboard_interrupt_through() -> None:
    b = _builder()
    with pytest.raises(KeyboardInterrupt), b.field("title"):
        raise KeyboardInterrupt
    assert b.errors == []


@pytest.mark.parametrize(
    ("data", "content_type", "title"),
    [
        ("<html><body><h1>Sen to Chihiro — 千と千尋</h1></body></html>".encode(), None, "Sen to Chihiro — 千と千尋"),
        (b"\xef\xbb\xbf<html><body><h1>caf\xc3\xa9</h1></body></html>", None, "café"),
        (b'<?xml version="1.0" encoding="utf-8"?><html><body><h1>caf\xc3\xa9</h1></body></html>', None, "café"),
        ("<html><head><meta charset='shift_jis'></head><body><h1>千と千尋</h1></body></html>".encode("shift_jis"),
         None, "千と千尋"),
        ("<html><head><meta charset='iso-8859-1'></head><body><h1>千と千尋</h1></body></html>".encode(),
         "text/html; charset=utf-8", "千と千尋"),
        ("<html><body><h1>caf\xe9</h1></body></html>".encode("cp1252"), "text/html; charset=windows-1252", "café"),
    ],
    ids=["utf8-undeclared", "utf8-bom", "xml-declaration", "meta-shift-jis", "http-charset-wins", "cp1252"],
)
def test_pages_are_decoded_by_bom_http_charset_meta_then_detection(
    data: bytes, content_type: str | None, title: str
) -> None:
    page = load_page(data, None, content_type=content_type)
    assert page.root is not None
    assert page.root.findtext(".//h1") == title
    assert title in page.text
    assert page.errors == []
