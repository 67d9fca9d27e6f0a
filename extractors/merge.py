"""Merge the records of one title's sub-pages (IMDb full credits, MAL characters & staff)."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from .records import STATUSES, TitleRecord

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
