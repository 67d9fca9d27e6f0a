"""The generic, label-driven fallback: a record from any wiki-like title page.

It takes over for hosts no family knows and where a family extractor finds too little (see
``extractors.registry``). It reads, in this order:

1. JSON-LD (``script[type=application/ld+json]``) and ``itemprop`` microdata of a creative work
   (Movie, TVSeries, VideoGame, Book, CreativeWork ...): name, datePublished, duration,
   director, genre, aggregateRating ...
2. The main heading (``h1``, preferably inside the main content) when no structured name exists;
   ``og:title`` and ``<title>`` only as a last resort.
3. Info blocks: tables of label / value rows (``th``/``td`` or two ``td``), ``dt``/``dd`` pairs,
   and "Label: value" lines, each accepted when at least two of its labels are known to the shared
   vocabulary (``normalize.labels``); every other label of an accepted block lands in ``extra``.
4. Headed sections (``h2``-``h4``): plot-like headings ("Plot", "Synopsis", "Handlung", "あらすじ")
   give ``synopsis`` and ``synopsis_sections`` (with the lead paragraphs, heading None); cast-like
   headings ("Cast", "Characters") give ``characters``.

A page that shows neither an info block, nor creative-work metadata, nor a plot-like section is
``not_title`` (a blog post, a home page, a search page): the fallback never invents a title record.
Info blocks made of person labels (Born, Height, 血液型 ...) make a ``not_title`` person page.

Documented choices:

- ``site`` is the host without ``www.``; ``page_id`` the URL's path (and query), so the record id is
  stable across redesigns. When the fallback stands in for a family (see ``extractors.registry``)
  the family's site and page id are kept, ``extractor`` is ``generic`` and an error of kind
  ``fallback`` says so (beside the family's ``layout`` error).
- Visible info blocks are read before metadata; JSON-LD / microdata then fill what is still empty,
  and the same credit or release stated twice is kept once.
- A label whose one-value field is already filled (a second rating system, a second runtime)
  goes to ``extra`` with its label instead of being dropped.
- Release lines: "(Japan)" is a region only when it names a country or release region; anything
  else ("TIFF", "limited") stays a note. A dateless line heading dated lines ("Windows") is their
  note.
- Names: kana, hangul, cyrillic ... give the language; a label naming a language ("English:")
  gives it; Latin script takes the page's language, except an original title, whose language the
  label does not tell (None).
- The title drops a trailing year or disambiguation qualifier ("Lantern City (1996)").

The module also holds what every label-driven extractor shares: ``lines_of`` (an element's text
as lines, footnotes and hidden parts left out, each line with its links) and ``LabelReader``
(label / value pairs into record fields through ``normalize.labels``). ``extractors.mediawiki``
reads its infobox rows with them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from normalize.counts import parse_int, parse_score
from normalize.dates import PartialDate, parse_date, parse_date_range, parse_season, split_date_note
from normalize.kinds import parse_kind
from normalize.labels import credit_roles, field_for_label, is_person_label, normalize_label
from normalize.language import language_code, script_language
from normalize.money import parse_money
from normalize.runtime import parse_runtime, parse_runtimes
from normalize.text import clean_text, join_paragraphs, strip_footnotes

from .records import Character, Credit, Image, Money, Name, Related, Release, Section
from .registry import Family

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)

VERSION = "1"

# ---------------------------------------------------------------------------------------------
# An element's text as lines

BLOCK_TAGS = frozenset(
    (
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "tbody", "thead", "tfoot",
        "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "aside", "header", "footer",
        "nav", "blockquote", "figure", "figcaption", "pre", "hr", "center", "main", "address", "form",
        "fieldset",
    )
)
"""Elements that end a line of text."""

_ALWAYS_SKIPPED = frozenset(
    (
        "script", "style", "noscript", "template", "link", "meta", "head", "svg", "button", "input", "select",
        "option", "textarea", "iframe", "object", "embed", "canvas", "audio", "video", "map", "area",
    )
)
_SKIP_CLASSES = frozenset(
    (
        "reference", "mw-editsection", "noprint", "mw-cite-backlink", "sortkey", "mw-empty-elt",
        "Template-Fact", "Inline-Template", "printonly", "reflist", "mw-references-wrap",
    )
)
SECTION_SKIP_TAGS = frozenset({"table", "aside", "figure", "img", "gallery"})
"""Left out of running text (paragraphs, sections) but read in info boxes."""
_SECTION_SKIP_CLASSES = frozenset(
    (
        "thumb", "infobox", "portable-infobox", "navbox", "hatnote", "dablink", "gallery", "wikia-gallery",
        "toc", "metadata", "ambox", "shortdescription", "mw-kartographer-maplink",
    )
)
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_SMALL_TAGS = frozenset({"small", "sub", "sup"})


@dataclass(slots=True)
class Line:
    """One line of an element's text with the links in it, ``small`` when all of it is small print."""

    text: str
    links: list[tuple[str, str]] = field(default_factory=list)
    """(link text, href) in line order."""
    small: bool = False

    def href_for(self, text: str) -> str | None:
        """The href of the link whose text is ``text`` (case- and space-insensitive)."""
        want = text.casefold()
        for link_text, href in self.links:
            if link_text.casefold() == want:
                return href
        return None


def _classes(node: HtmlElement) -> set[str]:
    value = node.get("class")
    return set(value.split()) if value else set()


def is_skipped(node: HtmlElement, *, running_text: bool = False) -> bool:
    """Whether a node's text is left out: scripts, footnote markers, edit links, hidden parts."""
    tag = node.tag
    if not isinstance(tag, str) or tag in _ALWAYS_SKIPPED:
        return True
    value = node.get("class")
    names = value.split() if value else ()  # no set built for the many nodes without a class
    if names and not _SKIP_CLASSES.isdisjoint(names):
        return True
    style = node.get("style")
    if style and _HIDDEN.search(style):
        return True
    return running_text and (tag in SECTION_SKIP_TAGS or (bool(names) and not _SECTION_SKIP_CLASSES.isdisjoint(names)))


