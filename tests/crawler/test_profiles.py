"""Site profiles: which URLs are title pages, which are followed, which are never requested."""

from __future__ import annotations

import doctest

import pytest

import crawler.middlewares
import crawler.profiles
import crawler.redact
from crawler.profiles import (
    GENERIC,
    MEDIAWIKI,
    MYANIMELIST,
    WHISKEY,
    get_profile,
    profile_for_url,
    sniff_profile,
)
from crawler.session import normalize_link, site_key


@pytest.mark.parametrize(
    ("url", "kind", "reason"),
    [
        ("https://www.animevice.com/memories/4000-1001/", "title", ""),
        ("https://www.giantbomb.com/starfall-tactics/3030-90001/", "title", ""),
        ("https://comicvine.gamespot.com/the-iron-lantern/4025-90100/", "title", ""),
        ("https://www.animevice.com/yoko-kanno/4040-109/", "listing", "person page"),
        ("https://www.animevice.com/hana-mizuki/4005-90201/", "listing", "character page"),
        ("https://www.giantbomb.com/pc/3045-94/", "listing", "platform page"),
        ("https://www.animevice.com/", "listing", "home page"),
        ("https://www.animevice.com/anime/", "listing", "index page"),
        ("https://www.animevice.com/anime/page/2/", "listing", "index page"),
        ("https://www.giantbomb.com/games/?page=3", "listing", "index page"),
        ("https://www.animevice.com/anime/?genre=sports", "skip", ""),
        ("https://www.animevice.com/memories/4000-1001/forums/", "skip", ""),
        ("https://www.animevice.com/profile/shels/lists/anime-list/102/", "skip", ""),
        ("https://www.animevice.com/login-signup/", "skip", ""),
        ("https://www.giantbomb.com/videos/", "skip", ""),
        ("https://www.giantbomb.com/some-video/2300-123/", "skip", ""),
        ("https://www.animevice.com/bundles/phoenixsite/css/animevice.min.css", "skip", ""),
        ("https://www.animevice.com/a/uploads/original/1/poster.jpg", "skip", ""),
    ],
)
def test_whiskey(url: str, kind: str, reason: str) -> None:
    decision = WHISKEY.classify(url)
    assert (decision.kind, decision.reason) == (kind, reason)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://en.wikipedia.org/wiki/Billy_Jack", "title"),
        ("https://starwars.fandom.com/wiki/The_High_Republic:_Into_the_Dark", "title"),
        ("https://en.wikipedia.org/wiki/Special:Random", "skip"),
        ("https://en.wikipedia.org/wiki/Talk:Billy_Jack", "skip"),
        ("https://en.wikipedia.org/wiki/File:Poster.jpg", "skip"),
        ("https://en.wikipedia.org/wiki/User:Someone", "skip"),
        ("https://starwars.fandom.com/wiki/Category:Novels", "listing"),
        ("https://en.wikipedia.org/wiki/Main_Page", "listing"),
        ("https://en.wikipedia.org/w/index.php?title=Billy_Jack&action=history", "skip"),
    ],
)
def test_mediawiki(url: str, kind: str) -> None:
    assert MEDIAWIKI.classify(url).kind == kind


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://myanimelist.net/anime/21/One_Piece", "title"),
        ("https://myanimelist.net/anime/21/One_Piece/characters", "title"),
        ("https://myanimelist.net/manga/11/Naruto", "title"),
        ("https://myanimelist.net/people/1/Tomokazu_Seki", "listing"),
        ("https://myanimelist.net/character/116281/Momonga", "listing"),
        ("https://myanimelist.net/forum/?topicid=1", "skip"),
        ("https://myanimelist.net/anime/21/One_Piece/reviews", "skip"),
    ],
)
def test_myanimelist(url: str, kind: str) -> None:
    assert MYANIMELIST.classify(url).kind == kind


def test_generic_extracts_pages_and_skips_traps() -> None:
    assert GENERIC.classify("https://fansite.example/films/harbor-lights.html").kind == "title"
    assert GENERIC.classify("https://fansite.example/search?q=x").kind == "skip"
    assert GENERIC.classify("https://fansite.example/page?action=edit").kind == "skip"
    assert GENERIC.classify("https://fansite.example/poster.png").kind == "skip"


