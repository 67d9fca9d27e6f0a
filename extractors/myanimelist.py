"""MyAnimeList: anime and manga pages, their characters & staff and more-info sub-pages.

Every MAL design since 2008 keeps the same skeleton: a left column of label rows
(``<span class="dark_text">Aired:</span> Oct 20, 1999 to ?``) grouped under ``h2`` headings
(Alternative Titles, Information, Statistics), and a right column with the synopsis
(``[itemprop=description]``), background, related titles and the character / staff tables. Classes
around them changed (``td.borderClass`` 2017-2019, ``div.leftside`` / ``div.spaceit_pad`` and the
``div.related-entries`` tiles from the 2020s), so rows are found by their label span and read through
a label map, and people are found by their ``/character/N`` and ``/people/N`` links.

The page id is ``anime/21`` or ``manga/11`` from the URL, so the main page and its sub-pages
(``/characters``, ``/moreinfo``, ``/stats`` ...) share one record id and merge. Person and
character pages are ``not_title``.

``expected`` (the layout-drift check): title, kind, names, first release date, genres, studios,
synopsis, score. The characters & staff and more-info sub-pages repeat the left column and fill all
but the synopsis; manga pages have no studios.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lxml import etree

from normalize.counts import parse_float, parse_int
from normalize.dates import parse_date_range, parse_season
from normalize.kinds import parse_kind
from normalize.language import language_code
from normalize.roles import canonical_roles
from normalize.runtime import parse_runtime
from normalize.text import clean_text as _clean_text_slow

from .page import element_text
from .records import Character, Credit, Extra, Image, Name, Related, Section
from .registry import Family

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)


def _extra(rows: _Rows, label: str, value: str, label_el: HtmlElement) -> None:
    """An info-box label / value that maps to no field (kept in ``record.extra``): what
    ``RecordBuilder.extra`` adds, without cleaning again a label and value ``_read_rows`` cleaned."""
    if value:
        rows.add("extra", Extra(label=label.rstrip(":"), value=value, group=_group_of(label_el, rows.groups)))

SITE = "myanimelist"

# -- selectors (compiled once; each ``//`` walks the whole tree, so there are few of them) -----------
_LABELS_LOOSE = etree.XPath(".//span[contains(concat(' ', normalize-space(@class), ' '), ' dark_text ')]")
_CONTENT = etree.XPath("id('content')")
_CANONICAL_ANYWHERE = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
_OG_TITLE = etree.XPath("//meta[@property='og:title']/@content")
_DESCRIPTION = etree.XPath(".//span[@itemprop='description'] | .//p[@itemprop='description']")
_IMAGE = etree.XPath("//img[@itemprop='image']")
_RELATED_OLD = etree.XPath(".//table[contains(@class, 'anime_detail_related')]//tr")
_RELATED_TILES = etree.XPath(
    "//div[contains(@class, 'related-entries')]//div[contains(concat(' ', normalize-space(@class), ' '),"
    " ' entry ')]"
)
_RELATED_TABLE = etree.XPath("//table[contains(@class, 'entries-table')]//tr")
_NORMAL_HEADERS = etree.XPath("//div[@class='normal_header']")

_CELL_LINKS = etree.XPath(".//a[@href][normalize-space()]")
_TILE_RELATION = etree.XPath(".//*[contains(@class, 'relation')]")
_TILE_TITLE = etree.XPath(".//*[contains(@class, 'title')]//a[@href][normalize-space()]")
_TILE_TYPE = etree.XPath(".//div[contains(@class, 'spaceit_pad')]//span")

# Small relative queries, compiled once (``el.xpath(str)`` recompiles on every call).
_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
_RATING_VALUE = etree.XPath(".//*[@itemprop='ratingValue']")
_RATING_COUNT = etree.XPath(".//*[@itemprop='ratingCount']")
_BEST = etree.XPath(".//meta[@itemprop='bestRating']/@content")

_ID_PATH = re.compile(r"/(anime|manga|people|character)(?:/|\.php\?id=)(\d+)")
_TYPE_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_REWRITE = re.compile(r"\[\s*Written by [^\]]*\]", re.IGNORECASE)
_NOTHING_YET = re.compile(
    r"^(?:no (?:synopsis|background)\b.*|none found\b.*|unknown|n/a|none|\?|not available)$",
    re.IGNORECASE,
)
_NOTHING_STARTS = frozenset("nNuU?")


def _nothing_yet(text: str) -> bool:
    """Whether a value says there is nothing (yet): ``_NOTHING_YET`` matches it. Each such value
    starts with n, u or ?: a look at the first character spares most values the regex call."""
    return text[:1] in _NOTHING_STARTS and _NOTHING_YET.match(text) is not None


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)

# Label (without ":") -> what it is. Names are handled by _NAME_LABELS.
_NAME_LABELS: dict[str, tuple[str | None, str]] = {
    "english": ("en", "official"),
    "japanese": ("ja", "original"),
    "synonyms": (None, "synonym"),
    "synonym": (None, "synonym"),
    "german": ("de", "official"),
    "spanish": ("es", "official"),
    "french": ("fr", "official"),
    "italian": ("it", "official"),
    "portuguese": ("pt", "official"),
    "korean": ("ko", "official"),
    "chinese": ("zh", "official"),
}
_LIST_LABELS = {
    "producers": "producers",
    "licensors": "licensors",
    "studios": "studios",
    "genres": "genres",
    "genre": "genres",
    "explicit genres": "genres",
    "explicit genre": "genres",
    "themes": "themes",
    "theme": "themes",
    "demographic": "demographics",
    "demographics": "demographics",
}
_STAT_LABELS = frozenset({"ranked", "popularity", "members", "favorites"})


def clean_text(value: str | None) -> str:
    """``normalize.text.clean_text`` with fast paths for the common already-clean cases."""
    if not value:
        return ""
    if value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " ":
        # One line with single spaces (``isprintable`` is False for every white-space character
        # but " " and for U+200B): splitting and joining it again would give it back, word by
        # word, so only NFC is left to do. A synopsis is cleaned several times on its way.
        text = value if type(value) is str else str(value)  # not lxml's "smart" string subclass
        return text if text.isascii() else unicodedata.normalize("NFC", text)
    collapsed = " ".join(value.split())
    if collapsed.isascii() and "\u200b" not in value:
        return collapsed
    return _clean_text_slow(collapsed)


def _cls(el: HtmlElement) -> str:
    return str(el.get("class") or "")


_HIDDEN_TAGS = frozenset({"script", "style", "meta", "sup", "link"})


def _hidden(el: HtmlElement) -> bool:
    tag = el.tag  # one property read (each builds a new str); comments and PIs have a function here
    if not isinstance(tag, str) or tag in _HIDDEN_TAGS:
        return True
    style = el.get("style")  # most elements have neither attribute: no regex call, no str()
    if style and _HIDDEN_STYLE.search(style):
        return True
    cls = el.get("class")
    return bool(cls) and "statistics-info" in cls


def _text(el: HtmlElement | None) -> str:
    """The whitespace-collapsed text of an element (all descendants)."""
    if el is None:
        return ""
    return clean_text(element_text(el))


def _hidden_below(el: HtmlElement, top: HtmlElement) -> bool:
    """Whether an element sits in a hidden element below ``top`` (MAL's ``display: none`` copies)."""
    parent = el.getparent()
    while parent is not None and parent is not top:
        if _hidden(parent):
            return True
        parent = parent.getparent()
    return False


def _row_value(label: HtmlElement) -> tuple[str, list[tuple[HtmlElement, str]]]:
    """The text that follows a label span inside its row, and its links with their own text (not
    cleaned), hidden copies skipped."""
    parts = [label.tail or ""]
    links: list[tuple[HtmlElement, str]] = []
    sib = label.getnext()  # most rows have no or few siblings: cheaper than an ``itersiblings`` iterator
    while sib is not None:
        if not _hidden(sib):
            text = element_text(sib)
            parts.append(text)
            if sib.tag == "a":
                links.append((sib, text))
            elif len(sib):
                links.extend((a, element_text(a)) for a in sib.iter("a") if not _hidden_below(a, sib))
        parts.append(sib.tail or "")
        sib = sib.getnext()
    return clean_text(" ".join(parts)), links


def page_id_from_url(url: str | None) -> tuple[str | None, str | None]:
    """(kind of page, page id) from a MAL URL: ``("anime", "anime/21")``.

    >>> page_id_from_url("https://myanimelist.net/anime/21/One_Piece/characters")
    ('anime', 'anime/21')
    >>> page_id_from_url("https://myanimelist.net/manga.php?id=11")
    ('manga', 'manga/11')
    >>> page_id_from_url("https://myanimelist.net/people/1/Tomokazu_Seki")
    ('people', 'people/1')
    >>> page_id_from_url("https://example.com/")
    (None, None)
    """
    if not url:
        return None, None
    parts = urlsplit(url)
    found = _ID_PATH.search(parts.path + ("?" + parts.query if parts.query else ""))
    if not found:
        return None, None
    return found.group(1), f"{found.group(1)}/{found.group(2)}"


@dataclass(frozen=True, slots=True)
class _Head:
    """What ``/html/head`` says of the page: its ``link[@rel='canonical']/@href`` and
    ``meta[@property='og:url']/@content`` values in document order, and its ``og:image`` contents."""

    canonical: tuple[str, ...]
    images: tuple[str, ...]


def _head(page: Page) -> _Head:
    """The page's ``_Head``, read once per page in one walk over the head's link and meta children
    (the two XPath queries it replaces cost twice as much)."""
    found = page.memo.get("myanimelist.head")
    if isinstance(found, _Head):
        return found
    canonical: list[str] = []
    images: list[str] = []
    root = page.root
    if root is not None and root.tag == "html" and root.getparent() is None:
        for head in root.iterchildren("head"):
            for el in head.iterchildren("link", "meta"):
                if el.tag == "link":
                    value = el.get("href") if el.get("rel") == "canonical" else None
                    if value is not None:
                        canonical.append(value)
                    continue
                prop = el.get("property")
                value = el.get("content") if prop in ("og:url", "og:image") else None
                if value is not None:
                    (canonical if prop == "og:url" else images).append(value)
    found = page.memo["myanimelist.head"] = _Head(tuple(canonical), tuple(images))
    return found


def _canonical(page: Page) -> str | None:
    for href in _head(page).canonical or _CANONICAL_ANYWHERE(page.root):
        text = clean_text(str(href))
        if text:
            return page.absolute(text)
    return None


def _title(page: Page) -> str | None:
    if page.root is None:
        return None
    for h1 in page.root.iter("h1"):  # a C-level walk: cheaper than the XPath ``//h1``
        named = _ITEMPROP_NAME(h1)
        node = named[0] if named else h1
        parts = [node.text or ""]
        for child in node:
            cls = _cls(child)
            if child.tag == "div" and not named:
                pass  # 2000s pages float "Ranked #12" in a div inside the h1
            elif not _hidden(child) and "english" not in cls and "floatRight" not in cls and child.tag != "br":
                parts.append(element_text(child))
            elif child.tag == "br":
                break
            parts.append(child.tail or "")
        title = clean_text(" ".join(parts))
        if title:
            return title
    og = _OG_TITLE(page.root)
    return clean_text(str(og[0])) or None if og else None


def _heading_text(h2: HtmlElement) -> str:
    """An h2's own words, without its floating 'Edit' / 'More characters' links."""
    if not len(h2):
        return clean_text(h2.text)
    parts = [h2.text or ""]
    for child in h2:
        if "floatRight" not in _cls(child) and child.tag not in ("a", "script"):
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return clean_text(" ".join(parts))


def sniff(page: Page) -> bool:
    """A MAL page saved without its URL: its canonical link or its markup says so."""
    if not page.contains("myanimelist") and "myanimelist" not in page.head(30000).lower():
        return False  # a substring test first: the canonical query may walk the whole tree
    canonical = _canonical(page) or ""
    if "myanimelist.net" in canonical:
        return True
    head = page.head(30000)
    return "myanimelist" in head.lower() and page.contains("dark_text")


def extract(page: Page, b: RecordBuilder) -> str | None:
    """Fill the builder from a MAL page; return the page id (``anime/21``)."""
    canonical = _canonical(page)
    kind, page_id = page_id_from_url(page.url)
    if page_id is None:
        kind, page_id = page_id_from_url(canonical)
    b.set("canonical_url", canonical)
    if kind in ("people", "character") or (kind is None and _looks_like_person(page)):
        b.not_title(f"{kind or 'person'} page")
        with b.field("title"):
            b.set("title", _title(page))
        return page_id

    with b.field("title"):
        title = _title(page)
        b.set("title", title)
        if title:
            b.add("names", Name(name=title, type="main"))
    found = _CONTENT(page.root)
    scope = found[0] if found else page.root
    headings = [(h2, _heading_text(h2)) for h2 in scope.iter("h2") if h2 is not scope] if scope is not None else []
    with b.field("infobox"):
        rows = _read_rows(page, b, scope, dict(headings))
        if rows == 0:
            b.error("infobox", "layout", "no label rows (span.dark_text) found: the layout may have changed")
    with b.field("synopsis"):
        _read_synopsis(page, b, scope, headings)
    with b.field("related"):
        _read_related(page, b, scope, headings)
    with b.field("characters"):
        _read_people(page, b, _people_links(scope, headings))
    with b.field("images"):
        og = _head(page).images
        if og:
            url = _absolute(page, str(og[0]))
            if url:
                b.add("images", Image(url=url, caption=b.get("title")))
        else:
            for img in _IMAGE(page.root)[:1]:
                url = _absolute(page, img.get("data-src") or img.get("src"))
                if url:
                    b.add("images", Image(url=url, caption=clean_text(img.get("alt")) or None))
    return page_id


def _looks_like_person(page: Page) -> bool:
    headers = {_text(h).lower() for h in _NORMAL_HEADERS(page.root)}
    return bool(headers & {"voice acting roles", "anime staff positions", "animeography", "mangaography"})


# -- the label rows -------------------------------------------------------------------------------
def _label_spans(scope: HtmlElement) -> list[HtmlElement]:
    """``span.dark_text`` under ``scope`` (a C-level walk over spans; cheaper than the XPath)."""
    return [span for span in scope.iter("span") if span.get("class") == "dark_text"]


@dataclass(slots=True)
class _Rows:
    """What reading one page's label rows needs, and the names and extras they yield, which go to
    the builder in one go at the end (``RecordBuilder.add`` per item costs more)."""

    page: Page
    b: RecordBuilder
    groups: dict[HtmlElement, str]
    """The page's h2 headings already read (see ``_group_of``)."""
    pending: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, name: str, item: Any) -> None:
        """Queue a list field's item: cleaned and non-empty, as ``add_unique`` takes them."""
        items = self.pending.get(name)
        if items is None:
            items = self.pending[name] = []
        items.append(item)

    def flush(self) -> None:
        for name, items in self.pending.items():
            add_unique(self.b, name, items)
        self.pending.clear()