def lines_of(element: HtmlElement | None, *, running_text: bool = False) -> list[Line]:
    """The text of an element as lines: block elements and ``<br>`` end a line.

    Footnote markers (``sup.reference``, "[1]"), edit links, hidden (``display:none``) parts and
    scripts are left out; with ``running_text`` tables, asides and figures are left out too.
    Iterative, so deeply nested markup cannot exhaust the stack.
    """
    out: list[Line] = []
    if element is None:
        return out
    if len(element) == 0:  # a leaf (most info-box labels and values): no walk needed
        raw = element.text or ""
        text = clean_text(strip_footnotes(raw) if "[" in raw else raw)
        if text:
            out.append(Line(text=text, small=element.tag in ("small", "sub", "sup")))
        return out
    parts: list[str] = []
    size = 0  # len("".join(parts)), kept as parts grow
    small_flags: list[bool] = []
    links: list[tuple[str, str]] = []
    open_links: list[tuple[int, str | None]] = []
    small_depth = 0
    # The element whose subtree is being skipped: its next event is its own "end". Held by
    # reference, never by id(): lxml proxies are recreated, and a freed proxy's id is reused.
    skipping: HtmlElement | None = None

    def flush() -> None:
        nonlocal parts, small_flags, links, size
        raw = "".join(parts)
        text = clean_text(strip_footnotes(raw) if "[" in raw else raw)
        if text:
            small = False
            if any(small_flags):
                total = sum(len(p.strip()) for p in parts)
                small_size = sum(len(p.strip()) for p, s in zip(parts, small_flags, strict=True) if s)
                small = total > 0 and small_size == total
            out.append(Line(text=text, links=links, small=small))
        parts, small_flags, links, size = [], [], [], 0
        for i, (_start, href) in enumerate(open_links):
            open_links[i] = (0, href)

    # ``is_skipped`` and the adding of a text are written out in the loop: it runs once per start
    # and end of every node of every cell, and function calls were most of its cost.
    always_skipped, skip_classes, section_classes, hidden = _ALWAYS_SKIPPED, _SKIP_CLASSES, _SECTION_SKIP_CLASSES, _HIDDEN
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if event == "start":
            if node is not element:
                if not isinstance(tag, str) or tag in always_skipped:
                    skipped = True
                else:
                    value = node.get("class")
                    names = value.split() if value else ()
                    if names and not skip_classes.isdisjoint(names):
                        skipped = True
                    else:
                        style = node.get("style")
                        if style and hidden.search(style):
                            skipped = True
                        else:
                            skipped = running_text and (
                                tag in SECTION_SKIP_TAGS or (bool(names) and not section_classes.isdisjoint(names))
                            )
                if skipped:
                    skipping = node
                    walker.skip_subtree()
                    continue
            if tag in BLOCK_TAGS or tag == "br":
                flush()
            if tag in _SMALL_TAGS:
                small_depth += 1
            elif tag == "a":
                open_links.append((size, node.get("href")))
            text = node.text
            if text:
                parts.append(text)
                size += len(text)
                small_flags.append(small_depth > 0)
            continue
        # end
        if skipping is not None and node is skipping:
            skipping = None
        else:
            if tag in _SMALL_TAGS:
                small_depth -= 1
            elif tag == "a" and open_links:
                start, href = open_links.pop()
                link_text = clean_text(strip_footnotes("".join(parts)[start:]))
                if link_text and href:
                    links.append((link_text, href))
            if tag in BLOCK_TAGS:
                flush()
        if node is not element:
            text = node.tail
            if text:
                parts.append(text)
                size += len(text)
                small_flags.append(small_depth > 0)
    flush()
    return out


def text_lines(element: HtmlElement | None, *, running_text: bool = False) -> list[str]:
    return [line.text for line in lines_of(element, running_text=running_text)]


def element_text(element: HtmlElement | None, *, running_text: bool = False) -> str:
    """An element's text on one line (lines joined by a space)."""
    return " ".join(text_lines(element, running_text=running_text))


# ---------------------------------------------------------------------------------------------
# Small text helpers shared by the label-driven extractors

_LIST_SPLIT = re.compile(r"\s*(?:[,;，；、]|\s/\s|\s·\s|\s•\s)\s*")
_COMPANY_TAIL = re.compile(r"^(?:inc\.?|ltd\.?|llc|co\.?|corp\.?|gmbh|s\.a\.?|jr\.?|sr\.?|co\., ltd\.?)$", re.IGNORECASE)
_PAREN_TAIL = re.compile(r"\s*[(（]([^()（）]*)[)）]\s*$")
_QUOTES = "\"'“”‘’«»「」『』"


def split_list(text: str) -> list[str]:
    """Split "A, B; C / D" into items, brackets kept whole, "Inc." and "Jr." kept with their name.

    >>> split_list("Mundell Lowe, Dennis Lambert, Brian Potter")
    ['Mundell Lowe', 'Dennis Lambert', 'Brian Potter']
    >>> split_list("Sunrise, Inc.; Bandai (Japan, 1998)")
    ['Sunrise, Inc.', 'Bandai (Japan, 1998)']
    """
    items: list[str] = []
    pieces: list[str] = []
    start = 0
    # Separators inside brackets do not split: protect them first.
    protected = re.sub(
        r"[(（\[【][^)）\]】]*[)）\]】]",
        lambda m: m.group(0).translate({ord(","): "\x00", ord(";"): "\x01", ord("、"): "\x02", ord("/"): "\x03"}),
        text,
    )
    for m in _LIST_SPLIT.finditer(protected):
        pieces.append(protected[start : m.start()])
        start = m.end()
    pieces.append(protected[start:])
    for piece in pieces:
        piece = piece.translate({0: ",", 1: ";", 2: "、", 3: "/"}).strip()
        if not piece:
            continue
        if items and _COMPANY_TAIL.match(piece):
            items[-1] = f"{items[-1]}, {piece}"
            continue
        items.append(piece)
    return items


def split_note(text: str) -> tuple[str, str | None]:
    """Split a trailing bracketed note: ``("Tom Laughlin", "as T.C. Frank")``.

    >>> split_note("Hideo Azuma (uncredited)"), split_note("Akira")
    (('Hideo Azuma', 'uncredited'), ('Akira', None))
    """
    m = _PAREN_TAIL.search(text)
    if m is None or m.start() == 0:
        return text.strip(), None
    return text[: m.start()].strip(), clean_text(m.group(1)) or None


_REGIONS = frozenset(
    r.casefold()
    for r in (
        # codes used in release lines
        "US", "USA", "UK", "GB", "JP", "JPN", "NA", "EU", "PAL", "AU", "AUS", "NZ", "WW", "INT", "KR", "CN", "TW",
        "HK", "DE", "FR", "IT", "ES", "CA", "BR", "MX", "IN", "RU", "SE", "NL", "AS", "Asia", "Europe",
        "North America", "South America", "Latin America", "Oceania", "Worldwide", "International",
        # countries (English)
        "United States", "United States of America", "America", "United Kingdom", "Britain", "Great Britain",
        "England", "Scotland", "Ireland", "Japan", "South Korea", "Korea", "North Korea", "China", "Taiwan",
        "Hong Kong", "Macau", "Singapore", "Malaysia", "Philippines", "Thailand", "Vietnam", "Indonesia", "India",
        "Pakistan", "Australia", "New Zealand", "Canada", "Mexico", "Brazil", "Argentina", "Chile", "Colombia",
        "Peru", "Germany", "West Germany", "East Germany", "Austria", "Switzerland", "France", "Belgium",
        "Netherlands", "Luxembourg", "Italy", "Spain", "Portugal", "Greece", "Turkey", "Poland", "Czech Republic",
        "Czechia", "Slovakia", "Hungary", "Romania", "Bulgaria", "Serbia", "Croatia", "Slovenia", "Russia",
        "Soviet Union", "Ukraine", "Sweden", "Norway", "Denmark", "Finland", "Iceland", "Estonia", "Latvia",
        "Lithuania", "Israel", "Iran", "Egypt", "South Africa", "Nigeria", "Kenya", "Morocco", "Saudi Arabia",
        "United Arab Emirates", "Qatar",
        # countries in the languages of the label vocabulary
        "日本", "アメリカ", "アメリカ合衆国", "米国", "イギリス", "英国", "韓国", "中国", "台湾", "香港", "ドイツ", "フランス",
        "Deutschland", "Österreich", "Schweiz", "Vereinigte Staaten", "Frankreich", "Japon", "États-Unis",
        "Allemagne", "Japón", "Estados Unidos", "Alemania", "Francia", "Giappone", "Stati Uniti", "Germania",
    )
)  # fmt: skip


