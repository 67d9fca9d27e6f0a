"""IMDb title pages and their sub-pages (full credits, release info), from 2014 to the 2020s.

Three eras of markup are read, each only when the page carries it (cheap text checks choose the
readers, so a page pays for the XPath work of its own era only):

- 2014-2016 (``td#overview-top``): ``h1.header`` with ``span[itemprop=name]`` and the original
  title in ``span.title-extra``; the ``div.infobar`` (certificate, runtime, genres, release date);
  ``itemprop=aggregateRating``; ``div.txt-block`` principal credits; ``table.cast_list``;
  ``div#titleStoryLine`` and ``div#titleDetails`` label blocks (``h4.inline``); the user lists
  widget and the "People who liked this also liked..." recommendations (``div.rec_item``).
- 2017-2020 (``div.title_wrapper``): the same blocks with ``div.originalTitle``, ``div.subtext``,
  ``div.credit_summary_item``; release info in ``table.release-dates-table-test-only`` and
  ``table.akas-table-test-only``.
- 2020s React pages: ``data-testid`` hooks (``hero__pageTitle``, ``title-pc-principal-credit``,
  ``title-cast-item``, ``title-details-*``, ``title-techspec_*``, ``MoreLikeThis``,
  ``sub-section-*`` on the credits and release-info pages), with the page's JSON-LD and
  ``__NEXT_DATA__`` filling what the markup leaves out.

The page id is the title's ``tt`` number, so the main page, ``/fullcredits`` and ``/releaseinfo``
share one record id and merge (``extractors.merge.merge_records``). Person, character, company and
list pages are ``not_title``.

Choices (see docs/extraction.md):

- ``runtime_minutes`` is the longest listed cut (the record contract); every cut is kept in
  ``runtime_raw`` ("117 min | 95 min (1985) (edited)").
- Cast members are ``characters`` (character, actor, notes such as "voice" in ``role``); crew are
  ``credits`` with the group heading as ``role`` ("Produced by") and the credit text as ``note``
  ("executive producer"); canonical roles come from the note when it names a known role, else
  from the group. Director / Writer / Creator groups use those names on every page (the main page
  says "Director:", the credits page "Directed by") so sub-pages merge without duplicates.
- AKAs are ``names`` (``official``, with ``region`` and the note), the original title is
  ``original``. ``first_release_date`` is the earliest date the page shows (the title year when it
  is earlier than the one release date a main page shows).
- Production companies are ``studios``. User lists have no author on IMDb.

``expected`` (the layout-drift check): title, kind, names, first release date, credits, genres.
The full credits and release info sub-pages fill four or five of them (title, kind, year, names and
their own list).
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import orjson
from lxml import etree

from normalize.counts import parse_float, parse_int, parse_list_summary
from normalize.dates import PartialDate, parse_date, split_date_note
from normalize.kinds import parse_kind
from normalize.language import language_code
from normalize.money import parse_money
from normalize.roles import canonical_roles
from normalize.runtime import parse_runtime, parse_runtimes
from normalize.text import clean_text

from .page import element_text
from .records import Character, Credit, Image, Money, Name, Related, Release, UserList
from .registry import Family

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)

SITE = "imdb"
BASE = "https://www.imdb.com"

# -- page-level anchors (each ``//`` walks the tree: few of them, and only for the page's era) ------
_HEAD_LINKS = etree.XPath(
    "/html/head/link[@rel='canonical']/@href | /html/head/meta[@property='og:url']/@content"
)
_META = etree.XPath("/html/head/meta[@property or @name]")
_TITLE_TAG = etree.XPath("/html/head/title/text()")
_SCRIPTS_LD = etree.XPath("//script[@type='application/ld+json']/text()")
_NEXT_DATA = etree.XPath("id('__NEXT_DATA__')/text()")
# ``id()`` is answered from libxml2's id table, without walking the tree.
_OVERVIEW_2014 = etree.XPath("id('overview-top')")
_OVERVIEW_2017 = etree.XPath("id('title-overview-widget')")
_TITLE_WRAPPER = etree.XPath("id('title-overview-widget')")
_SUBPAGE_TITLE = etree.XPath(
    "id('main')//div[contains(@class, 'subpage_title_block')] | id('tn15title')"
)
_BY_ID = {
    name: etree.XPath(f"id('{name}')")
    for name in ("titleDetails", "titleStoryLine", "titleCast", "relatedListsWidget", "titleRecs",
                 "fullcredits_content", "title-episode-widget", "releaseinfo_content", "main")
}
_CAST_TABLES = etree.XPath(
    "id('titleCast')//table[contains(@class, 'cast_list')] | id('fullcredits_content')//table[contains(@class, 'cast_list')]"
)
_DATA_HEADERS = etree.XPath("id('fullcredits_content')//h4[contains(@class, 'dataHeaderWithBorder')]")
_REC_ITEMS = etree.XPath("id('titleRecs')//div[contains(concat(' ', normalize-space(@class), ' '), ' rec_item ')]")
_REC_TITLES = etree.XPath("id('titleRecs')//div[contains(@class, 'rec-title')]/a[@href]")
_RELEASE_TABLES = etree.XPath(
    "id('release_dates') | id('releaseinfo_content')//table[contains(@class, 'release-dates-table')]"
)
# The page repeats ``id="akas"`` on an anchor before the table: look inside the content block.
_AKA_TABLES = etree.XPath(
    "id('releaseinfo_content')//table[@id='akas' or contains(@class, 'akas-table')]"
    " | id('tn15content')//table[@id='akas']"
)
_RELEASE_DATES_ID = etree.XPath("id('release_dates')")
_AKAS_ID = etree.XPath("id('akas')")
_ANY_RELEASE_TABLES = etree.XPath("//table[contains(@class, 'release-dates-table')]")
_ANY_AKA_TABLES = etree.XPath("//table[contains(@class, 'akas-table')]")
_TESTIDS = etree.XPath("//*[@data-testid]")
_POSTER = etree.XPath(
    "id('img_primary')//img | id('title-overview-widget')//div[contains(@class, 'poster')]//img"
)

# -- relative queries -------------------------------------------------------------------------------
_NAME_LINKS = etree.XPath(".//a[contains(@href, '/name/nm')]")
_TXT_BLOCKS = etree.XPath(".//div[contains(@class, 'txt-block')][h4] | .//div[contains(@class, 'credit_summary_item')][h4]")

_TT = re.compile(r"/title/(tt\d{5,10})")
_OTHER_PAGES = re.compile(r"/(name|character|company|list|chart|search|user|event|news|calendar)/")
_YEARS = re.compile(r"(\d{4})\s*(?:[–-]\s*(\d{4})?)?")
_TITLE_TAG_RE = re.compile(
    r"^(?P<title>.*?)\s*\((?P<kind>[^()\d]*?)\s*(?P<years>\d{4}(?:\s*[–-]\s*(?:\d{4})?)?|\?{4})?\s*\)"
    r"(?:\s*-\s*(?P<section>[^-]*?))?\s*-\s*IMDb\s*$"
)
_PARENS = re.compile(r"\(([^()]*)\)")
# "24 episodes • 2019–2020" after a name on the React credits page: the title's run, not the role.
_EPISODE_NOISE = re.compile(r"\d+\s+(?:episodes?|eps?)|\d{4}(?:\s*[–-]\s*(?:\d{4})?)?")
_VERSION_LANG = re.compile(r"\b([A-Z][a-z]+)\s+version\b")
_NOT_A_DATE = re.compile(r"^(?:TV|Video|Episode|Mini|Podcast)\b", re.IGNORECASE)
_RATING_TAIL = re.compile(r"\s*(?:⭐|\|).*$")

# IMDb title types -> record kinds (normalize.kinds knows the common ones).
_IMDB_KINDS = {
    "movie": "film", "feature": "film", "tv movie": "film", "short": "film", "tv short": "tv",
    "video": "ova", "tv series": "tv", "tv mini series": "tv", "tv mini-series": "tv", "tv episode": "tv",
    "episode": "tv", "tv special": "special", "video game": "game", "music video": "music",
    "podcast series": "other", "podcast episode": "other", "tvseries": "tv", "tvminiseries": "tv",
    "tvepisode": "tv", "tvmovie": "film", "tvspecial": "special", "tvshort": "tv", "videogame": "game",
    "musicvideo": "music", "video.movie": "film", "video.tv_show": "tv", "video.episode": "tv",
    "creativework": None,
}
# Group headings that every era spells differently: one name so that sub-pages merge cleanly.
_GROUPS = {
    "director": "Director", "directors": "Director", "directed by": "Director", "directed": "Director",
    "writer": "Writer", "writers": "Writer", "writing credits": "Writer", "writing": "Writer",
    "creator": "Creator", "creators": "Creator", "created by": "Creator",
    "star": "Stars", "stars": "Stars",
}


def _extra(b: RecordBuilder, label: str, value: str, group: str | None) -> None:
    b.extra(label, value, group)  # noqa: S610 - RecordBuilder.extra, not Django's QuerySet.extra


@functools.lru_cache(maxsize=512)
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(expr)


def _q(el: HtmlElement, expr: str) -> list[Any]:
    """A relative XPath, compiled once (``el.xpath(str)`` recompiles on every call)."""
    result = _compiled(expr)(el)
    return result if isinstance(result, list) else []


def _classes(el: HtmlElement) -> list[str]:
    return str(el.get("class") or "").split()


def _text(el: HtmlElement | None) -> str:
    """Whitespace-collapsed, NFC text of an element (a fast ``clean_text`` for element text)."""
    if el is None:
        return ""
    return _squash(element_text(el))


def _squash(value: str | None) -> str:
    """``normalize.text.clean_text`` for the common case, without its regex pass."""
    if not value:
        return ""
    if "\u200b" in value:
        value = value.replace("\u200b", " ")
    text = " ".join(value.split())
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _own_text(el: HtmlElement) -> str:
    """The element's text without its child elements' text (tails kept)."""
    parts = [el.text or ""]
    parts.extend(child.tail or "" for child in el)
    return clean_text(" ".join(parts))


def page_id_from_url(url: str | None) -> str | None:
    """The ``tt`` id of an IMDb title URL (any sub-page).

    >>> page_id_from_url("http://www.imdb.com/title/tt0087544/fullcredits?ref_=tt_ov_st_sm")
    'tt0087544'
    >>> page_id_from_url("https://m.imdb.com/name/nm0594503/") is None
    True
    """
    if not url:
        return None
    found = _TT.search(urlsplit(url).path)
    return found.group(1) if found else None


def _clean_url(page: Page, href: str | None) -> str | None:
    """An IMDb link without its tracking query (``?ref_=...``), made absolute."""
    if not href:
        return None
    href = href.strip().split("?", 1)[0].split("#", 1)[0]
    if not href:
        return None
    if href.startswith(("https://", "http://")):
        return _desktop(href)
    if href.startswith("/") and not href.startswith("//"):
        return _origin(page.url) + href
    return _desktop(urljoin(page.url or BASE, href))


def _desktop(url: str) -> str:
    """A mobile-site link (``m.imdb.com``) as its desktop twin, so that records of a title read from
    the mobile and the desktop site link the same pages and merge."""
    return url.replace("://m.imdb.com/", "://www.imdb.com/", 1) if "://m.imdb.com/" in url else url


@functools.lru_cache(maxsize=64)
def _origin(url: str | None) -> str:
    """``scheme://host`` of the page URL (IMDb's own when the page has none; the desktop host for the
    mobile site)."""
    parts = urlsplit(url or "")
    if not parts.scheme or not parts.netloc:
        return BASE
    return f"{parts.scheme}://{'www.imdb.com' if parts.netloc == 'm.imdb.com' else parts.netloc}"


_roles = functools.lru_cache(maxsize=4096)(canonical_roles)


class _Ctx:
    """What one IMDb page offers, found once: meta tags, JSON-LD, ``__NEXT_DATA__``, era flags."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.react = page.contains('data-testid="')
        # Id lookups come from libxml2's id table; a substring test scans the whole page.
        self.old = bool(_OVERVIEW_2014(page.root))
        self.mid = bool(_OVERVIEW_2017(page.root)) or page.contains("title_wrapper")
        self.meta: dict[str, str] = {}
        for el in _META(page.root):
            key = str(el.get("property") or el.get("name") or "")
            if key and key not in self.meta:
                self.meta[key] = clean_text(el.get("content"))
        self.ld: dict[str, Any] = {}
        if page.contains("application/ld+json"):
            for raw in _SCRIPTS_LD(page.root):
                data = _loads(str(raw))
                for item in data if isinstance(data, list) else [data]:
                    if isinstance(item, dict) and item.get("@type") not in ("BreadcrumbList", "Organization"):
                        self.ld = item
                        break
                if self.ld:
                    break
        self.next: dict[str, Any] = {}
        found = _NEXT_DATA(page.root)
        if found:
            data = _loads(str(found[0]))
            props = data.get("props", {}).get("pageProps", {}) if isinstance(data, dict) else {}
            self.next = props if isinstance(props, dict) else {}
        self.testids: dict[str, list[HtmlElement]] | None = None
        self.year: str | None = None
        self.end_year: str | None = None
        self.published: str | None = None
        self.stars: list[Credit] = []
        self.seen: dict[str, set[Any]] = {}
        path = urlsplit(page.url or "").path
        found = _TT.search(path)
        self.sub_page = path[found.end() :].strip("/") if found else ""
        """``fullcredits``, ``releaseinfo`` ... or "" for the main title page."""

    def _index(self) -> dict[str, list[HtmlElement]]:
        """Every ``data-testid`` element by its test id (one walk of the tree, on React pages only)."""
        if self.testids is None:
            self.testids = {}
            if self.react:
                for el in _TESTIDS(self.page.root):
                    self.testids.setdefault(str(el.get("data-testid")), []).append(el)
        return self.testids

    def by_testid(self, name: str) -> list[HtmlElement]:
        return self._index().get(name, [])

    def testids_starting(self, prefix: str) -> list[tuple[str, HtmlElement]]:
        return [(k, el) for k, els in self._index().items() if k.startswith(prefix) for el in els]

    def add(self, b: RecordBuilder, field: str, item: Any) -> None:
        """``b.add`` for long lists (credits, cast): a set keeps the duplicate check linear."""
        seen = self.seen.get(field)
        if seen is None:
            seen = self.seen[field] = set(b.lists[field])
        if item is None or item in seen:
            return
        seen.add(item)
        b.lists[field].append(item)

    def above(self, *path: str) -> Any:
        return _dig(self.next.get("aboveTheFoldData"), *path)

    def main(self, *path: str) -> Any:
        return _dig(self.next.get("mainColumnData"), *path)


