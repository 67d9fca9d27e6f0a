"""``mediawiki.Marks`` (id table + one attribute scan) finds what the element scan it replaced found."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml.html import HtmlElement

from extractors.mediawiki import _MARK_CLASSES, _MARK_ID_SET, Marks
from extractors.page import Page, load_page
from tests.conftest import page_id, title_pages


def reference(page: Page) -> tuple[dict[str, HtmlElement], dict[str, list[HtmlElement]], list[HtmlElement]]:
    """The landmarks as the former one-query pass over every element with an id or a class found them."""
    ids: dict[str, HtmlElement] = {}
    classes: dict[str, list[HtmlElement]] = {c: [] for c in _MARK_CLASSES}
    lang_links: list[HtmlElement] = []
    for el in page.xpath("descendant::*[@id or @class or @data-tracking-label]"):
        el_id = el.get("id")
        if el_id is not None and el_id in _MARK_ID_SET and el_id not in ids:
            ids[el_id] = el
        value = el.get("class")
        if value:
            for token in value.split():
                if token in classes:
                    classes[token].append(el)
        label = el.get("data-tracking-label")
        if label is not None and label.startswith("lang-"):
            lang_links.append(el)
    return ids, classes, lang_links


def check(page: Page) -> None:
    ids, classes, lang_links = reference(page)
    marks = Marks(page)
    assert marks.ids.keys() == ids.keys()
    assert all(marks.ids[k] is ids[k] for k in ids)
    assert marks.classes.keys() == classes.keys()
    for name, found in classes.items():
        assert len(marks.classes[name]) == len(found), name
        assert all(a is b for a, b in zip(marks.classes[name], found, strict=True)), name
    assert len(marks.lang_links) == len(lang_links)
    assert all(a is b for a, b in zip(marks.lang_links, lang_links, strict=True))



@pytest.mark.parametrize("path", title_pages(), ids=page_id)
def test_same_landmarks_on_every_page(path: Path) -> None:
    check(load_page(path.read_bytes(), None))


@pytest.mark.parametrize(
    "html",
    [
        # duplicate ids: the first in document order
        '<div id="bodyContent">1</div><p id="bodyContent" class="mw-parser-output">2</p>',
        # a class named twice on one element is listed twice (as before)
        '<div class="gallerybox gallerybox x">1</div><li class=" interlanguage-link\tfoo">2</li>',
        # the root element itself is not among its descendants
        ('<html id="mw-content-text" class="mw-parser-output"><body><div id="mw-content-text">x</div>'
        '<div class="mw-parser-output" data-tracking-label="lang-de">y</div></body></html>'),
        '<html id="firstHeading"><body><h1 id="firstHeading" class="firstHeading">T</h1></body></html>',
        # character references in ids, classes and labels
        '<div id="&#100;isambig" class="&#112;ortable-infobox">x</div><a data-tracking-label="lang&#45;fr">f</a>',
        '<div id=" disambig">not the id</div><a data-tracking-label="LANG-de">no</a><a data-tracking-label="">e</a>',
    ],
)
def test_edge_cases(html: str) -> None:
    page = load_page(html.encode(), None)
    check(page)


def test_root_id_case_still_finds_the_element_below() -> None:
    page = load_page(b'<html id="firstHeading"><body><h1 id="firstHeading">T</h1></body></html>', None)
    found = Marks(page).id("firstHeading")
    assert found is not None
    assert found.tag == "h1"