def region_or_note(note: str | None) -> tuple[str | None, str | None]:
    """A release line's bracketed note as (region, note): a country or release region ("US",
    "Japan", "PAL") is a region; anything else ("premiere", "TIFF", "limited") stays a note.

    >>> region_or_note("United States"), region_or_note("TIFF"), region_or_note("US; premiere")
    (('United States', None), (None, 'TIFF'), ('US', 'premiere'))
    >>> region_or_note("US, VHS")
    ('US', 'VHS')
    """
    if not note:
        return None, None
    regions: list[str] = []
    notes: list[str] = []
    for part in (p.strip() for p in re.split(r"[;,]", note)):
        if part:
            (regions if part.casefold() in _REGIONS else notes).append(part)
    return ("; ".join(regions) or None), ("; ".join(notes) or None)


def kind_of(text: str | None) -> str | None:
    """``parse_kind`` of a type string, or of its head noun ("Young adult novel" -> ``novel``).

    >>> kind_of("Young adult novel"), kind_of("Anime television series"), kind_of("Hardcover")
    ('novel', 'tv', None)
    >>> kind_of("Novel series"), kind_of("Video game series")
    ('novel', 'game')
    """
    if not text:
        return None
    found = parse_kind(text)
    if found is not None:
        return found
    words = clean_text(re.sub(r"[(\[].*?[)\]]", " ", text)).split()
    if len(words) > 1 and words[-1].casefold() in ("series", "serie", "franchise"):
        # "Novel series", "Manga series": the noun before "series" tells the kind.
        for size in (2, 1):
            if len(words) > size:
                found = parse_kind(" ".join(words[:size]))
                if found is not None:
                    return found
    for size in (3, 2, 1):
        if len(words) > size:
            found = parse_kind(" ".join(words[-size:]))
            if found is not None:
                return found
    return None


def character_name(text: str) -> str:
    """A cast entry's character without its description or bracketed native name.

    >>> character_name("Nora Hale, the lighthouse keeper"), character_name("Mio Arata (荒田 澪, Arata Mio)")
    ('Nora Hale', 'Mio Arata')
    """
    text = text.strip().rstrip("(（[,:;–— ").strip()
    return _CHARACTER_TAIL.sub("", text).strip() or text


QUALIFIER = re.compile(
    r"\s*[(（](?:[^()（）]*?(?:\b\d{4}\b|\b(?:film|movie|series|tv|television|anime|manga|video ?game|game|novel|"
    r"book|comics?|miniseries|soundtrack|album|franchise|ova|play|musical|short|novella|light novel|visual novel|"
    r"película|filme|série|serie|fernsehserie|spiel|videospiel|jeu vidéo|roman|romanzo|novela|téléfilm)\b|"
    r"映画|アニメ|漫画|小説|ゲーム|ドラマ)[^()（）]*)[)）]\s*$",
    re.IGNORECASE,
)


def strip_qualifier(title: str) -> str:
    """A title without its disambiguation qualifier or year: "Akira (1988 film)" -> "Akira".

    >>> strip_qualifier("Akira (1988 film)"), strip_qualifier("AKIRA (映画)"), strip_qualifier("Mother (band)")
    ('Akira', 'AKIRA', 'Mother (band)')
    """
    stripped = QUALIFIER.sub("", title).strip()
    return stripped or title


_PLOT_HEADINGS = frozenset(("story", "the story", "storyline", "plot overview", "premise and plot", "内容", "ストーリー"))
_ACTOR_FIRST = frozenset(
    (
        "cast", "main cast", "voice cast", "cast and characters", "starring", "besetzung", "darsteller", "reparto",
        "interpreti", "interpreti e personaggi", "distribution", "acteurs", "キャスト", "出演", "出演者", "声の出演",
    )
)  # fmt: skip


def is_plot_heading(heading: str) -> bool:
    """Whether a section heading heads the plot / synopsis ("Plot", "Story", "Handlung", "あらすじ")."""
    return field_for_label(heading) == "synopsis" or normalize_label(heading) in _PLOT_HEADINGS


def actors_first(heading: str) -> bool:
    """Whether a cast list under this heading or label names the actor first ("Cast", "Besetzung")."""
    return normalize_label(heading) in _ACTOR_FIRST


def unquote_title(text: str) -> str:
    return text.strip().strip(_QUOTES).strip()


# ---------------------------------------------------------------------------------------------
# Label / value pairs -> record fields

_LABEL_LINE = re.compile(r"^(?P<label>[^:：|]{1,40}?)\s*[:：]\s*(?P<value>\S.*)$")
_REGION_PREFIX = re.compile(r"^(?P<region>[A-Z]{2,3}|[A-Z][\w.]+(?: [A-Z][\w.]+){0,3})\s*[:：]\s*(?P<rest>.+)$")
_AS = re.compile(r"^(?P<actor>.+?)\s+(?:as|als|comme|como|come)\s+(?P<character>.+)$")
_VOICED = re.compile(
    r"[(\[,:;–—-]?\s*\b(?:voiced by|voice actor|voice actress|voices? of|portrayed by|played by|performed by|cv|"
    r"seiyū|seiyuu|sprecher|doublé par|doblado por|doppiato da)\b\s*[:：]?\s*|[(（]\s*(?:声|CV)\s*[:：]\s*",
    re.IGNORECASE,
)
_CHARACTER_TAIL = re.compile(r"\s*(?:,|:|\s[–—-]\s|\s\().*$")

LIST_FIELDS = frozenset(
    (
        "genres", "themes", "tags", "demographics", "studios", "producers", "licensors", "publishers",
        "developers", "platforms", "countries", "languages",
    )
)
_RATING_SYSTEMS = frozenset(
    ("esrb", "pegi", "cero", "usk", "fsk", "acb", "bbfc", "mpaa", "mpa", "grac", "classind", "oflc", "eirin", "映倫")
)
SCALAR_FIELDS = frozenset(
    (
        "title", "kind", "rating", "score", "budget", "box_office", "runtime_minutes", "episodes", "volumes",
        "chapters", "season", "release_status", "broadcast", "deck", "synopsis", "end_date",
    )
)  # fmt: skip
"""Fields one label fills; when a second label maps to one already filled, it goes to ``extra``."""
_NAME_TYPES = {
    "original title": "original", "original name": "original", "native title": "original",
    "japanese title": "original", "japanese name": "original", "japanese": "original", "kanji": "original",
    "kana": "original", "romaji": "original", "rōmaji": "original", "romanized": "original",
    "romanization": "original", "hepburn": "original", "revised hepburn": "original", "originaltitel": "original",
    "titre original": "original", "título original": "original", "titolo originale": "original", "原題": "original",
    "原題名": "original",
}  # fmt: skip
_ROMANIZED = frozenset({"romaji", "rōmaji", "romanized", "romanization", "hepburn", "revised hepburn"})