def _read_rows(page: Page, b: RecordBuilder, scope: HtmlElement, groups: dict[HtmlElement, str]) -> int:
    count = 0
    rows = _Rows(page, b, groups)
    try:
        for label_el in _label_spans(scope) or _LABELS_LOOSE(page.root):
            label = clean_text(element_text(label_el)).rstrip(":").strip()
            if not label:
                continue
            value, links = _row_value(label_el)
            count += 1
            try:
                _apply_row(rows, label, value, links, label_el)
            except Exception as exc:  # noqa: BLE001 - what ``with b.field(key):`` does, without a guard per row
                b.failed(label.lower(), exc)
    finally:
        rows.flush()
    return count


def _apply_row(
    rows: _Rows, label: str, value: str, links: list[tuple[HtmlElement, str]], label_el: HtmlElement
) -> None:
    b = rows.b
    key = label.lower()
    empty = not value or _nothing_yet(value)
    if key in _NAME_LABELS:
        if empty:
            return
        lang, name_type = _NAME_LABELS[key]
        names = _split_synonyms(value) if name_type == "synonym" else [value]
        for name in names:
            rows.add("names", Name(name=name, lang=lang, type=name_type))
            if name_type == "synonym":
                rows.add("aliases", name)
        return
    if key in _LIST_LABELS:
        field = _LIST_LABELS[key]
        names = [clean_text(text) for a, text in links if "dbchanges" not in (a.get("href") or "")]
        if not names and not empty and not links:
            names = [v.strip() for v in value.split(",")]
        # Cleaned names (``value`` is clean, so are its pieces): ``add_unique`` need not clean them again.
        add_unique(b, field, [n for n in names if n and not _nothing_yet(n) and n.lower() != "add some"])
        return
    if empty:
        if key not in ("episodes", "volumes", "chapters", "score"):
            _extra(rows, label, value, label_el)
        return
    if key == "type":
        b.set("kind_raw", value)
        parsed = parse_kind(value)
        if parsed is None:
            b.unparsed("kind", value, "kind")
        b.set("kind", parsed)
    elif key in ("episodes", "volumes", "chapters"):
        number = parse_int(value)
        if number is None:
            b.unparsed(key, value, key)
        b.set(key, number)
    elif key == "status":
        b.set("release_status", value.lower())
    elif key in ("aired", "published"):
        start, end = parse_date_range(value)
        if start is None:
            b.unparsed("first_release_date", value, "date range")
            return
        b.set("first_release_date", start.iso)
        b.set("first_release_precision", start.precision)
        if end is not None:
            b.set("end_date", end.iso)
            b.set("end_precision", end.precision)
        _extra(rows, label, value, label_el)
    elif key == "premiered":
        season = parse_season(value)
        if season is None:
            b.unparsed("season", value, "season")
            return
        b.set("season", season[0])
        _extra(rows, label, value, label_el)
    elif key == "broadcast":
        b.set("broadcast", value)
    elif key == "source":
        b.set("source", value)
    elif key == "duration":
        b.set("runtime_raw", value)
        minutes = parse_runtime(value)
        if minutes is None:
            b.unparsed("runtime_minutes", value, "runtime")
        b.set("runtime_minutes", minutes)
    elif key == "rating":
        b.set("rating", value)
    elif key == "score":
        _read_score(b, label_el, value)
    elif key == "authors":
        _read_authors(rows.page, b, label_el, links)
    elif key in _STAT_LABELS:
        _extra(rows, label, value, label_el)
    else:
        _extra(rows, label, value, label_el)


