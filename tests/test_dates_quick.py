"""Differential test of the date normalizers' quick path and caches against the general path.

``normalize.dates`` answers the common shapes ("2004-02-24", "11 March 1984", "Feb. 24, 2004",
"17.09.2016", "1998年7月18日" ...) from the raw text with a few compiled patterns, and caches
every answer. Both must give exactly what the general path (cleaning, notes, labels, the compiled
shapes, then dateparser) gives, precision and quarter included. The corpus: every date-like text
of the samples and of the real pages in ``../shared/pages``, plus generated variants (every month
spelling, impossible days, leap years, out-of-range years, near-misses that must fall through).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator

import lxml.html
import pytest

from normalize import dates
from normalize.dates import PartialDate

from .conftest import SAMPLES, SHARED_PAGES

_YEARISH = re.compile(r"(?<!\d)[12]\d{3}(?!\d)|[\uff10-\uff19]{4}")
_MAX_LEN = 100
_STEP = 7
"""The tests that run dateparser (~2 ms a text) take every 7th text of the corpus."""


def _texts_of_html(data: bytes) -> Iterator[str]:
    root = lxml.html.fromstring(data)
    for node in root.iter():
        for text in (node.text, node.tail):
            if text and len(text) <= _MAX_LEN and _YEARISH.search(text):
                yield text
                yield text.strip()


def _texts_of_json(value: object) -> Iterator[str]:
    if isinstance(value, str):
        if len(value) <= _MAX_LEN and _YEARISH.search(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts_of_json(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts_of_json(item)


def _generated() -> Iterator[str]:
    months = ["January", "February", "March", "May", "June", "September", "December",
              "Jan", "Feb", "Mar", "Sep", "Sept", "Dec", "jan", "FEB", "sEpT", "Okt", "Dez", "März",
              "MÄRZ", "Mär", "Jänner", "Jän", "Mai", "Juni", "Oktober", "O\u212aT",
              "Mayo", "Febrero", "février", "Foo", "Spring", "Fall", "Winter", "Q", "Mon", "Sun",
              "Sat", "circa", "about", "Early", "Mitte", "ca", "c", "Ma", "Junee"]  # fmt: skip
    years = ["1984", "2000", "1900", "0999", "3000", "２００４", "12004"]
    days = ["0", "01", "9", "29", "30", "31", "32", "1st", "٣"]
    for month, year in itertools.product(months, years):
        yield f"{month} {year}"
        yield f"{month}. {year}"
        yield f"{month}, {year}"
        for day in days:
            yield f"{day} {month} {year}"
            yield f"{day}. {month} {year}"
            yield f"{day} {month}. {year}"
            yield f"{month} {day}, {year}"
            yield f"{month}. {day}, {year}"
            yield f"{month} {day} {year}"
            yield f"{month} {day},{year}"
    for year, month, day in itertools.product(
        ["2004", "2000", "1900", "0999", "3000", "２００４"],
        ["1", "01", "02", "2", "12", "13", "00"],
        ["1", "01", "28", "29", "30", "31", "32", "00"],
    ):
        yield f"{year}-{month}-{day}"
        yield f"{year}-{month}"
        yield f"{day}.{month}.{year}"
        yield f"{day}/{month}/{year}"
        yield f"{year}/{month}/{day}"
        yield f"{year}年{month}月{day}日"
        yield f"{year}年{month}月"
        yield f"{year} 年 {month} 月 {day} 日"
    for base in ["11 March 1984", "2004-02-24", "Feb. 24, 2004", "17.09.2016", "1998年7月18日", "2004"]:
        yield f" {base}"
        yield f"{base} "
        yield f"{base}."
        yield f"{base} (Japan)"
        yield f"{base}[2]"
        yield f"Released: {base}"
        yield base.replace(" ", "  ")
        yield base.replace(" ", "\u00a0")
        yield f"{base} 11:27"
        yield f"{base} to ?"
        yield f"{base} - 2005"


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    found: set[str] = set(_generated())
    for path in SAMPLES.rglob("*"):
        if path.suffix in (".html", ".htm"):
            found.update(_texts_of_html(path.read_bytes()))
        elif path.suffix == ".json":
            found.update(_texts_of_json(json.loads(path.read_text(encoding="utf-8"))))
    if SHARED_PAGES.is_dir():
        for path in SHARED_PAGES.iterdir():
            if path.suffix in (".html", ".htm"):
                found.update(_texts_of_html(path.read_bytes()))
    return sorted(found)


def test_corpus_is_large(corpus: list[str]) -> None:
    quick = [text for text in corpus if dates._quick(text) is not False]
    assert len(corpus) > 10000
    assert len(quick) > 2000, "the quick path should answer the common shapes"
    for text in ("11 March 1984", "Feb. 24, 2004", "2004-02-24", "17.09.2016", "1998年7月18日", "March 1995"):
        assert dates._quick(text) is not False, text


def _checked(date: PartialDate | None) -> tuple[str, str, int | None] | None:
    """The date's parts, after checking it passes PartialDate's own validation."""
    if date is None:
        return None
    assert PartialDate(date.iso, date.precision, date.quarter) == date
    return date.iso, date.precision, date.quarter


@pytest.mark.parametrize("day_first", [None, True, False])
def test_quick_path_equals_general_path(corpus: list[str], day_first: bool | None) -> None:
    for languages in (None, ("ja",), ("de",)):
        for text in corpus:
            quick = dates._quick(text)
            if quick is False:
                continue
            general = dates._parse_general(text, languages, day_first)
            assert _checked(quick) == _checked(general), (text, languages, day_first)


def test_cached_answers_equal_the_general_path(corpus: list[str]) -> None:
    dates.clear_caches()
    for _ in range(2):  # the second round answers from the caches
        for text in corpus[::_STEP]:
            assert _checked(dates.parse_date(text)) == _checked(dates._parse_general(text, None, None)), text


def test_plain_texts_need_no_cleaning(corpus: list[str]) -> None:
    for text in corpus:
        assert dates._clean(text) == dates._clean_general(text), text


def test_range_season_and_note_caches(corpus: list[str]) -> None:
    texts = corpus[::_STEP]
    dates.clear_caches()
    first = [(dates.parse_date_range(t), dates.parse_season(t), dates.split_date_note(t)) for t in texts]
    second = [(dates.parse_date_range(t), dates.parse_season(t), dates.split_date_note(t)) for t in texts]
    assert first == second
    dates.clear_caches()
    for text, (span, _season, note) in zip(texts, first, strict=True):
        assert dates._parse_date_range.__wrapped__(text) == span, text
        assert dates._split_date_note.__wrapped__(text) == note, text


def test_bad_input_is_still_refused() -> None:
    for call in (dates.parse_date, dates.parse_date_range, dates.parse_season, dates.split_date_note):
        with pytest.raises(TypeError):
            call(2004)  # type: ignore[arg-type]
    assert dates.parse_date(None) is None
    assert dates.parse_date_range(None) == (None, None)
    assert dates.split_date_note(None) == ("", None)
    with pytest.raises(TypeError):
        dates.parse_date("2004", languages="en")
