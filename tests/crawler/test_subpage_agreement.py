"""The crawler's profiles and ``extractors.merge`` agree on which URLs are a title's pages, which part
each is, and which title it belongs to (both are built from ``extractors.subpages``)."""

from __future__ import annotations

import re

import pytest

from crawler.profiles import IMDB, MYANIMELIST, SiteProfile
from extractors.merge import has_subpages, is_subpage, merge_parts, title_key
from extractors.records import TitleRecord
from extractors.subpages import IMDB_SUBPAGES, MAL_SUBPAGES, TitlePage, title_page

MAL = "https://myanimelist.net"
MIRROR = "http://127.0.0.1:8765"
IMDB_HOST = "https://www.imdb.com"
MOBILE = "https://m.imdb.com"

# url, profile, expected title (None: no page of a title), expected part ("" = main page)
CASES: list[tuple[str, SiteProfile, str | None, str]] = [
    # MyAnimeList main pages
    (f"{MAL}/anime/90001/Kaze_no_Tsugi_no_Eki", MYANIMELIST, "anime/90001", ""),
    (f"{MAL}/anime/90001/Kaze_no_Tsugi_no_Eki/", MYANIMELIST, "anime/90001", ""),
    (f"{MAL}/anime/90001", MYANIMELIST, "anime/90001", ""),
    (f"{MAL}/anime/90001/", MYANIMELIST, "anime/90001", ""),
    (f"{MAL}/manga/90001/Hoshikuzu", MYANIMELIST, "manga/90001", ""),
    (f"{MAL}/anime/90001/Kaze?q=1", MYANIMELIST, "anime/90001", ""),
    (f"{MAL}/anime/90001/Kaze#synopsis", MYANIMELIST, "anime/90001", ""),
    (f"{MIRROR}/anime/90001/Kaze_no_Tsugi_no_Eki", MYANIMELIST, "anime/90001", ""),
    ("https://myanimelist.net/Anime/90001/Kaze", MYANIMELIST, "anime/90001", ""),
    # MyAnimeList sub-pages
    *[(f"{MAL}/anime/90001/Kaze/{part}", MYANIMELIST, "anime/90001", part) for part in MAL_SUBPAGES],
    *[(f"{MAL}/anime/90001/Kaze/{part}/", MYANIMELIST, "anime/90001", part) for part in MAL_SUBPAGES],
    *[(f"{MAL}/anime/90001/{part}", MYANIMELIST, "anime/90001", part) for part in MAL_SUBPAGES],
    *[(f"{MAL}/manga/7/X/{part}?sort=name", MYANIMELIST, "manga/7", part) for part in MAL_SUBPAGES],
    *[(f"{MAL}/anime/90001/Kaze/{part}#staff", MYANIMELIST, "anime/90001", part) for part in MAL_SUBPAGES],
    *[(f"{MIRROR}/anime/90001/Kaze/{part}", MYANIMELIST, "anime/90001", part) for part in MAL_SUBPAGES],
    # MyAnimeList: not a title's page
    (f"{MAL}/people/1/Someone", MYANIMELIST, None, ""),
    (f"{MAL}/character/1/Someone", MYANIMELIST, None, ""),
    (f"{MAL}/anime/1/X/reviews", MYANIMELIST, None, ""),
    (f"{MAL}/anime/1/X/characters/more", MYANIMELIST, None, ""),
    (f"{MAL}/anime/season", MYANIMELIST, None, ""),
    (f"{MAL}/topanime.php?type=tv", MYANIMELIST, None, ""),
    (f"{MAL}/", MYANIMELIST, None, ""),
    (f"{MIRROR}/akira/", MYANIMELIST, None, ""),
    # IMDb main pages
    (f"{IMDB_HOST}/title/tt0087544/", IMDB, "tt0087544", ""),
    (f"{IMDB_HOST}/title/tt0087544", IMDB, "tt0087544", ""),
    (f"{IMDB_HOST}/title/tt0087544/?ref_=nv_sr_srsg_0", IMDB, "tt0087544", ""),
    (f"{IMDB_HOST}/title/tt0087544/?ref_=x&foo=1", IMDB, "tt0087544", ""),
    (f"{IMDB_HOST}/title/tt0087544/?foo=1", IMDB, "tt0087544", ""),
    (f"{IMDB_HOST}/title/tt0087544/#storyline", IMDB, "tt0087544", ""),
    (f"{MOBILE}/title/tt0087544/?ref_=nv_sr", IMDB, "tt0087544", ""),
    (f"{MIRROR}/title/tt1900123/", IMDB, "tt1900123", ""),
    (f"{IMDB_HOST}/title/TT0087544/", IMDB, "tt0087544", ""),
    # IMDb sub-pages
    *[(f"{IMDB_HOST}/title/tt0087544/{part}", IMDB, "tt0087544", part) for part in IMDB_SUBPAGES],
    *[(f"{IMDB_HOST}/title/tt0087544/{part}/", IMDB, "tt0087544", part) for part in IMDB_SUBPAGES],
    *[(f"{IMDB_HOST}/title/tt0087544/{part}?ref_=tt_ov_st_sm", IMDB, "tt0087544", part) for part in IMDB_SUBPAGES],
    *[(f"{IMDB_HOST}/title/tt0087544/{part}/?ref_=tt&locale=en-US", IMDB, "tt0087544", part)
      for part in IMDB_SUBPAGES],
    *[(f"{IMDB_HOST}/title/tt0087544/{part}#cast", IMDB, "tt0087544", part) for part in IMDB_SUBPAGES],
    *[(f"{MOBILE}/title/tt0087544/{part}/", IMDB, "tt0087544", part) for part in IMDB_SUBPAGES],
    *[(f"{MIRROR}/title/tt1900123/{part}?ref_=x", IMDB, "tt1900123", part) for part in IMDB_SUBPAGES],
    # IMDb: not a title's page
    (f"{IMDB_HOST}/name/nm0594503/", IMDB, None, ""),
    (f"{IMDB_HOST}/name/nm0594503/?ref_=tt_cl", IMDB, None, ""),
    (f"{IMDB_HOST}/title/tt10770450/fullcredits/cast/", IMDB, None, ""),
    (f"{IMDB_HOST}/title/tt0087544/reviews", IMDB, None, ""),
    (f"{IMDB_HOST}/title/tt0087544/characters/nm1", IMDB, None, ""),
    (f"{IMDB_HOST}/chart/top/", IMDB, None, ""),
    (f"{IMDB_HOST}/search/title/?genres=animation", IMDB, None, ""),
    (f"{MIRROR}/fullcredits", IMDB, None, ""),
]


