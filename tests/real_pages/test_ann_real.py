"""Anime News Network encyclopedia real page (2025). Values checked by hand against the page."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.records import TitleRecord
from tests.conftest import shared_page

pytestmark = pytest.mark.shared

PAGE = "animenewsnetwork__yuki-yuna-washio-sumi-no-sho-movies.html"
URL = "https://www.animenewsnetwork.com/encyclopedia/anime.php?id=19256"


@pytest.fixture(scope="module")
def record() -> TitleRecord:
    return extract_title(shared_page(PAGE).read_bytes(), URL)


def test_title_kind_and_identity(record: TitleRecord) -> None:
    r = record
    assert (r.record_id, r.page_id, r.status, r.errors) == ("animenewsnetwork:anime/19256", "anime/19256", "ok", ())
    assert r.canonical_url == URL
    assert r.title == "Yūki Yūna wa Yūsha de Aru: Washio Sumi no Shō"  # "(movies)" is the kind, not the title
    assert (r.kind, r.kind_raw) == ("film", "movies")
    # The page has no genres, themes, plot summary, running time or episode count blocks.
    assert (r.genres, r.themes, r.synopsis, r.runtime_minutes, r.episodes) == ((), (), None, None, None)


def test_alternative_titles_with_language(record: TitleRecord) -> None:
    assert [(n.name, n.lang) for n in record.names[1:]] == [
        ("Yūki Yūna wa Yūsha de Aru: Washio Sumi no Shō: Tamashii", "x-jat"),
        ("Yūki Yūna wa Yūsha de Aru: Washio Sumi no Shō: Tomodachi", "x-jat"),
        ("Yūki Yūna wa Yūsha de Aru: Washio Sumi no Shō: Yakusoku", "x-jat"),
        ("結城友奈は勇者である -鷲尾須美の章- ＜第１章＞「ともだち」", "ja"),
    ]
    assert len(record.aliases) == 4


def test_vintage_and_premieres_per_region(record: TitleRecord) -> None:
    assert (record.first_release_date, record.first_release_precision) == ("2017-03-18", "day")
    assert [(x.date, x.region, x.name, x.raw) for x in record.releases] == [
        ("2017-03-18", "Japan", "Tomodachi", "2017-03-18 (Japan; Tomodachi)"),
        ("2017-04-15", "Japan", "Tamashii", "2017-04-15 (Japan; Tamashii)"),
        ("2017-07-08", "Japan", "Yakusoku", "2017-07-08 (Japan; Yakusoku)"),
    ]


def test_related_titles_with_relation(record: TitleRecord) -> None:
    base = "https://www.animenewsnetwork.com/encyclopedia/anime.php?id="
    assert [(x.relation, x.title, x.url) for x in record.related] == [
        ("spinoff of", "Yuki Yuna Is a Hero (TV)", base + "16171"),
        ("compilation", "Yuki Yuna Is a Hero: The Washio Sumi Chapter (TV)", base + "20071"),
        ("sequel", "Yuki Yuna is a Hero: The Hero Chapter (TV)", base + "20285"),
        ("sequel", "Yuki Yuna is a Hero: The Great Mankai Chapter (TV)", base + "23555"),
    ]


def test_staff_companies_and_cast(record: TitleRecord) -> None:
    credits = [(c.person, c.role, c.note) for c in record.credits]
    assert len(credits) == 16
    assert credits[:3] == [
        ("Seiji Kishi", "Chief Director", None),
        ("Daisei Fukuoka", "Director", None),
        ("Makoto Uezu", "Script", None),
    ]
    assert ("Takahiro", "Original Concept", "Minato Soft") in credits
    assert record.credits[0].roles == ("chief_director",)
    assert record.credits[0].person_url == "https://www.animenewsnetwork.com/encyclopedia/people.php?id=22227"
    assert record.studios == ("Studio Gokumi",)  # "Animation Production" under Japanese companies
    extra = {(e.label, e.group): e.value for e in record.extra}
    assert extra[("Distributor", "companies")] == "Pony Canyon"
    assert extra[("Photography Assistance", "companies")] == "Artbox, drop"
    assert [(c.actor, c.character, c.language) for c in record.characters] == [
        ("Kana Hanazawa", "Sonoko Nogi", "ja"),
        ("Suzuko Mimori", "Sumi Washio", "ja"),
        ("Yumiri Hanamori", "Gin Minowa", "ja"),
        ("Rina Satō", "Aki-sensei", "ja"),
    ]


def test_other_blocks_are_kept(record: TitleRecord) -> None:
    labels = [e.label for e in record.extra if e.group is None]
    assert labels == ["User Ratings", "Vintage", "Opening Theme", "Ending Theme", "Official website"]


def test_recognized_without_url() -> None:
    r = extract_title(shared_page(PAGE).read_bytes(), None)
    assert (r.extractor, r.record_id) == ("animenewsnetwork", "animenewsnetwork:anime/19256")