def _group_of(label_el: HtmlElement, groups: dict[HtmlElement, str]) -> str | None:
    """The h2 heading above a label row (Alternative Titles, Information, Statistics); ``groups``
    holds the page's headings already read."""
    row = label_el.getparent()
    while row is not None and row.getparent() is not None:
        prev = next(row.itersiblings("h2", preceding=True), None)  # filtered by tag in C
        if prev is not None:
            heading = groups.get(prev)
            return (_heading_text(prev) if heading is None else heading) or None
        row = row.getparent()
        if row is not None and row.tag in ("td", "body"):
            break
    return None


def _split_synonyms(value: str) -> list[str]:
    """MAL joins synonyms with ", "; a piece starting in lower case continues the previous title."""
    out: list[str] = []
    for piece in value.split(", "):
        piece = piece.strip()
        if not piece:
            continue
        if out and (piece[0].islower() or len(piece) < 2):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def _score_parts(row: HtmlElement) -> tuple[HtmlElement | None, HtmlElement | None, str | None]:
    """The first ``ratingValue`` and ``ratingCount`` elements below a row and the first
    ``meta[@itemprop='bestRating']/@content``: what ``_RATING_VALUE``, ``_RATING_COUNT`` and ``_BEST``
    find, in one walk that stops when all three are found (three XPath calls cost more)."""
    value: HtmlElement | None = None
    count: HtmlElement | None = None
    best: str | None = None
    for el in row.iterdescendants(etree.Element):
        prop = el.get("itemprop")
        if prop is None:
            continue
        if prop == "ratingValue":
            if value is None:
                value = el
        elif prop == "ratingCount":
            if count is None:
                count = el
        elif prop == "bestRating" and best is None and el.tag == "meta":
            best = el.get("content")
        if value is not None and count is not None and best is not None:
            break
    return value, count, best


