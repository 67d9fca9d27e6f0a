"""What the spider hands to the sink pipeline for every URL it is done with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractors.records import TitleRecord

    from .pageworker import RecordSummary
    from .state import OutcomeKind


@dataclass(slots=True, kw_only=True)
class PageItem:
    """One URL's result as fetched. The sink pipeline turns it into exactly one outcome.

    ``outcome`` is what the spider saw: ``record`` (a title page was extracted; the sink may still
    find it ``unchanged``), ``not_title``, ``unchanged`` (a 304) or ``failure``.
    """

    url: str
    """The URL as the crawl accepted it (before redirects)."""
    final_url: str
    """The URL that answered (after redirects)."""
    outcome: OutcomeKind
    fetched_at: datetime
    http_status: int | None = None
    reason: str | None = None
    record: TitleRecord | None = None
    """The record, when the spider has the object (an extraction worker sends ``record_json`` and
    ``record_summary`` instead)."""
    record_data: dict[str, Any] | None = None
    """``record.to_dict()`` when it was made already."""
    record_json: bytes | None = None
    """The record's JSON line (``orjson.dumps(record.to_dict())``), as an extraction worker sends it."""
    record_summary: RecordSummary | None = None
    record_fingerprint: str | None = None
    content_sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    links: tuple[str, ...] = ()
    """The page's links that the profile follows (kept in the state for 304 answers)."""
