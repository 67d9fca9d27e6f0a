"""Running times as shown on pages -> whole minutes.

Documented choices:

- Seconds round to the nearest minute, halves up ("23 min. 40 sec." is 24, "1 min. 30 sec."
  is 2); a positive duration under 30 seconds is 1 minute, never 0.
- A bare number is minutes ("115", "115 (mins)"): that is how info boxes without a unit mean it.
- ``H:MM:SS`` is read as hours, minutes, seconds; a lone ``1:54`` is ambiguous (h:mm or m:ss)
  and gives None. Ranges ("90-100 min") and "approx." values with a range give None.
- When a text holds several runtimes ("117 min (original) 95 min (US)"), ``parse_runtime``
  returns the first one and ``parse_runtimes`` all of them, in order.
- Spelled-out English and German times are read: "half an hour" / "half-hour" / "halbe Stunde"
  is 30, "one hour" / "an hour" / "eine Stunde" is 60, "an hour and a half" / "one and a half
  hours" / "eineinhalb Stunden" is 90, "quarter of an hour" is 15; the number words one to twelve
  and the tens twenty to sixty before a unit are digits ("two hours", "thirty minutes"; compounds
  such as "forty-five minutes" are not read and give None).
- More than 100,000 minutes is absurd: None. A text over 500 characters is not a runtime: None.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from normalize.text import clean_text, strip_footnotes

logger = logging.getLogger(__name__)

MAX_MINUTES = 100_000
MAX_LENGTH = 500
"""Longer texts are not a runtime cell: no runtimes (and no regex time spent on them)."""

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:[.,]\d+)?)"
_HOURS = r"(?:hours?|hrs?|h|std|stunden?|stunde|heures?|horas?|ore|時間|시간|ч(?:ас(?:а|ов)?)?)"
_MINUTES = r"(?:minutes?|minuten?|minutos?|minuti|mins?|mn|m|分|분|мин(?:ут[аы]?)?)"
_SECONDS = r"(?:seconds?|sekunden?|secs?|sek|s|秒|초|сек(?:унд[аы]?)?)"
_END = r"(?![^\W\d_])"  # a unit must not run on into a word ("m" of "mins" is fine, "minimal" is not)

_DURATION = re.compile(
    rf"""
    (?<![\d.,A-Za-z+\-−])
    (?:
        (?P<h>{_NUM})\s*{_HOURS}\.?{_END}[\s,]*(?:and\s+|und\s+|et\s+)?
        (?:(?P<hm>\d{{1,2}})(?!\d)\s*(?:{_MINUTES}\.?{_END})?)?
        (?:[\s,]*(?P<hs>\d{{1,2}})(?!\d)\s*{_SECONDS}\.?{_END})?
      |
        (?P<m>{_NUM})\s*(?:\(\s*)?{_MINUTES}\.?{_END}(?:\s*\))?
        (?:[\s,]*(?:and\s+)?(?P<ms>\d{{1,2}})(?!\d)\s*{_SECONDS}\.?{_END})?
      |
        (?P<s>\d+)\s*{_SECONDS}\.?{_END}
      |
        (?P<clock_h>\d{{1,2}}):(?P<clock_m>[0-5]\d):(?P<clock_s>[0-5]\d)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ISO = re.compile(
    r"P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^[^\W\d][^:\d]{0,30}:\s*")
_BARE = re.compile(r"(?P<m>\d{1,6})\s*'?\.?")  # "115", "115'" (a European minutes mark)
_RANGE = re.compile(
    rf"(?<![\d.,]){_NUM}\s*(?:{_MINUTES}\.?)?\s*(?:-|–|—|~|〜|to|bis)\s*{_NUM}\s*(?:{_MINUTES}\.?){_END}", re.IGNORECASE
)
_SEPARATORS = re.compile(r"\s*(?:\||;|/|\n|,(?=\s*\d+\s*(?:[a-z]|分)))\s*", re.IGNORECASE)


_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3,
}  # fmt: skip
_WORD_RE = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_UNIT_WORD = r"(?:hours?|hrs?|minutes?|mins?|stunden?|minuten?)\b"
_AND_A_HALF = re.compile(
    rf"\b(?:(?P<n>{_WORD_RE}|\d+)[\s-]+(?:and|und)[\s-]+(?:a|an|ein)?[\s-]*half[\s-]+hours?\b"
    rf"|(?P<m>{_WORD_RE}|\d+)[\s-]+hours?[\s-]+and[\s-]+a[\s-]+half\b|(?:ein[\s-]*einhalb|anderthalb)[\s-]+stunden?\b)",
    re.IGNORECASE,
)
_HALF_HOUR = re.compile(r"\b(?:half[\s-]+an[\s-]+hour|half[\s-]+hour|(?:eine\s+)?halbe\s+stunde)\b", re.IGNORECASE)
_QUARTER_HOUR = re.compile(r"\b(?:a\s+)?quarter[\s-]+(?:of[\s-]+an[\s-]+)?hour\b", re.IGNORECASE)
_WORD_NUMBER = re.compile(rf"\b({_WORD_RE})[\s-]+(?={_UNIT_WORD})", re.IGNORECASE)


