"""Anime News Network encyclopedia: anime and manga pages (``encyclopedia/anime.php?id=19256``).

The encyclopedia, a community-edited wiki, has kept one layout for two decades: ``h1#page_header``
with a type suffix ("Title (TV)", "(movies)", "(OAV)", "(manga)"), then one ``div.encyc-info-type``
block per field whose ``strong`` label names it ("Alternative title:", "Vintage:", "Genres:",
"Running time:"); multi-values are one ``div.tab`` each. The ``infotype-N`` ids differ between
pages, so blocks are found by their label text. Staff ("<b>Role</b>: <a>Person</a>"), companies
and cast ("<a>Person</a> <i>as</i> <b>Character</b>") are ``div.ENTAB`` rows under table captions
such as "Japanese staff" and "English cast".

Decisions: the page id is ``anime/19256`` (``manga/...`` for manga); the title drops the type
suffix, which becomes ``kind_raw``; an alternative title's "(Japanese)" is its language (Latin
script in a Japanese title means romanized Japanese, ``x-jat``); "Premiere date" lines become
releases with their region and note ("2017-03-18 (Japan; Tomodachi)"); companies go to studios
("Animation Production"), producers ("Production"), licensors ("Licensed by") or publishers, and
the rest to ``extra``; the cast's language comes from its caption.

``expected`` (the layout-drift check): title, kind, names, first release date, credits, genres,
synopsis. Short entries often lack genres and a plot summary; their title, alternative titles,
vintage and staff are there.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from normalize.counts import parse_int
from normalize.dates import parse_date, parse_date_range, split_date_note
from normalize.kinds import parse_kind
from normalize.language import language_code, script_language
from normalize.roles import canonical_roles
from normalize.runtime import parse_runtime
from normalize.text import clean_text as _clean_text_slow

from .page import element_text
from .records import Character, Credit, Image, Name, Related, Release, Section
from .registry import Family

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)


_roles = functools.lru_cache(maxsize=4096)(canonical_roles)
"""``canonical_roles``, memoized: credits repeat a few dozen roles."""
_language = functools.lru_cache(maxsize=1024)(language_code)
"""``language_code``, memoized: pages repeat a few dozen language names and tags."""


def _extra(b: RecordBuilder, label: str, value: str, group: str | None) -> None:
    """An info-box label / value that maps to no field (kept in ``record.extra``)."""
    b.extra(label, value, group)  # noqa: S610 - RecordBuilder.extra, not Django's QuerySet.extra

SITE = "animenewsnetwork"

_CANONICAL = etree.XPath(
    "/html/head/link[@rel='canonical']/@href | /html/head/meta[@property='og:url']/@content"
)
_CANONICAL_ANYWHERE = etree.XPath(
    "/descendant::link[@rel='canonical']/@href | /descendant::meta[@property='og:url']/@content"
)
# ``id()`` reads the parser's id table; ``//*[@id=...]`` would visit every element. Steps use the
# ``descendant::`` axis rather than ``//`` (``descendant-or-self::node()/child::``, which libxml2
# evaluates for every node, text included).
_H1 = etree.XPath("id('page_header')")
_CONTENT_ZONE = etree.XPath("id('content-zone')")
_BLOCKS_ANYWHERE = etree.XPath("/descendant::div[contains(@class, 'encyc-info-type')]")
_RELATED = etree.XPath("id('infotype-related')")
_CREDITS_TABLE = etree.XPath("id('credits')")
_PICTURE = etree.XPath("id('infotype-19')/descendant::img[1]")

_TYPE_SUFFIX = re.compile(r"^(?P<title>.*\S)\s*\((?P<kind>[^()]*)\)\s*$")
_LANG_SUFFIX = re.compile(r"^(?P<name>.*\S)\s*\((?P<lang>[^()]+)\)\s*$")
_RELATED_LINE = re.compile(r"\(([^()]*)\)\s*$")
_TITLE_LINK = re.compile(r"(anime|manga)\.php\?id=\d+")
_UNREAD_BLOCKS = frozenset({"news", "user ratings"})

# ANN writes common lengths in words ("Running time: half hour").
_WORD_MINUTES = {"half hour": "30 minutes", "half-hour": "30 minutes", "one hour": "60 minutes", "an hour": "60 minutes"}
_WORD_RUNTIMES = re.compile("|".join(_WORD_MINUTES), re.IGNORECASE)

_LABEL_FIELDS = {
    "alternative title": "names",
    "alternative titles": "names",
    "genres": "genres",
    "genre": "genres",
    "themes": "themes",
    "theme": "themes",
    "plot summary": "synopsis",
    "running time": "runtime",
    "number of episodes": "episodes",
    "number of tankoubon": "volumes",
    "number of pages": "pages",
    "vintage": "vintage",
    "premiere date": "premiere",
    "release dates": "premiere",
}
_COMPANY_FIELDS = {
    "animation production": "studios",
    "animation studio": "studios",
    "production": "producers",
    "producer": "producers",
    "production committee": "producers",
    "licensed by": "licensors",
    "licensor": "licensors",
    "publisher": "publishers",
    "publishing": "publishers",
}


def page_id_from_url(url: str | None) -> tuple[str | None, str | None]:
    """(kind of page, page id) from an encyclopedia URL.

    >>> page_id_from_url("https://www.animenewsnetwork.com/encyclopedia/anime.php?id=19256")
    ('anime', 'anime/19256')
    >>> page_id_from_url("https://www.animenewsnetwork.com/encyclopedia/people.php?id=22227")
    ('people', 'people/22227')
    """
    if not url:
        return None, None
    parts = urlsplit(url)
    found = re.search(r"/(anime|manga|people|company|character)\.php$", parts.path)
    ids = parse_qs(parts.query).get("id")
    if not found or not ids:
        return (found.group(1), None) if found else (None, None)
    return found.group(1), f"{found.group(1)}/{ids[0]}"


def sniff(page: Page) -> bool:
    if not page.contains("animenewsnetwork.com") and not page.contains("encyc-info-type"):
        return False  # a substring test first: the canonical query may walk the whole tree
    canonical = _canonical(page) or ""
    return "animenewsnetwork.com" in canonical or (
        page.contains("encyc-info-type") and page.contains("page_header")
    )


def _canonical(page: Page) -> str | None:
    for href in _CANONICAL(page.root) or _CANONICAL_ANYWHERE(page.root):
        text = clean_text(str(href))
        if text:
            return _absolute(page, text)
    return None


def clean_text(value: str | None) -> str:
    """``normalize.text.clean_text`` with a fast path for the common already-clean case."""
    if not value:
        return ""
    collapsed = " ".join(value.split())
    if collapsed.isascii() and "\u200b" not in value:
        return collapsed
    return _clean_text_slow(collapsed)


@functools.lru_cache(maxsize=64)
def _bases(url: str) -> tuple[str, str]:
    """(origin, directory) of a page URL: ``https://host`` and ``https://host/encyclopedia/``."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return "", ""
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin, origin + parts.path[: parts.path.rfind("/") + 1]


