"""The MediaWiki family (Wikipedia, Fandom): both Wikipedia skins, multi-value cells, anime media
blocks, categories, versions, page ids, interlanguage names, portable infoboxes and the pages that
are not titles."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.mediawiki import category_facts, last_edited, original_image_url, page_id_of, strip_qualifier
from extractors.page import load_page
from extractors.records import Character, Credit, Extra, Name, Related, Release, TitleRecord

WIKI = "https://en.wikipedia.org/wiki/"


def _row(label: str, value: str, skin: str) -> str:
    if skin == "2014":
        return f'<tr><th scope="row" style="text-align:left;">{label}</th><td>{value}</td></tr>'
    return f'<tr><th scope="row" class="infobox-label">{label}</th><td class="infobox-data">{value}</td></tr>'


def _wikipedia(
    rows: list[tuple[str, str]] | str,
    *,
    skin: str = "2024",
    heading: str = "<i>Night Ferry</i> (1987 film)",
    categories: tuple[str, ...] = ("1987 films",),
    body: str = "",
    extra_head: str = "",
    above: str = "Night Ferry",
) -> str:
    table_rows = rows if isinstance(rows, str) else "".join(_row(label, value, skin) for label, value in rows)
    above_cls = 'class="infobox-above summary"' if skin != "2014" else 'class="summary"'
    infobox = f'<table class="infobox vevent"><tbody><tr><th colspan="2" {above_cls}>{above}</th></tr>{table_rows}</tbody></table>'
    cats = "".join(f'<li><a href="/wiki/Category:{c.replace(" ", "_")}" title="Category:{c}">{c}</a></li>' for c in categories)
    if skin == "2014":
        h1 = f'<h1 id="firstHeading" class="firstHeading" lang="en"><span dir="auto">{heading}</span></h1>'
        content = f'<div id="mw-content-text" lang="en" dir="ltr" class="mw-content-ltr">{infobox}{body}</div>'
        lastmod = "This page was last modified on 3 May 2013 at 10:04."
    else:
        h1 = f'<h1 id="firstHeading" class="firstHeading mw-first-heading"><span class="mw-page-title-main">{heading}</span></h1>'
        content = (f'<div id="mw-content-text" class="mw-body-content"><div class="mw-content-ltr mw-parser-output" '
                   f'lang="en" dir="ltr">{infobox}{body}</div></div>')  # fmt: skip
        lastmod = 'This page was last edited on 3 May 2023, at 10:04<span class="anonymous-show">&#160;(UTC)</span>.'
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Night Ferry - Wikipedia</title>
<script>RLCONF={{"wgNamespaceNumber":0,"wgPageName":"Night_Ferry_(1987_film)","wgCurRevisionId":4242,"wgRevisionId":4242}};</script>
{extra_head}</head><body class="mediawiki ltr skin-vector"><div id="content" class="mw-body">{h1}
<div id="bodyContent">{content}<div id="catlinks" class="catlinks"><div id="mw-normal-catlinks" class="mw-normal-catlinks">
<a href="/wiki/Help:Category">Categories</a>: <ul>{cats}</ul></div></div></div></div>
<div id="footer"><ul id="footer-info"><li id="footer-info-lastmod">{lastmod}</li></ul></div></body></html>"""


ROWS = [
    ("Directed by", '<a href="/wiki/Ada_Moll" title="Ada Moll">Ada Moll</a>'),
    ("Written by", '<div class="plainlist"><ul><li>Ada Moll</li><li><a href="/wiki/Ben_Ruiz">Ben Ruiz</a></li></ul></div>'),
    ("Starring", "Cleo Park<br>Dev Anand Rao"),
    ("Music by", "Eli Stone, Fay Wren"),
    ("Production<br>company", '<div class="plainlist"><ul><li>Ferry Films</li><li>Harbor Works</li></ul></div>'),
    ("Release dates", ('<div class="plainlist film-date"><ul><li>May&#160;1,&#160;1987<span style="display:none">'
     '&#160;(<span class="bday dtstart published updated">1987-05-01</span>)</span> (Japan)</li>'
     "<li>June 5, 1988 (Cannes Film Festival)</li></ul></div>")),
    ("Running time", '98 minutes<sup id="cite_ref-1" class="reference"><a href="#cite_note-1">[1]</a></sup>'),
    ("Countries", "Japan<br>France"),
    ("Budget", "¥1.2 billion[2]"),
    ("Box office", "$4.5 million"),
    ("Distributed by", "Toho"),
]  # fmt: skip


