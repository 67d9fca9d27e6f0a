"""The CPU-heavy half of handling a fetched page, free of Scrapy: parse, links, extraction, record JSON.

``process_page(PageJob) -> PageResult`` runs in the crawl process (``TITLECRAWL_EXTRACT_WORKERS=0``)
or in a worker process of ``crawler.offload.ExtractionPool``; either way it gives the same result.
It never raises for a bad page: an exception of the extractor comes back as ``PageResult.error``
(the spider makes the URL a failure naming it), with the page's hash and links, so nothing is lost.

Link normalisation (``w3lib``'s ``canonicalize_url``) used to cost more than extraction on pages with
hundreds of navigation links; ``page_links`` canonicalises each distinct absolute or root-relative
link once per process (an LRU cache) and skips off-site links before canonicalising them.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson
from lxml import etree

from extractors.page import load_page
from extractors.records import record_fingerprint
from extractors.registry import extract_page

from .profiles import get_profile
from .session import normalize_link, site_key

if TYPE_CHECKING:
    from extractors.page import Page
    from extractors.records import TitleRecord

    from .profiles import SiteProfile

logger = logging.getLogger(__name__)

_LINK_XPATH = "//a/@href | //link[@rel='next']/@href"


@dataclass(frozen=True, slots=True)
class PageJob:
    """What a worker needs to handle one fetched page."""

    body: bytes
    url: str
    """The URL that answered (after redirects)."""
    content_type: str | None
    fetched_at: datetime
    profile: str
    """The crawl's site profile, by name."""
    allowed_sites: frozenset[str]
    """``site_key``s whose links the crawl follows."""
    extract: bool
    """Whether the profile calls the URL a title page (extract a record)."""


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What the crawl process needs of a record besides its JSON: its outcome, state row and stats."""

    record_id: str
    status: str
    extractor: str | None
    extractor_version: str | None
    errors: tuple[tuple[str, str], ...] = ()
    """(field, kind) of each of the record's extraction errors."""

    @classmethod
    def of(cls, record: TitleRecord) -> RecordSummary:
        return cls(record_id=record.record_id, status=record.status, extractor=record.extractor,
                   extractor_version=record.extractor_version,
                   errors=tuple((e.field, e.kind) for e in record.errors))  # fmt: skip


@dataclass(frozen=True, slots=True)
class PageResult:
    """A page's hash, links and record, in the form that crosses the process boundary cheaply.

    The record travels as its JSON line (``orjson.dumps(record.to_dict())``, what the records journal
    stores) and a ``RecordSummary``, not as a ``TitleRecord`` object plus its dict: pickling those cost
    both processes more than everything else of the result.
    """

    content_sha256: str | None
    links: tuple[str, ...]
    record_json: bytes | None = None
    """``orjson.dumps(record.to_dict())``, made where the record was made."""
    summary: RecordSummary | None = None
    record_fingerprint: str | None = None
    error: str | None = None
    """``ExceptionType: message`` when parsing or extraction raised (or a worker died)."""

    @property
    def record_data(self) -> dict[str, Any] | None:
        """The record's dict (parsed from its JSON)."""
        return None if self.record_json is None else dict(orjson.loads(self.record_json))


def process_page(job: PageJob) -> PageResult:
    """Parse the page once, collect its links and extract its record (never raises)."""
    try:
        profile = get_profile(job.profile)
        page = load_page(job.body, job.url, content_type=job.content_type)
        links = page_links(page, profile, job.allowed_sites)
    except Exception as exc:  # a page that breaks the parser is this URL's failure, not a crash
        logger.debug("cannot parse %s", job.url, exc_info=True)
        return PageResult(content_sha256=hashlib.sha256(job.body).hexdigest(), links=(),
                          error=f"{type(exc).__name__}: {exc}")  # fmt: skip
    if not job.extract:
        return PageResult(content_sha256=page.content_sha256, links=links)
    try:
        site_hint = None if profile.matches_host(page.host) else profile.family
        record = extract_page(page, fetched_at=job.fetched_at, site=site_hint)
        data = record.to_dict()
        return PageResult(content_sha256=page.content_sha256, links=links, record_json=orjson.dumps(data),
                          summary=RecordSummary.of(record), record_fingerprint=record_fingerprint(data))  # fmt: skip
    except Exception as exc:  # reported as the URL's failure by the spider
        logger.debug("extraction of %s raised", job.url, exc_info=True)
        return PageResult(content_sha256=page.content_sha256, links=links, error=f"{type(exc).__name__}: {exc}")


