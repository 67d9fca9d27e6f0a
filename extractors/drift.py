"""Layout drift: pages that yield far fewer fields than their family promises, counted per run.

Two parts:

- Per page (``layout_error``): each family states the fields its title pages yield
  (``Family.expected``). A title page that yields fewer than half of them gets an error of kind
  ``layout``: the site's markup has probably changed under the extractor. The registry adds it
  (and then lets the generic fallback try the page).
- Per run (``LayoutCounter``, ``drift_warnings``): a crawl counts, per site, its pages and those
  flagged ``layout`` (and those the fallback made), stores the counts in its manifest under
  ``"layout"``, and compares them with the previous run's manifest of the same site. A share of
  flagged pages that jumps (at least 10 points and at least twice the previous share) gives a loud
  warning; so does a site with half its pages flagged and no previous run to compare with.

>>> counter = LayoutCounter()
>>> from extractors.records import TitleRecord, ExtractionError
>>> bad = ExtractionError(field="page", kind="layout", message="...")
>>> for i in range(20):
...     counter.add(TitleRecord(record_id=f"wikipedia:{i}", site="wikipedia", extractor="mediawiki",
...                             errors=(bad,) if i < 8 else ()))
>>> counter.counts()["wikipedia"]
{'family': 'mediawiki', 'pages': 20, 'layout': 8, 'fallback': 0}
>>> previous = {"layout": {"wikipedia": {"family": "mediawiki", "pages": 18, "layout": 0, "fallback": 0}}}
>>> print(drift_warnings(previous, counter.counts())[0])
LAYOUT DRIFT on wikipedia (mediawiki): 8 of 20 pages (40%) yield far fewer fields than expected, up from 0 of 18 (0%) in the previous run; the site's markup has probably changed
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from .records import ExtractionError, TitleRecord

logger = logging.getLogger(__name__)

MANIFEST_KEY = "layout"
"""The key of the per-site counts in a crawl manifest (``OUTDIR/manifest.json``)."""

MIN_PAGES = 10
"""Sites with fewer pages in a run are not compared (too few to tell a trend)."""
MIN_JUMP = 0.10
"""A jump must add at least this share of the pages ..."""
MIN_FACTOR = 2.0
"""... and at least double the previous share."""
ALARM_SHARE = 0.5
"""Without a previous run, warn when at least this share of a site's pages is flagged."""

_DEFAULT_EXPECTED = ("title", "synopsis", "releases", "credits", "kind")


def filled(record: TitleRecord, fields: Iterable[str]) -> list[str]:
    """The fields among ``fields`` that the record fills (non-empty)."""
    out = []
    for name in fields:
        value = getattr(record, name, None)
        if value not in (None, "", (), []):
            out.append(name)
    return out


def layout_error(record: TitleRecord, expected: tuple[str, ...]) -> ExtractionError | None:
    """A ``layout`` error when a title record fills fewer than half of ``expected``; else None.

    >>> rec = TitleRecord(record_id="w:1", site="w", title="Akira", revision_id="1")
    >>> layout_error(rec, ("title", "kind", "synopsis", "credits", "releases", "revision_id")).message
    'yields 2 of 6 fields its family always has (title, revision_id; missing kind, synopsis, credits, releases): the layout may have changed'
    >>> layout_error(rec, ()) is None
    True
    """
    if not expected or record.status == "not_title":
        return None
    present = filled(record, expected)
    if len(present) * 2 >= len(expected):
        return None
    missing = [name for name in expected if name not in present]
    return ExtractionError(
        field="page",
        kind="layout",
        message=(
            f"yields {len(present)} of {len(expected)} fields its family always has ({', '.join(present) or 'none'}; "
            f"missing {', '.join(missing)}): the layout may have changed"
        ),
    )


def fallback_better(candidate: TitleRecord, current: TitleRecord, expected: tuple[str, ...]) -> bool:
    """Whether the generic fallback's record fills more of the family's fields than the family's own."""
    fields = expected or _DEFAULT_EXPECTED
    if candidate.title and not current.title:
        return True
    return len(filled(candidate, fields)) > len(filled(current, fields))


# -- per run ------------------------------------------------------------------------------------


