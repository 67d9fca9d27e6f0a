"""normalize.dates: dates with their precision, ranges, seasons and notes, bad input included."""

from __future__ import annotations

import warnings

import pytest

from normalize.dates import PartialDate, parse_date, parse_date_range, parse_season, split_date_note

DAY, MONTH, YEAR = "day", "month", "year"

DATES = [
    # The seed and the saved pages.
    ("Feb. 24, 2004", "2004-02-24", DAY),
    ("Dec. 23, 1995", "1995-12-23", DAY),
    ("1995", "1995", YEAR),
    ("17.09.2016", "2016-09-17", DAY),
    ("11 March 1984 (Japan)", "1984-03-11", DAY),
    ("2017-03-18", "2017-03-18", DAY),
    ("May 1, 1971", "1971-05-01", DAY),
    ("May 1, 1971[2]", "1971-05-01", DAY),
    ("February 2, 2021", "2021-02-02", DAY),
    ("2002-08-21 11:27", "2002-08-21", DAY),
    ("Sep 1, 2001", "2001-09-01", DAY),
    ("Oct 20, 1999", "1999-10-20", DAY),
    ("2017-03-18 (Japan; Tomodachi)", "2017-03-18", DAY),
    # English variants.
    ("February 24 2004", "2004-02-24", DAY),
    ("Sept. 1, 2001", "2001-09-01", DAY),
    ("September 1st, 2001", "2001-09-01", DAY),
    ("1st September 2001", "2001-09-01", DAY),
    ("24 Feb 2004", "2004-02-24", DAY),
    ("24-Feb-2004", "2004-02-24", DAY),
    ("Saturday, December 23, 1995", "1995-12-23", DAY),
    ("  Dec.\n 23,\u00a01995 ", "1995-12-23", DAY),
    ("Apr 2004", "2004-04", MONTH),
    ("April 2004", "2004-04", MONTH),
    ("Oct, 2004", "2004-10", MONTH),
    ("2004-04", "2004-04", MONTH),
    ("04/2004", "2004-04", MONTH),
    # Times of day, as page footers and history rows show them.
    ("2 April 2024, at 13:18", "2024-04-02", DAY),
    ("7 April 2014 at 02:11.", "2014-04-07", DAY),
    ("11:27, 21 August 2002", "2002-08-21", DAY),
    ("2023-04-28T10:31:10", "2023-04-28", DAY),
    ("2023-04-28T10:31:10Z", "2023-04-28", DAY),
    ("Feb 24, 2004 10:00 PM", "2004-02-24", DAY),
    # Numeric forms.
    ("2004/02/24", "2004-02-24", DAY),
    ("2004.02.24", "2004-02-24", DAY),
    ("5.3.2017", "2017-03-05", DAY),
    ("24/02/2004", "2004-02-24", DAY),
    ("02/24/2004", "2004-02-24", DAY),
    # Other languages: fast paths and the dateparser fallback.
    ("1995年12月23日", "1995-12-23", DAY),
    ("2004年2月24日（火）", "2004-02-24", DAY),
    ("1995年12月", "1995-12", MONTH),
    ("1995年", "1995", YEAR),
    ("２００４年２月２４日", "2004-02-24", DAY),
    ("2004년 2월 24일", "2004-02-24", DAY),
    ("26. September 2017", "2017-09-26", DAY),
    ("26. März 2017", "2017-03-26", DAY),
    ("3. Okt. 2005", "2005-10-03", DAY),
    ("Dezember 1995", "1995-12", MONTH),
    ("3 mars 2004", "2004-03-03", DAY),
    ("mars 2004", "2004-03", MONTH),
    ("24 de febrero de 2004", "2004-02-24", DAY),
    ("24 февраля 2004", "2004-02-24", DAY),
    ("24 февраля 2004 г.", "2004-02-24", DAY),
    ("1er janvier 2004", "2004-01-01", DAY),
    ("1º de enero de 2004", "2004-01-01", DAY),
    ("le 3 janvier 2001", "2001-01-03", DAY),
    ("24 febbraio 2004", "2004-02-24", DAY),
    ("24 lutego 2004", "2004-02-24", DAY),
    ("24. helmikuuta 2004", "2004-02-24", DAY),
    ("2004. február 24.", "2004-02-24", DAY),
    ("fevereiro de 2004", "2004-02", MONTH),
    ("the 3rd of March, 2004", "2004-03-03", DAY),
    # Vague parts of a year keep the year only.
    ("Spring 2004", "2004", YEAR),
    ("Fall 1999", "1999", YEAR),
    ("Early 2005", "2005", YEAR),
    ("late 2005", "2005", YEAR),
    ("Holiday 2004", "2004", YEAR),
    # A label before the date, link-split text.
    ("Release Date: Feb. 24, 2004", "2004-02-24", DAY),
    ("February 2 , 2021", "2021-02-02", DAY),
    ("12 Aug 2011", "2011-08-12", DAY),
]


