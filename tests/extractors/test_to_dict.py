"""``TitleRecord.to_dict`` builds its dict directly; it must equal ``asdict`` + ``_jsonable`` exactly."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone
from enum import IntEnum
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from extractors import extract_title
from extractors.records import (
    Character,
    Credit,
    Extra,
    ExtractionError,
    Money,
    Name,
    Release,
    TitleRecord,
    _jsonable,
    record_from_dict,
)
from tests.conftest import SAMPLES, SHARED_PAGES


def reference(record: Any) -> Any:
    """What ``to_dict`` gave before: a deep copy by ``dataclasses.asdict``, then JSON-ready values."""
    return _jsonable(dataclasses.asdict(record))


def same(got: Any, want: Any) -> None:
    assert got == want
    # == treats 1 == 1.0 == True alike: the JSON text tells them apart
    assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)


def _sample_pages() -> list[Path]:
    pages = sorted((SAMPLES / "title").glob("*/page.htm*"))
    if SHARED_PAGES.is_dir():
        pages += sorted(SHARED_PAGES.glob("*.htm*"))
    return pages


@pytest.mark.parametrize(
    "path", _sample_pages(), ids=lambda p: p.name if p.parent.name == "pages" else p.parent.name
)
def test_same_dict_as_asdict_on_every_sample_and_real_page(path: Path) -> None:
    record = extract_title(path.read_bytes(), None, fetched_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    same(record.to_dict(), reference(record))


class _Flag(IntEnum):
    ON = 1


class _Pair(NamedTuple):
    left: Any
    right: Any


class _Text(str):
    pass


def test_every_value_kind() -> None:
    record = TitleRecord(
        record_id="x:1",
        site="x",
        fetched_at=datetime(2026, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=9))),
        title=_Text("Title"),
        episodes=_Flag.ON,
        score=8.5,
        score_count=True,  # type: ignore[arg-type]
        names=(Name(name="A", lang="ja"), Name(name="B")),
        releases=[Release(date="2001", precision="year")],  # type: ignore[arg-type]
        credits=(Credit(person="P", roles=("director", "writer")),),
        characters=(Character(character="C"),),
        budget=Money(raw="$5", amount=5.0, currency="USD"),
        genres=("a", "b"),
        tags=_Pair("x", Extra(label="l", value="v")),  # type: ignore[arg-type]
        aliases=({"k": ("v", Name(name="n"))},),  # type: ignore[arg-type]
        extra=(Extra(label="L", value="V", group=None),),
        errors=(ExtractionError(field="f", kind="unparsed", message="m"),),
    )
    got = record.to_dict()
    same(got, reference(record))
    assert got["fetched_at"] == "2026-05-05T22:08:09Z"
    assert type(got["title"]) is str
    assert got["episodes"] == 1
    naive = TitleRecord(record_id="x:2", site="x", fetched_at=datetime(2026, 1, 1))
    same(naive.to_dict(), reference(naive))


def test_dict_is_a_copy() -> None:
    """Changing the dict never reaches the frozen record."""
    record = TitleRecord(
        record_id="x:1", site="x", genres=("a",), credits=(Credit(person="P", roles=("r",)),)
    )
    data = record.to_dict()
    data["genres"].append("b")
    data["credits"][0]["roles"].append("s")
    assert record.genres == ("a",)
    assert record.credits[0].roles == ("r",)
    assert record_from_dict(record.to_dict()) == record
