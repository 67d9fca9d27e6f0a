"""Anime-Planet (anime-planet.com): anime and manga entry pages and their sub-pages.

The entry page keeps one skeleton across its redesigns: ``h1[itemprop=name]``, an
``h2.aka`` ("Alt title: Kimi no Na wa." / "Alt titles: A, B"), the ``section.entryBar`` strip
(``span.type`` "Movie (1 ep x 107 min)", the studio link, ``span.iconYear`` "2016" /
"2016 - 2018" / "TBA" with an optional ``/seasons/fall-2016`` link, ``div.avgRating[title]`` "4.503
out of 5 from 60,116 votes", "Rank #15"), the synopsis in ``div.entrySynopsis`` with its
``div.notes`` ("Source: Funimation") and ``div.tags``; then "Related anime" / "Related manga" tabs
(``a.RelatedEntry``), "If you like this anime, you might like..." cards (``h3.cardName``), the
``a.CharacterCard`` cards of characters (voice actors with ``div.flag.flagJP``) and staff (roles
joined by "&"), and the "Custom lists" section.

Choices (see docs/extraction.md):

- Anime-Planet has one list of tags (genres mixed with themes): the visible list is ``tags``; the
  page's own JSON-LD calls the same words ``genre``, and that list is ``genres``.
- A title containing an e-mail-like ``@`` is hidden by Cloudflare ("[email protected]"): the JSON-LD
  ``name`` is used instead.
- The year strip gives ``first_release_date`` / ``end_date`` at year precision; the JSON-LD
  ``datePublished`` (same year) refines the start to a day. "25+ eps" (still airing) leaves
  ``episodes`` empty and keeps the text in ``extra``.
- Staff: one credit per person, the role as shown, ``roles`` split on "&".

``expected`` (the layout-drift check): title, kind, first release date, tags, synopsis,
characters.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from lxml import etree

from normalize.counts import parse_int, parse_list_summary, parse_score
from normalize.dates import parse_date, parse_date_range, parse_season
from normalize.kinds import parse_kind
from normalize.language import script_language
from normalize.roles import canonical_roles
from normalize.runtime import parse_runtime
from normalize.text import clean_text

from .page import element_text
from .records import Character, Credit, Image, Name, Related, UserList
from .registry import Family

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)

SITE = "animeplanet"

# Few whole-tree walks: head-only queries, ``id()`` (answered from libxml2's id table) and scoped
# queries inside ``section#entry``, where the entry's content lives. Steps use the ``descendant::``
# axis rather than ``//`` (``descendant-or-self::node()/child::``, which libxml2 evaluates for every
# node, text included), and ``[1]`` where only the first match is read, which stops the walk there.
_CANONICAL = etree.XPath(
    "/html/head/link[@rel='canonical']/@href | /html/head/meta[@property='og:url']/@content"
)
_OG_TITLE = etree.XPath("/html/head/meta[@property='og:title']/@content")
_SYNOPSIS = etree.XPath("id('entry')/descendant::div[contains(@class, 'entrySynopsis')][1]")
_H2 = etree.XPath("id('siteContainer')/descendant::h2")
_ANY_H2 = etree.XPath("/descendant::h2")
_IMAGE = etree.XPath("id('entry')/descendant::img[@itemprop='image'][1]")
_TAG_LINKS = etree.XPath(
    "id('entry')/descendant::div[contains(@class, 'tags')]/descendant::a[contains(@href, '/tags/')]"
)
_CARDS = etree.XPath("id('siteContainer')/descendant::a[@data-character-type]")
_ANY_CARDS = etree.XPath("/descendant::a[contains(@class, 'CharacterCard')]")
_CARD_STREAM = etree.XPath(
    "id('siteContainer')/descendant::h2 | id('siteContainer')/descendant::h3[not(contains(@class, 'cardName'))]"
    " | id('siteContainer')/descendant::a[contains(@class, 'CharacterCard')]"
)
_CHAR_ROWS = etree.XPath(
    "id('siteContainer')/descendant::table/descendant::tr[descendant::a[contains(@href, '/characters/')]]"
)

_PATH = re.compile(r"^/(anime|manga|characters|people|users|forum|reviews)/([^/?#]+)")
_TITLE_KINDS = frozenset({"anime", "manga"})
_SUB_PAGES = frozenset({"characters", "staff", "reviews", "lists", "recommendations", "tags", "videos"})
_TYPE = re.compile(
    r"^(?P<kind>[^(]*?)\s*(?:\((?P<inner>[^)]*)\))?\s*$", re.DOTALL
)
_EPS = re.compile(r"(?P<n>\d[\d,]*)(?P<plus>\+)?\s*eps?\b", re.IGNORECASE)
_PER_EP = re.compile(r"\bx\s*(?P<t>.+)$", re.IGNORECASE)
_VOL = re.compile(r"\bVol(?:ume)?s?\s*:?\s*(\d[\d,]*)", re.IGNORECASE)
_CH = re.compile(r"\bCh(?:apter)?s?\s*:?\s*(\d[\d,]*)", re.IGNORECASE)
_ALT_PREFIX = re.compile(r"^\s*(?:alt(?:ernative)?\s+titles?|aka)\s*:\s*", re.IGNORECASE)
_CF_EMAIL = "[email protected]"
_FLAG = re.compile(r"\bflag([A-Z]{2})\b")
# Anime-Planet flag country -> dub language.
_FLAG_LANGUAGES = {"JP": "ja", "US": "en", "GB": "en", "UK": "en", "DE": "de", "FR": "fr", "ES": "es",
                   "MX": "es", "IT": "it", "BR": "pt", "PT": "pt", "KR": "ko", "CN": "zh", "TW": "zh",
                   "HU": "hu", "PL": "pl", "RU": "ru", "NL": "nl", "SE": "sv", "FI": "fi", "TH": "th",
                   "PH": "tl", "IL": "he", "AR": "es", "CZ": "cs"}
_LOCAL_KINDS = {"tv special": "special", "dvd special": "special", "web": "ona", "music video": "music",
                "other": "other", "light novel": "novel", "one shot": "manga", "webtoon": "manga"}


def _abs(page: Page, href: str | None) -> str | None:
    """``href`` made absolute, with a fast path for site-absolute links ("/anime/x")."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("https://", "http://")):
        return href
    if href.startswith("/") and not href.startswith("//") and page.url:
        return _origin(page.url) + href
    return page.absolute(href)


