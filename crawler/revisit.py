"""When a recrawl may leave a page alone: the sitemap's ``<lastmod>`` and a revisit ceiling.

A sitemap that gives a page's ``<lastmod>`` tells when the page last changed. When the state store
says the page was fetched (a 200 or a 304, with a record or as ``not_title``) strictly after that
moment, the page has not changed since: the recrawl settles it as ``unchanged`` (reason
``sitemap lastmod``) without a request and follows the links stored for it. Pages the sitemap gives no
lastmod, or a newer one, are fetched (conditionally) as before.

Sitemaps can be wrong or stale, so skipping has a ceiling, like Nutch's fetch interval: a page whose
last fetch is older than ``recheck_after`` (``TITLECRAWL_RECHECK_AFTER``, default 30 days) is
re-checked with a conditional request anyway. ``recheck_after = 0`` turns skipping off.

Times are compared in whole seconds, the state store's resolution; a page fetched in the same second
as its lastmod is fetched again (the change may have come after the fetch within that second).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from extractors.registry import families

from .state import PageState

logger = logging.getLogger(__name__)

SKIP_REASON = "sitemap lastmod"
"""The ``reason`` of an ``unchanged`` outcome settled without a request."""
DEFAULT_RECHECK_AFTER = 30 * 86400.0

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 7 * 86400.0}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", re.IGNORECASE)
_W3C = re.compile(
    r"(?P<y>\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?)?)?"
)


def parse_duration(text: str | float) -> float:
    """Seconds in ``30d``, ``12h``, ``90m``, ``3600s``, ``2w`` or a bare number of seconds.

    >>> parse_duration("30d"), parse_duration("1.5h"), parse_duration(0)
    (2592000.0, 5400.0, 0.0)
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        if text < 0:
            raise ValueError(f"a duration cannot be negative: {text}")
        return float(text)
    m = _DURATION.fullmatch(str(text))
    if m is None:
        raise ValueError(f"not a duration: {text!r} (examples: 30d, 12h, 90m, 3600s, 0)")
    return float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]


def parse_lastmod(text: str | None) -> float | None:
    """A sitemap ``<lastmod>`` (W3C datetime) as the latest UTC epoch second it can mean; None if unreadable.

    A date without a time means some moment of that day: its end is taken. A time without a time zone
    (common, though the sitemap protocol asks for one) is read as the latest time zone (UTC-12), so a
    page is never skipped on a guess that makes its change look older than it is.

    >>> parse_lastmod("2026-11-01T12:00:00Z") - parse_lastmod("2026-11-01T13:00:00+01:00")
    0.0
    >>> parse_lastmod("2026-11-01") == parse_lastmod("2026-11-02T00:00:00Z")
    True
    """
    if not text:
        return None
    m = _W3C.fullmatch(text.strip())
    if m is None:
        return None
    try:
        year = int(m["y"])
        if m["mo"] is None:
            return datetime(year + 1, 1, 1, tzinfo=UTC).timestamp()
        month = int(m["mo"])
        if m["d"] is None:
            nxt = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
            return nxt.timestamp()
        day = datetime(year, month, int(m["d"]), tzinfo=UTC)
        if m["h"] is None:
            return (day + timedelta(days=1)).timestamp()
        hour, minute, second = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
        if hour > 23 or minute > 59 or second > 60:  # 60: a leap second
            return None
        moment = day + timedelta(hours=hour, minutes=minute, seconds=second)
        if m["s"] is None:
            moment += timedelta(seconds=59)  # hh:mm: the end of that minute
        tz = m["tz"]
        if tz is None:
            return (moment + timedelta(hours=12)).timestamp()
        if tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            moment -= sign * offset
        return moment.timestamp()
    except ValueError:  # month 13, day 32 ...
        return None


def parse_iso(text: str | None) -> float | None:
    """The state store's ``2026-11-01T12:00:00Z`` as an epoch second (None if missing or unreadable)."""
    if not text:
        return None
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment.timestamp()


def last_fetch(state: PageState) -> str | None:
    """When the page was last fetched (answered 200 or 304); stores written before ``last_fetched`` existed
    only updated ``last_seen`` on a fetch."""
    return state.last_fetched or state.last_seen


@dataclass(frozen=True, slots=True)
class RevisitPolicy:
    """Decides whether a known page listed in a sitemap with a lastmod needs a request."""

    recheck_after: float = DEFAULT_RECHECK_AFTER
    """Seconds after which a page is re-checked whatever its lastmod; 0: never skip."""

    @property
    def enabled(self) -> bool:
        return self.recheck_after > 0

    def skip(self, lastmod: float | None, known: PageState | None, now: float) -> bool:
        """True when the page can be settled as ``unchanged`` without a request.

        Needs: skipping enabled, a lastmod, page state from a successful fetch (a content hash) strictly
        after the lastmod, and that fetch no older than ``recheck_after``.
        """
        if not self.enabled or lastmod is None or known is None or known.content_sha256 is None:
            return False
        fetched = parse_iso(last_fetch(known))
        if fetched is None or fetched <= lastmod:
            return False
        return now - fetched < self.recheck_after


def extractor_outdated(known: PageState) -> bool:
    """An older version of its extractor made the page's record: it must be fetched and extracted again."""
    if not known.extractor_version:
        return False
    family = known.extractor_version.split("/", 1)[0]
    return _extractor_versions().get(family, known.extractor_version) != known.extractor_version


@lru_cache(maxsize=1)
def _extractor_versions() -> dict[str, str]:
    return {fam.name: fam.extractor_version for fam in families()}
