"""Anime-Planet extractor: entry-bar variants, hidden e-mail-like titles, sub-pages, non-title pages."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.animeplanet import page_id_from_url
from extractors.records import Character, Extra

URL = "https://www.anime-planet.com/anime/paper-moon-club"


def _page(bar: str, *, h1: str = "Paper Moon Club", aka: str = "", ld: str = "", body: str = "") -> str:
    return f"""<!DOCTYPE html><html><head><link rel="canonical" href="{URL}" />
<script type="application/ld+json">{ld or '{"@type":"TVSeries","name":"Paper Moon Club"}'}</script></head><body>
<div id="siteContainer"><h1 itemprop="name">{h1}</h1>{aka}
<section class="pure-g entryBar">{bar}</section>
<section id="entry" class="pure-g EntryPage__content">{body}</section></div></body></html>"""


# A synopsis and a tag: with the title and type, the fields most entries fill (``Family.expected``),
# so that a test page about one cell is not taken for a redesigned page (layout drift).
_BODY = ('<div class="entrySynopsis"><div><p>Two students keep a club alive.</p></div></div>'
         '<div class="tags"><ul><li><a href="/anime/tags/school-club">School Club</a></li></ul></div>')


def _type(text: str) -> str:
    return f'<div class="pure-1 md-1-5"><span class="type">{text}</span></div>'


def test_page_ids_and_non_title_pages() -> None:
    assert page_id_from_url("https://www.anime-planet.com/anime/your-name/staff") == ("anime", "anime/your-name")
    assert page_id_from_url("https://www.anime-planet.com/manga/your-name") == ("manga", "manga/your-name")
    person = extract_title("<html><body><h1 itemprop='name'>Makoto SHINKAI</h1></body></html>",
                           "https://www.anime-planet.com/people/makoto-shinkai")
    assert (person.status, person.title) == ("not_title", "Makoto SHINKAI")
    index = extract_title(_page(""), "https://www.anime-planet.com/anime/top-anime")
    assert index.status == "not_title"


@pytest.mark.parametrize(
    ("text", "kind", "episodes", "runtime"),
    [
        ("Movie (1 ep x 107 min)", "film", 1, 107),
        ("TV (12 eps x 24 min)", "tv", 12, 24),
        ("Movie (1 ep x 1 hr 47 min)", "film", 1, 107),
        ("Web (10 eps x 3 min)", "ona", 10, 3),
        ("DVD Special (1 ep x 45 min)", "special", 1, 45),
        ("TV Special (1 ep)", "special", 1, None),
        ("OVA (2 eps)", "ova", 2, None),
        ("Music Video (1 ep x 4 min)", "music", 1, 4),
    ],
)
def test_type_cell(text: str, kind: str, episodes: int, runtime: int | None) -> None:
    r = extract_title(_page(_type(text)), URL)
    assert (r.kind, r.episodes, r.runtime_minutes) == (kind, episodes, runtime)


def test_still_airing_count_is_not_an_episode_total() -> None:
    r = extract_title(_page(_type("TV (25+ eps)")), URL)
    assert (r.kind, r.episodes) == ("tv", None)
    assert Extra(label="Episodes", value="25+ eps", group="Information") in r.extra


@pytest.mark.parametrize(
    ("year", "first", "end"),
    [("2016", "2016", None), ("2016 - 2018", "2016", "2018"), ("2019 - ?", "2019", None), ("TBA", None, None)],
)
def test_year_cell(year: str, first: str | None, end: str | None) -> None:
    bar = _type("TV (12 eps x 24 min)") + f"<div class='pure-1 md-1-5'><span class='iconYear'> {year} </span></div>"
    r = extract_title(_page(bar, body=_BODY), URL)
    assert (r.first_release_date, r.end_date) == (first, end)
    assert r.status == "ok"


def test_alt_titles_split_and_cloudflare_hidden_title() -> None:
    ld = '{"@type":"TVSeries","name":"Idol@Moon","alternateName":["Aidoru@Tsuki","Moon Idols"]}'
    aka = '<h2 class="aka">Alt titles: <a href="/cdn-cgi/l/email-protection">[email&#160;protected]</a>, Moon Idols</h2>'
    h1 = '<a href="/cdn-cgi/l/email-protection" class="__cf_email__">[email&#160;protected]</a>'
    r = extract_title(_page(_type("TV (12 eps x 24 min)"), h1=h1, aka=aka, ld=ld), URL)
    assert r.title == "Idol@Moon"
    assert r.aliases == ("Moon Idols", "Aidoru@Tsuki")
    plural = extract_title(_page(_type("TV (12 eps x 24 min)"), body=_BODY,
                                 aka='<h2 class="aka">Alt titles: Kami no Tsuki, Tsuki-Kami</h2>'), URL)
    assert plural.aliases == ("Kami no Tsuki", "Tsuki-Kami")


def test_manga_entry_volumes_chapters_and_publishers() -> None:
    bar = ('<div class="pure-1 md-1-5">Vol: 3; Ch: 21</div><div class="pure-1 md-1-5">'
           '<a href="/manga/magazines/monthly-moon">Monthly Moon</a></div><div class="pure-1 md-1-5">'
           '<a href="/manga/publishers/tsukiyo-shoten">Tsukiyo Shoten</a></div>')
    r = extract_title(_page(bar, h1="Paper Moon Club (Light Novel)"),
                      "https://www.anime-planet.com/manga/paper-moon-club-light-novel")
    assert (r.kind, r.volumes, r.chapters, r.publishers) == ("novel", 3, 21, ("Tsukiyo Shoten",))
    assert Extra(label="Magazine", value="Monthly Moon", group="Information") in r.extra


def test_characters_sub_page_headings_give_roles() -> None:
    body = """<h3>Main Characters</h3>
<a class="CharacterCard rounded-card" data-character-type="characters" href="/characters/mei"><strong class="CharacterCard__title">Mei</strong>
<div class="CharacterCard__body"><div class="flag flagJP">Aya Hoshi</div><div class="flag flagDE">Lena Berg</div></div></a>
<h3>Secondary Characters</h3>
<a class="CharacterCard rounded-card" data-character-type="characters" href="/characters/tomo"><strong class="CharacterCard__title">Tomo</strong>
<div class="CharacterCard__body"></div></a>"""
    r = extract_title(_page("", body=body), URL + "/characters")
    assert r.record_id == "animeplanet:anime/paper-moon-club"
    assert r.characters == (
        Character(character="Mei", character_url="https://www.anime-planet.com/characters/mei", role="main",
                  actor="Aya Hoshi", language="ja"),
        Character(character="Mei", character_url="https://www.anime-planet.com/characters/mei", role="main",
                  actor="Lena Berg", language="de"),
        Character(character="Tomo", character_url="https://www.anime-planet.com/characters/tomo", role="secondary"),
    )


def test_page_without_entry_bar_is_flagged_not_invented() -> None:
    r = extract_title("<html><head><link rel='canonical' href='" + URL + "'/></head><body>"
                      "<h1 itemprop='name'>Paper Moon Club</h1></body></html>", URL)
    assert (r.title, r.kind, r.episodes) == ("Paper Moon Club", None, None)
    # The missing bar is named, and the page as a whole is flagged as drift (it fills 1 of the
    # family's expected fields); the generic fallback finds nothing better, so the record stays.
    assert [(e.field, e.kind) for e in r.errors] == [("entry_bar", "layout"), ("page", "layout")]
    assert r.extractor == "animeplanet"