@functools.lru_cache(maxsize=64)
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


_roles = functools.lru_cache(maxsize=4096)(canonical_roles)


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


def page_id_from_url(url: str | None) -> tuple[str | None, str | None]:
    """(kind, page id) from an Anime-Planet URL: ``("anime", "anime/your-name")``.

    >>> page_id_from_url("https://www.anime-planet.com/anime/your-name/characters")
    ('anime', 'anime/your-name')
    >>> page_id_from_url("https://www.anime-planet.com/people/makoto-shinkai")
    ('people', 'people/makoto-shinkai')
    >>> page_id_from_url("https://www.anime-planet.com/anime/top-anime") [1]
    'anime/top-anime'
    """
    if not url:
        return None, None
    found = _PATH.match(urlsplit(url).path)
    if not found:
        return None, None
    return found.group(1), f"{found.group(1)}/{found.group(2)}"


class _Marks:
    """The page-level landmarks, found in ONE C-level walk over the few tags they use (each
    ``//`` XPath would walk the whole tree): JSON-LD scripts, ``h1``s, ``h2.aka``, ``section.entryBar``."""

    __slots__ = ("aka", "bars", "h1", "json_ld")

    def __init__(self, page: Page) -> None:
        self.json_ld: list[str] = []
        self.h1: list[HtmlElement] = []
        self.aka: list[HtmlElement] = []
        self.bars: list[HtmlElement] = []
        if page.root is None:
            return
        for el in page.root.iter("script", "h1", "h2", "section"):
            tag = el.tag
            if tag == "script":
                if el.get("type") == "application/ld+json" and el.text:
                    self.json_ld.append(el.text)
            elif tag == "h1":
                self.h1.append(el)
            elif tag == "h2":
                if "aka" in (el.get("class") or ""):
                    self.aka.append(el)
            elif "entryBar" in (el.get("class") or ""):
                self.bars.append(el)


def _json_ld(marks: _Marks) -> dict[str, Any]:
    for raw in marks.json_ld:
        try:
            data = json.loads(str(raw))
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("@type") not in ("BreadcrumbList", "Organization", "WebSite"):
                return item
    return {}