class LabelReader:
    """Reads label / value pairs into a builder through the shared label vocabulary.

    One reader per page: ``lang`` is the page's language (names in Latin script get it,
    ``parse_date`` uses it).
    """

    def __init__(self, page: Page, builder: RecordBuilder, *, lang: str | None = "en") -> None:
        self.page = page
        self.b = builder
        self.lang = lang
        self.languages = (lang,) if lang and lang != "en" else None

    # -- entry points ------------------------------------------------------------------------
    def pair(
        self,
        label: str,
        value: HtmlElement | list[Line] | str,
        group: str | None = None,
        *,
        field_name: str | None = None,
        secondary: bool = False,
    ) -> str | None:
        """Read one pair; returns the field it went to (None: kept in ``extra``).

        A pair for a one-value field that is already filled goes to ``extra``; with ``secondary``
        (page metadata restating the visible page) it is dropped instead."""
        label = clean_text(strip_footnotes(label)).rstrip(":：").strip()
        if isinstance(value, str):
            lines = [Line(text=clean_text(strip_footnotes(v))) for v in value.splitlines() if clean_text(v)]
        elif isinstance(value, list):
            lines = value
        else:
            lines = lines_of(value)
        if not label or not lines:
            return None
        target = field_name or field_for_label(label)
        if target in SCALAR_FIELDS and self.b.get(target) is not None:
            if secondary:
                return None
            target = None  # a second rating, runtime ... keeps its own label instead of being dropped
        if target is None:
            self.b.extra(label, "; ".join(line.text for line in lines), group)  # noqa: S610 - RecordBuilder.extra
            return None
        with self.b.field(target):
            self._read(target, label, lines, group)
        return target

    # -- per field ---------------------------------------------------------------------------
    def _read(self, target: str, label: str, lines: list[Line], group: str | None) -> None:
        text = " ".join(line.text for line in lines)
        b = self.b
        if target in LIST_FIELDS:
            b.add(target, *self.items(lines))
        elif target == "credits":
            self.credits(label, lines)
        elif target == "characters":
            for line in lines:
                self.cast_line(line, actors_only=actors_first(label))
        elif target == "releases":
            self.releases(lines)
        elif target == "first_release_date":
            self.runs(lines)
        elif target == "end_date":
            self.date_field("end_date", "end_precision", text)
        elif target == "season":
            season = parse_season(split_date_note(text)[0])
            if season is not None:
                b.set("season", season[0])
            elif re.fullmatch(r"\d{1,3}", text):
                b.extra(label, text, group)  # noqa: S610 - "Season: 2" of an episode page, not a season
            else:
                b.unparsed("season", text, "a season")
        elif target == "runtime_minutes":
            b.set("runtime_raw", text)
            minutes = parse_runtimes(text)
            value = max(minutes) if minutes else parse_runtime(text)
            if value is None:
                b.unparsed("runtime_minutes", text, "a running time")
            else:
                b.set("runtime_minutes", value)
        elif target in ("episodes", "volumes", "chapters"):
            number = parse_int(lines[0].text)
            if number is None:
                b.unparsed(target, text, "a count")
            else:
                b.set(target, number)
        elif target == "score":
            score, scale = parse_score(lines[0].text)
            if score is None:
                b.unparsed("score", text, "a score")
            else:
                b.set("score", score)
                b.set("score_max", scale)
        elif target in ("budget", "box_office"):
            self.money(target, text, lines[0].text)
        elif target == "kind":
            b.set("kind_raw", text)
            kind = kind_of(text)
            if kind is None:
                b.unparsed("kind", text, "a kind")
            else:
                b.set("kind", kind)
        elif target == "names":
            self.names(label, lines)
        elif target == "aliases":
            b.add("aliases", *(unquote_title(line.text) for line in lines))
        elif target == "related":
            relation = clean_text(label).lower()
            for line in lines:
                for item in ([line.text] if len(line.links) <= 1 else [t for t, _ in line.links]):
                    title = unquote_title(item)
                    if title:
                        href = line.href_for(item)
                        b.add("related", Related(relation=relation, title=title, url=self.page.absolute(href)))
        elif target == "synopsis":
            b.set("synopsis", join_paragraphs([line.text for line in lines]))
        elif target == "release_status":
            b.set("release_status", text.lower())
        elif target == "source":
            b.set("source", text)
            for line in lines:
                m = re.match(r"^(?:by|von|de|di|par)\s+(?P<who>.+)$", line.text)
                if m:
                    self.credits(label, [Line(text=m["who"], links=line.links)])
        elif target == "title":
            b.set("title", unquote_title(lines[0].text))
        elif target == "rating":
            system = label if normalize_label(label) in _RATING_SYSTEMS else None
            b.set("rating", f"{system}: {text}" if system else text)
        else:  # deck, broadcast and any other scalar field
            b.set(target, text)

    def items(self, lines: list[Line]) -> list[str]:
        """List items; a release-region prefix ("NA: Crunchyroll") is dropped from company names."""
        out: list[str] = []
        for line in lines:
            if line.small and out:
                continue
            for item in split_list(line.text):
                m = _REGION_PREFIX.match(item)
                out.append(m["rest"] if m and m["region"].casefold() in _REGIONS else item)
        return out

    def credits(self, label: str, lines: list[Line]) -> None:
        roles = credit_roles(label)
        pending: list[Credit] = []
        for line in lines:
            text = line.text
            is_note = line.small or (text.startswith(("(", "（")) and text.endswith((")", "）"))) or text.lower().startswith(
                ("as ", "credited as ")
            )
            if is_note and pending:
                extra_note = text.strip("()（）").strip()
                last = pending[-1]
                pending[-1] = Credit(
                    person=last.person, person_url=last.person_url, role=last.role, roles=last.roles,
                    note=f"{last.note}; {extra_note}" if last.note else extra_note,
                )
                continue
            for item in split_list(text):
                person, note = split_note(item)
                person = re.sub(r"^(?:and|und|et|y|e)\s+", "", person).strip()
                if not person:
                    continue
                href = line.href_for(person)
                pending.append(
                    Credit(person=person, person_url=self.page.absolute(href), role=label, roles=roles, note=note)
                )
        for credit in pending:
            self.add_credit(credit)

    def add_credit(self, credit: Credit) -> None:
        """Add a credit; the same person in the same canonical roles from a second source of the
        page (JSON-LD restating the info box) is not added again."""
        if not any(c.person == credit.person and c.roles == credit.roles for c in self.b.get("credits")):
            self.b.add("credits", credit)

    def cast_line(self, line: Line, *, actors_only: bool = False) -> None:
        """"Actor as Character", "Character (voiced by A (Japanese); B (English))", or a bare name
        (an actor under a "Cast" heading, else a character)."""
        text = re.sub(r"\s+", " ", line.text).strip()
        if not text:
            return
        m = _VOICED.search(text)
        if m and m.start() > 0:
            character = character_name(text[: m.start()])
            actors = text[m.end() :].strip()
            if actors.count(")") > actors.count("("):
                actors = actors[: actors.rindex(")")].strip()
            for part in split_list(actors):
                actor, note = split_note(part)
                if actor:
                    self.b.add("characters", Character(
                        character=character, character_url=self.page.absolute(line.href_for(character)),
                        actor=actor, actor_url=self.page.absolute(line.href_for(actor)),
                        language=language_code(note) if note else None,
                    ))  # fmt: skip
            return
        m = _AS.match(text)
        if m:
            actor = m["actor"].strip()
            character = character_name(m["character"])
            self.b.add("characters", Character(
                character=character, character_url=self.page.absolute(line.href_for(character)),
                actor=actor, actor_url=self.page.absolute(line.href_for(actor)),
            ))  # fmt: skip
            return
        m = re.match(r"^(?P<a>[^:：]{1,60}?)\s*[:：]\s*(?P<b>\S.*)$", text)
        if m:
            actor, character = (m["a"], m["b"]) if actors_only else (m["b"], m["a"])
            character = character_name(character)
            actor = character_name(actor)
            self.b.add("characters", Character(
                character=character, character_url=self.page.absolute(line.href_for(character)),
                actor=actor, actor_url=self.page.absolute(line.href_for(actor)),
            ))  # fmt: skip
            return
        name = character_name(text)
        href = self.page.absolute(line.href_for(name))
        if actors_only:
            self.b.add("characters", Character(actor=name, actor_url=href))
        else:
            self.b.add("characters", Character(character=name, character_url=href))

    def release_lines(
        self, lines: list[Line]
    ) -> Iterator[tuple[str, PartialDate | None, PartialDate | None, str | None, str | None]]:
        """(line, date, end, region, note) per release line.

        A line without a date that is followed by dated lines heads them (a platform, a festival)
        and becomes their note; "NA: May 1, 2001" gives the region NA, "Windows: ..." the note
        Windows; "April 3, 1998 – April 24, 1999" (a run under a "Release" label) gives its start
        and end. A dateless line that heads nothing is yielded with date None (unparsed).
        """
        heading: tuple[str, str] | None = None  # (raw line, text)
        heading_used = False
        for line in lines:
            text = line.text
            prefix: str | None = None
            m = _REGION_PREFIX.match(text)
            if m and parse_date(m["region"]) is None:
                prefix, text = m["region"], m["rest"]
            date_text, note = split_date_note(text)
            date = parse_date(date_text, languages=self.languages)
            end: PartialDate | None = None
            if date is None and re.search(r"\d", date_text):
                date, end = parse_date_range(date_text)
            if prefix is None and date is None:
                if heading is not None and not heading_used:
                    yield heading[0], None, None, None, None
                heading, heading_used = (line.text, clean_text(text)), False
                continue
            region, note = region_or_note("; ".join(p for p in (prefix, note) if p))
            if heading is not None:
                note = f"{heading[1]}; {note}" if note else heading[1]
                heading_used = True
            yield line.text, date, end, region, note
        if heading is not None and not heading_used:
            yield heading[0], None, None, None, None

    def releases(self, lines: list[Line]) -> None:
        for raw, date, end, region, note in self.release_lines(lines):
            if date is None:
                self.b.unparsed("releases", raw, "a date")
            elif any(r.date == date.iso and r.region == region for r in self.b.get("releases")):
                continue  # the same release from another source of the page
            if end is not None and self.b.get("end_date") is None:
                self.b.set("end_date", end.iso)
                self.b.set("end_precision", end.precision)
            self.add_release(Release(
                region=region, date=date.iso if date else None, precision=date.precision if date else None,
                raw=raw, note=note,
            ))  # fmt: skip

    def add_release(self, release: Release) -> None:
        """Add a release; a bare one of the same date (from metadata) gives way to this fuller one."""
        bucket = self.b.lists["releases"]
        bare = release.region is None and release.note is None
        for i, known in enumerate(bucket):
            if not release.date or known.date != release.date:
                continue
            if bare:
                return  # says nothing the known release does not
            if known.region is None and known.note is None:
                bucket[i] = release
                return
        self.b.add("releases", release)

    def runs(self, lines: list[Line]) -> None:
        """Air / publication runs: each line a start (a release) and maybe an end."""
        first = True
        for line in lines:
            date_text, note = split_date_note(line.text)
            start, end = parse_date_range(date_text)
            if start is None and end is None:
                self.b.unparsed("first_release_date", line.text, "a date")
                continue
            region, note = region_or_note(note)
            if start is not None:
                self.b.add("releases", Release(
                    region=region, date=start.iso, precision=start.precision, raw=line.text, note=note,
                ))  # fmt: skip
            if first and end is not None:
                self.b.set("end_date", end.iso)
                self.b.set("end_precision", end.precision)
            first = False

    def date_field(self, name: str, precision_name: str, text: str) -> None:
        date = parse_date(split_date_note(text)[0], languages=self.languages)
        if date is None:
            self.b.unparsed(name, text, "a date")
            return
        self.b.set(name, date.iso)
        self.b.set(precision_name, date.precision)

    def money(self, target: str, text: str, first_line: str) -> None:
        amount, currency = parse_money(first_line)
        if amount is None:
            self.b.unparsed(target, text, "an amount")
        self.b.set(target, Money(raw=text, amount=amount, currency=currency))

    def names(self, label: str, lines: list[Line]) -> None:
        key = normalize_label(label)
        name_type = _NAME_TYPES.get(key, "official")
        label_lang = language_code(label)
        for line in lines:
            name = unquote_title(line.text)
            if not name:
                continue
            script = script_language(name, default=None)
            if key in _ROMANIZED:
                lang: str | None = "x-jat"
            elif script is not None:
                lang = script  # kana, hangul, cyrillic ... tell the language
            elif label_lang is not None:
                lang = label_lang  # "English: ...", "German: ..."
            else:
                # Latin script: the page's language, except for an original title, whose language
                # the label does not tell.
                lang = None if name_type == "original" else self.lang
            self.b.add("names", Name(name=name, lang=lang, type=name_type))


