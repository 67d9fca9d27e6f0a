"""aniSearch real page (2025): A Silent Voice. Values checked by hand against the page."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.records import Name, Related, Release, TitleRecord
from tests.conftest import shared_page

pytestmark = pytest.mark.shared

PAGE = "anisearch__a-silent-voice-movie.html"
URL = "https://www.anisearch.com/anime/9981,a-silent-voice"


@pytest.fixture(scope="module")
def record() -> TitleRecord:
    return extract_title(shared_page(PAGE).read_bytes(), URL)


def test_identity(record: TitleRecord) -> None:
    r = record
    assert (r.record_id, r.page_id, r.status, r.errors) == ("anisearch:anime/9981", "anime/9981", "ok", ())
    assert r.canonical_url == URL
    assert r.title == "A Silent Voice"


def test_type_episodes_runtime_and_dates(record: TitleRecord) -> None:
    r = record
    # "Type: Movie, 1 (~<time datetime="PT2H9M">129 min</time>)"
    assert (r.kind, r.kind_raw, r.episodes) == ("film", "Movie", 1)
    assert (r.runtime_minutes, r.runtime_raw) == (129, "129 min")
    assert (r.first_release_date, r.first_release_precision, r.end_date) == ("2016-09-17", "day", None)
    assert r.season is None  # the page shows no season
    assert r.release_status == "completed"


def test_one_release_and_name_per_language_block(record: TitleRecord) -> None:
    r = record
    assert [(x.region, x.date, x.raw) for x in r.releases] == [
        ("Japanese", "2016-09-17", "17.09.2016"),
        ("English", "2017-03-15", "15.03.2017"),
        ("German", "2017-09-26", "26.09.2017"),
        ("Spanish", "2017-05-05", "05.05.2017"),
        ("French", "2018-08-22", "22.08.2018"),
        ("Italian", "2017-10-24", "24.10.2017"),
    ]
    assert r.releases[0] == Release(name="Eiga Koe no Katachi", region="Japanese", date="2016-09-17",
                                    precision="day", raw="17.09.2016")
    assert Name(name="Eiga Koe no Katachi", lang="x-jat", type="original") in r.names
    assert Name(name="映画 聲の形", lang="ja", type="original") in r.names
    assert Name(name="La Forma della Voce", lang="it", type="official") in r.names
    assert Name(name="Silent Voice", lang="fr", type="official") in r.names
    # "Synonyms: The Shape of Voice, <i class="grey">Una Voz Silenciosa</i>"
    assert r.aliases == ("The Shape of Voice", "Una Voz Silenciosa")


def test_companies_staff_source_and_audience(record: TitleRecord) -> None:
    r = record
    assert r.studios == ("Kyoto Animation Co., Ltd.",)
    assert r.publishers == ("Anime Limited (UK)", "Madman Entertainment", "Eleven Arts", "Kazé Deutschland",
                            "Selecta Visión S.L.U.", "Kazé France", "Art House Films", "Dynit SRL")
    assert (r.source, r.demographics) == ("Manga", ("Male",))
    assert [(c.person, c.role, c.roles) for c in r.credits] == [
        ("Yoshitoki OOIMA", "Original Work", ("original_creator",)),
        ("Naoko YAMADA", "Direction", ("director",)),
        ("Futoshi NISHIYA", "Character Design", ("character_designer",)),
        ("agraph", "Music", ("music",)),
    ]
    assert r.credits[1].person_url == "https://www.anisearch.com/person/19100,naoko-yamada"


def test_synopsis_per_language(record: TitleRecord) -> None:
    r = record
    assert [s.heading for s in r.synopsis_sections] == ["English", "Deutsch", "Español", "Français", "Italiano"]
    assert r.synopsis is not None
    assert r.synopsis.startswith("Shouya Ishida is the class clown")
    # <br><br> splits the English text in two paragraphs; the hidden "Source:" line is left out
    assert r.synopsis.split("\n\n")[1].startswith("So he grows up, alone")
    assert "Source:" not in r.synopsis
    assert "www.anisearch" not in r.synopsis


def test_genres_and_tags(record: TitleRecord) -> None:
    r = record
    assert r.genres == ("Sentimental Drama", "Drama", "Psychological Drama", "Romance")
    assert r.tags == ("Bullying", "Coming of Age", "Elementary School", "Hero of Weak Character",
                      "Heroine of Weak Character", "High School", "Present", "Tomboy", "Tragedy")


def test_characters_relations_contributors_score(record: TitleRecord) -> None:
    r = record
    assert len(r.characters) == 10
    assert (r.characters[0].character, r.characters[0].character_url) == (
        "Shouya ISHIDA", "https://www.anisearch.com/character/63375,shouya-ishida")
    assert r.related == (
        Related(relation="other", title="Koi wo Shita no wa", url="https://www.anisearch.com/anime/16004,koi-wo-shita-no-wa"),
        Related(relation="other", title="Speed of Youth", url="https://www.anisearch.com/anime/15961,speed-of-youth"),
        Related(relation="original work", title="A Silent Voice", url="https://www.anisearch.com/manga/12359,a-silent-voice"),
        Related(relation="same origin", title="Koe no Katachi", url="https://www.anisearch.com/manga/77370,koe-no-katachi"),
    )
    assert [(e.name, e.contributions) for e in r.top_editors] == [
        ("xNeliel", 510), ("akayafan", 375), ("Sephi-", 210), ("MatthiasSchautAnime", 200), ("Shikoku", 148)]
    assert r.top_editors[0].url == "https://www.anisearch.com/member/23116,xneliel"
    # "Calculated Value 4.43 = 89%", 3316 ratings in the JSON-LD
    assert (r.score, r.score_max, r.score_count) == (4.43, 5.0, 3316)