def _read_score(b: RecordBuilder, label_el: HtmlElement, value: str) -> None:
    row = label_el.getparent()
    score_raw = ""
    count_raw = ""
    if row is not None:
        value_el, count_el, best = _score_parts(row)
        score_raw = _text(value_el) if value_el is not None else ""
        count_raw = _text(count_el) if count_el is not None else ""
        if best is not None:
            b.set("score_max", parse_float(best))
    if not score_raw:
        score_raw = value.split()[0] if value else ""
    if not count_raw:
        match = re.search(r"scored by ([\d,.]+)", value)
        count_raw = match.group(1) if match else ""
    score = parse_float(score_raw) if score_raw and not _nothing_yet(score_raw) else None
    if score is None:
        if score_raw and not _nothing_yet(score_raw):
            b.unparsed("score", score_raw, "score")
        return
    b.set("score", score)
    b.set("score_max", 10.0)
    b.set("score_count", parse_int(count_raw) if count_raw else None)


def _read_authors(
    page: Page, b: RecordBuilder, label_el: HtmlElement, links: list[tuple[HtmlElement, str]]
) -> None:
    """``Authors: <a>Kishimoto, Masashi</a> (Story & Art), <a>...</a> (Art)``."""
    for a, text in links:
        person = clean_text(text)
        if not person:
            continue
        match = re.match(r"\s*\(([^()]*)\)", a.tail or "")
        role = clean_text(match.group(1)) if match else None
        b.add(
            "credits",
            Credit(
                person=person,
                person_url=_absolute(page, a.get("href")),
                role=role,
                roles=_roles(role) if role else (),
            ),
        )


