"""MediaWiki title pages: Wikipedia (sites ``wikipedia``) and Fandom (``fandom``).

One family for every MediaWiki skin: Wikipedia's 2014 Vector and Vector 2022 (``th``/``td`` and
``th.infobox-label``/``td.infobox-data`` infobox rows, ``plainlist``/``hlist`` multi-values,
``span.mw-page-title-main`` and ``div.mw-heading`` headings) and FandomDesktop with its portable
infoboxes. Any other MediaWiki host is read the same way, its site named after the host; other
Wikipedias' boxes too (French ``infobox_v3``, Italian ``sinottico``), through the same multilingual
label vocabulary. Landmarks are found once per page (``Marks``: the id table, one scan of the ``class``
values, one walk), never by a whole-page XPath per field.

Documented choices:

- ``title`` is the heading without Wikipedia's disambiguation qualifier ("Akira (1988 film)" ->
  "Akira"); ``names`` starts with it (type ``main``, the page's language) and adds each
  interlanguage link's title (type ``translated``, the link's language).
- ``page_id`` is the article title from the URL as written there, percent-decoded: ``Billy_Jack``
  for ``/wiki/Billy_Jack``. Wikipedias other than English prefix their language (``de:Billy_Jack``);
  Fandom pages prefix their wiki (``starwars:The_High_Republic:_Into_the_Dark``, and
  ``starwars/de:...`` for a language path).
- Infobox rows are read through the shared label vocabulary (``normalize.labels``); Fandom rows
  through their ``data-source`` key first (each wiki names its own keys; the common ones are mapped
  here), then the label. Unknown rows go to ``extra`` with their label and group (the infobox
  header above them). "Distributed by" stays in ``extra``.
- An anime infobox holds one block per medium ("Manga", "Anime television series", "Anime film"):
  the block of the medium the page is about (its title qualifier, else its categories, else the
  first block) fills the record and gives ``kind``; the other blocks' rows go to ``extra``, grouped
  under their header.
- Categories: every visible, non-maintenance category is a ``tag``. Genres come from categories
  "<decorations> <genre words> films|novels|video games ...": the genre words just before the
  medium noun, when they are in a genre vocabulary ("American action films" -> ``action``,
  "1971 films" and "English-language films" -> none); "Films about X" gives the theme ``X``. The
  medium noun is a hint for ``kind`` when the infobox gives none.
- ``synopsis_sections`` are the lead (heading None) and every plot-like section ("Plot",
  "Synopsis", "Publisher's summary" ...) with its subsections; ``synopsis`` is the plot-like
  sections' text, or the lead when there is none. Cast sections give ``characters`` ("Actor as
  Character", "Character (voiced by X)"); Wookieepedia's "Appearances" lists give characters too.
- ``revision_id`` is ``wgCurRevisionId`` from the page's ``mw.config`` / ``RLCONF``;
  ``last_edited_at`` is the footer's "last modified on 7 April 2014 at 02:11" / "last edited on
  2 April 2024, at 13:18" as ``2014-04-07T02:11`` (Wikipedia shows anonymous readers UTC).
- Images are the infobox images and gallery images with their captions, as the original file URL
  (Wikimedia thumbnails and Fandom scaled copies are mapped back to the file) so sizes chosen by
  the skin do not change the record.
- A page is Fandom's by its host, or (saved without a URL) its canonical link, title or image CDN;
  a portable infobox alone does not tell (other wiki farms use the extension).
- ``expected`` (the layout-drift check): title, kind, synopsis, credits, releases, revision id; a
  page filling under half of them is flagged ``layout`` and offered to the generic fallback.
- Not a title page (``not_title``): other namespaces (Category:, File: ...), "List of" pages,
  disambiguation pages, people (birth/death categories, biography infoboxes) and Fandom
  character pages (a portable infobox of person labels).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, AnyStr
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree

from normalize.dates import parse_date
from normalize.labels import field_for_label, is_person_label, normalize_label
from normalize.language import language_code, script_language
from normalize.text import clean_text, join_paragraphs

from .generic import (
    QUALIFIER,
    LabelReader,
    Line,
    actors_first,
    element_text,
    is_plot_heading,
    is_skipped,
    kind_of,
    lines_of,
    strip_qualifier,
)
from .records import Character, Image, Name, Section
from .registry import Family

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)

VERSION = "1"

SITES = {"wikipedia.org": "wikipedia", "fandom.com": "fandom", "wikia.com": "fandom", "wikia.org": "fandom"}


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_XML_SPACE = str.maketrans("\t\n\r", "   ")


def _class_tokens(el: HtmlElement) -> list[str]:
    """An element's class tokens as ``_has_class`` sees them: XPath's ``normalize-space`` splits at
    space, tab, CR and LF only (not at the other characters ``str.split()`` knows)."""
    value = el.get("class")
    return _xml_tokens(value) if value else []


def _xml_tokens(value: str) -> list[str]:
    # Tab, CR and LF are not printable: most values go straight to the split.
    return (value if value.isprintable() else value.translate(_XML_SPACE)).split(" ")


def _with_class(node: HtmlElement, *names: str) -> Iterator[HtmlElement]:
    """The descendants of ``node`` with one of these class tokens, in document order: what
    ``.//*[{_has_class(a)} or {_has_class(b)}]`` finds, by a walk (on a small box the XPath's string
    functions, run for every element and every name, cost several times more)."""
    for el in node.iterdescendants(etree.Element):
        value = el.get("class")
        if value:
            tokens = _xml_tokens(value)
            if any(name in tokens for name in names):
                yield el


# -- identity -----------------------------------------------------------------------------------

# ASCII classes (JSON spacing and digits): the same pattern then reads the page's UTF-8 bytes alike.
_REVISION = re.compile(r'"wgCurRevisionId"\s*:\s*(\d+)', re.ASCII)
_REVISION_ANY = re.compile(r'"wgRevisionId"\s*:\s*(\d+)', re.ASCII)
_NAMESPACE = re.compile(r'"wgNamespaceNumber"\s*:\s*(-?\d+)', re.ASCII)
_PAGE_NAME = re.compile(r'"wgPageName"\s*:\s*"((?:[^"\\]|\\.)*)"', re.ASCII)
_CATEGORIES_JS = re.compile(r'"wgCategories"\s*:\s*\[((?:"(?:[^"\\]|\\.)*"\s*,?\s*)*)\]', re.ASCII)
_NAMESPACES = (
    "category:", "file:", "image:", "template:", "user:", "user talk:", "help:", "wikipedia:", "special:",
    "talk:", "portal:", "module:", "mediawiki:", "draft:", "forum:", "message wall:", "blog:", "user blog:",
    "board:", "thread:", "project:", "kategorie:", "catégorie:", "categoría:", "categoria:", "カテゴリ:",
)  # fmt: skip


def _js_string(raw: str) -> str:
    """The value of a JSON string literal's body (``\\u00e9`` escapes decoded, UTF-8 kept)."""
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


_CONFIG_KEY = re.compile(r'"wg[A-Za-z]+"')


def _search_config(text: AnyStr, pattern: re.Pattern[AnyStr]) -> re.Match[AnyStr] | None:
    """``pattern.search(text)`` for a pattern that starts with its quoted variable name: the name is
    found with ``str.find`` (the regular expression's own scan of a page without the variable, a
    list page or another skin, cost 0.25 ms per 290 KB), the pattern tried only where it is."""
    key = _CONFIG_KEY.match(pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("ascii"))
    if key is None:
        return pattern.search(text)
    literal = key.group() if isinstance(text, str) else key.group().encode("ascii")
    start = text.find(literal)  # type: ignore[arg-type]  # literal is of text's type
    while start >= 0:
        m = pattern.match(text, start)
        if m is not None:
            return m
        start = text.find(literal, start + 1)  # type: ignore[arg-type]
    return None