@pytest.mark.parametrize("skin", ["2014", "2024"])
def test_infobox_rows_read_the_same_in_both_skins(skin: str) -> None:
    r = extract_title(_wikipedia(ROWS, skin=skin), WIKI + "Night_Ferry_(1987_film)")
    assert (r.title, r.kind, r.status, r.errors) == ("Night Ferry", "film", "ok", ())
    assert r.credits == (
        Credit(person="Ada Moll", person_url=WIKI + "Ada_Moll", role="Directed by", roles=("director",)),
        Credit(person="Ada Moll", role="Written by", roles=("writer",)),
        Credit(person="Ben Ruiz", person_url=WIKI + "Ben_Ruiz", role="Written by", roles=("writer",)),
        Credit(person="Cleo Park", role="Starring", roles=("cast",)),
        Credit(person="Dev Anand Rao", role="Starring", roles=("cast",)),
        Credit(person="Eli Stone", role="Music by", roles=("music",)),
        Credit(person="Fay Wren", role="Music by", roles=("music",)),
    )
    assert r.studios == ("Ferry Films", "Harbor Works")
    assert r.releases == (
        Release(region="Japan", date="1987-05-01", precision="day", raw="May 1, 1987 (Japan)"),
        Release(date="1988-06-05", precision="day", raw="June 5, 1988 (Cannes Film Festival)",
                note="Cannes Film Festival"),
    )  # fmt: skip
    assert (r.runtime_minutes, r.runtime_raw) == (98, "98 minutes")
    assert r.countries == ("Japan", "France")
    assert r.budget is not None
    assert (r.budget.raw, r.budget.amount, r.budget.currency) == ("¥1.2 billion", 1_200_000_000.0, "JPY")
    assert r.box_office is not None
    assert r.box_office.amount == 4_500_000.0
    assert r.extra == (Extra(label="Distributed by", value="Toho"),)
    assert r.revision_id == "4242"
    assert r.last_edited_at == ("2013-05-03T10:04" if skin == "2014" else "2023-05-03T10:04")


def test_unparseable_values_are_kept_raw_with_an_error() -> None:
    r = extract_title(
        _wikipedia([("Running time", "Unknown"), ("Release date", "TBA"), ("Directed by", "Ada Moll")]),
        WIKI + "Night_Ferry_(1987_film)",
    )
    assert r.status == "partial"
    assert (r.runtime_minutes, r.runtime_raw) == (None, "Unknown")
    assert r.releases == (Release(raw="TBA"),)
    assert {(e.field, e.kind) for e in r.errors} == {("runtime_minutes", "unparsed"), ("releases", "unparsed")}


def test_video_game_release_lines_with_region_prefixes_and_platform_groups() -> None:
    rows = [
        ("Developer(s)", "Cinder Forge"),
        ("Publisher(s)", ('<div class="plainlist"><ul><li><abbr title="Japan">JP</abbr>: Kiri Soft</li>'
                         "<li>WW: Halcyon</li></ul></div>")),
        ("Platform(s)", '<div class="hlist"><ul><li>Windows</li><li>PlayStation 4</li></ul></div>'),
        ("Release", ("<b>Windows</b><br>NA: March 3, 2020<br>EU: March 6, 2020<br><b>PlayStation 4</b><br>"
                    "WW: 2021")),
        ("Genre(s)", "Action role-playing"),
        ("Mode(s)", "Single-player"),
    ]  # fmt: skip
    r = extract_title(_wikipedia(rows, heading="<i>Ember</i> (video game)", categories=("2020 video games",)),
                      WIKI + "Ember_(video_game)")  # fmt: skip
    assert (r.title, r.kind) == ("Ember", "game")
    assert r.developers == ("Cinder Forge",)
    assert r.publishers == ("Kiri Soft", "Halcyon")
    assert r.platforms == ("Windows", "PlayStation 4")
    assert r.releases == (
        Release(region="NA", date="2020-03-03", precision="day", raw="NA: March 3, 2020", note="Windows"),
        Release(region="EU", date="2020-03-06", precision="day", raw="EU: March 6, 2020", note="Windows"),
        Release(region="WW", date="2021", precision="year", raw="WW: 2021", note="PlayStation 4"),
    )
    assert r.genres == ("Action role-playing",)
    assert Extra(label="Mode(s)", value="Single-player") in r.extra