# -- synopsis, background, more info --------------------------------------------------------------
def set_text(b: RecordBuilder, name: str, text: str) -> None:
    """Set a multi-paragraph text field; ``RecordBuilder.set`` would collapse its blank lines."""
    if text and b.get(name) is None:
        b.values[name] = text


def _read_synopsis(page: Page, b: RecordBuilder, scope: HtmlElement, headings: list[tuple[HtmlElement, str]]) -> None:
    found = False
    synopsis_h2 = next((h2 for h2, heading in headings if heading == "Synopsis"), None)
    following = synopsis_h2.getnext() if synopsis_h2 is not None else None
    if following is not None and following.get("itemprop") == "description":
        nodes = [following]  # the usual place: no need to search the page
    else:
        nodes = _DESCRIPTION(scope) if page.contains('itemprop="description"') else []
    for node in nodes:
        text = _clean_synopsis(_fragment_text(node))
        if text:
            set_text(b, "synopsis", text)
            b.add("synopsis_sections", Section(heading="Synopsis", text=text))
            found = True
            break
    for h2, heading in headings:
        if heading == "Synopsis" and not found:  # pages from before the itemprop markup
            text = _clean_synopsis(_text_after_heading(h2))
            if text:
                set_text(b, "synopsis", text)
                b.add("synopsis_sections", Section(heading="Synopsis", text=text))
                found = True
        elif heading in ("Background", "More Info"):
            text = _clean_synopsis(_text_after_heading(h2))
            if text:
                b.add("synopsis_sections", Section(heading=heading, text=text))