@functools.lru_cache(maxsize=16)
def _bytes_pattern(pattern: re.Pattern[str]) -> re.Pattern[bytes]:
    """An ASCII configuration pattern for UTF-8 bytes (it matches where the ``str`` one matches)."""
    return re.compile(pattern.pattern.encode("ascii"), pattern.flags & ~re.UNICODE)


def _config(page: Page, pattern: re.Pattern[str]) -> str | None:
    """The first group of a configuration variable's pattern, from the page's bytes while its text
    is not decoded (decoding a large page costs up to 15% of its parse)."""
    raw = page.undecoded
    if raw is not None:
        found = _search_config(raw, _bytes_pattern(pattern))
        return found.group(1).decode("utf-8") if found else None
    m = _search_config(page.text, pattern)
    return m.group(1) if m else None


_MARK_IDS = (
    "mw-content-text", "bodyContent", "footer-info-lastmod", "mw-normal-catlinks", "disambigbox", "disambig",
    "articleCategories", "firstHeading", "WikiaPageHeader",
)  # fmt: skip
_MARK_CLASSES = (
    "portable-infobox", "page-header__categories", "page-footer__categories", "page-header__title",
    "shortdescription", "dmbox-disambig", "interlanguage-link", "mw-parser-output", "wikia-gallery-item",
    "gallerybox", "firstHeading",
)  # fmt: skip
_MARK_CLASS_TAGS = {
    "portable-infobox": "aside", "page-header__categories": "div", "page-footer__categories": "div",
    "page-header__title": "h1", "shortdescription": "div", "dmbox-disambig": "table",
    "interlanguage-link": "li", "mw-parser-output": "div", "wikia-gallery-item": "div", "gallerybox": "li",
    "firstHeading": "h1",
}  # fmt: skip
"""The element each landmark class sits on in the skins we know: where the walk looks first."""
_MARK_ID_SET = frozenset(_MARK_IDS)
_MARK_ID_QUERY = etree.XPath(f"id('{' '.join(_MARK_IDS)}')")
_MARK_ID_SCAN = etree.XPath(
    "descendant::*[" + " or ".join(f"@id='{name}'" for name in _MARK_IDS) + "]"
)
_MARK_CLASS_VALUES = etree.XPath("descendant::*/@class", smart_strings=False)
_MARK_CLASS_ATTRS = etree.XPath("descendant::*/@class")
_MARK_LABEL_VALUES = etree.XPath("descendant::a/@data-tracking-label", smart_strings=False)
_MARK_LABEL_ATTRS = etree.XPath("descendant::a/@data-tracking-label")


def _class_census(values: list[str]) -> tuple[dict[str, int], frozenset[str]]:
    """From the page's ``class`` values: how many times each landmark class is named (as
    ``value.split()`` tokens), and the values that name one."""
    joined = "\0".join(values)  # NUL: never in an attribute value (libxml2's strings end there)
    size = len(joined)
    counts = dict.fromkeys(_MARK_CLASSES, 0)
    hits: set[str] = set()
    for name in _MARK_CLASSES:
        start = joined.find(name)
        while start >= 0:
            end = start + len(name)
            before = joined[start - 1] if start else "\0"
            after = joined[end] if end < size else "\0"
            if (before == "\0" or before.isspace()) and (after == "\0" or after.isspace()):
                counts[name] += 1
                value_end = joined.find("\0", end)
                hits.add(joined[joined.rfind("\0", 0, start) + 1 : value_end if value_end >= 0 else size])
            start = joined.find(name, end)  # a class name has no space: no token starts inside this match
    return counts, frozenset(hits)


class Marks:
    """The page's landmarks (content, footer, categories, infoboxes ...), each found when first asked.

    Each whole-document XPath is a full scan of the tree, a query with many class tests costs as
    much as a dozen scans, and every element handed to Python costs a proxy object (lxml.html's
    class lookup runs Python for each). So:

    - ids come from libxml2's id table (``id()``: no scan; the first element with an id is the one
      the table keeps, as a document-order pass would keep it);
    - classes: one scan reads every ``class`` value as a plain string (no element proxies) and
      counts each landmark class's elements; a class the page lacks (most of them: Wikipedia has no
      Fandom header, Fandom no interlanguage list) is answered from that alone. The classes the page
      has are looked for in ONE walk over the elements they sit on in the known skins (``div``,
      ``aside`` ...: a fraction of the tree); the count proves the walk found them all, else one
      scan of the ``class`` attributes with their elements finds them anywhere;
    - Fandom's language links (``a`` with ``data-tracking-label="lang-xx"``) the same way: plain
      values first, their elements only when there are some.

    Lists are in document order, an element listed once per time its ``class`` names the class.
    """

    def __init__(self, page: Page) -> None:
        self.ids: dict[str, HtmlElement] = {}
        self._root = page.root
        self._classes: dict[str, list[HtmlElement]] = {}
        self._counts: dict[str, int] | None = None
        self._hits: frozenset[str] = frozenset()
        self._lang_links: list[HtmlElement] | None = None
        root = self._root
        if root is None:
            return
        found = _MARK_ID_QUERY(root)
        if any(el is root for el in found):
            # The root is not among its descendants, and the id table keeps only the first element
            # of an id: look for those ids below the root the long way.
            found = _MARK_ID_SCAN(root)
        for el in found:
            el_id = el.get("id")
            if el_id is not None and el_id not in self.ids:
                self.ids[el_id] = el

    def id(self, name: str) -> HtmlElement | None:
        return self.ids.get(name)

    def cls(self, name: str, tag: str | None = None) -> list[HtmlElement]:
        """The elements with the landmark class ``name`` (one of ``_MARK_CLASSES``), of ``tag`` if given."""
        found = self._classes.get(name)
        if found is None:
            if not self._class_counts().get(name):
                return []
            self._find_classes()
            found = self._classes[name]
        return [el for el in found if el.tag == tag] if tag else found

    def _find_classes(self) -> None:
        """Every landmark class the page has, in one walk (and a scan if the walk misses some)."""
        wanted = {name: count for name, count in self._class_counts().items() if count}
        if self._root is None:
            return
        found: dict[str, list[HtmlElement]] = {name: [] for name in wanted}
        left = sum(wanted.values())
        for el in self._root.iterdescendants(*sorted({_MARK_CLASS_TAGS[name] for name in wanted})):
            value = el.get("class")
            if value in self._hits:
                for token in value.split():
                    if token in found:
                        found[token].append(el)
                        left -= 1
                if not left:
                    break
        missing = {name for name, count in wanted.items() if len(found[name]) != count}
        if missing:  # a landmark on an element of another kind: look everywhere
            for name in missing:
                found[name] = []
            for attr in _MARK_CLASS_ATTRS(self._root):
                for token in attr.split():
                    if token in missing:
                        found[token].append(attr.getparent())
        self._classes.update(found)

    def _class_counts(self) -> dict[str, int]:
        """How many times each landmark class is named, from the ``class`` values alone."""
        if self._counts is None:
            values = _MARK_CLASS_VALUES(self._root) if self._root is not None else []
            self._counts, self._hits = _class_census(values)
        return self._counts

    @property
    def lang_links(self) -> list[HtmlElement]:
        """Links (``a``) whose ``data-tracking-label`` starts with ``lang-`` (Fandom's language menu)."""
        if self._lang_links is None:
            self._lang_links = []
            root = self._root
            if root is not None and any(v.startswith("lang-") for v in _MARK_LABEL_VALUES(root)):
                self._lang_links = [attr.getparent() for attr in _MARK_LABEL_ATTRS(root) if attr.startswith("lang-")]
        return self._lang_links


