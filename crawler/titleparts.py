"""One merged record per title for sites whose titles span several pages (MAL, IMDb sub-pages).

A MyAnimeList title's ``/characters`` and ``/moreinfo`` pages, and an IMDb title's ``/fullcredits``
and ``/releaseinfo``, carry the record id of the title's main page. Written as they come, each would be
a "version" of that record holding a part of it. Instead, for a profile with ``parts``:

- each page's latest record is kept in the state store (``put_part``), in the same commit as the
  page's outcome and state; the page's own outcome is as usual (``record`` when its part is new or
  changed, else ``unchanged``), so ``seen = record + unchanged + not_title + failure`` still holds;
- once no other page of the title is pending in the job (the pages any page of it linked to, and those
  kept from earlier runs), the parts are merged (``extractors.merge.merge_parts``: main page first) and the
  merged record is appended to the records journal as the title's new version, in the same commit;
  a merged record equal to the last one written (fetch metadata aside) is not written again;
- at the end of a crawl, titles still waiting (a sub-page that redirected to a page already done)
  are written; an interrupted resumable job leaves them to its next session.

The ledger and the parts share one SQLite commit, so ``kill -9`` at any point loses nothing and writes
nothing twice. Stores without ``put_part`` (Redis) keep the old behaviour: one version per page.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import orjson

from extractors.merge import MERGED_FAMILIES, merge_parts
from extractors.records import record_fingerprint, record_from_dict

if TYPE_CHECKING:
    from collections.abc import Iterable

    from extractors.records import TitleRecord

    from .pageworker import RecordSummary
    from .session import CrawlSession

logger = logging.getLogger(__name__)


class TitleParts:
    """The merge of title sub-pages for one crawl session (used by the sink pipeline)."""

    def __init__(self, session: CrawlSession) -> None:
        self.session = session
        self.written = 0
        """Merged records written by this process."""

    def _store(self) -> Any | None:
        store = self.session.store
        return store if store is not None and hasattr(store, "put_part") else None

    def key(self, url: str) -> str | None:
        """The title key of a page whose records are merged, else None."""
        profile = self.session.profile
        if profile is None or profile.parts is None or self._store() is None:
            return None  # most crawls: one record per page
        return profile.title_key(url)

    def key_for_record(self, url: str, record: TitleRecord | RecordSummary) -> str | None:
        return self.key(url) if record.extractor in MERGED_FAMILIES and record.status != "not_title" else None

    def put(self, key: str, url: str, line: bytes) -> None:
        store = self._store()
        if store is not None:
            store.put_part(url, key, line)

    def ensure(self, key: str, url: str, line: bytes) -> None:
        """An unchanged page whose part (its record's JSON line) is not kept yet (state from before merging
        existed): keep it."""
        store = self._store()
        if store is not None and not store.has_part(url):
            store.put_part(url, key, line)

    def settled(self, url: str, links: Iterable[str] = ()) -> dict[str, Any] | None:
        """A page of a title has its outcome: write the title's merged record when none of its pages is
        pending any more and one of them changed. Returns the record written (for feeds), or None."""
        key = self.key(url)
        store = self._store()
        if key is None or store is None:
            return None
        dirty, _merged = store.title_state(key)
        if not dirty:
            return None
        _store, job = self.session.require()
        profile = self.session.profile
        assert profile is not None  # noqa: S101 - key() checked it
        linked = {link for link in links if profile.title_key(link) == key}
        if linked:  # remembered: a page settled later may not link them (IMDb's sub-pages link only back)
            store.note_title_links(key, sorted(linked))
        siblings = linked | set(store.part_urls(key)) | set(store.title_link_urls(key))
        siblings.discard(url)
        if any(store.state_of(job, s) == "pending" for s in sorted(siblings)):
            return None  # the last of them writes the title
        return self.write(key)

    def write(self, key: str) -> dict[str, Any] | None:
        """Merge the title's parts and append the merged record to the journal (unless it is the same as
        the last one written); the title is no longer dirty either way."""
        store = self._store()
        if store is None:
            return None
        records = [record_from_dict(orjson.loads(blob)) for _url, blob in store.parts(key)]
        if not records:
            store.title_merged(key, None)
            return None
        by_id: dict[str, list[TitleRecord]] = {}
        for record in records:
            by_id.setdefault(record.record_id, []).append(record)
        if len(by_id) > 1:  # not expected: the title key and the record id come from the same URL part
            logger.warning("pages of %s have several record ids: %s", key, ", ".join(sorted(by_id)))
        group = max(by_id.values(), key=len)
        data = merge_parts(group).to_dict()
        fingerprint = record_fingerprint(data)
        _dirty, previous = store.title_state(key)
        store.title_merged(key, fingerprint)
        if fingerprint == previous:
            return None
        journal = self.session.journal
        if journal is not None:
            journal.append(orjson.dumps(data))
        self.written += 1
        return data

    def flush(self) -> int:
        """Write every title still waiting; at the end of a crawl (see the module doc)."""
        store = self._store()
        if store is None:
            return 0
        _store, job = self.session.require()
        if job.resumable and store.ledger_counts(job).get("pending", 0):
            return 0  # the next session of this job settles the rest and writes them
        count = 0
        for key in store.dirty_titles():
            if self.write(key) is not None:
                count += 1
        return count
