"""aniSearch (anisearch.com / .de / .fr / .it / .es): anime, manga and live-action title pages.

Every aniSearch design since ~2018 keeps one info block per language or market:
``section#information`` holds one ``li`` per language with a ``div.title[lang]`` (flag, name in
``strong``, original-script names in ``div.grey``) and labelled rows whose class says what they
are, whatever the site language: ``div.type`` ("Movie, 1 (~129 min)"), ``div.status``,
``div.released`` ("17.09.2016", "28.02.2015 ‑ ?"), ``div.company`` (Studio / Publisher),
``div.adapted``, ``div.targets``, ``div.creators`` ("Person (Role), ..."), ``div.websites``. The
label sits in ``span.header`` (2023+) or ``span.grey`` (2019-2022). Older pages also carry a
``ul#infodetails`` strip ("Type", "Episodes", "Main genres" ...). The synopsis is one
``div[lang]`` text block per language in ``section#description``, followed by the genre / tag
cloud (``a.gg`` main genre, ``a.gc`` subsidiary genre, ``a.gt`` tag). The side bar has relations
(``section#relations2``), characters, ratings (``table#ratingstats`` "Calculated Value") and the
top contributors (``section#contributors``, "510 Cookies").

Choices (see docs/extraction.md):

- ``title`` is the page heading (the site-language title); the first language block is the
  title's own (original) market: its names are ``original``, other blocks' names ``official``.
  Latin-script names of a Japanese/Chinese/Korean block are romanizations (``x-jat`` ...).
- ``releases``: one per language block, ``region`` = the block's language as shown on its flag
  ("Japanese", "English"), ``name`` = the block's title. ``first_release_date`` / ``end_date`` come
  from the first block. The season is not shown, so it is not derived.
- ``genres`` = main + subsidiary genres, ``tags`` = the tag cloud's tags.
- Relations keep their relation as shown after the media prefix ("Manga: Original Work" ->
  ``original work``).

``expected`` (the layout-drift check): title, kind, names, first release date, releases, genres,
synopsis.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from normalize.counts import parse_float, parse_int
from normalize.dates import parse_date, parse_date_range
from normalize.kinds import parse_kind
from normalize.language import language_code, script_language
from normalize.roles import canonical_roles
from normalize.runtime import parse_runtime
from normalize.text import clean_text

from .page import element_text
from .records import Character, Credit, Editor, Image, Name, Related, Release, Section
from .registry import Family

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)

SITE = "anisearch"

# ``id()`` is answered from libxml2's id table without walking the tree; other queries stay in
# the head or inside one section. Steps use the ``descendant::`` axis rather than ``//``
# (``descendant-or-self::node()/child::``, which libxml2 evaluates for every node, text included),
# and ``[1]`` where only the first match is read, which stops the walk there.
_CANONICAL = etree.XPath(
    "/html/head/link[@rel='canonical']/@href | /html/head/meta[@property='og:url']/@content"
)
_OG_TITLE = etree.XPath("/html/head/meta[@property='og:title']/@content")
_JSON_LD = etree.XPath("/html/head/script[@type='application/ld+json']/text()")
_BASE = etree.XPath("/html/head/base/@href")
_H1 = etree.XPath("id('htitle')")
_ANY_H1 = etree.XPath("/descendant::h1[1]")
_INFO_ITEMS = etree.XPath("id('information')/descendant::li")
_INFODETAILS = etree.XPath("id('infodetails')/li")
_DESCRIPTION = etree.XPath("id('description')")
_DESC_BLOCKS = etree.XPath(
    "descendant::*[@lang][contains(concat(' ', normalize-space(@class), ' '), ' textblock ')"
    " or @itemprop='description']"
)
_CLOUD_LINKS = etree.XPath("id('description')/descendant::ul[contains(@class, 'cloud')]/descendant::a")
_CHARACTERS = etree.XPath("id('characters')/descendant::a[contains(@href, 'character/')]")
_RELATIONS = "id('relations2') | id('relations_anime') | id('relations_manga') | id('relations_movie')"
_RELATION_ITEMS = etree.XPath(f"({_RELATIONS})/descendant::li[a]")
_RELATION_ROWS = etree.XPath(f"({_RELATIONS})/descendant::tr[descendant::a[@href]]")
_CONTRIBUTORS = etree.XPath("id('contributors')/descendant::li")
_RATING_CELLS = etree.XPath("id('ratingstats')/descendant::td")
_RATING_COUNT = etree.XPath("id('ratings')/descendant::*[@itemprop='ratingCount']/@content")
_COVER = etree.XPath("id('details-cover')")
_CONTENT_OUTER = etree.XPath("id('content-outer')/@data-type")

_ID_PATH = re.compile(r"/(anime|manga|movie|character|person|company|member|club)/(\d+)")
_TITLE_KINDS = frozenset({"anime", "manga", "movie"})
_RANGE_DASH = re.compile(r"\s*[\u2010\u2011\u2012\u2013\u2014\u2015~]\s*")
_EPISODES = re.compile(r"^\s*(\d[\d.,]*|\?)\s*(\+)?")
_PAREN_ROLE = re.compile(r"^\s*\(([^)]*)\)")
_CHAPTERS = re.compile(r"(\d[\d.,]*)\s*(?:ch|chap|kap|cap)", re.IGNORECASE)

# Labels of the per-language rows, by the row's class (the label text is in the site language).
_ROW_CLASSES = ("type", "status", "released", "company", "adapted", "targets", "creators", "websites",
                "synonyms", "network", "broadcast")
_ROW_CLASS_SET = frozenset(_ROW_CLASSES)
_LABEL_CLASSES = frozenset({"header", "grey"})
_STUDIO_WORDS = ("studio",)
_PUBLISHER_WORDS = ("publisher", "verlag", "éditeur", "editeur", "editore", "editorial", "distribu",
                    "label", "lizenz", "licen")
# aniSearch type words normalize.kinds does not know.
_LOCAL_KINDS = {"bonus": "special", "tv-series": "tv", "tv-serie": "tv", "tv-special": "special",
                "unknown": None, "unbekannt": None, "web": "ona", "cm": "special",
                "light novel": "novel", "roman": "novel", "one-shot": "manga", "live action": "film",
                "real movie": "film", "realfilm": "film", "realserie": "tv", "live-action series": "tv"}
_ROMANIZED = {"ja": "x-jat", "zh": "x-zht", "ko": "x-kot"}


_roles = functools.lru_cache(maxsize=4096)(canonical_roles)
"""``canonical_roles``, memoized: credits repeat a few dozen roles."""
_language = functools.lru_cache(maxsize=1024)(language_code)
"""``language_code``, memoized: pages repeat a few dozen language names and tags."""


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
    """(kind, page id) from an aniSearch URL: ``("anime", "anime/9981")``.

    >>> page_id_from_url("https://www.anisearch.com/anime/9981,a-silent-voice/characters")
    ('anime', 'anime/9981')
    >>> page_id_from_url("https://www.anisearch.de/person/30978,yoshitoki-ooima")
    ('person', 'person/30978')
    >>> page_id_from_url("https://www.anisearch.com/")
    (None, None)
    """
    if not url:
        return None, None
    found = _ID_PATH.search(urlsplit(url).path)
    if not found:
        return None, None
    return found.group(1), f"{found.group(1)}/{found.group(2)}"


def _json_ld(page: Page) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for raw in _JSON_LD(page.root):
        try:
            data = json.loads(str(raw))
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        out.extend(item for item in items if isinstance(item, dict))
    return out


def _canonical(page: Page) -> str | None:
    for href in _CANONICAL(page.root):
        text = clean_text(str(href))
        if text:
            return _abs(page, text)
    return None


def _abs(page: Page, href: str | None) -> str | None:
    """``href`` resolved against the page's ``<base href>`` (aniSearch links are base-relative)."""
    if not href:
        return None
    joiner = page.memo.get("anisearch.joiner")
    if joiner is None:
        base = _BASE(page.root) if page.root is not None else []
        root = clean_text(str(base[0])) if base else ""
        joiner = page.memo["anisearch.joiner"] = _Joiner(page.absolute(root) if root else page.url)
    return str(joiner.join(href))