@pytest.mark.parametrize(("raw", "iso", "precision"), DATES, ids=[d[0] for d in DATES])
def test_parse_date(raw: str, iso: str, precision: str) -> None:
    assert parse_date(raw) == PartialDate(iso, precision)  # type: ignore[arg-type]


QUARTERS = [
    ("Q3 2027", 3),
    ("q1 2026", 1),
    ("Q4, 2027", 4),
    ("2027 Q2", 2),
    ("2027-Q3", 3),
    ("3Q 2027", 3),
    ("third quarter 2027", 3),
    ("2nd Quarter of 2027", 2),
]


@pytest.mark.parametrize(("raw", "quarter"), QUARTERS, ids=[q[0] for q in QUARTERS])
def test_quarter_keeps_year_and_quarter(raw: str, quarter: int) -> None:
    got = parse_date(raw)
    assert got == PartialDate("2027" if "2027" in raw else "2026", "quarter", quarter=quarter)
    assert got is not None
    assert got.iso == got.iso[:4]  # the record contract: YYYY for a quarter


NOT_DATES = [
    None,
    "",
    "   ",
    "?",
    "??",
    "-",
    "—",
    "TBA",
    "tbd",
    "To be announced",
    "Not available",
    "Not yet aired",
    "Unknown",
    "N/A",
    "???",
    "yesterday",
    "today",
    "2 days ago",
    "next week",
    "in 3 months",
    "March 24",  # no year: never filled in from the clock
    "24.03.",
    "c. 1995",
    "circa 1995",
    "approx. 2004",
    "1990s",
    "the 1990s",
    "03/04/2005",  # month and day cannot be told apart
    "Feb 30, 2004",
    "31.02.2004",
    "2004-13-01",
    "2004-00",
    "0000",
    "0999",
    "9999",
    "99999999",
    "12345678901234567890",
    "Episode 1995",
    "Memories",
    "\x00\xff\xfe garbage \ufffd",
    "<b>2004</b>",
    "Q5 2027",
    "Winter",
    "Sep 1, 2001 to Apr 24, 2002",  # a range is not one date: parse_date_range
    "Note: TBA",
    # Word soup dateparser alone would turn into a date.
    "8.2/10 年",
    "12 年",
    "12 on 2004",
    "to 2004",
    "on 24, 2004",
    "2004 PT2H 24,",
    "hr. PT2H Feb. 2004",
    "12 月 2004 年",
    "$ 2004",
    "24 tháng 2 năm 2004",  # two small numbers: which is the day is not ours to guess
    "2004?",
    "a" * 10_000,
    "(a)" * 5_000,  # notes are peeled a few at a time, not one per character
    "1" * 20_000,
]


@pytest.mark.parametrize("raw", NOT_DATES, ids=[repr(r)[:30] for r in NOT_DATES])
def test_unparseable_is_none(raw: str | None) -> None:
    assert parse_date(raw) is None