ANIME_ROWS = """
<tr><td colspan="2" class="infobox-subheader"><span lang="ja">夜の船</span><br>(Yoru no Fune)</td></tr>
<tr><th scope="row" class="infobox-label">Genre</th><td class="infobox-data">Mystery</td></tr>
<tr><th colspan="2" class="infobox-header">Manga</th></tr>
<tr><th scope="row" class="infobox-label">Written by</th><td class="infobox-data">Mai Kura</td></tr>
<tr><th scope="row" class="infobox-label">Volumes</th><td class="infobox-data">5</td></tr>
<tr><th colspan="2" class="infobox-header">Anime television series</th></tr>
<tr><th scope="row" class="infobox-label">Directed by</th><td class="infobox-data">Rin Aoki</td></tr>
<tr><th scope="row" class="infobox-label">Original run</th><td class="infobox-data">April 2, 2015 – June 25, 2015</td></tr>
<tr><th scope="row" class="infobox-label">Episodes</th><td class="infobox-data">12 (<a href="#Episodes">List of episodes</a>)</td></tr>
<tr><th colspan="2" class="infobox-header">Anime film</th></tr>
<tr><th scope="row" class="infobox-label">Directed by</th><td class="infobox-data">Sho Ito</td></tr>
<tr><th scope="row" class="infobox-label">Released</th><td class="infobox-data">May 1, 2017</td></tr>
"""


@pytest.mark.parametrize(
    ("heading", "categories", "kind", "header"),
    [
        ("<i>Night Ferry</i> (TV series)", (), "tv", "Anime television series"),
        ("<i>Night Ferry</i> (film)", (), "film", "Anime film"),
        ("<i>Night Ferry</i>", ("2015 anime television series debuts", "Mystery anime television series"), "tv",
         "Anime television series"),
        ("<i>Night Ferry</i>", ("2014 manga", "2015 anime television series debuts"), "manga", "Manga"),
    ],
    ids=["title-qualifier-tv", "title-qualifier-film", "categories-tv", "no-hint-first-block"],
)  # fmt: skip
def test_anime_infobox_reads_the_medium_the_page_is_about(
    heading: str, categories: tuple[str, ...], kind: str, header: str
) -> None:
    r = extract_title(_wikipedia(ANIME_ROWS, heading=heading, categories=categories), WIKI + "Night_Ferry")
    assert (r.kind, r.kind_raw) == (kind, header)
    assert r.genres[0] == "Mystery"
    assert Name(name="夜の船", lang="ja", type="original") in r.names
    assert Name(name="Yoru no Fune", lang="x-jat", type="original") in r.names
    if kind == "tv":
        assert [c.person for c in r.credits] == ["Rin Aoki"]
        assert (r.episodes, r.first_release_date, r.end_date) == (12, "2015-04-02", "2015-06-25")
        assert Extra(label="Written by", value="Mai Kura", group="Manga") in r.extra
        assert Extra(label="Released", value="May 1, 2017", group="Anime film") in r.extra
    elif kind == "film":
        assert [c.person for c in r.credits] == ["Sho Ito"]
        assert r.releases == (Release(date="2017-05-01", precision="day", raw="May 1, 2017"),)
        assert r.episodes is None
    else:
        assert r.volumes == 5
        assert [c.person for c in r.credits] == ["Mai Kura"]