_FANDOM_HOSTS = ("fandom.com", "wikia.com", "wikia.org")


def _is_fandom(page: Page) -> bool:
    """A Fandom page: by its host or, saved without a URL, its canonical link, title or image CDN.
    (A portable infobox alone says nothing: other wiki farms run the same extension.)"""
    if page.host.endswith(_FANDOM_HOSTS):
        return True
    canonical = page.string("/html/head/link[@rel='canonical']/@href") or ""
    if (urlsplit(canonical).hostname or "").endswith(_FANDOM_HOSTS):
        return True
    title = page.string("/html/head/title/text()") or ""
    return title.rstrip().endswith("| Fandom") or page.contains_in_head("static.wikia.nocookie.net", 300_000)


def page_id_of(page: Page, fandom: bool) -> str | None:
    """The article title from the URL (``/wiki/X``, ``index.php?title=X``), else from ``wgPageName``."""
    title: str | None = None
    prefix = ""
    url = page.url or page.string("/html/head/link[@rel='canonical']/@href")
    if url:
        parts = urlsplit(url)
        path = parts.path
        m = re.search(r"^(?:/(?P<lang>[a-z]{2,3}(?:-[a-z]+)?))?/wiki/(?P<title>.+)$", path)
        if m:
            title = m["title"]
            if fandom and m["lang"]:
                prefix = f"/{m['lang']}"
        elif parts.query:
            titles = parse_qs(parts.query).get("title")
            title = titles[0] if titles else None
        host = (parts.hostname or "").lower()
        if fandom:
            sub = host.split(".")[0] if host.count(".") >= 2 else host
            prefix = f"{sub}{prefix}:"
        elif host.endswith("wikipedia.org"):
            lang = host.split(".")[0]
            prefix = "" if lang in ("en", "www", "wikipedia") else f"{lang}:"
    if title is None:
        raw = _config(page, _PAGE_NAME)
        if raw is None:
            return None
        title = _js_string(raw)
    title = unquote(title).replace(" ", "_")
    return f"{prefix}{title}" if title else None


# -- title ----------------------------------------------------------------------------------------

def _qualifier_kind(title: str) -> str | None:
    m = QUALIFIER.search(title)
    if m is None:
        return None
    inner = re.sub(r"\d{4}", " ", m.group(0)).strip(" ()（）")
    return kind_of(inner)


# -- categories -----------------------------------------------------------------------------------

_MAINTENANCE = re.compile(
    r"^(?:all |articles |pages |wikipedia |webarchive|cs1|use |short description|official website|commons "
    r"|good articles|featured articles|harv and sfn|template |redirects |media with |real-world|in-universe|"
    r"canon articles|legends articles|non-canon|stubs?\b)|(?:articles|pages|stubs?|redlinks?|needing .*|"
    r"with unsourced .*|lacking .*|infoboxes .*|using .*|with .* microformats)$",
    re.IGNORECASE,
)
_MEDIUM = re.compile(
    r"^(?:(?P<mods>.+?)\s+)?(?P<medium>anime and manga|anime films|animated films|films|film series|movies|"
    r"television films|television series debuts|anime television series debuts|television series|television shows|"
    r"tv series|television programs|television programmes|miniseries|web series|anime series|anime|ovas?|"
    r"original video animations|manga|light novels|novels|novel series|books|short stories|comics|comic books|"
    r"video games|games|albums|soundtracks)$",
    re.IGNORECASE,
)
_ABOUT = re.compile(
    r"^(?:films|novels|video games|television series|television shows|anime|manga|works|books|comics|songs)"
    r"\s+about\s+(?P<theme>.+)$",
    re.IGNORECASE,
)
_MEDIUM_KIND = {
    "anime films": "film", "animated films": "film", "films": "film", "movies": "film", "television films": "film",
    "television series debuts": "tv", "anime television series debuts": "tv", "television series": "tv",
    "television shows": "tv", "tv series": "tv", "television programs": "tv", "television programmes": "tv",
    "miniseries": "tv", "web series": "ona", "anime series": "tv", "ova": "ova", "ovas": "ova",
    "original video animations": "ova", "manga": "manga", "light novels": "novel", "novels": "novel",
    "novel series": "novel", "books": "novel", "short stories": "novel", "comics": "comic", "comic books": "comic",
    "video games": "game", "games": "game", "albums": "music", "soundtracks": "music",
}  # fmt: skip
GENRE_WORDS = frozenset(
    (
        "action", "adventure", "animated", "animation", "anthology", "biographical", "biker", "black comedy",
        "blaxploitation", "buddy", "children's", "christmas", "comedy", "comedy-drama", "coming-of-age",
        "crime", "cyberpunk", "dark fantasy", "detective", "disaster", "documentary", "drama", "dystopian",
        "epic", "erotic", "exploitation", "family", "fantasy", "historical", "hippie", "horror", "heist",
        "isekai", "legal", "magical girl", "martial arts", "kung fu", "karate", "hapkido", "wuxia", "jidaigeki",
        "samurai", "ninja", "mecha", "medical", "melodrama", "military", "monster", "musical", "mystery",
        "neo-noir", "noir", "parody", "platform", "political", "post-apocalyptic", "psychological",
        "puzzle", "racing", "real-time strategy", "role-playing", "romance", "romantic", "romantic comedy",
        "satirical", "science fiction", "sci-fi", "slasher", "slice of life", "space opera", "space western",
        "sports", "spy", "steampunk", "superhero", "supernatural", "survival", "survival horror", "suspense",
        "teen", "thriller", "tragedy", "vampire", "vigilante", "war", "western", "zombie", "young adult",
        "harem", "idol", "fighting", "shooter",
        "first-person shooter", "stealth", "strategy", "simulation", "visual", "rhythm", "sandbox",
        "counterculture", "road", "sword and sorcery", "high fantasy", "urban fantasy", "gothic", "cosmic horror",
        "body horror", "found footage", "mockumentary", "satire", "splatter", "comedy horror", "action comedy",
        "action thriller", "crime drama", "crime thriller", "psychological thriller", "erotic thriller",
        "drama thriller", "techno-thriller", "epic fantasy", "alternate history", "time travel", "dark",
    )
)  # fmt: skip


DEMOGRAPHIC_WORDS = frozenset(("shōnen", "shonen", "shōjo", "shojo", "seinen", "josei", "kodomo", "kodomomuke"))


@dataclass(slots=True)
class CategoryFacts:
    tags: list[str]
    genres: list[str]
    themes: list[str]
    demographics: list[str]
    kind: str | None
    """A hint only (the medium most categories name, when one leads); ``kind_raw`` stays empty for it."""


def _genre_tail(mods: str) -> str | None:
    """The genre words at the end of a category's modifiers ("American action" -> "action")."""
    tokens = mods.split()
    taken: list[str] = []
    i = len(tokens)
    while i > 0:
        for size in (3, 2, 1):
            if i - size < 0:
                continue
            phrase = " ".join(tokens[i - size : i])
            key = phrase.casefold()
            if key in _TAIL_WORDS or key.replace("-", " ") in _TAIL_WORDS or (
                "-" in key and all(part in _TAIL_WORDS for part in key.split("-"))
            ):
                taken.insert(0, phrase)
                i -= size
                break
        else:
            break
    if not taken:
        return None
    genre = " ".join(taken)
    return genre[0].lower() + genre[1:] if genre[:1].isupper() and not genre.isupper() else genre


