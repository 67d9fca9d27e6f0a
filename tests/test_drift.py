"""Layout drift: a redesigned copy of a sample raises the ``layout`` alarm and the generic fallback
still gives its title, synopsis and info box; a run whose share of such pages jumps is warned of."""

from __future__ import annotations

import json
import logging
import re
from functools import cache

import pytest

from extractors import extract_title
from extractors.drift import LayoutCounter, count_layout, counts_of, drift_warnings, layout_error
from extractors.records import ExtractionError, TitleRecord
from extractors.registry import family_by_name
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "title" / "wikipedia-harbor-lights-film"
URL = json.loads((SAMPLE / "meta.json").read_text(encoding="utf-8"))["url"]

# The redesign: every class and id the MediaWiki extractor keys on is renamed ...
_RENAMES = [
    ("mw-page-title-main", "title-text"), ("firstHeading", "page-title"), ("mw-first-heading", "page-title-x"),
    ("mw-content-text", "main-text"), ("mw-parser-output", "article-body"), ("infobox-label", "fact-name"),
    ("infobox-data", "fact-value"), ("infobox-above", "fact-title"), ("infobox-caption", "fact-caption"),
    ("infobox-image", "fact-image"), ("infobox vevent", "factbox"), ("mw-normal-catlinks", "cat-list"),
    ("mw-heading", "section-heading"), ("footer-info-lastmod", "last-change"), ("interlanguage-link", "other-lang"),
    ("shortdescription", "summary-line"), ("plainlist", "stack"),
]  # fmt: skip


@cache
def original_html() -> str:
    return (SAMPLE / "page.html").read_text(encoding="utf-8")


@cache
def redesigned_html() -> str:
    html = original_html()
    for old, new in _RENAMES:
        html = html.replace(old, new)
    # ... and the info box moves from the lead to the end of the article, after the Production section.
    box = re.search(r'<table class="factbox">.*?</table>', html, re.DOTALL)
    assert box is not None
    html = html.replace(box.group(0), "")
    return html.replace('<div class="section-heading section-heading2"><h2 id="References">',
                        box.group(0) + '\n<div class="section-heading section-heading2"><h2 id="References">')  # fmt: skip


@cache
def redesigned() -> TitleRecord:
    return extract_title(redesigned_html(), URL)


def test_the_redesign_really_hides_the_family_markup() -> None:
    html = redesigned_html()
    assert "infobox" not in html
    assert "mw-content-text" not in html
    assert "firstHeading" not in html
    assert html.index('<table class="factbox">') > html.index('id="Production"')


def test_unchanged_sample_raises_no_alarm() -> None:
    r = extract_title(original_html(), URL)
    assert (r.extractor, r.status, r.errors) == ("mediawiki", "ok", ())


def test_redesigned_page_raises_the_layout_alarm() -> None:
    r = redesigned()
    layout = [e for e in r.errors if e.kind == "layout"]
    assert len(layout) == 1
    assert layout[0].field == "page"
    # Only what the page's mw.config still tells survives: the revision id and the categories' kind.
    assert layout[0].message.startswith("yields 2 of 6 fields its family always has (kind, revision_id;")
    assert "missing title, synopsis, credits, releases" in layout[0].message
    assert r.status == "partial"


def test_generic_fallback_still_gives_title_synopsis_and_info_box() -> None:
    r = redesigned()
    assert (r.extractor, r.extractor_version) == ("generic", "generic/1")
    assert [e.kind for e in r.errors if e.kind == "fallback"] == ["fallback"]
    # Identity does not change with the layout: the same record id as the original sample.
    assert (r.record_id, r.site, r.page_id) == ("wikipedia:Harbor_Lights_(2019_film)", "wikipedia",
                                                "Harbor_Lights_(2019_film)")  # fmt: skip
    assert r.title == "Harbor Lights"
    assert r.synopsis is not None
    assert r.synopsis.startswith("On a foggy island off the coast of Maine, keeper Nora Hale")
    assert [s.heading for s in r.synopsis_sections] == [None, "Plot"]
    assert ("Marta Lindqvist", ("director",)) in [(c.person, c.roles) for c in r.credits]
    assert [c.person for c in r.credits if c.roles == ("cast",)] == ["Ellen Brooks", "Samuel Oduya", "Kit Moreau"]
    assert [(rel.date, rel.region) for rel in r.releases] == [("2019-09-08", None), ("2019-10-04", "United States")]
    assert (r.runtime_minutes, r.countries, r.studios) == (112, ("United States",),
                                                           ("Lantern Point Pictures", "Gull Rock Films"))  # fmt: skip
    assert [c.character for c in r.characters] == ["Nora Hale", "Sheriff Abel Stone", "Jules Harmon"]


