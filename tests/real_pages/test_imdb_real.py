"""IMDb real pages (2014 layout): Nausicaä, its full credits and release info. Checked by hand."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.merge import merge_records
from extractors.records import Character, Credit, Name, Release, TitleRecord, UserList
from tests.conftest import shared_page

pytestmark = pytest.mark.shared

MAIN = ("imdb__tt0087544-nausicaa-of-the-valley-of-the-wind-1984.html", "http://www.imdb.com/title/tt0087544/")
CREDITS = ("imdb__tt0087544-nausicaa-fullcredits.html", "http://www.imdb.com/title/tt0087544/fullcredits")
RELEASES = ("imdb__tt0087544-nausicaa-releaseinfo.html", "http://www.imdb.com/title/tt0087544/releaseinfo")


def _extract(pair: tuple[str, str]) -> TitleRecord:
    return extract_title(shared_page(pair[0]).read_bytes(), pair[1])


@pytest.fixture(scope="module")
def main() -> TitleRecord:
    return _extract(MAIN)


@pytest.fixture(scope="module")
def credits_page() -> TitleRecord:
    return _extract(CREDITS)


@pytest.fixture(scope="module")
def releases_page() -> TitleRecord:
    return _extract(RELEASES)


def test_main_page_identity_title_and_kind(main: TitleRecord) -> None:
    r = main
    assert (r.record_id, r.page_id, r.status, r.errors) == ("imdb:tt0087544", "tt0087544", "ok", ())
    assert r.canonical_url == "http://www.imdb.com/title/tt0087544/"
    assert r.title == "Nausicaä of the Valley of the Wind"
    assert Name(name="Kaze no tani no Naushika", type="original") in r.names
    assert (r.kind, r.kind_raw) == ("film", "video.movie")


def test_main_page_facts(main: TitleRecord) -> None:
    r = main
    assert r.releases == (Release(region="Japan", date="1984-03-11", precision="day", raw="11 March 1984"),)
    assert (r.first_release_date, r.first_release_precision) == ("1984-03-11", "day")
    # "Runtime: 117 min | 95 min (1985) (edited)": the longest cut, every cut in the raw text
    assert (r.runtime_minutes, r.runtime_raw) == (117, "117 min | 95 min (1985) (edited)")
    assert r.rating == "PG"
    assert (r.score, r.score_max, r.score_count) == (8.2, 10.0, 62843)
    assert r.genres == ("Animation", "Adventure", "Fantasy", "Sci-Fi")
    assert (r.countries, r.languages) == (("Japan",), ("Japanese",))
    assert r.studios == ("Hakuhodo", "Nibariki", "Tokuma Shoten")
    assert r.deck == ("Warrior/pacifist Princess Nausicaä desperately struggles to prevent two warring nations "
                      "from destroying themselves and their dying planet.")
    assert r.synopsis is not None
    assert r.synopsis.startswith('In the far future, man has destroyed the Earth in the "Seven Days of Fire".')
    assert "Written by" not in r.synopsis


def test_main_page_people(main: TitleRecord) -> None:
    r = main
    url = "http://www.imdb.com/name/nm0594503/"
    assert r.credits == (
        Credit(person="Hayao Miyazaki", person_url=url, role="Director", roles=("director",)),
        Credit(person="Hayao Miyazaki", person_url=url, role="Writer", roles=("original_creator",), note="comic"),
        Credit(person="Hayao Miyazaki", person_url=url, role="Writer", roles=("screenplay",), note="screenplay"),
    )
    assert len(r.characters) == 16  # "Cast overview, first billed only": 15 rows, Teto / Girl C is two
    assert r.characters[0] == Character(
        character="Nausicaä", character_url="http://www.imdb.com/character/ch0216895/", role="voice",
        actor="Sumi Shimamoto", actor_url="http://www.imdb.com/name/nm0793585/")
    assert [c.character for c in r.characters if c.actor == "Rihoko Yoshida"] == ["Teto", "Girl C"]


def test_main_page_lists_and_similar(main: TitleRecord) -> None:
    r = main
    assert r.lists[0] == UserList(name="Beautiful films I have seen thus far",
                                  url="http://www.imdb.com/list/ls001875370", item_count=24)
    assert [x.item_count for x in r.lists] == [24, 41, 48, 37, 25]
    assert all(x.author is None for x in r.lists)  # IMDb does not show list authors here
    assert [x.title for x in r.related][:3] == ["Akira", "Ghost in the Shell", "Wonderful Days"]
    assert len(r.related) == 12
    assert {x.relation for x in r.related} == {"similar"}
    assert r.related[0].url == "http://www.imdb.com/title/tt0094625/"


def test_full_credits_page(credits_page: TitleRecord) -> None:
    r = credits_page
    assert (r.record_id, r.status, r.title) == ("imdb:tt0087544", "ok", "Nausicaä of the Valley of the Wind")
    groups = [c.role for c in r.credits]
    assert list(dict.fromkeys(groups)) == [
        "Director", "Writer", "Produced by", "Music by", "Film Editing by", "Casting By", "Art Direction by",
        "Production Management", "Sound Department", "Animation Department", "Editorial Department", "Other crew"]
    assert len(r.credits) == 80  # 80 name rows, one per person and credit
    producer = next(c for c in r.credits if c.person == "Toru Hara")
    assert (producer.role, producer.note, producer.roles) == ("Produced by", "executive producer", ("executive_producer",))
    assert len(r.characters) == 69
    assert sum(1 for c in r.characters if c.character is None) > 0  # "(voice)" rows without a character name
    assert Character(character=None, role="voice; as steve apostolina", actor="Stephen Apostolina",
                     actor_url="http://www.imdb.com/name/nm0032151/") in r.characters


def test_release_info_page(releases_page: TitleRecord) -> None:
    r = releases_page
    assert len(r.releases) == 39
    assert r.releases[1] == Release(region="USA", date="1985-06-13", precision="day", raw="13 June 1985",
                                    note="edited version")
    assert Release(region="UK", date="1989", precision="year", raw="1989",
                   note="edited version; video premiere") in r.releases
    assert Release(region="West Germany", date="1987-01", precision="month", raw="January 1987",
                   note="video premiere") in r.releases
    akas = [n for n in r.names if n.type == "official"]
    assert len(akas) == 39
    assert Name(name="Наусика от Долината на вятъра", lang="bg", type="official", region="Bulgaria",
                note="Bulgarian title") in r.names
    assert Name(name="Warriors of the Wind", type="official", region="USA", note="cut version") in r.names
    assert Name(name="Kaze no tani no Naushika", type="original") in r.names


def test_sub_pages_merge_into_one_record(main: TitleRecord, credits_page: TitleRecord, releases_page: TitleRecord) -> None:
    merged = merge_records([main, credits_page, releases_page])
    assert (merged.record_id, merged.status) == ("imdb:tt0087544", "ok")
    assert merged.title == "Nausicaä of the Valley of the Wind"
    assert len(merged.credits) == 80  # the main page's director and writers are the credits page's own
    assert (len(merged.releases), len(merged.characters)) == (39, 69)
    assert (merged.first_release_date, merged.runtime_minutes, merged.score) == ("1984-03-11", 117, 8.2)
