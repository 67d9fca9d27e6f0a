"""The Whiskey family (Anime Vice, Comic Vine, Giant Bomb): what the samples don't pin down.

Pages here are small fragments in the family's markup, each testing one rule: item types that are
not titles, label vocabularies, relation boxes, placeholders, unparseable values, sites without a
URL, older markup, and the plain-text reader on text renderings of our HTML samples.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import html_text
import pytest

from extractors import extract_title
from extractors.__main__ import extract_sample
from extractors.whiskey_text import sniff_text, split_credit

from .conftest import SAMPLES

if TYPE_CHECKING:
    from pathlib import Path

    from extractors.records import TitleRecord

WHISKEY_SAMPLES = sorted(p for p in (SAMPLES / "title").iterdir()
                         if p.name.split("-")[0] in ("animevice", "comicvine", "giantbomb"))


def page(body: str, title: str = "Test Item (Movie) - Anime Vice", head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>"
            f"<header><nav><ul><li><a href='/anime/'>Anime</a></li></ul></nav></header>{body}"
            "<footer><h4>Mandatory Network</h4><ul><li><a href='https://www.giantbomb.com/'>Giant Bomb</a></li>"
            "</ul></footer></body></html>")


def info(*rows: tuple[str, str], heading: str = "General Information") -> str:
    cells = "".join(f"<tr><th>{label}</th><td><div class='wiki-item-display'>{value}</div></td></tr>"
                    for label, value in rows)
    return f"<div class='wiki-details'><h3>{heading} <a href='#'>Edit</a></h3><table>{cells}</table></div>"


def header(title: str, deck: str = "A deck.") -> str:
    return (f"<h1 class='entry-title'><a class='wiki-title' href='#'>{title}</a></h1>"
            f"<p class='wiki-descriptor'>{deck}</p>")


# -- identity: sites, ids and pages that are not titles -------------------------------------------
@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.animevice.com/memories/4000-1001/", "animevice"),
        ("https://comicvine.gamespot.com/the-iron-lantern/4025-90100/", "comicvine"),
        ("http://www.comicvine.com/the-iron-lantern/4025-90100/", "comicvine"),
        ("https://www.giantbomb.com/halo/3030-2600/", "giantbomb"),
    ],
)
def test_site_and_record_id_come_from_the_url(url: str, site: str) -> None:
    record = extract_title(page(header("Item") + info(("Name", "Item"))), url)
    assert (record.site, record.extractor) == (site, "whiskey")
    assert record.record_id == f"{site}:{url.rstrip('/').rsplit('/', 1)[1]}"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://comicvine.gamespot.com/stan-lee/4040-40439/", "person"),
        ("https://www.animevice.com/spike-spiegel/4005-2/", "character"),
        ("https://www.giantbomb.com/mario/3005-1/", "character"),
        ("https://www.giantbomb.com/nintendo/3010-90/", "company"),
        ("https://www.giantbomb.com/halo/3025-12/", "franchise"),
        ("https://www.giantbomb.com/pc/3045-94/", "platform"),
    ],
)
def test_item_types_that_are_not_titles(url: str, reason: str) -> None:
    body = header("Someone") + info(("Name", "Someone"), ("Birthday", "Jan. 1, 1970"))
    record = extract_title(page(body), url)
    assert record.status == "not_title"
    assert record.errors == ()
    assert record.title == "Someone"
    assert record.credits == ()


def test_unknown_type_id_is_judged_by_its_info_labels() -> None:
    """Older URL schemes (``/72-1234/``) carry no known type id: a person's box is not a title."""
    person = info(("Name", "Hideo Tester"), ("Birthday", "Aug. 24, 1963"), ("Gender", "Male"),
                  ("Hometown", "Tokyo"))
    assert extract_title(page(header("Hideo Tester") + person), "https://www.giantbomb.com/x/72-12/").status \
        == "not_title"
    title = info(("Name", "Old Game"), ("Release Date", "Nov. 15, 2001"))
    record = extract_title(page(header("Old Game") + title), "https://www.giantbomb.com/old-game/61-2600/")
    assert record.status == "ok"
    assert record.page_id == "61-2600"
    assert record.releases[0].date == "2001-11-15"


def test_site_without_url_from_the_page_itself() -> None:
    body = header("Halo") + info(("Name", "Halo"), ("Platform", "<a href='/xbox/3045-32/'>Xbox</a>"))
    record = extract_title(page(body, title="Halo (Game) - Giant Bomb"))
    assert (record.site, record.kind, record.kind_raw, record.platforms) == ("giantbomb", "game", "Game", ("Xbox",))
    og = "<meta property='og:site_name' content='Comic Vine'>"
    assert extract_title(page(body, title="Halo", head=og)).site == "comicvine"