_TAIL_WORDS = GENRE_WORDS | DEMOGRAPHIC_WORDS


@functools.lru_cache(maxsize=8192)
def _category(cat: str) -> tuple[bool, str | None, str | None, bool, str | None]:
    """One category read once: (maintenance?, theme, medium kind, names a medium?, genre words)."""
    if _MAINTENANCE.search(cat):
        return True, None, None, False, None
    about = _ABOUT.match(cat)
    if about:
        return False, about["theme"].strip() or None, None, False, None
    m = _MEDIUM.match(cat)
    if m is None:
        return False, None, None, False, None
    return False, None, _MEDIUM_KIND.get(m["medium"].lower()), True, _genre_tail(m["mods"]) if m["mods"] else None


def category_facts(categories: list[str], kind: str | None = None) -> CategoryFacts:
    """Tags, genres, themes, demographics and a kind hint from a page's categories.

    With ``kind`` known, only categories of that medium (or of none: "Adventure anime and manga")
    give genres: "Seinen manga" says nothing of an anime series adapted from the manga.

    >>> f = category_facts(["1971 films", "American action films", "Films about Native Americans",
    ...                     "Films shot in Arizona", "Articles needing additional references"])
    >>> f.tags, f.genres, f.themes, f.kind
    (['1971 films', 'American action films', 'Films about Native Americans', 'Films shot in Arizona'], ['action'], ['Native Americans'], 'film')
    >>> category_facts(["Seinen manga", "Adventure anime and manga"], kind="tv").genres
    ['adventure']
    """
    tags: list[str] = []
    genres: list[str] = []
    themes: list[str] = []
    demographics: list[str] = []
    kinds: Counter[str] = Counter()
    for raw in categories:
        cat = clean_text(raw)
        if not cat or cat in tags:
            continue
        maintenance, theme, medium_kind, medium, genre = _category(cat)
        if maintenance:
            continue
        tags.append(cat)
        if theme:
            if theme not in themes:
                themes.append(theme)
            continue
        if not medium:
            continue
        if medium_kind:
            kinds[medium_kind] += 1
        if kind is None or medium_kind in (None, kind):
            if genre and genre.casefold() in DEMOGRAPHIC_WORDS:
                if genre not in demographics:
                    demographics.append(genre)
            elif genre and genre not in genres:
                genres.append(genre)
    ranked = kinds.most_common(2)
    # A hint only when one medium leads: "2017 manga" beside "2020 anime television series debuts" says nothing.
    hint = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    return CategoryFacts(tags, genres, themes, demographics, hint)


_OASIS_CATEGORY_LINKS = etree.XPath(".//li//span[@class='name']/a")
_CATEGORY_LINKS = etree.XPath(".//li/a")


def _categories(page: Page, marks: Marks) -> list[str]:
    """Visible categories: Vector's category box, FandomDesktop's header and footer lists, Oasis'."""
    found: list[str] = []
    links: list[HtmlElement] = []
    for el in marks.cls("page-header__categories"):
        links.extend(el.iter("a"))
    for el in marks.cls("page-footer__categories"):
        links.extend(a for li in el.iter("li") if "category" in (li.get("class") or "").split() for a in li.iter("a"))
    box = marks.id("articleCategories")
    if box is not None:
        links.extend(_OASIS_CATEGORY_LINKS(box))
    box = marks.id("mw-normal-catlinks")
    if box is not None:
        links.extend(_CATEGORY_LINKS(box))
    for a in links:
        href = unquote(a.get("href") or "")
        text = element_text(a)
        if text and text not in found and ("Category:" in href or ":" in href.rsplit("/", 1)[-1]):
            found.append(text)
    if not found:
        listed = _config(page, _CATEGORIES_JS)
        if listed:
            found = [_js_string(c) for c in re.findall(r'"((?:[^"\\]|\\.)*)"', listed)]
    return found


# -- images ---------------------------------------------------------------------------------------

_WIKIMEDIA_THUMB = re.compile(r"^(?P<base>.*//upload\.wikimedia\.org/.+?)/thumb(?P<file>/[0-9a-f]/[0-9a-f]{2}/[^/]+)/[^/]+$")
_FANDOM_SCALED = re.compile(r"(?P<base>/revision/latest)(?:/[^?#]*)?(?P<query>\?[^#]*)?$")


def original_image_url(url: str) -> str:
    """A Wikimedia thumbnail or a Fandom scaled copy -> the file's own URL.

    >>> original_image_url("https://upload.wikimedia.org/wikipedia/en/thumb/4/48/Poster.jpg/220px-Poster.jpg")
    'https://upload.wikimedia.org/wikipedia/en/4/48/Poster.jpg'
    >>> original_image_url("https://static.wikia.nocookie.net/sw/images/8/81/C.jpg/revision/latest/scale-to-width-down/123?cb=1")
    'https://static.wikia.nocookie.net/sw/images/8/81/C.jpg/revision/latest?cb=1'
    """
    m = _WIKIMEDIA_THUMB.match(url)
    if m:
        return m["base"] + m["file"]
    if "wikia.nocookie.net" in url or "/revision/latest" in url:
        return _FANDOM_SCALED.sub(lambda m: m["base"] + (m["query"] or ""), url)
    return url


def _big_enough(img: HtmlElement) -> bool:
    """Icons (portal logos, flags) are not images of the title."""
    width = img.get("width") or ""
    return not (width.isdigit() and int(width) < 60)


def _img_url(page: Page, img: HtmlElement) -> str | None:
    src = img.get("src") or ""
    if not src or src.startswith("data:"):
        src = img.get("data-src") or ""
    if not src or src.startswith("data:"):
        return None
    absolute = page.absolute(src)
    return original_image_url(absolute) if absolute else None


class _Images:
    """Images in page order, one per file; a later caption fills an earlier image's missing one."""

    def __init__(self) -> None:
        self.items: list[Image] = []

    def add(self, url: str | None, caption: str | None) -> None:
        if not url:
            return
        caption = clean_text(caption) or None
        for i, image in enumerate(self.items):
            if image.url == url:
                if image.caption is None and caption:
                    self.items[i] = Image(url=url, caption=caption)
                return
        self.items.append(Image(url=url, caption=caption))


def _galleries(page: Page, marks: Marks, images: _Images) -> None:
    for item in marks.cls("wikia-gallery-item") + marks.cls("gallerybox", "li"):
        img = item.find(".//img")
        if img is None:
            continue
        caption_el = next(_with_class(item, "lightbox-caption", "gallerytext"), None)
        caption = element_text(caption_el) if caption_el is not None else img.get("data-caption")
        images.add(_img_url(page, img), caption)


# -- Wikipedia infobox ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    header: str | None
    kind: str | None
    rows: list[tuple[str, HtmlElement]]


_INFOBOX_CLASSES = ("infobox", "sinottico", "infobox_v2", "infobox_v3", "fiche")
"""Info-box classes: English and most Wikipedias ``infobox``; Italian ``sinottico``; French
``infobox_v2`` / ``infobox_v3`` (a ``div`` around the table)."""


def _is_infobox(el: HtmlElement) -> bool:
    classes = (el.get("class") or "").split()
    return any(c in _INFOBOX_CLASSES for c in classes) and "navbox" not in classes and "infobox-subbox" not in classes


_HEADINGS = ("h2", "h3", "h4", "h5")


