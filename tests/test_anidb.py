"""AniDB extractor: row variants, staff rowspans, page kinds and bad input."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.anidb import page_id_from_url

URL = "https://anidb.net/anime/4242"


def _page(info_rows: str, staff_rows: str = "", titles: str = "") -> str:
    return f"""<html><head><link rel="canonical" href="https://anidb.net/anime/4242"/></head><body>
<div id="layout-main"><h1 class="anime">Anime: Umi no Kaidan</h1>
<div class="g_content anime_all"><div class="g_section info">
<div id="tab_1_pane" class="pane info"><div class="g_definitionlist"><table><tbody>
<tr class="g_odd romaji"><th class="field">Main Title</th><td class="value"><span itemprop="name">Umi no Kaidan</span>
 (<a class="shortlink" href="https://anidb.net/a4242">a4242</a>)</td></tr>
{info_rows}
</tbody></table></div></div>
<div id="tab_2_pane" class="pane hide titles"><div class="g_definitionlist"><table><tbody>{titles}</tbody></table></div></div>
</div>
<div class="g_bubble g_section desc" itemprop="description">Stairs lead into the sea.</div>
<div id="stafflist" class="g_section staff"><table id="stafflist1" class="stafflist main1"><tbody>
{staff_rows}
</tbody></table></div>
</div></div></body></html>"""


def test_page_ids() -> None:
    assert page_id_from_url("https://anidb.net/perl-bin/animedb.pl?show=anime&aid=4242") == ("anime", "4242")
    assert page_id_from_url("https://anidb.net/a4242") == ("anime", "4242")
    assert page_id_from_url("https://anidb.net/anime/4242/creator") == ("anime", "4242")
    assert page_id_from_url("https://anidb.net/cr40") == ("creator", None)
    assert page_id_from_url("https://anidb.net/character/8759") == ("character", None)


def test_row_variants_of_older_and_newer_pages() -> None:
    rows = """
<tr class="type"><th class="field">Type</th><td class="value">OVA, 3 episodes</td></tr>
<tr class="year"><th class="field">Year</th><td class="value">1998 till ?</td></tr>
<tr class="season"><th class="field"><a href="/anime/season/2020/winter">Season</a></th>
 <td class="value"><a href="/anime/?season.year=2020">Winter 2019/20</a></td></tr>
<tr class="categories"><th class="field">Categories</th><td class="value"><a href="/c/1">Horror</a>,
 <a href="/c/2">Sea</a> - <a href="/anime/?cat=1">[similar]</a></td></tr>
<tr class="rating"><th class="field">Rating</th><td class="value"><span class="rating"><a href="/v">
 <span class="value">N/A</span></a> <span class="count">(0)</span></span></td></tr>"""
    titles = """
<tr class="g_odd romaji"><th class="field">Main Title</th><td class="value"><span class="icons">
 <span class="i_icon i_flag i_audio_x-jat" title="language: japanese (transcription)"><span>x-jat</span></span></span>
 <span itemprop="name">Umi no Kaidan</span></td></tr>
<tr class="syn"><th class="field">Synonym</th><td class="value"><span class="icons">
 <span class="i_icon i_flag i_audio_fr" title="language: french"><span>fr</span></span></span>
 <label>L'escalier de la mer</label></td></tr>"""
    r = extract_title(_page(rows, titles=titles), URL)
    assert (r.status, r.errors) == ("ok", ())
    assert (r.kind, r.kind_raw, r.episodes) == ("ova", "OVA", 3)
    assert (r.first_release_date, r.first_release_precision, r.end_date) == ("1998", "year", None)
    assert r.season == "winter"  # "Winter 2019/20", year from the season link
    assert r.tags == ("Horror", "Sea")  # "Categories", the pre-2012 name of tags
    assert r.score is None  # "N/A"
    assert [(n.name, n.lang, n.type) for n in r.names] == [
        ("Umi no Kaidan", "x-jat", "main"),
        ("L'escalier de la mer", "fr", "synonym"),
    ]
    assert r.synopsis == "Stairs lead into the sea."


def test_staff_rowspans_comments_and_cells_with_two_people() -> None:
    staff = """
<tr><td rowspan="2" class="credit"><a href="/creator/?credit=1">Direction (監督)</a></td>
 <td class="name creator"><a href="/creator/1">Aoki Ryou</a></td><td class="comment">eps 1-2</td></tr>
<tr class="rowspan"><td class="name creator"><a href="/creator/2">Baba Sho</a></td><td class="comment"></td></tr>
<tr><td rowspan="1" class="credit"><a href="/creator/?credit=109">Animation Work (アニメーション制作)</a></td>
 <td class="name creator"><a href="/creator/3">Studio Umi</a> <a href="/creator/4">Studio Kai</a></td>
 <td class="comment"></td></tr>"""
    r = extract_title(_page("", staff), URL)
    assert [(c.person, c.role, c.roles, c.note) for c in r.credits] == [
        ("Aoki Ryou", "Direction (監督)", ("director",), "eps 1-2"),
        ("Baba Sho", "Direction (監督)", ("director",), None),
        ("Studio Umi", "Animation Work (アニメーション制作)", ("studio",), None),
        ("Studio Kai", "Animation Work (アニメーション制作)", ("studio",), None),
    ]
    assert r.studios == ("Studio Umi", "Studio Kai")
    assert r.credits[0].person_url == "https://anidb.net/creator/1"


def test_unparseable_type_count_and_date_are_errors() -> None:
    rows = """
<tr class="type"><th class="field">Type</th><td class="value">TV Series, many episodes</td></tr>
<tr class="year"><th class="field">Year</th><td class="value">Heisei era</td></tr>"""
    r = extract_title(_page(rows), URL)
    assert r.status == "partial"
    assert (r.kind, r.episodes, r.first_release_date) == ("tv", None, None)
    assert {("episodes", "unparsed"), ("first_release_date", "unparsed")} <= {(e.field, e.kind) for e in r.errors}


def test_creator_pages_are_not_titles() -> None:
    html = "<html><body><h1 class='creator'>Creator: Miyazaki Hayao</h1></body></html>"
    r = extract_title(html, "https://anidb.net/creator/40")
    assert (r.status, r.title) == ("not_title", "Miyazaki Hayao")


@pytest.mark.parametrize("data", [b"", b"<html><body><h1 class='anime'>Anime: X", b"\xff\xfe\x00" * 300])
def test_bad_input_never_raises(data: bytes) -> None:
    r = extract_title(data, URL)
    assert r.errors
    assert r.status in ("partial", "ok")


def test_staff_links_with_nested_markup_use_the_row_by_row_reading() -> None:
    staff = """
<tr><td class="credit"><a href="/creator/?credit=1">Direction:</a></td>
 <td class="name creator"><a itemprop="director" href="/creator/1"><span class="hide"></span>
 <span itemprop="name">Aoki Ryou</span></a></td></tr>
<tr><td class="credit"><a href="/creator/?credit=19">Music:</a></td>
 <td class="name creator"><a href="/creator/5">Endo Mai</a></td></tr>"""
    r = extract_title(_page("", staff), URL)
    assert [(c.person, c.role, c.person_url) for c in r.credits] == [
        ("Aoki Ryou", "Direction", "https://anidb.net/creator/1"),
        ("Endo Mai", "Music", "https://anidb.net/creator/5"),
    ]