def _canonical(page: Page) -> str | None:
    for href in _CANONICAL(page.root):
        text = clean_text(str(href))
        if text:
            return page.absolute(text)
    return None


def sniff(page: Page) -> bool:
    """An Anime-Planet page saved without its URL."""
    canonical = _canonical(page) or ""
    if "anime-planet.com" in canonical:
        return True
    return "anime-planet" in page.head(30000).lower() and page.contains("entryBar")


def extract(page: Page, b: RecordBuilder) -> str | None:
    """Fill the builder from an Anime-Planet page; return the page id (``anime/your-name``)."""
    canonical = _canonical(page)
    b.set("canonical_url", canonical)
    kind, page_id = page_id_from_url(page.url)
    if page_id is None:
        kind, page_id = page_id_from_url(canonical)
    marks = _Marks(page)
    ld = _json_ld(marks)
    with b.field("title"):
        b.set("title", _title(page, marks, ld))
    if kind is not None and kind not in _TITLE_KINDS:
        b.not_title(f"{kind} page")
        return page_id
    if page_id is not None and page_id.split("/", 1)[1] in ("top-anime", "top-manga", "all", "seasons",
                                                             "studios", "tags", "watch-online"):
        b.not_title("index page")
        return page_id
    title = b.get("title")
    if title:
        b.add("names", Name(name=title, type="main"))
    with b.field("names"):
        _read_aka(marks, b, ld)
    bars = marks.bars
    with b.field("entry_bar"):
        if bars:
            _read_entry_bar(page, b, bars[0], kind, ld)
        else:
            b.error("entry_bar", "layout", "no section.entryBar found: the layout may have changed")
    with b.field("synopsis"):
        _read_synopsis(page, b, ld)
    with b.field("genres"):
        genres = ld.get("genre")
        if isinstance(genres, list):
            b.add("genres", *(clean_text(str(g)) for g in genres))
        elif isinstance(genres, str):
            b.add("genres", genres)
    with b.field("characters"):
        _read_cards(page, b, ld)
    with b.field("related"):
        _read_sections(page, b)
    with b.field("images"):
        for img in _IMAGE(page.root)[:1]:
            url = _abs(page, img.get("src") or img.get("data-src"))
            if url:
                b.add("images", Image(url=url, caption=clean_text(img.get("alt")) or None))
    return page_id


def _title(page: Page, marks: _Marks, ld: dict[str, Any]) -> str | None:
    for h1 in marks.h1:
        text = _text(h1)
        if text and _CF_EMAIL not in text:
            return text
        if text:
            break
    name = clean_text(str(ld.get("name") or ""))
    if name and _CF_EMAIL not in name:
        return name
    og = _OG_TITLE(page.root)
    return clean_text(str(og[0])) or None if og else None


def _read_aka(marks: _Marks, b: RecordBuilder, ld: dict[str, Any]) -> None:
    """``h2.aka``: "Alt title: X" or "Alt titles: X, Y" -> synonyms (names and aliases)."""
    names: list[str] = []
    for h2 in marks.aka:
        text = _text(h2)
        plural = bool(re.match(r"^\s*alt(?:ernative)?\s+titles\s*:", text, re.IGNORECASE))
        body = _ALT_PREFIX.sub("", text)
        parts = [p.strip() for p in body.split(",")] if plural else [body.strip()]
        names.extend(p for p in parts if p)
    if any(_CF_EMAIL in n for n in names):
        names = [n for n in names if _CF_EMAIL not in n]
        alternate = ld.get("alternateName")
        values = alternate if isinstance(alternate, list) else [alternate] if alternate else []
        names.extend(clean_text(str(v)) for v in values if v and _CF_EMAIL not in str(v))
    for name in names:
        lang = script_language(name, default="latin")
        b.add("names", Name(name=name, lang=None if lang in ("latin", "en") else lang, type="synonym"))
        b.add("aliases", name)


def _kind(raw: str) -> str | None:
    key = clean_text(raw).lower()
    return _LOCAL_KINDS[key] if key in _LOCAL_KINDS else parse_kind(raw)