# ---------------------------------------------------------------------------------------------
# Structured metadata: JSON-LD and microdata

CREATIVE_TYPES: dict[str, str | None] = {
    "movie": "film", "film": "film", "tvseries": "tv", "tvseason": "tv", "tvshow": "tv", "series": None,
    "moviesseries": "film", "movieseries": "film", "videogame": "game", "videogameseries": "game", "game": "game",
    "book": "novel", "bookseries": "novel", "comicseries": "comic", "comicstory": "comic", "comicissue": "comic",
    "musicalbum": "music", "musicrecording": "music", "musicvideoobject": "music", "creativework": None,
    "creativeworkseries": None, "tvepisode": None, "episode": None, "radioseries": None, "podcastseries": None,
}  # fmt: skip

_LD_PEOPLE = {
    "director": "Director", "directors": "Director", "author": "Author", "creator": "Creator",
    "actor": "Actor", "actors": "Actor", "composer": "Composer", "musicBy": "Music", "producer": "Producer",
    "illustrator": "Illustrator", "editor": "Editor", "screenwriter": "Screenplay", "writer": "Writer",
    "translator": "Translator", "character": "Character",
}  # fmt: skip
_LD_COMPANIES = {
    "productionCompany": "studios", "publisher": "publishers", "gamePlatform": "platforms",
    "genre": "genres", "inLanguage": "languages", "countryOfOrigin": "countries", "keywords": "tags",
    "distributor": None,
}  # fmt: skip
_LD_DATES = ("datePublished", "dateCreated", "startDate", "releaseDate", "copyrightYear", "uploadDate")
_LD_IGNORED = frozenset(
    (
        "@context", "@id", "@type", "url", "sameAs", "mainEntityOfPage", "potentialAction", "hasPart",
        "isPartOf", "review", "reviews", "thumbnailUrl", "trailer", "subjectOf", "offers", "identifier",
    )
)


def _ld_type(obj: dict[str, Any]) -> str | None:
    types = obj.get("@type")
    for t in [types] if isinstance(types, str) else (types or []):
        if isinstance(t, str) and t.rsplit("/", 1)[-1].lower() in CREATIVE_TYPES:
            return t.rsplit("/", 1)[-1]
    return None


def _ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@graph" in item:
                stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
            if _ld_type(item):
                yield item
            main = item.get("mainEntity")
            if isinstance(main, dict | list):
                stack.append(main)


def _ld_texts(value: Any) -> list[str]:
    """Names of a JSON-LD value: a string, a {name: ...} object, or a list of those."""
    out: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = clean_text(str(item))
        elif isinstance(item, dict):
            text = clean_text(str(item.get("name") or item.get("@value") or ""))
        else:
            text = ""
        if text:
            out.append(text)
    return out


