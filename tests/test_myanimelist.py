"""MyAnimeList extractor: markup eras the samples do not cover, sub-page merging, bad input."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.merge import merge_records
from extractors.myanimelist import page_id_from_url

URL = "https://myanimelist.net/anime/1234/Shin_Sekai_Kikou"

OLD_2009 = """<html><head><title>Shin Sekai Kikou - MyAnimeList.net</title></head><body>
<div id="contentWrapper"><h1><div style="float: right; font-size: 13px;">Ranked #99</div>Shin Sekai Kikou</h1>
<div id="content"><table><tr><td class="borderClass">
<h2>Alternative Titles</h2><div class="spaceit_pad"><span class="dark_text">English:</span> New World Voyage</div>
<h2>Information</h2><div><span class="dark_text">Type:</span> <a href="/type.php?id=3">OVA</a></div>
<div class="spaceit"><span class="dark_text">Episodes:</span> 2</div>
<div><span class="dark_text">Status:</span> Not yet aired</div>
<div class="spaceit"><span class="dark_text">Aired:</span> 2009 to 2010</div>
<div><span class="dark_text">Genres:</span> <a href="/anime.php?genre[]=1">Action</a></div>
</td><td><h2>Synopsis</h2>Two pilots chart the sky.<br><br>They find a map.
<h2>Related Anime</h2>Adaptation: <a href="/manga/5/X">X Manga</a><br>Sequel: <a href="/anime/7/Y">Y</a>,
<a href="/anime/8/Z">Z</a><br><br><h2>Characters &amp; Voice Actors</h2></td></tr></table></div></div></body></html>"""

# The characters & staff sub-page as served since 2021: h3 names, language in its own div.
CHARACTERS_2021 = """<html><head>
<link rel="canonical" href="https://myanimelist.net/anime/1234/Shin_Sekai_Kikou/characters" /></head><body>
<div id="contentWrapper"><div class="h1-title"><div itemprop="name"><h1 class="title-name h1_bold_none">
<strong>Shin Sekai Kikou</strong></h1></div></div><div id="content"><table><tr>
<td class="borderClass"><div class="leftside"><h2>Information</h2>
<div class="spaceit_pad"><span class="dark_text">Type:</span> <a href="/topanime.php?type=ova">OVA</a></div>
</div></td><td><div class="rightside">
<table class="js-anime-character-table" width="100%"><tr>
<td class="ac borderClass"><div class="picSurround"><a href="https://myanimelist.net/character/501/Aki_Sora">
<img data-src="x.jpg" alt="Sora, Aki"></a></div></td>
<td class="borderClass"><div class="spaceit_pad"><a href="https://myanimelist.net/character/501/Aki_Sora" class="fw-n">
<h3 class="h3_character_name">Sora, Aki</h3></a></div><div class="spaceit_pad">Main </div>
<div class="spaceit_pad js-anime-character-favorites" style="color: #787878;">12 Favorites</div></td>
<td class="borderClass" align="right"><table class="js-anime-character-va">
<tr class="js-anime-character-va-lang"><td align="right"><div class="spaceit_pad">
<a href="https://myanimelist.net/people/601/Ren_Mori">Mori, Ren</a></div>
<div class="spaceit_pad js-anime-character-language">Japanese</div></td>
<td><div class="picSurround"><a href="https://myanimelist.net/people/601/Ren_Mori"><img data-src="y.jpg"></a></div></td></tr>
<tr class="js-anime-character-va-lang"><td align="right"><div class="spaceit_pad">
<a href="https://myanimelist.net/people/602/Ana_Reis">Reis, Ana</a></div>
<div class="spaceit_pad js-anime-character-language">Portuguese (BR)</div></td>
<td></td></tr></table></td></tr></table>
<h2 class="h2_overwrite">Staff</h2>
<table class="js-anime-staff-table" width="100%"><tr>
<td class="ac borderClass"><a href="https://myanimelist.net/people/603/Kai_Tone"><img data-src="z.jpg"></a></td>
<td class="borderClass"><div class="spaceit_pad"><a href="https://myanimelist.net/people/603/Kai_Tone">Tone, Kai</a></div>
<div class="spaceit_pad"><small>Director, Storyboard</small></div></td></tr></table>
</div></td></tr></table></div></div></body></html>"""


def test_page_ids_come_from_the_url() -> None:
    assert page_id_from_url("https://myanimelist.net/anime/21/One_Piece/characters") == ("anime", "anime/21")
    assert page_id_from_url("https://myanimelist.net/anime.php?id=21") == ("anime", "anime/21")
    assert page_id_from_url("https://myanimelist.net/manga/11/Naruto/moreinfo") == ("manga", "manga/11")
    assert page_id_from_url("https://myanimelist.net/topanime.php") == (None, None)


def test_2000s_markup_loose_synopsis_and_related_lines() -> None:
    r = extract_title(OLD_2009, URL)
    assert (r.status, r.title) == ("ok", "Shin Sekai Kikou")  # the floated "Ranked #99" is not the title
    assert (r.kind, r.episodes, r.release_status) == ("ova", 2, "not yet aired")
    assert (r.first_release_date, r.first_release_precision, r.end_date) == ("2009", "year", "2010")
    assert r.synopsis == "Two pilots chart the sky.\n\nThey find a map."
    assert [(x.relation, x.title) for x in r.related] == [("adaptation", "X Manga"), ("sequel", "Y"), ("sequel", "Z")]
    assert r.genres == ("Action",)


def test_2021_characters_sub_page_and_merge() -> None:
    sub = extract_title(CHARACTERS_2021, URL + "/characters")
    assert sub.record_id == "myanimelist:anime/1234"
    assert sub.title == "Shin Sekai Kikou"
    assert [(c.character, c.role, c.actor, c.language) for c in sub.characters] == [
        ("Sora, Aki", "main", "Mori, Ren", "ja"),
        ("Sora, Aki", "main", "Reis, Ana", "pt"),
    ]
    assert [(c.person, c.roles) for c in sub.credits] == [("Tone, Kai", ("director", "storyboard"))]
    merged = merge_records([extract_title(OLD_2009, URL), sub])
    assert merged.title == "Shin Sekai Kikou"
    assert merged.synopsis == "Two pilots chart the sky.\n\nThey find a map."
    assert len(merged.characters) == 2
    assert merged.canonical_url == URL + "/characters"  # the main page here states none


def test_unparseable_values_are_errors_with_the_raw_text() -> None:
    html = OLD_2009.replace("2009 to 2010", "sometime in the eighties").replace("Episodes:</span> 2<", "Episodes:</span> two<")
    r = extract_title(html, URL)
    assert r.status == "partial"
    assert r.first_release_date is None
    assert r.episodes is None
    fields = {(e.field, e.kind) for e in r.errors}
    assert ("first_release_date", "unparsed") in fields
    assert ("episodes", "unparsed") in fields
    assert any("sometime in the eighties" in e.message for e in r.errors)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\xff\x10" * 500, b"<html><body><h1>Truncated", b"<div>" * 5000 + b"x"],
    ids=["empty", "binary", "truncated", "deep"],
)
def test_bad_input_never_raises(data: bytes) -> None:
    r = extract_title(data, URL)
    assert r.record_id == "myanimelist:anime/1234" or r.status == "partial"
    assert r.errors


def test_a_page_without_label_rows_is_flagged_as_layout_drift() -> None:
    r = extract_title("<html><body><h1>Something</h1><p>text</p></body></html>", URL)
    assert r.title == "Something"
    assert ("infobox", "layout") in {(e.field, e.kind) for e in r.errors}


_TEXTS = [
    "",
    "Manga",
    "Currently Airing",
    "  One  Piece \n",
    " leading",
    "trailing ",
    "a\u200bb",
    "Caf\u0065\u0301 au lait",  # e + combining acute: NFC makes one character
    "Cafe\u0301\u00a0Noir",
    "ONE PIECE \u30ef\u30f3\u30d4\u30fc\u30b9",
    "line\u2028separator",
    "tab\there",
    "x\u3000y",
    "First para.\n\nSecond\u2019s para.\n \n\n[Written by MAL Rewrite]",
    "\n\n",
    "One\n two.\n\n\n Three. \n \n",
]


@pytest.mark.parametrize("text", _TEXTS)
def test_fast_clean_text_and_paragraphs_match_normalize(text: str) -> None:
    from extractors.myanimelist import _paragraphs, clean_text
    from normalize.text import clean_text as reference_clean
    from normalize.text import paragraphs

    assert clean_text(text) == reference_clean(text)
    assert _paragraphs(text) == paragraphs(text)


@pytest.mark.parametrize("depth", [0, 1, 5, 9, 12, 40])
def test_language_text_walk_finds_what_iter_finds(depth: int) -> None:
    import lxml.html

    from extractors.myanimelist import _language_text

    nest = "<div class='spaceit_pad'><span>" * depth
    close = "</span></div>" * depth
    cell = lxml.html.fromstring(
        f"<table><tr><td><div class='x'><a href='/people/1/A'>A</a></div>{nest}<small> </small>"
        f"<div class='spaceit_pad js-anime-character-language'>Portuguese (BR)</div>{close}"
        "<small>Japanese</small></td></tr></table>"
    ).find(".//td")
    expected = next(
        t
        for t in (
            " ".join(el.text_content().split())
            for el in cell.iter("small", "div")
            if el.tag == "small" or "character-language" in (el.get("class") or "")
        )
        if t
    )
    assert _language_text(cell) == expected == "Portuguese (BR)"


@pytest.mark.parametrize(
    "text",
    ["", "?", "Unknown", "unknown ", "N/A", "None", "none found yet", "No synopsis information has been added.",
     "No background", "Not available", "not available.", "Nothing", "nonesuch", "Members", "731,384", "\u0147one"],
)
def test_nothing_yet_look_ahead_agrees_with_the_regex(text: str) -> None:
    from extractors.myanimelist import _NOTHING_YET, _nothing_yet

    assert _nothing_yet(text) is (_NOTHING_YET.match(text) is not None)


@pytest.mark.parametrize(
    "text", [*_TEXTS, " a \n\t b  ", "\u00a0x\u2003 y\u3000", "a\u200b \u200bb", "\r\n\x1c\x85z ", "a" + " " * 37 + "\n\nb"]
)
def test_collapse_is_split_and_join(text: str) -> None:
    from extractors.myanimelist import _collapse

    assert _collapse(text) == " ".join(text.split())


@pytest.mark.parametrize(
    "raw",
    ["", "One.\n\n\n  Two  words.\n", "No synopsis yet.\n\nMore", "A [Written by MAL Rewrite]\n\nB", "Caf\u00e9\n\n\u2019x\u2019",
     "x\n\nUnknown\n\ny", "  \n \n  "],
)
def test_clean_synopsis_of_joined_lines_matches_the_general_path(raw: str) -> None:
    from extractors.myanimelist import _NOTHING_YET, _REWRITE, _clean_synopsis, _join_lines
    from normalize.text import paragraphs

    text = _join_lines(raw)
    kept = [p for p in paragraphs(_REWRITE.sub("", text)) if not _NOTHING_YET.match(p)]
    general = "" if kept and kept[0].lower().startswith(("no synopsis", "no background")) else "\n\n".join(kept)
    assert _clean_synopsis(text) == general



def test_a_failing_row_is_an_error_and_the_other_rows_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows run without a guard each: an exception in one row is recorded under its label, as
    ``with builder.field(label):`` would, and the rows after it are still read."""
    import extractors.myanimelist as mal

    def broken(value: str) -> None:
        raise RuntimeError("episode parser broke")

    monkeypatch.setattr(mal, "parse_int", broken)
    record = extract_title(OLD_2009.encode(), URL)
    assert ("episodes", "exception", "RuntimeError: episode parser broke") in [
        (e.field, e.kind, e.message) for e in record.errors
    ]
    assert record.kind == "ova"  # the row before it
    assert record.genres == ("Action",)  # a row after it
    assert any(n.name == "New World Voyage" for n in record.names)  # names are flushed at the end