class _Joiner:
    """``urljoin`` with fast paths for the shapes aniSearch links take ("person/1,x", "/a", "https://")."""

    def __init__(self, base: str | None) -> None:
        self.base = base or ""
        parts = urlsplit(self.base)
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        path = parts.path or "/"
        self.folder = self.origin + path[: path.rfind("/") + 1] if self.origin else ""

    def join(self, href: str) -> str:
        href = href.strip()
        if href.startswith(("https://", "http://")):
            return href
        if self.origin and href and href[0] not in "/.?#" and ":" not in href.split("/", 1)[0]:
            return self.folder + href
        if self.origin and href.startswith("/") and not href.startswith("//"):
            return self.origin + href
        return urljoin(self.base, href) if self.base else href



def sniff(page: Page) -> bool:
    """An aniSearch page saved without its URL."""
    canonical = _canonical(page) or ""
    if "anisearch." in canonical:
        return True
    head = page.head(20000).lower()
    return "anisearch" in head and (page.contains('id="htitle"') or page.contains("infoblock"))


def extract(page: Page, b: RecordBuilder) -> str | None:
    """Fill the builder from an aniSearch page; return the page id (``anime/9981``)."""
    canonical = _canonical(page)
    b.set("canonical_url", canonical)
    kind, page_id = page_id_from_url(page.url)
    if page_id is None:
        kind, page_id = page_id_from_url(canonical)
    if kind is None:
        outer = _CONTENT_OUTER(page.root)
        kind = str(outer[0]) if outer else None
    with b.field("title"):
        b.set("title", _title(page))
    if kind is not None and kind not in _TITLE_KINDS:
        b.not_title(f"{kind} page")
        return page_id
    ld = next((d for d in _json_ld(page) if d.get("@type") not in ("BreadcrumbList", "Organization")), {})
    title = b.get("title")
    if title:
        b.add("names", Name(name=title, type="main"))
    with b.field("names"):
        _read_blocks(page, b, kind)
    with b.field("infodetails"):
        _read_infodetails(page, b, kind)
    with b.field("synopsis"):
        _read_description(page, b)
    with b.field("genres"):
        _read_cloud(page, b)
    with b.field("characters"):
        _read_characters(page, b)
    with b.field("related"):
        _read_relations(page, b)
    with b.field("top_editors"):
        _read_contributors(page, b)
    with b.field("score"):
        _read_score(page, b, ld)
    with b.field("images"):
        for img in _COVER(page.root)[:1]:
            url = _abs(page, img.get("src") or img.get("data-src"))
            if url:
                b.add("images", Image(url=url, caption=clean_text(img.get("alt")) or None))
    with b.field("episodes"):
        if b.get("episodes") is None and b.get("kind") not in ("manga", "novel", "comic"):
            episodes = ld.get("numberOfEpisodes")
            if isinstance(episodes, int | float | str):
                b.set("episodes", parse_int(str(episodes)))
    if not b.get("title"):
        b.set("title", clean_text(str(ld.get("name") or "")) or None)
    if not any(n.type != "main" for n in b.lists["names"]) and not b.get("kind") and not b.get("synopsis"):
        b.error("page", "layout", "no aniSearch info block, type or description found")
    return page_id


