"""The generic, label-driven fallback and the shared label vocabulary: unknown wikis in any of the
usual layouts, in several languages, and the pages it must not call titles."""

from __future__ import annotations

import json

import pytest

from extractors import extract_title
from extractors.generic import lines_of, split_list
from extractors.page import load_page
from extractors.records import Character, Credit, Extra, Release
from normalize.labels import LABELS, credit_roles, field_for_label, is_person_label

# -- the vocabulary ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "field"),
    [
        # English
        ("Release date(s):", "releases"), ("Aired", "first_release_date"), ("Premiered", "releases"),
        ("Running time", "runtime_minutes"), ("Directed by", "credits"), ("No. of episodes", "episodes"),
        ("Production companies", "studios"), ("Box office", "box_office"), ("Also known as", "aliases"),
        # German
        ("Erscheinungsdatum", "releases"), ("Laufzeit", "runtime_minutes"), ("Regie", "credits"),
        ("Produktionsland", "countries"), ("Originalsprache", "languages"), ("Besetzung", "characters"),
        # French
        ("Date de sortie", "releases"), ("Durée", "runtime_minutes"), ("Réalisation", "credits"),
        ("Pays d'origine", "countries"),
        # Spanish
        ("Fecha de estreno", "releases"), ("Duración", "runtime_minutes"), ("Dirección", "credits"),
        ("Género", "genres"),
        # Italian
        ("Data di uscita", "releases"), ("Durata", "runtime_minutes"), ("Regia", "credits"), ("Paese", "countries"),
        # Japanese
        ("放送期間", "first_release_date"), ("上映時間", "runtime_minutes"), ("監督", "credits"), ("公開日", "releases"),
        ("話数", "episodes"), ("製作国", "countries"), ("原作", "credits"), ("あらすじ", "synopsis"),
        # unknown
        ("Distributed by", None), ("Wingspan", None), ("", None), ("No. of seasons", None),
    ],
)  # fmt: skip
def test_field_for_label(label: str, field: str | None) -> None:
    assert field_for_label(label) == field


def test_vocabulary_maps_only_to_record_fields() -> None:
    from extractors.records import FIELD_NAMES

    assert set(LABELS.values()) <= set(FIELD_NAMES)
    assert len(LABELS) > 500


@pytest.mark.parametrize(
    ("label", "roles"),
    [("Directed by", ("director",)), ("Regie", ("director",)), ("Regia", ("director",)), ("監督", ("director",)),
     ("Screenplay by", ("screenplay",)), ("Guion", ("screenplay",)), ("Music by", ("music",)),
     ("Cinematography", ("cinematographer",)), ("Montaggio", ("editor",)), ("Starring", ("cast",)),
     ("Cover artist", ("illustrator",)), ("原作", ("original_creator",))],
)  # fmt: skip
def test_credit_roles(label: str, roles: tuple[str, ...]) -> None:
    assert credit_roles(label) == roles


def test_person_labels() -> None:
    assert all(is_person_label(x) for x in ("Born", "Date of birth", "Geburtstag", "生年月日", "Species"))
    assert not any(is_person_label(x) for x in ("Release date", "Genre", "監督"))


# -- lines and lists ---------------------------------------------------------------------------


def test_lines_of_leaves_out_footnotes_hidden_parts_and_edit_links() -> None:
    page = load_page(
        '<html><body><div id="v"><a href="/p/ada">Ada Moll</a><sup class="reference">[1]</sup><br>'
        '<small>(uncredited)</small><span style="display: none">1987-05-01</span>'
        '<ul><li>Ben[2] Ruiz</li></ul><span class="mw-editsection">[edit]</span></div></body></html>',
        "https://x.example/",
    )
    lines = lines_of(page.first("//div[@id='v']"))
    assert [(ln.text, ln.small) for ln in lines] == [("Ada Moll", False), ("(uncredited)", True), ("Ben Ruiz", False)]
    assert lines[0].href_for("ada moll") == "/p/ada"


def test_split_list_keeps_brackets_and_company_suffixes() -> None:
    assert split_list("Toho, Co., Ltd.; Sunrise (Tokyo, Japan) / Bones") == [
        "Toho, Co., Ltd.", "Sunrise (Tokyo, Japan)", "Bones"
    ]  # fmt: skip
    assert split_list("東宝、松竹") == ["東宝", "松竹"]