def _clean_synopsis(text: str) -> str:
    """A synopsis or background read by ``_fragment_text`` / ``_text_after_heading`` (paragraphs
    collapsed to one line each, one blank line apart), without MAL's rewrite credit."""
    if "[" in text or not text.isascii():
        text = _REWRITE.sub("", text)
        paras = _paragraphs(text)
    else:  # nothing to cut, and ASCII paragraphs need no NFC: they are clean as they are
        paras = text.split("\n\n") if text else []
    kept = [p for p in paras if not _nothing_yet(p)]
    if kept and kept[0].lower().startswith(("no synopsis", "no background")):
        return ""
    return "\n\n".join(kept)


_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")


def _paragraphs(text: str) -> list[str]:
    """``normalize.text.paragraphs`` with this module's ``clean_text`` (its paragraphs come
    already cleaned from ``_join_lines``)."""
    return [p for p in (clean_text(chunk) for chunk in _BLANK_LINES.split(text)) if p]


_INLINE = frozenset({"a", "i", "b", "em", "strong", "span", "u", "br", "sup", "sub", "small", "p", "font", "s"})


_BLOCK = frozenset({"p", "div", "ul", "ol", "li", "blockquote", "table", "h3", "h4"})


def _fragment_text(node: HtmlElement) -> str:
    """A small fragment as text: one ``<br>`` is a line break, two or a block end a paragraph."""
    chunks: list[str] = [node.text or ""]
    for child in node:
        tag = child.tag  # read once: each read builds a new string
        if not isinstance(tag, str) or _hidden(child):
            pass
        elif tag == "br":
            chunks.append("\n")
        elif tag in _BLOCK:
            chunks.append("\n\n" + _fragment_text(child) + "\n\n")
        else:
            chunks.append(element_text(child))
        chunks.append(child.tail or "")
    return _join_lines("".join(chunks))


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _collapse(text: str) -> str:
    """``" ".join(text.split())`` for a long text whose only white space is spaces and line breaks
    (the usual case): a few passes of ``str.replace`` instead of a string for every word."""
    flat = text.replace("\n", " ")
    if not flat.isprintable():  # other white space (tabs, no-break spaces ...) or U+200B
        return " ".join(text.split())
    while "  " in flat:
        flat = flat.replace("  ", " ")
    return flat.strip()


def _join_lines(raw: str) -> str:
    return "\n\n".join(_collapse(p) for p in _PARAGRAPH_BREAK.split(raw) if p.strip())


def _text_after_heading(h2: HtmlElement) -> str:
    """Free text that follows a section heading up to the next block (MAL puts it loose in a cell)."""
    chunks: list[str] = [h2.tail or ""]
    for sib in h2.itersiblings():
        tag = sib.tag
        if not isinstance(tag, str) or tag not in _INLINE:
            break
        if tag == "br":
            chunks.append("\n")
        elif tag == "p":
            chunks.append("\n\n" + element_text(sib) + "\n\n")
        elif not _hidden(sib):
            chunks.append(element_text(sib))
        chunks.append(sib.tail or "")
    return _join_lines("".join(chunks))


# -- related titles -------------------------------------------------------------------------------
def _relation(raw: str) -> str:
    return clean_text(_TYPE_SUFFIX.sub("", raw.strip().rstrip(":"))).rstrip(":").strip().lower()


def _read_related(page: Page, b: RecordBuilder, scope: HtmlElement, headings: list[tuple[HtmlElement, str]]) -> None:
    """Old ``table.anime_detail_related_anime``; 2020s ``div.related-entries`` tiles, then table."""
    found: list[Related] = []
    rows: list[HtmlElement] = []
    related_h2 = next((h2 for h2, heading in headings if heading.startswith("Related ")), None)
    table = related_h2.getnext() if related_h2 is not None else None
    if table is not None and table.tag == "table" and "anime_detail_related" in _cls(table):
        rows = list(table.iter("tr"))  # the usual place: no need to search the page (or its text)
    elif page.contains("anime_detail_related"):
        rows = _RELATED_OLD(scope)
    # The 2020s block's class names share "entries": one scan of the page rules out both.
    entries = page.contains("entries")
    tiles = _RELATED_TILES(page.root) if entries and page.contains("related-entries") else []
    for tile in tiles:
        rel_nodes = _TILE_RELATION(tile)
        relation = _relation(_text(rel_nodes[0])) if rel_nodes else ""
        if not relation:
            spans = _TILE_TYPE(tile)
            relation = _relation(_text(spans[0])) if spans else ""
        for a in _TILE_TITLE(tile)[:1]:
            _add_related(page, found, relation or "related", a)
    if entries and page.contains("entries-table"):
        rows = [*rows, *_RELATED_TABLE(page.root)]
    for tr in rows:
        cells = [c for c in tr if c.tag == "td"]
        if len(cells) < 2:
            continue
        relation = _relation(_text(cells[0]))
        for a in cells[-1].iter("a"):
            _add_related(page, found, relation, a)
    if not found:
        _read_loose_related(page, headings, found)
    add_unique(b, "related", found)