class LayoutCounter:
    """Counts, per site, the pages of a run and those flagged ``layout`` or made by the fallback."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, Any]] = {}

    def add(self, record: TitleRecord) -> None:
        site = record.site
        entry = self._counts.get(site)
        if entry is None:
            entry = {"family": _family_of(record), "pages": 0, "layout": 0, "fallback": 0}
            self._counts[site] = entry
        entry["pages"] += 1
        kinds = {e.kind for e in record.errors}
        if "layout" in kinds:
            entry["layout"] += 1
        if "fallback" in kinds:
            entry["fallback"] += 1

    def counts(self) -> dict[str, dict[str, Any]]:
        """``{site: {"family", "pages", "layout", "fallback"}}``, JSON-ready."""
        return {site: dict(entry) for site, entry in sorted(self._counts.items())}


def count_layout(records: Iterable[TitleRecord]) -> dict[str, dict[str, Any]]:
    counter = LayoutCounter()
    for record in records:
        counter.add(record)
    return counter.counts()


def _family_of(record: TitleRecord) -> str:
    from .registry import family_by_name  # late: the registry imports this module

    try:
        fam = family_by_name(record.site)
    except Exception:  # a broken family module must not stop the count
        logger.debug("no family for site %s", record.site, exc_info=True)
        fam = None
    return fam.name if fam is not None else (record.extractor or "unknown")


def _share(entry: Mapping[str, Any]) -> tuple[int, int, float]:
    pages = int(entry.get("pages") or 0)
    flagged = int(entry.get("layout") or 0)
    return pages, flagged, (flagged / pages if pages else 0.0)


def counts_of(data: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """Per-key counts ``{key: {"family", "pages", "layout"}}`` from whatever a run stored.

    Reads a manifest's ``"layout"`` counts (``LayoutCounter.counts()``, keyed by site), a crawl
    manifest's ``records_by_family`` + ``layout_errors_per_family`` (keyed by family), or a bare
    counts mapping.

    >>> counts_of({"records_by_family": {"mediawiki": 40}, "layout_errors_per_family": {"mediawiki": 3}})
    {'mediawiki': {'family': 'mediawiki', 'pages': 40, 'layout': 3}}
    """
    if not data:
        return {}
    inner = data.get(MANIFEST_KEY)
    if isinstance(inner, Mapping):
        return {str(k): v for k, v in inner.items() if isinstance(v, Mapping)}
    if isinstance(data.get("records_by_family"), Mapping):
        pages = data["records_by_family"]
        layout = data.get("layout_errors_per_family") or {}
        return {
            str(fam): {"family": fam, "pages": int(n or 0), "layout": int(layout.get(fam) or 0)}
            for fam, n in pages.items()
        }
    return {str(k): v for k, v in data.items() if isinstance(v, Mapping)}


def drift_warnings(previous_manifest: Mapping[str, Any] | None, current_counts: Mapping[str, Any]) -> list[str]:
    """Loud warnings for sites (or families) whose share of layout-flagged pages jumped since the
    previous run.

    ``previous_manifest`` is the previous run's manifest, or None for a first run;
    ``current_counts`` is this run's ``LayoutCounter.counts()`` or this run's manifest. Both are
    read by ``counts_of``, so a crawl manifest keyed by family works as well as counts keyed by
    site. Each warning is also logged at WARNING level.
    """
    previous = counts_of(previous_manifest)
    warnings: list[str] = []
    for site, entry in sorted(counts_of(current_counts).items()):
        if not isinstance(entry, Mapping):
            continue
        pages, flagged, share = _share(entry)
        if pages < MIN_PAGES or flagged == 0:
            continue
        family = entry.get("family") or "?"
        before = previous.get(site)
        if isinstance(before, Mapping) and int(before.get("pages") or 0) > 0:
            old_pages, old_flagged, old_share = _share(before)
            if share - old_share >= MIN_JUMP and share >= MIN_FACTOR * old_share:
                warnings.append(
                    f"LAYOUT DRIFT on {site} ({family}): {flagged} of {pages} pages ({share:.0%}) yield far "
                    f"fewer fields than expected, up from {old_flagged} of {old_pages} ({old_share:.0%}) in the "
                    "previous run; the site's markup has probably changed"
                )
        elif share >= ALARM_SHARE:
            warnings.append(
                f"LAYOUT DRIFT on {site} ({family}): {flagged} of {pages} pages ({share:.0%}) yield far fewer "
                "fields than expected (no previous run to compare with); the site's markup may have changed"
            )
    for message in warnings:
        logger.warning("%s", message)
    return warnings
