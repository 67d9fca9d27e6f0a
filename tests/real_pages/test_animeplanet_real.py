"""Anime-Planet real page (2025): your name. Values checked by hand against the page."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.records import Character, Extra, Related, TitleRecord
from tests.conftest import shared_page

pytestmark = pytest.mark.shared

PAGE = "animeplanet__your-name-movie.html"
URL = "https://www.anime-planet.com/anime/your-name"


@pytest.fixture(scope="module")
def record() -> TitleRecord:
    return extract_title(shared_page(PAGE).read_bytes(), URL)


def test_identity_title_and_alt_title(record: TitleRecord) -> None:
    r = record
    assert (r.record_id, r.page_id, r.status, r.errors) == ("animeplanet:anime/your-name", "anime/your-name", "ok", ())
    assert r.canonical_url == URL
    assert r.title == "your name."
    assert r.aliases == ("Kimi no Na wa.",)  # <h2 class="aka"> Alt title: Kimi no Na wa. </h2>


def test_entry_bar(record: TitleRecord) -> None:
    r = record
    # <span class="type">Movie (1 ep x 107 min)</span>
    assert (r.kind, r.kind_raw, r.episodes, r.runtime_minutes, r.runtime_raw) == ("film", "Movie", 1, 107, "107 min")
    assert r.studios == ("CoMix Wave Films",)
    # iconYear "2016", refined by the page's JSON-LD datePublished "2016-08-26"
    assert (r.first_release_date, r.first_release_precision, r.end_date, r.season) == ("2016-08-26", "day", None, None)
    # title="4.503 out of 5 from 60,116 votes"
    assert (r.score, r.score_max, r.score_count) == (4.503, 5.0, 60116)
    assert Extra(label="Rank", value="#15", group="Information") in r.extra


def test_synopsis_notes_tags(record: TitleRecord) -> None:
    r = record
    assert r.synopsis is not None
    assert r.synopsis.startswith("Mitsuha and Taki are two total strangers living completely different lives.")
    assert r.synopsis.endswith("And how will it bring them together?")
    assert Extra(label="Source", value="Funimation", group="Synopsis") in r.extra
    assert r.tags == ("Drama", "Romance", "Body Swapping", "Gender Bender", "Opposites Attract", "School Life",
                      "Supernatural", "Original Work")
    assert set(r.genres) == set(r.tags)  # the JSON-LD "genre" list holds the same words


def test_characters_and_staff(record: TitleRecord) -> None:
    r = record
    assert len(r.characters) == 8
    assert r.characters[0] == Character(
        character="Mitsuha MIYAMIZU", character_url="https://www.anime-planet.com/characters/mitsuha-miyamizu",
        actor="Mone KAMISHIRAISHI", actor_url="https://www.anime-planet.com/people/mone-kamishiraishi",
        language="ja")
    assert {c.language for c in r.characters} == {"ja"}  # every card shows div.flag.flagJP
    assert len(r.credits) == 8
    shinkai = r.credits[0]
    assert (shinkai.person, shinkai.role) == ("Makoto SHINKAI", "Director & Editor & Original Creator & Screenplay & Storyboard")
    assert shinkai.roles == ("director", "editor", "original_creator", "screenplay", "storyboard")
    assert [c.person for c in r.credits if c.role == "Art Director"] == ["Akiko MAJIMA", "Takumi TANJI", "Tasuku WATANABE"]


def test_related_similar_and_no_lists(record: TitleRecord) -> None:
    r = record
    franchise = [x for x in r.related if x.relation == "same franchise"]
    assert franchise[0] == Related(relation="same franchise", title="Suntory Minami Alps no Tennen Mizu",
                                   url="https://www.anime-planet.com/anime/suntory-minami-alps-no-tennen-mizu")
    assert [x.title for x in franchise] == [
        "Suntory Minami Alps no Tennen Mizu", "RADWIMPS: Sparkle", "your name.", "your name. (Light Novel)",
        "your name. Another Side: Earthbound (Light Novel)", "your name. Another Side: Earthbound"]
    similar = [x.title for x in r.related if x.relation == "similar"]
    assert len(similar) == 14
    assert similar[:2] == ["A Silent Voice", "Weathering With You"]
    assert r.lists == ()  # "There are no custom lists yet for this series."
