"""The one sink: every URL's ``PageItem`` becomes exactly one outcome, recorded once.

``RecordSinkPipeline`` compares each fetched page with the state store and decides:

- ``record``: a title page that is new or whose record changed; appended to ``OUTDIR/records.jsonl``
  and passed on to feed exports (``scrapy crawl wiki -O out.jsonl``) as the record's JSON dict;
- ``unchanged``: a 304, or a page whose record (or, for other pages, whose bytes) did not change;
- ``not_title``: a page that is no title (index, person, character ...);
- ``failure``: written to ``OUTDIR/failures.jsonl`` at the end of the run.

Only records go on to feeds; the other outcomes end here (dropped quietly, at DEBUG level). At the end
of the run it writes ``failures.jsonl``, the Parquet dataset (when ``exports.dataset`` is present) and
the run manifest (``crawler/manifest.py``).
"""

from __future__ import annotations

import gc
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Self

import orjson
from scrapy import signals
from scrapy.exceptions import DropItem

from extractors.records import record_fingerprint

from .items import PageItem
from .manifest import finish_run
from .pageworker import RecordSummary
from .session import CrawlSession, iso, session_for
from .state import Outcome, OutcomeKind, PageState
from .titleparts import TitleParts

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


logger = logging.getLogger(__name__)

GC_SETTING = "TITLECRAWL_GC_TUNE"
GC_THRESHOLDS = (50_000, 20, 20)
"""Young-generation threshold of the crawl process: Scrapy allocates thousands of containers per page,
so Python's default (700) ran a collection every few dozen requests (a tenth of the crawl process's CPU)."""


class QuietGC:
    """Fewer garbage collections in the crawl process while a spider runs (``TITLECRAWL_GC_TUNE``).

    ``start()`` moves everything alive at start-up (modules, settings, Scrapy's machinery) out of the
    collector's sight (``gc.freeze``) and raises the young-generation threshold; when the last running
    crawl of the process calls ``stop()``, both are restored, so a process that runs several crawls
    (tests, ``titlecrawl crawl`` with several start URLs) is left as it was.
    """

    _running = 0
    _saved: tuple[int, int, int] = gc.get_threshold()

    def __init__(self) -> None:
        self.started = False

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        if QuietGC._running == 0:
            QuietGC._saved = gc.get_threshold()
            gc.collect()
            gc.freeze()
            gc.set_threshold(*GC_THRESHOLDS)
        QuietGC._running += 1

    def stop(self) -> None:
        if not self.started:
            return
        self.started = False
        QuietGC._running -= 1
        if QuietGC._running == 0:
            gc.set_threshold(*QuietGC._saved)
            gc.unfreeze()


def _record_parts(item: PageItem) -> tuple[RecordSummary, bytes, dict[str, Any]]:
    """An item's record as (summary, JSON line, dict), from a worker's JSON line or a record object."""
    if item.record_summary is not None and item.record_json is not None:
        data = item.record_data if item.record_data is not None else orjson.loads(item.record_json)
        return item.record_summary, item.record_json, data
    if item.record is None:
        raise ValueError(f"no record for {item.final_url}")
    data = item.record_data if item.record_data is not None else item.record.to_dict()
    return RecordSummary.of(item.record), orjson.dumps(data), data


class RecordSinkPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.session: CrawlSession = session_for(crawler)
        if crawler.stats is None:
            raise RuntimeError("the crawler has no stats collector")
        self.stats: StatsCollector = crawler.stats
        self.gc = QuietGC() if crawler.settings.getbool(GC_SETTING, True) else None
        self.parts = TitleParts(self.session)
        """Sub-pages of one title (MAL, IMDb) merged into one record per title."""
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        self.session.open()
        if self.gc is not None:
            self.gc.start()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        outcome, data = self.settle(item)
        if outcome != "duplicate":
            data = self.parts.settled(item.final_url, item.links) or data
        store = self.session.store
        if store is not None:
            store.maybe_commit()
        if data is not None:
            return data
        raise DropItem(f"{outcome}: {item.final_url}", log_level="DEBUG")

    # -- deciding the outcome --------------------------------------------------------------
    def settle(self, item: PageItem) -> tuple[str, dict[str, Any] | None]:
        store, job = self.session.require()
        key = item.final_url
        if key != item.url:
            store.redirect(job, item.url, key)
            self.stats.inc_value("titlecrawl/redirects")
        if store.state_of(job, key) in ("done", "redirect"):
            return "duplicate", None  # this URL has its outcome already (reached twice, or replayed)
        if item.outcome == "failure":
            self.finish(Outcome(url=key, outcome="failure", http_status=item.http_status, reason=item.reason,
                                fetched_at=iso(item.fetched_at)))
            logger.info("failed: %s (%s)", key, item.reason)
            return "failure", None
        prev = store.get(key)
        now = iso(item.fetched_at)
        if item.outcome == "unchanged":
            self.finish(Outcome(url=key, outcome="unchanged", http_status=item.http_status, reason=item.reason,
                                fetched_at=now, record_id=prev.record_id if prev else None))
            if prev is not None:  # no HTTP status: settled by its sitemap lastmod, without a request
                fetched = now if item.http_status is not None else (prev.last_fetched or prev.last_seen)
                store.put(replace(prev, last_seen=now, last_fetched=fetched, etag=item.etag or prev.etag,
                                  last_modified=item.last_modified or prev.last_modified))
            return "unchanged", None
        if item.outcome == "record" and (item.record_summary is not None or item.record is not None):
            return self.settle_record(item, prev, now)
        unchanged = prev is not None and prev.record_id is None and prev.content_sha256 == item.content_sha256
        kind: OutcomeKind = "unchanged" if unchanged else "not_title"
        self.finish(Outcome(url=key, outcome=kind, http_status=item.http_status, reason=item.reason, fetched_at=now))
        store.put(PageState(
            url=key, etag=item.etag, last_modified=item.last_modified, content_sha256=item.content_sha256,
            first_seen=prev.first_seen if prev else now, last_seen=now,
            last_changed=prev.last_changed if (prev and unchanged) else now, links=item.links, last_fetched=now,
        ))  # fmt: skip
        return kind, None

    def settle_record(self, item: PageItem, prev: PageState | None, now: str) -> tuple[str, dict[str, Any] | None]:
        store, _job = self.session.require()
        key = item.final_url
        record, line, data = _record_parts(item)
        fingerprint = item.record_fingerprint or record_fingerprint(data)
        part_of = self.parts.key_for_record(key, record)  # a title read from several pages: merged
        state = PageState(
            url=key, etag=item.etag, last_modified=item.last_modified, content_sha256=item.content_sha256,
            record_sha256=fingerprint, record_id=record.record_id, extractor_version=record.extractor_version,
            first_seen=prev.first_seen if prev else now, last_seen=now, last_changed=now, links=item.links,
            last_fetched=now,
        )  # fmt: skip
        if prev is not None and prev.record_sha256 == fingerprint:
            self.finish(Outcome(url=key, outcome="unchanged", http_status=item.http_status, fetched_at=now,
                                record_id=record.record_id))
            store.put(replace(state, last_changed=prev.last_changed))
            if part_of is not None:
                self.parts.ensure(part_of, key, line)
            return "unchanged", None
        change = "changed" if prev is not None and prev.record_id else "new"
        if part_of is not None:
            self.parts.put(part_of, key, line)  # the title's merged record is written once its pages are in
        elif self.session.journal is not None:
            self.session.journal.append(line)
        errors = record.errors
        if not self.finish(Outcome(
            url=key, outcome="record", http_status=item.http_status, fetched_at=now, record_id=record.record_id,
            record_status=record.status, family=record.extractor, errors=errors, change=change,
        )):  # fmt: skip
            if self.session.journal is not None and part_of is None:  # another worker ended it meanwhile (Redis)
                self.session.journal.undo(line)
            return "duplicate", None
        store.put(state)
        if errors:
            fields = sorted({f for f, _k in errors})
            logger.warning("partial record %s: errors in %s", key, ", ".join(fields))
            for field in fields:
                self.stats.inc_value(f"titlecrawl/errors/{field}")
            self.stats.inc_value("titlecrawl/extraction_errors", len(errors))
        self.stats.inc_value(f"titlecrawl/change/{change}")
        return "record", None if part_of is not None else data

    def finish(self, outcome: Outcome) -> bool:
        store, job = self.session.require()
        if store.finish(job, outcome):
            self.session.ended_here += 1
            self.stats.inc_value(f"titlecrawl/outcome/{outcome.outcome}")
            return True
        return False

    # -- end of run ------------------------------------------------------------------------
    def close_spider(self) -> None:
        if self.session.store is not None:
            if self.session.opened and (flushed := self.parts.flush()):
                logger.info("wrote %d merged title records at the end of the crawl", flushed)
            self.session.store.commit()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.gc is not None:
            self.gc.stop()
        if not self.session.opened:
            return
        try:
            self.session.result = finish_run(self.session, self.stats.get_stats(), reason)
        finally:
            self.session.close()


__all__ = ["RecordSinkPipeline", "record_fingerprint"]  # record_fingerprint: re-exported (it lives in extractors.records)
