"""The Whiskey extractor's one-pass element index and scoped history search read what the
whole-document queries they replace read (the queries are kept here as the reference)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import lxml.html
import pytest

from extractors import extract_title, whiskey
from extractors.page import load_page
from extractors.registry import extract_page
from extractors.whiskey import _canonical_urls, marked

from .conftest import SAMPLES
from .test_whiskey import header, info, page

if TYPE_CHECKING:
    from pathlib import Path


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_REFERENCE = {
    "wiki_titles": f"//a[{_has_class('wiki-title')}]",
    "descriptors": f"//*[{_has_class('wiki-descriptor')}]",
    "toc": f"//*[{_has_class('js-toc-content')}]",
    "described": "//*[@itemprop='description']",
    "details": f"//*[{_has_class('wiki-details')}]",
    "objects": f"//*[{_has_class('wiki-details-object')}]",
    "boxes": f"//*[{_has_class('wiki-details-object')}] | //ul[{_has_class('wiki-relation')}]"
    f"[not(ancestor::*[{_has_class('wiki-details-object')}])]",
    "boxart": f"//*[{_has_class('wiki-boxart')}]",
    "scores": f"//*[{_has_class('average-score')}]",
    "credit_blocks": "//*[self::section or self::div or self::ul or self::table]"
    "[contains(translate(@class, 'CREDIT', 'credit'), 'credit') or contains(@id, 'credit')]",
    "history": f"//*[{_has_class('wiki-edit-history')}]",
}
_CANONICAL = "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"
_ITEM_DISPLAYS = (
    f"//*[{_has_class('wiki-item-display')}][not(ancestor::*[{_has_class('wiki-details')} or "
    f"{_has_class('wiki-details-object')} or self::table])]"
)

TRICKY = page(
    "<link rel='canonical' href='/x/4000-1/'><meta property='og:url' content=''><link rel='Canonical' href='/no'>"
    "<div class='wiki-hdr'><h1><a class='entry\twiki-title\n' href='/x/4000-1/'>X</a>"
    "<span class='wiki-title'>not a link</span><a class='wiki-titles' href='#'>no</a></h1>"
    "<p class='lead  wiki-descriptor'>Deck.</p></div>"
    "<section class='wiki-overview' itemprop='description'><div class='wiki-item-display js-toc-content'>"
    "<p>Text.</p></div></section>"
    "<div class='wiki-details'><table><tr><th>Name</th><td><div class='wiki-item-display'>X</div></td></tr>"
    "</table></div>"
    "<div class='wiki-details-object'><h3>Similar</h3><ul class='wiki-relation'><li>"
    "<a href='/y/4000-2/'>Y</a></li></ul></div>"
    "<h3>Franchise</h3><ul class='wiki-relation other'><li><a href='/z/4025-3/'>Z</a></li></ul>"
    "<table><tr><td><span class='wiki-item-display'>in a table</span></td></tr></table>"
    "<div class='wiki-item-display'>outside</div>"
    "<section class='Wiki-CrEdItS' id='credits-block'><ul class='credit-list'><li>"
    "<a href='/p/4040-4/'>P</a> Director</li></ul></section>"
    "<div id='more-credits'><p>x</p></div><span class='credit-role'>span</span>"
    "<table class='CREDITS'><tr><td><a href='/q/4040-5/'>Q</a></td><td>Music</td></tr></table>"
    "<div class='user-score average-score'>4.0 stars</div><div class='wiki-boxart'><img src='/b.jpg'></div>"
    "<div class='wiki-edit-history'><p>Last edited by someone on 01/02/26 03:04PM</p></div>"
)


def _pages() -> list[tuple[str, str | bytes]]:
    found: list[tuple[str, str | bytes]] = [("tricky", TRICKY)]
    found += [(p.parent.name, p.read_bytes()) for p in sorted((SAMPLES / "title").glob("*/page.html"))]
    site: list[Path] = sorted((SAMPLES / "site").rglob("*.html"))
    found += [(str(p.relative_to(SAMPLES)), p.read_bytes()) for p in site]
    return found


@pytest.mark.parametrize(("name", "data"), _pages(), ids=[name for name, _ in _pages()])
def test_marked_elements_are_those_of_the_whole_document_queries(name: str, data: str | bytes) -> None:
    loaded = load_page(data, None)
    assert loaded.root is not None
    found = marked(loaded, loaded.root)
    for field, query in _REFERENCE.items():
        assert getattr(found, field) == loaded.root.xpath(query), f"{name}: {field}"
    assert found.item_displays() == loaded.root.xpath(_ITEM_DISPLAYS), name
    assert _canonical_urls(loaded.root) == loaded.root.xpath(_CANONICAL), name
    assert marked(loaded, loaded.root) is found  # worked out once per page


def test_tricky_page_marks_what_it_should() -> None:
    loaded = load_page(TRICKY, None)
    assert loaded.root is not None
    found = marked(loaded, loaded.root)
    assert [a.text for a in found.wiki_titles] == ["X"]
    assert [el.tag for el in found.credit_blocks] == ["section", "ul", "div", "table"]
    assert [el.tag for el in found.boxes] == ["div", "ul"]
    assert [el.text for el in found.item_displays()] == [None, "outside"]


def _history(body: str) -> tuple[list[tuple[str | None, str | None]], str | None]:
    record = extract_title(page(header("Item") + info(("Name", "Item")) + body),
                           "https://www.animevice.com/item/4000-7/")
    return [(h.user, h.at) for h in record.history], record.last_edited_at


def test_history_in_its_block() -> None:
    body = "<div class='wiki-edit-history'><p>Last edited by gliderpilot on 01/22/26 11:02AM</p></div>"
    assert _history(body) == ([("gliderpilot", "2026-01-22T11:02")], "2026-01-22T11:02")


def test_history_block_comes_before_an_earlier_mention_elsewhere() -> None:
    body = ("<p>Last edited by quoted on 05/05/20 in a forum post</p>"
            "<div class='wiki-edit-history'><p>Last edited by editor on 02/03/26 04:05PM</p></div>")
    assert _history(body) == ([("editor", "2026-02-03T16:05")], "2026-02-03T16:05")


@pytest.mark.parametrize(
    "body",
    [
        "<div class='page-footer'><span>LAST EDITED BY oldtimer ON 7/4/11 9:15PM</span></div>",  # another design
        "<div class='wiki-edit-history'><p>History hidden</p></div><p>Last edited by oldtimer on 7/4/11 9:15PM</p>",
        "<p>La&#115;t edited&#x20;by oldtimer on 7/4/11 9:15PM</p>",  # character references in the source
    ],
)
def test_history_without_its_block_is_searched_on_the_whole_page(body: str) -> None:
    assert _history(body) == ([("oldtimer", "2011-07-04T21:15")], "2011-07-04T21:15")


def test_history_never_comes_from_a_script_or_from_nothing() -> None:
    assert _history("<script>var note = 'Last edited by bot on 01/01/26 01:00AM';</script>") == ([], None)
    assert _history("<p>No edits yet.</p>") == ([], None)


def test_sniff_and_extract_share_one_index() -> None:
    loaded = load_page(TRICKY, None)
    assert loaded.root is not None
    assert "whiskey.marked" not in loaded.memo
    assert whiskey.sniff(loaded)
    index = loaded.memo["whiskey.marked"]
    record = extract_page(loaded)
    assert record.extractor == "whiskey"
    assert record.title == "X"
    assert loaded.memo["whiskey.marked"] is index
    other = lxml.html.fromstring("<div><a class='wiki-title' href='#'>Y</a></div>")  # another tree
    assert marked(loaded, other).wiki_titles == other.xpath("//a")
    assert loaded.memo["whiskey.marked"] is index


def test_credit_rows_of_every_credit_block_are_read() -> None:
    """Rows were once told apart by ``id()`` of short-lived lxml proxies: rows of a second credit
    block reused the addresses of the first block's and were dropped as already seen."""

    def row(i: int) -> str:
        return f"<li><a href='/p{i}/4040-{i}/'>Person {i}</a> <span class='role'>Director</span></li>"

    body = ("<div class='credit-a'><ul>" + "".join(row(i) for i in range(1, 6)) + "</ul></div>"
            "<div class='credit-b'><ul>" + "".join(row(i) for i in range(6, 11)) + "</ul></div>"
            "<section class='wiki-credits'><ul class='credit-list'>" + row(3) + "</ul></section>")
    record = extract_title(page(header("Item") + info(("Name", "Item")) + body),
                           "https://www.animevice.com/item/4000-7/")
    assert [c.person for c in record.credits] == [f"Person {i}" for i in range(1, 11)]
