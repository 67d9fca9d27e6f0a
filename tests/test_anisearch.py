"""aniSearch extractor: type strings, site languages, dates that do not parse, non-title pages."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.anisearch import page_id_from_url
from extractors.records import Extra

URL = "https://www.anisearch.com/anime/31001,kage-no-kuni"


def _page(blocks: str, *, head: str = "", extra: str = "", lang: str = "en") -> str:
    return f"""<!DOCTYPE html><html lang="{lang}"><head><base href="https://www.anisearch.com">
<meta property="og:url" content="{URL}">{head}<title>Kage no Kuni (Anime) | aniSearch</title></head><body>
<main id="content"><header id="start"><h1 id="htitle">Kage no Kuni <span class="release_year">(2024)</span></h1></header>
<div id="content-outer" data-type="anime" data-id="31001"><div id="content-inner">
<section id="information"><h2>Information</h2><div><ul class="cols"><li><ul class="xlist row simple infoblock">
{blocks}</ul></li></ul></div></section>{extra}</div></div></main></body></html>"""


def _block(type_row: str, *, lang: str = "ja", released: str = "01.04.2024") -> str:
    return (f'<li><div class="title" lang="{lang}"><img class="flag" alt="Japanese"> <strong class="f16">Kage no Kuni'
            f'</strong></div><div class="type"><span class="header">Type:</span> {type_row}</div>'
            f'<div class="released"><span class="header">Release Date:</span> {released}</div></li>')


def test_page_ids_and_non_title_pages() -> None:
    assert page_id_from_url("https://www.anisearch.de/anime/9981,a-silent-voice/relations") == ("anime", "anime/9981")
    assert page_id_from_url("https://www.anisearch.com/manga/12359,a-silent-voice") == ("manga", "manga/12359")
    person = extract_title("<html><body><h1 id='htitle'>Naoko YAMADA</h1></body></html>",
                           "https://www.anisearch.com/person/19100,naoko-yamada")
    assert (person.status, person.record_id, person.title) == ("not_title", "anisearch:person/19100", "Naoko YAMADA")


@pytest.mark.parametrize(
    ("type_row", "kind", "episodes", "runtime"),
    [
        ('TV-Series, 12 <i>(&#126;<time datetime="PT24M">24 min</time>)</i>', "tv", 12, 24),
        ('TV-Series, ? <i>(&#126;<time datetime="PT23M">23 min</time>)</i>', "tv", None, 23),
        ('Movie, 1 <i>(&#126;<time datetime="PT2H">2 hrs</time>)</i>', "film", 1, 120),
        ('Web, 10 <i>(&#126;<time datetime="PT3M">3 min</time>)</i>', "ona", 10, 3),
        ('Bonus, 1 <i>(&#126;<time datetime="PT5M">5 min</time>)</i>', "special", 1, 5),
        ("OVA, 2", "ova", 2, None),
    ],
    ids=["tv", "tv-unknown-count", "movie-hours", "web", "bonus", "no-runtime"],
)
def test_type_row(type_row: str, kind: str, episodes: int | None, runtime: int | None) -> None:
    r = extract_title(_page(_block(type_row)), URL)
    assert (r.kind, r.episodes, r.runtime_minutes) == (kind, episodes, runtime)
    assert r.status == "ok"


def test_ongoing_count_is_kept_as_shown_not_guessed() -> None:
    r = extract_title(_page(_block('TV-Series, 1100+ <i>(&#126;<time datetime="PT24M">24 min</time>)</i>')), URL)
    assert r.episodes is None
    assert Extra(label="Episodes", value="1100+", group="Information") in r.extra


def test_manga_counts_are_volumes() -> None:
    page = _page(_block("Manga, 7"))
    r = extract_title(page, "https://www.anisearch.com/manga/12359,a-silent-voice")
    assert (r.kind, r.volumes, r.episodes) == ("manga", 7, None)


def test_unparseable_release_date_keeps_the_raw_text_and_an_error() -> None:
    r = extract_title(_page(_block("OVA, 1", released="irgendwann bald")), URL)
    assert r.status == "partial"
    assert [(e.field, e.kind) for e in r.errors] == [("releases", "unparsed")]
    assert r.releases[0].raw == "irgendwann bald"
    assert r.releases[0].date is None
    assert r.first_release_date is None


def test_german_site_labels_read_by_row_class() -> None:
    """anisearch.de shows German labels; the row classes say what each row is."""
    block = ('<li><div class="title" lang="ja"><img class="flag" alt="Japanisch"> <strong class="f16">Kage no Kuni'
             '</strong></div><div class="type"><span class="header">Typ:</span> TV-Serie, 24 <i>(&#126;'
             '<time datetime="PT24M">24 Min.</time>)</i></div><div class="status"><span class="header">Status:</span> '
             'Abgeschlossen</div><div class="released"><span class="header">Veröffentlichung:</span> 03.10.2024 &#8209; '
             '19.03.2025</div><div class="company"><span class="header">Studio:</span> <a href="company/1,x">Studio X'
             '</a></div></li><li><div class="title" lang="de"><img class="flag" alt="Deutsch"> <strong class="f16">'
             'Das Schattenland</strong></div><div class="company"><span class="header">Publisher:</span> '
             '<a href="company/514,kaze">Kazé Deutschland</a></div></li>')
    r = extract_title(_page(block, lang="de"), "https://www.anisearch.de/anime/31001,kage-no-kuni")
    assert (r.kind, r.episodes, r.runtime_minutes) == ("tv", 24, 24)
    assert (r.first_release_date, r.end_date, r.release_status) == ("2024-10-03", "2025-03-19", "abgeschlossen")
    assert (r.studios, r.publishers) == (("Studio X",), ("Kazé Deutschland",))
    assert [(n.name, n.lang) for n in r.names if n.type == "official"] == [("Das Schattenland", "de")]


def test_placeholder_rating_of_unrated_titles_is_not_a_score() -> None:
    """aniSearch's JSON-LD says 2.5 from 1 vote for titles nobody rated: no score."""
    head = ('<script type="application/ld+json">{"@type":"TVSeries","name":"Kage no Kuni",'
            '"aggregateRating":{"ratingValue":"2.5","ratingCount":"1","bestRating":"5"}}</script>')
    r = extract_title(_page(_block("OVA, 1"), head=head), URL)
    assert (r.score, r.score_count) == (None, 1)