def test_profile_by_host_or_name() -> None:
    assert profile_for_url("https://www.giantbomb.com/games/") is WHISKEY
    assert profile_for_url("https://comicvine.gamespot.com/") is WHISKEY
    assert profile_for_url("https://ja.wikipedia.org/wiki/x") is MEDIAWIKI
    assert profile_for_url("http://127.0.0.1:8000/") is None
    assert get_profile("Whiskey") is WHISKEY
    with pytest.raises(ValueError, match="unknown profile"):
        get_profile("nope")


def test_sniffing_an_unknown_host() -> None:
    home = ('<ul><li><a href="/memories/4000-1001/">Memories</a></li>'
            '<li><a href="/skyward-relay/4075-90200/">Skyward Relay</a></li>'
            '<li><a href="/night-ferry/4000-1012/">Night Ferry</a></li></ul>')
    assert sniff_profile(home).name == "whiskey"
    assert sniff_profile('<div class="mw-parser-output"><p>x</p></div>').name == "mediawiki"
    assert sniff_profile('<a href="/wiki/A">a</a><a href="/wiki/B">b</a><a href="/wiki/C">c</a>').name == "mediawiki"
    assert sniff_profile("<p>plain</p>").name == "generic"


def test_links_and_sites() -> None:
    base = "http://127.0.0.1:8000/memories/4000-1001/"
    assert normalize_link(base, "/yoko-kanno/4040-109/#bio") == "http://127.0.0.1:8000/yoko-kanno/4040-109/"
    assert normalize_link(base, "../") == "http://127.0.0.1:8000/memories/"
    assert normalize_link(base, "mailto:x@example.org") is None
    assert normalize_link(base, "javascript:void(0)") is None
    assert normalize_link(base, "ftp://example.org/x") is None
    assert site_key("http://127.0.0.1:8000/x") == "127.0.0.1:8000"
    assert site_key("http://localhost:8000/x") != site_key("http://127.0.0.1:8000/x")
    assert site_key("https://www.giantbomb.com/x") == site_key("https://giantbomb.com:443/y") == "giantbomb.com"


def test_module_doctests() -> None:
    for module in (crawler.profiles, crawler.middlewares, crawler.redact):
        result = doctest.testmod(module)
        assert result.attempted > 0
        assert result.failed == 0, module.__name__


@pytest.mark.parametrize(
    ("url", "profile", "kind", "reason"),
    [
        ("https://www.anime-planet.com/anime/your-name", "animeplanet", "title", ""),
        ("https://www.anime-planet.com/manga/chainsaw-man", "animeplanet", "title", ""),
        ("https://www.anime-planet.com/anime/your-name/characters", "animeplanet", "skip", ""),  # a sub-page
        ("https://www.anime-planet.com/anime/top-anime", "animeplanet", "listing", "index page"),
        ("https://www.anime-planet.com/anime/all?page=2", "animeplanet", "listing", "index page"),
        ("https://www.anime-planet.com/people/makoto-shinkai", "animeplanet", "listing", "person page"),
        ("https://www.anime-planet.com/characters/mitsuha-miyamizu", "animeplanet", "listing", "character page"),
        ("https://www.anime-planet.com/login", "animeplanet", "skip", ""),
        ("https://www.imdb.com/title/tt0087544/", "imdb", "title", ""),
        ("https://m.imdb.com/title/tt0087544/?ref_=nv_sr_srsg_0", "imdb", "title", ""),
        ("https://www.imdb.com/title/tt0087544/fullcredits", "imdb", "title", ""),  # a sub-page: merged
        ("https://www.imdb.com/title/tt0087544/releaseinfo/?ref_=tt_dt_rdat", "imdb", "title", ""),
        ("https://www.imdb.com/title/tt0087544/plotsummary", "imdb", "skip", ""),  # not extracted
        ("https://www.imdb.com/title/tt0087544/reviews", "imdb", "skip", ""),
        ("https://www.imdb.com/name/nm0594503/", "imdb", "listing", "person page"),
        ("https://www.imdb.com/chart/top/", "imdb", "listing", "index page"),
        ("https://www.imdb.com/search/title/?genres=animation", "imdb", "skip", ""),
    ],
)
def test_animeplanet_and_imdb(url: str, profile: str, kind: str, reason: str) -> None:
    found = profile_for_url(url)
    assert found is get_profile(profile)
    assert (found.classify(url).kind, found.classify(url).reason) == (kind, reason)


def test_every_extractor_family_with_sites_has_a_profile() -> None:
    from extractors.registry import families

    named = {fam.name for fam in families() if fam.sites}
    profiled = {p.family or p.name for p in crawler.profiles.PROFILES.values()}
    assert named - profiled == set()