def _title(page: Page) -> str | None:
    for h1 in _H1(page.root) or _ANY_H1(page.root)[:1]:
        named = next((el for el in h1.iterdescendants(etree.Element) if el.get("itemprop") == "name"), None)
        if named is not None:
            text = _text(named)
        else:
            parts = [h1.text or ""]
            for child in h1:
                if not isinstance(child.tag, str):
                    continue
                cls = _classes(child)
                if "release_year" in cls or "subheader" in cls or child.tag in ("br", "script"):
                    parts.append(child.tail or "")
                    continue
                parts.append(element_text(child))
                parts.append(child.tail or "")
            text = clean_text("".join(parts))
        if text:
            return text
    og = _OG_TITLE(page.root)
    if og:
        text = re.sub(r"\s*\((?:Anime|Manga|Movie|Film|Realfilm)\)\s*$", "", clean_text(str(og[0])))
        return text or None
    return None


def _kind(raw: str) -> str | None:
    key = clean_text(raw).lower()
    if key in _LOCAL_KINDS:
        return _LOCAL_KINDS[key]
    return parse_kind(raw)


def _label_and_value(row: HtmlElement) -> tuple[str, str, HtmlElement | None]:
    """A row's label (``span.header`` / ``span.grey``) and the text after it."""
    label_el = None
    for child in row:
        if isinstance(child.tag, str) and child.tag == "span" and (
            not _LABEL_CLASSES.isdisjoint(_classes(child))
        ):
            label_el = child
            break
    if label_el is None:
        return "", _text(row), None
    label = clean_text(element_text(label_el)).rstrip(":： ").strip()
    parts = [label_el.tail or ""]
    for sib in label_el.itersiblings():
        if isinstance(sib.tag, str) and sib.tag not in ("script", "style"):
            parts.append(element_text(sib))
        parts.append(sib.tail or "")
    return label, clean_text("".join(parts)), label_el


