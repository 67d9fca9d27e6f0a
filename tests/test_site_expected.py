"""The anime and film database families declare ``expected`` (the fields their title pages yield):
their real pages and samples fill at least half of them, and the same pages with the markup the
extractors key on taken away (class, id, itemprop and data-* attributes; for IMDb also the head
and JSON-LD) are flagged ``layout``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors import extract_title
from extractors.__main__ import extract_sample
from extractors.drift import filled
from extractors.records import FIELD_NAMES
from extractors.registry import Family, family_by_name

from .conftest import SAMPLES, shared_page

FAMILIES = ("myanimelist", "anidb", "animenewsnetwork", "anisearch", "animeplanet", "imdb")

REAL_TITLE_PAGES = [
    ("myanimelist__anime-5-cowboy-bebop-tengoku-no-tobira-film.html", "https://myanimelist.net/anime/5"),
    ("myanimelist__anime-21-one-piece.html", "https://myanimelist.net/anime/21"),
    ("myanimelist__anime-21-one-piece-moreinfo.html", "https://myanimelist.net/anime/21/One_Piece/moreinfo"),
    ("myanimelist__anime-35073-overlord-ii-characters-staff.html", "https://myanimelist.net/anime/35073/x/characters"),
    ("myanimelist__manga-11-naruto.html", "https://myanimelist.net/manga/11"),
    ("anidb__sen-to-chihiro-no-kamikakushi-movie.html", "https://anidb.net/anime/112"),
    ("animenewsnetwork__yuki-yuna-washio-sumi-no-sho-movies.html",
     "https://www.animenewsnetwork.com/encyclopedia/anime.php?id=19160"),
    ("anisearch__a-silent-voice-movie.html", "https://www.anisearch.com/anime/9981,a-silent-voice"),
    ("animeplanet__your-name-movie.html", "https://www.anime-planet.com/anime/your-name"),
    ("imdb__tt0087544-nausicaa-of-the-valley-of-the-wind-1984.html", "https://www.imdb.com/title/tt0087544/"),
    ("imdb__tt0087544-nausicaa-fullcredits.html", "https://www.imdb.com/title/tt0087544/fullcredits"),
    ("imdb__tt0087544-nausicaa-releaseinfo.html", "https://www.imdb.com/title/tt0087544/releaseinfo"),
]  # fmt: skip

_ATTRIBUTES = re.compile(rb"""\s(?:class|id|itemprop|data-[\w-]+)\s*=\s*("[^"]*"|'[^']*')""")
_HEAD = re.compile(rb"<head\b.*?</head>", re.DOTALL | re.IGNORECASE)
_JSON_LD = re.compile(rb"<script[^>]*ld\+json.*?</script>", re.DOTALL | re.IGNORECASE)


def _family(name: str) -> Family:
    fam = family_by_name(name)
    assert fam is not None
    assert fam.name == name
    return fam


@pytest.mark.parametrize("name", FAMILIES)
def test_every_site_family_declares_expected_fields(name: str) -> None:
    fam = _family(name)
    assert "title" in fam.expected
    assert len(fam.expected) >= 5
    assert set(fam.expected) <= set(FIELD_NAMES)


@pytest.mark.parametrize(("filename", "url"), REAL_TITLE_PAGES, ids=lambda v: v[:40])
def test_real_title_pages_fill_their_family_expectations(filename: str, url: str) -> None:
    record = extract_title(shared_page(filename).read_bytes(), url)
    fam = _family(record.extractor or "")
    assert record.status == "ok", record.errors
    assert not any(e.kind == "layout" for e in record.errors)
    # Sub-pages fill fewer; title pages all but at most two.
    assert len(filled(record, fam.expected)) >= len(fam.expected) - 2, filled(record, fam.expected)


@pytest.mark.parametrize(("filename", "url"), REAL_TITLE_PAGES, ids=lambda v: v[:40])
def test_real_title_pages_without_their_markup_are_flagged_layout(filename: str, url: str) -> None:
    data = _ATTRIBUTES.sub(b"", shared_page(filename).read_bytes())
    if "imdb" in filename:  # IMDb's head meta and JSON-LD alone give title, kind, year and names
        data = _JSON_LD.sub(b"", _HEAD.sub(b"<head></head>", data))
    record = extract_title(data, url)
    assert any(e.kind == "layout" for e in record.errors), record.errors
    assert record.status == "partial"


SITE_SAMPLES = sorted(
    p for p in (SAMPLES / "title").iterdir() if p.is_dir() and p.name.split("-", 1)[0] in (
        "myanimelist", "anidb", "ann", "anisearch", "animeplanet", "imdb")
)  # fmt: skip


@pytest.mark.parametrize("case", SITE_SAMPLES, ids=lambda p: p.name)
def test_samples_fill_their_family_expectations(case: Path) -> None:
    record = extract_sample(case)
    fam = _family(record.extractor or "")
    assert not any(e.kind == "layout" for e in record.errors)
    assert len(filled(record, fam.expected)) >= len(fam.expected) - 1, filled(record, fam.expected)


@pytest.mark.parametrize(("filename", "url"), REAL_TITLE_PAGES, ids=lambda v: v[:40])
def test_real_pages_saved_without_url_are_recognized_by_their_markup(filename: str, url: str) -> None:
    """Sniffers test a few substrings before any whole-tree query; they must still recognize the page."""
    data = shared_page(filename).read_bytes()
    with_url, without = extract_title(data, url), extract_title(data)
    assert without.extractor == with_url.extractor
    assert without.title == with_url.title
