"""IMDb extractor: the 2017 and React layouts beside the samples, structured-data fallbacks,
non-title pages, and the extract command merging a title's sub-pages."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from extractors import extract_title
from extractors.imdb import page_id_from_url
from extractors.records import Credit, Name, Release
from titlecrawl.commands import extract as extract_command

from .conftest import SAMPLES

URL = "https://www.imdb.com/title/tt2013293/"

LAYOUT_2017 = """<html><head><title>The Wind Rises (2013) - IMDb</title>
<link rel="canonical" href="https://www.imdb.com/title/tt2013293/" /><meta property="og:type" content="video.movie" /></head>
<body><div id="wrapper"><div id="pagecontent"><div id="title-overview-widget" class="heroic-overview">
<div class="vital"><div class="title_block"><div class="title_bar_wrapper">
<div class="ratings_wrapper"><div class="imdbRating" itemtype="http://schema.org/AggregateRating" itemscope="" itemprop="aggregateRating">
<div class="ratingValue"><strong title="7.8 based on 120,455 user ratings"><span itemprop="ratingValue">7.8</span></strong><span class="grey">/</span><span class="grey" itemprop="bestRating">10</span></div>
<a href="/title/tt2013293/ratings?ref_=tt_ov_rt"><span class="small" itemprop="ratingCount">120,455</span></a></div></div>
<div class="titleBar"><div class="title_wrapper"><h1 itemprop="name" class="">The Wind Rises&nbsp;<span id="titleYear">(<a href="/year/2013/?ref_=tt_ov_inf">2013</a>)</span></h1>
<div class="originalTitle">Kaze tachinu<span class="description"> (original title)</span></div>
<div class="subtext">PG-13 <span class="ghost">|</span> <time itemprop="duration" datetime="PT126M">2h 6min</time> <span class="ghost">|</span>
<a href="/genre/Animation?ref_=tt_ov_inf"><span class="itemprop" itemprop="genre">Animation</span></a>,
<a href="/genre/Biography?ref_=tt_ov_inf"><span class="itemprop" itemprop="genre">Biography</span></a> <span class="ghost">|</span>
<a href="/title/tt2013293/releaseinfo?ref_=tt_ov_inf" title="See more release dates">21 February 2014 (USA)
<meta itemprop="datePublished" content="2014-02-21" /></a></div></div></div></div></div>
<div class="plot_summary_wrapper"><div class="plot_summary "><div class="summary_text" itemprop="description">A look at the life of an aircraft designer.</div>
<div class="credit_summary_item"><h4 class="inline">Director:</h4>
<span itemprop="director" itemscope itemtype="http://schema.org/Person"><a href="/name/nm0594503/?ref_=tt_ov_dr" itemprop="url"><span class="itemprop" itemprop="name">Hayao Miyazaki</span></a></span></div>
<div class="credit_summary_item"><h4 class="inline">Writers:</h4>
<a href="/name/nm0594503/?ref_=tt_ov_wr">Hayao Miyazaki</a> (comic), <a href="/name/nm0594503/?ref_=tt_ov_wr">Hayao Miyazaki</a> (screenplay)</div>
</div></div></div>
<div id="titleDetails" class="article"><h2>Details</h2>
<div class="txt-block"><h4 class="inline">Country:</h4> <a href="/country/jp">Japan</a></div>
<div class="txt-block"><h4 class="inline">Gross USA:</h4> $5,209,580</div>
<div class="txt-block"><h4 class="inline">Cumulative Worldwide Gross:</h4> $136,533,257</div>
</div></div></div></body></html>"""

RELEASES_2019 = """<html><head><title>The Wind Rises (2013) - Release Info - IMDb</title></head><body>
<div id="main"><div class="subpage_title_block"><div class="parent"><h3 itemprop="name"><a href="/title/tt2013293/">The Wind Rises</a> <span class="nobr">(2013)</span></h3></div></div>
<table class="ipl-zebra-list ipl-zebra-list--fixed-first release-dates-table-test-only">
<tr class="ipl-zebra-list__item release-date-item"><td class="release-date-item__country-name"><a href="/calendar/?region=it">Italy</a></td><td class="release-date-item__date" align="right">1 September 2013</td><td class="release-date-item__attributes">(Venice Film Festival)</td></tr>
<tr class="ipl-zebra-list__item release-date-item"><td class="release-date-item__country-name"><a href="/calendar/?region=jp">Japan</a></td><td class="release-date-item__date" align="right">20 July 2013</td><td class="release-date-item__attributes"></td></tr>
</table>
<table class="ipl-zebra-list akas-table-test-only">
<tr class="ipl-zebra-list__item aka-item"><td class="aka-item__name">(original title)</td><td class="aka-item__title">Kaze tachinu</td></tr>
<tr class="ipl-zebra-list__item aka-item"><td class="aka-item__name">Germany</td><td class="aka-item__title">Wie der Wind sich hebt</td></tr>
</table></div></body></html>"""

# A React page whose markup lost its data-testid hooks: JSON-LD and __NEXT_DATA__ still tell.
NEXT_ONLY = """<html><head><title>Valley of Wind (TV Mini Series 2022) - IMDb</title>
<script type="application/ld+json">{"@type":"TVSeries","name":"Valley of Wind","alternateName":"Kaze no Tani",
"genre":["Animation","Adventure"],"contentRating":"TV-14","datePublished":"2022-01-07",
"aggregateRating":{"ratingValue":7.1,"ratingCount":812,"bestRating":10},
"director":[{"@type":"Person","url":"/name/nm9900001/","name":"Aya Kimura"}]}</script></head>
<body><div id="__next"><main><h1>Valley of Wind</h1></main></div>
<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"aboveTheFoldData":{
"titleText":{"text":"Valley of Wind"},"originalTitleText":{"text":"Kaze no Tani"},
"titleType":{"text":"TV Mini Series","id":"tvMiniSeries"},"releaseYear":{"year":2022,"endYear":null},
"runtime":{"seconds":1440,"displayableProperty":{"value":{"plainText":"24m"}}}},
"mainColumnData":{"countriesOfOrigin":{"countries":[{"id":"JP","text":"Japan"}]},
"spokenLanguages":{"spokenLanguages":[{"id":"ja","text":"Japanese"}]},
"production":{"edges":[{"node":{"company":{"companyText":{"text":"Studio Kaze"}}}}]},
"episodes":{"episodes":{"total":6}},
"moreLikeThisTitles":{"edges":[{"node":{"id":"tt0087544","titleText":{"text":"Nausicaa"}}}]}}}}}</script>
</body></html>"""


def test_page_ids_and_non_title_pages() -> None:
    assert page_id_from_url("https://m.imdb.com/title/tt0087544/releaseinfo?ref_=tt_dt_rdat") == "tt0087544"
    name = extract_title("<html><head><meta property='og:title' content='Hayao Miyazaki'/></head><body></body></html>",
                         "https://www.imdb.com/name/nm0594503/")
    assert (name.status, name.title) == ("not_title", "Hayao Miyazaki")


def test_2017_layout() -> None:
    r = extract_title(LAYOUT_2017, URL)
    assert (r.record_id, r.status, r.errors) == ("imdb:tt2013293", "ok", ())
    assert r.title == "The Wind Rises"
    assert Name(name="Kaze tachinu", type="original") in r.names
    assert (r.kind, r.rating, r.runtime_minutes) == ("film", "PG-13", 126)
    assert (r.score, r.score_max, r.score_count) == (7.8, 10.0, 120455)
    assert r.genres == ("Animation", "Biography")
    assert r.releases == (Release(region="USA", date="2014-02-21", precision="day", raw="21 February 2014"),)
    # the title year (2013) is earlier than the one release date the page shows
    assert (r.first_release_date, r.first_release_precision) == ("2013", "year")
    assert r.deck == "A look at the life of an aircraft designer."
    assert [(c.role, c.note) for c in r.credits] == [("Director", None), ("Writer", "comic"), ("Writer", "screenplay")]
    assert r.box_office is not None
    assert (r.box_office.amount, r.box_office.currency) == (136533257.0, "USD")


def test_2019_release_info_tables() -> None:
    r = extract_title(RELEASES_2019, URL + "releaseinfo")
    assert r.title == "The Wind Rises"
    assert r.releases == (
        Release(region="Italy", date="2013-09-01", precision="day", raw="1 September 2013", note="Venice Film Festival"),
        Release(region="Japan", date="2013-07-20", precision="day", raw="20 July 2013"),
    )
    assert (r.first_release_date, r.first_release_precision) == ("2013-07-20", "day")
    assert Name(name="Kaze tachinu", type="original") in r.names
    assert Name(name="Wie der Wind sich hebt", type="official", region="Germany") in r.names


def test_structured_data_fills_what_the_markup_lost() -> None:
    r = extract_title(NEXT_ONLY, "https://www.imdb.com/title/tt9900001/")
    assert r.title == "Valley of Wind"
    assert (r.kind, r.kind_raw) == ("tv", "TV Mini Series")
    assert Name(name="Kaze no Tani", type="original") in r.names
    assert (r.episodes, r.runtime_minutes, r.rating) == (6, 24, "TV-14")
    assert (r.score, r.score_count) == (7.1, 812)
    assert (r.countries, r.languages, r.studios) == (("Japan",), ("Japanese",), ("Studio Kaze",))
    assert (r.first_release_date, r.first_release_precision) == ("2022-01-07", "day")
    assert r.credits == (Credit(person="Aya Kimura", person_url="https://www.imdb.com/name/nm9900001/",
                                role="Director", roles=("director",)),)
    assert [x.title for x in r.related] == ["Nausicaa"]


@pytest.mark.parametrize(
    ("title", "kind", "first", "end"),
    [
        ("Cowboy Bebop (TV Series 1998–1999) - IMDb", "tv", "1998", "1999"),
        ("Kingdom Hearts (Video Game 2002) - IMDb", "game", "2002", None),
        ("Mind Game (2004) - IMDb", None, "2004", None),
        ("Kiki's Delivery Service (Video 1989) - IMDb", "ova", "1989", None),
    ],
)
def test_title_tag_gives_kind_and_years(title: str, kind: str | None, first: str, end: str | None) -> None:
    r = extract_title(f"<html><head><title>{title}</title></head><body><h1>x</h1></body></html>", URL)
    assert (r.kind, r.first_release_date, r.end_date) == (kind, first, end)


def test_bad_input_gives_a_record_not_a_crash() -> None:
    for data in (b"", b"\x89PNG\r\n" + bytes(range(256)) * 20, b"<html><body><div id='titleDetails'><div class='txt-block'><h4>"):
        r = extract_title(data, URL)
        assert r.record_id.startswith("imdb:")
        assert r.status == "partial"
        assert r.errors


def _write(folder: Path, name: str, html: str) -> Path:
    path = folder / name
    path.write_text(html, encoding="utf-8")
    return path


def test_extract_command_merges_sub_pages_given_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main = _write(tmp_path, "page.html", LAYOUT_2017)
    releases = _write(tmp_path, "releaseinfo.html", RELEASES_2019)
    other = _write(tmp_path, "other.html", NEXT_ONLY)
    (tmp_path / "meta.json").write_text(json.dumps({
        "url": URL, "fetched_at": "2026-11-01T12:00:00Z",
        "subpages": {"releaseinfo.html": URL + "releaseinfo", "other.html": "https://www.imdb.com/title/tt9900001/"},
    }), encoding="utf-8")
    # Sub-pages given one after another merge (records stream, so only neighbours can merge).
    args = argparse.Namespace(paths=[str(main), str(releases), str(other)], url=None, site=None, output=None)
    assert extract_command.run(args) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["record_id"] for d in lines] == ["imdb:tt2013293", "imdb:tt9900001"]  # merged in place of the first
    merged = lines[0]
    assert merged["title"] == "The Wind Rises"
    assert [r["region"] for r in merged["releases"]] == ["USA", "Italy", "Japan"]
    assert merged["url"] == URL


@pytest.mark.parametrize("case", ["imdb-harbor-of-stars-2024", "imdb-ferrymans-lantern-2014"])
def test_a_page_from_the_mobile_site_gives_the_desktop_record(case: str) -> None:
    """``m.imdb.com`` serves the same markup: same record, links on the desktop host (so that
    records of one title from both sites merge without duplicate credits)."""
    folder = SAMPLES / "title" / case
    data = (folder / "page.html").read_bytes()
    url = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["url"]
    desktop = extract_title(data, url)
    mobile = extract_title(data, url.replace("://www.imdb.com/", "://m.imdb.com/"))
    assert mobile.url != desktop.url
    assert mobile.replace(url=desktop.url) == desktop
    assert all("m.imdb.com" not in (c.person_url or "") for c in mobile.credits)