def _read_blocks(page: Page, b: RecordBuilder, kind: str | None) -> None:
    first = True
    for li in _INFO_ITEMS(page.root):
        title_div = None
        labelled: list[tuple[HtmlElement, frozenset[str]]] = []
        for row in li.iterchildren("div"):
            classes = frozenset(_classes(row))
            if title_div is None and "title" in classes:
                title_div = row
            if not _ROW_CLASS_SET.isdisjoint(classes):
                labelled.append((row, classes))
        if title_div is None and not labelled:
            continue
        block_lang, language, block_title = None, None, None
        if title_div is not None:
            block_lang, language, block_title = _read_title_div(b, title_div, original=first)
        for row, classes in labelled:
            _read_row(page, b, row, classes, kind, block_title, block_lang, language, first)
        if title_div is not None:
            first = False


def _read_title_div(
    b: RecordBuilder, div: HtmlElement, *, original: bool
) -> tuple[str | None, str | None, str | None]:
    """``div.title[lang]``: flag (language), ``strong`` name, ``div.grey`` original-script names."""
    lang_attr = _squash(div.get("lang")).lower() or None
    flag = strong = speaker = None
    greys: list[HtmlElement] = []
    for child in div:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        classes = _classes(child)
        if tag == "img" and "flag" in classes and flag is None:
            flag = child
        elif (tag == "strong" or child.get("itemprop") == "name") and strong is None:
            strong = child
        elif tag == "div" and "grey" in classes:
            greys.append(child)
        elif tag == "span" and "speaker" in classes:
            speaker = child.get("title")
    language = _squash(flag.get("alt") or flag.get("title")) if flag is not None else ""
    lang = _language(lang_attr) if lang_attr else None
    lang = lang or _language(language) or lang_attr
    name = _text(strong) if strong is not None else None
    name_type = "original" if original else "official"
    b.add("names", *(Name(name=n, lang=_name_lang(n, lang), type=name_type) for n in (name, *map(_text, greys)) if n))
    if speaker and language:
        _extra(b, "Audio", _squash(speaker), language)
    return lang, language or lang_attr, name


def _name_lang(name: str, block_lang: str | None) -> str | None:
    """A name's language: its script when it says more than Latin, else the block's language."""
    script = script_language(name, default="latin")
    if script not in (None, "latin", "en"):
        return script
    if block_lang in _ROMANIZED:
        return _ROMANIZED[block_lang]
    return block_lang


