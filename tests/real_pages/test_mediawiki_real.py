"""The MediaWiki family on real pages from ../shared/pages, checked field by field by hand.

Every expected value below was read off the saved page itself (the infobox rows, the footer, the
head's ``mw.config``, the category box, the interlanguage links), not copied from the extractor.
The tests skip when ../shared is absent.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from extractors import extract_title
from extractors.records import Credit, Extra, Image, Money, Name, Related, Release, TitleRecord
from tests.conftest import shared_page

pytestmark = pytest.mark.shared

BILLY_JACK = "wikipedia__billy-jack-1971-film.html"
TIME_LOOPS = "wikipedia__list-of-films-featuring-time-loops-2024-skin.html"
INTO_THE_DARK = "fandom__wookieepedia-the-high-republic-into-the-dark-novel.html"


@cache
def _record(name: str, url: str) -> TitleRecord:
    return extract_title(shared_page(name).read_bytes(), url)


def billy_jack() -> TitleRecord:
    return _record(BILLY_JACK, "https://en.wikipedia.org/wiki/Billy_Jack")


def into_the_dark() -> TitleRecord:
    return _record(INTO_THE_DARK, "https://starwars.fandom.com/wiki/The_High_Republic:_Into_the_Dark")


def _no_footnote_markers(record: TitleRecord) -> None:
    text = json.dumps(record.to_dict(), ensure_ascii=False)
    for marker in ("[1]", "[2]", "[3]", "citation needed", "[edit]"):
        assert marker not in text, marker


# -- Billy Jack (en.wikipedia.org, 2014 Vector) --------------------------------------------------


def test_billy_jack_identity_and_versions() -> None:
    r = billy_jack()
    assert (r.record_id, r.site, r.page_id) == ("wikipedia:Billy_Jack", "wikipedia", "Billy_Jack")
    assert r.canonical_url == "http://en.wikipedia.org/wiki/Billy_Jack"
    assert (r.extractor, r.status, r.errors) == ("mediawiki", "ok", ())
    assert r.revision_id == "603090957"  # "wgCurRevisionId":603090957
    assert r.last_edited_at == "2014-04-07T02:11"  # "last modified on 7 April 2014 at 02:11"


def test_billy_jack_title_kind_and_names() -> None:
    r = billy_jack()
    assert r.title == "Billy Jack"
    assert r.kind == "film"  # from its categories ("1971 films" ...): the 2014 infobox names no type
    assert r.names == (
        Name(name="Billy Jack", lang="en", type="main"),
        Name(name="Billy Jack", lang="nl", type="translated"),
        Name(name="明日の壁をぶち破れ", lang="ja", type="translated"),
    )


def test_billy_jack_credits_with_canonical_roles_and_notes() -> None:
    wiki = "https://en.wikipedia.org/wiki/"
    tom, delores = wiki + "Tom_Laughlin", wiki + "Delores_Taylor"
    assert billy_jack().credits == (
        Credit(person="Tom Laughlin", person_url=tom, role="Directed by", roles=("director",), note="as T.C. Frank"),
        Credit(person="Tom Laughlin", person_url=tom, role="Produced by", roles=("producer",),
               note="as Mary Rose Solti"),
        Credit(person="Tom Laughlin", person_url=tom, role="Written by", roles=("writer",), note="as Frank Christina"),
        Credit(person="Delores Taylor", person_url=delores, role="Written by", roles=("writer",),
               note="as Theresa Christina"),
        Credit(person="Tom Laughlin", person_url=tom, role="Starring", roles=("cast",)),
        Credit(person="Delores Taylor", person_url=delores, role="Starring", roles=("cast",)),
        Credit(person="Mundell Lowe", person_url=wiki + "Mundell_Lowe", role="Music by", roles=("music",)),
        Credit(person="Dennis Lambert", person_url=wiki + "Dennis_Lambert", role="Music by", roles=("music",)),
        Credit(person="Brian Potter", person_url=wiki + "Brian_Potter", role="Music by", roles=("music",)),
        Credit(person="Fred Koenekamp", person_url=wiki + "Fred_J._Koenekamp", role="Cinematography",
               roles=("cinematographer",)),
        Credit(person="John M. Stephens", role="Cinematography", roles=("cinematographer",)),
        Credit(person="Larry Heath", role="Editing by", roles=("editor",)),
        Credit(person="Marion Rothman", role="Editing by", roles=("editor",)),
    )  # fmt: skip


def test_billy_jack_release_runtime_money_and_places() -> None:
    r = billy_jack()
    assert r.releases == (Release(date="1971-05-01", precision="day", raw="May 1, 1971"),)
    assert (r.first_release_date, r.first_release_precision) == ("1971-05-01", "day")
    assert (r.runtime_minutes, r.runtime_raw) == (114, "114 min.")
    assert r.budget == Money(raw="$800,000", amount=800000.0, currency="USD")
    assert r.box_office == Money(raw="$32,500,000", amount=32500000.0, currency="USD")  # footnote [1] gone
    assert (r.countries, r.languages) == (("United States",), ("English",))
    assert r.studios == ("National Student Film Corporation",)
    assert r.extra == (Extra(label="Distributed by", value="Warner Bros."),)


def test_billy_jack_categories_give_tags_genres_and_themes() -> None:
    r = billy_jack()
    assert r.tags == (
        "English-language films", "1971 films", "Counterculture of the 1960s", "Fictional Navajo people",
        "Films about Native Americans", "Films shot in Arizona", "Films shot in California",
        "Films shot in New Mexico", "Hapkido films", "Hippie films", "Prescott, Arizona", "Vigilante films",
    )  # fmt: skip
    assert "Articles needing additional references from November 2010" not in r.tags  # hidden category
    assert r.genres == ("hapkido", "hippie", "vigilante")
    assert r.themes == ("Native Americans",)


def test_billy_jack_plot_lead_and_poster() -> None:
    r = billy_jack()
    assert [s.heading for s in r.synopsis_sections] == [None, "Plot"]
    lead, plot = r.synopsis_sections
    assert lead.text.startswith("Billy Jack is a 1971 action/drama independent film;")
    assert lead.text.endswith("distribution supervised by Laughlin.")
    assert r.synopsis == plot.text
    assert r.synopsis is not None
    paragraphs = r.synopsis.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith('Billy Jack is a "half-breed" American Navajo Indian, a Green Beret')
    assert paragraphs[-1].endswith("The plot continues in the sequel, The Trial of Billy Jack.")
    assert r.images == (
        Image(url="https://upload.wikimedia.org/wikipedia/en/4/48/Billy_Jack_poster.jpg",
              caption="Theatrical release poster."),
    )  # fmt: skip
    _no_footnote_markers(r)


def test_billy_jack_soundtrack_infobox_is_not_the_films() -> None:
    """The album infobox in the Soundtrack section (Released 1972, Label Warner Bros.) is ignored."""
    r = billy_jack()
    assert all(e.label not in ("Released", "Recorded", "Label") for e in r.extra)
    assert [rel.date for rel in r.releases] == ["1971-05-01"]


# -- the 2024-skin list page ---------------------------------------------------------------------


def test_list_page_is_not_a_title() -> None:
    r = _record(TIME_LOOPS, "https://en.wikipedia.org/wiki/List_of_films_featuring_time_loops")
    assert r.status == "not_title"
    assert (r.record_id, r.title) == (
        "wikipedia:List_of_films_featuring_time_loops", "List of films featuring time loops"
    )
    assert r.last_edited_at == "2024-04-02T13:18"  # "last edited on 2 April 2024, at 13:18 (UTC)"
    assert r.tags == ("Lists of films by common content", "Time loop films", "Films about time travel")
    assert r.credits == ()
    assert r.releases == ()
    assert r.errors == ()


# -- The High Republic: Into the Dark (Wookieepedia, FandomDesktop) ---------------------------------


def test_fandom_identity_and_kind() -> None:
    r = into_the_dark()
    assert r.record_id == "fandom:starwars:The_High_Republic:_Into_the_Dark"
    assert (r.site, r.page_id, r.status, r.errors) == ("fandom", "starwars:The_High_Republic:_Into_the_Dark", "ok", ())
    assert r.canonical_url == "https://starwars.fandom.com/wiki/The_High_Republic:_Into_the_Dark"
    assert r.title == "The High Republic: Into the Dark"
    assert r.revision_id == "10944173"
    assert r.last_edited_at is None  # this skin shows no last-edited date
    assert (r.kind, r.kind_raw) == ("novel", "Young adult novel")  # data-source="media type"


def test_fandom_portable_infobox_by_data_source() -> None:
    r = into_the_dark()
    base = "https://starwars.fandom.com/wiki/"
    assert r.credits == (
        Credit(person="Claudia Gray", person_url=base + "Claudia_Gray", role="Author(s)", roles=("author",)),
        Credit(person="Giorgio Baroni", person_url=base + "Giorgio_Baroni", role="Cover artist",
               roles=("illustrator",)),
    )  # fmt: skip
    assert r.publishers == ("Disney–Lucasfilm Press",)
    assert r.releases == (Release(date="2021-02-02", precision="day", raw="February 2, 2021"),)
    assert r.related == (
        Related(relation="series", title="Star Wars: The High Republic", url=base + "Star_Wars:_The_High_Republic"),
    )
    assert r.extra == (
        Extra(label="Pages", value="352", group="Publication information"),
        Extra(label="ISBN", value="9781368057288", group="Publication information"),
        Extra(label="Timeline", value="c. 232 BBY", group="Chronology"),
    )


def test_fandom_categories_images_sections_and_characters() -> None:
    r = into_the_dark()
    assert r.tags == ("Star Wars: The High Republic young-adult novels",)  # maintenance categories left out
    assert r.genres == ("young-adult",)
    cover = "https://static.wikia.nocookie.net/starwars/images/8/81/Into_the_Dark_cover.jpg/revision/latest?cb=20200225074008"
    spain = "https://static.wikia.nocookie.net/starwars/images/9/9e/Into_the_Dark_coverES.jpg/revision/latest?cb=20210202192115"
    assert r.images == (Image(url=cover, caption="Front cover"), Image(url=spain, caption="Spain front cover"))
    headings = [s.heading for s in r.synopsis_sections]
    assert headings == [
        None, "Publisher's summary", "The Great Disaster", "The space station", "Darkness", "Return to Coruscant",
        "Trouble at home", "Unfinished business", "Battle on Amaxine Station", "Homecoming", "Epilogue",
    ]  # fmt: skip
    assert r.synopsis_sections[0].text.startswith("The High Republic: Into the Dark is a young-adult novel")
    assert r.synopsis is not None
    assert r.synopsis.startswith("Padawan Reath Silas is being sent from the cosmopolitan galactic capital")
    assert "Continuity" not in headings
    assert "Appearances" not in headings
    # The Appearances template's character list: 51 entries, each linked.
    assert len(r.characters) == 51
    assert r.characters[0].character == "Adampo"
    assert ("Reath Silas", "https://starwars.fandom.com/wiki/Reath_Silas") in {
        (c.character, c.character_url) for c in r.characters
    }
    assert "Cassel" in {c.character for c in r.characters}  # "(First appearance) (In flashback(s))" dropped
    _no_footnote_markers(r)
