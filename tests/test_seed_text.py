"""The seed page as text (``../shared/seed/memories-page.txt``, no URL) gives the same record as our
HTML sample of it, field by field: what the text shows and the HTML shows must agree."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from extractors import extract_title
from extractors.__main__ import extract_sample
from titlecrawl.cli import main

from .conftest import SAMPLES, SHARED

if TYPE_CHECKING:
    from extractors.records import TitleRecord

SEED = SHARED / "seed" / "memories-page.txt"

SAME_FIELDS = (
    "title", "kind", "deck", "synopsis", "synopsis_sections", "names", "aliases", "releases",
    "first_release_date", "first_release_precision", "runtime_minutes", "runtime_raw", "rating",
    "characters", "related", "genres", "themes", "top_editors",
)  # fmt: skip


@pytest.fixture(scope="module")
def text_record() -> TitleRecord:
    if not SEED.is_file():
        pytest.skip(f"{SEED} is not available (../shared is missing)")
    return extract_title(SEED.read_bytes())


@pytest.fixture(scope="module")
def html_record() -> TitleRecord:
    return extract_sample(SAMPLES / "title" / "animevice-memories")


@pytest.mark.parametrize("field", SAME_FIELDS)
def test_text_and_html_agree(field: str, text_record: TitleRecord, html_record: TitleRecord) -> None:
    assert getattr(text_record, field) == getattr(html_record, field)


def test_credits_agree_except_links(text_record: TitleRecord, html_record: TitleRecord) -> None:
    def shown(record: TitleRecord) -> list[tuple[str, str | None, tuple[str, ...], str | None]]:
        return [(c.person, c.role, c.roles, c.note) for c in record.credits]

    assert len(text_record.credits) == 11
    assert shown(text_record) == shown(html_record)
    assert all(c.person_url is None for c in text_record.credits)  # text has no links: never invented


def test_lists_agree_except_links(text_record: TitleRecord, html_record: TitleRecord) -> None:
    def shown(record: TitleRecord) -> list[tuple[str, int | None, str | None]]:
        return [(x.name, x.item_count, x.author) for x in record.lists]

    assert shown(text_record) == [("Seen and Watched", 334, "Obsidian609"), ("anime list", 181, "shels"),
                                  ("completed anime with some ongoing", 95, "jlanzer")]
    assert shown(text_record) == shown(html_record)


def test_text_record_identity(text_record: TitleRecord) -> None:
    """No URL: the site is inferred (voice actors -> Anime Vice), the page id is unknown."""
    assert text_record.site == "animevice"
    assert text_record.extractor == "whiskey"
    assert text_record.page_id is None
    assert text_record.status == "ok"
    assert text_record.errors == ()
    assert text_record.kind_raw == "movies"  # from "about Memories's related movies"


def test_placeholders_and_footer_are_not_data(text_record: TitleRecord) -> None:
    dumped = json.dumps(text_record.to_dict(), ensure_ascii=False)
    for junk in ("Help us fill it in", "Mandatory Network", "Add a new genre", "Save Changes", "Poster Art"):
        assert junk not in dumped


def test_cli_reads_the_seed_without_url(capsys: pytest.CaptureFixture[str]) -> None:
    if not SEED.is_file():
        pytest.skip(f"{SEED} is not available (../shared is missing)")
    assert main(["extract", str(SEED)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert (record["title"], record["site"], record["runtime_minutes"], record["rating"]) == (
        "Memories", "animevice", 115, "R")
    assert [(r["name"], r["date"]) for r in record["releases"]] == [
        ("Memories", "2004-02-24"), ("メモリーズ", "1995-12-23")]


def test_a_rendering_with_site_header_and_title_line_reads_the_same(text_record: TitleRecord) -> None:
    """Another rendering of the same page: site navigation, the ``h1`` line, Windows line ends."""
    header = "Memories (Movie) - Anime Vice\n\nAnime\nManga\nCharacters\nForums\n\nLog In\nSign Up\n\nMemories\n\n"
    variant = (header + SEED.read_text(encoding="utf-8")).replace("\n", "\r\n")
    record = extract_title(variant.encode("utf-8"))
    for field in (*SAME_FIELDS, "credits", "lists", "site"):
        assert getattr(record, field) == getattr(text_record, field), field
    assert record.kind_raw == "Movie"  # the title line names the site's type