def _heading_of(el: HtmlElement) -> tuple[str, int] | None:
    """(text, level) when ``el`` is a section heading (``h2``, or a ``div.mw-heading`` wrapper)."""
    tag = el.tag
    if tag in _HEADINGS:
        headline = next((s for s in el.iterdescendants("span") if s.get("class") == "mw-headline"), None)
        return element_text(headline if headline is not None else el), int(tag[1])
    if tag == "div" and "mw-heading" in (el.get("class") or ""):
        for child in el:
            if child.tag in _HEADINGS:
                return element_text(child), int(child.tag[1])
    return None


def _content_children(content: HtmlElement) -> list[HtmlElement]:
    """The content's top-level blocks in order, descending into plain wrappers and mobile sections."""
    out: list[HtmlElement] = []
    stack = list(reversed([c for c in content if isinstance(c.tag, str)]))
    while stack:
        el = stack.pop()
        if (el.tag == "section" or (el.tag == "div" and not el.get("class") and not el.get("id"))) and (
            _heading_of(el) is None
        ):
            stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
            continue
        out.append(el)
    return out


def _lead_infoboxes(blocks: list[HtmlElement]) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for el in blocks:
        if _heading_of(el) is not None:
            break
        for table in [el] if el.tag == "table" else list(el.iter("table")):
            if any(_is_infobox(a) for a in table.iterancestors("table")):
                continue  # a box nested in a row of another
            if _is_infobox(table) or any(a.tag == "div" and _is_infobox(a) for a in table.iterancestors("div")):
                found.append(table)
    return found


def _rows(table: HtmlElement) -> list[HtmlElement]:
    rows: list[HtmlElement] = []
    for tr in table.iter("tr"):
        owner = next(tr.iterancestors("table"), None)
        if owner is table or (owner is not None and "infobox-subbox" in (owner.get("class") or "")):
            rows.append(tr)
    return rows


class _WikipediaInfobox:
    def __init__(self, page: Page, b: RecordBuilder, reader: LabelReader, images: _Images) -> None:
        self.page = page
        self.b = b
        self.reader = reader
        self.images = images
        self.title: str | None = None

    def read(self, tables: list[HtmlElement], kind_hint: str | None) -> int:
        """Read the infobox tables; returns the number of label rows read into fields."""
        blocks: list[_Block] = [_Block(None, None, [])]
        group: str | None = None
        for table in tables:
            for tr in _rows(table):
                cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
                if not cells:
                    continue
                if len(cells) == 1:
                    group = self._single(cells[0], blocks, group)
                    continue
                label_cell, value_cell = cells[0], cells[-1]
                if label_cell.tag == "td" and "infobox-label" not in (label_cell.get("class") or ""):
                    continue
                label = element_text(label_cell)
                if label:
                    blocks[-1].rows.append((f"{group}\x00{label}" if group else label, value_cell))
        media = [blk for blk in blocks if blk.kind]
        chosen: _Block | None = None
        if media:
            chosen = next((blk for blk in media if blk.kind == kind_hint), media[0])
            self.b.set("kind", chosen.kind)
            self.b.set("kind_raw", chosen.header)
        read = 0
        for blk in blocks:
            for key, value in blk.rows:
                group_name, _, label = key.rpartition("\x00")
                if blk.kind and blk is not chosen:
                    text = "; ".join(line.text for line in lines_of(value))
                    self.b.extra(label, text, blk.header)  # noqa: S610 - RecordBuilder.extra
                    continue
                if self._pair(label, value, group_name or blk.header):
                    read += 1
        return read

    def _single(self, cell: HtmlElement, blocks: list[_Block], group: str | None) -> str | None:
        classes = cell.get("class") or ""
        if "infobox-below" in classes or "navbar" in classes:
            return group
        img = cell.find(".//img")
        if img is not None and "infobox-above" not in classes and _big_enough(img):
            caption_el = next(_with_class(cell, "infobox-caption"), None)
            if caption_el is not None:
                caption = element_text(caption_el)
            else:
                caption = " ".join(line.text for line in lines_of(cell))
            self.images.add(_img_url(self.page, img), caption or None)
            return group
        text = element_text(cell)
        if not text:
            return group
        first_header = cell.tag == "th" and self.title is None and not any(blk.rows for blk in blocks)
        if "infobox-above" in classes or "summary" in classes.split() or (first_header and not kind_of(text)):
            self.title = self.title or text
            return group
        if "infobox-subheader" in classes or (cell.tag == "td" and cell.find(".//*[@lang]") is not None):
            self._subheader(cell)
            return group
        if cell.tag == "td" and group and field_for_label(group):
            # A full-width list under a header that names a field (de "Besetzung": "Actor: Role" lines).
            blocks[-1].rows.append((f"{group}\x00{group}", cell))
            return group
        if cell.tag == "th" or "infobox-header" in classes:
            kind = kind_of(text) if len(text) <= 40 else None
            if kind and normalize_label(text) not in ("japanese name", "japanese title"):
                blocks.append(_Block(text, kind, []))
                return None
            return text
        return group

    def _subheader(self, cell: HtmlElement) -> None:
        """"カウボーイビバップ (Kaubōi Bibappu)": the original name and its romanization."""
        for el in cell.xpath(".//*[@lang]"):
            name = element_text(el)
            lang = language_code(el.get("lang") or "") or script_language(name, default=None)
            if name:
                self.b.add("names", Name(name=name, lang=lang, type="original"))
        text = element_text(cell)
        m = re.search(r"[(（]([^()（）]+)[)）]\s*$", text)
        if m and script_language(m.group(1), default=None) is None:
            self.b.add("names", Name(name=clean_text(m.group(1)), lang="x-jat", type="original"))

    def _pair(self, label: str, value: HtmlElement, group: str | None) -> bool:
        key = normalize_label(label)
        if key in ("media type", "format") and self.b.site == "wikipedia":
            # A book's "Media type" is print / e-book, not the kind of title.
            self.b.extra(label, "; ".join(line.text for line in lines_of(value)), group)  # noqa: S610
            return False
        return self.reader.pair(label, value, group) is not None


# -- Fandom portable infobox ---------------------------------------------------------------------

_FANDOM_KEYS: dict[str, str | None] = {}


def _keys(target: str | None, *keys: str) -> None:
    for key in keys:
        _FANDOM_KEYS[key] = target


_keys("title", "title", "name", "book name", "film name", "game name", "series name", "english title", "english name")
_keys("names", "japanese title", "japanese name", "kanji", "romaji", "original title", "native title", "jname", "jpname")
_keys("credits", "director", "directors", "directed by", "writer", "writers", "written by", "screenplay", "story",
      "author", "authors", "creator", "creators", "created by", "artist", "artists", "illustrator", "cover artist",
      "penciller", "inker", "colorist", "letterer", "editor", "editors", "producer", "producers",
      "executive producer", "executive producers", "composer", "composers", "music", "cinematography",
      "cinematographer", "narrator", "starring", "cast", "voices", "designer", "character design",
      "animation director", "original creator", "mangaka")
_keys("releases", "release", "release date", "released", "releasedate", "release date us", "premiere",
      "premiere date", "air date", "airdate", "first aired", "original air date", "publication date", "published",
      "publish date", "date", "us release", "jp release", "japan release")