def _read_loose_related(page: Page, headings: list[tuple[HtmlElement, str]], found: list[Related]) -> None:
    """2000s pages: ``<h2>Related Anime</h2>Adaptation: <a>X</a><br>Sequel: <a>Y</a>, <a>Z</a><br>``."""
    for h2, heading in headings:
        if not heading.startswith("Related "):
            continue
        relation = ""
        text = h2.tail or ""
        for sib in h2.itersiblings():
            if ":" in text:
                relation = _relation(text.rsplit(":", 1)[0].rsplit(",", 1)[-1])
            if sib.tag in ("h2", "div", "table"):
                break
            if sib.tag == "a" and relation:
                _add_related(page, found, relation, sib)
            text = sib.tail or ""


def _add_related(page: Page, found: list[Related], relation: str, a: HtmlElement) -> None:
    title = _link_text(a)
    href = a.get("href")
    if title and relation and href:
        found.append(Related(relation=relation, title=title, url=_absolute(page, href)))


# -- characters, voice actors and staff -----------------------------------------------------------
_CHAR_HREF = re.compile(r"/character/\d+")
_PERSON_HREF = re.compile(r"/people/\d+")
_PEOPLE_HEADINGS = ("Characters & Voice Actors", "Characters", "Staff")


def _people_links(scope: HtmlElement, headings: list[tuple[HtmlElement, str]]) -> list[tuple[HtmlElement, str]]:
    """Character and people links (with their hrefs) of the cast and staff sections: the elements
    after their ``h2`` up to the next one (reviews and recommendations below are large), else the
    whole page."""
    links: list[tuple[HtmlElement, str]] = []
    if not any(heading.startswith("Characters") for _, heading in headings):
        return _people_links_in(scope)  # cast without its heading: search the page
    for h2, heading in headings:
        if heading not in _PEOPLE_HEADINGS:
            continue
        for sib in h2.itersiblings():
            tag = sib.tag
            if tag == "h2":
                break
            if len(sib):
                links.extend(_people_links_in(sib))
            elif tag == "a":
                links.append((sib, sib.get("href") or ""))
    return links or _people_links_in(scope)


