"""A Scrapy feed exporter writing items as one Parquet file of the ``titles`` table.

Register it in the crawler's settings so that ``scrapy crawl wiki ... -O out.parquet`` works::

    FEED_EXPORTERS = {"parquet": "exports.feed.ParquetItemExporter"}

Items are ``TitleRecord`` objects or dicts in the record's ``to_dict()`` form. Scrapy's batch
settings work as for any format (``FEED_EXPORT_BATCH_ITEM_COUNT`` with ``%(batch_id)d`` in the
URI: one complete Parquet file per batch). Rows reach the file in row groups of ``batch_size``
items (``FEEDS = {"out.parquet": {"format": "parquet", "item_export_kwargs": {"batch_size": 5000}}}``);
``"compression": "snappy"`` there chooses another codec than zstd.
Parquet files cannot be appended to: use ``-O`` (overwrite), not ``-o``, for an existing file.
"""

from __future__ import annotations

import logging
from typing import IO, Any

import pyarrow.parquet as pq
from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter

from extractors.records import TitleRecord, record_from_dict

from .parquet import COMPRESSION, TitleBatch, writer_options
from .schemas import TITLES, with_metadata

logger = logging.getLogger(__name__)


def as_record(item: Any) -> TitleRecord | None:
    """The record an item stands for, or None when it is not one (logged)."""
    if isinstance(item, TitleRecord):
        return item
    try:
        data = ItemAdapter(item).asdict()
    except TypeError:
        data = None
    if not isinstance(data, dict) or not data.get("record_id") or not data.get("site"):
        logger.warning("parquet feed: skipping an item that is not a title record: %.200r", item)
        return None
    try:
        return record_from_dict(data)
    except (TypeError, ValueError) as exc:
        logger.warning("parquet feed: skipping item %s: %s", data.get("record_id"), exc)
        return None


class ParquetItemExporter(BaseItemExporter):
    """Items to Parquet (the dataset's ``titles`` schema, ``run_id`` null) on Scrapy's feed file."""

    def __init__(
        self, file: IO[bytes], *, batch_size: int = 10_000, compression: str = COMPRESSION, **kwargs: Any
    ) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.options = writer_options("titles", compression)  # an unknown codec is refused here
        if self.fields_to_export:
            logger.warning("parquet feed: FEED_EXPORT_FIELDS is ignored, the titles schema is fixed")
        self.file = file
        self.batch_size = max(1, int(batch_size))
        self.count = 0
        self.skipped = 0
        self._batch = TitleBatch()
        self._writer: pq.ParquetWriter | None = None

    def start_exporting(self) -> None:
        try:
            position = self.file.tell()
        except (OSError, AttributeError, ValueError):
            position = 0
        if position:
            raise ValueError(
                "a Parquet feed cannot be appended to an existing file: overwrite it (scrapy -O, "
                'or "overwrite": True in FEEDS)'
            )
        self._writer = pq.ParquetWriter(self.file, with_metadata(TITLES, "titles"), **self.options)

    def export_item(self, item: Any) -> None:
        record = as_record(item)
        if record is None:
            self.skipped += 1
            return
        try:
            self._batch.add(record)
        except ValueError as exc:
            self.skipped += 1
            logger.warning("parquet feed: skipping an item: %s", exc)
            return
        self.count += 1
        if len(self._batch) >= self.batch_size:
            self._flush()

    def finish_exporting(self) -> None:
        if self._writer is None:
            return
        self._flush()
        self._writer.close()
        self._writer = None
        if self.skipped:
            logger.warning("parquet feed: %d item(s) were not title records and were skipped", self.skipped)

    def _flush(self) -> None:
        if self._writer is not None and len(self._batch):
            self._writer.write_table(self._batch.titles_table())
            self._batch.clear()