def test_canonical_link_gives_the_page_id_when_no_url_is_known() -> None:
    canonical = "<link rel='canonical' href='https://www.giantbomb.com/halo/3030-2600/'>"
    record = extract_title(page(header("Halo") + info(("Name", "Halo")), title="Halo", head=canonical))
    assert (record.record_id, record.kind) == ("giantbomb:3030-2600", "game")


# -- labels ---------------------------------------------------------------------------------------
def test_every_unmapped_label_goes_to_extra_with_its_box() -> None:
    body = header("Film") + info(("Name", "Film"), ("Total Revenue", "$1,000"), ("Distributor", "Apex"),
                                 ("Wingspan", "3 m<br>4 m"))
    record = extract_title(page(body), "https://comicvine.gamespot.com/film/4025-1/")
    assert [(e.label, e.value, e.group) for e in record.extra] == [
        ("Total Revenue", "$1,000", "General Information"), ("Distributor", "Apex", "General Information"),
        ("Wingspan", "3 m", "General Information"), ("Wingspan", "4 m", "General Information")]
    assert record.box_office is None  # total revenue is not the box office


def test_label_variants_and_older_definition_lists() -> None:
    dl = ("<div class='wiki-details'><h3>General Information</h3><dl>"
          "<dt>Name:</dt><dd>Old Show</dd><dt>Start Date:</dt><dd>April 2004</dd>"
          "<dt>Number of Episodes:</dt><dd>26</dd><dt>Running Time:</dt><dd>24 min. per ep.</dd>"
          "<dt>Genres:</dt><dd>Action, Drama</dd><dt>Type</dt><dd>TV Series</dd></dl></div>")
    record = extract_title(page(header("Old Show") + dl), "https://www.animevice.com/old-show/4050-7/")
    assert (record.first_release_date, record.first_release_precision) == ("2004-04", "month")
    assert (record.episodes, record.runtime_minutes, record.runtime_raw) == (26, 24, "24 min. per ep.")
    assert record.genres == ("Action", "Drama")
    assert (record.kind, record.kind_raw) == ("tv", "TV Series")
    assert record.extra == ()


def test_unparseable_values_are_none_with_raw_kept_and_an_error() -> None:
    body = header("Film") + info(("Name", "Film"), ("Release Date", "TBA"), ("Runtime", "feature length"),
                                 ("Episodes", "many"), ("Budget", "undisclosed"))
    record = extract_title(page(body), "https://comicvine.gamespot.com/film/4025-1/")
    assert record.status == "partial"
    assert [(r.raw, r.date) for r in record.releases] == [("TBA", None)]
    assert (record.runtime_raw, record.runtime_minutes, record.episodes) == ("feature length", None, None)
    assert record.budget is not None
    assert (record.budget.raw, record.budget.amount) == ("undisclosed", None)
    assert sorted(e.field for e in record.errors if e.kind == "unparsed") == [
        "budget", "episodes", "releases", "runtime_minutes"]


def test_name_types_and_languages() -> None:
    """Several Name rows are editions (each with its release); a lone Name row is the main name."""
    pairs = info(("Name", "Memories"), ("Release Date", "Feb. 24, 2004"), ("Name", "メモリーズ"),
                 ("Release Date", "Dec. 23, 1995"))
    record = extract_title(page(header("Memories") + pairs), "https://www.animevice.com/memories/4000-1001/")
    assert [(n.name, n.lang, n.type) for n in record.names] == [
        ("Memories", "en", "edition"), ("メモリーズ", "ja", "edition")]
    assert [(r.name, r.date) for r in record.releases] == [("Memories", "2004-02-24"), ("メモリーズ", "1995-12-23")]
    assert record.first_release_date == "1995-12-23"
    single = extract_title(page(header("Halo") + info(("Name", "Halo"))), "https://www.giantbomb.com/h/3030-1/")
    assert [(n.name, n.type) for n in single.names] == [("Halo", "main")]


# -- relation boxes and modules ---------------------------------------------------------------------
def box(heading: str, items: str, extra: str = "") -> str:
    return f"<div class='wiki-details-object'><h3>{heading}</h3><ul class='wiki-relation'>{items}</ul>{extra}</div>"


