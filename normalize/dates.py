"""Dates as shown on wiki pages -> ISO dates with their precision.

``parse_date`` returns a :class:`PartialDate` whose ``iso`` is ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD`` (the record contract) and whose ``precision`` says which parts the page gave:
``"Apr 2004"`` is ``2004-04`` with precision ``month``, never ``2004-04-01``.

Documented choices:

- A quarter ("Q3 2027", "2027-Q3", "3rd quarter 2027") keeps ``iso`` = the year with precision
  ``quarter``; the quarter number is in ``PartialDate.quarter``. Callers keep the raw text too.
- A season or vague part of a year ("Spring 2004", "Early 2005", "Holiday 2004") is the year with
  precision ``year``; ``parse_season`` gives the season itself.
- Dotted numeric dates ("17.09.2016") are day-first (the European convention that writes them).
  Slashed or dashed all-numeric dates with both leading parts <= 12 ("03/04/2005") are ambiguous:
  None unless ``day_first`` is given. ``YYYY/MM/DD`` and ``YYYY.MM.DD`` are year-first.
- A trailing note in brackets is ignored ("11 March 1984 (Japan)"); ``split_date_note`` returns it.
  A time of day ("2002-08-21 11:27") and a weekday are dropped.
- Nothing relative or approximate is parsed: "yesterday", "2 days ago", "c. 1995", "1990s",
  "TBA", "?" give None, so extraction stays a pure function of the page.
- Years outside 1000..2999 give None.
- Hyphen and dash variants (U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash,
  U+2212 minus, U+2015 bar, small and full-width forms) read as "-" or "—": aniSearch writes
  "28.02.2015 ‑ 05.05.2018" with U+2011.
- A winter across two years ("Winter 2019/20", "Winter 2019–2020") is the season of the later
  year (``("winter", 2020)``): it is mostly January and February, and "Winter 2020" is how
  seasonal broadcast charts name it. Other seasons across two years are not seasons: None.

- A label before the date is dropped ("Release Date: Feb. 24, 2004").

A quick path reads the commonest shapes from the raw text ("2004-02-24", "11 March 1984",
"Feb. 24, 2004", "17.09.2016", "1998年7月18日"; ~2 us a call) and gives exactly what the general
path gives (``tests/test_dates_quick.py``); the four public functions cache their answers
(``clear_caches`` empties them). The general path's compiled patterns cover the other English,
ISO, dotted, German and CJK forms (~15 us a call). dateparser (imported lazily; ~0.3 s to load its locales once, ~2 ms a call) is the
fallback for dates written out in other languages ("24 février 2004", "febrero de 2004"). It
only sees texts shaped like a date (words, one 4-digit year, at most one 1-2 digit day) and its
answer must use exactly those numbers with the month from a word; relative parsing is off and
the year is required. ``languages`` narrows it; by default it tries ``DEFAULT_LANGUAGES``.
"""

from __future__ import annotations

import calendar
import functools
import logging
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from normalize.text import clean_text, strip_footnotes

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)

Precision = Literal["year", "quarter", "month", "day"]
PRECISIONS: tuple[Precision, ...] = ("year", "quarter", "month", "day")