def _read_entry_bar(
    page: Page, b: RecordBuilder, bar: HtmlElement, kind: str | None, ld: dict[str, Any]
) -> None:
    for span in _q(bar, "descendant::span[contains(concat(' ', normalize-space(@class), ' '), ' type ')][1]"):
        _read_type(b, _text(span))
    if kind == "manga" and b.get("kind") is None:
        title = b.get("title") or ""
        b.set("kind", "novel" if "(light novel)" in title.lower() else "manga")
    for a in _q(bar, "descendant::a[@href]"):
        href = str(a.get("href"))
        name = _text(a)
        if not name:
            continue
        if "/studios/" in href:
            b.add("studios", name)
        elif "/publishers/" in href:
            b.add("publishers", name)
        elif "/magazines/" in href:
            _extra(b, "Magazine", name, "Information")
        elif "/seasons/" in href:
            season = parse_season(name)
            if season is not None:
                b.set("season", season[0])
                _extra(b, "Season", name, "Information")
    for span in _q(bar, "descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' iconYear ')][1]"):
        _read_year(b, _text(span), ld)
    for div in _q(bar, "descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' avgRating ')][1]"):
        _read_rating(b, clean_text(div.get("title")) or _text(div))
    for cell in _q(bar, "./div | ./ul/li"):
        text = _text(cell)
        if not text:
            continue
        if re.match(r"^rank\b", text, re.IGNORECASE):
            _extra(b, "Rank", text.split(None, 1)[1] if " " in text else text, "Information")
        elif _VOL.search(text) or _CH.search(text):
            vol, ch = _VOL.search(text), _CH.search(text)
            if vol:
                b.set("volumes", parse_int(vol.group(1)))
            if ch:
                b.set("chapters", parse_int(ch.group(1)))


def _read_type(b: RecordBuilder, text: str) -> None:
    """ "Movie (1 ep x 107 min)", "TV (12 eps x 24 min)", "TV (25+ eps)"."""
    m = _TYPE.match(text)
    if not m:
        return
    kind_raw = clean_text(m.group("kind"))
    inner = clean_text(m.group("inner"))
    if kind_raw:
        b.set("kind_raw", kind_raw)
        parsed = _kind(kind_raw)
        if parsed is None:
            b.unparsed("kind", kind_raw, "kind")
        b.set("kind", parsed)
    eps = _EPS.search(inner)
    if eps:
        if eps.group("plus"):
            _extra(b, "Episodes", eps.group(0), "Information")
        else:
            b.set("episodes", parse_int(eps.group("n")))
    per = _PER_EP.search(inner)
    if per:
        raw = clean_text(per.group("t"))
        minutes = parse_runtime(raw)
        if minutes is None:
            b.unparsed("runtime_minutes", raw, "runtime")
        b.set("runtime_raw", raw)
        b.set("runtime_minutes", minutes)


def _read_year(b: RecordBuilder, text: str, ld: dict[str, Any]) -> None:
    if not text or text.upper() in ("TBA", "?"):
        if text:
            _extra(b, "Year", text, "Information")
        return
    start, end = parse_date_range(text)
    if start is None:
        b.unparsed("first_release_date", text, "year")
        return
    published = parse_date(str(ld.get("datePublished") or "")) if ld.get("datePublished") else None
    if published is not None and published.iso[:4] == start.iso[:4] and published.precision != "year":
        start = published
    b.set("first_release_date", start.iso)
    b.set("first_release_precision", start.precision)
    if end is not None:
        b.set("end_date", end.iso)
        b.set("end_precision", end.precision)


def _read_rating(b: RecordBuilder, text: str) -> None:
    """ "4.503 out of 5 from 60,116 votes"."""
    if not text:
        return
    head, _, tail = text.partition(" from ")
    value, best = parse_score(head)
    if value is None:
        b.unparsed("score", text, "score")
        return
    b.set("score", value)
    b.set("score_max", best)
    if tail:
        b.set("score_count", parse_int(tail))


def _paragraphs(node: HtmlElement) -> list[str]:
    ps = _q(node, "./p | ./div/p")
    if ps:
        return [t for t in (_text(p) for p in ps) if t]
    text = _text(node)
    return [text] if text else []