def test_the_family_record_is_kept_when_the_fallback_is_no_better() -> None:
    """A page that keeps its heading but loses everything else: neither extractor finds more."""
    html = "<html><body class='mediawiki'><h1 id='firstHeading'>Night Ferry</h1><p>x</p></body></html>"
    r = extract_title(html, "https://en.wikipedia.org/wiki/Night_Ferry")
    assert r.extractor == "mediawiki"
    assert [e.kind for e in r.errors] == ["layout"]


def test_layout_error_counts_filled_expected_fields() -> None:
    expected = family_by_name("mediawiki").expected  # type: ignore[union-attr]
    assert expected == ("title", "kind", "synopsis", "credits", "releases", "revision_id")
    full = TitleRecord(record_id="w:1", site="w", title="T", kind="film", synopsis="S", revision_id="1")
    assert layout_error(full, expected) is None  # 4 of 6
    thin = TitleRecord(record_id="w:1", site="w", title="T", revision_id="1")
    err = layout_error(thin, expected)
    assert err is not None
    assert err.kind == "layout"
    assert layout_error(TitleRecord(record_id="w:1", site="w", status="not_title"), expected) is None


# -- per run -------------------------------------------------------------------------------------

_LAYOUT = ExtractionError(field="page", kind="layout", message="...")


def _records(site: str, total: int, flagged: int) -> list[TitleRecord]:
    return [
        TitleRecord(record_id=f"{site}:{i}", site=site, extractor="mediawiki", errors=(_LAYOUT,) if i < flagged else ())
        for i in range(total)
    ]


def test_manifest_counts_and_the_loud_warning_on_a_redesign(caplog: pytest.LogCaptureFixture) -> None:
    """Last run read the old layout; this run gets the redesigned page back for a third of its pages."""
    previous = {"layout": count_layout([extract_title(original_html(), URL)] * 30)}
    assert previous["layout"]["wikipedia"] == {"family": "mediawiki", "pages": 30, "layout": 0, "fallback": 0}
    counter = LayoutCounter()
    for record in [extract_title(original_html(), URL)] * 20 + [redesigned()] * 10:
        counter.add(record)
    current = counter.counts()
    assert current["wikipedia"] == {"family": "mediawiki", "pages": 30, "layout": 10, "fallback": 10}
    with caplog.at_level(logging.WARNING, logger="extractors.drift"):
        warnings = drift_warnings(previous, current)
    assert warnings == [
        ("LAYOUT DRIFT on wikipedia (mediawiki): 10 of 30 pages (33%) yield far fewer fields than expected, "
        "up from 0 of 30 (0%) in the previous run; the site's markup has probably changed")
    ]
    assert warnings[0] in caplog.text


@pytest.mark.parametrize(
    ("previous", "current", "warned"),
    [
        ((100, 2), (100, 3), False),  # a point more: noise
        ((100, 2), (100, 14), True),  # +12 points and 7 times the share
        ((100, 20), (100, 31), False),  # +11 points but not twice the share
        ((100, 0), (8, 8), False),  # too few pages to tell
        (None, (40, 25), True),  # first run, most pages flagged
        (None, (40, 5), False),  # first run, a few flagged
    ],
)
def test_drift_thresholds(previous: tuple[int, int] | None, current: tuple[int, int], warned: bool) -> None:
    before = {"layout": count_layout(_records("fandom", *previous))} if previous else None
    now = count_layout(_records("fandom", *current))
    assert bool(drift_warnings(before, now)) is warned


