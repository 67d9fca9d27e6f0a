"""Anime News Network encyclopedia extractor: manga pages, block variants, people pages, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lxml import etree

from extractors import extract_title
from extractors.animenewsnetwork import _credit_nodes, _info_blocks, page_id_from_url
from extractors.page import load_page

from .conftest import page_id, title_pages

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MANGA_URL = "https://www.animenewsnetwork.com/encyclopedia/manga.php?id=7001"


def _page(title: str, blocks: str, extra: str = "") -> str:
    return f"""<html><head><link rel="canonical" href="{MANGA_URL}"></head><body>
<div id="maincontent" class="maincontent encyc"><div id="page-title"><h1 id="page_header">{title}</h1></div>
<div id="content-zone"><div>{blocks}{extra}</div></div></div></body></html>"""


def _block(label: str, body: str, n: int = 1) -> str:
    return f'<div id="infotype-{n}" class="encyc-info-type br"><strong>{label}:</strong> {body}</div>'


def test_page_ids() -> None:
    assert page_id_from_url(MANGA_URL) == ("manga", "manga/7001")
    assert page_id_from_url("https://www.animenewsnetwork.com/encyclopedia/anime.php?id=19256&page=25") == (
        "anime", "anime/19256",
    )
    assert page_id_from_url("https://www.animenewsnetwork.com/encyclopedia/people.php?id=1") == ("people", "people/1")


def test_manga_page_blocks_found_by_label_whatever_their_ids() -> None:
    blocks = (
        _block("Alternative title", '<div class="tab">Shiro no Kaidan (Japanese)</div>'
               '<div class="tab">Die weiße Treppe (German)</div><div class="tab">The White Stair</div>', 77)
        + _block("Genres", '<span><a href="/g?g=horror">horror</a>, <a href="/g?g=mystery">mystery</a></span>', 3)
        + _block("Themes", '<span><a href="/g?th=1">ghosts</a></span>', 12)
        + _block("Plot Summary", "<span>A staircase appears in a school at night.</span>", 40)
        + _block("Number of tankoubon", "<span>4</span>", 41)
        + _block("Vintage", '<div class="tab">2010-05-01 (Japan)</div><div class="tab">2014-02 (France)</div>', 5)
    )
    r = extract_title(_page("Shiro no Kaidan (manga)", blocks), MANGA_URL)
    assert (r.record_id, r.status, r.errors) == ("animenewsnetwork:manga/7001", "ok", ())
    assert (r.title, r.kind, r.kind_raw) == ("Shiro no Kaidan", "manga", "manga")
    assert [(n.name, n.lang) for n in r.names] == [
        ("Shiro no Kaidan", None), ("Shiro no Kaidan", "x-jat"), ("Die weiße Treppe", "de"), ("The White Stair", None),
    ]
    assert (r.genres, r.themes, r.volumes) == (("horror", "mystery"), ("ghosts",), 4)
    assert r.synopsis == "A staircase appears in a school at night."
    assert [(x.region, x.date, x.precision) for x in r.releases] == [
        ("Japan", "2010-05-01", "day"), ("France", "2014-02", "month"),
    ]
    assert (r.first_release_date, r.first_release_precision) == ("2010-05-01", "day")


@pytest.mark.parametrize(
    ("h1", "kind", "title"),
    [
        ("Kaidan (TV 2)", "tv", "Kaidan"),
        ("Kaidan (OAV)", "ova", "Kaidan"),
        ("Kaidan (movie 3)", "film", "Kaidan"),
        ("Kaidan (2010)", None, "Kaidan (2010)"),  # not a kind: the parentheses stay in the title
    ],
)
def test_kind_from_the_title_suffix(h1: str, kind: str | None, title: str) -> None:
    r = extract_title(_page(h1, _block("Number of episodes", "<span>26</span>")), MANGA_URL.replace("manga", "anime"))
    assert (r.kind, r.title, r.episodes) == (kind, title, 26)


@pytest.mark.parametrize(("raw", "minutes"), [("24 minutes", 24), ("half hour", 30), ("1 hour 40 minutes", 100)])
def test_running_time(raw: str, minutes: int) -> None:
    r = extract_title(_page("Kaidan (TV)", _block("Running time", f"<span>{raw}</span>")), MANGA_URL)
    assert (r.runtime_minutes, r.runtime_raw) == (minutes, raw)


def test_unparseable_vintage_is_an_error_with_its_text() -> None:
    r = extract_title(_page("Kaidan (TV)", _block("Vintage", "<span>someday</span>")), MANGA_URL)
    assert r.status == "partial"
    assert r.first_release_date is None
    assert any(e.field == "first_release_date" and "someday" in e.message for e in r.errors)


def test_people_pages_are_not_titles() -> None:
    html = '<html><body><h1 id="page_header">Seiji Kishi</h1></body></html>'
    r = extract_title(html, "https://www.animenewsnetwork.com/encyclopedia/people.php?id=22227")
    assert (r.status, r.title) == ("not_title", "Seiji Kishi")


@pytest.mark.parametrize("data", [b"", b"<html><body><h1 id='page_header'>X (TV)", b"\x00" * 1000])
def test_bad_input_never_raises(data: bytes) -> None:
    r = extract_title(data, MANGA_URL)
    assert r.errors


_WALK_PAGE = _page(
    "Walk (TV)",
    _block("Genres", "<span>drama</span>", 1)
    + '<div class="x-encyc-info-type-like"><div id="nested" class="encyc-info-type"><strong>Vintage:</strong>'
    '<span>2001</span></div></div>',
    '<table id="credits"><tr><td><nobr>Japanese staff</nobr></td></tr><tr><td><div>'
    '<div class="ENTAB"><b>Director</b>: <a href="people.php?id=1">A</a></div>'
    '<div class="ENTAB x"><b>Music</b>: <a href="people.php?id=2">B</a></div>'
    '<div class="ENTAB"><a href="people.php?id=3">C</a> <i>as</i> <nobr><b>D</b></nobr></div></div></td></tr></table>',
)


@pytest.mark.parametrize("path", title_pages("ann") + title_pages("animenewsnetwork"), ids=page_id)
def test_block_and_credit_walks_find_what_the_xpaths_find(path: Path) -> None:
    """The C-level walks over ``#content-zone`` and ``#credits`` give the XPaths' nodes in their order."""
    _check_walks(load_page(path.read_bytes(), None).root)


def test_block_and_credit_walks_on_nested_and_multi_class_markup() -> None:
    root = load_page(_WALK_PAGE, MANGA_URL).root
    assert root is not None
    assert len(_info_blocks(root)) == 3  # "x-encyc-info-type-like" holds the substring too
    assert [n.tag for n in _credit_nodes(root)] == ["nobr", "div", "div", "nobr"]  # not "ENTAB x"
    _check_walks(root)


def _check_walks(root: HtmlElement | None) -> None:
    assert root is not None
    blocks = etree.XPath("id('content-zone')//div[contains(@class, 'encyc-info-type')]")(root)
    credits = etree.XPath("id('credits')//nobr | id('credits')//div[@class='ENTAB']")(root)
    assert _info_blocks(root) == blocks
    assert _credit_nodes(root) == credits