def test_day_first_settles_ambiguous_numeric_dates() -> None:
    assert parse_date("03/04/2005", day_first=True) == PartialDate("2005-04-03", "day")
    assert parse_date("03/04/2005", day_first=False) == PartialDate("2005-03-04", "day")
    # An unambiguous date is not swapped by a wrong hint: 24 cannot be a month.
    assert parse_date("24/02/2004", day_first=False) is None


def test_languages_narrow_the_fallback() -> None:
    assert parse_date("24 février 2004", languages=["fr"]) == PartialDate("2004-02-24", "day")
    assert parse_date("24 février 2004", languages=("de",)) is None
    # Region tags are reduced to the language; unknown codes fall back to the default list.
    assert parse_date("24 février 2004", languages=["fr_FR"]) == PartialDate("2004-02-24", "day")
    assert parse_date("24 février 2004", languages=["xx"]) == PartialDate("2004-02-24", "day")
    # The compiled fast paths do not depend on the languages.
    assert parse_date("Feb. 24, 2004", languages=["ja"]) == PartialDate("2004-02-24", "day")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"languages": "en"}, TypeError),
        ({"languages": [1]}, TypeError),
        ({"day_first": "yes"}, TypeError),
    ],
    ids=["languages-str", "languages-int", "day_first-str"],
)
def test_bad_arguments_raise(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_date("Feb. 24, 2004", **kwargs)  # type: ignore[arg-type]


def test_non_text_raw_raises() -> None:
    with pytest.raises(TypeError):
        parse_date(2004)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("iso", "precision", "quarter"),
    [("2004-02", "day", None), ("2004", "month", None), ("2004", "quarter", None), ("2004", "year", 2),
     ("2004", "quarter", 5), ("04", "year", None), ("2004", "week", None)],
    ids=["day-short", "month-short", "quarter-missing", "quarter-on-year", "quarter-5", "two-digit", "week"],
)  # fmt: skip
def test_partial_date_rejects_inconsistent_values(iso: str, precision: str, quarter: int | None) -> None:
    with pytest.raises(ValueError, match=r"."):
        PartialDate(iso, precision, quarter=quarter)  # type: ignore[arg-type]


def test_partial_date_year() -> None:
    assert PartialDate("1995-12-23", "day").year == 1995
    assert PartialDate("2027", "quarter", quarter=3).year == 2027


RANGES = [
    ("Sep 1, 2001 to Apr 24, 2002", "2001-09-01", "2002-04-24"),
    ("Oct 20, 1999 to ?", "1999-10-20", None),
    ("2017-03-18 to ?", "2017-03-18", None),
    ("Jan 2004 - Mar 2005", "2004-01", "2005-03"),
    ("Sep 21, 1999 to Nov 10, 2014", "1999-09-21", "2014-11-10"),
    ("1995–1996", "1995", "1996"),
    ("1995-96", "1995", "1996"),
    ("2004-12", "2004-12", None),  # an ISO month, not 2004–2012
    ("2004/05", None, None),  # a season "2004/05" or May 2004: ambiguous
    ("2006-2004", None, None),
    ("2004 – present", "2004", None),
    ("April 3 – June 26, 1998", "1998-04-03", "1998-06-26"),
    ("Apr 3 to Jun 26, 1998", "1998-04-03", "1998-06-26"),
    ("1998年4月3日 ～ 1999年4月24日", "1998-04-03", "1999-04-24"),
    ("3. April 1998 bis 24. April 1999", "1998-04-03", "1999-04-24"),
    ("from 2004 to 2006", "2004", "2006"),
    ("since 2004", "2004", None),
    ("Sep 1, 2001", "2001-09-01", None),
    ("2002-08-21 - 2003-01-05", "2002-08-21", "2003-01-05"),
    ("? to Apr 24, 2002", None, "2002-04-24"),
    ("Not available", None, None),
    ("", None, None),
    (None, None, None),
    ("garbage to rubbish", None, None),
    ("2004 to " * 5_000, None, None),
    # Hyphen and dash variants.
    ("28.02.2015 \u2011 05.05.2018", "2015-02-28", "2018-05-05"),  # non-breaking hyphen (aniSearch)
    ("2015\u20112018", "2015", "2018"),
    ("Jan 2004 \u2010 Mar 2005", "2004-01", "2005-03"),  # hyphen
    ("Sep 1, 2001 \u2012 Apr 24, 2002", "2001-09-01", "2002-04-24"),  # figure dash
    ("Jan 2004 \u2212 Mar 2005", "2004-01", "2005-03"),  # minus sign
    ("1995\u2015 1996", "1995", "1996"),  # horizontal bar
    ("2001\uff0d2002", "2001", "2002"),  # full-width hyphen-minus
    ("2004\u201102\u201124", "2004-02-24", None),  # an ISO date with non-breaking hyphens
]