def test_crawl_manifest_keyed_by_family_is_read_too() -> None:
    previous = {"records_by_family": {"mediawiki": 50, "whiskey": 40}, "layout_errors_per_family": {"whiskey": 1}}
    current = {"records_by_family": {"mediawiki": 50, "whiskey": 40}, "layout_errors_per_family": {"mediawiki": 30}}
    assert counts_of(current)["mediawiki"] == {"family": "mediawiki", "pages": 50, "layout": 30}
    warnings = drift_warnings(previous, current)
    assert len(warnings) == 1
    assert warnings[0].startswith("LAYOUT DRIFT on mediawiki (mediawiki): 30 of 50 pages (60%)")
    assert drift_warnings(None, {}) == []


# -- the whiskey and generic families ----------------------------------------------------------

MEMORIES = SAMPLES / "title" / "animevice-memories"
MEMORIES_URL = json.loads((MEMORIES / "meta.json").read_text(encoding="utf-8"))["url"]
_WHISKEY_RENAMES = [("wiki-", "pg-"), ("data-field", "data-key"), ("entry-title", "pg-heading"), ("credit-", "staff-")]


def test_whiskey_and_generic_families_state_their_expected_fields() -> None:
    whiskey, generic = family_by_name("whiskey"), family_by_name("generic")
    assert whiskey is not None
    assert generic is not None
    assert whiskey.expected == ("title", "deck", "synopsis", "names", "releases")
    assert generic.expected == ("title", "synopsis", "releases", "credits", "runtime_minutes", "genres")


def test_redesigned_whiskey_page_is_flagged_and_read_by_the_fallback() -> None:
    html = (MEMORIES / "page.html").read_text(encoding="utf-8")
    assert extract_title(html, MEMORIES_URL).errors == ()
    for old, new in _WHISKEY_RENAMES:
        html = html.replace(old, new)
    assert "wiki-" not in html
    assert "data-field" not in html
    r = extract_title(html, MEMORIES_URL)
    # A title item's URL without the family's markup is drift, not a "not a title" page.
    assert r.status == "partial"
    layout = [e.message for e in r.errors if e.kind == "layout"]
    assert layout == [("yields 2 of 5 fields its family always has (title, synopsis; missing deck, names, releases): "
                      "the layout may have changed")]  # fmt: skip
    assert (r.extractor, r.record_id, r.title) == ("generic", "animevice:4000-1001", "Memories")
    assert [e.kind for e in r.errors if e.kind == "fallback"] == ["fallback"]
    assert [(x.date, x.raw) for x in r.releases] == [("2004-02-24", "Feb. 24, 2004"), ("1995-12-23", "Dec. 23, 1995")]
    assert (r.runtime_minutes, r.rating) == (115, "R")


def test_whiskey_page_without_markup_at_a_non_title_url_stays_not_title() -> None:
    html = "<html><body><h1>Forum: best films</h1><p>Talk about films.</p></body></html>"
    r = extract_title(html, "https://www.animevice.com/forums/general-discussion-1/")
    assert (r.extractor, r.status) == ("whiskey", "not_title")
    assert not [e for e in r.errors if e.kind == "layout"]


def test_sparse_generic_page_is_flagged() -> None:
    """An unknown wiki's page that lost most of its info block: a heading, two rows and a paragraph."""
    sample = SAMPLES / "title" / "generic-dtdd-fansite"
    url = json.loads((sample / "meta.json").read_text(encoding="utf-8"))["url"]
    full = extract_title((sample / "page.html").read_text(encoding="utf-8"), url)
    assert full.extractor == "generic"
    assert not [e for e in full.errors if e.kind == "layout"]
    thin = extract_title(
        f"<html><head><title>{full.title}</title></head><body><article><h1>{full.title}</h1>"
        "<table><tr><th>Format</th><td>Movie</td></tr><tr><th>Studio</th><td>Kite Works</td></tr></table>"
        f"<p>{(full.synopsis or '').split(chr(10))[0]}</p></article></body></html>",
        url,
    )
    assert (thin.extractor, thin.title, thin.kind, thin.studios) == ("generic", full.title, "film", ("Kite Works",))
    assert [e.kind for e in thin.errors if e.kind == "layout"] == ["layout"]
    assert thin.status == "partial"
