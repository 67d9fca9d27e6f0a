"""The field-level diff engine on hand-made records: identities, text spans, what is never reported."""

from __future__ import annotations

from datetime import UTC, datetime

from exports.diff import DEFAULT_IGNORED, compare, diff_records, version_pairs, word_spans
from extractors.records import (
    Character,
    Credit,
    Extra,
    ExtractionError,
    Image,
    Name,
    Related,
    Release,
    TitleRecord,
    UserList,
)

SYNOPSIS = (
    "Three short stories based on works by Katsuhiro Otomo.\n\n"
    "Magnetic Rose follows a salvage crew answering an S.O.S. in deep space.\n\n"
    "Cannon Fodder shows one day in a city that lives to fire its guns."
)


def _base(**changes: object) -> TitleRecord:
    record = TitleRecord(
        record_id="animevice:4000-1001",
        site="animevice",
        url="https://www.animevice.com/memories/4000-1001/",
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        content_sha256="a" * 64,
        title="Memories",
        deck="Three short stories.",
        synopsis=SYNOPSIS,
        runtime_minutes=115,
        aliases=("Magnetic Rose", "Cannon Fodder", "Stink bomb"),
        genres=("Science Fiction",),
        names=(Name(name="Memories", lang="en", type="edition"), Name(name="メモリーズ", lang="ja")),
        releases=(
            Release(name="Memories", region="US", date="2004-02-24", precision="day", raw="Feb. 24, 2004"),
            Release(name="メモリーズ", region="JP", date="1995-12-23", precision="day", raw="Dec. 23, 1995"),
        ),
        credits=(
            Credit(person="Koji Morimoto", role="Director", roles=("director",)),
            Credit(person="Katsuhiro Otomo", role="Director", roles=("director",)),
            Credit(person="Yoko Kanno", role="Music", roles=("music",), note="Magnetic Rose segment."),
        ),
        characters=(Character(character="Heintz", actor="Someone"),),
        lists=(
            UserList(name="Seen and Watched", url="https://x/list/1/", item_count=334, author="Obsidian609"),
        ),
        related=(Related(relation="similar", title="Robot Carnival", url="https://x/robot-carnival/"),),
        images=(Image(url="https://x/poster.jpg", caption="Original US Poster Art"),),
        extra=(Extra(label="Platform", value="Theatrical"),),
    )
    return record.replace(**changes)


def _summary(old: TitleRecord, new: TitleRecord) -> list[tuple[str, str, str | None]]:
    return [(c.field, c.change, c.key) for c in diff_records(old, new)]


def test_identical_records_and_provenance_changes_diff_to_nothing() -> None:
    old = _base()
    new = _base(
        fetched_at=datetime(2026, 2, 1, tzinfo=UTC),
        content_sha256="b" * 64,
        extractor_version="whiskey/9",
        revision_id="99",
        last_edited_at="2026-01-31",
        errors=(ExtractionError(field="credits", kind="unparsed", message="x"),),
    )
    assert diff_records(old, new) == []
    assert "errors" in DEFAULT_IGNORED
    # Asked for, errors are compared like any list (matched by field + kind).
    changes = diff_records(old, new, ignore=DEFAULT_IGNORED - {"errors"})
    assert [(c.field, c.change, c.key) for c in changes] == [("errors", "added", "credits / unparsed")]


def test_formatting_only_differences_are_not_changes() -> None:
    old = _base()
    new = _base(
        title="  Memories ",
        deck="Three  short\nstories.",
        synopsis=SYNOPSIS.replace(". ", ".  ").replace("\n\n", "\n \n\n"),
        # list order and white space inside items do not count
        aliases=("Stink bomb", "Magnetic  Rose", "Cannon Fodder"),
        credits=tuple(reversed(_base().credits)),
    )
    assert diff_records(old, new) == []


def test_scalars_report_old_and_new() -> None:
    changes = diff_records(_base(), _base(runtime_minutes=113, rating="R", title=None))
    assert [(c.field, c.change, c.old, c.new) for c in changes] == [
        ("title", "removed", "Memories", None),
        ("runtime_minutes", "changed", 115, 113),
        ("rating", "added", None, "R"),
    ]