@pytest.mark.parametrize(("raw", "start", "end"), RANGES, ids=[repr(r[0]) for r in RANGES])
def test_parse_date_range(raw: str | None, start: str | None, end: str | None) -> None:
    got_start, got_end = parse_date_range(raw)
    assert (got_start.iso if got_start else None, got_end.iso if got_end else None) == (start, end)


SEASONS = [
    ("Spring 2004", ("spring", 2004)),
    ("Fall 1999", ("fall", 1999)),
    ("Autumn 2010", ("fall", 2010)),
    ("winter 2021", ("winter", 2021)),
    ("Summer", ("summer", None)),
    ("Herbst 2016", ("fall", 2016)),
    ("2004年春", ("spring", 2004)),
    ("2004 Spring", ("spring", 2004)),
    ("Winter 2019/20", ("winter", 2020)),  # a winter across two years is the later year's
    ("Winter 2019-2020", ("winter", 2020)),
    ("winter 2019 \u2013 2020", ("winter", 2020)),
    ("Winter 1999/00", ("winter", 2000)),
    ("Winter 2019/21", None),  # not one winter
    ("Spring 2019/20", None),
    ("Winter 2999/00", None),
    ("2004", None),
    ("Spring 9999", None),
    ("Springfield", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("raw", "expected"), SEASONS, ids=[repr(s[0]) for s in SEASONS])
def test_parse_season(raw: str | None, expected: tuple[str, int | None] | None) -> None:
    assert parse_season(raw) == expected


NOTES = [
    ("11 March 1984 (Japan)", ("11 March 1984", "Japan")),
    ("2017-03-18 (Japan; Tomodachi)", ("2017-03-18", "Japan; Tomodachi")),
    ("May 1, 1971[2] (US) (premiere)", ("May 1, 1971", "US; premiere")),
    ("Feb. 24, 2004 [DVD]", ("Feb. 24, 2004", "DVD")),
    ("1995年12月23日（土）", ("1995年12月23日", "土")),
    ("Feb. 24, 2004", ("Feb. 24, 2004", None)),
    ("(Japan)", ("(Japan)", None)),
    ("", ("", None)),
    (None, ("", None)),
]


@pytest.mark.parametrize(("raw", "expected"), NOTES, ids=[repr(n[0]) for n in NOTES])
def test_split_date_note(raw: str | None, expected: tuple[str, str | None]) -> None:
    assert split_date_note(raw) == expected


def test_fallback_raises_no_deprecation_warning() -> None:
    """pytest runs with filterwarnings=error; the dateparser fallback must stay silent."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_date("24 septembre 2004") == PartialDate("2004-09-24", "day")
        assert parse_date("le 3 janvier 2001") == PartialDate("2001-01-03", "day")


def test_results_do_not_depend_on_the_clock() -> None:
    """Nothing relative: the same text gives the same answer whatever today is."""
    assert [parse_date(x) for x in ("now", "last year", "this month", "il y a 2 jours")] == [None] * 4