def test_page_without_info_block_is_flagged() -> None:
    r = extract_title("<html><head><meta property='og:url' content='" + URL + "'></head><body>"
                      "<h1 id='htitle'>Kage no Kuni</h1><p>Maintenance</p></body></html>", URL)
    assert r.title == "Kage no Kuni"
    assert r.status == "partial"
    assert any(e.kind == "layout" for e in r.errors)


@pytest.mark.parametrize("data", [b"", b"\x00\xff" * 500, b"<html><body><section id='information'><li>"])
def test_bad_input_gives_a_record_not_a_crash(data: bytes) -> None:
    r = extract_title(data, URL)
    assert r.record_id.startswith("anisearch:")
    assert r.status in ("partial", "ok")
    assert r.errors


_SPACES = [" ", "  ", "\t", "\n", "\n\n", "\n \n", "\r\n\r\n", "\xa0", "\u2009", "\u3000", "\u2028", "\x0c", "\x85"]
_WORDS = ["Shouya", "Ishida’s", "école", "聲の形", "\u200b", "…", "x"]


@pytest.mark.parametrize("seed", range(20))
def test_synopsis_paragraphs_match_the_blank_line_rule(seed: int) -> None:
    """``_paragraphs`` (a line-by-line pass) gives what splitting on ``\\n\\s*\\n`` and collapsing
    each paragraph's white space gives, for every kind of white space."""
    import random
    import re

    from extractors.anisearch import _collapse, _paragraphs

    rng = random.Random(seed)
    for _ in range(300):
        raw = "".join(rng.choice(_SPACES) if rng.random() < 0.5 else rng.choice(_WORDS) for _ in range(rng.randint(0, 12)))
        expected = "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", raw) if p.strip())
        assert _paragraphs(raw) == expected, repr(raw)
        assert _collapse(raw.replace("\n", " ")) == " ".join(raw.split()), repr(raw)
