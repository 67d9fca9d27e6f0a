"""MyAnimeList real pages (2017-2018 desktop): values checked by hand against each page."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.merge import merge_records
from extractors.records import TitleRecord
from tests.conftest import shared_page

pytestmark = pytest.mark.shared

BEBOP = "myanimelist__anime-5-cowboy-bebop-tengoku-no-tobira-film.html"
ONE_PIECE = "myanimelist__anime-21-one-piece.html"
ONE_PIECE_MORE = "myanimelist__anime-21-one-piece-moreinfo.html"
OVERLORD_CHARS = "myanimelist__anime-35073-overlord-ii-characters-staff.html"
NARUTO = "myanimelist__manga-11-naruto.html"


def _record(name: str, url: str | None) -> TitleRecord:
    return extract_title(shared_page(name).read_bytes(), url)


def _names(record: TitleRecord) -> list[tuple[str, str | None, str | None]]:
    return [(n.name, n.lang, n.type) for n in record.names]


def test_film_page_2017() -> None:
    r = _record(BEBOP, "https://myanimelist.net/anime/5/Cowboy_Bebop__Tengoku_no_Tobira")
    assert (r.record_id, r.status, r.errors) == ("myanimelist:anime/5", "ok", ())
    assert r.canonical_url == "https://myanimelist.net/anime/5/Cowboy_Bebop__Tengoku_no_Tobira"
    assert r.title == "Cowboy Bebop: Tengoku no Tobira"
    assert _names(r) == [
        ("Cowboy Bebop: Tengoku no Tobira", None, "main"),
        ("Cowboy Bebop: The Movie", "en", "official"),
        ("Cowboy Bebop: Knockin' on Heaven's Door", None, "synonym"),
        ("カウボーイビバップ天国の扉", "ja", "original"),
    ]
    assert r.aliases == ("Cowboy Bebop: Knockin' on Heaven's Door",)
    assert (r.kind, r.kind_raw, r.episodes, r.release_status) == ("film", "Movie", 1, "finished airing")
    assert (r.first_release_date, r.first_release_precision, r.end_date) == ("2001-09-01", "day", None)
    assert r.season is None  # a film has no "Premiered" row
    assert (r.runtime_minutes, r.runtime_raw) == (114, "1 hr. 54 min.")
    assert r.rating == "R - 17+ (violence & profanity)"
    assert (r.score, r.score_max, r.score_count) == (8.40, 10.0, 94825)
    assert r.genres == ("Action", "Space", "Drama", "Mystery", "Sci-Fi")
    assert (r.producers, r.licensors, r.studios) == (
        ("Sunrise", "Bandai Visual"), ("Sony Pictures Entertainment",), ("Bones",)
    )
    assert r.source == "Original"
    assert [(x.relation, x.title, x.url) for x in r.related] == [
        ("parent story", "Cowboy Bebop", "https://myanimelist.net/anime/1/Cowboy_Bebop")
    ]
    assert [(c.character, c.role, c.actor, c.language) for c in r.characters] == [
        ("Spiegel, Spike", "main", "Yamadera, Kouichi", "ja"),
        ("Wong Hau Pepelu Tivrusky IV, Edward", "main", "Tada, Aoi", "ja"),
        ("Valentine, Faye", "main", "Hayashibara, Megumi", "ja"),
        ("Black, Jet", "main", "Ishizuka, Unshou", "ja"),
    ]
    assert [(c.person, c.role, c.roles) for c in r.credits] == [
        ("Minami, Masahiko", "Producer", ("producer",)),
        ("Maseba, Yutaka", "Producer", ("producer",)),
        ("Ueda, Masuo", "Producer", ("producer",)),
        ("Watanabe, Shinichiro", "Director, Storyboard", ("director", "storyboard")),
    ]
    assert r.credits[3].person_url == "https://myanimelist.net/people/2009/Watanabe_Shinichiro"
    assert r.synopsis is not None
    assert r.synopsis.startswith("Another day, another bounty—such is the life")
    assert r.synopsis.count("\n\n") == 1  # two paragraphs, the "[Written by MAL Rewrite]" line dropped
    assert "Written by" not in r.synopsis
    # "No background information has been added" is not a background.
    assert [s.heading for s in r.synopsis_sections] == ["Synopsis"]


def test_tv_page_2018() -> None:
    r = _record(ONE_PIECE, "https://myanimelist.net/anime/21/One_Piece")
    assert (r.record_id, r.status, r.title, r.kind) == ("myanimelist:anime/21", "ok", "One Piece", "tv")
    assert r.episodes is None  # "Episodes: Unknown"
    assert r.release_status == "currently airing"
    assert (r.first_release_date, r.end_date) == ("1999-10-20", None)  # "Oct 20, 1999 to ?"
    assert r.season == "fall"
    assert r.broadcast == "Sundays at 09:30 (JST)"
    assert (r.runtime_minutes, r.rating) == (24, "PG-13 - Teens 13 or older")
    assert r.genres == ("Action", "Adventure", "Comedy", "Super Power", "Drama", "Fantasy", "Shounen")
    assert r.producers == ("Fuji TV", "TAP", "Shueisha")
    assert r.licensors == ("Funimation", "4Kids Entertainment")
    assert r.studios == ("Toei Animation",)
    assert ("OP", None, "synonym") in _names(r)
    assert ("ONE PIECE", "ja", "original") in _names(r)
    relations: dict[str, int] = {}
    for rel in r.related:
        relations[rel.relation] = relations.get(rel.relation, 0) + 1
    assert relations == {
        "adaptation": 2, "side story": 28, "character": 4, "summary": 8, "alternative version": 1, "other": 2,
    }
    assert r.related[0].url == "https://myanimelist.net/manga/13/One_Piece"
    assert len(r.characters) == 10
    assert r.characters[0].character == "Monkey D., Luffy"
    assert r.characters[0].actor == "Tanaka, Mayumi"
    assert r.characters[-1].role == "supporting"
    assert [c.person for c in r.credits] == ["Cook, Justin", "Uda, Kounosuke", "Sakai, Munehisa", "Hosoda, Mamoru"]
    background = [s.text for s in r.synopsis_sections if s.heading == "Background"]
    assert background == [
        ("Several anime-original arcs have been adapted into light novels, and the series has inspired "
        "40 video games as of 2016.")
    ]


def test_more_info_sub_page_merges_into_the_title() -> None:
    main = _record(ONE_PIECE, "https://myanimelist.net/anime/21/One_Piece")
    more = _record(ONE_PIECE_MORE, "https://myanimelist.net/anime/21/One_Piece/moreinfo")
    assert more.record_id == main.record_id == "myanimelist:anime/21"
    merged = merge_records([main, more])
    assert merged.canonical_url == "https://myanimelist.net/anime/21/One_Piece"
    headings = [s.heading for s in merged.synopsis_sections]
    assert headings == ["Synopsis", "Background", "More Info"]
    more_info = merged.synopsis_sections[2].text
    assert more_info.startswith("Episode 492 is the second part of a two part special")
    assert more_info.endswith("(Source: AniDB)")
    assert more_info.count("\n\n") == 3


def test_characters_and_staff_sub_page() -> None:
    r = _record(OVERLORD_CHARS, "https://myanimelist.net/anime/35073/Overlord_II/characters")
    assert (r.record_id, r.status, r.title) == ("myanimelist:anime/35073", "ok", "Overlord II")
    assert r.canonical_url == "https://myanimelist.net/anime/35073/Overlord_II/characters"
    # 53 characters: 51 Japanese and 32 English voice actor rows, 2 characters without any.
    assert len({c.character_url for c in r.characters}) == 53
    languages = [c.language for c in r.characters]
    assert (languages.count("ja"), languages.count("en"), languages.count(None)) == (51, 32, 2)
    albedo = [(c.actor, c.language) for c in r.characters if c.character == "Albedo"]
    assert albedo == [("Hara, Yumi", "ja"), ("Maxwell, Elizabeth", "en")]
    assert len(r.credits) == 13
    assert (r.credits[0].person, r.credits[0].role, r.credits[0].roles) == ("Itou, Naoyuki", "Director", ("director",))
    assert r.credits[2].person == "MYTH & ROID"
    # the sidebar of the sub-page is the title's too
    assert (r.season, r.episodes, r.first_release_date, r.end_date) == ("winter", 13, "2018-01-09", "2018-04-03")
    assert r.studios == ("Madhouse",)
    assert r.source == "Light novel"


def test_manga_page() -> None:
    r = _record(NARUTO, "https://myanimelist.net/manga/11/Naruto")
    assert (r.record_id, r.status, r.title, r.kind) == ("myanimelist:manga/11", "ok", "Naruto", "manga")
    assert (r.volumes, r.chapters, r.release_status) == (72, 700, "finished")
    assert (r.first_release_date, r.end_date) == ("1999-09-21", "2014-11-10")
    assert _names(r)[1:] == [("Naruto", "en", "official"), ("NARUTO―ナルト―", "ja", "original")]
    assert [(c.person, c.role, c.roles) for c in r.credits] == [
        ("Kishimoto, Masashi", "Story & Art", ("writer", "illustrator"))
    ]
    assert ("Serialization", "Shounen Jump (Weekly)") in [(e.label, e.value) for e in r.extra]
    assert r.genres == ("Action", "Adventure", "Martial Arts", "Shounen", "Super Power")
    assert len(r.related) == 19
    assert r.related[-1].url == "https://myanimelist.net/anime/1735/Naruto__Shippuuden"
    assert len(r.characters) == 10
    assert all(c.actor is None for c in r.characters)
    assert (r.score, r.score_count) == (8.11, 177655)


@pytest.mark.parametrize(
    ("name", "url", "title"),
    [
        ("myanimelist__people-1-tomokazu-seki.html", "https://myanimelist.net/people/1/Tomokazu_Seki", "Seki, Tomokazu"),
        ("myanimelist__character-116281.html", "https://myanimelist.net/character/116281", 'Momonga "Ainz Ooal Gown, Momon"'),
    ],
)
def test_people_and_character_pages_are_not_titles(name: str, url: str, title: str) -> None:
    r = _record(name, url)
    assert r.status == "not_title"
    assert r.title == title
    assert not r.credits
    assert not r.characters


def test_pages_saved_without_url_are_recognized_by_markup() -> None:
    r = _record(BEBOP, None)
    assert (r.extractor, r.record_id, r.title) == ("myanimelist", "myanimelist:anime/5", "Cowboy Bebop: Tengoku no Tobira")
    assert _record("myanimelist__people-1-tomokazu-seki.html", None).status == "not_title"
