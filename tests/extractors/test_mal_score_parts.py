"""``myanimelist._score_parts`` (one walk) finds what the three XPaths it replaced found, for every
label row of every MyAnimeList page (samples and real pages) and on generated rows."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from extractors.myanimelist import _BEST, _RATING_COUNT, _RATING_VALUE, _score_parts
from extractors.page import load_page
from tests.conftest import page_id, title_pages


def reference(row: etree._Element) -> tuple[object, object, str | None]:
    value = _RATING_VALUE(row)
    count = _RATING_COUNT(row)
    best = _BEST(row)
    return (value[0] if value else None, count[0] if count else None, str(best[0]) if best else None)


def assert_same(got: tuple[object, object, str | None], want: tuple[object, object, str | None]) -> None:
    assert got[0] is want[0]
    assert got[1] is want[1]
    assert got[2] == want[2]


def check(root: etree._Element) -> int:
    checked = 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert_same(_score_parts(el), reference(el))
        checked += 1
    return checked



@pytest.mark.parametrize("path", title_pages("myanimelist"), ids=page_id)
def test_same_parts_for_every_element_of_every_mal_page(path: Path) -> None:
    page = load_page(path.read_bytes(), None)
    assert page.root is not None
    root = page.root
    for span in root.iter("span"):  # the rows the extractor asks about: every label's parent
        if "dark_text" in (span.get("class") or ""):
            parent = span.getparent()
            if parent is not None:
                assert_same(_score_parts(parent), reference(parent))


def test_generated_rows() -> None:
    html = (
        "<html><body>"
        '<div id="a"><span itemprop="ratingValue">8.1</span><span itemprop="ratingValue">9</span>'
        '<meta itemprop="bestRating"><meta itemprop="bestRating" content="">'
        '<span itemprop="bestRating" content="7"></span><meta itemprop="bestRating" content="10"></div>'
        '<div id="b"><meta itemprop="bestRating" content="10"><i><b itemprop="ratingCount">1,2</b></i>'
        '<!-- c --><em itemprop="ratingValue">x</em><span itemprop="ratingCount">3</span></div>'
        '<div id="c"><span itemprop="ratingvalue">1</span><span itemprop=" ratingValue">2</span></div>'
        '<div id="d"></div>'
        '<div id="e"><span itemprop="bestRating" content="5"></span><meta itemprop="bestRating" content="10"></div>'
        "</body></html>"
    )
    root = lxml.html.document_fromstring(html)
    assert check(root) > 5
    assert _score_parts(root.get_element_by_id("a"))[2] == ""
    assert _score_parts(root.get_element_by_id("b"))[2] == "10"
    assert _score_parts(root.get_element_by_id("e"))[2] == "10"  # only a meta's content counts