def _people_links_in(el: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Links to ``/character/`` and ``/people/`` pages that are not image links, with their hrefs (a
    C-level walk over the links: an XPath with per-link predicates costs several times more)."""
    out = []
    for a in el.iter("a"):
        href = a.get("href")
        if href and ("/character/" in href or "/people/" in href):
            if len(a) and _has_image(a):
                continue
            out.append((a, href))
    return out


_IMAGE_TAGS = frozenset({"img", "picture"})


def _has_image(a: HtmlElement) -> bool:
    """Whether a link holds an image: a look at its few children (``iterchildren("img", ...)``
    sets up a tag matcher on every call, which costs twice as much)."""
    if len(a) == 1:  # the usual image link: its one child, without an iterator to set up
        return a[0].tag in _IMAGE_TAGS
    return any(child.tag in _IMAGE_TAGS for child in a)


def _read_people(page: Page, b: RecordBuilder, links: list[tuple[HtmlElement, str]]) -> None:
    """Characters (with their voice actors per language) and staff, found by their links.

    A character link sits in a table cell with its role (``<small>Main</small>``); its voice actors
    are the ``/people/`` links in the same row, each with its language. Other ``/people/`` links
    with a ``<small>`` role beside them are staff. Links inside the label rows (manga authors) are
    read with those rows. Links are taken in document order, so a row's voice actors follow it.
    """
    characters: list[Character] = []
    credits: list[Credit] = []
    row: HtmlElement | None = None
    # The row's character (name, URL, role): a record of its own only when no voice actor follows.
    current: tuple[str, str | None, str | None] | None = None
    voiced = False
    for a, href in links:
        name = _link_text(a)
        if not name:
            continue
        if "/character/" in href:
            if not _CHAR_HREF.search(href):
                continue
            td = _cell(a)
            tr = td.getparent() if td is not None else None
            if td is None or tr is None or tr is row:
                continue
            if current is not None and not voiced:
                characters.append(Character(character=current[0], character_url=current[1], role=current[2]))
            row, voiced = tr, False
            current = (name, _absolute(page, href), _character_role(td, name))
        elif _PERSON_HREF.search(href):
            td, in_row = _cell_and_row(a, row)
            if current is not None and in_row:
                voiced = True
                characters.append(
                    Character(
                        character=current[0],
                        character_url=current[1],
                        role=current[2],
                        actor=name,
                        actor_url=_absolute(page, href),
                        language=_va_language(a, td),
                    )
                )
                continue
            if _in_label_row(a):
                continue
            if td is None:
                td = _ancestor(a, "td")
            role = None
            if td is not None:
                role = next((t for t in (_text(s) for s in td.iter("small")) if t), None)
            if role:
                credits.append(Credit(person=name, person_url=_absolute(page, href), role=role, roles=_roles(role)))
    if current is not None and not voiced:
        characters.append(Character(character=current[0], character_url=current[1], role=current[2]))
    add_unique(b, "characters", characters)
    add_unique(b, "credits", credits)


def _cell(el: HtmlElement) -> HtmlElement | None:
    """The nearest ``td`` above ``el``: most often its parent."""
    parent = el.getparent()
    if parent is not None and parent.tag == "td":
        return parent
    return _ancestor(el, "td")


def _cell_and_row(el: HtmlElement, row: HtmlElement | None) -> tuple[HtmlElement | None, bool]:
    """(the nearest ``td`` above ``el`` among its ten nearest ancestors, whether ``row`` is one of
    them), in one walk up the parents (an ``iterancestors`` iterator costs more to set up than the
    few steps up to the row)."""
    td = None
    parent = el.getparent()
    depth = 1
    while parent is not None:
        tag = parent.tag  # read once: each read builds a new string
        if td is None and tag == "td":
            td = parent
        if parent is row:
            return td, True
        if depth == 10 or tag == "body":
            break
        parent = parent.getparent()
        depth += 1
    return td, False


def _link_text(a: HtmlElement) -> str:
    text = a.text
    if text and len(a) == 0:
        return clean_text(text)
    return _text(a)


def _ancestor(el: HtmlElement, tag: str) -> HtmlElement | None:
    """The nearest ancestor with this tag (lxml filters the ancestors by tag in C)."""
    return next(el.iterancestors(tag), None)


def _in_label_row(a: HtmlElement) -> bool:
    parent = a.getparent()
    if parent is None:
        return False
    span = parent.find("span")
    return span is not None and "dark_text" in _cls(span)


def _character_role(td: HtmlElement, name: str) -> str | None:
    for small in td.iter("small"):
        text = _text(small)
        if text and text != name:
            return text.lower()
    for pad in td.iter("div"):
        if "spaceit_pad" not in _cls(pad):
            continue
        text = _text(pad)
        if text and text != name and "favorites" not in text.lower():
            return text.lower()
    return None


def _va_language(va: HtmlElement, td: HtmlElement | None = None) -> str | None:
    if td is None:
        td = _ancestor(va, "td")
    if td is None:
        return None
    raw = _language_text(td)
    if not raw:
        raw = clean_text(_text(td).replace(_link_text(va), ""))
    if not raw:
        return None
    return _language(raw)


def _is_language_box(el: HtmlElement, tag: object) -> bool:
    return tag == "small" or (tag == "div" and "character-language" in _cls(el))


def _language_text(el: HtmlElement, depth: int = 0) -> str:
    """The text of the first ``small`` or ``div.character-language`` below ``el`` (in document
    order) that has one. A voice actor's cell holds a handful of elements: walking them costs less
    than setting up ``el.iter("small", "div")``, which deeper nests fall back to."""
    if depth > 8:
        return next((t for t in (_text(x) for x in el.iter("small", "div") if _is_language_box(x, x.tag)) if t), "")
    child = el[0] if len(el) else None  # a walk from child to child: no iterator to set up
    while child is not None:
        if _is_language_box(child, child.tag):
            text = _text(child)
            if text:
                return text
        if len(child):
            text = _language_text(child, depth + 1)
            if text:
                return text
        child = child.getnext()
    return ""


@functools.lru_cache(maxsize=256)
def _language(raw: str) -> str | None:
    return language_code(raw) or language_code(_TYPE_SUFFIX.sub("", raw))


_roles = functools.lru_cache(maxsize=4096)(canonical_roles)
"""``canonical_roles``, memoized: a staff table repeats a few dozen roles hundreds of times."""


def add_unique(b: RecordBuilder, name: str, items: list[Any]) -> None:
    """Append many items to a list field in order, skipping duplicates, in linear time."""
    bucket = b.lists[name]
    seen = set(bucket)
    for item in items:
        if item is not None and item not in seen:
            seen.add(item)
            bucket.append(item)


@functools.lru_cache(maxsize=64)
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _absolute(page: Page, href: str | None) -> str | None:
    """``page.absolute`` without urljoin's cost for the usual absolute and root-relative links."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("https://", "http://")):
        return href
    if href.startswith("/") and not href.startswith("//") and page.url:
        origin = _origin(page.url)
        if origin:
            return origin + href
    return page.absolute(href)


FAMILY = Family(
    name="myanimelist",
    version="1",
    sites={"myanimelist.net": SITE},
    extract=extract,
    sniff=sniff,
    default_site=SITE,
    required=("title",),
    expected=("title", "kind", "names", "first_release_date", "genres", "studios", "synopsis", "score"),
)
