"""Numbers on pages: counts, scores and user-list summaries.

Documented choices:

- ``parse_int`` reads the first number in the text ("60,116 votes", "26 eps", "#15").
  ``,``, ``.``, thin and no-break spaces and ``'`` group thousands when followed by exactly three
  digits ("1.234" is 1234, the German way); a decimal fraction is not an int (None), but
  "1.2k" / "3M" suffixes are read when the result is whole. A minus sign gives None (counts
  are never negative). More than 15 digits is absurd: None.
- ``parse_float`` takes the last of ``.``/``,`` as the decimal mark when both occur
  ("1,234.5", "1.234,5"); a lone ``,`` followed by exactly three digits groups thousands
  ("1,234" is 1234.0), otherwise it is a decimal comma ("8,4" is 8.4); a lone ``.`` is a
  decimal point ("1.234" is 1.234).
- ``parse_score`` returns ``(value, maximum)``; a percentage has maximum 100; a value above
  its maximum gives ``(None, None)``.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata

from normalize.text import clean_text

logger = logging.getLogger(__name__)

MAX_DIGITS = 15

_GROUP = r"[,.'’]"
# No-break and thin spaces group thousands ("1 234"); ordinary spaces do not ("26 12").
_SPACE_GROUP = re.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_INT = re.compile(
    rf"(?<![\d\w.,])(?P<neg>[-−–]\s?)?#?(?P<num>\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+)"
    rf"(?P<frac>[.,]\d+)?(?:(?P<suffix>[kmb]|bn|mn)|\s*(?P<word>mio|thousand|million|billion|万|億))?(?![\w])",
    re.IGNORECASE,
)
_SUFFIXES = {
    "k": 1_000, "thousand": 1_000, "m": 1_000_000, "mio": 1_000_000, "mn": 1_000_000,
    "million": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000,
    "万": 10_000, "億": 100_000_000,
}  # fmt: skip
_FLOAT = re.compile(r"(?<![\d.,])(?P<neg>[-−]\s?)?(?P<num>\d[\d,.\u00a0\u202f']*)")
# The first number of the text, with an optional scale maximum or percent sign after it.
_SCORE = re.compile(
    r"^[^\d-]*?(?P<neg>-)?(?P<value>\d+(?:[.,]\d+)?)(?:\s*(?P<percent>%)|\s*(?:/|out of|of|von|sur|su|de|из)"
    r"\s*(?P<max>\d+(?:[.,]\d+)?))?(?![\d.,]*\d)",
    re.IGNORECASE,
)
_LIST_ITEMS = (
    r"(?P<count>\d[\d,.]*)\s+(?:items?|titles?|entries|entry|things?|games?|movies?|films?|shows?|series|"
    r"episodes?|issues?|volumes?|anime|manga|people|persons?|characters?)"
)
_LIST_SUMMARY = re.compile(
    rf"(?:an?\s+list(?:\s+of)?\s*)?(?:{_LIST_ITEMS})?(?:\s*,?\s*(?:by|from|von)\s+(?P<author>\S.*?))?"
    r"(?:\s*[,|·•-]?\s*created\s.*)?",
    re.IGNORECASE,
)
# The same after a list name: "Seen and Watched a list of 334 items by Obsidian609".
_LIST_SUMMARY_TAIL = re.compile(
    rf"(?:^|\s)an?\s+list\s+of\s+{_LIST_ITEMS}(?:\s*,?\s*by\s+(?P<author>\S.*?))?"
    r"(?:\s*[,|·•-]?\s*created\s.*)?$",
    re.IGNORECASE,
)


def _text(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    text = clean_text(_SPACE_GROUP.sub("", raw))
    if not text.isascii() and max(text) >= "\uff00":  # any full-width form (U+FF00 on)
        text = unicodedata.normalize("NFKC", text)
    return text or None


def parse_int(raw: str | None) -> int | None:
    """The first whole number in the text; None when there is none or it is not whole.

    >>> [parse_int(x) for x in ("1,234", "1.234", "60,116 votes", "26 eps", "#15", "1.2k")]
    [1234, 1234, 60116, 26, 15, 1200]
    >>> [parse_int(x) for x in ("8.40", "Unknown", "-3", "", None)]
    [None, None, None, None, None]
    """
    text = _text(raw)
    if text is None:
        return None
    m = _INT.search(text)
    if m is None or m["neg"]:
        return None
    digits = re.sub(r"\D", "", m["num"])
    if len(digits) > MAX_DIGITS:
        return None
    suffix = (m["suffix"] or m["word"] or "").lower()
    if m["frac"]:
        if not suffix:
            return None
        value = float(digits + "." + m["frac"][1:]) * _SUFFIXES[suffix]
        return int(value) if value.is_integer() and value < 10**MAX_DIGITS else None
    value_int = int(digits) * _SUFFIXES.get(suffix, 1)
    return value_int if value_int < 10**MAX_DIGITS else None


def _to_float(token: str) -> float | None:
    token = token.rstrip(".,' ").replace("\u00a0", "").replace("\u202f", "").replace("'", "")
    if not token:
        return None
    dot, comma = token.rfind("."), token.rfind(",")
    if dot >= 0 and comma >= 0:
        decimal = "." if dot > comma else ","
        group = "," if decimal == "." else "."
        token = token.replace(group, "").replace(decimal, ".")
    elif comma >= 0:
        groups = token.split(",")
        if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            token = token.replace(",", "")
        elif len(groups) == 2:
            token = token.replace(",", ".")
        else:
            return None
    elif token.count(".") > 1:
        groups = token.split(".")
        if all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            token = token.replace(".", "")
        else:
            return None
    if len(token.replace(".", "")) > MAX_DIGITS:
        return None
    try:
        value = float(token)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_float(raw: str | None) -> float | None:
    """The first number in the text as a float; None when there is none.

    >>> [parse_float(x) for x in ("8.40", "8,4", "1,234.5", "1.234,5", "-0.5", "N/A")]
    [8.4, 8.4, 1234.5, 1234.5, -0.5, None]
    """
    text = _text(raw)
    if text is None:
        return None
    m = _FLOAT.search(text)
    if m is None:
        return None
    value = _to_float(m["num"])
    if value is None:
        return None
    return -value if m["neg"] else value


def parse_score(raw: str | None) -> tuple[float | None, float | None]:
    """A score and the scale's maximum when shown: ``(value, maximum)``.

    >>> parse_score("8.40"), parse_score("4.503 out of 5"), parse_score("8.2/10")
    ((8.4, None), (4.503, 5.0), (8.2, 10.0))
    >>> parse_score("82%"), parse_score("N/A"), parse_score("11/10")
    ((82.0, 100.0), (None, None), (None, None))
    """
    text = _text(raw)
    if text is None:
        return None, None
    m = _SCORE.match(text)
    if m is None or m["neg"]:
        return None, None
    value = _to_float(m["value"])
    maximum = 100.0 if m["percent"] else _to_float(m["max"]) if m["max"] else None
    if value is None or (maximum is not None and not 0 <= value <= maximum) or (m["max"] and maximum is None):
        return None, None
    return value, maximum


def parse_list_summary(raw: str | None) -> tuple[int | None, str | None] | None:
    """A user list's summary: ``(item count, author)``; None when it is not one.

    >>> parse_list_summary("a list of 334 items by Obsidian609")
    (334, 'Obsidian609')
    >>> parse_list_summary("a list of 24 titles"), parse_list_summary("1,234 items")
    ((24, None), (1234, None))
    >>> parse_list_summary("Seen and Watched a list of 334 items by Obsidian609")
    (334, 'Obsidian609')
    >>> parse_list_summary("Memories") is None
    True
    """
    text = _text(raw)
    if text is None:
        return None
    m = _LIST_SUMMARY.fullmatch(text)
    if m is None or (m["count"] is None and not re.match(r"an?\s+list\b", text, re.IGNORECASE)):
        m = _LIST_SUMMARY_TAIL.search(text)
        if m is None:
            return None
    count = parse_int(m["count"]) if m["count"] else None
    if m["count"] is not None and count is None:
        return None
    author = clean_text(m["author"]) if m["author"] else None
    return count, author or None