def read_json_ld(page: Page, reader: LabelReader) -> bool:
    """Fill the builder from the page's creative-work JSON-LD; True when one was found."""
    found = False
    for script in page.xpath("descendant::script[@type='application/ld+json']"):
        raw = script.text or ""
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            reader.b.error("page", "unparsed", "a JSON-LD block is not valid JSON")
            continue
        for obj in _ld_objects(data):
            found = True
            with reader.b.field("json-ld"):
                _read_ld_object(obj, reader)
    return found


def _read_ld_object(obj: dict[str, Any], reader: LabelReader) -> None:
    b = reader.b
    page = reader.page
    ld_type = _ld_type(obj) or ""
    kind = CREATIVE_TYPES.get(ld_type.lower())
    if kind:
        b.set("kind", kind)
        b.set("kind_raw", ld_type)
    names = _ld_texts(obj.get("name"))
    if names:
        b.set("title", names[0])
    b.add("aliases", *_ld_texts(obj.get("alternateName")))
    description = obj.get("description")
    if isinstance(description, str) and clean_text(description):
        b.set("synopsis", join_paragraphs([clean_text(p) for p in re.split(r"\n\s*\n", description)]))
    for key in _LD_DATES:
        for raw in _ld_texts(obj.get(key)):
            date = parse_date(raw)
            if date is None:
                b.unparsed("releases", raw, "a date")
            elif any(r.date == date.iso for r in b.get("releases")):
                continue
            reader.add_release(Release(date=date.iso if date else None,
                                       precision=date.precision if date else None, raw=raw))  # fmt: skip
    events = obj.get("releasedEvent")
    for event in events if isinstance(events, list) else [events]:
        if not isinstance(event, dict):
            continue
        starts = _ld_texts(event.get("startDate"))
        places = _ld_texts(event.get("location"))
        if starts:
            date = parse_date(starts[0])
            if date is None:
                b.unparsed("releases", starts[0], "a date")
            b.add("releases", Release(region=places[0] if places else None, date=date.iso if date else None,
                                      precision=date.precision if date else None, raw=starts[0]))  # fmt: skip
    for raw in _ld_texts(obj.get("endDate")):
        reader.date_field("end_date", "end_precision", raw)
    for key in ("duration", "timeRequired"):
        for raw in _ld_texts(obj.get(key)):
            if b.get("runtime_minutes") is not None:
                break
            minutes = parse_runtime(raw)
            if minutes is None:
                b.unparsed("runtime_minutes", raw, "a running time")
            else:
                b.set("runtime_raw", raw)
                b.set("runtime_minutes", minutes)
    for key, role in _LD_PEOPLE.items():
        value = obj.get(key)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            for person in _ld_texts(item):
                url = item.get("url") if isinstance(item, dict) and isinstance(item.get("url"), str) else None
                if key == "character":
                    b.add("characters", Character(character=person, character_url=page.absolute(url)))
                else:
                    reader.add_credit(Credit(person=person, person_url=page.absolute(url), role=role,
                                             roles=credit_roles(role)))  # fmt: skip
    for key, target in _LD_COMPANIES.items():
        values = _ld_texts(obj.get(key))
        if key == "keywords":
            values = [v for raw in values for v in split_list(raw)]
        if target is None:
            for value in values:
                b.extra(key, value, "JSON-LD")  # noqa: S610 - RecordBuilder.extra
        else:
            b.add(target, *values)
    rating = obj.get("aggregateRating")
    if isinstance(rating, dict):
        score, _scale = parse_score(str(rating.get("ratingValue", "")))
        if score is not None:
            b.set("score", score)
            best = rating.get("bestRating")
            b.set("score_max", float(best) if isinstance(best, int | float | str) and _is_number(best) else _scale)
            count = parse_int(str(rating.get("ratingCount") or rating.get("reviewCount") or ""))
            b.set("score_count", count)
    for raw in _ld_texts(obj.get("contentRating")):
        b.set("rating", raw)
    for key, target in (("numberOfEpisodes", "episodes"), ("numberOfVolumes", "volumes")):
        for raw in _ld_texts(obj.get(key)):
            number = parse_int(raw)
            if number is None:
                b.unparsed(target, raw, "a count")
            b.set(target, number)
    image = obj.get("image")
    for item in image if isinstance(image, list) else [image]:
        url = item if isinstance(item, str) else (item.get("contentUrl") or item.get("url")) if isinstance(item, dict) else None
        caption = item.get("caption") if isinstance(item, dict) else None
        if isinstance(url, str) and url.strip():
            b.add("images", Image(url=page.absolute(url) or url,
                                  caption=clean_text(caption) if isinstance(caption, str) else None))  # fmt: skip
    handled = set(_LD_PEOPLE) | set(_LD_COMPANIES) | set(_LD_DATES) | {
        "name", "alternateName", "description", "releasedEvent", "endDate", "duration", "timeRequired",
        "aggregateRating", "contentRating", "numberOfEpisodes", "numberOfVolumes", "image",
    }
    for key, value in obj.items():
        if key in handled or key in _LD_IGNORED:
            continue
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            b.extra(key, str(value), "JSON-LD")  # noqa: S610 - RecordBuilder.extra


