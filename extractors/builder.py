"""Accumulate one record's fields while a family extractor reads a page.

Each group of fields is read inside ``builder.field(name)``: the only place where an extractor's
exception is caught. It becomes an ``ExtractionError`` of kind ``exception`` and the field stays
empty, so one broken block never costs the rest of the page.
"""

from __future__ import annotations

import logging
from dataclasses import fields as dc_fields
from datetime import datetime
from types import TracebackType
from typing import Any

from normalize.text import clean_or_none, join_paragraphs, paragraphs

from .records import (
    Extra,
    ExtractionError,
    Release,
    Status,
    TitleRecord,
)

logger = logging.getLogger(__name__)

_TUPLE_FIELDS = frozenset(f.name for f in dc_fields(TitleRecord) if str(f.type).startswith("tuple"))
_PARAGRAPH_FIELDS = frozenset({"synopsis"})
_PRECISION_RANK = {"year": 0, "quarter": 1, "month": 2, "day": 3}


class _Bucket(list[Any]):
    """A list field's items, with a set of them for duplicate checks in constant time.

    Extractors may also ``append``/``extend``/``+=`` directly (those items are taken into the set on
    the next ``RecordBuilder.add``); replacing or removing items drops the set, which is then rebuilt
    from the items."""

    __slots__ = ("seen", "synced")

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[Any] | None = set()
        self.synced = 0
        """How many items ``seen`` has taken in (the items before are in it)."""

    def known(self) -> set[Any]:
        """The set of items, brought up to date with direct appends."""
        seen = self.seen
        if seen is None or self.synced > len(self):
            seen = self.seen = set()
            self.synced = 0
        if self.synced < len(self):
            for item in self[self.synced :]:
                try:
                    seen.add(item)
                except TypeError:  # unhashable: ``add`` compares it with the list instead
                    continue
            self.synced = len(self)
        return seen

    def _changed(self) -> None:
        self.seen = None

    def __setitem__(self, index: Any, value: Any) -> None:
        self._changed()
        super().__setitem__(index, value)

    def __delitem__(self, index: Any) -> None:
        self._changed()
        super().__delitem__(index)

    def insert(self, index: Any, value: Any) -> None:
        self._changed()
        super().insert(index, value)

    def remove(self, value: Any) -> None:
        self._changed()
        super().remove(value)

    def pop(self, index: Any = -1) -> Any:
        self._changed()
        return super().pop(index)

    def clear(self) -> None:
        self._changed()
        super().clear()


class _Lists(dict[str, list[Any]]):
    """List field name -> its bucket, made when first used (a record fills a few of its ~35 list
    fields; making every bucket up front was most of the cost of a new builder)."""

    __slots__ = ()

    def __missing__(self, name: str) -> list[Any]:
        if name not in _TUPLE_FIELDS:
            raise KeyError(name)
        bucket = self[name] = _Bucket()
        return bucket


class _FieldGuard:
    """``with builder.field(name):`` (a plain context manager: extractors enter one per block)."""

    __slots__ = ("builder", "name")

    def __init__(self, builder: RecordBuilder, name: str) -> None:
        self.builder = builder
        self.name = name

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        if exc is None or not isinstance(exc, Exception):
            return False  # no error, or KeyboardInterrupt / SystemExit: let it through
        self.builder.failed(self.name, exc)
        return True