def _read_row(
    page: Page,
    b: RecordBuilder,
    row: HtmlElement,
    classes: frozenset[str],
    kind: str | None,
    block_title: str | None,
    block_lang: str | None,
    language: str | None,
    first: bool,
) -> None:
    label, value, label_el = _label_and_value(row)
    group = language or "Information"
    if "synonyms" in classes:
        _read_synonyms(b, row, label_el)
        return
    if not value:
        return
    if "type" in classes:
        _read_type(b, row, label_el, value, kind)
    elif "status" in classes:
        if first and b.get("release_status") is None:
            b.set("release_status", value.lower())
        else:
            _extra(b, label or "Status", value, group)
    elif "released" in classes:
        _read_release(b, value, block_title, language, first)
    elif "company" in classes:
        names = [_text(a) for a in row.iterdescendants("a")] or [v.strip() for v in value.split(",")]
        field = _company_field(label, first)
        if field is None:
            _extra(b, label or "Company", value, group)
        else:
            b.add(field, *names)
    elif "adapted" in classes:
        b.set("source", value)
    elif "targets" in classes:
        b.add("demographics", *(v.strip() for v in value.split(",")))
    elif "creators" in classes:
        _read_staff(page, b, row, label_el)
    else:
        _extra(b, label or min(classes), value, group)


def _company_field(label: str, first: bool) -> str | None:
    key = label.lower()
    if any(word in key for word in _STUDIO_WORDS):
        return "studios"
    if any(word in key for word in _PUBLISHER_WORDS):
        return "publishers"
    if not key:
        return "studios" if first else "publishers"
    return None


def _read_type(
    b: RecordBuilder, row: HtmlElement, label_el: HtmlElement | None, value: str, kind: str | None
) -> None:
    """ "Movie, 1 (~129 min)", "TV-Series, 12 (~24 min)", "Manga, 7": kind, count and runtime."""
    kind_raw, _, rest = value.partition(",")
    kind_raw = kind_raw.strip()
    b.set("kind_raw", kind_raw)
    parsed = _kind(kind_raw) if kind_raw else None
    if parsed is None and kind == "manga":
        parsed = "manga"
    if kind_raw and parsed is None and kind_raw.lower() not in ("unknown", "unbekannt", "?"):
        b.unparsed("kind", kind_raw, "kind")
    b.set("kind", parsed)
    _read_count(b, rest, parsed)
    _read_runtime(b, next(row.iterdescendants("time"), None), rest)


def _read_count(b: RecordBuilder, rest: str, parsed_kind: str | None) -> None:
    m = _EPISODES.match(rest)
    if not m or m.group(1) == "?":
        return
    count = parse_int(m.group(1))
    if parsed_kind in ("manga", "novel", "comic"):
        b.set("volumes", count)
        chapters = _CHAPTERS.search(rest)
        if chapters:
            b.set("chapters", parse_int(chapters.group(1)))
    elif m.group(2):
        _extra(b, "Episodes", clean_text(rest.split("(")[0]), "Information")
    else:
        b.set("episodes", count)


def _read_runtime(b: RecordBuilder, time_el: HtmlElement | None, rest: str) -> None:
    raw = None
    minutes = None
    if time_el is not None:
        raw = _text(time_el) or None
        minutes = parse_runtime(time_el.get("datetime")) or parse_runtime(raw)
    elif "(" in rest:
        raw = clean_text(rest[rest.index("(") :].strip("()~ ")) or None
        minutes = parse_runtime(raw) if raw else None
    if raw is None:
        return
    if minutes is None:
        b.unparsed("runtime_minutes", raw, "runtime")
    b.set("runtime_raw", raw)
    b.set("runtime_minutes", minutes)


def _read_release(
    b: RecordBuilder, value: str, name: str | None, language: str | None, first: bool
) -> None:
    raw = clean_text(value)
    if raw in ("?", "-", "—"):
        return
    start, end = parse_date_range(_RANGE_DASH.sub(" - ", raw))
    if start is None:
        b.unparsed("releases", raw, "release date")
    b.add(
        "releases",
        Release(
            name=name,
            region=language,
            date=start.iso if start else None,
            precision=start.precision if start else None,
            raw=raw,
        ),
    )
    if first:
        if start is not None:
            b.set("first_release_date", start.iso)
            b.set("first_release_precision", start.precision)
        if end is not None:
            b.set("end_date", end.iso)
            b.set("end_precision", end.precision)