def _is_number(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True


_ITEMPROP_FIELDS = {
    "name": "title", "alternateName": "aliases", "alternativeHeadline": "aliases", "datePublished": "releases",
    "dateCreated": "releases", "startDate": "releases", "releaseDate": "releases", "endDate": "end_date",
    "duration": "runtime_minutes", "timeRequired": "runtime_minutes", "genre": "genres", "keywords": "tags",
    "inLanguage": "languages", "countryOfOrigin": "countries", "contentRating": "rating",
    "productionCompany": "studios", "publisher": "publishers", "gamePlatform": "platforms",
    "numberOfEpisodes": "episodes", "description": "synopsis", "ratingValue": "score",
}  # fmt: skip


def read_microdata(page: Page, reader: LabelReader) -> bool:
    """Fill the builder from ``itemprop`` microdata of a creative-work ``itemscope``."""
    scopes = [
        el for el in page.xpath("descendant::*[@itemscope][@itemtype]")
        if (el.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower() in CREATIVE_TYPES
    ]  # fmt: skip
    if not scopes:
        return False
    b = reader.b
    for scope in scopes[:1]:
        for el in scope.iter():
            if not isinstance(el.tag, str):
                continue
            prop = el.get("itemprop")
            if not prop or el is scope:
                continue
            value = _microdata_value(el)
            if not value:
                continue
            for name in prop.split():
                if name in _LD_PEOPLE and name != "character":
                    person = el.xpath(".//*[@itemprop='name']")
                    who = clean_text(person[0].get("content") or person[0].text_content()) if person else value
                    href = el.get("href") or (el.xpath(".//a/@href") or [None])[0]
                    if who:
                        reader.add_credit(Credit(person=who, person_url=page.absolute(href), role=_LD_PEOPLE[name],
                                                 roles=credit_roles(_LD_PEOPLE[name])))  # fmt: skip
                elif name == "ratingCount" or name == "reviewCount":
                    b.set("score_count", parse_int(value))
                elif name == "bestRating":
                    b.set("score_max", parse_score(value)[0])
                elif name == "image":
                    b.add("images", Image(url=page.absolute(value) or value))
                elif name in _ITEMPROP_FIELDS and not _inside_nested_scope(el, scope):
                    reader.pair(name, [Line(text=value)], field_name=_ITEMPROP_FIELDS[name], secondary=True)
    return True


def _inside_nested_scope(el: HtmlElement, scope: HtmlElement) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not scope:
        if parent.get("itemscope") is not None and parent.get("itemprop") not in ("aggregateRating",):
            return True
        parent = parent.getparent()
    return False


def _microdata_value(el: HtmlElement) -> str:
    for attr in ("content", "datetime"):
        value = el.get(attr)
        if value:
            return clean_text(value)
    if el.tag in ("img", "source"):
        return (el.get("src") or "").strip()
    if el.tag in ("a", "link") and el.get("itemprop") in ("url", "image", "sameAs"):
        return (el.get("href") or "").strip()
    return element_text(el)


# ---------------------------------------------------------------------------------------------
# Info blocks, headings and sections

_MAIN_QUERY = (
    "descendant::*[self::main or self::article or @role='main' or @id='content' or @id='main'"
    " or @id='main-content' or contains(concat(' ', normalize-space(@class), ' '), ' content ')]"
)
"""Candidates for the main content, found in one scan (a whole-page XPath costs a full tree walk)."""
_MAIN_ORDER: tuple[Callable[[HtmlElement], bool], ...] = (
    lambda el: el.tag == "main",
    lambda el: el.get("role") == "main",
    lambda el: el.tag == "article",
    lambda el: el.get("id") == "content",
    lambda el: el.get("id") == "main",
    lambda el: el.get("id") == "main-content",
    lambda el: "content" in (el.get("class") or "").split(),
)
_CHROME_TAGS = frozenset({"nav", "footer", "header", "form"})
_CHROME_CLASS = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|footer|sidebar|breadcrumbs?|cookie|share|comments?|"
                           r"related-posts|advert|ads?)(?:$|[\s_-])", re.IGNORECASE)


def main_content(page: Page) -> HtmlElement | None:
    """The element holding the page's own content (``main``, ``article``, ``#content`` ... or ``body``)."""
    candidates = page.xpath(_MAIN_QUERY)
    for test in _MAIN_ORDER:
        found = next((el for el in candidates if test(el)), None)
        if found is not None:
            return found
    body = page.first("/html/body")
    return body if body is not None else page.root


def _in_chrome(el: HtmlElement, stop: HtmlElement | None) -> bool:
    node: HtmlElement | None = el
    while node is not None and node is not stop:
        if node.tag in _CHROME_TAGS:
            return True
        cls = (node.get("class") or "") + " " + (node.get("id") or "")
        if cls.strip() and _CHROME_CLASS.search(cls):
            return True
        node = node.getparent()
    return False


@dataclass(slots=True)
class Pair:
    label: str
    value: HtmlElement | list[Line]
    mapped: str | None
    group: str | None = None


def table_pairs(table: HtmlElement) -> list[Pair]:
    """Label / value rows of a table: ``th`` + ``td`` or two ``td`` with a short first cell."""
    pairs: list[Pair] = []
    group: str | None = None
    for row in table.iter("tr"):
        if _nearest(row, "table") is not table:
            continue
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if len(cells) == 1 and cells[0].tag == "th":
            group = element_text(cells[0]) or group
            continue
        if len(cells) != 2:
            continue
        label = element_text(cells[0])
        if not label or len(label) > 40 or cells[0].find(".//table") is not None:
            continue
        pairs.append(Pair(label=label, value=cells[1], mapped=field_for_label(label), group=group))
    return pairs


def dl_pairs(dl: HtmlElement) -> list[Pair]:
    pairs: list[Pair] = []
    label: str | None = None
    values: list[HtmlElement] = []

    def flush() -> None:
        if label and values:
            lines = [line for v in values for line in lines_of(v)]
            pairs.append(Pair(label=label, value=lines, mapped=field_for_label(label)))

    for child in dl:
        if child.tag == "dt":
            flush()
            label, values = element_text(child), []
        elif child.tag == "dd" and label:
            values.append(child)
        elif child.tag == "div":  # <dl><div><dt/><dd/></div></dl> (HTML 5.2)
            flush()
            label, values = None, []
            for sub in child:
                if sub.tag == "dt":
                    flush()
                    label, values = element_text(sub), []
                elif sub.tag == "dd" and label:
                    values.append(sub)
    flush()
    return [p for p in pairs if p.label and len(p.label) <= 40]


def label_line_pairs(lines: Iterable[Line]) -> list[Pair]:
    """"Label: value" lines (``Runtime: 95 min``)."""
    pairs: list[Pair] = []
    for line in lines:
        m = _LABEL_LINE.match(line.text)
        if m is None:
            continue
        label, value = m["label"].strip(), m["value"].strip()
        if not label or label[0].isdigit() or len(label.split()) > 5:
            continue
        links = [(t, h) for t, h in line.links if t in value]
        pairs.append(Pair(label=label, value=[Line(text=value, links=links)], mapped=field_for_label(label)))
    return pairs


def _nearest(el: HtmlElement, tag: str) -> HtmlElement | None:
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _accepted(pairs: list[Pair]) -> bool:
    hits = sum(1 for p in pairs if p.mapped)
    return hits >= 2


_HEADING_TAGS = ("h2", "h3", "h4")


def _heading_text(el: HtmlElement) -> str:
    headline = el.find(".//span[@class='mw-headline']")
    return element_text(headline if headline is not None else el)


# ---------------------------------------------------------------------------------------------
# The family


def _page_id(page: Page) -> str | None:
    if not page.url:
        return None
    parts = urlsplit(page.url)
    path = unquote(parts.path).strip("/")
    if parts.query:
        path = f"{path}?{parts.query}"
    return path or "/"


def _site(page: Page) -> str | None:
    host = page.host
    if not host:
        return None
    return host.removeprefix("www.")


def page_language(page: Page) -> str | None:
    lang = page.string("/html/@lang") or page.string("/html/body/@lang")
    return language_code(lang.split("-")[0]) if lang else None


def extract(page: Page, b: RecordBuilder) -> str | None:
    """Fill the builder from any HTML page through labels, metadata and headings."""
    lang = page_language(page) or "en"
    reader = LabelReader(page, b, lang=lang)
    main = main_content(page)
    info = 0
    person_labels = 0
    taken: set[HtmlElement] = set()
    with b.field("info"):
        info, person_labels = _read_info_blocks(page, reader, main, taken)
    # Metadata restates the visible page: it fills what the info blocks left empty.
    structured = False
    with b.field("metadata"):
        structured = read_json_ld(page, reader)
        structured = read_microdata(page, reader) or structured
    with b.field("title"):
        _read_title(page, b, main)
    with b.field("canonical_url"):
        canonical = page.string("/html/head/link[@rel='canonical']/@href") or page.string(
            "descendant::link[@rel='canonical']/@href"
        )
        b.set("canonical_url", page.absolute(canonical))
    plot_like = False
    with b.field("synopsis"):
        plot_like = _read_sections(page, reader, main, taken)
    if person_labels >= 2 and person_labels > info:
        b.not_title("person or character page (its info box describes a person)")
    elif not structured and info == 0 and not plot_like:
        b.not_title("no info block, creative-work metadata or plot section: not a title page")
    return _page_id(page)


def _read_title(page: Page, b: RecordBuilder, main: HtmlElement | None) -> None:
    if b.get("title"):
        return
    candidates = list(main.iter("h1")) if main is not None else []
    candidates = [h for h in candidates if not any(a.tag in ("nav", "footer") for a in h.iterancestors())]
    if not candidates:
        candidates = [h for h in page.xpath("descendant::h1") if not _in_chrome(h, None)]
    for h1 in candidates:
        text = element_text(h1)
        if text:
            b.set("title", strip_qualifier(unquote_title(text)))
            return
    og = page.string("/html/head/meta[@property='og:title']/@content")
    if og:
        b.set("title", og)
        return
    title = page.string("/html/head/title/text()")
    if title:
        b.set("title", re.split(r"\s+[|–—-]\s+", title)[0])


def _read_info_blocks(page: Page, reader: LabelReader, main: HtmlElement | None, taken: set[HtmlElement]) -> tuple[int, int]:
    """Read every accepted info block; returns (known labels read, person labels seen)."""
    root = page.first("/html/body")
    if root is None:
        return 0, 0
    mapped = 0
    person = 0
    for table in root.iter("table"):
        pairs = table_pairs(table)
        if pairs and _accepted(pairs):
            taken.add(table)
            mapped, person = _apply(reader, pairs, mapped, person)
    for dl in root.iter("dl"):
        if any(a in taken for a in dl.iterancestors("table")):
            continue
        pairs = dl_pairs(dl)
        if pairs and _accepted(pairs):
            taken.add(dl)
            mapped, person = _apply(reader, pairs, mapped, person)
    # "Label: value" lines, grouped by their container; one top-down walk that skips page chrome
    # and the blocks already read (no per-element ancestor checks: they cost ~0.1 ms each).
    groups: dict[HtmlElement, list[Pair]] = {}
    walker = etree.iterwalk(root, events=("start",))
    for _event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if el is not root and (el in taken or tag in _ALWAYS_SKIPPED or tag in _CHROME_TAGS or _is_chrome(el)):
            walker.skip_subtree()
            continue
        if tag not in _LINE_TAGS or any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            continue
        walker.skip_subtree()
        text = el.text_content()
        if ":" not in text and "：" not in text:
            continue
        pairs = label_line_pairs(lines_of(el))
        if not pairs:
            continue
        parent = el.getparent()
        container = el if len(pairs) >= 2 or parent is None else parent
        groups.setdefault(container, []).extend(pairs)
    for container, pairs in groups.items():
        if sum(1 for p in pairs if p.mapped) >= 2:
            taken.add(container)
            mapped, person = _apply(reader, pairs, mapped, person)
    return mapped, person


_LINE_TAGS = frozenset(("p", "li", "div", "span", "td", "dd"))


def _is_chrome(el: HtmlElement) -> bool:
    """Navigation, menus, footers, comments and ads by their class or id."""
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(marks.strip()) and _CHROME_CLASS.search(marks) is not None


def _apply(reader: LabelReader, pairs: list[Pair], mapped: int, person: int) -> tuple[int, int]:
    for pair in pairs:
        if is_person_label(pair.label):
            person += 1
        if reader.pair(pair.label, pair.value, pair.group) is not None:
            mapped += 1
    return mapped, person


def _read_sections(page: Page, reader: LabelReader, main: HtmlElement | None, taken: set[HtmlElement]) -> bool:
    """Lead paragraphs and headed sections; True when a plot-like section was found."""
    if main is None:
        return False
    b = reader.b
    lead: list[str] = []
    sections: list[tuple[str, int, str | None, list[HtmlElement]]] = []  # heading, level, field, blocks
    current: tuple[str, int, str | None, list[HtmlElement]] | None = None
    seen_h1 = main.find(".//h1") is None
    walker = etree.iterwalk(main, events=("start",))
    for _event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if el is not main and (
            is_skipped(el) or el in taken or tag in ("nav", "footer", "form", "aside", "figure")
            or bool(_classes(el) & _SECTION_SKIP_CLASSES)
            or _CHROME_CLASS.search((el.get("class") or "") + " " + (el.get("id") or ""))
        ):
            walker.skip_subtree()
            continue
        if tag == "h1":
            seen_h1 = True
            walker.skip_subtree()
        elif tag in _HEADING_TAGS:
            heading = _heading_text(el)
            target = "synopsis" if is_plot_heading(heading) else field_for_label(heading)
            current = (heading, int(tag[1]), target, [])
            sections.append(current)
            walker.skip_subtree()
        elif tag in ("p", "li", "blockquote", "dd") or (tag == "dt" and current and current[2] == "characters"):
            if current is None:
                if seen_h1 and tag == "p":
                    lead.append(element_text(el, running_text=True))
            else:
                current[3].append(el)
            walker.skip_subtree()
    lead = [p for p in lead if len(p) >= 25 and not _LABEL_LINE.match(p)]
    if lead and len(lead[0]) < 100 and not lead[0].rstrip().endswith((".", "!", "?", "。")):
        b.set("deck", lead.pop(0))  # a one-line subtitle under the heading, not a paragraph
    plot: list[Section] = []
    plot_level = 0
    for heading, level, target, blocks in sections:
        if target == "synopsis" or (plot_level and level > plot_level):
            plot_level = level if target == "synopsis" else plot_level
            text = join_paragraphs([element_text(el, running_text=True) for el in blocks if el.tag != "dt"])
            if text:
                plot.append(Section(heading=heading, text=text))
            continue
        plot_level = 0
        if target == "characters":
            actors_only = actors_first(heading)
            for el in blocks:
                if el.tag == "li" and el.find(".//li") is not None:
                    continue
                for line in lines_of(el, running_text=True)[:1]:
                    reader.cast_line(line, actors_only=actors_only)
    if lead:
        b.add("synopsis_sections", Section(heading=None, text=join_paragraphs(lead)))
    b.add("synopsis_sections", *plot)
    if plot:
        b.set("synopsis", join_paragraphs([s.text for s in plot]))
    elif lead:
        b.set("synopsis", join_paragraphs(lead))
    return bool(plot)


def sniff(page: Page) -> bool:
    """Any HTML page: the generic extractor is the last resort."""
    return page.is_html


# -- plain text ---------------------------------------------------------------------------------


def extract_text(page: Page, b: RecordBuilder) -> str | None:
    """A plain-text rendering: "Label: value" lines, the title from a Title label or the first line."""
    reader = LabelReader(page, b, lang="en")
    lines = [Line(text=clean_text(t)) for t in page.text.splitlines() if clean_text(t)]
    pairs = label_line_pairs(lines)
    mapped = 0
    for pair in pairs:
        if reader.pair(pair.label, pair.value) is not None:
            mapped += 1
    if mapped < 2:
        b.not_title("no labelled fields in the text: not a title page")
    elif not b.get("title") and lines and not _LABEL_LINE.match(lines[0].text):
        b.set("title", lines[0].text)
    return _page_id(page)


def sniff_text(text: str) -> bool:
    lines = [Line(text=clean_text(t)) for t in text[:20000].splitlines() if clean_text(t)]
    return sum(1 for p in label_line_pairs(lines) if p.mapped) >= 3


EXPECTED = ("title", "synopsis", "releases", "credits", "runtime_minutes", "genres")
"""Fields a title page of an unknown wiki fills when the info block and sections are read: a page
filling under half of them (only a heading and a paragraph) gets a ``layout`` error, so a site
crawled with the fallback whose layout changes raises the drift alarm like any family's. Games
have no runtime and some pages no credits: three of six is enough."""

FAMILY = Family(
    name="generic",
    version=VERSION,
    sites={},
    extract=extract,
    sniff=sniff,
    extract_text=extract_text,
    sniff_text=sniff_text,
    default_site="unknown",
    site_from_page=_site,
    required=("title",),
    expected=EXPECTED,
)
