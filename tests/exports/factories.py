"""Realistic records for the export tests, built directly (no extraction involved)."""

from __future__ import annotations

from datetime import UTC, datetime

from extractors.records import (
    Character,
    Credit,
    Editor,
    Extra,
    ExtractionError,
    HistoryEntry,
    Image,
    Money,
    Name,
    Related,
    Release,
    Section,
    TitleRecord,
    UserList,
)

FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def memories(**changes: object) -> TitleRecord:
    """An Anime Vice film page: names in two languages, two dated releases, credits, a user list."""
    record = TitleRecord(
        record_id="animevice:4000-1001",
        site="animevice",
        url="https://www.animevice.com/memories/4000-1001/",
        page_id="4000-1001",
        fetched_at=FETCHED,
        content_sha256="a" * 64,
        extractor="whiskey",
        extractor_version="whiskey/1",
        title="Memories",
        kind="film",
        kind_raw="Movie",
        deck="Three short stories featuring salvage space ship Corona responding to an S.O.S.",
        synopsis="An anthology film in three parts.\n\nThe second sequence, Stink Bomb, follows a lab worker.",
        names=(
            Name(name="Memories", lang="en", type="edition"),
            Name(name="メモリーズ", lang="ja", type="edition"),
        ),
        aliases=("Katsuhiro Otomo Presents: Memories", "Magnetic Rose", "Cannon Fodder", "Stink bomb"),
        releases=(
            Release(name="Memories", date="2004-02-24", precision="day", raw="Feb. 24, 2004"),
            Release(name="メモリーズ", date="1995-12-23", precision="day", raw="Dec. 23, 1995"),
        ),
        first_release_date="1995-12-23",
        first_release_precision="day",
        runtime_minutes=115,
        runtime_raw="115 (mins)",
        rating="R",
        credits=(
            Credit(
                person="Tensai Okamura",
                person_url="https://www.animevice.com/tensai-okamura/4040-101/",
                role="Director",
                roles=("director",),
                note="He's the creator of Darker than Black.",
            ),
            Credit(
                person="Katsuhiro Otomo",
                person_url="https://www.animevice.com/katsuhiro-otomo/4040-102/",
                role="Director",
                roles=("director",),
            ),
            Credit(person="Satoshi Kon", role="Screenplay", roles=("screenplay",)),
        ),
        lists=(
            UserList(
                name="Seen and Watched",
                url="https://www.animevice.com/profile/obsidian609/lists/seen-and-watched/101/",
                item_count=334,
                author="Obsidian609",
                author_url="https://www.animevice.com/profile/obsidian609/",
            ),
        ),
        top_editors=(
            Editor(
                name="Obsidian609", url="https://www.animevice.com/profile/obsidian609/", contributions=41
            ),
        ),
        images=(Image(url="https://static.animevice.com/uploads/memories.jpg", caption="Cover"),),
    )
    return record.replace(**changes) if changes else record


def kaze_tv(**changes: object) -> TitleRecord:
    """A MyAnimeList TV series: counts, a score, genres / themes / demographics, characters and actors."""
    record = TitleRecord(
        record_id="myanimelist:anime/9001",
        site="myanimelist",
        url="https://myanimelist.net/anime/9001/Kaze_no_Tsugi_no_Eki",
        page_id="anime/9001",
        fetched_at=datetime(2026, 11, 1, 12, 5, 30, tzinfo=UTC),
        content_sha256="b" * 64,
        extractor="myanimelist",
        extractor_version="myanimelist/1",
        title="Kaze no Tsugi no Eki",
        kind="tv",
        kind_raw="TV",
        names=(
            Name(name="Kaze no Tsugi no Eki", lang="x-jat", type="main"),
            Name(name="The Station After the Wind", lang="en", type="official"),
            Name(name="風の次の駅", lang="ja", type="original"),
        ),
        first_release_date="2019-04",
        first_release_precision="month",
        end_date="2019-09-20",
        end_precision="day",
        season="spring",
        release_status="finished airing",
        broadcast="Fridays at 23:30 (JST)",
        episodes=24,
        runtime_minutes=24,
        runtime_raw="24 min. per ep.",
        score=8.12,
        score_max=10.0,
        score_count=60_116,
        genres=("Drama", "Slice of Life"),
        themes=("Travel",),
        tags=("trains",),
        demographics=("Seinen",),
        source="Manga",
        studios=("Studio Kaze",),
        licensors=("Kaze Licensing",),
        characters=(
            Character(character="Aoi Minato", role="main", actor="Saori Hayami", language="ja"),
            Character(character="Aoi Minato", role="main", actor="Cristina Vee", language="en"),
            Character(character="Conductor", role="supporting"),
        ),
        related=(
            Related(
                relation="adaptation",
                title="Kaze no Tsugi no Eki (manga)",
                url="https://myanimelist.net/manga/77",
            ),
            Related(relation="side story", title="Kaze no Tsugi no Eki: Terminus"),
        ),
    )
    return record.replace(**changes) if changes else record