class RecordBuilder:
    """Mutable collector of a record's values; ``build()`` freezes it into a ``TitleRecord``."""

    def __init__(self, *, site: str, url: str | None, extractor: str, extractor_version: str) -> None:
        self.site = site
        self.url = url
        self.extractor = extractor
        self.extractor_version = extractor_version
        self.values: dict[str, Any] = {}
        self.lists: dict[str, list[Any]] = _Lists()
        self.errors: list[ExtractionError] = []
        self.not_title_reason: str | None = None

    # -- scalar and list fields -------------------------------------------------------------
    def set(self, name: str, value: Any, *, overwrite: bool = False) -> None:
        """Set a scalar field; empty values are ignored, and the first value wins unless ``overwrite``."""
        if name in _TUPLE_FIELDS:
            raise ValueError(f"{name} is a list field: use add()")
        if isinstance(value, str):
            # Paragraph fields keep their blank lines; other text collapses to one line.
            value = (join_paragraphs(paragraphs(value)) or None) if name in _PARAGRAPH_FIELDS else clean_or_none(value)
        if value is None:
            return
        if overwrite or self.values.get(name) is None:
            self.values[name] = value

    def get(self, name: str) -> Any:
        if name in _TUPLE_FIELDS:
            return tuple(self.lists[name])
        return self.values.get(name)

    def add(self, name: str, *items: Any) -> None:
        """Append items to a list field, skipping empty strings and exact duplicates."""
        bucket = self.lists[name]
        if not isinstance(bucket, _Bucket):  # replaced by an extractor: make it a bucket again
            replaced = bucket
            bucket = self.lists[name] = _Bucket()
            bucket.extend(replaced)
        seen = bucket.known()
        for item in items:
            if isinstance(item, str):
                item = clean_or_none(item)
            if item is None:
                continue
            try:
                if item in seen:
                    continue
                seen.add(item)
            except TypeError:  # unhashable: compare with every item
                if item in bucket:
                    continue
            bucket.append(item)
        bucket.synced = len(bucket)

    def extra(self, label: str, value: str, group: str | None = None) -> None:
        label_c, value_c = clean_or_none(label), clean_or_none(value)
        if label_c and value_c:
            self.add("extra", Extra(label=label_c.rstrip(":"), value=value_c, group=clean_or_none(group)))

    def error(self, field: str, kind: str, message: str) -> None:
        err = ExtractionError(field=field, kind=kind, message=message)
        if err not in self.errors:
            self.errors.append(err)

    def failed(self, field: str, exc: Exception) -> None:
        """Record that extracting ``field`` raised ``exc`` (what ``with builder.field(name):`` does)."""
        logger.debug("extracting %s failed", field, exc_info=exc)
        self.error(field, "exception", f"{type(exc).__name__}: {exc}")

    def unparsed(self, field: str, raw: str, what: str = "value") -> None:
        """Record a raw value that could not be parsed (the parsed field stays None)."""
        self.error(field, "unparsed", f"could not parse {what} from {raw!r}")

    def not_title(self, reason: str) -> None:
        """Mark the page as not a title page (a person, a character, an index)."""
        self.not_title_reason = reason

    def field(self, name: str) -> _FieldGuard:
        """Run one field's extraction; an exception becomes an error of kind ``exception``."""
        return _FieldGuard(self, name)

    # -- freezing ---------------------------------------------------------------------------
    def build(
        self,
        *,
        page_id: str | None,
        content_sha256: str | None,
        fetched_at: datetime | None = None,
        input_errors: list[ExtractionError] | None = None,
        required: tuple[str, ...] = ("title",),
    ) -> TitleRecord:
        """Freeze into a record: derive first release, check required fields, set the status."""
        errors = list(input_errors or ()) + self.errors
        values: dict[str, Any] = dict(self.values)
        lists: dict[str, Any] = {k: tuple(v) for k, v in self.lists.items()}
        for name in _TUPLE_FIELDS:
            if name not in lists:
                lists[name] = ()
        status: Status
        if self.not_title_reason is not None:
            status = "not_title"
        else:
            _derive_first_release(values, lists["releases"])
            for name in required:
                present = lists[name] if name in _TUPLE_FIELDS else values.get(name)
                if not present and not any(e.field == name for e in errors):
                    errors.append(ExtractionError(field=name, kind="missing", message=f"no {name} found"))
            status = "partial" if errors else "ok"
        pid = page_id or (content_sha256 or "")[:16] or "unknown"
        lists["errors"] = tuple(errors)
        return TitleRecord(
            record_id=f"{self.site}:{pid}",
            site=self.site,
            url=self.url,
            page_id=page_id,
            fetched_at=fetched_at,
            content_sha256=content_sha256,
            extractor=self.extractor,
            extractor_version=self.extractor_version,
            status=status,
            **values,
            **lists,
        )


def _derive_first_release(values: dict[str, Any], releases: tuple[Release, ...]) -> None:
    """``first_release_date``: the earliest dated release when the page states none itself."""
    if values.get("first_release_date") or not releases:
        return
    dated = [(r.date, r) for r in releases if r.date]
    if not dated:
        return
    # Earliest date; at equal dates the more precise one wins.
    _, best = min(dated, key=lambda d: (d[0][:4], d[0], -_PRECISION_RANK.get(d[1].precision or "year", 0)))
    values["first_release_date"] = best.date
    values["first_release_precision"] = best.precision
