"""``mediawiki.Marks`` (id table; class values counted, then found by a walk over the elements they
usually sit on, the count proving it complete) finds what the element scan it replaced found."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml.html import HtmlElement

from extractors.mediawiki import _MARK_CLASS_TAGS, _MARK_CLASSES, _MARK_ID_SET, Marks
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
        if label is not None and label.startswith("lang-") and el.tag == "a":  # the links of the language menu
            lang_links.append(el)
    return ids, classes, lang_links


def check(page: Page) -> None:
    ids, classes, lang_links = reference(page)
    marks = Marks(page)
    assert marks.ids.keys() == ids.keys()
    assert all(marks.ids[k] is ids[k] for k in ids)
    for name, found in classes.items():
        assert len(marks.cls(name)) == len(found), name
        assert all(a is b for a, b in zip(marks.cls(name), found, strict=True)), name
        for tag in ("div", "li"):
            of_tag = [el for el in found if el.tag == tag]
            assert len(marks.cls(name, tag)) == len(of_tag), (name, tag)
            assert all(a is b for a, b in zip(marks.cls(name, tag), of_tag, strict=True)), (name, tag)
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
        '<span data-tracking-label="lang-de">not a link</span><a data-tracking-label="lang-fr" href="/fr/wiki/X">fr</a>',
        # landmark classes on other elements than the skins use: the walk misses them, the count sees it
        '<span class="mw-parser-output">1</span><div class="mw-parser-output">2</div><p class="portable-infobox">3</p>',
        '<div class="gallerybox">1</div><li class="gallerybox">2</li><aside class="portable-infobox">3</aside>',
        '<nav class="page-header__categories">a</nav><div class="page-footer__categories">b</div>',
        # one class value on many elements (counted once per element), some of them not walked
        '<div class="gallerybox x">1</div><div class="gallerybox x">2</div><li class="gallerybox x">3</li>',
        # a class name inside a longer token, or next to a newline, tab or other white space
        '<div class="xmw-parser-output mw-parser-outputs">1</div><div class="a\nmw-parser-output\tb">2</div>',
        '<div class="mw-parser-output\u00a0x">1</div><div class="\u2003mw-parser-output">2</div>',
        # the walk stops when every class is found: later ones are not missed
        '<div class="mw-parser-output"><div class="mw-parser-output">x</div></div><h1 class="firstHeading">T</h1>',
    ],
)
def test_edge_cases(html: str) -> None:
    page = load_page(html.encode(), None)
    check(page)


def test_every_class_has_a_walk_tag() -> None:
    assert set(_MARK_CLASS_TAGS) == set(_MARK_CLASSES)


@pytest.mark.parametrize("name", _MARK_CLASSES)
def test_each_class_asked_first(name: str) -> None:
    """A class asked first (before any other) is found as the reference finds it."""
    html = (
        '<html><body><div class="mw-parser-output"><aside class="portable-infobox">i</aside>'
        '<span class="shortdescription">s</span><ul><li class="gallerybox">g</li></ul></div>'
        '<h1 class="firstHeading page-header__title">T</h1><ul><li class="interlanguage-link">de</li></ul>'
        '<table class="dmbox-disambig"><tr><td>d</td></tr></table>'
        '<div class="wikia-gallery-item page-header__categories page-footer__categories">c</div></body></html>'
    )
    page = load_page(html.encode(), None)
    _ids, classes, _lang_links = reference(page)
    found = Marks(page).cls(name)
    assert len(found) == len(classes[name]) == 1
    assert found[0] is classes[name][0]


def test_root_id_case_still_finds_the_element_below() -> None:
    page = load_page(b'<html id="firstHeading"><body><h1 id="firstHeading">T</h1></body></html>', None)
    found = Marks(page).id("firstHeading")
    assert found is not None
    assert found.tag == "h1"