CACHE_SIZE = 4096
"""Entries kept by each normalizer's cache (texts repeat across the pages of one site)."""
MAX_NOTES = 4
"""``split_date_note`` peels at most this many trailing notes."""
MIN_YEAR = 1000
MAX_YEAR = 2999


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to ``precision``: ``iso`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    A quarter date has ``iso`` ``YYYY``, precision ``quarter`` and ``quarter`` 1..4.

    >>> PartialDate("2004-02-24", "day").year
    2004
    >>> PartialDate("2027", "quarter", quarter=3)
    PartialDate(iso='2027', precision='quarter', quarter=3)
    """

    iso: str
    precision: Precision
    quarter: int | None = None

    def __post_init__(self) -> None:
        shape = {"year": _ISO_YEAR, "quarter": _ISO_YEAR, "month": _ISO_MONTH, "day": _ISO_DAY}
        if self.precision not in shape:
            raise ValueError(f"unknown precision {self.precision!r}")
        if not isinstance(self.iso, str) or not shape[self.precision].fullmatch(self.iso):
            raise ValueError(f"iso {self.iso!r} does not match precision {self.precision!r}")
        if (self.precision == "quarter") != (self.quarter is not None):
            raise ValueError("quarter is set exactly when precision is 'quarter'")
        if self.quarter is not None and self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1..4, not {self.quarter!r}")

    @property
    def year(self) -> int:
        """The year, known at every precision."""
        return int(self.iso[:4])


_ISO_YEAR = re.compile(r"\d{4}")
_ISO_MONTH = re.compile(r"\d{4}-\d{2}")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# Month names and abbreviations (English and German; dateparser covers the rest). Spelled out
# rather than taken from ``calendar.month_name``, which follows the process locale.
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_ENGLISH_MONTHS, start=1):
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS.update(
    {
        "sept": 9, "januar": 1, "jänner": 1, "jän": 1, "februar": 2, "märz": 3, "maerz": 3, "mär": 3,
        "mai": 5, "juni": 6, "juli": 7, "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
    }
)  # fmt: skip
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_MON = rf"(?P<mon>{_MONTH_RE})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"

_WEEKDAY = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+|^(?:montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag),?\s+",
    re.IGNORECASE,
)
_TIME_SUFFIX = re.compile(
    r"(?:,?\s*(?:at\s+|um\s+|T)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:Z|UTC|GMT|[A-Z]{3,4}|[+-]\d{2}:?\d{2})?(?:\s*\((?:UTC|GMT|[A-Z]{3,4})\))?)$",
    re.IGNORECASE,
)
_TIME_PREFIX = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?,?\s+", re.IGNORECASE)

_FAST: list[re.Pattern[str]] = [
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?P<year>\d{4})[/.](?P<mon>\d{1,2})[/.](?P<day>\d{1,2})\.?"),
    re.compile(r"(?P<day>\d{1,2})\.\s?(?P<mon>\d{1,2})\.\s?(?P<year>\d{4})"),
    re.compile(rf"{_MON}\s*{_DAY}\s*,?\s*{_YEAR}", re.IGNORECASE),
    re.compile(rf"{_DAY}\.?[\s-]*{_MON}[\s,-]*{_YEAR}", re.IGNORECASE),
    re.compile(rf"{_MON}[\s,-]*{_YEAR}", re.IGNORECASE),
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})"),
    re.compile(r"(?P<mon>\d{1,2})[/.](?P<year>\d{4})"),
    re.compile(_YEAR),
    # CJK: 1995年12月23日 (ja/zh), 2004년 2월 24일 (ko); a weekday like （土） is a note.
    re.compile(r"(?P<year>\d{4})\s*[年년]\s*(?P<mon>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"),
    re.compile(r"(?P<year>\d{4})\s*[年년]\s*(?P<mon>\d{1,2})\s*[月월]"),
    re.compile(r"(?P<year>\d{4})\s*[年년]"),
]
_NUMERIC_AMBIGUOUS = re.compile(r"(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<year>\d{4})")

_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_QUARTER = [
    re.compile(r"Q(?P<q>[1-4])[\s,/-]*(?:of\s+)?(?P<year>\d{4})", re.IGNORECASE),
    re.compile(r"(?P<q>[1-4])Q[\s,/-]*(?P<year>\d{4})", re.IGNORECASE),
    re.compile(r"(?P<year>\d{4})[\s,/-]*Q(?P<q>[1-4])", re.IGNORECASE),
    re.compile(
        r"(?P<q>first|1st|second|2nd|third|3rd|fourth|4th)\s+quarter(?:\s+of)?,?\s+(?P<year>\d{4})",
        re.IGNORECASE,
    ),
]

_SEASONS = {
    "spring": "spring", "summer": "summer", "fall": "fall", "autumn": "fall", "winter": "winter",
    "frühling": "spring", "frühjahr": "spring", "sommer": "summer", "herbst": "fall",
    "printemps": "spring", "été": "summer", "automne": "fall", "hiver": "winter",
    "春": "spring", "夏": "summer", "秋": "fall", "冬": "winter",
}  # fmt: skip
_SEASON_RE = "|".join(sorted((re.escape(s) for s in _SEASONS), key=len, reverse=True))
_SEASON = [
    re.compile(rf"(?P<season>{_SEASON_RE})(?:\s+of)?[\s,]*(?P<year>\d{{4}})?", re.IGNORECASE),
    re.compile(
        r"(?P<season>winter|hiver|冬)(?:\s+of)?[\s,]*(?P<first>\d{4})\s*[/–—-]\s*(?P<year>\d{4}|\d{2})",
        re.IGNORECASE,
    ),
    re.compile(rf"(?P<year>\d{{4}})\s*年?\s*(?P<season>{_SEASON_RE})(?:季|期)?", re.IGNORECASE),
]
_VAGUE_PART = re.compile(
    r"(?:early|mid|middle|late|end of|beginning of|holiday|christmas|anfang|mitte|ende)[\s-]*(?:of\s+)?"
    r"(?P<year>\d{4})",
    re.IGNORECASE,
)

_UNKNOWN = re.compile(
    r"^(?:\?+|-+|–|—|n/?a|none|unknown|tba|tbd|tbc|to be (?:announced|determined|confirmed)|"
    r"not (?:available|yet (?:aired|released|announced))|coming soon|present|ongoing|now|"
    r"unbekannt|未定|不明)$",
    re.IGNORECASE,
)
_APPROX = re.compile(
    r"\b(?:c\.|ca\.|circa|approx\w*|around|about|before|after|ago|\d{3}0s)|\d{3}0s\b", re.IGNORECASE
)

_JUNK = re.compile(r"[<>{}=_|\\\x00-\x1f\x7f\ufffd]")
_NOTE = re.compile(r"\s*(?:\(([^()]*)\)|\[([^\[\]]*)\]|（([^（）]*)）)\s*$")
_RANGE_SPLIT = re.compile(
    r"\s+(?:to|until|till|through|thru|bis|au|à|a|al|–|—|-|~|〜|～)\s+|\s*[–—~〜～]\s*", re.IGNORECASE
)
_YEAR_RANGE = re.compile(r"(?P<a>\d{4})\s*[-/–—]\s*(?P<b>\d{4}|\d{2})")
_LABEL = re.compile(r"^[^\W\d][^:\d]{0,30}:\s+(?=\S)")
_FROM = re.compile(r"^(?:from|since|seit|vom|du|del?)\s+", re.IGNORECASE)
_FOUR_DIGITS = re.compile(r"\d{4}")
_OPEN_END = re.compile(r"^(?:\?+|present|now|ongoing|current|heute|現在|)$", re.IGNORECASE)


# Hyphen and dash variants pages write between dates: U+2010 hyphen, U+2011 non-breaking hyphen,
# U+2012 figure dash, U+2212 minus, small and full-width hyphen-minus are "-"; U+2015 horizontal
# bar and U+FE58 small em dash are "—". En and em dashes stay as they are.
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
                         "\u2015": "—", "\ufe58": "—"})  # fmt: skip


# Printable ASCII without "[" (no footnote), single spaces, nothing to strip: ``_clean`` keeps it.
_PLAIN = re.compile(r"[!-Z\\\]-~]+(?: [!-Z\\\]-~]+)*")


def _clean(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    return raw if _PLAIN.fullmatch(raw) else _clean_general(raw)


def _clean_general(raw: str) -> str | None:
    text = clean_text(strip_footnotes(raw)).translate(_DASHES)
    return (unicodedata.normalize("NFKC", text) if max(text) > "\uff00" else text) if text else None


def _check_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _made(iso: str, precision: Precision, quarter: int | None = None) -> PartialDate:
    """A PartialDate from parts already checked here (skips ``__post_init__``'s checks)."""
    date = object.__new__(PartialDate)
    object.__setattr__(date, "iso", iso)
    object.__setattr__(date, "precision", precision)
    object.__setattr__(date, "quarter", quarter)
    return date


def _build(year: int, month: int | None, day: int | None) -> PartialDate | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return _made(f"{year:04d}", "year")
    if not 1 <= month <= 12:
        return None
    if day is None:
        return _made(f"{year:04d}-{month:02d}", "month")
    if not 1 <= day <= (29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month]):
        return None
    return _made(f"{year:04d}-{month:02d}-{day:02d}", "day")


def _month_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _MONTHS.get(token.lower().rstrip("."))


def _season_year(m: re.Match[str]) -> int | None:
    """The year of a season match; a winter across two years is the later one, else None."""
    if not m["year"]:
        return None
    year = int(m["year"])
    first = m.groupdict().get("first")
    if first is None:
        return year
    if year < 100:  # "2019/20", "1999/00"
        year += int(first) // 100 * 100
        if year <= int(first):
            year += 100
    return year if year == int(first) + 1 else None


def _fast(text: str, day_first: bool | None) -> PartialDate | Literal[False] | None:
    """A date from the compiled patterns; False when no pattern applies (try dateparser)."""
    for pattern in _FAST:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        parts = m.groupdict()
        month = _month_number(parts["mon"]) if parts.get("mon") else None
        if parts.get("mon") and month is None:
            return None
        day = int(parts["day"]) if parts.get("day") else None
        return _build(int(parts["year"]), month, day)
    m = _NUMERIC_AMBIGUOUS.fullmatch(text)
    if m:
        a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
        if day_first is None:
            if a > 12 >= b:
                day_first = True
            elif b > 12 >= a:
                day_first = False
            else:
                return None  # 03/04/2005: month and day cannot be told apart
        return _build(year, b, a) if day_first else _build(year, a, b)
    for quarter_re in _QUARTER:
        m = quarter_re.fullmatch(text)
        if m:
            year = int(m["year"])
            if not _check_year(year):
                return None
            q = m["q"].lower()
            return PartialDate(f"{year:04d}", "quarter", quarter=_QUARTER_WORDS.get(q) or int(q))
    for season_re in _SEASON:
        m = season_re.fullmatch(text)
        if m:
            season_year = _season_year(m)
            return _build(season_year, None, None) if season_year is not None else None
    m = _VAGUE_PART.fullmatch(text)
    if m:
        return _build(int(m["year"]), None, None)
    if not any(c.isalpha() for c in text):
        return None  # all-numeric shapes are fully handled above; never let dateparser guess
    return False


# The common shapes, read from the raw text as it is (nothing to clean, strip or drop): they give
# exactly what the general path gives, which ``tests/test_dates_quick.py`` checks.
_QUICK_ISO = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")
_QUICK_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_QUICK_DAY_MONTH = re.compile(r"(\d{1,2})\.? ([^\W\d_]+)\.? (\d{4})")
_QUICK_CJK = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_QUICK_MONTH_DAY = re.compile(r"([^\W\d_]+)\.? (?:(\d{1,2}),? )?(\d{4})")


def _quick(raw: str) -> PartialDate | Literal[False] | None:
    """A date in one of the common shapes; False when ``raw`` has another shape."""
    first = raw[:1]
    if first.isdigit():
        m = _QUICK_ISO.fullmatch(raw)
        if m:
            year, month, day = m.groups()
            return _build(int(year), int(month) if month else None, int(day) if day else None)
        m = _QUICK_DOTTED.fullmatch(raw)
        if m:
            return _build(int(m[3]), int(m[2]), int(m[1]))
        m = _QUICK_CJK.fullmatch(raw)
        if m:
            return _build(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
        m = _QUICK_DAY_MONTH.fullmatch(raw)
        if m:
            month = _MONTHS.get(m[2].lower())
            return False if month is None else _build(int(m[3]), month, int(m[1]))
        return False
    if first.isalpha():
        m = _QUICK_MONTH_DAY.fullmatch(raw)
        if m:
            month = _MONTHS.get(m[1].lower())
            return False if month is None else _build(int(m[3]), month, int(m[2]) if m[2] else None)
    return False


def clear_caches() -> None:
    """Empty the normalizers' caches (a benchmark measures the work, not the cache)."""
    _parse_date.cache_clear()
    _parse_date_range.cache_clear()
    _parse_season.cache_clear()
    _split_date_note.cache_clear()


def split_date_note(raw: str | None) -> tuple[str, str | None]:
    """Split a trailing bracketed note from a date: ``(date text, note or None)``.

    >>> split_date_note("11 March 1984 (Japan)")
    ('11 March 1984', 'Japan')
    >>> split_date_note("May 1, 1971[2] (US) (premiere)")
    ('May 1, 1971', 'US; premiere')
    >>> split_date_note("1995年12月23日（土）")
    ('1995年12月23日', '土')
    >>> split_date_note("2004")
    ('2004', None)
    """
    if raw is None:
        return "", None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    return _split_date_note(raw)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _split_date_note(raw: str) -> tuple[str, str | None]:
    text = _clean(raw) or ""
    if "(" not in text and "[" not in text and "（" not in text:
        return text, None
    notes: list[str] = []
    for _ in range(MAX_NOTES):
        m = _NOTE.search(text)
        if m is None or m.start() == 0:
            break
        note = clean_text(m.group(1) or m.group(2) or m.group(3))
        if note:
            notes.insert(0, note)
        text = text[: m.start()].rstrip(" ,;")
    return text, "; ".join(notes) or None


def parse_date(
    raw: str | None, *, languages: Sequence[str] | None = None, day_first: bool | None = None
) -> PartialDate | None:
    """Parse one date with its precision; None when it is missing, vague or unparseable.

    ``languages`` (ISO 639-1 codes) narrows the dateparser fallback; ``day_first`` settles
    all-numeric dates such as ``03/04/2005``.

    >>> parse_date("Feb. 24, 2004")
    PartialDate(iso='2004-02-24', precision='day', quarter=None)
    >>> parse_date("Apr 2004").iso, parse_date("1995").precision
    ('2004-04', 'year')
    >>> parse_date("Q3 2027")
    PartialDate(iso='2027', precision='quarter', quarter=3)
    >>> parse_date("17.09.2016").iso, parse_date("11 March 1984 (Japan)").iso
    ('2016-09-17', '1984-03-11')
    >>> parse_date("1995年12月23日").iso, parse_date("26. September 2017").iso
    ('1995-12-23', '2017-09-26')
    >>> parse_date("2002-08-21 11:27").iso
    '2002-08-21'
    >>> [parse_date(x) for x in ("TBA", "?", "Not available", "yesterday", "03/04/2005", None)]
    [None, None, None, None, None, None]
    """
    if languages is not None and (
        isinstance(languages, str) or not all(isinstance(lang, str) for lang in languages)
    ):
        raise TypeError("languages must be a sequence of language codes")
    if day_first is not None and not isinstance(day_first, bool):
        raise TypeError("day_first must be True, False or None")
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    return _parse_date(raw, tuple(languages) if languages else None, day_first)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_date(raw: str, languages: tuple[str, ...] | None, day_first: bool | None) -> PartialDate | None:
    quick = _quick(raw)
    return _parse_general(raw, languages, day_first) if quick is False else quick


def _parse_general(raw: str, languages: tuple[str, ...] | None, day_first: bool | None) -> PartialDate | None:
    """``parse_date`` for any shape (the quick path's reference)."""
    text = _clean(raw)
    if text is None:
        return None
    text, _note = split_date_note(text)
    text = _TIME_PREFIX.sub("", _WEEKDAY.sub("", _LABEL.sub("", text)))
    text = _TIME_SUFFIX.sub("", text.rstrip(" .")).strip(" ,.;:") if ":" in text else text.strip(" ,;:")
    if not text or len(text) > 80 or _UNKNOWN.fullmatch(text) or _APPROX.search(text) or _JUNK.search(text):
        return None
    fast = _fast(text, day_first)
    if fast is not False:
        return fast
    return _dateparser(text, languages, day_first)


def parse_date_range(raw: str | None) -> tuple[PartialDate | None, PartialDate | None]:
    """Parse "start to end"; an open or unknown end is None. A single date is ``(date, None)``.

    A start without a year takes the end's year ("April 3 – June 26, 1998").

    >>> start, end = parse_date_range("Sep 1, 2001 to Apr 24, 2002")
    >>> start.iso, end.iso
    ('2001-09-01', '2002-04-24')
    >>> parse_date_range("2017-03-18 to ?")[1] is None
    True
    >>> [d.iso for d in parse_date_range("Jan 2004 - Mar 2005") if d]
    ['2004-01', '2005-03']
    >>> [d.iso for d in parse_date_range("28.02.2015 \u2011 05.05.2018") if d]  # non-breaking hyphen
    ['2015-02-28', '2018-05-05']
    >>> parse_date_range("Not available")
    (None, None)
    """
    if raw is None:
        return None, None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    return _parse_date_range(raw)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_date_range(raw: str) -> tuple[PartialDate | None, PartialDate | None]:
    text = _clean(raw)
    if text is None or len(text) > 200 or _UNKNOWN.fullmatch(text):
        return None, None
    text = split_date_note(text)[0]
    m = _YEAR_RANGE.fullmatch(text)
    if m:
        a, b = m["a"], m["b"]
        short = len(b) == 2
        if short:
            b = a[:2] + b  # "1995-96"; but "2004-12" is a month and "2004/05" is ambiguous
        if int(b) > int(a) and not (short and int(m["b"]) <= 12):
            return _build(int(a), None, None), _build(int(b), None, None)
    parts = _RANGE_SPLIT.split(text, maxsplit=1)
    if len(parts) == 1:
        single = parse_date(text)
        if single is None and text.lower().startswith(("from ", "since ", "seit ")):
            single = parse_date(text.split(None, 1)[1])
        return single, None
    left, right = (p.strip() for p in parts)
    left = _FROM.sub("", left)
    end = None if _OPEN_END.fullmatch(right) else parse_date(right)
    start = parse_date(left)
    if start is None and end is not None and not _FOUR_DIGITS.search(left):
        start = parse_date(f"{left} {end.year}")
        if start is None:
            start = parse_date(f"{left}, {end.year}")
    return start, end


def parse_season(raw: str | None) -> tuple[str, int | None] | None:
    """A broadcast season and its year: ``("spring" | "summer" | "fall" | "winter", year)``.

    "Autumn" and "Herbst" are ``fall``; a season without a year has year None.

    >>> parse_season("Spring 2004")
    ('spring', 2004)
    >>> parse_season("autumn")
    ('fall', None)
    >>> parse_season("2004年春")
    ('spring', 2004)
    >>> parse_season("Winter 2019/20")
    ('winter', 2020)
    >>> parse_season("2004") is None
    True
    """
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    return _parse_season(raw)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_season(raw: str) -> tuple[str, int | None] | None:
    text = _clean(raw)
    if text is None:
        return None
    for season_re in _SEASON:
        m = season_re.fullmatch(text)
        if m:
            year = _season_year(m)
            if m["year"] and year is None:
                return None
            if year is not None and not _check_year(year):
                return None
            return _SEASONS[m["season"].lower()], year
    return None


# ---------------------------------------------------------------------------------------------
# dateparser fallback

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "PARSERS": ["absolute-time"],
    "REQUIRE_PARTS": ["year"],
    "PREFER_DAY_OF_MONTH": "first",
    "STRICT_PARSING": False,
    "RETURN_TIME_AS_PERIOD": False,
    "TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "hu", "ro", "tr", "ru",
    "uk", "ja", "zh", "ko",
)  # fmt: skip
"""Languages the dateparser fallback tries when ``languages`` is None (all ~200 would cost ~20 ms
per unparseable text instead of ~2 ms)."""


def _dateparser_languages(languages: Sequence[str] | None) -> tuple[str, ...]:
    """Primary subtags dateparser knows ("de-DE" -> "de", "no" -> "nb"); the defaults if none."""
    from dateparser.data.languages_info import language_order

    known = set(language_order)
    found: list[str] = []
    for lang in languages or ():
        code = lang.strip().lower().replace("_", "-")
        code = {"no": "nb", "iw": "he", "in": "id"}.get(code, code)
        for candidate in (code, code.split("-", 1)[0]):
            if candidate in known:
                if candidate not in found:
                    found.append(candidate)
                break
    return tuple(found) or DEFAULT_LANGUAGES


@functools.lru_cache(maxsize=32)
def _parser(languages: tuple[str, ...] | None, day_first: bool | None) -> DateDataParser:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from dateparser.date import DateDataParser  # slow import: only when needed

        settings = dict(_DATEPARSER_SETTINGS)
        settings["RELATIVE_BASE"] = datetime(2000, 1, 1)  # unused: relative parsing is off
        if day_first is not None:
            settings["DATE_ORDER"] = "DMY" if day_first else "MDY"
        return DateDataParser(
            languages=list(_dateparser_languages(languages)), settings=settings, try_previous_locales=False
        )


# The fallback only sees texts shaped like a written-out date: words, one 4-digit year, at most one
# 1-2 digit day, and date punctuation. Its answer must use exactly those numbers, and the month
# must come from a word: dateparser alone reads "8.2/10 年" as 2010-08-02 and "12 on 2004" as
# December 2004.
_FALLBACK_SHAPE = re.compile(r"[^\W_]+(?:[\s.,'’/-]+[^\W_]+)*[.,]?")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th|er|ère|re|e|eme|ème|º|ª|o|a|\.)(?![^\W\d_])", re.IGNORECASE)
_CJK_DATE = re.compile(r"[年月日년월일]")
_MIXED = re.compile(r"\d[^\W\d_]|[^\W\d_]\d")
_NUMBERS = re.compile(r"\d+")


def _dateparser(text: str, languages: tuple[str, ...] | None, day_first: bool | None) -> PartialDate | None:
    if not _FALLBACK_SHAPE.fullmatch(text) or _CJK_DATE.search(text):
        return None  # CJK numeric dates are the fast path's; here they would be misread
    bare = _ORDINAL.sub("", text)
    if _MIXED.search(bare):
        return None  # "PT2H", "3x", "A4": not date words
    numbers = _NUMBERS.findall(bare)
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) > 1 or len(years) + len(days) != len(numbers):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            data = _parser(languages, day_first).get_date_data(bare)
    except (ValueError, TypeError, OverflowError, LookupError) as exc:
        logger.debug("dateparser failed on %r: %s", text, exc)
        return None
    if data is None or data.date_obj is None:
        return None
    found = data.date_obj
    parts = set(getattr(data, "parts", None) or ())
    if not parts:  # dateparser < 1.3: the period says how much the text gave
        parts = {"year", "month", "day"} if data.period == "day" else {"year", "month"}
        if data.period == "year":
            parts = {"year"}
    if found.year != int(years[0]) or "month" not in parts:
        return None  # a year alone is the fast path's; here it means the words were not a month
    if days:
        if "day" not in parts or found.day != int(days[0]):
            return None
        return _build(found.year, found.month, found.day)
    return _build(found.year, found.month, None)
