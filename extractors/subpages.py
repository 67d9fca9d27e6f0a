"""Which URLs are a title's pages on sites whose titles are read from several pages (MAL, IMDb).

The one definition of a MyAnimeList title's pages (``/anime/ID[/Slug]``, ``/manga/ID[/Slug]`` and
their ``/characters`` and ``/moreinfo`` sub-pages) and an IMDb title's (``/title/ttID`` and its
``/fullcredits`` and ``/releaseinfo`` sub-pages), and of the title each belongs to.
``extractors.merge`` (which page of a title leads a merge) and ``crawler.profiles`` (the
``myanimelist`` and ``imdb`` profiles' title rules, ``parts``, ``drop_params`` and ``title_key``)
are both built from it.

A URL's title and part are read from its **path alone**: a query string (IMDb's ``ref_=`` or any
other parameter) and a fragment never change which title or which part a URL is, so
``/title/tt1/fullcredits?ref_=x&foo=1`` is the full credits of ``tt1``. A trailing slash and the
letter case do not matter either. Another path is another page: ``/title/tt1/fullcredits/cast``,
``/anime/1/X/reviews``, ``/name/nm1/`` and ``/people/1/X`` are no page of a title. The host is not
looked at here (mirrors on 127.0.0.1 have the same paths); the crawler adds it to its title key.

Which URLs a crawl *requests* is a narrower question, answered by the profiles: besides the path, a
title page's link may carry only IMDb's tracking parameter (``ref_``, removed from followed links
by ``drop_params``); a link with other parameters is not requested (it is the same page as the
plain link, which the site links too, and query variants would fetch each title many times).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

MAL_SUBPAGES = ("characters", "moreinfo")
"""A MyAnimeList title's sub-pages (characters & staff, more info)."""
IMDB_SUBPAGES = ("fullcredits", "releaseinfo")
"""An IMDb title's sub-pages (full credits, release info)."""
IMDB_TRACKING_PARAMS = frozenset({"ref_"})
"""IMDb query parameters that only say where a click came from."""

MAL_TITLE_PATH = rf"/(anime|manga)/(\d+)(?:/[^/?#]*)??(?:/({'|'.join(MAL_SUBPAGES)}))?/?"
"""A MAL title's page path (no anchors). Groups: kind, id, sub-page. The slug is optional and a last
segment named like a sub-page is the sub-page (``/anime/1/characters``)."""
IMDB_TITLE_PATH = rf"/title/(tt\d+)(?:/({'|'.join(IMDB_SUBPAGES)}))?/?"
"""An IMDb title's page path (no anchors). Groups: title id, sub-page."""

MAL_PAGES = re.compile(rf"^{MAL_TITLE_PATH}$", re.IGNORECASE)
"""Matches the path of a MAL title's page or sub-page."""
IMDB_PAGES = re.compile(rf"^{IMDB_TITLE_PATH}$", re.IGNORECASE)
"""Matches the path of an IMDb title's page or sub-page."""

PAGES: dict[str, re.Pattern[str]] = {"myanimelist": MAL_PAGES, "imdb": IMDB_PAGES}
"""Extractor family -> the pattern of its titles' page paths."""


@dataclass(frozen=True, slots=True)
class TitlePage:
    """One page of a multi-page title: which title (``anime/90001``, ``tt1900123``) and which part."""

    family: str
    """``myanimelist`` or ``imdb``."""
    title: str
    """The title, the same for all its pages and hosts (lower case)."""
    part: str = ""
    """``""`` for the main page, else the sub-page (``characters``, ``fullcredits`` ...)."""

    @property
    def is_subpage(self) -> bool:
        return bool(self.part)


def match_path(path: str, pattern: re.Pattern[str], family: str) -> TitlePage | None:
    """The title page a URL path is by one family's pattern (``MAL_PAGES`` or ``IMDB_PAGES``), else None."""
    found = pattern.match(path)
    if found is None:
        return None
    groups = [g.lower() for g in found.groups() if g]
    if family == "myanimelist":
        kind, number, *part = groups
        return TitlePage(family, f"{kind}/{number}", part[0] if part else "")
    ident, *part = groups
    return TitlePage(family, ident, part[0] if part else "")


def title_page(url: str | None, family: str | None = None) -> TitlePage | None:
    """The title page a URL is (by its path only; see the module doc), else None. ``family`` limits the
    patterns tried to one family's.

    >>> title_page("https://www.imdb.com/title/tt1900123/fullcredits/?ref_=tt_ov_st_sm&x=1#cast")
    TitlePage(family='imdb', title='tt1900123', part='fullcredits')
    >>> title_page("http://127.0.0.1:8000/anime/90001/Kaze_no_Tsugi_no_Eki")
    TitlePage(family='myanimelist', title='anime/90001', part='')
    >>> title_page("https://myanimelist.net/anime/90001/Kaze/reviews") is None
    True
    >>> title_page("https://www.imdb.com/title/tt1/", family="myanimelist") is None
    True
    """
    if not url:
        return None
    path = urlsplit(url).path
    for name, pattern in PAGES.items():
        if family is None or family == name:
            page = match_path(path, pattern, name)
            if page is not None:
                return page
    return None