def harbor_lights(**changes: object) -> TitleRecord:
    """A Wikipedia film: money, edit time, revision, history, extra info-box rows, a year-only date."""
    record = TitleRecord(
        record_id="wikipedia:Harbor_Lights_(film)",
        site="wikipedia",
        url="https://en.wikipedia.org/wiki/Harbor_Lights_(film)",
        canonical_url="https://en.wikipedia.org/wiki/Harbor_Lights_(film)",
        page_id="Harbor_Lights_(film)",
        fetched_at=datetime(2026, 11, 1, 13, 0, tzinfo=UTC),
        content_sha256="c" * 64,
        extractor="mediawiki",
        extractor_version="mediawiki/1",
        title="Harbor Lights",
        kind="film",
        first_release_date="1971",
        first_release_precision="year",
        releases=(Release(region="United States", date="1971", precision="year", raw="1971"),),
        budget=Money(raw="$800,000", amount=800_000.0, currency="USD"),
        box_office=Money(raw="$98 million", amount=98_000_000.0, currency="USD"),
        countries=("United States",),
        languages=("English",),
        synopsis_sections=(
            Section(heading=None, text="A drifter arrives."),
            Section(heading="Plot", text="He stays."),
        ),
        last_edited_at="2024-05-02T10:15:00Z",
        revision_id="1221870000",
        history=(HistoryEntry(action="edited", user="FilmFan", at="2024-05-02"),),
        extra=(Extra(label="Distributed by", value="Harbor Pictures", group="infobox"),),
    )
    return record.replace(**changes) if changes else record


def partial_game(**changes: object) -> TitleRecord:
    """A Giant Bomb game with an unparsed runtime and a quarter-precision release date."""
    record = TitleRecord(
        record_id="giantbomb:3030-555",
        site="giantbomb",
        url="https://www.giantbomb.com/starfall-tactics/3030-555/",
        page_id="3030-555",
        fetched_at=datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
        content_sha256="d" * 64,
        extractor="whiskey",
        extractor_version="whiskey/1",
        status="partial",
        title="Starfall Tactics",
        kind="game",
        first_release_date="2027",
        first_release_precision="quarter",
        releases=(
            Release(
                name="Starfall Tactics", region="Worldwide", date="2027", precision="quarter", raw="Q3 2027"
            ),
        ),
        runtime_raw="a long evening",
        platforms=("PC", "Switch"),
        developers=("Starfall Works",),
        publishers=("Orbit Games",),
        errors=(ExtractionError(field="runtime_minutes", kind="unparsed", message="'a long evening'"),),
    )
    return record.replace(**changes) if changes else record


def person_page(**changes: object) -> TitleRecord:
    """A person page: kept as a record, ``not_title``, nearly empty."""
    record = TitleRecord(
        record_id="animevice:4040-101",
        site="animevice",
        url="https://www.animevice.com/tensai-okamura/4040-101/",
        page_id="4040-101",
        fetched_at=FETCHED,
        content_sha256="e" * 64,
        extractor="whiskey",
        extractor_version="whiskey/1",
        status="not_title",
        title="Tensai Okamura",
    )
    return record.replace(**changes) if changes else record


def all_records() -> list[TitleRecord]:
    return [memories(), kaze_tv(), harbor_lights(), partial_game(), person_page()]