# -- layouts -----------------------------------------------------------------------------------


def _page(body: str, *, lang: str = "en", head: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title>{head}</head>
<body><nav class="menu"><a href="/">Home</a> <a href="/about">About: us</a></nav><main>{body}</main>
<footer><p>Posted by: admin</p></footer></body></html>"""


def test_th_td_table_in_french() -> None:
    body = """<h1>Le Bac de nuit</h1>
<table class="fiche"><tr><th>Réalisation</th><td><a href="/p/ada">Ada Moll</a></td></tr>
<tr><th>Scénario</th><td>Ben Ruiz</td></tr><tr><th>Date de sortie</th><td>12 mars 1991 (France)</td></tr>
<tr><th>Durée</th><td>104 minutes</td></tr><tr><th>Pays d'origine</th><td>France</td></tr>
<tr><th>Format</th><td>Couleur</td></tr></table>
<h2>Synopsis</h2><p>Un passeur traverse la Loire chaque nuit.</p>"""
    r = extract_title(_page(body, lang="fr"), "https://cinema.example.fr/films/bac")
    assert (r.extractor, r.site, r.page_id, r.title) == ("generic", "cinema.example.fr", "films/bac", "Le Bac de nuit")
    assert r.credits == (
        Credit(person="Ada Moll", person_url="https://cinema.example.fr/p/ada", role="Réalisation", roles=("director",)),
        Credit(person="Ben Ruiz", role="Scénario", roles=("writer",)),
    )
    assert r.releases == (Release(region="France", date="1991-03-12", precision="day", raw="12 mars 1991 (France)"),)
    assert (r.runtime_minutes, r.countries) == (104, ("France",))
    assert r.synopsis == "Un passeur traverse la Loire chaque nuit."
    # "Format: Couleur" is not a kind: kept raw, flagged, never guessed.
    assert (r.kind, r.kind_raw) == (None, "Couleur")
    assert [(e.field, e.kind) for e in r.errors] == [("kind", "unparsed")]


def test_dt_dd_pairs_in_spanish_and_italian() -> None:
    body = """<h1>El transbordador</h1><dl><dt>Dirección</dt><dd>Ada Moll</dd><dt>Fecha de estreno</dt>
<dd>5 de mayo de 1999</dd><dt>Duración</dt><dd>1 h 38 min</dd><dt>Reparto</dt><dd>Cleo Park como Vale</dd>
<dt>Presupuesto</dt><dd>US$ 2 millones</dd><dt>Color</dt><dd>Sí</dd></dl>"""
    r = extract_title(_page(body, lang="es"), "https://pelis.example.es/p/1")
    assert [c.person for c in r.credits] == ["Ada Moll"]
    assert r.releases[0].date == "1999-05-05"
    assert r.runtime_minutes == 98
    assert r.characters == (Character(character="Vale", actor="Cleo Park"),)
    assert r.budget is not None
    assert r.budget.amount == 2_000_000.0
    assert r.extra == (Extra(label="Color", value="Sí"),)


def test_label_lines_need_two_known_labels() -> None:
    lone = _page("<h1>Notes</h1><p>Update: the server moved.</p><p>A long paragraph about nothing much at all.</p>")
    assert extract_title(lone, "https://blog.example/notes").status == "not_title"
    pair = _page("<h1>Night Ferry</h1><p><b>Regia:</b> Ada Moll<br><b>Durata:</b> 98 min<br><b>Nota:</b> restaurato</p>")
    r = extract_title(pair, "https://film.example.it/nf")
    assert (r.status, [c.person for c in r.credits], r.runtime_minutes) == ("ok", ["Ada Moll"], 98)
    assert r.extra == (Extra(label="Nota", value="restaurato"),)


def test_json_ld_creative_work_in_a_graph() -> None:
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Site"},
        {"@type": ["VideoGame", "CreativeWork"], "name": "Ember", "datePublished": "2020-03-03",
         "gamePlatform": ["PC", "Switch"], "author": {"@type": "Person", "name": "Mika S", "url": "/p/mika"},
         "aggregateRating": {"ratingValue": 8.5, "bestRating": 10, "ratingCount": 1200}, "genre": "RPG",
         "description": "A lamplighter crosses the wastes.\n\nThe ember dims.", "inLanguage": "en", "isbn": "x-1"},
    ]}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    r = extract_title(_page("<h1>Ember (2020)</h1>", head=head), "https://games.example/ember")
    assert (r.title, r.kind, r.kind_raw) == ("Ember", "game", "VideoGame")
    assert r.releases == (Release(date="2020-03-03", precision="day", raw="2020-03-03"),)
    assert r.platforms == ("PC", "Switch")
    assert r.credits == (Credit(person="Mika S", person_url="https://games.example/p/mika", role="Author",
                                roles=("author",)),)  # fmt: skip
    assert (r.score, r.score_max, r.score_count) == (8.5, 10.0, 1200)
    assert r.synopsis == "A lamplighter crosses the wastes.\n\nThe ember dims."
    assert (r.genres, r.languages) == (("RPG",), ("en",))
    assert Extra(label="isbn", value="x-1", group="JSON-LD") in r.extra


def test_broken_json_ld_is_an_error_not_a_crash() -> None:
    head = '<script type="application/ld+json">{"@type": "Movie", "name": </script>'
    body = "<h1>Night Ferry</h1><dl><dt>Director</dt><dd>Ada Moll</dd><dt>Runtime</dt><dd>98 min</dd></dl>"
    r = extract_title(_page(body, head=head), "https://films.example/nf")
    assert (r.title, r.runtime_minutes) == ("Night Ferry", 98)
    assert ("page", "unparsed") in {(e.field, e.kind) for e in r.errors}


def test_person_info_box_is_not_a_title() -> None:
    body = "<h1>Ada Moll</h1><dl><dt>Born</dt><dd>1950</dd><dt>Height</dt><dd>170 cm</dd><dt>Occupation</dt><dd>Director</dd></dl>"
    r = extract_title(_page(body), "https://people.example/ada")
    assert r.status == "not_title"
    assert r.title == "Ada Moll"


def test_plain_text_with_labelled_lines() -> None:
    text = "Night Ferry\n\nDirector: Ada Moll\nRelease date: May 1, 1987\nRunning time: 98 min\nGenre: Drama\n"
    r = extract_title(text.encode(), "https://films.example/nf.txt")
    assert (r.extractor, r.title, r.runtime_minutes, r.genres) == ("generic", "Night Ferry", 98, ("Drama",))
    assert r.releases[0].date == "1987-05-01"


# -- the fallback ------------------------------------------------------------------------------


def test_fallback_when_the_family_finds_nothing() -> None:
    """A page at a Wikipedia URL that is not in MediaWiki markup (a proxy, a mirror, a new skin)."""
    body = """<h1>Night Ferry</h1><table><tr><th>Directed by</th><td>Ada Moll</td></tr>
<tr><th>Release date</th><td>May 1, 1987</td></tr><tr><th>Running time</th><td>98 minutes</td></tr></table>
<h2>Plot</h2><p>A ferry crosses at night.</p>"""
    r = extract_title(_page(body), "https://en.wikipedia.org/wiki/Night_Ferry")
    assert (r.record_id, r.site, r.page_id) == ("wikipedia:Night_Ferry", "wikipedia", "Night_Ferry")
    assert (r.extractor, r.extractor_version) == ("generic", "generic/1")
    assert (r.title, r.runtime_minutes, r.synopsis) == ("Night Ferry", 98, "A ferry crosses at night.")
    kinds = {e.kind for e in r.errors}
    assert {"layout", "fallback"} <= kinds
    assert r.status == "partial"
    fallback = next(e for e in r.errors if e.kind == "fallback")
    assert "mediawiki" in fallback.message


def test_no_fallback_when_the_generic_extractor_sees_no_title_either() -> None:
    r = extract_title(_page("<p>Nothing here.</p>"), "https://en.wikipedia.org/wiki/Nothing")
    assert r.extractor == "mediawiki"
    assert ("title", "missing") in {(e.field, e.kind) for e in r.errors}


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02" * 100, "<html><body>" + "<div>" * 3000 + "deep" + "</div>" * 3000 + "</body></html>",
     "<html><body><h1>T</h1><table><tr><th>Director</th>"],
    ids=["empty", "binary", "deep", "truncated"],
)  # fmt: skip
def test_bad_input_never_crashes(data: bytes | str) -> None:
    r = extract_title(data, "https://unknown.example/x")
    assert r.record_id.startswith(("unknown.example:", "unknown:"))
    assert not any(e.kind == "exception" for e in r.errors)
