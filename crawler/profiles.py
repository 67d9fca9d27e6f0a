"""Site profiles: which URLs of a wiki are title pages, which are pages to follow, which to leave alone.

A profile sorts every on-site link into one of three kinds:

- ``title``: fetch it, extract a record (the extractor may still find it is ``not_title``) and follow
  its links;
- ``listing``: fetch it only to follow its links (home, A-Z index, category, pagination, person and
  character pages); its outcome is ``not_title`` with the rule's reason, without extraction;
- ``skip``: never requested (log-in, search, edit and discussion pages, media files, crawler traps).

Rules are tried in order; the first whose pattern matches the URL's path (plus ``?query`` when it has
one) wins. A profile is chosen by the start URL's host; for an unknown host (a mirror, the local wiki
on 127.0.0.1) by ``-a profile=NAME`` or by sniffing the first page's markup.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from w3lib.url import url_query_cleaner

from extractors.subpages import (
    IMDB_PAGES,
    IMDB_TITLE_PATH,
    IMDB_TRACKING_PARAMS,
    MAL_PAGES,
    MAL_TITLE_PATH,
    match_path,
)
from extractors.whiskey import OTHER_TYPES, TITLE_TYPES

logger = logging.getLogger(__name__)

Kind = Literal["title", "listing", "skip"]


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    kind: Kind
    reason: str = ""
    """Why a ``listing`` page is not a title ("index page", "person page")."""


@dataclass(frozen=True, slots=True)
class Decision:
    kind: Kind
    reason: str


def _rule(pattern: str, kind: Kind, reason: str = "") -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), kind, reason)


_MEDIA = _rule(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|gz|mp3|mp4|webm|ogg|woff2?|ttf|json|rss|atom)(?:\?|$)",
    "skip",
)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """How to crawl one site family."""

    name: str
    hosts: tuple[str, ...]
    """Host suffixes the profile is chosen for (``giantbomb.com`` also matches ``www.giantbomb.com``)."""
    rules: tuple[Rule, ...]
    default: Kind = "skip"
    """Kind of a URL that no rule matches."""
    family: str | None = None
    """Extractor family to use for pages whose host the extractors do not know (a local mirror)."""
    sitemaps: tuple[str, ...] = ("/sitemap.xml",)
    """Sitemap paths read at the start, besides the start URLs (missing ones are ignored)."""
    parts: re.Pattern[str] | None = None
    """For sites whose titles are read from several pages (a main page and its sub-pages): matches the
    path of each of them (``extractors.subpages``, the one definition shared with ``extractors.merge``;
    the query string and fragment do not count). Their records are merged into one record per title
    (``crawler/titleparts.py``)."""
    drop_params: frozenset[str] = frozenset()
    """Query parameters that only track where a click came from (IMDb's ``ref_``): removed from every
    followed link, so one page is not fetched once per referring link."""

    def canonical(self, url: str) -> str:
        """``url`` without the profile's tracking parameters.

        >>> IMDB.canonical("https://www.imdb.com/title/tt0087544/fullcredits?ref_=tt_ov_st_sm")
        'https://www.imdb.com/title/tt0087544/fullcredits'
        >>> IMDB.canonical("https://www.imdb.com/find?q=x&ref_=nv_sr")
        'https://www.imdb.com/find?q=x'
        """
        if not self.drop_params or "?" not in url:
            return url
        return str(url_query_cleaner(url, tuple(self.drop_params), remove=True, keep_fragments=True))

    def title_key(self, url: str) -> str | None:
        """``127.0.0.1:8000|anime/90001`` for every page of one title when the profile merges sub-pages:
        the site, then ``extractors.merge.title_key`` (read from the path alone: any query string and
        fragment are ignored, as ``extractors.subpages`` says).

        >>> MYANIMELIST.title_key("https://myanimelist.net/anime/90001/Kaze/characters")
        'myanimelist.net|anime/90001'
        >>> IMDB.title_key("http://127.0.0.1:8000/title/tt1900123/fullcredits?ref_=tt_ov_st_sm")
        '127.0.0.1:8000|tt1900123'
        >>> IMDB.title_key("https://www.imdb.com/title/tt1900123/?foo=1")
        'imdb.com|tt1900123'
        >>> IMDB.title_key("https://www.imdb.com/name/nm0594503/") is None
        True
        """
        if self.parts is None or self.family is None:
            return None
        parts = urlsplit(url)
        page = match_path(parts.path, self.parts, self.family)
        if page is None:
            return None
        host = (parts.hostname or "").lower().removeprefix("www.")
        port = f":{parts.port}" if parts.port else ""
        return f"{host}{port}|{page.title}"

    def classify(self, url: str) -> Decision:
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        for rule in (_MEDIA, *self.rules):
            if rule.pattern.search(target):
                return Decision(rule.kind, rule.reason)
        return Decision(self.default, "")

    def matches_host(self, host: str) -> bool:
        host = host.lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)


# -- Whiskey Media wikis: Anime Vice, Comic Vine, Giant Bomb ----------------------------------------
# Entity URLs are /<slug>/<type id>-<item id>/; the extractor's tables say which type ids are titles.
WHISKEY_TITLE_TYPES: frozenset[str] = frozenset(t for table in TITLE_TYPES.values() for t in table)
"""Giant Bomb games, DLC and releases; Comic Vine issues, volumes, movies, series, episodes; Anime Vice."""
WHISKEY_SKIP_TYPES = frozenset({"2300", "1900", "2200"})
"""Videos, reviews and user reviews: never requested."""
WHISKEY_OTHER_TYPES: dict[str, str] = {
    t: f"{name} page" for table in OTHER_TYPES.values() for t, name in table.items()
    if t not in WHISKEY_TITLE_TYPES and t not in WHISKEY_SKIP_TYPES
}
"""Characters, people, companies, concepts, locations, platforms ...: followed, not titles."""

_WHISKEY_ENTITY = re.compile(r"^/[^/?]+/(\d{4})-(\d+)/?(?:\?.*)?$")


def whiskey_entity_type(url: str) -> str | None:
    """The type id of a Whiskey entity URL (``/memories/4000-1001/`` -> ``"4000"``), else None.

    >>> whiskey_entity_type("http://127.0.0.1:8000/memories/4000-1001/")
    '4000'
    >>> whiskey_entity_type("https://www.giantbomb.com/games/") is None
    True
    """
    m = _WHISKEY_ENTITY.match(urlsplit(url).path or "/")
    return m.group(1) if m else None


@dataclass(frozen=True, slots=True)
class WhiskeyProfile(SiteProfile):
    """Whiskey entity pages are sorted by their type id; other pages by the rules."""

    def classify(self, url: str) -> Decision:
        type_id = whiskey_entity_type(url)
        if type_id is not None and not urlsplit(url).query:
            if type_id in WHISKEY_TITLE_TYPES:
                return Decision("title", "")
            if type_id in WHISKEY_SKIP_TYPES:
                return Decision("skip", "")
            if type_id in WHISKEY_OTHER_TYPES:
                return Decision("listing", WHISKEY_OTHER_TYPES[type_id])
            return Decision("title", "")  # an unknown type: let the extractor decide
        return SiteProfile.classify(self, url)


WHISKEY = WhiskeyProfile(
    name="whiskey",
    hosts=("animevice.com", "comicvine.gamespot.com", "comicvine.com", "giantbomb.com"),
    family="whiskey",
    rules=(
        _rule(
            r"^/(?:login|logout|signup|login-signup|register|profile|user|users|forums?|search|api|videos?|podcasts?|"
            r"news|articles|reviews|images|upload|edit|submit|chat|messages|notifications|shows|feeds?|rss|"
            r"view-history|upcoming)(?:/|\?|$)",
            "skip",
        ),
        _rule(r"^/[^/]+/\d{4}-\d+/.", "skip"),  # an entity's sub-pages (images, forums, reviews, credits)
        _rule(r"^/(?:\?page=\d+)?$", "listing", "home page"),
        _rule(r"^/(?:[a-z0-9_-]+/){1,4}(?:\?(?:page|letter|sort)=[\w-]+)?$", "listing", "index page"),
    ),
)

# -- MediaWiki: Wikipedia, Fandom and other MediaWiki sites -----------------------------------------
_MW_NAMESPACES = (
    "Special|Talk|User|User_talk|User_blog|User_blog_comment|File|File_talk|Image|Media|Template|"
    "Template_talk|Help|Help_talk|Portal|Portal_talk|MediaWiki|MediaWiki_talk|Module|Module_talk|Draft|"
    "Draft_talk|Wikipedia|Wikipedia_talk|Project|Project_talk|Thread|Message_Wall|Message_Wall_Greeting|"
    "Board|Board_Thread|Blog|Forum|Forum_talk|Map|Gadget|Gadget_definition|TimedText|Book|Education_Program|"
    "Topic|Category_talk|Spezial|Diskussion|Benutzer|Datei|Vorlage|Hilfe|Kategorie_Diskussion|"
    "Sp[eé]cial|Discussion|Utilisateur|Fichier|Mod[eè]le|Aide|Especial|Usuario|Archivo|Plantilla|Ayuda"
)
MEDIAWIKI = SiteProfile(
    name="mediawiki",
    hosts=("wikipedia.org", "fandom.com", "wikia.org", "wikia.com", "wiki.gg", "miraheze.org"),
    family="mediawiki",
    rules=(
        _rule(rf"^/wiki/(?:{_MW_NAMESPACES}):", "skip"),
        _rule(r"^/wiki/(?:Category|Kategorie|Cat[eé]gorie|Categor[ií]a):[^?]*(?:\?from=[^&]*)?$", "listing",
              "category page"),
        _rule(r"^/wiki/(?:Main_Page|Hauptseite|Accueil)$|^/$", "listing", "home page"),
        _rule(r"^/wiki/[^?]+$", "title"),
    ),
)

# -- MyAnimeList ---------------------------------------------------------------------------------
# A title's characters & staff and more-info sub-pages share its record id: they are merged into it.
MYANIMELIST = SiteProfile(
    name="myanimelist",
    hosts=("myanimelist.net",),
    family="myanimelist",
    parts=MAL_PAGES,
    rules=(
        _rule(rf"^{MAL_TITLE_PATH}$", "title"),  # main pages and sub-pages; no query string
        _rule(r"^/people/\d+(?:/[^/?]*)?/?$", "listing", "person page"),
        _rule(r"^/character/\d+(?:/[^/?]*)?/?$", "listing", "character page"),
        _rule(r"^/(?:topanime|topmanga)\.php(?:\?(?:type=\w+&?|limit=\d+&?)*)?$", "listing", "index page"),
        _rule(r"^/(?:anime|manga)/(?:season|genre|producer|magazine)(?:/[\w/-]*)?/?$", "listing", "index page"),
        _rule(r"^/$", "listing", "home page"),
    ),
)

# -- anime databases with simple title URLs -------------------------------------------------------
ANIDB = SiteProfile(
    name="anidb",
    hosts=("anidb.net",),
    family="anidb",
    rules=(
        _rule(r"^/(?:anime/\d+|a\d+)/?$", "title"),
        _rule(r"^/(?:character/\d+|ch\d+)/?$", "listing", "character page"),
        _rule(r"^/(?:creator/\d+|cr\d+)/?$", "listing", "person page"),
        _rule(r"^/$", "listing", "home page"),
    ),
)
ANIMENEWSNETWORK = SiteProfile(
    name="animenewsnetwork",
    hosts=("animenewsnetwork.com",),
    family="animenewsnetwork",
    rules=(
        _rule(r"^/encyclopedia/(?:anime|manga)\.php\?id=\d+$", "title"),
        _rule(r"^/encyclopedia/people\.php\?id=\d+$", "listing", "person page"),
        _rule(r"^/encyclopedia/(?:anime|manga)/\w+$|^/encyclopedia/?$", "listing", "index page"),
    ),
)
ANISEARCH = SiteProfile(
    name="anisearch",
    hosts=("anisearch.com", "anisearch.de", "anisearch.fr", "anisearch.it", "anisearch.es", "anisearch.jp"),
    family="anisearch",
    rules=(
        _rule(r"^/(?:anime|manga)/\d+,[^/?]+/?$", "title"),
        _rule(r"^/(?:person|character)/\d+,[^/?]+/?$", "listing", "person page"),
        _rule(r"^/(?:anime|manga)/index(?:/page-\d+)?/?$|^/$", "listing", "index page"),
    ),
)

# -- Anime-Planet: a title's main page only. Its characters sub-page is not extracted by the family.
# -- IMDb: a title's main page, full credits and release info, merged into one record per title.
ANIMEPLANET = SiteProfile(
    name="animeplanet",
    hosts=("anime-planet.com",),
    family="animeplanet",
    rules=(
        _rule(r"^/(?:anime|manga)/(?:all|top-anime|top-manga|seasons|tags|studios|magazines|genres|"
              r"recommendations|reviews|watch-online|light-novels|webtoons)(?:[/?]|$)", "listing", "index page"),
        _rule(r"^/(?:anime|manga)/[\w-]+/?$", "title"),
        _rule(r"^/people/[\w-]+/?$", "listing", "person page"),
        _rule(r"^/characters/[\w-]+/?$", "listing", "character page"),
        _rule(r"^/$", "listing", "home page"),
    ),
)
IMDB = SiteProfile(
    name="imdb",
    hosts=("imdb.com",),
    family="imdb",
    drop_params=IMDB_TRACKING_PARAMS,
    parts=IMDB_PAGES,
    rules=(
        _rule(rf"^{IMDB_TITLE_PATH}(?:\?ref_=[\w-]*)?$", "title"),  # other query strings: not requested
        _rule(r"^/name/nm\d+/?(?:\?ref_=[\w-]*)?$", "listing", "person page"),
        _rule(r"^/(?:chart/\w+|list/ls\d+)/?(?:\?ref_=[\w-]*)?$", "listing", "index page"),
        _rule(r"^/$", "listing", "home page"),
    ),
)

# -- anything else: extract every page, let the extractors decide -----------------------------------
GENERIC = SiteProfile(
    name="generic",
    hosts=(),
    rules=(
        _rule(r"^/(?:login|logout|signup|register|search|api|edit|submit|cart|account)(?:/|\?|$)", "skip"),
        _rule(r"[?&](?:action|oldid|diff|printable|sort|order|filter|replytocom)=", "skip"),
    ),
    default="title",
)

PROFILES: dict[str, SiteProfile] = {
    p.name: p
    for p in (WHISKEY, MEDIAWIKI, MYANIMELIST, ANIDB, ANIMENEWSNETWORK, ANISEARCH, ANIMEPLANET, IMDB, GENERIC)
}


def get_profile(name: str) -> SiteProfile:
    """A profile by name (``whiskey``, ``mediawiki``, ``myanimelist``, ... ``generic``)."""
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}") from None


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile whose hosts include the URL's host, or None (sniff the page then)."""
    host = (urlsplit(url).hostname or "").lower()
    for profile in PROFILES.values():
        if profile.matches_host(host):
            return profile
    return None


_SNIFFERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("whiskey", re.compile(r'class="[^"]*\b(?:wiki-title|wiki-details|wiki-descriptor|wiki-item-display)\b')),
    ("mediawiki", re.compile(r"\b(?:mw-parser-output|portable-infobox|wgArticleId|mw-headline)\b")),
    ("myanimelist", re.compile(r'class="dark_text"|myanimelist\.net')),
)
_LINK_SNIFFERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("whiskey", re.compile(r'href="(?:https?://[^/"]+)?/[^/"?#]+/\d{4}-\d+/"')),
    ("mediawiki", re.compile(r'href="(?:https?://[^/"]+)?/wiki/[^"]+"')),
    ("myanimelist", re.compile(r'href="(?:https?://[^/"]+)?/(?:anime|manga)/\d+/')),
)


def sniff_profile(html: str) -> SiteProfile:
    """Guess the profile from a page's markup (the start page of an unknown host); generic if nothing fits.

    Family classes on the page decide first; failing that, the shape of most of its links (a home or
    index page links to many ``/slug/4000-123/`` or ``/wiki/Title`` pages).

    >>> sniff_profile('<h1 class="entry-title"><a class="wiki-title" href="/x/4000-1/">X</a></h1>').name
    'whiskey'
    >>> sniff_profile('<ul>' + '<li><a href="/a/4000-1/">a</a></li>' * 3 + '</ul>').name
    'whiskey'
    >>> sniff_profile("<html><body>hello</body></html>").name
    'generic'
    """
    head = html[:300_000]
    for name, pattern in _SNIFFERS:
        if pattern.search(head):
            return PROFILES[name]
    counts = {name: len(pattern.findall(head)) for name, pattern in _LINK_SNIFFERS}
    best = max(counts, key=lambda name: counts[name])
    if counts[best] >= 3:
        return PROFILES[best]
    return GENERIC