def _absolute(page: Page, href: str | None) -> str | None:
    """``page.absolute`` without urljoin's cost for plain absolute, rooted and relative links."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("https://", "http://")):
        return href
    origin, directory = _bases(page.url) if page.url else ("", "")
    if origin and href.startswith("/") and not href.startswith("//"):
        return origin + href
    if directory and href[:1] not in ("/", "?", "#", ".") and ":" not in href.split("?", 1)[0]:
        return directory + href
    return page.absolute(href)


def _text(el: HtmlElement | None) -> str:
    return clean_text(element_text(el)) if el is not None else ""


def extract(page: Page, b: RecordBuilder) -> str | None:
    canonical = _canonical(page)
    kind, page_id = page_id_from_url(page.url)
    if page_id is None:
        kind, page_id = page_id_from_url(canonical) if canonical else (kind, None)
    b.set("canonical_url", canonical)
    with b.field("title"):
        _read_title(page, b)
    if kind in ("people", "company", "character"):
        b.not_title(f"{kind} page")
        return page_id
    with b.field("infobox"):
        blocks = _info_blocks(page.root) or _BLOCKS_ANYWHERE(page.root)
        if not blocks:
            b.error("infobox", "layout", "no div.encyc-info-type blocks found: the layout may have changed")
        for block in blocks:
            _read_block(page, b, block)
    with b.field("related"):
        for node in _RELATED(page.root):
            _read_related(page, b, node)
    with b.field("credits"):
        _read_credits(page, b)
    with b.field("images"):
        for img in _PICTURE(page.root)[:1]:
            parent = img.getparent()
            href = parent.get("href") if parent is not None and parent.tag == "a" else None
            url = _absolute(page, href or img.get("src"))
            if url:
                b.add("images", Image(url=url, caption=None))
    return page_id


def _info_blocks(root: HtmlElement) -> list[HtmlElement]:
    """The ``div.encyc-info-type`` blocks of ``#content-zone``: a C-level walk over its divs (the
    XPath ``contains(@class, ...)`` predicate costs more per div than reading the class here)."""
    return [
        div
        for zone in _CONTENT_ZONE(root)
        for div in zone.iterdescendants("div")
        if "encyc-info-type" in (div.get("class") or "")
    ]


def _read_title(page: Page, b: RecordBuilder) -> None:
    for h1 in _H1(page.root):
        raw = _text(h1)
        if not raw:
            continue
        match = _TYPE_SUFFIX.match(raw)
        kind = parse_kind(_kind_word(match.group("kind"))) if match else None
        if match and kind is not None:
            title, kind_raw = match.group("title"), match.group("kind")
            b.set("kind_raw", kind_raw)
            b.set("kind", kind)
        else:
            title = raw
        b.set("title", title)
        b.add("names", Name(name=title, type="main"))
        return


def _kind_word(raw: str) -> str:
    """``TV 2``, ``TV 2006``, ``movies``, ``OAV``, ``live-action movie`` -> the kind word."""
    word = re.sub(r"\s+\d+$", "", raw.strip())
    word = re.sub(r"^live-action\s+", "", word, flags=re.IGNORECASE)
    return {"movies": "movie", "oav": "OVA", "ona": "ONA", "specials": "special"}.get(word.lower(), word)


# -- info blocks ----------------------------------------------------------------------------------
def _block_label(block: HtmlElement) -> str:
    for strong in block.iterchildren("strong", "b"):
        return clean_text(element_text(strong)).rstrip(":").strip()
    return ""


def _block_values(block: HtmlElement) -> list[HtmlElement]:
    tabs = [c for c in block.iterchildren("div") if "tab" in str(c.get("class") or "").split()]
    if tabs:
        return tabs
    return list(block.iterchildren("span"))


def _read_block(page: Page, b: RecordBuilder, block: HtmlElement) -> None:
    label = _block_label(block)
    if not label:
        return
    key = label.lower()
    field = _LABEL_FIELDS.get(key)
    values = _block_values(block)
    # "News" and "User Ratings" keep at most the first value's own text: their (long) texts are not read.
    texts = [] if key in _UNREAD_BLOCKS else [t for t in (_text(v) for v in values) if t]
    with b.field(field or key):
        if field == "names":
            for raw in texts:
                _add_alt_title(b, raw)
        elif field in ("genres", "themes"):
            names = [_text(a) for v in values for a in v.iter("a")] or [
                t.strip() for raw in texts for t in raw.split(",")
            ]
            b.add(field, *[n for n in names if n])
        elif field == "synopsis":
            text = "\n\n".join(texts)
            if text and b.get("synopsis") is None:
                b.values["synopsis"] = text
                b.add("synopsis_sections", Section(heading=label, text=text))
        elif field == "runtime":
            raw = " ".join(texts)
            b.set("runtime_raw", raw)
            minutes = parse_runtime(_WORD_RUNTIMES.sub(lambda m: _WORD_MINUTES[m.group(0).lower()], raw))
            if minutes is None:
                b.unparsed("runtime_minutes", raw, "runtime")
            b.set("runtime_minutes", minutes)
        elif field in ("episodes", "volumes"):
            raw = " ".join(texts)
            number = parse_int(raw)
            if number is None:
                b.unparsed(field, raw, field)
            b.set(field, number)
            if field == "episodes" and number is not None and len(texts) == 1 and "(" in raw:
                _extra(b, label, raw, None)
        elif field == "vintage":
            _read_vintage(b, texts)
        elif field == "premiere":
            for raw in texts:
                _add_release(b, raw)
        elif key in _UNREAD_BLOCKS:
            if key == "user ratings" and values:
                _extra(b, label, clean_text((values[0].text or "").strip().rstrip("[")), None)
        elif texts:
            _extra(b, label, "; ".join(texts), None)


def _add_alt_title(b: RecordBuilder, raw: str) -> None:
    match = _LANG_SUFFIX.match(raw)
    name, lang_raw = (match.group("name"), match.group("lang")) if match else (raw, None)
    lang = _language(lang_raw) if lang_raw else None
    if lang_raw and lang is None:
        name = raw
    if lang == "ja" and script_language(name, default=None) is None:
        lang = "x-jat"
    b.add("names", Name(name=name, lang=lang, type="alias"))
    b.add("aliases", name)


def _read_vintage(b: RecordBuilder, texts: list[str]) -> None:
    """``2017-03-18``; ``2006-04-02 to 2006-09-24``; several lines "2004-09-25 (North America)"."""
    for raw in texts:
        date_text, note = split_date_note(raw)
        start, end = parse_date_range(date_text)
        if start is None:
            b.unparsed("first_release_date", raw, "date")
            continue
        if note is not None:
            b.add("releases", Release(region=note, date=start.iso, precision=start.precision, raw=raw))
        elif b.get("first_release_date") is None:
            b.set("first_release_date", start.iso)
            b.set("first_release_precision", start.precision)
            if end is not None:
                b.set("end_date", end.iso)
                b.set("end_precision", end.precision)
    _extra(b, "Vintage", "; ".join(texts), None)


def _add_release(b: RecordBuilder, raw: str) -> None:
    """``2017-03-18 (Japan; Tomodachi)``: date, region, and what premiered (the note)."""
    date_text, note = split_date_note(raw)
    region, _, what = (note or "").partition(";")
    date = parse_date(date_text)
    if date is None:
        b.unparsed("releases", raw, "date")
    b.add(
        "releases",
        Release(
            name=clean_text(what) or None,
            region=clean_text(region) or None,
            date=date.iso if date else None,
            precision=date.precision if date else None,
            raw=raw,
        ),
    )


# -- related --------------------------------------------------------------------------------------
def _read_related(page: Page, b: RecordBuilder, node: HtmlElement) -> None:
    """``[ spinoff of <a>X (TV)</a> ]`` and ``Related anime: <a>Y</a> (compilation)`` lines."""
    for a in node.iter("a"):
        href = a.get("href") or ""
        title = _text(a)
        if not title or not _TITLE_LINK.search(href):
            continue
        relation = ""
        small = next(a.iterancestors("small"), None)
        if small is not None:
            lead = clean_text(small.text or "").strip("[ ")
            relation = lead
        else:
            tail = clean_text(a.tail or "")
            found = _RELATED_LINE.match(tail) or re.match(r"^\(([^()]*)\)", tail)
            relation = found.group(1) if found else ""
        b.add(
            "related",
            Related(relation=(relation or "related").lower(), title=title, url=_absolute(page, href)),
        )


# -- staff, companies, cast -----------------------------------------------------------------------
def _read_credits(page: Page, b: RecordBuilder) -> None:
    cast_language: str | None = None
    companies: dict[str, list[str]] = {}
    for node in _credit_nodes(page.root):
        if node.tag == "nobr":
            parent = node.getparent()
            if parent is not None and parent.tag == "td":  # a table caption, not a name inside a row
                caption = _text(node)
                if caption.lower().endswith("cast"):
                    cast_language = _language(caption.rsplit(" ", 1)[0])
            continue
        if any(_text(i).lower() == "as" for i in node.iter("i")):
            _add_cast(page, b, node, cast_language)
        else:
            _add_staff(page, b, node, companies)
    for role, names in companies.items():
        _extra(b, role, ", ".join(names), "companies")


def _credit_nodes(root: HtmlElement) -> list[HtmlElement]:
    """Captions (``nobr``) and ``div.ENTAB`` rows of ``#credits`` in page order: one C-level walk over
    its ``nobr`` and ``div`` elements (the XPath union of two predicate walks cost more)."""
    return [
        node
        for table in _CREDITS_TABLE(root)
        for node in table.iterdescendants("nobr", "div")
        if node.tag == "nobr" or node.get("class") == "ENTAB"
    ]


def _add_cast(page: Page, b: RecordBuilder, node: HtmlElement, language: str | None) -> None:
    person = next((a for a in node.iter("a") if "people.php" in (a.get("href") or "")), None)
    if person is None:
        return
    characters = [t for t in (_text(x) for x in node.iter("b")) if t]
    actor, actor_url = _text(person), _absolute(page, person.get("href"))
    named: list[str | None] = [*characters] or [None]
    b.add(
        "characters",
        *(Character(character=c, actor=actor, actor_url=actor_url, language=language) for c in named),
    )


def _add_staff(page: Page, b: RecordBuilder, node: HtmlElement, companies: dict[str, list[str]]) -> None:
    role_el = next(node.iter("b"), None)
    if role_el is None:
        return
    role = _text(role_el).rstrip(":")
    credits: list[Credit] = []
    for a in node.iter("a"):
        href = a.get("href") or ""
        is_company = "company.php" in href
        if not is_company and "people.php" not in href:
            continue
        name = _text(a)
        if not name:
            continue
        if is_company:
            field = _COMPANY_FIELDS.get(role.lower())
            if field:
                b.add(field, name)
            else:
                companies.setdefault(role, []).append(name)
            continue
        note = None
        tail = clean_text(a.tail)
        if not tail:
            nxt = a.getnext()
            if nxt is not None and nxt.tag == "small":
                note = _text(nxt).strip("()") or None
        elif tail.startswith("("):
            note = tail.strip("()") or None
        credits.append(
            Credit(person=name, person_url=_absolute(page, href), role=role, roles=_roles(role), note=note)
        )
    b.add("credits", *credits)


FAMILY = Family(
    name="animenewsnetwork",
    version="1",
    sites={"animenewsnetwork.com": SITE, "animenewsnetwork.cc": SITE},
    extract=extract,
    sniff=sniff,
    default_site=SITE,
    required=("title",),
    expected=("title", "kind", "names", "first_release_date", "credits", "genres", "synopsis"),
)