def test_creators_box_reads_name_and_roles_and_issue_titles() -> None:
    creators = box("Creators", "<li><a href='/tom-writer/4040-1/'>Tom Writer</a>, writer, cover</li>"
                               "<li><a href='/ann-inks/4040-2/'>Ann Inks</a>, inker</li>")
    h1 = ("<h1 class='entry-title'><a class='wiki-title' href='/lantern/4050-9/'>Lantern</a> "
          "#<a class='wiki-issue-number' href='#'>1</a> - First Light</h1>")
    record = extract_title(page(h1 + "<div class='wiki-details'>" + creators + "</div>"),
                           "https://comicvine.gamespot.com/lantern-1-first-light/4000-11/")
    assert record.title == "Lantern #1 - First Light"
    assert record.kind == "comic"
    assert [(c.person, c.role, c.roles) for c in record.credits] == [
        ("Tom Writer", "writer, cover", ("writer", "illustrator")), ("Ann Inks", "inker", ("illustrator",))]


def test_relation_boxes_by_heading() -> None:
    boxes = (box("Franchise <a href='#'>Edit</a>", "<li><a href='/skyward/4050-5/'>Skyward</a></li>")
             + box("Similar Games", "<li><a href='/grid/3030-4/'>Grid Wardens</a></li>")
             + box("Concepts", "<li><a href='/time-travel/4015-3/'>Time Travel</a></li>")
             + box("Writers", "<li><a href='/ada/4040-8/'>Ada Finch</a></li>")
             + box("Characters", "<li><a href='/nell/4005-2/'>Nell</a></li>"))
    record = extract_title(page(header("Film") + boxes), "https://comicvine.gamespot.com/film/4025-1/")
    assert [(r.relation, r.title) for r in record.related] == [("franchise", "Skyward"), ("similar games", "Grid Wardens")]
    assert [(e.label, e.value) for e in record.extra] == [("Concepts", "Time Travel")]
    assert [(c.person, c.role, c.roles) for c in record.credits] == [("Ada Finch", "Writers", ("writer",))]
    assert [c.character for c in record.characters] == ["Nell"]


def test_placeholders_never_become_data() -> None:
    empty = "<p>We don't have any info about Film's related movies. Help us fill it in!</p>"
    chars = ("<section><h2>Characters &amp; Voice Actors</h2><a href='#'>Add a character to this episode</a>"
             "<p>We don't have any characters attached to this episode. Help us fill it in!</p></section>")
    record = extract_title(page(header("Film") + chars + box("Similar", "", empty)),
                           "https://www.animevice.com/film/4000-3/")
    assert (record.characters, record.related, record.extra) == ((), (), ())
    assert "Help us" not in json.dumps(record.to_dict())
    assert (record.kind, record.kind_raw) == ("film", "Movie")


def test_top_editors_stop_at_their_module() -> None:
    """The sister-site footer ("Mandatory Network") is not a list of editors."""
    editors = "<div class='module'><h3>Top Editors</h3><ol></ol></div>"
    record = extract_title(page(header("Film") + editors), "https://www.animevice.com/film/4000-3/")
    assert record.top_editors == ()
    with_one = ("<div class='module'><h3>Top Editors</h3><ol><li><a href='/profile/ed/'>ed</a> "
                "<span>1,204 edits</span></li></ol></div>")
    record = extract_title(page(header("Film") + with_one), "https://www.animevice.com/film/4000-3/")
    assert [(e.name, e.url, e.contributions) for e in record.top_editors] == [
        ("ed", "https://www.animevice.com/profile/ed/", 1204)]


def test_memories_sample_has_no_data_from_noise() -> None:
    record = extract_sample(SAMPLES / "title" / "animevice-memories")
    assert (record.top_editors, record.characters, record.related, record.genres, record.themes) == ((),) * 5
    dumped = json.dumps(record.to_dict(), ensure_ascii=False)
    for noise in ("Mandatory Network", "Giant Bomb", "Help us fill it in", "Add a new genre", "Save Changes",
                  "Log In", "Terms of Use"):
        assert noise not in dumped