# -- links ---------------------------------------------------------------------------------------
_HREFS = etree.XPath(_LINK_XPATH, smart_strings=False)
"""Plain ``str`` results: lxml's default "smart strings" keep a reference to their element each."""
CACHE_SIZE = 50_000
"""Entries per link cache before it is emptied (memory stays flat on huge sites)."""


def page_links(page: Page, profile: SiteProfile, allowed_sites: frozenset[str]) -> tuple[str, ...]:
    """The page's links that stay on the site and that the profile does not skip, in page order."""
    if page.root is None or page.url is None:
        return ()
    base = page.url
    decide = _filter_for(profile, allowed_sites)
    absolute = decide.absolute
    rooted = decide.rooted_for(_origin(base))
    seen: dict[str, None] = {}
    for raw in _HREFS(page.root):
        link = absolute.get(raw, _MISSING)
        if link is _MISSING:
            link = rooted.get(raw, _MISSING)
            if link is _MISSING:
                link = decide.decide(base, raw, rooted)
        if link is not None:
            seen[link] = None  # type: ignore[index]
    return tuple(seen)


_MISSING: Any = object()


class _LinkFilter:
    """Which link, if any, an href gives, for one profile and set of allowed sites, with caches.

    An absolute href's answer depends on the href alone, a root-relative one's on the page's origin;
    both are cached (keyed by the raw href, whitespace included). Other relative hrefs are resolved
    against the page's URL every time.
    """

    def __init__(self, profile: SiteProfile, allowed_sites: frozenset[str]) -> None:
        self.profile = profile
        self.allowed_sites = allowed_sites
        self.absolute: dict[str, str | None] = {}
        self.rooted_by_origin: dict[str, dict[str, str | None]] = {}
        self.netlocs: dict[str, str] = {}

    def rooted_for(self, origin: str) -> dict[str, str | None]:
        rooted = self.rooted_by_origin.get(origin)
        if rooted is None:
            if len(self.rooted_by_origin) >= 64:
                self.rooted_by_origin.clear()
            rooted = self.rooted_by_origin[origin] = {}
        return rooted

    def decide(self, base: str, raw: str, rooted: dict[str, str | None]) -> str | None:
        href = raw.strip()
        if href.startswith(("http://", "https://")):
            key = self.site_of_absolute(href)
            link = None if key not in self.allowed_sites and key.isascii() else self.keep(_normalize(href, href))
            _remember(self.absolute, raw, link)
        elif href.startswith("/") and not href.startswith("//"):
            link = self.keep(_normalize(_origin(base), href))  # a root-relative link depends on the origin only
            _remember(rooted, raw, link)
        else:
            link = self.keep(normalize_link(base, href))
        return link

    def keep(self, link: str | None) -> str | None:
        """``link`` when it is on an allowed site and the profile does not skip it."""
        if link is None or _site_key(link) not in self.allowed_sites:
            return None
        link = self.profile.canonical(link)
        return link if _classify(self.profile, link) != "skip" else None

    def site_of_absolute(self, href: str) -> str:
        """``site_key`` of an absolute http(s) URL, cached by its scheme and authority (all it depends on)."""
        start = href.index("//") + 2
        end = len(href)
        for stop in "/?#":
            found = href.find(stop, start)
            if 0 <= found < end:
                end = found
        prefix = href[:end]
        key = self.netlocs.get(prefix)
        if key is None:
            key = _site_key(prefix)
            _remember(self.netlocs, prefix, key)
        return key


def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value


_FILTERS: dict[tuple[SiteProfile, frozenset[str]], _LinkFilter] = {}


def _filter_for(profile: SiteProfile, allowed_sites: frozenset[str]) -> _LinkFilter:
    key = (profile, allowed_sites)
    found = _FILTERS.get(key)
    if found is None:
        if len(_FILTERS) >= 16:
            _FILTERS.clear()
        found = _FILTERS[key] = _LinkFilter(profile, allowed_sites)
    return found


def _origin(url: str) -> str:
    start = url.find("//")
    end = url.find("/", start + 2) if start >= 0 else -1
    return url if end < 0 else url[: end + 1]


@lru_cache(maxsize=CACHE_SIZE)
def _normalize(base: str, href: str) -> str | None:
    return normalize_link(base, href)


@lru_cache(maxsize=CACHE_SIZE)
def _site_key(url: str) -> str:
    try:
        return site_key(url)
    except ValueError:  # a bad port: no site of ours
        return ""


@lru_cache(maxsize=CACHE_SIZE)
def _classify(profile: SiteProfile, url: str) -> str:
    return profile.classify(url).kind
