"""Choosing a site family for a page, and the one public entry point ``extract_title``.

A family is chosen by the URL's host, failing that by its markup (``sniff``). Each family module
defines one ``FAMILY = Family(...)``; ``FAMILY_MODULES`` lists them in sniffing order.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from .builder import RecordBuilder
from .drift import fallback_better, layout_error
from .page import Page, load_page
from .records import ExtractionError, TitleRecord

logger = logging.getLogger(__name__)

FAMILY_MODULES: tuple[str, ...] = (
    "extractors.whiskey",
    "extractors.myanimelist",
    "extractors.anidb",
    "extractors.animenewsnetwork",
    "extractors.anisearch",
    "extractors.animeplanet",
    "extractors.imdb",
    "extractors.mediawiki",
    "extractors.generic",
)
"""Family modules, most specific first. The generic fallback, when present, comes last."""


@dataclass(frozen=True, slots=True)
class Family:
    """What the registry needs to know of one site family's extractor."""

    name: str
    """``whiskey``, ``mediawiki``, ``myanimelist`` ..."""
    version: str
    """Bump when the records this family makes change; it is part of ``extractor_version``."""
    sites: dict[str, str]
    """Host suffix -> site name (``"comicvine.gamespot.com": "comicvine"``)."""
    extract: Callable[[Page, RecordBuilder], str | None]
    """Fill the builder from an HTML page; return the page id (or None)."""
    sniff: Callable[[Page], bool] = lambda page: False
    """Whether an HTML page with an unknown URL is in this family's markup."""
    extract_text: Callable[[Page, RecordBuilder], str | None] | None = None
    """Same as ``extract`` for a plain-text rendering (``page.root`` is None)."""
    sniff_text: Callable[[str], bool] = lambda text: False
    default_site: str | None = None
    """Site name when neither URL nor markup tells which of the family's sites it is."""
    site_from_page: Callable[[Page], str | None] | None = None
    """Guess the site from the page itself when the URL does not tell."""
    required: tuple[str, ...] = ("title",)
    """Fields every title page of this family yields; far fewer means the layout drifted."""
    expected: tuple[str, ...] = ()
    """Fields a typical title page of this family fills: a page filling under half of them gets a
    ``layout`` error (``extractors.drift``) and the generic fallback tries it."""
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def extractor_version(self) -> str:
        return f"{self.name}/{self.version}"

    def site_for_host(self, host: str) -> str | None:
        for suffix, site in self.sites.items():
            if host == suffix or host.endswith("." + suffix):
                return site
        return None


@cache
def families() -> tuple[Family, ...]:
    return tuple(importlib.import_module(name).FAMILY for name in FAMILY_MODULES)


def family_by_name(name: str) -> Family | None:
    for fam in families():
        if fam.name == name or name in fam.sites.values():
            return fam
    return None


def choose_family(page: Page, site: str | None = None) -> tuple[Family | None, str | None]:
    """The family and site name for a page: by explicit site, then URL host, then markup."""
    if site:
        fam = family_by_name(site)
        if fam is not None:
            return fam, (site if site in fam.sites.values() else None)
    host = page.host
    if host:
        for fam in families():
            found = fam.site_for_host(host)
            if found:
                return fam, found
    for fam in families():
        try:
            hit = fam.sniff(page) if page.is_html else fam.sniff_text(page.text)
        except Exception:  # a sniffer must never break extraction
            logger.debug("sniffer of %s failed", fam.name, exc_info=True)
            hit = False
        if hit:
            return fam, None
    return None, None


def extract_title(
    data: bytes | str,
    url: str | None = None,
    *,
    fetched_at: datetime | None = None,
    site: str | None = None,
    content_type: str | None = None,
) -> TitleRecord:
    """Extract one page's record. Pure: the same input always gives the same record; never raises
    for bad content (problems are listed in ``record.errors``)."""
    page = load_page(data, url, content_type=content_type)
    return extract_page(page, fetched_at=fetched_at, site=site)


def extract_page(page: Page, *, fetched_at: datetime | None = None, site: str | None = None) -> TitleRecord:
    fam, site_name = choose_family(page, site)
    if fam is None:
        return _unknown(page, fetched_at)
    if site_name is None and fam.site_from_page is not None:
        site_name = fam.site_from_page(page)
    site_name = site_name or fam.default_site or fam.name
    builder = RecordBuilder(
        site=site_name, url=page.url, extractor=fam.name, extractor_version=fam.extractor_version
    )
    page_id: str | None = None
    with builder.field("page"):
        if page.is_html:
            page_id = fam.extract(page, builder)
        elif fam.extract_text is not None:
            page_id = fam.extract_text(page, builder)
        else:
            builder.error("page", "input", f"{fam.name} pages cannot be read from plain text")
    record = builder.build(
        page_id=page_id,
        content_sha256=page.content_sha256,
        fetched_at=fetched_at,
        input_errors=page.errors,
        required=fam.required,
    )
    if not page.is_html or record.status == "not_title":
        return record
    drifted = layout_error(record, fam.expected)
    if drifted is not None:
        record = record.replace(errors=(*record.errors, drifted), status="partial")
    if fam.name != "generic" and (drifted is not None or not record.title):
        record = _fallback(page, fam, record, fetched_at)
    return record


def _fallback(page: Page, fam: Family, record: TitleRecord, fetched_at: datetime | None) -> TitleRecord:
    """Let the generic extractor try a page its family read too little of; keep the better record.

    The fallback's record keeps the family's site and page id (so record ids stay stable), carries
    the family's ``layout`` error and says it was made by the fallback (an error of kind
    ``fallback``)."""
    generic = next((f for f in families() if f.name == "generic"), None)
    if generic is None:
        return record
    builder = RecordBuilder(
        site=record.site, url=page.url, extractor=generic.name, extractor_version=generic.extractor_version
    )
    with builder.field("page"):
        generic.extract(page, builder)
    if builder.not_title_reason is not None:
        return record
    builder.error(
        "page", "fallback", f"the {fam.name} extractor found too little; the generic extractor made this record"
    )
    carried = [e for e in record.errors if e.kind == "layout"]
    candidate = builder.build(
        page_id=record.page_id,
        content_sha256=page.content_sha256,
        fetched_at=fetched_at,
        input_errors=[*page.errors, *carried],
        required=fam.required,
    )
    return candidate if fallback_better(candidate, record, fam.expected) else record


def _unknown(page: Page, fetched_at: datetime | None) -> TitleRecord:
    """A record for a page no family recognizes: kept, with the reason, never dropped."""
    errors = list(page.errors)
    if not any(e.kind == "input" for e in errors):
        errors.append(ExtractionError(field="page", kind="input", message="no extractor recognizes this page"))
    builder = RecordBuilder(site="unknown", url=page.url, extractor="none", extractor_version="none/0")
    return builder.build(page_id=None, content_sha256=page.content_sha256, fetched_at=fetched_at,
                         input_errors=errors, required=())
