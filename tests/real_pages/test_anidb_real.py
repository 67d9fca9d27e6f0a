"""AniDB real page (2025): Spirited Away. Values checked by hand against the page."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors.records import TitleRecord
from tests.conftest import shared_page

pytestmark = pytest.mark.shared

PAGE = "anidb__sen-to-chihiro-no-kamikakushi-movie.html"


@pytest.fixture(scope="module")
def record() -> TitleRecord:
    return extract_title(shared_page(PAGE).read_bytes(), "https://anidb.net/anime/112")


def test_identity_and_basic_facts(record: TitleRecord) -> None:
    r = record
    assert (r.record_id, r.page_id, r.status, r.errors) == ("anidb:112", "112", "ok", ())
    assert r.canonical_url == "https://anidb.net/anime/112"
    assert r.title == "Sen to Chihiro no Kamikakushi"
    assert (r.kind, r.kind_raw, r.episodes) == ("film", "Movie", None)  # "Movie": no episode count shown
    assert (r.first_release_date, r.first_release_precision, r.end_date) == ("2001-07-20", "day", None)
    assert r.season == "summer"
    assert (r.runtime_minutes, r.runtime_raw) == (125, "approx. 2h 5m")
    assert (r.score, r.score_max, r.score_count) == (8.75, 10.0, 14610)
    assert r.tags == ("fantasy", "isekai", "magic", "mina", "new", "parallel world")
    assert r.studios == ("Studio Ghibli",)  # the "Work (制作)" credit


def test_titles_per_language(record: TitleRecord) -> None:
    names = [(n.name, n.lang, n.type, n.note) for n in record.names]
    assert names[:3] == [
        ("Sen to Chihiro no Kamikakushi", None, "main", None),
        ("Spirited Away", "en", "official", "verified"),
        ("千と千尋の神隠し", "ja", "official", "verified"),
    ]
    # 30 official rows; "Chihiro Og Heksene" is flagged Norwegian and Danish, so 31 official names.
    official = [n for n in record.names if n.type == "official"]
    assert len(official) == 31
    assert ("Chihiro Og Heksene", "no") in [(n.name, n.lang) for n in official]
    assert ("Chihiro Og Heksene", "da") in [(n.name, n.lang) for n in official]
    assert ("Унесённые призраками", "ru", "official", "verified") in names
    unverified = [n.name for n in official if n.note == "unverified"]
    assert len(unverified) == 11
    assert unverified[0] == "Cesta do fantazie"
    assert [n.name for n in record.names if n.type == "synonym"] == [
        "Sen and Chihiro`s Spiriting Away", "Vùng đất linh hồn", "W Krainie Bogów", "Сен та Чіхіро в полоні у духів",
    ]
    assert [n.name for n in record.names if n.type == "short"] == [
        "Chihiro", "SA", "Sen to Chihiro", "StCnK", "Сен та Чіхіро",
    ]
    assert len(record.aliases) == 9


def test_staff_table_with_rowspans(record: TitleRecord) -> None:
    credits = record.credits
    assert len(credits) == 432  # every name cell of both staff tables
    first = [(c.person, c.role, c.roles) for c in credits[:4]]
    assert first == [
        ("Miyazaki Hayao", "Original Work (原作)", ("original_creator",)),
        ("Miyazaki Hayao", "Direction (監督)", ("director",)),
        ("Miyaji Masayuki", "Assistant Direction (監督助手)", ("assistant_director",)),
        ("Takahashi Atsushi", "Assistant Direction (監督助手)", ("assistant_director",)),  # rowspan="2"
    ]
    music_work = [(c.person, c.note) for c in credits if c.role == "Music Work (音楽制作)"]
    assert music_work == [
        ("Inaki Kazumi", "credit given as 音響・音楽制作"),
        ("Kojou Tamaki", "credit given as 音響・音楽制作"),
        ("Studio Ghibli", "credit given as 音響・音楽制作"),
    ]
    assert sum(1 for c in credits if c.role == "Key Animation (原画)") == 38
    assert sum(1 for c in credits if c.role == "In-Between Animation (動画)") == 126
    assert credits[0].person_url == "https://anidb.net/creator/40"


def test_cast_groups(record: TitleRecord) -> None:
    chars = record.characters
    assert len(chars) == 53
    assert [(c.character, c.role, c.actor) for c in chars[:3]] == [
        ("Nigihayami Kohaku Nushi", "main character", "Irino Miyu"),
        ("Ogino Chihiro", "main character", "Hiiragi Rumi"),
        ("Yubaaba", "main character", "Natsuki Mari"),
    ]
    roles = [c.role for c in chars]
    assert (roles.count("main character"), roles.count("secondary cast"), roles.count("appears")) == (3, 4, 46)
    susuwatari = [c for c in chars if c.character == "Susuwatari"]
    assert len(susuwatari) == 1
    assert susuwatari[0].actor is None
    # AniDB serves some virtual voice actors in a broken <aprimary href=...> tag: still read.
    assert ("Additional Voice", "冨平晶子", "https://anidb.net/creator/virtual/259553") in [
        (c.character, c.actor, c.actor_url) for c in chars
    ]


def test_similar_anime_and_versions(record: TitleRecord) -> None:
    similar = [(x.relation, x.title, x.url) for x in record.related]
    assert len(similar) == 11  # 11 approved; the 5 rejected suggestions are left out
    assert similar[0] == ("similar", "Howl no Ugoku Shiro", "https://anidb.net/anime/1218")
    assert [(h.action, h.user, h.at) for h in record.history] == [
        ("added", None, "2002-08-21T11:27"),
        ("edited", None, "2021-11-04T04:48"),
    ]
    assert record.last_edited_at == "2021-11-04T04:48"


def test_synopsis(record: TitleRecord) -> None:
    assert record.synopsis is not None
    assert record.synopsis.startswith("For the 10-year-old Chihiro and her family, a mysterious tunnel")
    assert record.synopsis.endswith("But can she win back her name and return home?\n\nSource: AnimeNfo")


def test_recognized_without_url() -> None:
    r = extract_title(shared_page(PAGE).read_bytes(), None)
    assert (r.extractor, r.record_id, r.title) == ("anidb", "anidb:112", "Sen to Chihiro no Kamikakushi")