def test_sections_plot_lead_cast_and_voice_cast() -> None:
    body = """<p><i><b>Night Ferry</b></i> is a 1987 film.<sup class="reference">[1]</sup></p>
<div class="mw-heading mw-heading2"><h2 id="Plot">Plot</h2><span class="mw-editsection">[edit]</span></div>
<p>A ferry crosses at night.</p><div class="mw-heading mw-heading3"><h3 id="Ending">Ending</h3></div><p>It arrives.</p>
<div class="mw-heading mw-heading2"><h2 id="Cast">Cast</h2></div>
<ul><li><a href="/wiki/Cleo_Park">Cleo Park</a> as Captain Vale, the ferry's master</li><li>Dev Rao</li></ul>
<h2><span class="mw-headline" id="Voice_cast">Voice cast</span></h2>
<ul><li>Mina (voiced by <a href="/wiki/Aya_Ono">Aya Ono</a> (Japanese); Kim Lee (English))</li></ul>
<div class="mw-heading mw-heading2"><h2 id="Reception">Reception</h2></div><p>Critics liked it.</p>"""
    r = extract_title(_wikipedia(ROWS[:1], body=body), WIKI + "Night_Ferry_(1987_film)")
    assert [(s.heading, s.text) for s in r.synopsis_sections] == [
        (None, "Night Ferry is a 1987 film."),
        ("Plot", "A ferry crosses at night."),
        ("Ending", "It arrives."),
    ]
    assert r.synopsis == "A ferry crosses at night.\n\nIt arrives."
    assert r.characters == (
        Character(character="Captain Vale", actor="Cleo Park", actor_url=WIKI + "Cleo_Park"),
        Character(actor="Dev Rao"),
        Character(character="Mina", actor="Aya Ono", actor_url=WIKI + "Aya_Ono", language="ja"),
        Character(character="Mina", actor="Kim Lee", language="en"),
    )


def test_interlanguage_links_are_names_with_their_language() -> None:
    langs = """<div id="p-lang"><ul>
<li class="interlanguage-link interwiki-de mw-list-item"><a href="https://de.wikipedia.org/wiki/Nachtf%C3%A4hre_(Film)"
 title="Nachtfähre (Film) – German" lang="de" hreflang="de" class="interlanguage-link-target">Deutsch</a></li>
<li class="interlanguage-link interwiki-ja"><a href="//ja.wikipedia.org/wiki/X" title="夜の船 (映画) – Japanese">日本語</a></li>
</ul></div>"""
    page = _wikipedia(ROWS[:1]).replace('<div id="footer">', langs + '<div id="footer">')
    r = extract_title(page, WIKI + "Night_Ferry_(1987_film)")
    assert r.names == (
        Name(name="Night Ferry", lang="en", type="main"),
        Name(name="Nachtfähre", lang="de", type="translated"),
        Name(name="夜の船", lang="ja", type="translated"),
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://en.wikipedia.org/wiki/Billy_Jack", "Billy_Jack"),
        ("https://en.m.wikipedia.org/wiki/Akira_(1988_film)", "Akira_(1988_film)"),
        ("https://en.wikipedia.org/w/index.php?title=Billy_Jack&oldid=603090957", "Billy_Jack"),
        ("https://de.wikipedia.org/wiki/Billy_Jack", "de:Billy_Jack"),
        ("https://ja.wikipedia.org/wiki/%E6%98%8E%E6%97%A5", "ja:明日"),
        ("https://starwars.fandom.com/wiki/The_High_Republic:_Into_the_Dark", "starwars:The_High_Republic:_Into_the_Dark"),
        ("https://starwars.fandom.com/de/wiki/Into_the_Dark", "starwars/de:Into_the_Dark"),
    ],
)  # fmt: skip
def test_page_id_is_the_article_title_from_the_url(url: str, expected: str) -> None:
    page = load_page("<html><body><h1 id='firstHeading'>x</h1></body></html>", url)
    assert page_id_of(page, fandom="fandom.com" in url) == expected


def test_page_id_without_url_comes_from_the_page_config() -> None:
    r = extract_title(_wikipedia(ROWS[:1]), None)
    assert (r.page_id, r.site) == ("Night_Ferry_(1987_film)", "wikipedia")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("This page was last modified on 7 April 2014 at 02:11.", "en", "2014-04-07T02:11"),
        ("This page was last edited on 2 April 2024, at 13:18 (UTC).", "en", "2024-04-02T13:18"),
        ("This page was last edited on April 2, 2024, at 1:08 PM.", "en", "2024-04-02T13:08"),
        ("Diese Seite wurde zuletzt am 3. Mai 2024 um 09:05 Uhr bearbeitet.", "de", "2024-05-03T09:05"),
        ("最終更新 2024年4月2日 (火) 13:18 （日時は個人設定で未設定ならばUTC）。", "ja", "2024-04-02T13:18"),
        ("La dernière modification de cette page a été faite le 2 avril 2024 à 13:18.", "fr", "2024-04-02T13:18"),
        ("Powered by MediaWiki", "en", None),
    ],
)  # fmt: skip
def test_last_edited_phrasings(text: str, lang: str, expected: str | None) -> None:
    assert last_edited(text, lang) == expected