def _loads(raw: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _canonical(page: Page) -> str | None:
    for href in _HEAD_LINKS(page.root):
        text = clean_text(str(href))
        if text:
            return page.absolute(text)
    return None


def sniff(page: Page) -> bool:
    """An IMDb page saved without its URL."""
    if not page.contains("imdb.com"):
        return False  # a substring test first: the canonical query may walk the whole tree
    canonical = _canonical(page) or ""
    if "imdb.com/" in canonical:
        return True
    head = page.head(40000)
    return "imdb.com" in head and ("/title/tt" in head) and ("IMDb" in head)


def extract(page: Page, b: RecordBuilder) -> str | None:
    """Fill the builder from an IMDb title, full-credits or release-info page; return ``tt...``."""
    canonical = _canonical(page)
    b.set("canonical_url", canonical)
    page_id = page_id_from_url(page.url) or page_id_from_url(canonical)
    path = urlsplit(page.url or canonical or "").path
    ctx = _Ctx(page)
    if page_id is None:
        page_id = ctx.meta.get("pageId") if str(ctx.meta.get("pageId", "")).startswith("tt") else None
    if page_id is None and _OTHER_PAGES.search(path):
        b.not_title(f"{_OTHER_PAGES.search(path).group(1)} page")  # type: ignore[union-attr]
        with b.field("title"):
            b.set("title", clean_text(ctx.meta.get("og:title")) or None)
        return None
    with b.field("title"):
        _read_title(ctx, b)
    with b.field("credits"):
        _read_principal_credits(ctx, b)
        _read_full_credits(ctx, b)
    with b.field("characters"):
        _read_cast(ctx, b)
    with b.field("details"):
        _read_overview(ctx, b)
        _read_details(ctx, b)
    with b.field("synopsis"):
        _read_story(ctx, b)
    with b.field("releases"):
        _read_release_info(ctx, b)
    with b.field("lists"):
        _read_lists(ctx, b)
    with b.field("related"):
        _read_similar(ctx, b)
    with b.field("structured_data"):
        _read_structured(ctx, b)
    with b.field("first_release_date"):
        _first_release(ctx, b)
    with b.field("images"):
        _read_image(ctx, b)
    return page_id


# -- title, names, kind, year -------------------------------------------------------------------
def _read_title(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    title: str | None = None
    original: str | None = None
    tag = _TITLE_TAG(page.root)
    parsed = _TITLE_TAG_RE.match(clean_text(str(tag[0]))) if tag else None
    if ctx.old:
        for top in _OVERVIEW_2014(page.root)[:1]:
            for h1 in _q(top, ".//h1")[:1]:
                names = _q(h1, "./span[@itemprop='name']")
                if names:
                    title = _text(names[0])
                extra = _q(h1, "./span[contains(@class, 'title-extra')]")
                if extra:
                    original = clean_text(_own_text(extra[0]).strip('"“” '))
                nobr = _q(h1, "./span[contains(@class, 'nobr')]")
                if nobr:
                    _read_kind_years(ctx, b, _text(nobr[0]).strip("() "))
    if title is None and ctx.mid:
        for wrapper in _TITLE_WRAPPER(page.root)[:1]:
            for h1 in _q(wrapper, ".//div[contains(@class, 'title_wrapper')]/h1")[:1]:
                title = clean_text(h1.text) or None
                years = _q(h1, ".//span[@id='titleYear']")
                if years:
                    _read_kind_years(ctx, b, _text(years[0]).strip("() "))
            for div in _q(wrapper, ".//div[contains(@class, 'originalTitle')]")[:1]:
                original = clean_text(div.text) or None
    if title is None and ctx.react:
        for key in ("hero__pageTitle", "hero-title-block__title"):
            for h1 in ctx.by_testid(key)[:1]:
                title = _text(h1) or None
        for div in ctx.by_testid("hero-title-block__original-title")[:1]:
            original = re.sub(r"^[^:]{1,30}:\s*", "", _text(div)) or None
        if original is None and title is not None:
            for h1 in ctx.by_testid("hero__pageTitle")[:1]:
                for sib in h1.itersiblings():
                    text = _text(sib)
                    if text.lower().startswith("original title:"):
                        original = clean_text(text.split(":", 1)[1]) or None
                        break
        for ul in ctx.by_testid("hero-title-block__metadata")[:1]:
            _read_hero_metadata(ctx, b, ul)
        if not ctx.by_testid("hero-title-block__metadata"):
            for h1 in ctx.by_testid("hero__pageTitle")[:1]:
                parent = h1.getparent()
                uls = _q(parent, "./ul | ./div/ul") if parent is not None else []
                if uls:
                    _read_hero_metadata(ctx, b, uls[0])
    if title is None:
        for block in _SUBPAGE_TITLE(page.root)[:1]:
            for a in _q(block, ".//h3[@itemprop='name']/a | .//*[@itemprop='name']/a")[:1]:
                title = _text(a) or None
            for span in _q(block, ".//h3//span[contains(@class, 'nobr')]")[:1]:
                _read_kind_years(ctx, b, _text(span).strip("() "))
    if title is None and ctx.next:
        title = clean_text(str(ctx.above("titleText", "text") or "")) or None
        original = original or clean_text(str(ctx.above("originalTitleText", "text") or "")) or None
    if title is None and parsed:
        title = clean_text(parsed.group("title")) or None
    if title is None:
        og = ctx.meta.get("og:title", "")
        title = clean_text(_RATING_TAIL.sub("", og)) or None
    if parsed:
        kind_word = clean_text(parsed.group("kind"))
        if kind_word:
            _set_kind(b, kind_word)
        if parsed.group("years"):
            _read_kind_years(ctx, b, parsed.group("years"))
    b.set("title", title)
    if title:
        b.add("names", Name(name=title, type="main"))
    if original:
        b.add("names", Name(name=original, type="original"))


def _set_kind(b: RecordBuilder, raw: str | None) -> None:
    raw = clean_text(raw)
    if not raw or b.get("kind_raw"):
        return
    key = raw.lower()
    kind = _IMDB_KINDS[key] if key in _IMDB_KINDS else parse_kind(raw)
    b.set("kind_raw", raw)
    if kind is None and key not in _IMDB_KINDS:
        b.unparsed("kind", raw, "kind")
    b.set("kind", kind)


def _read_kind_years(ctx: _Ctx, b: RecordBuilder, text: str) -> None:
    """ "1984", "TV Series 1998–1999", "Video Game 2004", "2019– "."""
    text = clean_text(text)
    m = _YEARS.search(text)
    word = clean_text(text[: m.start()] if m else text).strip("(), ")
    if word and not word.isdigit():
        _set_kind(b, word)
    if not m:
        return
    ctx.year = ctx.year or m.group(1)
    if m.group(2):
        ctx.end_year = ctx.end_year or m.group(2)


def _read_hero_metadata(ctx: _Ctx, b: RecordBuilder, ul: HtmlElement) -> None:
    """React hero strip: ``TV Series · 1998–1999 · TV-14 · 24m`` or ``1984 · PG · 1h 57m``."""
    for li in _q(ul, "./li"):
        text = _text(li)
        if not text:
            continue
        links = _q(li, ".//a/@href")
        href = str(links[0]) if links else ""
        if "releaseinfo" in href or _YEARS.fullmatch(text.replace(" ", "")):
            _read_kind_years(ctx, b, text)
        elif "parentalguide" in href or "certificates" in href:
            b.set("rating", text)
        elif re.fullmatch(r"(?:\d+\s*h)?\s*(?:\d+\s*m(?:in)?)?", text) and any(c.isdigit() for c in text):
            minutes = parse_runtime(text)
            if minutes is not None and b.get("runtime_raw") is None:
                b.set("runtime_raw", text)
                b.set("runtime_minutes", minutes)
        elif not any(c.isdigit() for c in text) and b.get("kind_raw") is None:
            _set_kind(b, text)


# -- principal credits, full credits -------------------------------------------------------------
def _group(label: str) -> str:
    key = clean_text(label).rstrip(":：").strip()
    key = re.sub(r"\s*\(.*?\)\s*$", "", key)
    return _GROUPS.get(key.lower(), key)


def _credit(page: Page, a: HtmlElement, group: str, note: str | None) -> Credit | None:
    person = _text(a)
    if not person:
        return None
    note = clean_text((note or "").strip("()&,. ")) or None
    roles: tuple[str, ...] = ()
    if note:
        # "executive producer: English version": the role is before the colon.
        roles = _roles(note.split(":", 1)[0]) if ":" in note else _roles(note)
    if not roles or roles == ("other",):
        roles = _roles(group) or roles
    return Credit(person=person, person_url=_clean_url(page, a.get("href")), role=group, roles=roles, note=note)


def _read_principal_credits(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    stars: list[Credit] = []
    scopes: list[HtmlElement] = []
    if ctx.old:
        scopes.extend(_OVERVIEW_2014(page.root)[:1])
    if ctx.mid:
        scopes.extend(_TITLE_WRAPPER(page.root)[:1])
    for scope in scopes:
        for block in _TXT_BLOCKS(scope):
            group = _group(_text(_q(block, "./h4")[0]))
            for a in _NAME_LINKS(block):
                m = _PARENS.match(clean_text(a.tail))
                credit = _credit(page, a, group, m.group(1) if m else None)
                if credit is None:
                    continue
                if group == "Stars":
                    stars.append(credit)
                else:
                    b.add("credits", credit)
    for li in ctx.by_testid("title-pc-principal-credit"):
        labels = _q(li, "./span | ./a | ./button")
        group = _group(_text(labels[0])) if labels else ""
        for a in _q(li, ".//ul//a[contains(@href, '/name/')]"):
            sub = _q(a, "following-sibling::span")
            credit = _credit(page, a, group, _text(sub[0]) if sub else None)
            if credit is None:
                continue
            if group == "Stars":
                stars.append(credit)
            else:
                b.add("credits", credit)
    ctx.stars = stars


def _read_full_credits(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    if page.contains("dataHeaderWithBorder"):
        for h4 in _DATA_HEADERS(page.root):
            if (h4.get("id") or h4.get("name")) == "cast":
                continue
            group = _group(_own_text(h4) or _text(h4))
            if re.match(r"^cast\b(?!ing)", group, re.IGNORECASE):
                continue
            table = h4.getnext()
            while table is not None and not (isinstance(table.tag, str) and table.tag in ("table", "h4")):
                table = table.getnext()
            if table is None or table.tag != "table":
                continue
            for tr in table.iter("tr"):
                cells = [c for c in tr if c.tag == "td"]
                if not cells:
                    continue
                name_td = next((c for c in cells if "name" in _classes(c)), cells[0])
                link = next((a for a in name_td.iter("a") if a.get("href")), None)
                if link is None:
                    continue
                credit_td = next((c for c in cells if "credit" in _classes(c)), None)
                credit = _credit(page, link, group, _text(credit_td) if credit_td is not None else None)
                if credit is not None:
                    ctx.add(b, "credits", credit)
    for key, div in ctx.testids_starting("sub-section-"):
        category = key[len("sub-section-") :]
        if category in ("cast", "releases", "akas") or category.startswith(("cast", "release", "aka")):
            continue
        group = _section_heading(div) or category.replace("_", " ").title()
        group = _group(group)
        for li in _q(div, ".//li[@data-testid='name-credits-list-item'] | ./ul/li"):
            names = [a for a in _NAME_LINKS(li) if _text(a)]
            if not names:
                continue
            credit = _credit(page, names[0], group, "; ".join(_item_bits(li)) or None)
            if credit is not None:
                ctx.add(b, "credits", credit)


def _item_bits(li: HtmlElement) -> list[str]:
    """The credit texts of a React credits row (its inline list items), without the run
    ("24 episodes", "2019–2020") and without character links."""
    bits: list[str] = []
    for item in _q(li, ".//ul/li"):
        if _q(item, ".//a[contains(@href, '/characters/')]"):
            continue
        text = _text(item)
        if text and not _EPISODE_NOISE.fullmatch(text):
            bits.append(text)
    return bits


def _section_heading(div: HtmlElement) -> str | None:
    """The ``h3.ipc-title__text`` heading of a React credits section, without its count."""
    for section in _q(div, "ancestor::section[1]"):
        for h3 in _q(section, ".//h3[contains(@class, 'ipc-title__text')]")[:1]:
            own = _squash(h3.text)
            if own:
                return own
            for child in h3:
                if isinstance(child.tag, str) and "subtext" not in str(child.get("class") or ""):
                    text = _text(child)
                    if text:
                        return text
            return _text(h3) or None
    return None


# -- cast ---------------------------------------------------------------------------------------
def _cast_notes(text: str) -> tuple[str | None, str | None]:
    """Notes in brackets ("(voice)", "(as X)", "(English version)") -> (role, language)."""
    notes = [clean_text(n) for n in _PARENS.findall(text) if clean_text(n)]
    language = None
    for note in notes:
        m = _VERSION_LANG.search(note)
        if m:
            language = language_code(m.group(1)) or language
    return ("; ".join(n.lower() for n in notes) or None), language


def _add_cast(
    ctx: _Ctx,
    b: RecordBuilder,
    actor: HtmlElement | None,
    chars: list[tuple[str, str | None]],
    text: str,
) -> None:
    """One cast row: an actor, the characters played (name, link) and the notes ("(voice)")."""
    page = ctx.page
    actor_name = _text(actor) if actor is not None else None
    actor_url = _clean_url(page, actor.get("href")) if actor is not None else None
    role, language = _cast_notes(text)
    names: list[tuple[str | None, str | None]] = [(n, _clean_url(page, u)) for n, u in chars if n]
    if not names:
        bare = clean_text(_PARENS.sub(" ", text))
        names = [(n.strip(), None) for n in bare.split(" / ") if n.strip()]
    if not names:
        names = [(None, None)]
    for name, url in names:
        if not actor_name and not name:
            continue
        ctx.add(b, "characters", Character(character=name, character_url=url, role=role,
                                           actor=actor_name or None, actor_url=actor_url, language=language))


def _read_cast(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    if page.contains("cast_list"):
        for table in _CAST_TABLES(page.root):
            for tr in table.iter("tr"):
                cells = [c for c in tr if c.tag == "td"]
                actor_td = next((c for c in cells if c.get("itemprop") == "actor"), None)
                if actor_td is None and len(cells) > 1 and "primary_photo" in _classes(cells[0]):
                    actor_td = cells[1]
                char_td = next((c for c in cells if "character" in _classes(c)), None)
                if actor_td is None and char_td is None:
                    continue
                actor = next((a for a in actor_td.iter("a") if a.get("href")), None) if actor_td is not None else None
                chars = [(_text(a), a.get("href")) for a in char_td.iter("a") if "/character" in str(a.get("href"))] \
                    if char_td is not None else []
                text = _text(char_td) if char_td is not None else ""
                _add_cast(ctx, b, actor, chars, text)
    for item in ctx.by_testid("title-cast-item"):
        actors = _q(item, ".//a[@data-testid='title-cast-item__actor']") or [
            a for a in _NAME_LINKS(item) if _text(a)
        ]
        chars = _q(item, ".//a[@data-testid='cast-item-characters-link']//span[not(span)]"
                           " | .//*[@data-testid='cast-item-characters-list']//li//span")
        links = _q(item, ".//a[@data-testid='cast-item-characters-link']")
        text = _text(item)
        if actors:
            text = text.replace(_text(actors[0]), "", 1)
        names = [_PARENS.sub("", _text(c)).strip() for c in chars if _text(c) and not _text(c).startswith("(")]
        link = str(links[0].get("href")) if links and len(names) == 1 else None
        _add_cast(ctx, b, actors[0] if actors else None, [(n, link) for n in names], text)
    for div in ctx.by_testid("sub-section-cast"):
        for li in _q(div, ".//li[@data-testid='name-credits-list-item']"):
            actors = [a for a in _NAME_LINKS(li) if _text(a)]
            chars = [(_text(a), a.get("href")) for a in _q(li, ".//a[contains(@href, '/characters/')]")]
            _add_cast(ctx, b, actors[0] if actors else None, chars, " ".join(_item_bits(li)))
    if not b.lists["characters"]:
        for credit in ctx.stars:
            b.add("credits", credit)


# -- overview strip, details, story --------------------------------------------------------------
def _read_overview(ctx: _Ctx, b: RecordBuilder) -> None:
    """2014 ``div.infobar`` / 2017 ``div.subtext``: certificate, runtime, genres, release date."""
    page = ctx.page
    bars: list[HtmlElement] = []
    if ctx.old:
        for top in _OVERVIEW_2014(page.root)[:1]:
            bars.extend(_q(top, ".//div[contains(@class, 'infobar')]"))
            for rating in _q(top, ".//*[@itemprop='aggregateRating']")[:1]:
                _read_aggregate(b, rating)
            for p in _q(top, ".//p[@itemprop='description']")[:1]:
                b.set("deck", _text(p))
    if ctx.mid:
        for wrapper in _TITLE_WRAPPER(page.root)[:1]:
            bars.extend(_q(wrapper, ".//div[contains(@class, 'subtext')]"))
            for rating in _q(wrapper, ".//*[@itemprop='aggregateRating']")[:1]:
                _read_aggregate(b, rating)
        main = _BY_ID["main"](page.root)
        scope = main[0] if main else page.root
        # The query scans the whole content: only when the class is on the page at all.
        has_summary = scope is not None and page.contains("summary_text")
        for summary in _q(scope, ".//div[contains(@class, 'summary_text')]")[:1] if has_summary else []:
            b.set("deck", _text(summary))
    for bar in bars:
        first = clean_text(bar.text)
        subtext = "subtext" in _classes(bar)
        # 2014 "infobar" starts with the type of a non-film ("TV Series"); the 2017 "subtext" with
        # the certificate ("PG").
        if first and not subtext and b.get("kind_raw") is None and not any(c.isdigit() for c in first):
            _set_kind(b, first.strip(" -|"))
        certs = _q(bar, ".//*[@itemprop='contentRating']")
        if certs:
            b.set("rating", clean_text(certs[0].get("content") or certs[0].get("title")) or _text(certs[0]))
        elif first and subtext:
            b.set("rating", first.strip(" |"))
        for t in _q(bar, ".//time[@itemprop='duration']")[:1]:
            minutes = parse_runtime(t.get("datetime")) or parse_runtime(_text(t))
            if b.get("runtime_raw") is None:
                b.set("runtime_raw", _text(t))
                b.set("runtime_minutes", minutes)
        b.add("genres", *(_text(g) for g in _q(bar, ".//a[contains(@href, '/genre')]")))
        for a in _q(bar, ".//a[contains(@href, 'releaseinfo')]")[:1]:
            raw = clean_text(element_text(a))
            meta = _q(a, ".//meta[@itemprop='datePublished']/@content")
            if raw.lower().startswith("episode aired"):  # "Episode aired 3 April 1998"
                _set_kind(b, "TV Episode")
                _add_release_text(b, raw[len("episode aired") :], iso=str(meta[0]) if meta else None)
            elif _NOT_A_DATE.match(raw):  # "TV Series (1998–1999)"
                _read_kind_years(ctx, b, raw.replace("(", " ").replace(")", " "))
            else:
                _add_release_text(b, raw, iso=str(meta[0]) if meta else None)


def _add_release_text(b: RecordBuilder, raw: str, iso: str | None = None) -> None:
    """ "11 March 1984 (Japan)" -> a release with its region."""
    raw = clean_text(re.sub(r"\s*See (?:more|all).*$", "", raw))
    if not raw:
        return
    date_text, region = split_date_note(raw)
    date = parse_date(iso) if iso else None
    if date is None:
        date = parse_date(date_text)
    if date is None:
        b.unparsed("releases", raw, "release date")
    b.add("releases", Release(region=region, date=date.iso if date else None,
                              precision=date.precision if date else None, raw=date_text))


def _read_aggregate(b: RecordBuilder, scope: HtmlElement) -> None:
    value = _q(scope, ".//*[@itemprop='ratingValue']")
    if value:
        b.set("score", parse_float(_text(value[0]) or value[0].get("content")))
        best = _q(scope, ".//*[@itemprop='bestRating']")
        b.set("score_max", parse_float(_text(best[0]) or best[0].get("content")) if best else 10.0)
    count = _q(scope, ".//*[@itemprop='ratingCount']")
    if count:
        b.set("score_count", parse_int(_text(count[0]) or count[0].get("content")))


_DETAIL_FIELDS = {
    "country": "countries", "countries": "countries", "countries of origin": "countries",
    "country of origin": "countries", "language": "languages", "languages": "languages",
    "production co": "studios", "production companies": "studios", "production company": "studios",
    "genres": "genres", "genre": "genres",
}


def _read_details(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    blocks: list[tuple[str, str, list[HtmlElement], list[str], HtmlElement]] = []
    for details in _BY_ID["titleDetails"](page.root)[:1]:
        heading = "Details"
        for el in details:
            if not isinstance(el.tag, str):
                continue
            if el.tag in ("h2", "h3"):
                heading = _text(el)
                continue
            if "txt-block" not in _classes(el):
                continue
            h4 = _q(el, "./h4")
            if not h4:
                continue
            label = _text(h4[0]).rstrip(":")
            links = [a for a in _q(el, ".//a[@href]") if "see-more" not in str(a.getparent().get("class") or "")
                     and not _text(a).lower().startswith(("see more", "see full"))]
            parts = [h4[0].tail or ""]
            for sib in h4[0].itersiblings():
                if isinstance(sib.tag, str) and "see-more" not in _classes(sib) and sib.tag != "script":
                    parts.append(element_text(sib))
                parts.append(sib.tail or "")
            value = clean_text(" ".join(parts))
            value = clean_text(re.sub(r"\s*(?:See more|See full technical specs)\s*»?\s*$", "", value))
            blocks.append((label, value, links, [_text(a) for a in links], el))
            if label.lower() == "runtime":
                _read_runtimes(b, value, el)
            _ = heading
    for key, li in ctx.testids_starting("title-details-") + ctx.testids_starting("title-boxoffice-") + \
            ctx.testids_starting("title-techspec_"):
        if li.tag != "li":
            continue
        labels = _q(li, "./span | ./a | ./button")
        label = _text(labels[0]) if labels else key.split("-")[-1].split("_")[-1]
        items = _q(li, ".//ul//li")
        values = [_text(i) for i in items if _text(i)] or [_text(li).replace(label, "", 1).strip()]
        links = _q(li, ".//ul//a[@href]")
        value = " | ".join(values)
        if key == "title-techspec_runtime":
            _read_runtimes(b, value, li)
            continue
        blocks.append((label, value, links, values, li))
    for label, value, links, values, _el in blocks:
        _detail(ctx, b, label, value, links, values)


def _detail(
    ctx: _Ctx, b: RecordBuilder, label: str, value: str, links: list[HtmlElement], values: list[str]
) -> None:
    key = label.lower().strip(" :")
    if not value:
        return
    field = _DETAIL_FIELDS.get(key)
    if field is not None:
        b.add(field, *(v for v in (values or [value]) if v))
    elif key in ("release date", "release dates"):
        for v in values or [value]:
            _add_release_text(b, v)
    elif key in ("also known as", "aka"):
        for v in values or [value]:
            if v and v != b.get("title"):
                b.add("names", Name(name=v, type="official"))
    elif key == "budget":
        b.set("budget", _money(value))
    elif key in ("gross", "gross worldwide", "cumulative worldwide gross", "worldwide gross"):
        b.set("box_office", _money(value))
    elif key == "runtime":
        return
    elif key in ("certificate", "certification"):
        b.set("rating", values[0] if values else value)
    elif key in ("official sites", "official site"):
        _extra(b, label, " | ".join(values) if values else value, "Details")
    else:
        _extra(b, label, value, "Details")


def _money(raw: str) -> Money:
    amount, currency = parse_money(raw)
    return Money(raw=raw, amount=amount, currency=currency)


def _read_runtimes(b: RecordBuilder, raw: str, el: HtmlElement) -> None:
    raw = clean_text(raw)
    if not raw:
        return
    minutes = [m for m in (parse_runtime(t.get("datetime")) for t in _q(el, ".//time[@datetime]")) if m]
    if not minutes:
        minutes = parse_runtimes(raw)
    if not minutes:
        b.unparsed("runtime_minutes", raw, "runtime")
        return
    b.set("runtime_raw", raw, overwrite=True)
    b.set("runtime_minutes", max(minutes), overwrite=True)


def _read_story(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    for story in _BY_ID["titleStoryLine"](page.root)[:1]:
        for div in _q(story, ".//div[@itemprop='description'] | .//div[contains(@class, 'canwrap')][p]")[:1]:
            paragraphs = []
            for p in _q(div, ".//p"):
                parts = [p.text or ""]
                for child in p:
                    if isinstance(child.tag, str) and child.tag == "em" and "written by" in _text(child).lower():
                        author = _text(child)
                        _extra(b, "Synopsis author", re.sub(r"^\s*written by\s*", "", author, flags=re.IGNORECASE),
                               "Storyline")
                        parts.append(child.tail or "")
                        continue
                    parts.append(element_text(child) if isinstance(child.tag, str) else "")
                    parts.append(child.tail or "")
                text = clean_text("".join(parts))
                if text:
                    paragraphs.append(text)
            if paragraphs and b.get("synopsis") is None:
                b.values["synopsis"] = "\n\n".join(paragraphs)
        for div in _q(story, ".//div[@itemprop='genre'] | .//div[h4[starts-with(normalize-space(), 'Genre')]]"):
            b.add("genres", *(_text(a) for a in _q(div, ".//a[contains(@href, '/genre')]")))
        for div in _q(story, ".//div[@itemprop='keywords'] | .//div[h4[starts-with(normalize-space(), 'Plot Keywords')]]"):
            b.add("tags", *(_text(s) for s in _q(div, ".//a[contains(@href, '/keyword')]")
                            if not _text(s).lower().startswith("see")))
        for block in _q(story, ".//div[contains(@class, 'txt-block')][h4]"):
            label = _text(_q(block, "./h4")[0]).rstrip(":")
            if label.lower().startswith("certificat"):
                certs = _q(block, ".//*[@itemprop='contentRating']")
                b.set("rating", _text(certs[0]) if certs else None)
            elif label.lower().startswith("taglines"):
                value = clean_text(_own_text(block).replace(label + ":", "", 1))
                if value:
                    _extra(b, "Taglines", value, "Storyline")
    if ctx.react:
        for key in ("plot-xl", "plot-l", "plot-xs_to_m"):
            for span in ctx.by_testid(key)[:1]:
                b.set("deck", _text(span))
        for div in ctx.by_testid("storyline-plot-summary")[:1]:
            text = re.sub(r"\s*—\s*[^—]{1,80}$", "", _text(div))
            if text and b.get("synopsis") is None:
                b.values["synopsis"] = text
        for li in ctx.by_testid("storyline-genres")[:1]:
            b.add("genres", *(_text(a) for a in _q(li, ".//a")))
        for div in ctx.by_testid("genres")[:1] + ctx.by_testid("interests")[:1]:
            chips = [_text(s) for s in _q(div, ".//a//span") if _text(s)] or [_text(a) for a in _q(div, ".//a")]
            if not b.lists["genres"]:
                b.add("genres", *chips)
            else:
                b.add("tags", *(c for c in chips if c not in b.lists["genres"]))
        for div in ctx.by_testid("hero-rating-bar__aggregate-rating__score")[:1]:
            spans = _q(div, "./span")
            if spans and b.get("score") is None:
                b.set("score", parse_float(_text(spans[0])))
                b.set("score_max", 10.0)
        for section in ctx.by_testid("Episodes")[:1]:
            for sub in _q(section, ".//h3//*[contains(@class, 'subtext')]")[:1]:
                b.set("episodes", parse_int(_text(sub)))


# -- release info sub-page ------------------------------------------------------------------------
def _read_release_info(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    if _RELEASE_DATES_ID(page.root) or page.contains("release-dates-table"):
        for table in _RELEASE_TABLES(page.root) or _ANY_RELEASE_TABLES(page.root):
            for tr in table.iter("tr"):
                cells = [c for c in tr if c.tag == "td"]
                if len(cells) < 2:
                    continue
                region = _text(cells[0]) or None
                raw = _text(cells[1])
                note = "; ".join(clean_text(n) for n in _PARENS.findall(_text(cells[2]))) if len(cells) > 2 else ""
                _add_release(ctx, b, region, raw, note or None)
    if _AKAS_ID(page.root) or page.contains("akas-table"):
        for table in _AKA_TABLES(page.root) or _ANY_AKA_TABLES(page.root):
            previous = ""
            for tr in table.iter("tr"):
                cells = [c for c in tr if c.tag == "td"]
                if len(cells) < 2:
                    continue
                where = _text(cells[0]) or previous
                previous = where
                _add_aka(ctx, b, where, _text(cells[-1]))
    for div in ctx.by_testid("sub-section-releases"):
        for li in _q(div, "./ul/li | .//li[@data-testid='list-item']"):
            label = _q(li, "./*[contains(@class, 'label')]")
            country = _text(label[0]) if label else None
            for value, value_note in _list_item_values(li):
                _add_release(ctx, b, country, value, value_note)
    for div in ctx.by_testid("sub-section-akas"):
        for li in _q(div, "./ul/li | .//li[@data-testid='list-item']"):
            label = _q(li, "./*[contains(@class, 'label')]")
            where = _text(label[0]) if label else ""
            for value, value_note in _list_item_values(li):
                _add_aka(ctx, b, f"{where} ({value_note})" if value_note else where, value)


def _list_item_values(li: HtmlElement) -> list[tuple[str, str | None]]:
    """React metadata list item: ``[(value, note), ...]`` from its content spans; a note outside the
    inner list (``span.…--subText`` after it) belongs to every value of the row."""
    out: list[tuple[str, str | None]] = []
    outer_notes = [_text(s).strip("() ") for s in _q(li, "./div/span[contains(@class, 'subText')] | ./span[contains(@class, 'subText')]")]
    for inner in _q(li, ".//ul/li") or [li]:
        spans = _q(inner, ".//span[contains(@class, 'list-content-item')] | .//a[contains(@class, 'list-content-item')]")
        values = [s for s in spans if "subText" not in str(s.get("class"))]
        notes = [_text(s).strip("() ") for s in spans if "subText" in str(s.get("class"))] or outer_notes
        for s in values:
            value = _text(s)
            if value:
                out.append((value, "; ".join(n for n in notes if n) or None))
    if not out:
        subs = _q(li, ".//span[contains(@class, 'subText')]")
        note = "; ".join(_text(s).strip("() ") for s in subs) or None
        spans = _q(li, ".//span[contains(@class, 'list-content-item')][not(contains(@class, 'subText'))]")
        out.extend((_text(s), note) for s in spans if _text(s))
    return out


def _add_release(ctx: _Ctx, b: RecordBuilder, region: str | None, raw: str, note: str | None) -> None:
    raw = clean_text(raw)
    if not raw and not note:
        return
    date = parse_date(raw) if raw else None
    if raw and date is None:
        b.unparsed("releases", raw, "release date")
    ctx.add(b, "releases", Release(region=region, date=date.iso if date else None,
                                   precision=date.precision if date else None, raw=raw or None, note=note))


def _add_aka(ctx: _Ctx, b: RecordBuilder, where: str, title: str) -> None:
    """An AKA row: "(original title)", "Argentina", "Bulgaria (Bulgarian title)", "Spain (TV title)"."""
    title = clean_text(title)
    if not title:
        return
    where = clean_text(where)
    notes = [clean_text(n) for n in _PARENS.findall(where)]
    region = clean_text(_PARENS.sub(" ", where)) or None
    if any(n.lower() == "original title" for n in notes) or where.lower() == "original title":
        ctx.add(b, "names", Name(name=title, type="original",
                                 note="; ".join(n for n in notes if n.lower() != "original title") or None))
        return
    lang = None
    for n in notes:
        m = re.match(r"^(.+?)\s+title$", n)
        if m:
            lang = language_code(m.group(1)) or lang
    ctx.add(b, "names", Name(name=title, lang=lang, type="official", region=region, note="; ".join(notes) or None))


# -- lists, similar titles -------------------------------------------------------------------------
def _read_lists(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    if not page.contains("relatedListsWidget"):
        return
    for widget in _BY_ID["relatedListsWidget"](page.root)[:1]:
        for preview in _q(widget, ".//div[contains(@class, 'list-preview')]"):
            names = _q(preview, ".//div[contains(@class, 'list_name')]//a[@href]")
            if not names:
                continue
            name = _text(names[0])
            meta = _q(preview, ".//div[contains(@class, 'list_meta')]")
            summary = parse_list_summary(_text(meta[0])) if meta else None
            count = summary[0] if summary else None
            if name:
                b.add("lists", UserList(name=name, url=_clean_url(page, names[0].get("href")), item_count=count))


def _read_similar(ctx: _Ctx, b: RecordBuilder) -> None:
    page = ctx.page
    titles: dict[str, str] = {}
    if page.contains("rec_item"):
        for a in _REC_TITLES(page.root):
            link_tt = _TT.search(str(a.get("href")))
            bold = _q(a, "./b")
            if link_tt and (bold or _text(a)):
                titles.setdefault(link_tt.group(1), _text(bold[0]) if bold else _text(a))
        for item in _REC_ITEMS(page.root):
            tt = str(item.get("data-tconst") or "")
            if not tt:
                links = _q(item, ".//a[contains(@href, '/title/tt')]/@href")
                found = _TT.search(str(links[0])) if links else None
                tt = found.group(1) if found else ""
            if not tt:
                continue
            imgs = _q(item, ".//img")
            name = titles.get(tt) or (clean_text(imgs[0].get("title") or imgs[0].get("alt")) if imgs else "")
            name = re.sub(r"\s*\(\d{4}\)\s*$", "", name)
            if name:
                b.add("related", Related(relation="similar", title=name, url=_clean_url(ctx.page, f"/title/{tt}/")))
    for section in ctx.by_testid("MoreLikeThis")[:1]:
        for card in _q(section, ".//div[contains(@class, 'ipc-poster-card')]"):
            links = _q(card, ".//a[contains(@href, '/title/tt')]")
            card_tt = next((m.group(1) for m in (_TT.search(str(a.get("href"))) for a in links) if m), None)
            title_el = _q(card, ".//*[@data-testid='title']")
            name = _text(title_el[0]) if title_el else ""
            if not name:
                imgs = _q(card, ".//img/@alt")
                name = clean_text(str(imgs[0])) if imgs else ""
            if card_tt and name:
                b.add("related", Related(relation="similar", title=name,
                                         url=_clean_url(ctx.page, f"/title/{card_tt}/")))


# -- JSON-LD and __NEXT_DATA__: what the markup did not give ------------------------------------
def _read_structured(ctx: _Ctx, b: RecordBuilder) -> None:
    ld = ctx.ld
    if b.get("kind") is None and not ld and not ctx.next:
        _set_kind(b, ctx.meta.get("og:type"))
    if ld:
        _set_kind(b, str(ld.get("@type") or ""))
        if not b.get("title"):
            b.set("title", clean_text(str(ld.get("name") or "")) or None)
        alternate = clean_text(str(ld.get("alternateName") or ""))
        if alternate and not any(n.name == alternate for n in b.lists["names"]):
            b.add("names", Name(name=alternate, type="original"))
        genres = ld.get("genre")
        if not b.lists["genres"]:
            b.add("genres", *([genres] if isinstance(genres, str) else genres if isinstance(genres, list) else []))
        if b.get("rating") is None and ld.get("contentRating"):
            b.set("rating", str(ld["contentRating"]))
        rating = ld.get("aggregateRating")
        if isinstance(rating, dict):
            if b.get("score") is None:
                b.set("score", parse_float(str(rating.get("ratingValue") or "")))
                b.set("score_max", parse_float(str(rating.get("bestRating") or "10")))
            if b.get("score_count") is None:
                b.set("score_count", parse_int(str(rating.get("ratingCount") or "")))
        if b.get("runtime_minutes") is None and ld.get("duration"):
            b.set("runtime_raw", str(ld["duration"]))
            b.set("runtime_minutes", parse_runtime(str(ld["duration"])))
        if b.get("deck") is None and ld.get("description"):
            b.set("deck", str(ld["description"]))
        if ld.get("datePublished"):
            ctx.published = ctx.published or str(ld["datePublished"])
        if not b.lists["credits"]:
            for key, group in (("director", "Director"), ("creator", "Creator")):
                people = ld.get(key)
                for person in people if isinstance(people, list) else [people] if people else []:
                    if isinstance(person, dict) and person.get("@type") == "Person" and person.get("name"):
                        b.add("credits", Credit(person=clean_text(str(person["name"])),
                                                person_url=_clean_url(ctx.page, str(person.get("url") or "")),
                                                role=group, roles=_roles(group)))
    if not ctx.next:
        return
    _set_kind(b, str(ctx.above("titleType", "text") or ""))
    original = clean_text(str(ctx.above("originalTitleText", "text") or ""))
    if original and not any(n.name == original for n in b.lists["names"]):
        b.add("names", Name(name=original, type="original"))
    year = ctx.above("releaseYear", "year")
    if year:
        ctx.year = ctx.year or str(year)
        end = ctx.above("releaseYear", "endYear")
        if end:
            ctx.end_year = ctx.end_year or str(end)
    if b.get("runtime_minutes") is None:
        seconds = ctx.above("runtime", "seconds")
        if isinstance(seconds, int | float) and seconds > 0:
            b.set("runtime_minutes", round(seconds / 60))
            b.set("runtime_raw", clean_text(str(ctx.above("runtime", "displayableProperty", "value", "plainText")
                                                or f"{round(seconds / 60)} min")))
    if b.get("rating") is None:
        b.set("rating", clean_text(str(ctx.above("certificate", "rating") or "")) or None)
    if not b.lists["genres"]:
        for genre in ctx.above("genres", "genres") or []:
            if isinstance(genre, dict):
                b.add("genres", clean_text(str(genre.get("text") or "")))
    if b.get("score") is None:
        value = ctx.above("ratingsSummary", "aggregateRating")
        if isinstance(value, int | float):
            b.set("score", float(value))
            b.set("score_max", 10.0)
    if b.get("score_count") is None:
        votes = ctx.above("ratingsSummary", "voteCount")
        if isinstance(votes, int) and votes:
            b.set("score_count", votes)
    if b.get("deck") is None:
        b.set("deck", clean_text(str(ctx.above("plot", "plotText", "plainText") or "")) or None)
    for field, path in (("countries", ("countriesOfOrigin", "countries")),
                        ("countries", ("countriesDetails", "countries")),
                        ("languages", ("spokenLanguages", "spokenLanguages"))):
        if not b.lists[field]:
            for item in ctx.main(*path) or []:
                if isinstance(item, dict):
                    b.add(field, clean_text(str(item.get("text") or "")))
    if not b.lists["studios"]:
        for edge in ctx.main("production", "edges") or []:
            b.add("studios", clean_text(str(_dig(edge, "node", "company", "companyText", "text") or "")))
    if b.get("episodes") is None:
        total = ctx.main("episodes", "episodes", "total")
        if isinstance(total, int) and total:
            b.set("episodes", total)
    if not any(r.relation == "similar" for r in b.lists["related"]):
        for edge in ctx.main("moreLikeThisTitles", "edges") or []:
            tt = _dig(edge, "node", "id")
            name = clean_text(str(_dig(edge, "node", "titleText", "text") or ""))
            if tt and name:
                b.add("related", Related(relation="similar", title=name, url=_clean_url(ctx.page, f"/title/{tt}/")))
    date = ctx.above("releaseDate")
    if isinstance(date, dict) and isinstance(date.get("year"), int):
        year_n, month, day = date["year"], date.get("month"), date.get("day")
        if isinstance(month, int) and isinstance(day, int):
            found = PartialDate(f"{year_n:04d}-{month:02d}-{day:02d}", "day")
        elif isinstance(month, int):
            found = PartialDate(f"{year_n:04d}-{month:02d}", "month")
        else:
            found = PartialDate(f"{year_n:04d}", "year")
        region = clean_text(str(_dig(date, "country", "text") or "")) or None
        if not any(r.region == region and r.date == found.iso for r in b.lists["releases"]):
            b.add("releases", Release(region=region, date=found.iso, precision=found.precision))


def _first_release(ctx: _Ctx, b: RecordBuilder) -> None:
    """The earliest date shown; the title's year when that is earlier than every release shown."""
    year, end_year, published = ctx.year, ctx.end_year, ctx.published
    dated = [r for r in b.lists["releases"] if r.date]
    best: PartialDate | None = None
    if dated:
        first = min(dated, key=lambda r: (r.date or "")[:10])
        best = PartialDate(first.date or "", first.precision or "day")
    if published:
        pub = parse_date(published)
        if pub is not None and (best is None or pub.iso < best.iso):
            best = pub
    if year and (best is None or year < best.iso[:4]):
        best = PartialDate(year, "year")
    if best is not None:
        b.set("first_release_date", best.iso)
        b.set("first_release_precision", best.precision)
    if end_year:
        b.set("end_date", end_year)
        b.set("end_precision", "year")


def _read_image(ctx: _Ctx, b: RecordBuilder) -> None:
    """The poster, from the main title page only (sub-pages show a thumbnail of it)."""
    page = ctx.page
    if ctx.sub_page:
        return
    url = None
    caption = None
    if ctx.old or ctx.mid:
        for img in _POSTER(page.root)[:1]:
            url = img.get("src")
            caption = clean_text(img.get("alt") or img.get("title")) or None
    if not url:
        url = ctx.meta.get("og:image") or None
    if url:
        b.add("images", Image(url=page.absolute(url) or url, caption=caption))


FAMILY = Family(
    name="imdb",
    version="1",
    sites={"imdb.com": SITE},
    extract=extract,
    sniff=sniff,
    default_site=SITE,
    required=("title",),
    expected=("title", "kind", "names", "first_release_date", "credits", "genres"),
)