def test_list_items_are_matched_by_identity() -> None:
    old = _base()
    new = _base(
        credits=(
            *old.credits[:2],
            Credit(
                person="Yoko Kanno",
                role="Music",
                roles=("music",),
                note="Magnetic Rose and the ending theme.",
            ),
            Credit(person="Satoshi Kon", role="Writer", roles=("writer",)),
        ),
        releases=(
            Release(name="Memories", region="US", date="2004-03-24", precision="day", raw="Mar. 24, 2004"),
            old.releases[1],
        ),
        aliases=("Magnetic Rose", "Cannon Fodder"),
        lists=(
            UserList(
                name="Seen and Watched (renamed)",
                url="https://x/list/1/",
                item_count=335,
                author="Obsidian609",
            ),
        ),
        names=(
            Name(name="Memories", lang="en", type="edition"),
            Name(name="メモリーズ", lang="ja"),
            Name(name="Memories", lang="fr"),
        ),
    )
    assert _summary(old, new) == [
        ("names", "added", "Memories / fr"),
        ("aliases", "removed", "Stink bomb"),
        ("releases", "changed", "Memories / US"),
        ("credits", "added", "Satoshi Kon / Writer"),
        ("credits", "changed", "Yoko Kanno / Music"),
        ("lists", "changed", "https://x/list/1/"),
    ]
    by_key = {(c.field, c.key): c for c in diff_records(old, new)}
    release = by_key[("releases", "Memories / US")]
    assert release.fields == {"date": ("2004-02-24", "2004-03-24"), "raw": ("Feb. 24, 2004", "Mar. 24, 2004")}
    assert release.old["date"] == "2004-02-24"
    assert release.new["date"] == "2004-03-24"
    assert by_key[("lists", "https://x/list/1/")].fields == {
        "name": ("Seen and Watched", "Seen and Watched (renamed)"),
        "item_count": (334, 335),
    }
    assert by_key[("credits", "Satoshi Kon / Writer")].new["person"] == "Satoshi Kon"


def test_identity_falls_back_and_duplicates_pair_in_order() -> None:
    old = _base(
        lists=(UserList(name="favourites", item_count=3),),
        related=(Related(relation="similar", title="Neo-Tokyo"),),
        characters=(Character(character="Nobuo", actor="A"), Character(character="Nobuo", actor="A")),
    )
    new = _base(
        lists=(UserList(name="favourites", item_count=4),),
        related=(Related(relation="similar", title="Neo-Tokyo", url="https://x/neo-tokyo/"),),
        characters=(Character(character="Nobuo", actor="A"),),
    )
    assert _summary(old, new) == [
        ("characters", "removed", "Nobuo / A"),
        ("lists", "changed", "favourites"),
        # the url is the identity once there is one: the title-keyed item went, the url-keyed one came
        ("related", "removed", "Neo-Tokyo"),
        ("related", "added", "https://x/neo-tokyo/"),
    ]


def test_an_edited_paragraph_gives_word_spans() -> None:
    edited = SYNOPSIS.replace("answering an S.O.S. in deep space", "answering a distress call near Earth")
    changes = diff_records(_base(), _base(synopsis=edited))
    assert len(changes) == 1
    change = changes[0]
    assert (change.field, change.change, change.key) == ("synopsis", "edited", "paragraph 2")
    assert [(s.op, s.old, s.new) for s in change.spans] == [
        ("replace", "an S.O.S. in deep space.", "a distress call near Earth."),
    ]
    assert change.spans[0].before == "follows a salvage crew answering"
    assert change.to_dict()["spans"][0]["new"] == "a distress call near Earth."


def test_paragraphs_added_and_removed() -> None:
    paras = SYNOPSIS.split("\n\n")
    new_text = "\n\n".join([paras[0], paras[2], "A new closing paragraph about the music by Yoko Kanno."])
    assert _summary(_base(), _base(synopsis=new_text)) == [
        ("synopsis", "removed", "paragraph 2"),
        ("synopsis", "added", "paragraph 3"),
    ]
    assert _summary(_base(deck=None), _base()) == [("deck", "added", None)]


def test_word_spans_keep_context() -> None:
    spans = word_spans("one two three four five six seven", "one two three FOUR five six seven seven")
    assert [(s.op, s.old, s.new, s.before, s.after) for s in spans] == [
        ("replace", "four", "FOUR", "one two three", "five six seven"),
        ("insert", "", "seven", "three four five six seven", ""),
    ]


def test_compare_carries_identity_and_times_into_rows() -> None:
    old = _base()
    new = _base(fetched_at=datetime(2026, 2, 1, tzinfo=UTC), runtime_minutes=113)
    diff = compare(old.to_dict(), new)
    assert diff.rows() == [
        {
            "record_id": "animevice:4000-1001",
            "url": "https://www.animevice.com/memories/4000-1001/",
            "field": "runtime_minutes",
            "change": "changed",
            "key": None,
            "old": 115,
            "new": 113,
            "old_fetched_at": "2026-01-01T00:00:00Z",
            "new_fetched_at": "2026-02-01T00:00:00Z",
        }
    ]


def test_version_pairs_follow_capture_time() -> None:
    v1, v2, v3 = (_base(fetched_at=datetime(2026, m, 1, tzinfo=UTC)).to_dict() for m in (1, 2, 3))
    assert version_pairs([v3, v1, v2]) == [(v1, v2), (v2, v3)]