_keys("first_release_date", "aired", "run", "original run", "airing", "broadcast run", "serialized")
_keys("runtime_minutes", "runtime", "running time", "length", "duration", "run time")
_keys("episodes", "episodes", "num episodes", "episode count", "no episodes", "number of episodes", "eps")
_keys("volumes", "volumes", "num volumes")
_keys("chapters", "chapters", "num chapters")
_keys("genres", "genre", "genres")
_keys("platforms", "platform", "platforms", "system", "systems", "console", "consoles")
_keys("developers", "developer", "developers")
_keys("publishers", "publisher", "publishers", "imprint")
_keys("studios", "studio", "studios", "production company", "production companies", "production", "animation")
_keys("countries", "country", "countries")
_keys("languages", "language", "languages")
_keys("budget", "budget")
_keys("box_office", "gross", "box office", "boxoffice", "revenue")
_keys("rating", "rating", "esrb", "pegi", "cero", "rated", "age rating")
_keys("kind", "media type", "type", "medium", "format", "media")
_keys("related", "series", "franchise", "preceded by", "followed by", "previous", "next", "prev", "prequel",
      "sequel", "followed", "preceded", "predecessor", "successor")
_keys(None, "network", "channel", "distributor", "distributed by", "pages", "isbn", "timeline", "era", "canon",
      "image", "caption", "engine", "modes", "mode", "season", "episode", "episode number", "season number",
      "production code", "prod code", "viewers", "opening", "ending", "theme song")  # fmt: skip
_TITLE_KEYS = frozenset(("releases", "first_release_date", "credits", "runtime_minutes", "episodes", "kind",
                         "developers", "publishers", "studios", "platforms", "volumes", "chapters"))  # fmt: skip


_KEY_NUMBER = re.compile(r"\s*\d+$")


def _fandom_key(source: str | None) -> str:
    key = (source or "").replace("_", " ").replace("-", " ").casefold()
    return _KEY_NUMBER.sub("", " ".join(key.split()))


@dataclass(slots=True)
class _PiParts:
    title: HtmlElement | None
    """The first ``.pi-title``."""
    figures: list[HtmlElement]
    """``figure.pi-image``."""
    rows: list[HtmlElement]
    """``.pi-data``, ``table.pi-horizontal-group``, ``.pi-smart-group``."""


def _pi_parts(aside: HtmlElement) -> _PiParts:
    """A portable infobox's title, images and data rows (class tokens, as ``_has_class`` reads them)
    in ONE walk of the box, in document order."""
    parts = _PiParts(None, [], [])
    for el in aside.iterdescendants(etree.Element):
        tokens = _class_tokens(el)
        if not tokens:
            continue
        if parts.title is None and "pi-title" in tokens:
            parts.title = el
        if el.tag == "figure" and "pi-image" in tokens:
            parts.figures.append(el)
        if "pi-data" in tokens or "pi-smart-group" in tokens or (el.tag == "table" and "pi-horizontal-group" in tokens):
            parts.rows.append(el)
    return parts


def _pi_row_elements(aside: HtmlElement) -> list[HtmlElement]:
    """``.//*[pi-data] | .//table[pi-horizontal-group] | .//*[pi-smart-group]`` (class tokens)."""
    return _pi_parts(aside).rows


class _PortableInfobox:
    def __init__(self, page: Page, b: RecordBuilder, reader: LabelReader, images: _Images) -> None:
        self.page = page
        self.b = b
        self.reader = reader
        self.images = images
        self.title: str | None = None
        self._headers: dict[HtmlElement, tuple[str | None] | None] = {}

    def rows(self, row_elements: list[HtmlElement]) -> list[tuple[str, str, HtmlElement | list[Line], str | None]]:
        """(data-source key, label, value, group) for every data row, horizontal groups included."""
        out: list[tuple[str, str, HtmlElement | list[Line], str | None]] = []
        for el in row_elements:
            group = self._group(el)
            if "pi-data" in (el.get("class") or "").split():
                label_el = next(_with_class(el, "pi-data-label"), None)
                value_el = next(_with_class(el, "pi-data-value"), None)
                if value_el is None:
                    continue
                label = element_text(label_el) if label_el is not None else ""
                source = el.get("data-source") or ""
                out.append((source, label or source, value_el, group))
                continue
            # horizontal / smart groups: labels and values matched by data-source
            labels = {
                lab.get("data-source"): element_text(lab) for lab in _with_class(el, "pi-data-label", "pi-smart-data-label")
            }
            for value_el in _with_class(el, "pi-data-value", "pi-smart-data-value"):
                if value_el.get("data-source") is None:
                    continue
                source = value_el.get("data-source") or ""
                label = labels.get(source) or source
                out.append((source, label, value_el, group))
        return out

    def _group(self, el: HtmlElement) -> str | None:
        """The header of the ``section.pi-group`` holding a row (an ``h2`` or a horizontal group's caption)."""
        for section in el.iterancestors("section"):
            if section not in self._headers:  # each row of a group asked again: once per section
                header = next(_with_class(section, "pi-header"), None)
                self._headers[section] = (element_text(header) or None,) if header is not None else None
            found = self._headers[section]
            if found is not None:  # the first section with a header names the group, even an empty one
                return found[0]
        return None

    def read(self, asides: list[HtmlElement]) -> tuple[int, int]:
        """Read the portable infoboxes; returns (rows read into fields, person-like rows)."""
        read = 0
        person = 0
        title_like = 0
        for aside in asides:
            parts = _pi_parts(aside)
            title_el = parts.title
            if title_el is not None and self.title is None:
                self.title = " ".join(line.text for line in lines_of(title_el)) or None
            for figure in parts.figures:
                link = figure.find(".//a[@href]")
                img = figure.find(".//img")
                url = None
                if link is not None and re.search(r"\.(?:png|jpe?g|gif|webp|svg)", link.get("href") or "", re.IGNORECASE):
                    url = original_image_url(self.page.absolute(link.get("href")) or "")
                elif img is not None:
                    url = _img_url(self.page, img)
                caption_el = figure.find("figcaption")
                self.images.add(url, element_text(caption_el) if caption_el is not None else None)
            for source, label, value, group in self.rows(parts.rows):
                key = _fandom_key(source)
                if is_person_label(label) or is_person_label(key):
                    person += 1
                if key in _FANDOM_KEYS:
                    target = _FANDOM_KEYS[key]
                else:
                    target = field_for_label(label) or field_for_label(key)
                if target in _TITLE_KEYS:
                    title_like += 1
                if target is None:
                    lines = value if isinstance(value, list) else lines_of(value)
                    self.b.extra(label, "; ".join(line.text for line in lines), group)  # noqa: S610
                    continue
                if self.reader.pair(label, value, group, field_name=target) is not None:
                    read += 1
        return read, (person if person >= 2 and title_like == 0 else 0)


# -- sections -------------------------------------------------------------------------------------

_PARAGRAPH_TAGS = frozenset(("p", "ul", "ol", "dl", "blockquote"))


def _block_paragraphs(el: HtmlElement) -> list[str]:
    if el.tag in ("ul", "ol"):
        return [element_text(li, running_text=True) for li in el if li.tag == "li"]
    if el.tag == "dl":
        return [element_text(child, running_text=True) for child in el if child.tag in ("dt", "dd")]
    if el.tag == "div" and "poem" in (el.get("class") or ""):
        return [element_text(el, running_text=True)]
    return [element_text(el, running_text=True)]


def _is_text_block(el: HtmlElement) -> bool:
    """Paragraphs, lists and plain or poem ``div``s; not thumbnails, navboxes, tables or hidden parts."""
    return (el.tag in _PARAGRAPH_TAGS or el.tag == "div") and not is_skipped(el, running_text=True)


@dataclass(slots=True)
class _Section:
    heading: str
    level: int
    blocks: list[HtmlElement]