# -- the plain-text reader ------------------------------------------------------------------------
def _shown(record: TitleRecord) -> dict[str, object]:
    """What a text rendering can carry: no links, no images."""
    return {
        "title": record.title, "deck": record.deck, "names": record.names, "releases": record.releases,
        "first_release_date": record.first_release_date, "rating": record.rating,
        "runtime_minutes": record.runtime_minutes, "end_date": record.end_date, "episodes": record.episodes,
        "platforms": record.platforms, "developers": record.developers, "genres": record.genres,
        "budget": record.budget, "box_office": record.box_office,
        "credits_with_roles": [(c.person, c.role, c.note) for c in record.credits if c.role in (
            "Director", "Writers", "Character Artist/Designer", "Key Animator", "Art Director", "Writer", "Music",
            "Series Composition", "Character Designer")],
        "lists": [(x.name, x.item_count, x.author) for x in record.lists],
        "top_editors": [(e.name, e.contributions) for e in record.top_editors],
        "related": [(r.relation, r.title) for r in record.related],
        "history": record.history,
    }


@pytest.mark.parametrize("case", WHISKEY_SAMPLES, ids=lambda p: p.name)
def test_text_rendering_of_each_sample_gives_the_same_facts(case: Path) -> None:
    """Our HTML samples rendered to text (nav, header, sidebar and footer included) read back the
    same; the text reader is driven by the page's markers, not fitted to the seed file."""
    html_record = extract_sample(case)
    text = html_text.extract_text((case / "page.html").read_text(encoding="utf-8"), guess_layout=True)
    text_record = extract_title(text)
    assert text_record.site == html_record.site
    assert text_record.extractor == "whiskey"
    assert _shown(text_record) == _shown(html_record)
    assert text_record.synopsis is not None
    assert text_record.synopsis.split("\n\n")[0] == (html_record.synopsis or "").split("\n\n")[0]


def test_text_rendering_with_tab_separated_table_cells() -> None:
    """A browser's innerText renders table rows as "Label<TAB>value"."""
    text = ("Halo (Game) - Giant Bomb\n\nHalo\n\nA shooter on a ring world.\n\nOverview\n\nMaster Chief fights.\n\n"
            "General Information Edit\nName\tHalo\nFirst release date\tNov. 15, 2001\nPlatform\tXbox, PC\n"
            "Developer\tBungie\nTop Editors\nchief 3 edits\nMandatory Network\nComic Vine\n")
    assert sniff_text(text)
    record = extract_title(text)
    assert (record.site, record.kind, record.title, record.deck) == ("giantbomb", "game", "Halo",
                                                                     "A shooter on a ring world.")
    assert [(s.heading, s.text) for s in record.synopsis_sections] == [("Overview", "Master Chief fights.")]
    assert (record.first_release_date, record.platforms, record.developers) == ("2001-11-15", ("Xbox", "PC"),
                                                                                ("Bungie",))
    assert [(e.name, e.contributions) for e in record.top_editors] == [("chief", 3)]


def test_text_of_another_family_is_not_taken() -> None:
    assert not sniff_text("General Information\nThis essay is about general information theory.\n")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Koji Morimoto Director Koji Morimoto was born December 26, 1959 in Japan.",
         ("Koji Morimoto", "Director", "Koji Morimoto was born December 26, 1959 in Japan.")),
        ("Takashi Watanabe Art Director A Japanese director.", ("Takashi Watanabe", "Art Director",
                                                               "A Japanese director.")),
        ("Jun Miyake Music", ("Jun Miyake", "Music", None)),
        ("Original soundtrack released later", None),
    ],
)
def test_credit_lines_split_at_the_longest_known_role(line: str, expected: tuple[str, str, str | None] | None) -> None:
    assert split_credit(line) == expected


def test_pages_without_a_wiki_item_are_not_titles() -> None:
    """A user list, a forum thread or an error page on a family host: no title link, no info box."""
    list_page = page("<h1>Seen and Watched</h1><ol><li><a href='/memories/4000-1001/'>Memories</a></li></ol>")
    record = extract_title(list_page, "https://www.animevice.com/profile/obsidian609/lists/seen-and-watched/101/")
    assert record.status == "not_title"
    text = extract_title("Forums\n\nWhat did you watch this week?\n\nMandatory Network\n",
                         "https://www.animevice.com/forums/anime-discussion-1/")
    assert text.status == "not_title"


def test_edit_forms_inside_info_rows_are_ignored() -> None:
    row = ("<div class='wiki-item-display'><a href='/sci-fi/3032-3/'>Sci-Fi</a></div>"
           "<form class='wiki-item-edit'><a href='/remove/'>Remove</a><input value='Horror'>"
           "<select><option>Comedy</option></select></form>")
    record = extract_title(page(header("Halo") + info(("Name", "Halo"), ("Theme", row))),
                           "https://www.giantbomb.com/halo/3030-2600/")
    assert record.themes == ("Sci-Fi",)
