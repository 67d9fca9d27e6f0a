"""Re-extraction's side of one merged record per title (see ``crawler/titleparts.py`` for the crawl).

A crawl keeps the latest record of each page of a MyAnimeList or IMDb title (its main page and its
sub-pages) and writes the merged record once the title's pages of that run are in. Re-extraction
reads the same pages back from the WARC in crawl order and does the same: a page whose record is the
same as the one kept for its URL (fetch metadata aside) changes nothing; otherwise it is kept, and the
title's merged record (``extractors.merge.merge_parts``) is written when a page of the title comes
again (the next crawl's round) or at the end of the input. The records kept are held compressed in
memory: a few KB per page of such titles.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator

import orjson

from extractors.merge import has_subpages, merge_parts
from extractors.records import TitleRecord, record_fingerprint, record_from_dict

logger = logging.getLogger(__name__)

class TitlePartsMerger:
    """Merges the pages of each multi-page title met in a stream of records."""

    def __init__(self) -> None:
        self._parts: dict[str, dict[str, tuple[str, bytes]]] = {}
        """record id -> page URL -> (fingerprint, compressed record JSON)."""
        self._round: dict[str, set[str]] = {}
        """record id -> pages changed since its last merged record (insertion order: first met first)."""
        self._last: dict[str, str] = {}

    @staticmethod
    def applies(record: TitleRecord) -> bool:
        return has_subpages(record)

    def add(self, record: TitleRecord) -> list[TitleRecord] | None:
        """Take one page's record; return the merged records to write now (a title's earlier round), or
        None when the page's record is the one kept for its URL already (nothing changed)."""
        rid, url = record.record_id, record.url or ""
        data = record.to_dict()
        print_ = record_fingerprint(data)
        kept = self._parts.setdefault(rid, {})
        if url in kept and kept[url][0] == print_:
            return None  # the page's record did not change: as a crawl's "unchanged"
        out: list[TitleRecord] = []
        if url in self._round.get(rid, ()):
            out.extend(self._merge(rid))
        kept[url] = (print_, zlib.compress(orjson.dumps(data), 6))
        self._round.setdefault(rid, set()).add(url)
        return out

    def finish(self) -> Iterator[TitleRecord]:
        """The merged records of every title with pages not merged yet."""
        for rid in list(self._round):
            yield from self._merge(rid)

    def _merge(self, rid: str) -> list[TitleRecord]:
        self._round.pop(rid, None)
        parts = [record_from_dict(orjson.loads(zlib.decompress(blob))) for _fp, blob in self._parts[rid].values()]
        merged = merge_parts(parts)
        print_ = record_fingerprint(merged.to_dict())
        if self._last.get(rid) == print_:
            return []
        self._last[rid] = print_
        return [merged]