def _split_sections(children: list[HtmlElement]) -> tuple[list[HtmlElement], list[_Section]]:
    lead: list[HtmlElement] = []
    sections: list[_Section] = []
    for el in children:
        heading = _heading_of(el)
        if heading is not None:
            sections.append(_Section(heading[0], heading[1], []))
        elif sections:
            sections[-1].blocks.append(el)
        else:
            lead.append(el)
    return lead, sections


def _read_sections(page: Page, b: RecordBuilder, reader: LabelReader, children: list[HtmlElement]) -> None:
    lead_blocks, sections = _split_sections(children)
    lead = [t for el in lead_blocks if el.tag == "p" and _is_text_block(el) for t in _block_paragraphs(el) if t]
    plot: list[Section] = []
    plot_level = 0
    for section in sections:
        in_plot = is_plot_heading(section.heading) or (plot_level and section.level > plot_level)
        if in_plot:
            if is_plot_heading(section.heading) and not plot_level:
                plot_level = section.level
            texts = [t for el in section.blocks if _is_text_block(el) for t in _block_paragraphs(el) if t]
            if texts:
                plot.append(Section(heading=section.heading, text=join_paragraphs(texts)))
            continue
        plot_level = 0
        key = normalize_label(section.heading)
        if field_for_label(section.heading) == "characters":
            with b.field("characters"):
                _cast(reader, section)
        elif key == "appearances":
            with b.field("characters"):
                _appearances(page, reader, section)
    if lead:
        b.add("synopsis_sections", Section(heading=None, text=join_paragraphs(lead)))
    b.add("synopsis_sections", *plot)
    if plot:
        b.set("synopsis", join_paragraphs([s.text for s in plot]))
    elif lead:
        b.set("synopsis", join_paragraphs(lead))


_VOICED_PREFIX = re.compile(r"^(?:voiced by|portrayed by|played by|voice|cv)\s*:?\s*", re.IGNORECASE)


def _cast(reader: LabelReader, section: _Section) -> None:
    actors_only = actors_first(section.heading)
    for el in section.blocks:
        if el.tag in ("ul", "ol"):
            for li in el.iter("li"):
                for line in lines_of(li, running_text=True)[:1]:
                    reader.cast_line(line, actors_only=actors_only)
        elif el.tag == "dl":
            # <dt>Character (native name)</dt><dd>Voiced by: A (Japanese); B (English)</dd><dd>description</dd>
            pending: Line | None = None
            for child in [*el, None]:
                if child is None or child.tag == "dt":
                    if pending is not None:
                        reader.cast_line(pending, actors_only=False)
                    lines = lines_of(child, running_text=True) if child is not None else []
                    pending = lines[0] if lines else None
                elif child.tag == "dd" and pending is not None:
                    text = element_text(child, running_text=True)
                    if _VOICED_PREFIX.match(text):
                        links = [lk for line in lines_of(child) for lk in line.links]
                        voiced = Line(text=f"{pending.text} (voiced by {_VOICED_PREFIX.sub('', text)})",
                                      links=pending.links + links)  # fmt: skip
                        reader.cast_line(voiced, actors_only=False)
                        pending = None


def _appearances(page: Page, reader: LabelReader, section: _Section) -> None:
    """Wookieepedia's Appearances template: the list after ``#app_characters``."""
    for block in section.blocks:
        # ``.//*[@id='app_characters']`` without the XPath, which tests every element of the block
        # (1,600 on Wookieepedia: 0.5 ms) where a walk stops at the first match, near the top.
        start = next((el for el in block.iterdescendants(etree.Element) if el.get("id") == "app_characters"), None)
        if start is None:
            continue
        for sibling in start.itersiblings():
            if sibling.tag == "p" and (sibling.get("id") or "").startswith("app_"):
                break
            for li in sibling.iter("li"):
                lines = lines_of(li, running_text=True)
                if not lines:
                    continue
                line = lines[0]
                if line.links and line.text.startswith(line.links[0][0]):
                    name, href = line.links[0]
                else:
                    name, href = line.text.split(" (", 1)[0].strip(), ""
                if name:
                    reader.b.add("characters", Character(character=name, character_url=page.absolute(href)))
        return


# -- versions -------------------------------------------------------------------------------------

_TIME = r"(?P<time>\d{1,2}:\d{2})(?:\s*(?P<ampm>[ap])\.?m\.?)?"
_LASTMOD = (
    re.compile(rf"(?:on|am|le|el|il)\s+(?P<date>.+?),?\s+(?:at|um|à|a las|alle)\s+{_TIME}", re.IGNORECASE),
    re.compile(rf"(?P<date>\d{{4}}年\d{{1,2}}月\d{{1,2}}日).*?{_TIME}", re.IGNORECASE),
    re.compile(rf"(?P<date>\d{{1,2}}\.? \w+ \d{{4}}|\w+ \d{{1,2}}, \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}).*?{_TIME}", re.IGNORECASE),
)


def last_edited(text: str, lang: str | None = None) -> str | None:
    """The footer's last-edit time as ISO ``YYYY-MM-DDTHH:MM``; None when it cannot be read.

    >>> last_edited("This page was last modified on 7 April 2014 at 02:11.")
    '2014-04-07T02:11'
    >>> last_edited("This page was last edited on 2 April 2024, at 13:18 (UTC).")
    '2024-04-02T13:18'
    >>> last_edited("Diese Seite wurde zuletzt am 3. Mai 2024 um 09:05 Uhr bearbeitet.", "de")
    '2024-05-03T09:05'
    """
    for pattern in _LASTMOD:
        m = pattern.search(text)
        if m is None:
            continue
        date = parse_date(m["date"], languages=(lang,) if lang and lang != "en" else None)
        if date is not None and date.precision == "day":
            hour, minute = (int(part) for part in m["time"].split(":"))
            if m["ampm"]:
                hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
            if hour > 23 or minute > 59:
                return None
            return f"{date.iso}T{hour:02d}:{minute:02d}"
    return None


# -- the family -----------------------------------------------------------------------------------


def _lang_values(page: Page, marks: Marks) -> Iterator[str | None]:
    """The content's ``lang``, the parser output's, the document's: each asked only when needed."""
    text = marks.id("mw-content-text")
    if text is not None:
        yield text.get("lang")
    for el in marks.cls("mw-parser-output")[:1]:
        yield el.get("lang")
    yield page.string("/html/@lang")


def _lang(page: Page, fandom: bool, marks: Marks) -> str:
    for value in _lang_values(page, marks):
        code = language_code(value.split("-")[0]) if value else None
        if code:
            return code
    host = page.host
    if not fandom and host.endswith("wikipedia.org"):
        return language_code(host.split(".")[0]) or "en"
    return "en"


def _content(marks: Marks) -> HtmlElement | None:
    text = marks.id("mw-content-text")
    outputs = marks.cls("mw-parser-output", "div")
    if text is not None:
        inner = next((el for el in outputs if any(a is text for a in el.iterancestors())), None)
        return inner if inner is not None else text
    if outputs:
        return outputs[0]
    return marks.id("bodyContent")


def _title_candidates(marks: Marks) -> Iterator[HtmlElement | None]:
    """``h1#firstHeading``, Fandom's ``h1.page-header__title``, any ``h1.firstHeading``, Wikia's
    2012-2016 ``<header id="WikiaPageHeader"><h1>``: each looked for only when the ones before fail."""
    yield marks.id("firstHeading")
    yield from marks.cls("page-header__title", "h1")
    yield from marks.cls("firstHeading", "h1")
    old_wikia = marks.id("WikiaPageHeader")
    if old_wikia is not None:
        yield old_wikia.find(".//h1")