def test_categories_split_into_tags_genres_themes_and_a_kind_hint() -> None:
    facts = category_facts([
        "1987 films", "1980s Japanese-language films", "Japanese crime thriller films", "Films about ferries",
        "Films set in Osaka", "Toho films", "All articles with dead external links", "Webarchive template wayback links",
        "Shōnen manga",
    ])  # fmt: skip
    assert facts.tags == [
        "1987 films", "1980s Japanese-language films", "Japanese crime thriller films", "Films about ferries",
        "Films set in Osaka", "Toho films", "Shōnen manga",
    ]  # fmt: skip
    assert facts.genres == ["crime thriller"]
    assert facts.themes == ["ferries"]
    assert facts.demographics == ["shōnen"]
    assert facts.kind == "film"


@pytest.mark.parametrize(
    ("heading", "categories", "body", "reason"),
    [
        ("List of ferry films", ("Lists of films",), "", "list page"),
        ("Night Ferry (disambiguation)", (), "", "disambiguation page"),
        ("Night Ferry", ("Disambiguation pages",), "", "disambiguation page"),
        ("Ada Moll", ("1950 births", "Living people"), "", "person page"),
    ],
)
def test_pages_that_are_not_titles(heading: str, categories: tuple[str, ...], body: str, reason: str) -> None:
    r = extract_title(_wikipedia(ROWS, heading=heading, categories=categories, body=body), WIKI + "X")
    assert r.status == "not_title"
    assert r.errors == ()
    assert r.credits == ()


def test_category_namespace_and_biography_infobox_are_not_titles() -> None:
    page = _wikipedia(ROWS).replace('"wgNamespaceNumber":0', '"wgNamespaceNumber":14')
    assert extract_title(page, WIKI + "Category:1987_films").status == "not_title"
    bio = _wikipedia(ROWS).replace('class="infobox vevent"', 'class="infobox biography vcard"')
    assert extract_title(bio, WIKI + "Ada_Moll").status == "not_title"