def _read_staff(page: Page, b: RecordBuilder, row: HtmlElement, label_el: HtmlElement | None) -> None:
    credits: list[Credit] = []
    for a in row.iterdescendants("a"):
        href = a.get("href")
        if href is None:
            continue
        person = _text(a)
        if not person:
            continue
        m = _PAREN_ROLE.match(a.tail or "")
        role = clean_text(m.group(1)) if m else None
        credits.append(
            Credit(person=person, person_url=_abs(page, href), role=role or None, roles=_roles(role) if role else ())
        )
    b.add("credits", *credits)


def _read_synonyms(b: RecordBuilder, row: HtmlElement, label_el: HtmlElement | None) -> None:
    names: list[str] = []

    def add_text(text: str | None) -> None:
        for part in (text or "").split(","):
            part = clean_text(part)
            if part:
                names.append(part)

    start = label_el.tail if label_el is not None else row.text
    add_text(start)
    siblings = label_el.itersiblings() if label_el is not None else iter(row)
    for sib in siblings:
        if isinstance(sib.tag, str) and sib.tag not in ("script", "style", "br"):
            if sib.get("id") == "text-synonyms" or (sib.tag == "span" and len(sib)):
                add_text(sib.text)
                for inner in sib:
                    if isinstance(inner.tag, str):
                        name = _text(inner)
                        if name:
                            names.append(name)
                    add_text(inner.tail)
            else:
                name = _text(sib)
                if name:
                    names.append(name)
        add_text(sib.tail)
    for name in names:
        lang = script_language(name, default="latin")
        b.add("names", Name(name=name, lang=None if lang in ("latin", "en") else lang, type="synonym"))
        b.add("aliases", name)


def _read_infodetails(page: Page, b: RecordBuilder, kind: str | None) -> None:
    """The 2019-2022 strip under the heading: ``<li><span>Type</span>OVA</li>``."""
    for li in _INFODETAILS(page.root):
        spans = _q(li, "./span")
        if not spans:
            continue
        label = _text(spans[0]).rstrip(":")
        parts = [spans[0].tail or ""]
        for sib in spans[0].itersiblings():
            if isinstance(sib.tag, str) and sib.tag not in ("meta", "script"):
                parts.append(element_text(sib))
            parts.append(sib.tail or "")
        value = clean_text("".join(parts))
        key = label.lower()
        if not value:
            continue
        if key in ("type", "typ"):
            b.set("kind_raw", value)
            parsed = _kind(value)
            if parsed is None and value.lower() not in ("unknown", "unbekannt"):
                b.unparsed("kind", value, "kind")
            b.set("kind", parsed)
        elif key in ("episodes", "episoden", "épisodes", "episodi", "episodios"):
            _read_count(b, value, b.get("kind"))
            _read_runtime(b, next(li.iterdescendants("time"), None), value)
        elif key in ("release date", "veröffentlichung", "erscheinungsdatum", "date de sortie"):
            meta = _q(li, "descendant::meta[@itemprop='dateCreated']/@content")
            date = parse_date(str(meta[0])) if meta else parse_date(value)
            if date is not None and b.get("first_release_date") is None:
                b.set("first_release_date", date.iso)
                b.set("first_release_precision", date.precision)
        elif key in ("main genres", "hauptgenres", "genres principaux"):
            b.add("genres", *(v.strip() for v in value.split(",")))
        elif key in ("adapted from", "adaptiert von", "vorlage"):
            b.set("source", value)
        elif key in ("target group", "zielgruppe"):
            b.add("demographics", *(v.strip() for v in value.split(",")))
        elif key in ("country of origin", "herkunftsland", "pays d'origine"):
            b.add("countries", value)
        else:
            _extra(b, label, value, "Information")