def _read_synopsis(page: Page, b: RecordBuilder, ld: dict[str, Any]) -> None:
    boxes = _SYNOPSIS(page.root)
    scope = boxes[0] if boxes else None
    if scope is not None:
        for div in _q(scope, "descendant::div[p][not(@class)]"):
            parts = _paragraphs(div)
            if parts and b.get("synopsis") is None:
                # Set directly: builder.set() collapses white space, which would merge paragraphs.
                b.values["synopsis"] = "\n\n".join(parts)
        for div in _q(scope, "descendant::div[contains(concat(' ', normalize-space(@class), ' '), ' notes ')]"):
            for note in _paragraphs(div):
                label, sep, value = note.partition(":")
                if sep and value.strip() and len(label) < 40:
                    _extra(b, label.strip(), value.strip(), "Synopsis")
                else:
                    _extra(b, "Notes", note, "Synopsis")
    b.add("tags", *(_text(a) for a in _TAG_LINKS(page.root)))
    if b.get("synopsis") is None and isinstance(ld.get("description"), str):
        import html

        text = clean_text(html.unescape(ld["description"]))
        if text:
            b.set("synopsis", text)


def _read_cards(page: Page, b: RecordBuilder, ld: dict[str, Any]) -> None:
    actor_urls: dict[str, str] = {}
    for person in ld.get("actor") or []:
        if isinstance(person, dict) and person.get("name") and person.get("url"):
            actor_urls[clean_text(str(person["name"])).casefold()] = str(person["url"])
    heading = ""
    found = False
    sub_page = urlsplit(b.url or "").path.rstrip("/").rsplit("/", 1)[-1] in ("characters", "staff")
    stream = _CARD_STREAM(page.root) if sub_page else (_CARDS(page.root) or _ANY_CARDS(page.root))
    for el in stream:
        if el.tag in ("h2", "h3"):
            heading = _text(el).lower()
            continue
        found = True
        name_el = _first_with_class(el, "CharacterCard__title")
        name = _text(name_el) if name_el is not None else ""
        if not name:
            continue
        url = _abs(page, el.get("href"))
        body_el = _first_with_class(el, "CharacterCard__body")
        body = [body_el] if body_el is not None else []
        card_type = str(el.get("data-character-type") or "")
        if card_type == "people" or (not card_type and "/people/" in str(el.get("href"))):
            staff_role = _text(body[0]) if body else ""
            b.add("credits", Credit(person=name, person_url=url, role=staff_role or None,
                                    roles=_roles(staff_role) if staff_role else ()))
            continue
        role = _char_role(heading)
        flags = [f for f in body[0].iterdescendants() if "flag" in _classes(f)] if body else []
        actors = [(f, _text(f)) for f in flags if _text(f)]
        if not actors:
            b.add("characters", Character(character=name, character_url=url, role=role))
        for flag, actor in actors:
            m = _FLAG.search(str(flag.get("class") or ""))
            b.add("characters", Character(
                character=name, character_url=url, role=role, actor=actor,
                actor_url=actor_urls.get(actor.casefold()),
                language=_FLAG_LANGUAGES.get(m.group(1)) if m else None,
            ))
    if not found:
        _read_character_tables(page, b)


def _first_with_class(el: HtmlElement, part: str) -> HtmlElement | None:
    """The first descendant whose class attribute contains ``part`` (XPath ``.//*[contains(@class,
    part)]`` as a C-level walk, without an XPath evaluation per card)."""
    for node in el.iterdescendants():
        if part in (node.get("class") or ""):
            return node
    return None


def _char_role(heading: str) -> str | None:
    for word in ("main", "secondary", "minor", "supporting"):
        if heading.startswith(word):
            return word
    return None


def _read_character_tables(page: Page, b: RecordBuilder) -> None:
    """Older character lists: table rows with a character link and flagged voice-actor links."""
    for tr in _CHAR_ROWS(page.root):
        char = _q(tr, "descendant::a[contains(@href, '/characters/')][1]")[0]
        name = _text(char)
        if not name:
            continue
        actors = _q(tr, "descendant::a[contains(@href, '/people/')]")
        if not actors:
            b.add("characters", Character(character=name, character_url=_abs(page, char.get("href"))))
        for a in actors:
            flag = _q(a, "ancestor-or-self::*[contains(@class, 'flag')][1] | preceding-sibling::*[contains(@class, 'flag')][1]")
            m = _FLAG.search(str(flag[0].get("class") or "")) if flag else None
            b.add("characters", Character(
                character=name, character_url=_abs(page, char.get("href")), actor=_text(a) or None,
                actor_url=_abs(page, a.get("href")),
                language=_FLAG_LANGUAGES.get(m.group(1)) if m else None,
            ))


