"""Merge the records of one title's sub-pages (IMDb full credits, MAL characters & staff)."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from typing import Any

from .records import STATUSES, TitleRecord
from .subpages import title_page

logger = logging.getLogger(__name__)

_RANK = {status: i for i, status in enumerate(STATUSES)}


def merge_records(records: list[TitleRecord]) -> TitleRecord:
    """One record from several records of the same title; the first (main page) leads.

    Scalars: the first non-empty value wins. Lists: union in order, without duplicates. The status is
    the best any part reached (a sub-page alone is still the title); errors are kept from all parts.

    >>> from extractors.records import Credit
    >>> a = TitleRecord(record_id="x:1", site="x", title="A", credits=(Credit(person="P"),))
    >>> b = TitleRecord(record_id="x:1", site="x", title="B", episodes=3,
    ...                 credits=(Credit(person="P"), Credit(person="Q")))
    >>> m = merge_records([a, b])
    >>> (m.title, m.episodes, [c.person for c in m.credits])
    ('A', 3, ['P', 'Q'])
    """
    if not records:
        raise ValueError("merge_records needs at least one record")
    titled = [r for r in records if r.status != "not_title"] or records
    if len({r.record_id for r in titled}) > 1:
        raise ValueError(f"cannot merge different titles: {sorted({r.record_id for r in titled})}")
    first = titled[0]
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(TitleRecord):
        values = [getattr(r, f.name) for r in titled]
        if isinstance(values[0], tuple):
            merged: list[Any] = []
            for value in values:
                merged.extend(item for item in value if item not in merged)
            changes[f.name] = tuple(merged)
        else:
            changes[f.name] = next((v for v in values if v not in (None, "")), values[0])
    changes["status"] = min((r.status for r in titled), key=lambda s: _RANK[s])
    if changes["errors"] and changes["status"] == "ok":
        changes["status"] = "partial"
    return dataclasses.replace(first, **changes)


MERGED_FAMILIES = frozenset({"myanimelist", "imdb"})
"""Extractor families whose titles are read from several pages (a main page and its sub-pages)."""

def has_subpages(record: TitleRecord) -> bool:
    """Whether a record is one page of a title read from several (a MAL ``/anime/ID/...`` or IMDb
    ``/title/ttID/`` page or sub-page of its own family, by ``extractors.subpages``), whose pages are
    merged. The URL's path decides: its query string and fragment do not.

    >>> has_subpages(TitleRecord(record_id="imdb:tt1", site="imdb", extractor="imdb",
    ...                          url="https://www.imdb.com/title/tt1/releaseinfo?ref_=x"))
    True
    >>> has_subpages(TitleRecord(record_id="myanimelist:anime/1", site="x", extractor="myanimelist",
    ...                          url="http://127.0.0.1:8765/akira/"))
    False
    """
    return (
        record.extractor in MERGED_FAMILIES
        and record.status != "not_title"
        and title_page(record.url, record.extractor) is not None
    )


def is_subpage(url: str | None) -> bool:
    """Whether a URL is a title's sub-page (MAL ``/characters``, ``/moreinfo``; IMDb ``/fullcredits``,
    ``/releaseinfo``) rather than its main page, by its path (``extractors.subpages``: any query string
    and fragment are ignored).

    >>> is_subpage("https://www.imdb.com/title/tt1900123/fullcredits?ref_=tt_ov_st_sm")
    True
    >>> is_subpage("https://myanimelist.net/anime/90001/Kaze_no_Tsugi_no_Eki")
    False
    """
    page = title_page(url)
    return page is not None and page.is_subpage


def title_key(url: str | None) -> str | None:
    """The title a page of a multi-page title belongs to (``anime/90001``, ``tt1900123``), the same for
    all its pages and hosts; None for any other URL. The crawler's title key is the site plus this.

    >>> title_key("http://127.0.0.1:8000/title/tt1900123/releaseinfo/?ref_=x")
    'tt1900123'
    >>> title_key("https://myanimelist.net/people/1/X") is None
    True
    """
    page = title_page(url)
    return None if page is None else page.title


def merge_parts(parts: list[TitleRecord]) -> TitleRecord:
    """One record of a title from the latest record of each of its pages, in any order (a crawl).

    The main page leads (then the sub-pages by URL), as ``merge_records`` wants. Parts with the same
    page bytes count once. With more than one part the merged record is a version of its own: its
    ``content_sha256`` is the SHA-256 of the parts' hashes (one per line, in that order), so a changed
    sub-page makes a new version even when the main page did not change, and its ``fetched_at`` is the
    latest of the parts'. A single part is returned as it is.
    """
    if not parts:
        raise ValueError("merge_parts needs at least one record")
    ordered = sorted(parts, key=lambda r: (is_subpage(r.url), r.url or ""))
    unique: list[TitleRecord] = []
    for record in ordered:
        if record.content_sha256 is None or all(r.content_sha256 != record.content_sha256 for r in unique):
            unique.append(record)
    if len(unique) == 1:
        return unique[0]
    merged = merge_records(unique)
    digest = hashlib.sha256("\n".join(r.content_sha256 or "" for r in unique).encode("ascii")).hexdigest()
    times = [r.fetched_at for r in unique if r.fetched_at is not None]
    return dataclasses.replace(merged, content_sha256=digest, fetched_at=max(times) if times else None)