def _site(url: str) -> str:
    found = re.match(r"https?://(?:www\.)?([^/]+)", url)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(("url", "profile", "title", "part"), CASES, ids=[c[0] for c in CASES])
def test_profile_and_merge_agree(url: str, profile: SiteProfile, title: str | None, part: str) -> None:
    assert title_key(url) == title
    assert profile.title_key(url) == (None if title is None else f"{_site(url)}|{title}")
    assert is_subpage(url) is bool(part)
    if title is not None:
        assert profile.family is not None
        assert title_page(url) == TitlePage(profile.family, title, part)
        record = TitleRecord(record_id=f"{profile.family}:{title}", site="x", extractor=profile.family, url=url)
        assert has_subpages(record)
    else:
        assert title_page(url, profile.family) is None


@pytest.mark.parametrize(("url", "profile", "title", "part"), CASES, ids=[c[0] for c in CASES])
def test_requested_pages_are_title_pages(url: str, profile: SiteProfile, title: str | None, part: str) -> None:
    """What the crawl requests as a title is a title's page by the shared definition, and every title page
    whose link is plain, or carries IMDb's ``ref_`` only, is requested as a title; a link with another
    query string is not requested (the plain link of the same page is)."""
    link = profile.canonical(url.split("#")[0])
    kind = profile.classify(link).kind
    plain = "?" not in link
    if kind == "title":
        assert title is not None
        assert profile.title_key(link) == profile.title_key(url)
    elif title is not None:
        assert not plain
        assert kind == "skip"
        assert profile.classify(link.split("?")[0]).kind == "title"
    if title is not None and plain:
        assert kind == "title"


def test_the_profiles_use_the_shared_definition() -> None:
    from extractors import subpages

    assert MYANIMELIST.parts is subpages.MAL_PAGES
    assert IMDB.parts is subpages.IMDB_PAGES
    assert IMDB.drop_params == subpages.IMDB_TRACKING_PARAMS
    assert MYANIMELIST.family == "myanimelist"
    assert IMDB.family == "imdb"


def test_the_main_page_leads_whatever_the_query() -> None:
    """``merge_parts`` puts the main page first even when sub-page URLs carry queries and the main page's
    URL would sort after them."""
    base = "http://127.0.0.1:8765/title/tt1900123"
    main = TitleRecord(record_id="imdb:tt1900123", site="imdb", url=f"{base}?z=1", title="Main",
                       content_sha256="a" * 64)
    credits = TitleRecord(record_id="imdb:tt1900123", site="imdb", url=f"{base}/fullcredits?ref_=x&a=1",
                          title="Credits", content_sha256="b" * 64)
    assert merge_parts([credits, main]).url == main.url
    assert merge_parts([credits, main]).title == "Main"