def _spelled_out(text: str) -> str:
    """Number words before time units as digits: "an hour and a half" -> "90 min"."""
    if not any(c.isalpha() for c in text):
        return text

    def half(m: re.Match[str]) -> str:
        word = m["n"] or m["m"]
        count = 1 if word is None else _WORD_NUMBERS.get(word.lower()) or int(word)
        return f"{count * 60 + 30} min"

    text = _AND_A_HALF.sub(half, text)
    text = _HALF_HOUR.sub("30 min", text)
    text = _QUARTER_HOUR.sub("15 min", text)
    return _WORD_NUMBER.sub(lambda m: f"{_WORD_NUMBERS[m[1].lower()]} ", text)


def _minutes(seconds: float) -> int | None:
    if not 0 < seconds < MAX_MINUTES * 60 + 30:
        return None  # nothing, negative, absurd or infinite
    minutes = int(seconds // 60 + (1 if seconds % 60 >= 30 else 0))
    minutes = max(minutes, 1)
    return minutes if minutes <= MAX_MINUTES else None


def _number(token: str | None) -> float:
    if not token:
        return 0.0
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
        return float(token.replace(",", ""))  # "1,234 min": thousands
    return float(token.replace(",", "."))  # "1,5 Stunden": a decimal comma


def _iso(text: str) -> int | None:
    m = _ISO.fullmatch(text)
    if m is None or not any(m.group(k) for k in "dhms"):
        return None
    seconds = (
        _number(m["d"]) * 86400 + _number(m["h"]) * 3600 + _number(m["m"]) * 60 + _number(m["s"])
    )
    return _minutes(seconds)


def _clean(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    text = clean_text(strip_footnotes(raw))
    if not text.isascii() and max(text) >= "\uff00":  # any full-width form (U+FF00 on)
        text = unicodedata.normalize("NFKC", text)
    return text or None


def _scan(text: str) -> list[int | None]:
    found: list[int | None] = []
    for m in _DURATION.finditer(text):
        if m["h"] is not None:
            seconds = _number(m["h"]) * 3600 + _number(m["hm"]) * 60 + _number(m["hs"])
        elif m["m"] is not None:
            seconds = _number(m["m"]) * 60 + _number(m["ms"])
        elif m["s"] is not None:
            seconds = _number(m["s"])
        else:
            seconds = int(m["clock_h"]) * 3600 + int(m["clock_m"]) * 60 + int(m["clock_s"])
        found.append(_minutes(seconds))
    return found


def parse_runtimes(raw: str | None) -> list[int]:
    """Every runtime in the text, in minutes, in order (duplicates kept).

    >>> parse_runtimes("117 min | 95 min")
    [117, 95]
    >>> parse_runtimes("117 minutes (original) 95 minutes (US)")
    [117, 95]
    >>> parse_runtimes("Unknown")
    []
    """
    text = _clean(raw)
    if text is None or len(text) > MAX_LENGTH:
        return []
    text = _spelled_out(text)
    iso = _iso(text)
    if iso is not None:
        return [iso]
    if _RANGE.search(text):
        return []
    found = [m for m in _scan(text) if m is not None]
    if found:
        return found
    # Bare numbers: "115", "117 | 95".
    values: list[int] = []
    for part in _SEPARATORS.split(_LABEL.sub("", text)):
        m = _BARE.fullmatch(part.strip())
        if m is None:
            return []
        value = _minutes(int(m["m"]) * 60)
        if value is None:
            return []
        values.append(value)
    return values


def parse_runtime(raw: str | None) -> int | None:
    """A runtime in whole minutes (per episode for series); None when unknown or unparseable.

    >>> [parse_runtime(x) for x in ("115 (mins)", "1 hr. 54 min.", "24 min. per ep.", "PT2H9M")]
    [115, 114, 24, 129]
    >>> [parse_runtime(x) for x in ("114 min.", "2h 9m", "90 minutes", "23 min. 40 sec.")]
    [114, 129, 90, 24]
    >>> [parse_runtime(x) for x in ("half hour", "one hour", "an hour and a half", "two hours")]
    [30, 60, 90, 120]
    >>> parse_runtime("Unknown") is None, parse_runtime("1:54") is None
    (True, True)
    """
    found = parse_runtimes(raw)
    return found[0] if found else None