def _title(marks: Marks) -> str | None:
    for el in _title_candidates(marks):
        if el is not None and el.tag == "h1":
            text = element_text(el)
            if text:
                return text
    return None


_PERSON_CATEGORY = re.compile(r"\d{1,4}s?(?: BC)? (?:births|deaths)|Living people|People from .+")


def _not_title_reason(
    page: Page, marks: Marks, title: str | None, page_id: str | None, categories: list[str]
) -> str | None:
    namespace = _config(page, _NAMESPACE)
    if namespace not in (None, "0"):
        return f"not an article (namespace {namespace})"
    pid = unquote(page_id or "").replace("_", " ").casefold()
    local = pid.split(":", 1)[1] if pid and ":" in pid and page.host.endswith(_FANDOM_HOSTS) else pid
    if local.startswith(_NAMESPACES) or (page_id is None and (title or "").casefold().startswith(_NAMESPACES)):
        return "not an article (namespace page)"
    lowered = (title or "").casefold()
    if lowered.startswith(("list of ", "lists of ")) or any(c.casefold().startswith("lists of ") for c in categories):
        return "list page"
    if (
        lowered.endswith("(disambiguation)")
        or marks.id("disambigbox") is not None
        or marks.id("disambig") is not None
        or marks.cls("dmbox-disambig")
        or any("disambiguation" in c.casefold() for c in categories)
    ):
        return "disambiguation page"
    if any(_PERSON_CATEGORY.fullmatch(c) for c in categories):
        return "person page"
    return None


def sniff(page: Page) -> bool:
    """MediaWiki markup: the generator meta, ``body.mediawiki``, ``#mw-content-text`` or a portable infobox."""
    if page.first(
        f"/html/head/meta[@name='generator'][starts-with(@content, 'MediaWiki')] | /html/body[{_has_class('mediawiki')}]"
    ) is not None:
        return True
    if not page.contains("mw-content-text") and not page.contains("portable-infobox"):
        return False  # a substring test: the query below walks the whole tree
    return page.first(f"descendant::*[@id='mw-content-text' or self::aside[{_has_class('portable-infobox')}]]") is not None


def site_from_page(page: Page) -> str | None:
    if _is_fandom(page):
        return "fandom"
    og_site = (page.string("/html/head/meta[@property='og:site_name']/@content") or "").casefold()
    title = (page.string("/html/head/title/text()") or "").casefold()
    if "wikipedia" in og_site or title.endswith("wikipedia") or "wikipedia, the free encyclopedia" in title:
        return "wikipedia"
    host = page.host
    return host.removeprefix("www.") if host else None


def extract(page: Page, b: RecordBuilder) -> str | None:
    """Fill the builder from a Wikipedia or Fandom page."""
    marks = Marks(page)
    fandom = b.site == "fandom" or _is_fandom(page)
    lang = _lang(page, fandom, marks)
    reader = LabelReader(page, b, lang=lang)
    page_id = page_id_of(page, fandom)
    with b.field("canonical_url"):
        canonical = page.string("/html/head/link[@rel='canonical']/@href") or page.string(
            "descendant::link[@rel='canonical']/@href"
        )
        b.set("canonical_url", page.absolute(canonical))
    with b.field("revision_id"):
        b.set("revision_id", _config(page, _REVISION) or _config(page, _REVISION_ANY))
    with b.field("last_edited_at"):
        footer = marks.id("footer-info-lastmod")
        if footer is not None:
            text = element_text(footer)
            when = last_edited(text, lang)
            if when is None:
                b.unparsed("last_edited_at", text, "a last-edit time")
            b.set("last_edited_at", when)
    heading = _title(marks)
    title = strip_qualifier(heading) if heading else None
    b.set("title", title)
    categories: list[str] = []
    facts = category_facts([])
    with b.field("tags"):
        categories = _categories(page, marks)
        facts = category_facts(categories)
        b.add("tags", *facts.tags)
    reason = _not_title_reason(page, marks, heading, page_id, categories)
    if reason is not None:
        b.not_title(reason)
        return page_id
    if title:
        b.add("names", Name(name=title, lang=lang, type="main"))
    content = _content(marks)
    images = _Images()
    children = _content_children(content) if content is not None else []
    kind_hint = (_qualifier_kind(heading) if heading else None) or facts.kind
    infobox_title: str | None = None
    with b.field("infobox"):
        asides = marks.cls("portable-infobox", "aside")
        if asides:
            portable = _PortableInfobox(page, b, reader, images)
            _read, person = portable.read(asides)
            infobox_title = portable.title
            if person:
                b.not_title("character page (its infobox describes a person or character)")
        tables = _lead_infoboxes(children)
        if any("biography" in (t.get("class") or "").split() for t in tables[:1]):
            b.not_title("person page (biography infobox)")
        elif tables:
            box = _WikipediaInfobox(page, b, reader, images)
            box.read(tables, kind_hint)
            infobox_title = infobox_title or box.title
    if b.not_title_reason is not None:
        return page_id
    if not title and infobox_title:
        b.set("title", infobox_title)
    with b.field("synopsis"):
        _read_sections(page, b, reader, children)
    with b.field("deck"):
        for short in marks.cls("shortdescription")[:1]:
            b.set("deck", element_text(short))
    with b.field("images"):
        _galleries(page, marks, images)
        b.add("images", *images.items)
    with b.field("names"):
        _interlanguage(marks, b)
    with b.field("genres"):
        if b.get("kind") is None and kind_hint is not None:
            b.set("kind", kind_hint)  # the title's qualifier ("(TV series)") or its categories
        facts = category_facts(categories, b.get("kind"))
        shown = {g.casefold() for g in b.get("genres")}
        b.add("genres", *(g for g in facts.genres if g.casefold() not in shown))
        b.add("themes", *facts.themes)
        shown = {d.casefold() for d in b.get("demographics")}
        b.add("demographics", *(d for d in facts.demographics if d.casefold() not in shown))
    return page_id


def _add_name(b: RecordBuilder, name: Name) -> None:
    """A name once per (name, language): an interlanguage title equal to the original is not repeated."""
    if not any(n.name == name.name and n.lang == name.lang for n in b.get("names")):
        b.add("names", name)


def _interlanguage(marks: Marks, b: RecordBuilder) -> None:
    for a in (a for li in marks.cls("interlanguage-link", "li") for a in li if a.tag == "a"):
        title_attr = a.get("data-title") or (a.get("title") or "").rsplit(" – ", 1)[0]
        code = a.get("lang") or a.get("hreflang")
        if not code:
            li = a.getparent()
            m = re.search(r"interwiki-(\S+)", li.get("class") or "") if li is not None else None
            code = m.group(1) if m else None
        name = clean_text(title_attr)
        if name:
            lang = language_code(code) if code else None
            _add_name(b, Name(name=strip_qualifier(name), lang=lang, type="translated"))
    for a in marks.lang_links:
        href = a.get("href") or ""
        m = re.search(r"/wiki/([^?#]+)", href)
        if not m:
            continue
        code = (a.get("data-tracking-label") or "")[5:]
        name = unquote(m.group(1)).replace("_", " ")
        _add_name(b, Name(name=name, lang=language_code(code) if code else None, type="translated"))


FAMILY = Family(
    name="mediawiki",
    version=VERSION,
    sites=SITES,
    extract=extract,
    sniff=sniff,
    site_from_page=site_from_page,
    default_site="mediawiki",
    required=("title",),
    expected=("title", "kind", "synopsis", "credits", "releases", "revision_id"),
)

__all__ = ["FAMILY", "category_facts", "last_edited", "original_image_url", "strip_qualifier"]