def _block_text(node: HtmlElement) -> tuple[str, str | None]:
    """A description block as text (``<br><br>`` ends a paragraph) and its source note."""
    chunks: list[str] = [node.text or ""]
    source: str | None = None
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag in ("script", "style"):
            pass
        elif tag == "br":
            chunks.append("\n")
        else:
            classes = _classes(child)
            if "hidden" in classes:
                pass
            elif "source" in classes:
                text = _text(child)
                source = re.sub(r"^[^:]{1,20}:\s*", "", text) or None
            elif tag in ("p", "div", "ul", "ol", "blockquote"):
                chunks.append("\n\n" + _block_text(child)[0] + "\n\n")
            else:
                chunks.append(element_text(child))
        chunks.append(child.tail or "")
    return _paragraphs("".join(chunks)), source


def _paragraphs(raw: str) -> str:
    """Paragraphs (ended by a blank line: white space holding two line breaks) with their white
    space collapsed, joined by one blank line; a line-by-line pass (no regex over the text)."""
    paragraphs: list[str] = []
    pieces: list[str] = []
    for line in raw.split("\n"):
        piece = _collapse(line)
        if piece:
            pieces.append(piece)
        elif pieces:  # a blank line ends the paragraph
            paragraphs.append(" ".join(pieces))
            pieces = []
    if pieces:
        paragraphs.append(" ".join(pieces))
    return "\n\n".join(paragraphs)


def _collapse(line: str) -> str:
    """``" ".join(line.split())`` without splitting a line that is already clean: a printable
    line has no white space but ASCII spaces (every other white-space character is unprintable)."""
    if line.isprintable() and "  " not in line:
        return line.strip(" ")
    return " ".join(line.split())


def _read_description(page: Page, b: RecordBuilder) -> None:
    sections = _DESCRIPTION(page.root)
    if not sections:
        return
    texts: list[tuple[str | None, str | None, str]] = []
    sections_read: list[Section] = []
    for block in _DESC_BLOCKS(sections[0]):
        lang = clean_text(block.get("lang")).lower() or None
        heading = None
        prev = block.getprevious()
        if prev is not None and isinstance(prev.tag, str) and prev.tag in ("button", "h3", "h4"):
            heading = _text(prev) or None
        text, source = _block_text(block)
        if not text:
            continue
        heading = heading or lang
        texts.append((lang, heading, text))
        sections_read.append(Section(heading=heading, text=text))
        if source:
            _extra(b, "Synopsis source", source, heading)
    b.add("synopsis_sections", *sections_read)
    if not texts:
        return
    english = next((t for lang, _h, t in texts if lang == "en"), None)
    if b.get("synopsis") is None:
        # Set directly: builder.set() collapses white space, which would merge the paragraphs.
        b.values["synopsis"] = english or texts[0][2]


def _read_cloud(page: Page, b: RecordBuilder) -> None:
    """The genre cloud: ``a.gg`` main genres and ``a.gc`` subsidiary genres, then ``a.gt`` tags."""
    genres: list[tuple[int, str]] = []
    tags: list[str] = []
    for a in _CLOUD_LINKS(page.root):
        name = _text(a)
        if not name:
            continue
        cls = set(_classes(a))
        href = str(a.get("href") or "")
        if "gg" in cls or "/genre/main/" in href:
            genres.append((0, name))
        elif "gc" in cls or "/genre/subsidiary/" in href:
            genres.append((1, name))
        else:
            tags.append(name)
    b.add("genres", *(name for _rank, name in sorted(genres, key=lambda g: g[0])))
    b.add("tags", *tags)


def _read_characters(page: Page, b: RecordBuilder) -> None:
    characters: list[Character] = []
    for a in _CHARACTERS(page.root):
        # The first span below whose class holds "title" (the XPath ``.//span[contains(@class,
        # 'title')]`` read every span).
        title = next((span for span in a.iter("span") if "title" in (span.get("class") or "")), None)
        name = _text(title) if title is not None else ""
        if not name:
            name = re.sub(r"^[^:]{1,20}:\s*", "", clean_text(a.get("data-title") or a.get("title"))) or _text(a)
        if name:
            characters.append(Character(character=name, character_url=_abs(page, a.get("href"))))
    b.add("characters", *characters)