def _fandom(aside: str, *, title: str = "Night Ferry", extra_body: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><title>{title} | Ferry Wiki | Fandom</title>
<script>mw.config.set({{"wgNamespaceNumber":0,"wgCurRevisionId":77}});</script></head>
<body class="skin-fandomdesktop mediawiki"><main class="page__main"><div class="page-header">
<div class="page-header__categories"><span>in:</span> <a href="/wiki/Category:Films">Films</a></div>
<h1 class="page-header__title" id="firstHeading">{title}</h1></div>
<div id="mw-content-text"><div class="mw-parser-output">{aside}<p>{title} is a film about a ferry.</p>{extra_body}</div></div>
</main></body></html>"""


def test_fandom_portable_infobox_keys_groups_and_horizontal_groups() -> None:
    aside = """<aside role="region" class="portable-infobox pi-background">
<h2 class="pi-item pi-title" data-source="name">Night Ferry</h2>
<figure class="pi-item pi-image" data-source="image"><a href="https://static.wikia.nocookie.net/ferry/images/a/ab/Poster.jpg/revision/latest?cb=1" class="image image-thumbnail"><img src="https://static.wikia.nocookie.net/ferry/images/a/ab/Poster.jpg/revision/latest/scale-to-width-down/268?cb=1" class="pi-image-thumbnail"></a><figcaption class="pi-item-spacing pi-caption">Theatrical poster</figcaption></figure>
<section class="pi-item pi-group"><h2 class="pi-item pi-header">Production</h2>
<div class="pi-item pi-data" data-source="director"><h3 class="pi-data-label">Directed by</h3><div class="pi-data-value"><a href="/wiki/Ada_Moll">Ada Moll</a></div></div>
<div class="pi-item pi-data" data-source="runtime"><h3 class="pi-data-label">Running time</h3><div class="pi-data-value">98 min</div></div>
<div class="pi-item pi-data" data-source="wingspan"><h3 class="pi-data-label">Ferry length</h3><div class="pi-data-value">82 m</div></div>
</section>
<section class="pi-item pi-group"><table class="pi-horizontal-group"><caption class="pi-header">Release</caption>
<thead><tr><th class="pi-horizontal-group-item pi-data-label" data-source="jp_release">Japan</th><th class="pi-horizontal-group-item pi-data-label" data-source="us_release">United States</th></tr></thead>
<tbody><tr><td class="pi-horizontal-group-item pi-data-value" data-source="jp_release">May 1, 1987</td><td class="pi-horizontal-group-item pi-data-value" data-source="us_release">1988</td></tr></tbody></table></section>
<div class="pi-item pi-data" data-source="followed by"><h3 class="pi-data-label">Followed by</h3><div class="pi-data-value"><a href="/wiki/Day_Ferry">Day Ferry</a></div></div>
</aside>"""
    r = extract_title(_fandom(aside), "https://ferry.fandom.com/wiki/Night_Ferry")
    assert (r.record_id, r.title, r.kind, r.revision_id) == ("fandom:ferry:Night_Ferry", "Night Ferry", "film", "77")
    assert r.credits == (Credit(person="Ada Moll", person_url="https://ferry.fandom.com/wiki/Ada_Moll",
                                role="Directed by", roles=("director",)),)  # fmt: skip
    assert (r.runtime_minutes, r.runtime_raw) == (98, "98 min")
    assert [(rel.date, rel.raw) for rel in r.releases] == [("1987-05-01", "May 1, 1987"), ("1988", "1988")]
    assert r.related == (Related(relation="followed by", title="Day Ferry", url="https://ferry.fandom.com/wiki/Day_Ferry"),)
    assert r.extra == (Extra(label="Ferry length", value="82 m", group="Production"),)
    assert [(i.url, i.caption) for i in r.images] == [
        ("https://static.wikia.nocookie.net/ferry/images/a/ab/Poster.jpg/revision/latest?cb=1", "Theatrical poster")
    ]
    assert r.tags == ("Films",)
    assert r.synopsis == "Night Ferry is a film about a ferry."


def test_fandom_character_page_is_not_a_title() -> None:
    aside = """<aside class="portable-infobox"><h2 class="pi-item pi-title" data-source="name">Captain Vale</h2>
<div class="pi-item pi-data" data-source="born"><h3 class="pi-data-label">Born</h3><div class="pi-data-value">1940</div></div>
<div class="pi-item pi-data" data-source="species"><h3 class="pi-data-label">Species</h3><div class="pi-data-value">Human</div></div>
<div class="pi-item pi-data" data-source="affiliation"><h3 class="pi-data-label">Affiliation</h3><div class="pi-data-value">Ferry line</div></div>
</aside>"""
    r = extract_title(_fandom(aside, title="Captain Vale"), "https://ferry.fandom.com/wiki/Captain_Vale")
    assert r.status == "not_title"
    assert r.title == "Captain Vale"


def test_unknown_mediawiki_host_is_read_by_markup_and_named_after_its_host() -> None:
    page = _wikipedia(ROWS[:3]).replace("<title>Night Ferry - Wikipedia</title>", "<title>Night Ferry - FerryWiki</title>")
    r = extract_title(page, "https://wiki.ferries.example/wiki/Night_Ferry")
    assert (r.extractor, r.site, r.page_id) == ("mediawiki", "wiki.ferries.example", "Night_Ferry")
    assert [c.person for c in r.credits] == ["Ada Moll", "Ada Moll", "Ben Ruiz", "Cleo Park", "Dev Anand Rao"]


def test_helpers() -> None:
    assert strip_qualifier("Night Ferry (1987 film)") == "Night Ferry"
    assert strip_qualifier("Nachtfähre (Fernsehserie)") == "Nachtfähre"
    assert strip_qualifier("Queen (band)") == "Queen (band)"
    assert original_image_url("//example.org/a.jpg") == "//example.org/a.jpg"


@pytest.mark.parametrize(
    "html",
    [
        "<html><body class='mediawiki'><div id='mw-content-text'></div></body></html>",
        _wikipedia("<tr><th></th><td></td></tr><tr><td colspan='2'></td></tr>"),
        _wikipedia(ROWS)[:2500],
        "<html><body class='mediawiki'>" + "<div>" * 5000 + "</div>" * 5000 + "</body></html>",
    ],
    ids=["empty-content", "empty-rows", "truncated", "deep-nesting"],
)
def test_broken_pages_never_crash(html: str) -> None:
    r = extract_title(html, WIKI + "Broken")
    assert isinstance(r, TitleRecord)
    assert r.site == "wikipedia"
    assert not any(e.kind == "exception" for e in r.errors)


def test_television_infobox_release_range_and_thumbnail_captions_left_out_of_the_plot() -> None:
    rows = [("Created by", "Ada Moll"), ("No. of seasons", "2"), ("No. of episodes", "26 (list of episodes)"),
            ("Network", "NHK"), ("Release", "April 3, 1998&#160;– April 24, 1999")]  # fmt: skip
    body = """<h2><span class="mw-headline" id="Premise">Premise</span></h2>
<figure typeof="mw:File/Thumb"><img src="//upload.wikimedia.org/a.jpg" width="200"><figcaption>The ferry set</figcaption></figure>
<div class="thumb tright"><div class="thumbinner"><div class="thumbcaption">Another caption</div></div></div>
<p>Two pilots run a night ferry.</p>"""
    r = extract_title(_wikipedia(rows, heading="<i>Night Ferry</i> (TV series)", categories=(), body=body),
                      WIKI + "Night_Ferry_(TV_series)")  # fmt: skip
    assert (r.kind, r.episodes) == ("tv", 26)
    assert r.releases == (Release(date="1998-04-03", precision="day", raw="April 3, 1998 – April 24, 1999"),)
    assert (r.end_date, r.end_precision) == ("1999-04-24", "day")
    assert r.credits == (Credit(person="Ada Moll", role="Created by", roles=("original_creator",)),)
    assert Extra(label="No. of seasons", value="2") in r.extra
    assert Extra(label="Network", value="NHK") in r.extra
    assert r.synopsis == "Two pilots run a night ferry."


def test_page_id_from_an_escaped_page_name_and_a_portable_infobox_off_fandom() -> None:
    aside = """<aside class="portable-infobox"><div class="pi-item pi-data" data-source="director">
<h3 class="pi-data-label">Director</h3><div class="pi-data-value">Ada Moll</div></div>
<div class="pi-item pi-data" data-source="released"><h3 class="pi-data-label">Released</h3><div class="pi-data-value">1999</div></div></aside>"""
    html = _fandom(aside, title="Café").replace(
        '"wgNamespaceNumber":0', '"wgNamespaceNumber":0,"wgPageName":"Caf\\u00e9_(1999_film)"'
    ).replace(" | Ferry Wiki | Fandom", " - Film Wiki")
    saved = extract_title(html, None)  # no URL, no Fandom host: the page config names the article
    assert (saved.site, saved.page_id, saved.title) == ("mediawiki", "Café_(1999_film)", "Café")
    hosted = extract_title(html, "https://films.wiki.example/wiki/Caf%C3%A9_(1999_film)")
    assert (hosted.record_id, hosted.extractor) == ("films.wiki.example:Café_(1999_film)", "mediawiki")
    assert [(c.person, c.roles) for c in hosted.credits] == [("Ada Moll", ("director",))]


def test_fandom_episode_numbers_stay_in_extra() -> None:
    aside = """<aside class="portable-infobox">
<div class="pi-item pi-data" data-source="season"><h3 class="pi-data-label">Season</h3><div class="pi-data-value">2</div></div>
<div class="pi-item pi-data" data-source="episode"><h3 class="pi-data-label">Episode</h3><div class="pi-data-value">5</div></div>
<div class="pi-item pi-data" data-source="airdate"><h3 class="pi-data-label">Air date</h3><div class="pi-data-value">October 9, 2016</div></div>
<div class="pi-item pi-data" data-source="writer"><h3 class="pi-data-label">Written by</h3><div class="pi-data-value">Ben Ruiz</div></div></aside>"""
    r = extract_title(_fandom(aside, title="The Long Crossing"), "https://ferry.fandom.com/wiki/The_Long_Crossing")
    assert (r.status, r.errors) == ("ok", ())
    assert r.extra == (Extra(label="Season", value="2"), Extra(label="Episode", value="5"))
    assert r.releases == (Release(date="2016-10-09", precision="day", raw="October 9, 2016"),)
    assert (r.episodes, r.season) == (None, None)


def _other_wikipedia(lang: str, box: str, heading: str = "Nachtfähre") -> str:
    return f"""<!DOCTYPE html><html lang="{lang}"><head><title>{heading} – Wikipedia</title>
<script>RLCONF={{"wgNamespaceNumber":0,"wgCurRevisionId":99}};</script></head><body class="mediawiki skin-vector">
<h1 id="firstHeading" class="firstHeading"><span class="mw-page-title-main">{heading}</span></h1>
<div id="mw-content-text"><div class="mw-parser-output" lang="{lang}">{box}<p>{heading} ist ein Film.</p></div></div>
</body></html>"""


def test_german_infobox_with_a_type_header_and_a_cast_list() -> None:
    box = """<table class="wikitable infobox float-right"><tbody>
<tr><th colspan="2">Film</th></tr>
<tr><th>Titel</th><td>Nachtfähre</td></tr><tr><th>Originaltitel</th><td>Night Ferry</td></tr>
<tr><th>Produktionsland</th><td>Deutschland</td></tr><tr><th>Erscheinungsjahr</th><td>1987</td></tr>
<tr><th>Länge</th><td>98 Minuten</td></tr><tr><th>Altersfreigabe</th><td>FSK 12</td></tr>
<tr><th colspan="2">Stab</th></tr><tr><th>Regie</th><td>Ada Moll</td></tr><tr><th>Drehbuch</th><td>Ben Ruiz</td></tr>
<tr><th colspan="2">Besetzung</th></tr>
<tr><td colspan="2"><ul><li><a href="/wiki/Cleo_Park">Cleo Park</a>: Kapitänin Vale</li><li>Dev Rao: Fährmann</li></ul></td></tr>
</tbody></table>"""
    r = extract_title(_other_wikipedia("de", box), "https://de.wikipedia.org/wiki/Nachtf%C3%A4hre")
    assert (r.record_id, r.title, r.kind, r.status) == ("wikipedia:de:Nachtfähre", "Nachtfähre", "film", "ok")
    assert Name(name="Night Ferry", lang=None, type="original") in r.names  # Latin script: language unknown
    assert r.releases == (Release(date="1987", precision="year", raw="1987"),)
    assert (r.runtime_minutes, r.rating, r.countries) == (98, "FSK 12", ("Deutschland",))
    assert [(c.person, c.roles) for c in r.credits] == [("Ada Moll", ("director",)), ("Ben Ruiz", ("writer",))]
    assert r.characters == (
        Character(character="Kapitänin Vale", actor="Cleo Park", actor_url="https://de.wikipedia.org/wiki/Cleo_Park"),
        Character(character="Fährmann", actor="Dev Rao"),
    )


@pytest.mark.parametrize(
    ("lang", "box"),
    [
        ("fr", ('<div class="infobox_v3 noarchive"><table><tr><th>Réalisation</th><td>Ada Moll</td></tr>'
               "<tr><th>Pays de production</th><td>France</td></tr><tr><th>Durée</th><td>98 minutes</td></tr>"
               "<tr><th>Sortie</th><td>1987</td></tr></table></div>")),
        ("it", ('<table class="sinottico"><tr><th>Regia</th><td>Ada Moll</td></tr><tr><th>Paese di produzione</th>'
               "<td>Italia</td></tr><tr><th>Durata</th><td>98 min</td></tr><tr><th>Anno</th><td>1987</td></tr></table>")),
    ],
)  # fmt: skip
def test_french_and_italian_info_boxes(lang: str, box: str) -> None:
    r = extract_title(_other_wikipedia(lang, box, heading="Le Bac"), f"https://{lang}.wikipedia.org/wiki/Le_Bac")
    assert r.record_id == f"wikipedia:{lang}:Le_Bac"
    assert [(c.person, c.roles) for c in r.credits] == [("Ada Moll", ("director",))]
    assert (r.runtime_minutes, r.first_release_date) == (98, "1987")
    assert len(r.countries) == 1