def _following(h2: HtmlElement, limit: int = 4) -> list[HtmlElement]:
    out: list[HtmlElement] = []
    for sib in h2.itersiblings():
        if not isinstance(sib.tag, str):
            continue
        if sib.tag in ("h2", "h1"):
            break
        out.append(sib)
        if len(out) >= limit:
            break
    return out


def _read_sections(page: Page, b: RecordBuilder) -> None:
    for h2 in _H2(page.root) or _ANY_H2(page.root):
        heading = _text(h2).lower()
        if heading.startswith("related"):
            for block in _following(h2):
                _read_related_tabs(page, b, block)
        elif "might like" in heading or heading.startswith("recommendation"):
            for block in _following(h2):
                for a in block.iter("a"):
                    card_name = _first_with_class(a, "cardName") if a.get("href") is not None else None
                    if card_name is None:
                        continue
                    title = _text(card_name)
                    if title:
                        b.add("related", Related(relation="similar", title=title, url=_abs(page, a.get("href"))))
        elif "custom list" in heading:
            section = h2.getparent()
            if section is not None:
                _read_lists(page, b, section)


def _read_related_tabs(page: Page, b: RecordBuilder, block: HtmlElement) -> None:
    # One walk over the block's links: tab labels (``href="#tab-id"``) and ``a.RelatedEntry`` cards.
    labels: dict[str, str] = {}
    entries: list[HtmlElement] = []
    for a in block.iterdescendants("a"):
        href = a.get("href")
        if href is not None and href.startswith("#"):
            labels[href[1:]] = _text(a).lower()
        if "RelatedEntry" in (a.get("class") or ""):
            entries.append(a)
    for entry in entries:
        relation = "related"
        for anc in entry.iterancestors():
            if anc is block:
                break
            anc_id = anc.get("id")
            if anc_id and anc_id in labels:
                relation = labels[anc_id] or relation
                break
        name_el = _first_with_class(entry, "RelatedEntry__name")
        title = _text(name_el) if name_el is not None else _text(entry)
        if title:
            b.add("related", Related(relation=relation, title=title, url=_abs(page, entry.get("href"))))


def _read_lists(page: Page, b: RecordBuilder, section: HtmlElement) -> None:
    """Custom list cards: a link to the list, its size ("42 entries") and its author."""
    own = urlsplit(b.url or "").path.rstrip("/") + "/lists"
    for a in _q(section, "descendant::a[@href]"):
        href = str(a.get("href"))
        path = urlsplit(href).path.rstrip("/")
        if "/lists/" not in path + "/" or path.endswith("/lists") or path == own:
            continue
        name = _text(a)
        card = a.getparent()
        while card is not None and card is not section and len(_text(card)) <= len(name) + 2:
            card = card.getparent()
        card_text = _text(card) if card is not None and card is not section else name
        summary = parse_list_summary(card_text)
        count = summary[0] if summary else None
        if count is None:
            m = re.search(r"(\d[\d,]*)\s*(?:entries|entry|titles|items|anime|manga)\b", card_text, re.IGNORECASE)
            count = parse_int(m.group(1)) if m else None
        author, author_url = _list_author(page, path, card)
        if name:
            b.add("lists", UserList(name=name, url=page.absolute(href), item_count=count,
                                    author=author, author_url=author_url))


def _list_author(page: Page, path: str, card: HtmlElement | None) -> tuple[str | None, str | None]:
    if card is not None:
        for a in _q(card, "descendant::a[contains(@href, '/users/')]"):
            href = urlsplit(str(a.get("href"))).path
            if "/lists/" not in href:
                return _text(a) or None, _abs(page, str(a.get("href")))
    m = re.match(r"^/users/([^/]+)/lists/", path)
    if m:
        return m.group(1), _abs(page, f"/users/{m.group(1)}")
    return None, None


FAMILY = Family(
    name="animeplanet",
    version="1",
    sites={"anime-planet.com": SITE},
    extract=extract,
    sniff=sniff,
    default_site=SITE,
    required=("title",),
    expected=("title", "kind", "first_release_date", "tags", "synopsis", "characters"),
)