def _read_relations(page: Page, b: RecordBuilder) -> None:
    related: list[Related] = []
    for li in _RELATION_ITEMS(page.root):
        a = next((a for a in li.iterchildren("a") if a.get("href") is not None), None)
        if a is None:
            continue
        title = _text(a)
        relation = _text(next(li.iterchildren("span"), None))
        relation = relation.split(":", 1)[1] if ":" in relation else relation
        if title:
            related.append(Related(relation=clean_text(relation).lower() or "related", title=title,
                                   url=_abs(page, a.get("href"))))
    b.add("related", *related)
    for tr in _RELATION_ROWS(page.root):
        links = [a for a in _q(tr, "descendant::a[@href]") if _ID_PATH.search("/" + str(a.get("href")).lstrip("/"))]
        if not links:
            continue
        a = links[0]
        title = _text(a)
        cells = [_text(td) for td in _q(tr, "./td")]
        relation = next((c for c in cells if c and title not in c and not c[:1].isdigit()), "")
        if title:
            b.add("related", Related(relation=relation.lower() or "related", title=title,
                                     url=_abs(page, a.get("href"))))


def _read_contributors(page: Page, b: RecordBuilder) -> None:
    editors: list[Editor] = []
    for li in _CONTRIBUTORS(page.root):
        # The first member link with a name, and the first span child with text (walks that stop
        # there: the XPaths ``.//a[contains(@href, 'member/')]`` and ``./span`` read them all).
        named = next(
            ((a, n) for a in li.iter("a") if "member/" in (a.get("href") or "") for n in (_text(a),) if n), None
        )
        if named is None:
            continue
        a, name = named
        first_span = next((t for s in li if s.tag == "span" for t in (_text(s),) if t), None)
        count = parse_int(first_span) if first_span else None
        editors.append(Editor(name=name, url=_abs(page, a.get("href")), contributions=count))
    b.add("top_editors", *editors)


def _read_score(page: Page, b: RecordBuilder, ld: dict[str, Any]) -> None:
    for td in _RATING_CELLS(page.root):
        text = _text(td)
        low = text.lower()
        if "=" in text and any(w in low for w in ("calculated", "berechnet", "calcul", "calcolato")):
            value = text.split("=", 1)[0]
            number = re.search(r"\d+(?:[.,]\d+)?", value)
            if number:
                b.set("score", parse_float(number.group(0)))
                b.set("score_max", 5.0)
        elif "#" in text:
            label = clean_text(text.split("#", 1)[0])
            rank = "#" + clean_text(text.split("#", 1)[1])
            _extra(b, label or "Rank", rank, "Ratings")
    rating = ld.get("aggregateRating")
    if isinstance(rating, dict):
        count = parse_int(str(rating.get("ratingCount") or ""))
        rating_value = parse_float(str(rating.get("ratingValue") or ""))
        best = parse_float(str(rating.get("bestRating") or ""))
        # aniSearch shows 2.5 from a single placeholder vote on titles nobody has rated.
        placeholder = count == 1 and rating_value == 2.5
        if count and b.get("score") is None and rating_value is not None and not placeholder:
            b.set("score", rating_value)
            b.set("score_max", best or 5.0)
        if count:
            b.set("score_count", count)
    if b.get("score_count") is None:
        counts = _RATING_COUNT(page.root)
        if counts:
            b.set("score_count", parse_int(str(counts[0])))


FAMILY = Family(
    name="anisearch",
    version="1",
    sites={"anisearch.com": SITE, "anisearch.de": SITE, "anisearch.fr": SITE, "anisearch.it": SITE,
           "anisearch.es": SITE, "anisearch.jp": SITE},
    extract=extract,
    sniff=sniff,
    default_site=SITE,
    required=("title",),
    expected=("title", "kind", "names", "first_release_date", "releases", "genres", "synopsis"),
)
