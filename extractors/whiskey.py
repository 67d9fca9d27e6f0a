"""The Whiskey Media wiki family: Anime Vice, Comic Vine and Giant Bomb title pages (HTML).

The three sites ran one wiki platform, so one extractor reads them all. It is driven by what
changed least across the sites' designs: the *labels* and *headings*, not the classes around them.

- Title: ``h1 a.wiki-title`` (the whole ``h1`` when it carries an issue number); deck:
  ``p.wiki-descriptor``; description: the ``.js-toc-content`` block (or the first
  ``.wiki-item-display`` outside the info boxes), one paragraph per block, ``h2``-``h4`` parts as
  ``synopsis_sections``.
- "General Information": every ``div.wiki-details`` table row (``th`` label, ``td`` value; ``dt`` /
  ``dd`` too) is read through ``_LABELS``; an unknown label goes to ``extra`` with the box heading as
  its group. Name / Release Date rows come in pairs, one per edition (see ``apply_rows``).
- Relation boxes (``div.wiki-details-object``, ``ul.wiki-relation``) are dispatched on their ``h3``:
  Characters, Creators (``li`` "Name, role1, role2"), role headings (Writers, Producers), title
  relations (Franchise, Similar, Associations ...: ``related`` with the lower-cased heading), other
  entities (Concepts, Locations, Teams ...: ``extra``).
- Page modules are found by their heading text: "Characters & Voice Actors", credits ("Credits",
  "Staff", or a block whose class names credits), "Top Rated Lists", "Top Editors".
- Placeholders ("We don't have any ... Help us fill it in!", "Add a character to this episode")
  never become data: items must be links to wiki items (``/slug/TTTT-NNNN/``).

Ids: the URL's last ``TTTT-NNNN`` segment is the page id; ``TTTT`` is the item type. Type ids
(from the sites' public APIs): Giant Bomb 3030 game, 3020 DLC, 3050 release are titles; 3005
character, 3010 company, 3015 concept, 3025 franchise, 3032 theme, 3035 location, 3040 person,
3045 platform, 3055 object, 3060 genre, 3000 accessory are not. Comic Vine 4000 issue, 4050 volume
(comic), 4025 movie (film), 4075 series and 4070 episode (tv) are titles; 4005 character, 4010
publisher, 4015 concept, 4020 location, 4030 origin, 4035 power, 4040 person, 4045 story arc, 4055
object, 4060 team are not. Anime Vice grew out of the Comic Vine code and is read with the same
numbers (an assumption: no Anime Vice page was available to confirm it); its 4000/4050 items can be
films or series, so their kind comes from the page. Unknown type ids (older URL schemes such as
``/61-1234/``) are decided by the page: an info box of person labels (Birthday, Gender ...) and no
title labels is ``not_title``.

Kind, in order: a Type/Format row; the type id; the site's noun in the page title ("Memories
(Movie) - Anime Vice", also kept as ``kind_raw``); the noun of its placeholders ("about Memories's
related movies" -> film); otherwise None (never a guess from the runtime or the episode count).

Names: each Name row of General Information is a name with its language judged from its script
(``normalize.language.script_language``: kana -> ja; Latin on these English-language wikis -> en).
Several Name rows are editions (``type="edition"``, each paired with the Release Date row after
it); a lone Name row is the ``main`` name. Releases carry no region: the page does not show one.

Users and sister sites: "Top Rated Lists" and "Top Editors" are read only under their own heading;
the footer's "Mandatory Network" (links to the sister sites) is never data. The users' average
(``.average-score``, "4.0 stars") is out of 5. "Last edited by USER on MM/DD/YY HH:MMAM" gives
``history`` and ``last_edited_at`` (US month-first dates, the sites' format, local time).

A page with neither a title link nor an info box (a user list, a forum thread, an error page on a
family host) is ``not_title``, unless its URL names a title item type: then the layout has changed
under the extractor (a redesign), the page is read as far as it can be, and the registry flags it
(``layout``, since it fills under half of ``EXPECTED``) and hands it to the generic fallback.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree

from normalize.counts import parse_float, parse_int, parse_list_summary
from normalize.dates import PartialDate, parse_date, parse_date_range
from normalize.kinds import parse_kind
from normalize.labels import credit_roles, field_for_label, is_person_label, normalize_label
from normalize.language import language_code, script_language
from normalize.money import parse_money
from normalize.roles import canonical_roles
from normalize.runtime import parse_runtime
from normalize.text import clean_text, join_paragraphs

from .page import text_of
from .records import (
    Character,
    Credit,
    Editor,
    HistoryEntry,
    Image,
    Money,
    Name,
    Related,
    Release,
    Section,
    UserList,
)
from .registry import Family

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)

VERSION = "1"

SITES = {
    "animevice.com": "animevice",
    "comicvine.gamespot.com": "comicvine",
    "comicvine.com": "comicvine",
    "giantbomb.com": "giantbomb",
}
_SITE_NAMES = {"anime vice": "animevice", "comic vine": "comicvine", "giant bomb": "giantbomb"}

# -- item types ------------------------------------------------------------------------------------
_CV_OTHER = {
    "4005": "character", "4010": "publisher", "4015": "concept", "4020": "location", "4030": "origin",
    "4035": "power", "4040": "person", "4045": "story arc", "4055": "object", "4060": "team",
    "2300": "video",
}  # fmt: skip
TITLE_TYPES: dict[str, dict[str, str | None]] = {
    "giantbomb": {"3030": "game", "3020": "game", "3050": "game"},
    "comicvine": {"4000": "comic", "4050": "comic", "4025": "film", "4075": "tv", "4070": "tv"},
    "animevice": {"4000": None, "4050": None, "4025": "film", "4075": "tv", "4070": "tv"},
}
"""Title item types per site and the kind they fix (None: read the kind from the page)."""
OTHER_TYPES: dict[str, dict[str, str]] = {
    "giantbomb": {
        "3005": "character", "3010": "company", "3015": "concept", "3025": "franchise", "3032": "theme",
        "3035": "location", "3040": "person", "3045": "platform", "3055": "object", "3060": "genre",
        "3000": "accessory", "2300": "video", "1900": "review", "2200": "user review",
    },
    "comicvine": _CV_OTHER,
    "animevice": {**_CV_OTHER, "4010": "company"},
}  # fmt: skip
"""Item types that are not titles (their pages are ``not_title``)."""
_PERSON_TYPES = frozenset({"3040", "4040"})
_CHARACTER_TYPES = frozenset({"3005", "4005"})

_ID_SEGMENT = re.compile(r"^(\d{1,4})-(\d{1,12})$")
_ITEM_HREF = re.compile(r"/(\d{1,4})-(\d{1,12})/?(?:[?#]|$)")


def page_ids(url: str | None) -> tuple[str | None, str | None]:
    """``(type id, page id)`` from a family URL: the last ``TTTT-NNNN`` path segment.

    >>> page_ids("https://www.animevice.com/memories/4000-1001/")
    ('4000', '4000-1001')
    >>> page_ids("https://www.giantbomb.com/halo/3030-2600/credits/"), page_ids("https://x.com/a/")
    (('3030', '3030-2600'), (None, None))
    """
    if not url:
        return None, None
    found: tuple[str | None, str | None] = (None, None)
    for segment in urlsplit(url).path.split("/"):
        m = _ID_SEGMENT.match(segment)
        if m:
            found = (m[1], f"{m[1]}-{m[2]}")
    return found


@functools.lru_cache(maxsize=8192)
def item_type(href: str | None) -> str | None:
    """The type id of a link to a wiki item (``/yoko-kanno/4040-102/`` -> ``4040``), else None
    (pure, so cached: a page tests the same links from several readers)."""
    if not href:
        return None
    m = _ITEM_HREF.search(urlsplit(href).path + ("/" if not href.endswith("/") else ""))
    return m[1] if m else None


# -- labels and headings ---------------------------------------------------------------------------
_LABELS: dict[str, str] = {}


def _labels(tag: str, *labels: str) -> None:
    for label in labels:
        _LABELS[label] = tag


_labels("name", "name", "title", "english name", "edition name")
_labels("release", "release date", "release", "released", "original release date", "air date", "first aired",
        "premiere", "premiered", "premiere date", "cover date", "store date", "in store date",
        "publication date", "published", "date")
_labels("first_release", "first release date", "first released", "initial release", "start date", "started",
        "start year", "year")
_labels("expected", "expected release date", "expected release", "expected date", "expected to release",
        "expected release quarter", "expected release year", "release expected")
_labels("aired", "aired", "run", "original run", "years active", "publication run")
_labels("end_date", "end date", "end year", "ended", "last aired", "final air date")
_labels("rating", "rating", "ratings", "rated", "mpaa rating", "content rating", "age rating", "esrb")
_labels("runtime", "runtime", "run time", "running time", "length", "duration", "episode length")
_labels("aliases", "aliases", "alias", "also known as", "aka", "other names", "alternate names")
_labels("genres", "genre", "genres")
_labels("themes", "theme", "themes")
_labels("platforms", "platform", "platforms", "systems")
_labels("developers", "developer", "developers", "developed by")
_labels("publishers", "publisher", "publishers", "published by")
_labels("studios", "studio", "studios", "animation studio", "production studio", "production company",
        "production companies")
_labels("producers", "producer", "producers")
_labels("licensors", "licensor", "licensors", "licensed by")
_labels("countries", "country", "countries", "country of origin")
_labels("languages", "language", "languages", "original language")
_labels("franchise", "franchise", "franchises", "series")
_labels("budget", "budget", "production budget")
_labels("box_office", "box office", "box office receipts", "box office gross", "gross", "worldwide gross")
_labels("episodes", "episodes", "episode count", "number of episodes", "no. of episodes", "total episodes")
_labels("volumes", "volumes", "number of volumes")
_labels("kind", "type", "format", "media type", "anime type", "medium")
_labels("source", "source", "source material", "based on")
_labels("release_status", "status", "release status", "airing status")
_labels("characters", "characters", "character")
_labels("extra", "total revenue", "distributor", "distributors", "issues", "number of issues", "first episode",
        "last episode", "start issue", "end issue")  # fmt: skip
"""Whiskey's own labels (normalized) -> how the row is read; ``extra`` keeps a label out of fields."""

_FIELD_TAGS = {
    "genres": "genres", "themes": "themes", "platforms": "platforms", "developers": "developers",
    "publishers": "publishers", "studios": "studios", "producers": "producers", "licensors": "licensors",
    "countries": "countries", "languages": "languages", "rating": "rating", "runtime_minutes": "runtime",
    "episodes": "episodes", "volumes": "volumes", "budget": "budget", "box_office": "box_office",
    "aliases": "aliases", "credits": "credits", "end_date": "end_date", "releases": "release",
    "first_release_date": "aired", "kind": "kind", "source": "source", "characters": "characters",
}  # fmt: skip
"""``normalize.labels`` fields this family knows how to read, for labels ``_LABELS`` lacks."""

_LIST_TAGS = frozenset({"genres", "themes", "platforms", "developers", "publishers", "studios", "producers",
                        "licensors", "countries", "languages"})
_PERSON_INFO_LABELS = frozenset({
    "real name", "super name", "character type", "first appearance", "powers", "origin", "voice actor",
    "voice actors", "website", "hometown", "birthday", "birth", "death", "gender", "died", "born",
    "founded", "headquarters", "address", "phone", "abbreviation", "city", "state", "deceased",
})  # fmt: skip
_TITLE_INFO_TAGS = frozenset({"release", "first_release", "expected", "aired", "runtime", "platforms",
                              "developers", "episodes", "rating", "budget", "box_office", "genres"})

_RELATED_HEADINGS = (
    "franchise", "franchises", "similar", "similar games", "similar titles", "similar movies", "similar anime",
    "associations", "related", "related games", "related titles", "related movies", "related anime",
    "sequels", "sequel", "prequels", "prequel", "spin-offs", "spinoffs", "spin-off", "adaptations",
    "adaptation", "remakes", "remake", "ports", "dlc", "expansions", "compilations", "collections",
    "releases", "games", "movies", "anime", "manga", "series", "volumes", "episodes", "issues",
    "story arc", "story arcs", "in story arcs",
)  # fmt: skip
_ENTITY_HEADINGS = (
    "concepts", "locations", "objects", "things", "teams", "powers", "people", "companies", "publishers",
    "accessories", "themes", "genres", "platforms", "first appearances", "died in", "origins",
)  # fmt: skip
_CREDIT_HEADINGS = ("creators", "credits", "staff", "crew", "people credited", "cast", "voice actors",
                    "personnel")
_CHARACTER_HEADINGS = ("characters", "characters & voice actors", "characters and voice actors",
                       "characters in this", "cast & characters")
_LIST_HEADINGS = ("top rated lists", "lists", "top lists", "popular lists", "user lists", "featured lists",
                  "lists featuring this")
_EDITOR_HEADINGS = ("top editors", "top contributors", "editors", "top wiki editors")
_FOOTER_HEADINGS = ("mandatory network", "network", "cbs interactive", "gamespot network")

_HEADING_EDIT = re.compile(r"\s*(?:\b(?:edit|add|view all|show all|see all|more)\b\s*)+$", re.IGNORECASE)
_PLACEHOLDER = re.compile(
    r"^(?:we don't have any\b.*|we do not have any\b.*|help us fill it in!?|no (?:info|information|"
    r"characters|credits|lists|editors|description|overview)\b.*(?:yet|found|available|fill it in!?)\.?|"
    r"add (?:a|an|new) .*|there (?:are|is) no .* yet\.?|nothing (?:here|yet)\b.*)$",
    re.IGNORECASE,
)
_RELATED_NOUN = re.compile(r"\babout\s+(?P<title>.+?)['’]s\s+related\s+(?P<noun>[\w -]+?)\s*[.!]", re.IGNORECASE)
_ADD_CREDIT = re.compile(r"\badd\s+(?:a\s+)?credits?\s+(?:to|for)\s+(?P<title>.+?)\.?(?:\s*\(|$)", re.IGNORECASE)
_LAST_EDITED = re.compile(
    r"last edited by\s+(?P<user>\S+)\s+on\s+(?P<date>\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:\s+(?P<time>\d{1,2}:\d{2})\s*(?P<ampm>[AP]M))?",
    re.IGNORECASE,
)
_SITE_ALT = "Giant Bomb|Comic Vine|Anime Vice"
_TITLE_LINE = re.compile(rf"^(?P<title>.+?)(?:\s+\((?P<noun>[^()]+)\))?\s+[-–|]\s+(?P<site>{_SITE_ALT})$",
                         re.IGNORECASE)
_COPYRIGHT = re.compile(rf"(?:©|&copy;|\(c\)|copyright)\s*(?:\d{{4}}\s*)?(?P<site>{_SITE_ALT})\b", re.IGNORECASE)
_ROLE_WORD = re.compile(r"^(main|supporting|minor|recurring|major|guest|cameo|primary|secondary|protagonist|"
                        r"antagonist)$", re.IGNORECASE)
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp)(?:[?#].*)?$", re.IGNORECASE)


def heading_text(raw: str) -> str:
    """A module or box heading without its trailing edit controls ("Franchise Edit" -> "Franchise").

    >>> heading_text("Franchise Edit"), heading_text("General Information  Edit"), heading_text("Similar")
    ('Franchise', 'General Information', 'Similar')
    """
    text = clean_text(raw)
    stripped = _HEADING_EDIT.sub("", text)
    return stripped or text


@functools.lru_cache(maxsize=4096)
def heading_key(raw: str) -> str:
    """A heading as compared with the vocabularies (pure, so cached: pages repeat their headings)."""
    return normalize_label(heading_text(raw))


def _matches(key: str, vocabulary: tuple[str, ...]) -> bool:
    """Whether key is one of the vocabulary's phrases or starts with one and a space."""
    found = _VOCABULARIES.get(vocabulary)
    if found is None:
        found = _VOCABULARIES[vocabulary] = (frozenset(vocabulary), tuple(v + " " for v in vocabulary))
    return key in found[0] or key.startswith(found[1])


_VOCABULARIES: dict[tuple[str, ...], tuple[frozenset[str], tuple[str, ...]]] = {}


def is_placeholder(text: str) -> bool:
    """Whether text is the wiki's empty-box filler, never data.

    >>> is_placeholder("We don't have any info about Memories's related movies. Help us fill it in!")
    True
    >>> is_placeholder("Add a character to this episode"), is_placeholder("Magnetic Rose")
    (True, False)
    """
    return _is_placeholder(text)


@functools.lru_cache(maxsize=4096)
def _is_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.match(clean_text(text)))


# -- rows of the General Information box, shared by the HTML and the text readers -----------------
@dataclass(slots=True)
class Row:
    """One label / value row of an info box."""

    label: str
    text: str
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, str | None]] = field(default_factory=list)
    group: str | None = None


@dataclass(slots=True)
class InfoSummary:
    """What the info box told about the page, for the kind and not-title decisions."""

    tags: set[str] = field(default_factory=set)
    person_labels: int = 0
    names: list[Name] = field(default_factory=list)


def row_tag(label: str) -> str | None:
    """How a row is read: a tag of ``_LABELS``, a field ``normalize.labels`` knows, or None (extra).

    >>> row_tag("Release Date:"), row_tag("Box Office Receipts"), row_tag("Total Revenue"), row_tag("Wingspan")
    ('release', 'box_office', 'extra', None)
    """
    key = normalize_label(label)
    if not key:
        return None
    tag = _LABELS.get(key) or (_LABELS.get(key[:-1]) if key.endswith("s") else None)
    if tag is not None:
        return tag
    known = field_for_label(key)
    return _FIELD_TAGS.get(known) if known else None


def _items(row: Row) -> list[str]:
    """A multi-value row's values: its links, else its lines, else its comma-separated parts."""
    if row.links:
        return [t for t, _ in row.links]
    if len(row.lines) > 1:
        return row.lines
    return [p.strip() for p in row.text.split(",") if p.strip()]


def _date(b: RecordBuilder, field_name: str, raw: str) -> PartialDate | None:
    parsed = parse_date(raw)
    if parsed is None:
        b.unparsed(field_name, raw, "a date")
    return parsed


def apply_rows(b: RecordBuilder, rows: list[Row]) -> InfoSummary:
    """Fill the builder from info-box rows; returns what the rows said about the page.

    Name / Release Date rows pair up: a release row takes the latest Name row not yet paired. When
    the box has several Name rows each names an edition (``type="edition"``); a lone Name row is the
    main name. A name's language is judged from its script (``normalize.language.script_language``).
    """
    info = InfoSummary()
    pending: str | None = None
    names: list[str] = []
    for row in rows:
        tag = row_tag(row.label)
        key = normalize_label(row.label)
        if key in _PERSON_INFO_LABELS or is_person_label(key):
            info.person_labels += 1
        if tag is None or tag == "extra":
            for value in row.lines or [row.text]:
                b.extra(row.label, value, row.group)  # noqa: S610 - RecordBuilder.extra, not Django's
            continue
        info.tags.add(tag)
        value = row.text
        if not value and tag != "name":
            continue
        if tag == "name":
            if value:
                names.append(value)
                pending = value
        elif tag in ("release", "first_release", "expected"):
            _release_row(b, tag, value, pending)
            pending = None
        elif tag == "aired":
            start, end = parse_date_range(value)
            if start is None:
                b.unparsed("first_release_date", value, "a date range")
            else:
                b.add("releases", Release(name=pending, date=start.iso, precision=start.precision, raw=value))
                b.set("first_release_date", start.iso)
                b.set("first_release_precision", start.precision)
                pending = None
            if end is not None:
                b.set("end_date", end.iso)
                b.set("end_precision", end.precision)
        elif tag == "end_date":
            parsed = _date(b, "end_date", value)
            if parsed is not None:
                b.set("end_date", parsed.iso)
                b.set("end_precision", parsed.precision)
        else:
            _value_row(b, tag, row)
    kind = "edition" if len(names) > 1 else "main"
    for name in names:
        info.names.append(Name(name=name, lang=script_language(name), type=kind))
    b.add("names", *info.names)
    return info


def _release_row(b: RecordBuilder, tag: str, raw: str, name: str | None) -> None:
    parsed = _date(b, "releases", raw)
    note = "expected" if tag == "expected" else None
    b.add("releases", Release(name=name, date=parsed.iso if parsed else None,
                              precision=parsed.precision if parsed else None, raw=raw, note=note))
    if parsed is not None and tag in ("first_release", "expected"):
        b.set("first_release_date", parsed.iso)
        b.set("first_release_precision", parsed.precision)


def _value_row(b: RecordBuilder, tag: str, row: Row) -> None:
    value = row.text
    if tag in _LIST_TAGS:
        people = [(t, u) for t, u in row.links if item_type(u) in _PERSON_TYPES]
        if people:  # "Producers" linking to person pages are credits, not companies
            _row_credits(b, row, people)
            row = Row(label=row.label, text=value, lines=row.lines,
                      links=[x for x in row.links if x not in people], group=row.group)
            if not row.links:
                return
        b.add(tag, *_items(row))
    elif tag == "rating":
        b.set("rating", ", ".join(t for t, _ in row.links) if len(row.links) > 1 else value)
    elif tag == "runtime":
        b.set("runtime_raw", value)
        minutes = parse_runtime(value)
        if minutes is None:
            b.unparsed("runtime_minutes", value, "a running time")
        b.set("runtime_minutes", minutes)
    elif tag == "aliases":
        b.add("aliases", *(row.lines or [value]))
    elif tag == "franchise":
        for text, url in row.links or [(v, None) for v in _items(row)]:
            b.add("related", Related(relation="franchise", title=text, url=url))
    elif tag in ("budget", "box_office"):
        amount, currency = parse_money(value)
        if amount is None:
            b.unparsed(tag, value, "an amount")
        b.set(tag, Money(raw=value, amount=amount, currency=currency))
    elif tag in ("episodes", "volumes"):
        count = parse_int(value)
        if count is None:
            b.unparsed(tag, value, "a count")
        b.set(tag, count)
    elif tag == "kind":
        b.set("kind_raw", value)
        kind = parse_kind(value)
        if kind is None:
            b.unparsed("kind", value, "a kind")
        b.set("kind", kind)
    elif tag == "source":
        b.set("source", value)
    elif tag == "release_status":
        b.set("release_status", value.lower())
    elif tag == "credits":
        _row_credits(b, row, row.links or [(v, None) for v in _items(row)])
    elif tag == "characters":
        for text, url in row.links or [(v, None) for v in _items(row)]:
            b.add("characters", Character(character=text, character_url=url))


def _row_credits(b: RecordBuilder, row: Row, people: list[tuple[str, str | None]]) -> None:
    """People of a role row ("Writers", "Director"): the label is the role as shown."""
    role = clean_text(row.label).rstrip(":")
    roles = credit_roles(role)
    for text, url in people:
        b.add("credits", Credit(person=text, person_url=url, role=role, roles=roles))


# -- relation boxes, credits, lists, editors: shared builders -------------------------------------
def box_kind(heading: str, urls: Iterable[str | None] = ()) -> str:
    """What a relation box holds, from its heading: characters, credits, role, related or extra.

    >>> [box_kind(h) for h in ("Characters", "Creators", "Writers", "Franchise Edit", "Concepts", "Similar Games")]
    ['characters', 'credits', 'role', 'related', 'extra', 'related']
    """
    key = heading_key(heading)
    if _matches(key, _CHARACTER_HEADINGS):
        return "characters"
    if _matches(key, _CREDIT_HEADINGS):
        return "credits"
    if _matches(key, _RELATED_HEADINGS):
        return "related"
    if _matches(key, _ENTITY_HEADINGS):
        return "extra"
    roles = credit_roles(key)
    if roles and roles != ("other",):
        return "role"
    types = {item_type(u) for u in urls if u}
    if types and all(t is not None and _is_title_type(t) for t in types):
        return "related"
    return "extra"


def _is_title_type(type_id: str) -> bool:
    return any(type_id in table for table in TITLE_TYPES.values())


def apply_box(b: RecordBuilder, heading: str, items: Sequence[tuple[str, str | None, str]]) -> None:
    """Fill the builder from one relation box: items are (link text, url, text after the link)."""
    what = box_kind(heading, (u for _, u, _ in items))
    label = heading_text(heading)
    for text, url, rest in items:
        if not text or is_placeholder(text):
            continue
        if what == "characters":
            b.add("characters", Character(character=text, character_url=url))
        elif what == "credits":
            role = clean_text(rest).strip(" ,;:-–") or None
            b.add("credits", Credit(person=text, person_url=url, role=role, roles=canonical_roles(role)))
        elif what == "role":
            b.add("credits", Credit(person=text, person_url=url, role=label, roles=credit_roles(label)))
        elif what == "related":
            b.add("related", Related(relation=label.lower(), title=text, url=url))
        else:
            b.extra(label, text, "relations")  # noqa: S610 - RecordBuilder.extra, not Django's


def make_credit(person: str, url: str | None, role: str | None, note: str | None) -> Credit:
    role = clean_text(role) or None
    note = clean_text(note) or None
    return Credit(person=clean_text(person), person_url=url, role=role, roles=canonical_roles(role), note=note)


def make_list(name: str, url: str | None, summary: str, links: list[tuple[str, str | None]]) -> UserList:
    """A user list from its name and its "a list of N items by USER" line (author link if any)."""
    parsed = parse_list_summary(summary) if summary else None
    count, author = parsed if parsed else (None, None)
    author_url = None
    for text, href in links:
        if author is None or text == author:
            author, author_url = text, href
            break
    return UserList(name=clean_text(name), url=url, item_count=count, author=author, author_url=author_url)


def make_editor(name: str, url: str | None, rest: str) -> Editor:
    return Editor(name=clean_text(name), url=url, contributions=parse_int(rest) if rest.strip() else None)


def parse_last_edited(text: str) -> HistoryEntry | None:
    """"Last edited by USER on 10/05/21 03:11AM" (US month/day/year, the family's format).

    >>> parse_last_edited("Last edited by nuclearpolymer on 10/05/21 03:11AM View full history")
    HistoryEntry(action='edited', user='nuclearpolymer', at='2021-10-05T03:11')
    """
    m = _LAST_EDITED.search(text)
    if m is None:
        return None
    stamp = m["date"] + (f" {m['time']}{m['ampm'].upper()}" if m["time"] else "")
    year_fmt = "%Y" if len(m["date"].rsplit("/", 1)[1]) == 4 else "%y"
    fmt = f"%m/%d/{year_fmt}" + (" %I:%M%p" if m["time"] else "")
    try:
        when = datetime.strptime(stamp, fmt)
    except ValueError:
        return HistoryEntry(action="edited", user=m["user"], at=None)
    at = when.strftime("%Y-%m-%dT%H:%M") if m["time"] else when.strftime("%Y-%m-%d")
    return HistoryEntry(action="edited", user=m["user"], at=at)


def resolve_kind(b: RecordBuilder, site: str, type_id: str | None, title_noun: str | None,
                 placeholder: list[str]) -> None:
    """Set ``kind`` when no Type row did: the type id, the site's title noun ("Memories (Movie) -
    Anime Vice"), then the nouns of its placeholders ("about T's related movies")."""
    if title_noun and not b.get("kind_raw"):
        b.set("kind_raw", title_noun)
    if b.get("kind"):
        return
    fixed = TITLE_TYPES.get(site, {}).get(type_id or "")
    if fixed:
        b.set("kind", fixed)
        return
    for noun in ([title_noun] if title_noun else []) + placeholder:
        kind = parse_kind(noun)
        if kind is not None:
            b.set("kind", kind)
            b.set("kind_raw", noun, overwrite=True)
            return


def title_suffix(line: str) -> tuple[str, str | None, str] | None:
    """A page title line "T (Noun) - Site": (title, noun or None, site); None when it is not one.

    >>> title_suffix("Memories (Movie) - Anime Vice"), title_suffix("Halo | Giant Bomb")
    (('Memories', 'Movie', 'animevice'), ('Halo', None, 'giantbomb'))
    """
    m = _TITLE_LINE.match(clean_text(line))
    if m is None:
        return None
    return clean_text(m["title"]), m["noun"], _SITE_NAMES[m["site"].lower()]


def placeholder_nouns(text: str) -> list[str]:
    """The nouns of "about T's related movies" placeholders, in page order."""
    return [m["noun"] for m in _RELATED_NOUN.finditer(text)]


def title_from_phrases(text: str) -> str | None:
    """The item name as the site writes it in its own phrases ("Add a credit to Memories.")."""
    for pattern in (_ADD_CREDIT, _RELATED_NOUN):
        m = pattern.search(text)
        if m:
            return clean_text(m["title"])
    return None


def not_title_by_info(b: RecordBuilder, info: InfoSummary, type_id: str | None, site: str) -> None:
    """Unknown item types: an info box of person labels and no title labels is not a title."""
    if type_id and (type_id in TITLE_TYPES.get(site, {}) or type_id in OTHER_TYPES.get(site, {})):
        return
    if info.person_labels >= 2 and not info.tags & _TITLE_INFO_TAGS:
        b.not_title("person, character or company page (info box labels)")


def site_from_text(text: str) -> str | None:
    """Which of the three sites a page is, from its own text: its title line ("T (Game) - Giant
    Bomb"), its copyright line ("(c) 2026 Comic Vine"), then what it shows (voice actors mean Anime
    Vice, platform or developer rows Giant Bomb, issues or box office receipts Comic Vine). The
    sister sites listed in the footer ("Mandatory Network") say nothing about the page itself.

    >>> site_from_text("Halo (Game) - Giant Bomb\\nMandatory Network\\nComic Vine"), site_from_text("Voice actors")
    ('giantbomb', 'animevice')
    """
    for line in text.splitlines()[:40]:
        found = title_suffix(line)
        if found is not None:
            return found[2]
    m = _COPYRIGHT.search(text)
    if m:
        return _SITE_NAMES[m["site"].lower()]
    lowered = text.lower()
    if "voice actor" in lowered:
        return "animevice"
    if re.search(r"^\s*(?:platforms?|developers?)\b", text, re.IGNORECASE | re.MULTILINE):
        return "giantbomb"
    if re.search(r"\b(?:story arcs?|issues?|box office receipts)\b", lowered):
        return "comicvine"
    return None


# -- HTML -----------------------------------------------------------------------------------------
def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_H1 = etree.XPath("//h1")
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5")
_OG_SITE = etree.XPath("//meta[@property='og:site_name']/@content | //title/text()")
_PAGE_TITLE = etree.XPath("//title/text()")
_FIGURES = etree.XPath(".//figure")
_ROWS = etree.XPath(".//tr[th and td] | .//dl/dt")
_LINKS = etree.XPath(".//a[@href][not(ancestor::form)]")
_SCORE_COUNT = re.compile(r"(\d[\d,.]*)\s+(?:user\s+)?(?:reviews?|ratings?|votes?)\b", re.IGNORECASE)
_LAST_EDITED_TEXT = etree.XPath(
    ".//text()[not(parent::script or parent::style)]"
    "[contains(translate(., 'LAST EDITED BY', 'last edited by'), 'last edited by')]"
)
"""Text nodes holding "last edited by" (any case of those letters). A script's or style's own text
never counts (``text_of`` of a script is empty), so it is left out before the costly ``translate``."""

_MARKED = etree.XPath("//@class | //@id[contains(., 'credit')] | //@itemprop[. = 'description']")
"""The attributes that mark what the extractor looks for (see ``_Marked``): one walk of the tree.
Testing class names in XPath (``contains(concat(' ', normalize-space(@class), ' '), ...)``) builds
strings at every element of the page and cost 2-3 ms per query on a 250 KB page; these attributes
are read in Python instead, once per page."""
_XML_SPACE = str.maketrans("\t\r\n", "   ")
_CREDIT_LOWER = str.maketrans("CREDIT", "credit")
_CREDIT_BLOCK_TAGS = frozenset({"section", "div", "ul", "table"})
_INFO_BOX_CLASSES = frozenset({"wiki-details", "wiki-details-object"})


_OWN_TEXT_NODES = etree.XPath("text()")


def _page_title(root: HtmlElement) -> str | None:
    """The first text of ``//title/text()``, found by a C-level walk that stops at the first title
    with text (the XPath walked the whole tree); a title with child elements (not in HTML as
    parsed) takes the XPath, so that document order stays exactly the query's."""
    for el in root.iter("title"):
        if len(el):
            found = _PAGE_TITLE(root)
            return str(found[0]) if found else None
        texts = _OWN_TEXT_NODES(el)
        if texts:
            return str(texts[0])
    return None


def _canonical_urls(root: HtmlElement) -> list[str]:
    """The page's ``link[rel=canonical]`` hrefs and ``og:url`` contents in document order, in one
    C-level walk of the tree (the XPath union of both walked it twice, 0.35 ms on a 250 KB page)."""
    found: list[str] = []
    for el in root.iter("link", "meta"):
        if el.tag == "link":
            value = el.get("href") if el.get("rel") == "canonical" else None
        else:
            value = el.get("content") if el.get("property") == "og:url" else None
        if value is not None:
            found.append(value)
    return found


def _page_canonical_urls(page: Page, root: HtmlElement) -> tuple[str, ...]:
    """``_canonical_urls`` of the page's tree, worked out once per page (``site_from_page`` and the
    extractor both read them)."""
    found = page.memo.get("whiskey.canonical")
    if isinstance(found, tuple) and page.root is root:
        return found
    urls = tuple(_canonical_urls(root))
    if page.root is root:
        page.memo["whiskey.canonical"] = urls
    return urls


def _classes(el: HtmlElement) -> frozenset[str]:
    """An element's class names, split at XML white space (what ``normalize-space`` collapses)."""
    value = el.get("class")
    if not value:
        return frozenset()
    return frozenset(value.translate(_XML_SPACE).split(" ")) - {""}


def _in_class(el: HtmlElement, names: frozenset[str], *, tags: frozenset[str] = frozenset()) -> bool:
    """Whether an ancestor of el carries one of the class names (or is one of the tags)."""
    return any(anc.tag in tags or not names.isdisjoint(_classes(anc)) for anc in el.iterancestors())


@dataclass(slots=True)
class _Marked:
    """The page's elements found by class name (and a few by id or itemprop), in document order,
    from one pass over the page's class attributes (``marked``).

    Each list is what a whole-document XPath gave before (``has_class(x)`` is a class name of the
    element, split at white space): ``wiki_titles`` ``//a[has_class('wiki-title')]``;
    ``descriptors`` ``wiki-descriptor``; ``toc`` ``js-toc-content``; ``displays`` ``wiki-item-display``
    (``item_displays()`` keeps those outside info boxes and tables); ``described``
    ``@itemprop='description'``; ``details`` ``wiki-details``; ``objects`` ``wiki-details-object``;
    ``boxes`` the objects and the ``ul.wiki-relation`` outside them; ``boxart`` ``wiki-boxart``;
    ``scores`` ``average-score``; ``credit_blocks`` a section, div, ul or table whose class holds
    "credit" (letters of that word in any case) or whose id holds "credit"; ``history``
    ``wiki-edit-history``, the block of the "Last edited by" line in the samples' designs."""

    wiki_titles: list[HtmlElement] = field(default_factory=list)
    descriptors: list[HtmlElement] = field(default_factory=list)
    toc: list[HtmlElement] = field(default_factory=list)
    displays: list[HtmlElement] = field(default_factory=list)
    described: list[HtmlElement] = field(default_factory=list)
    details: list[HtmlElement] = field(default_factory=list)
    objects: list[HtmlElement] = field(default_factory=list)
    boxes: list[HtmlElement] = field(default_factory=list)
    boxart: list[HtmlElement] = field(default_factory=list)
    scores: list[HtmlElement] = field(default_factory=list)
    credit_blocks: list[HtmlElement] = field(default_factory=list)
    history: list[HtmlElement] = field(default_factory=list)

    def item_displays(self) -> list[HtmlElement]:
        """``wiki-item-display`` elements outside the info boxes and tables (the description)."""
        return [el for el in self.displays if not _in_class(el, _INFO_BOX_CLASSES, tags=frozenset({"table"}))]

    def add(self, el: HtmlElement) -> None:
        """Sort one element carrying a marking attribute into its lists."""
        tag = el.tag
        value = el.get("class") or ""
        if tag in _CREDIT_BLOCK_TAGS and ("credit" in value.translate(_CREDIT_LOWER) or
                                          "credit" in (el.get("id") or "")):
            self.credit_blocks.append(el)
        if el.get("itemprop") == "description":
            self.described.append(el)
        if "wiki-" not in value and "js-toc-content" not in value and "average-score" not in value:
            return
        names = _classes(el)
        if tag == "a" and "wiki-title" in names:
            self.wiki_titles.append(el)
        if "wiki-descriptor" in names:
            self.descriptors.append(el)
        if "js-toc-content" in names:
            self.toc.append(el)
        if "wiki-item-display" in names:
            self.displays.append(el)
        if "wiki-details" in names:
            self.details.append(el)
        if "wiki-details-object" in names:
            self.objects.append(el)
            self.boxes.append(el)
        elif tag == "ul" and "wiki-relation" in names and not _in_class(el, frozenset({"wiki-details-object"})):
            self.boxes.append(el)
        if "wiki-boxart" in names:
            self.boxart.append(el)
        if "average-score" in names:
            self.scores.append(el)
        if "wiki-edit-history" in names:
            self.history.append(el)


def marked(page: Page, root: HtmlElement) -> _Marked:
    """The page's ``_Marked`` elements, worked out once per page (kept in ``page.memo``)."""
    found = page.memo.get("whiskey.marked")
    if isinstance(found, _Marked) and page.root is root:
        return found
    found = _Marked()
    last = None
    for attr in _MARKED(root):
        if attr.attrname == "class" and "wiki-" not in attr and "js-toc-content" not in attr and (
            "average-score" not in attr and "credit" not in attr.lower()
        ):
            continue  # most class names on a page: nothing of ours (``add`` tests the rest exactly)
        el = attr.getparent()
        if el is None or el is last:
            continue  # an element with two marking attributes (class and id) comes twice in a row
        last = el
        found.add(el)
    if page.root is root:
        page.memo["whiskey.marked"] = found
    return found


_SELF_OR_LI = etree.XPath("descendant-or-self::li")
_ISSUE_NUMBER = etree.XPath(f".//*[{_has_class('wiki-issue-number')}]")
_DISPLAY = etree.XPath(f".//*[{_has_class('wiki-item-display')}]")
_SUB_HEADINGS = etree.XPath(".//h2 | .//h3 | .//h4")
_IN_OBJECT = etree.XPath(f"ancestor::*[{_has_class('wiki-details-object')}]")
_IN_DETAILS = etree.XPath(f"ancestor::*[{_has_class('wiki-details-object')} or {_has_class('wiki-details')}]")
_SELF_IN_DETAILS = etree.XPath(
    f"ancestor-or-self::*[{_has_class('wiki-details-object')} or {_has_class('wiki-details')}]"
)
_CHARACTER_ROLE = etree.XPath(f".//*[contains(@class, 'role')][not(ancestor::*[{_has_class('voice-actors')}])]")
_LANG = etree.XPath(".//*[contains(@class, 'lang')]")
_CREDIT_ROWS = etree.XPath("descendant-or-self::li | descendant-or-self::tr[td]")
_ROLE = etree.XPath(".//*[contains(@class, 'role')]")
_NOTE = etree.XPath(".//p | .//*[contains(@class, 'deck') or contains(@class, 'bio') or contains(@class, 'note') or "
                    "contains(@class, 'description')]")
_CAPTION = etree.XPath(".//*[contains(@class, 'caption')]")

_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "br", "tr", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "blockquote", "dd", "dt", "dl", "figure", "figcaption", "header", "footer", "aside",
    "nav", "pre", "hr", "td", "th",
})  # fmt: skip
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "form", "input", "select", "textarea",
                        "button", "option", "svg"})
_PARA_TAGS = frozenset({"p", "li", "blockquote", "pre", "dd", "dt", "tr"})
_SECTION_HEADINGS = frozenset({"h2", "h3", "h4"})
_NOT_TEXT_TAGS = frozenset({"figure", "table"}) | _SKIP_TAGS


def block_lines(el: HtmlElement) -> list[str]:
    """An element's text split into lines at ``br`` and block boundaries (iterative: deep trees are fine)."""
    if not len(el):  # a leaf (most cells): its own text, no walk
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            return []
        return [line for line in (clean_text(x) for x in (el.text or "").split("\n")) if line]
    parts: list[str] = []
    skip = 0
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "start":
            if skip or tag is None or tag in _SKIP_TAGS:
                skip += 1
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
        else:
            if skip:
                skip -= 1
                if skip == 0 and node is not el and node.tail:
                    parts.append(node.tail)
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if node is not el and node.tail:
                parts.append(node.tail)
    return [line for line in (clean_text(x) for x in "".join(parts).split("\n")) if line]


def _following(heading: HtmlElement) -> list[HtmlElement]:
    """The elements a heading heads: its later siblings up to the next heading of the same rank."""
    out: list[HtmlElement] = []
    for sib in heading.itersiblings():
        if not isinstance(sib.tag, str):
            continue
        if sib.tag == heading.tag:
            break
        out.append(sib)
    return out


def _links(page: Page, nodes: Iterable[HtmlElement]) -> list[tuple[HtmlElement, str, str | None]]:
    """(element, text, absolute url) of the real links in nodes (no "#", no javascript:)."""
    out = []
    for node in nodes:
        candidates = [node] if node.tag == "a" and node.get("href") else []
        candidates += _LINKS(node)
        for a in candidates:
            href = (a.get("href") or "").strip()
            text = text_of(a)
            if not text or not href or href.startswith(("#", "javascript:")):
                continue
            out.append((a, text, page.absolute(href)))
    return out


def _top_items(nodes: Iterable[HtmlElement]) -> list[HtmlElement]:
    """The outermost ``li`` elements in nodes (an item's nested lists stay part of the item)."""
    out: list[HtmlElement] = []
    for node in nodes:
        items = _SELF_OR_LI(node)
        ids = {id(li) for li in items}
        out += [li for li in items if not any(id(anc) in ids for anc in li.iterancestors("li"))]
    return out


def _nested_in(el: HtmlElement, tag: str, stop: HtmlElement) -> bool:
    """Whether el sits inside another ``tag`` element below ``stop``."""
    for anc in el.iterancestors():
        if anc is stop:
            return False
        if anc.tag == tag:
            return True
    return False


def _text_without(holder: HtmlElement, part: HtmlElement) -> str:
    """The text of holder with one descendant's text taken out (an item's text after its link)."""
    whole = clean_text(holder.text_content())
    return clean_text(whole.replace(clean_text(part.text_content()), " ", 1))


@functools.lru_cache(maxsize=4096)
def _module_of(heading: str) -> str | None:
    """The module a heading's text names (characters, lists, editors, credits), the first that
    matches in that order, or None (pure, so cached: pages repeat their headings)."""
    key = heading_key(heading)
    for name, vocabulary in (("characters", _CHARACTER_HEADINGS), ("lists", _LIST_HEADINGS),
                             ("editors", _EDITOR_HEADINGS), ("credits", _CREDIT_HEADINGS)):
        if _matches(key, vocabulary):
            return name
    return None


class _Html:
    """Reads one HTML page of the family into a builder."""

    def __init__(self, page: Page, root: HtmlElement, b: RecordBuilder) -> None:
        self.page = page
        self.root = root
        self.b = b
        self.site = b.site
        self.url = page.url
        self.type_id: str | None = None
        self.page_id: str | None = None
        self.marked = marked(page, root)

    def run(self) -> str | None:
        b = self.b
        with b.field("canonical_url"):
            canonical = next((h.strip() for h in _page_canonical_urls(self.page, self.root) if h.strip()), None)
            if canonical:
                b.set("canonical_url", self.page.absolute(canonical))
        self.type_id, self.page_id = page_ids(self.url or b.get("canonical_url"))
        other = OTHER_TYPES.get(self.site, {}).get(self.type_id or "")
        with b.field("title"):
            self.title()
        if other is not None:
            b.not_title(f"{other} page")
            return self.page_id
        if not self.marked.wiki_titles and not self.marked.details:
            if self.type_id not in TITLE_TYPES.get(self.site, {}):
                b.not_title("no wiki item on the page (no title link, no info box)")
                return self.page_id
            # A title item's URL without the family's markup: the layout changed. Read what can be
            # read; the registry flags the page (``layout``) and lets the generic fallback try it.
            logger.debug("%s: a title URL without the family's markup", self.url)
        with b.field("images"):
            self.images()
        with b.field("deck"):
            for el in self.marked.descriptors:
                b.set("deck", " ".join(block_lines(el)))
        with b.field("synopsis"):
            self.description()
        info = InfoSummary()
        with b.field("info"):
            info = apply_rows(b, self.rows())
        with b.field("related"):
            self.boxes()
        modules = self.modules()
        with b.field("characters"):
            for heading in modules.get("characters", []):
                self.characters(heading)
        with b.field("credits"):
            self.credits(modules.get("credits", []))
        with b.field("lists"):
            for heading in modules.get("lists", []):
                self.lists(heading)
        with b.field("top_editors"):
            for heading in modules.get("editors", []):
                self.editors(heading)
        with b.field("history"):
            self.history()
        with b.field("score"):
            self.score()
        with b.field("kind"):
            page_title = _page_title(self.root)
            found = title_suffix(page_title) if page_title is not None else None
            boxes = " ".join(text_of(box) for box in self.marked.boxes)
            resolve_kind(b, self.site, self.type_id, found[1] if found else None, placeholder_nouns(boxes))
        not_title_by_info(b, info, self.type_id, self.site)
        return self.page_id

    # -- title, deck, description -------------------------------------------------------------
    def title(self) -> None:
        for a in self.marked.wiki_titles:
            h1 = next((x for x in a.iterancestors("h1")), None)
            if h1 is not None and _ISSUE_NUMBER(h1):
                self.b.set("title", text_of(h1))
            self.b.set("title", text_of(a))
            if self.b.get("title"):
                return
        for h1 in _H1(self.root):
            self.b.set("title", text_of(h1))

    def _description(self) -> HtmlElement | None:
        for el in self.marked.toc:
            if text_of(el):
                return el
        for el in self.marked.item_displays():
            if text_of(el):
                return el
        for el in self.marked.described:
            if text_of(el):
                return el
        return None

    def description(self) -> None:
        desc = self._description()
        if desc is None:
            return
        sections: list[tuple[str | None, list[str]]] = [(None, [])]
        inside = 0
        for event, node in etree.iterwalk(desc, events=("start", "end")):
            if event == "end":
                inside = max(0, inside - 1) if inside else 0
                continue
            if inside:
                inside += 1
                continue
            tag = node.tag if isinstance(node.tag, str) else None
            if tag is None or tag in _NOT_TEXT_TAGS:
                inside = 1
            elif tag in _SECTION_HEADINGS:
                sections.append((text_of(node) or None, []))
                inside = 1
            elif tag in _PARA_TAGS:
                text = " | ".join(text_of(c) for c in node if text_of(c)) if tag == "tr" else text_of(node)
                if text and not is_placeholder(text):
                    sections[-1][1].append(text)
                inside = 1
        if not any(paras for _, paras in sections):
            lines = [x for x in block_lines(desc) if not is_placeholder(x)]
            sections = [(None, lines)]
        paragraphs = [p for _, paras in sections for p in paras]
        self.b.set("synopsis", join_paragraphs(paragraphs))
        for heading, paras in sections:
            if paras:
                self.b.add("synopsis_sections", Section(heading=heading, text=join_paragraphs(paras)))
        for fig in _FIGURES(desc):
            self._figure(fig)

    # -- the General Information box ------------------------------------------------------------
    def rows(self) -> list[Row]:
        rows: list[Row] = []
        for box in self.marked.details:
            group = self._box_heading(box)
            for row in _ROWS(box):
                if row.tag == "dt":
                    label_el, value_el = row, next(row.itersiblings("dd"), None)
                else:
                    label_el, value_el = row.find("th"), row.find("td")
                if label_el is None or value_el is None:
                    continue
                if _nested_in(row, "tr", box):
                    continue
                label = text_of(label_el)
                if not label:
                    continue
                display = _DISPLAY(value_el)
                holder = display[0] if display else value_el
                lines = [x for x in block_lines(holder) if not is_placeholder(x)]
                links = [(t, u) for _, t, u in _links(self.page, [holder]) if not is_placeholder(t)]
                rows.append(Row(label=label, text=" ".join(lines), lines=lines, links=links, group=group))
        return rows

    def _box_heading(self, box: HtmlElement) -> str | None:
        for h in _SUB_HEADINGS(box):
            if not _IN_OBJECT(h):
                return heading_text(text_of(h)) or None
        prev = box.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is not None and prev.tag in ("h2", "h3", "h4"):
            return heading_text(text_of(prev)) or None
        return None

    # -- relation boxes ---------------------------------------------------------------------------
    def boxes(self) -> None:
        for box in self.marked.boxes:
            heading_el = box.find(".//h3") if box.tag != "ul" else None
            if heading_el is None:
                heading_el = next((h for h in box.itersiblings(preceding=True) if h.tag in ("h2", "h3", "h4")),
                                  None)
            if heading_el is None:
                continue
            items: list[tuple[str, str | None, str]] = []
            for li in box.iter("li"):
                found = _links(self.page, [li])
                if not found:
                    continue
                a, text, url = found[0]
                if item_type(url) is None:
                    continue
                items.append((text, url, _text_without(li, a)))
            apply_box(self.b, text_of(heading_el), items)

    # -- modules found by their heading -------------------------------------------------------
    def modules(self) -> dict[str, list[HtmlElement]]:
        found: dict[str, list[HtmlElement]] = {}
        for h in self.root.iter(*_HEADING_TAGS):  # one C-level walk, document order
            name = _module_of(text_of(h))
            if name is not None and not _IN_DETAILS(h):  # tested after the heading: most match nothing
                found.setdefault(name, []).append(h)
        return found

    def characters(self, heading: HtmlElement) -> None:
        for li in _top_items(_following(heading)):
            links = [(a, t, u) for a, t, u in _links(self.page, [li]) if item_type(u) is not None]
            if not links:
                continue
            _, name, url = links[0]
            role_el = _CHARACTER_ROLE(li)
            role = text_of(role_el[0]).lower() if role_el else None
            actors = [(text, href, self._actor_language(a)) for a, text, href in links[1:]
                      if item_type(href) not in _CHARACTER_TYPES]
            if not actors:
                self.b.add("characters", Character(character=name, character_url=url, role=role))
            for text, href, lang in actors:
                self.b.add("characters", Character(character=name, character_url=url, role=role, actor=text,
                                                   actor_url=href, language=lang))

    @staticmethod
    def _actor_language(a: HtmlElement) -> str | None:
        holder = a.getparent()
        candidates: list[str] = []
        for el in (a, holder):
            if el is None:
                continue
            candidates += [el.get("lang") or "", el.get("data-language") or ""]
        if holder is not None:
            candidates += [text_of(x) for x in _LANG(holder)]
            candidates.append(clean_text(holder.text_content().replace(a.text_content(), " ")))
        for value in candidates:
            value = clean_text(value).strip("()[]: ")
            code = language_code(value) if value else None
            if code:
                return code
        return None

    def credits(self, headings: list[HtmlElement]) -> None:
        blocks: list[HtmlElement] = list(self.marked.credit_blocks)
        for h in headings:
            blocks += _following(h)
        # The rows themselves, not their id(): an lxml proxy dies with the list that held it and a
        # later row's proxy can reuse its address (rows of a second block were taken as seen).
        seen: set[HtmlElement] = set()
        for block in blocks:
            if _SELF_IN_DETAILS(block):
                continue
            for li in _CREDIT_ROWS(block):
                if li in seen:
                    continue
                seen.add(li)
                links = [(a, t, u) for a, t, u in _links(self.page, [li]) if item_type(u) is not None]
                if not links:
                    continue
                a, person, url = links[0]
                role_el = _ROLE(li)
                note_el = _NOTE(li)
                role = text_of(role_el[0]) if role_el else None
                note = text_of(note_el[0]) if note_el else None
                if role is None:
                    rest = _text_without(li, a)
                    if note:
                        rest = clean_text(rest.replace(note, " "))
                    role = rest.strip(" ,;:-–") or None
                self.b.add("credits", make_credit(person, url, role, note))

    def lists(self, heading: HtmlElement) -> None:
        for li in _top_items(_following(heading)):
            links = _links(self.page, [li])
            if not links:
                continue
            a, name, url = links[0]
            summary = _text_without(li, a)
            self.b.add("lists", make_list(name, url, summary, [(t, u) for _, t, u in links[1:]]))

    def editors(self, heading: HtmlElement) -> None:
        for li in _top_items(_following(heading)):
            links = _links(self.page, [li])
            if not links:
                continue
            a, name, url = links[0]
            rest = _text_without(li, a)
            self.b.add("top_editors", make_editor(name, url, rest))

    # -- images and history ---------------------------------------------------------------------
    def images(self) -> None:
        for box in self.marked.boxart:
            figures = _FIGURES(box)
            if figures:
                for fig in figures:
                    self._figure(fig)
                continue
            img = box.find(".//img")
            if img is not None:
                url = self._image_url(box, img)
                if url:
                    caption = _CAPTION(box)
                    self.b.add("images", Image(url=url, caption=text_of(caption[0]) if caption else None))

    def _figure(self, fig: HtmlElement) -> None:
        img = fig.find(".//img")
        url = fig.get("data-img-src") or (self._image_url(fig, img) if img is not None else None)
        if not url:
            return
        cap = fig.find(".//figcaption")
        self.b.add("images", Image(url=self.page.absolute(url) or url,
                                   caption=text_of(cap) or None if cap is not None else None))

    def _image_url(self, holder: HtmlElement, img: HtmlElement) -> str | None:
        for a in holder.iter("a"):
            href = a.get("href") or ""
            if _IMAGE_EXT.search(href):
                return self.page.absolute(href)
        src = img.get("data-src") or img.get("src")
        if not src or src.startswith("data:"):
            return None
        return self.page.absolute(src)

    def score(self) -> None:
        """The users' average ("4.0 stars from 12 user reviews"); stars are out of 5 on these sites."""
        for el in self.marked.scores:
            raw = text_of(el)
            value = parse_float(raw)
            if value is None:
                self.b.unparsed("score", raw, "a score")
                return
            self.b.set("score", value)
            if "star" in raw.lower():
                self.b.set("score_max", 5.0)
            holder = el.getparent()
            m = _SCORE_COUNT.search(text_of(holder) if holder is not None else raw)
            if m:
                self.b.set("score_count", parse_int(m[1]))
            return

    def history(self) -> None:
        """The "Last edited by" line: in its ``wiki-edit-history`` block when the page has one, else
        anywhere on the page (another design), searched only when the page's text holds the words."""
        for holder in self.marked.history:
            if self._last_edited(holder):
                return
        # All the page's text as UTF-8 (0.1 ms), lower-cased in ASCII only, as ``translate`` does in
        # _LAST_EDITED_TEXT: without the words there, the search of every text node is skipped.
        if b"last edited by" in etree.tostring(self.root, method="text", encoding="utf-8").lower():
            self._last_edited(self.root)

    def _last_edited(self, holder: HtmlElement) -> bool:
        for text in _LAST_EDITED_TEXT(holder):
            parent = text.getparent() if hasattr(text, "getparent") else None
            entry = parse_last_edited(text_of(parent) if parent is not None else str(text))
            if entry is not None:
                self.b.add("history", entry)
                self.b.set("last_edited_at", entry.at)
                return True
        return False


# -- family hooks -----------------------------------------------------------------------------------
def extract(page: Page, b: RecordBuilder) -> str | None:
    """Fill the builder from an HTML page of the family; returns the page id."""
    if page.root is None:
        return None
    return _Html(page, page.root, b).run()


def sniff(page: Page) -> bool:
    """Whiskey markup: the wiki title link, the descriptor or the General Information box."""
    root = page.root
    if root is None:
        return False
    if not page.contains("wiki-") or (
        not page.contains("wiki-title") and not page.contains("wiki-descriptor") and not page.contains("wiki-details")
    ):
        return False  # substring tests (one when "wiki-" is absent): the class scan walks the whole tree
    found = marked(page, root)
    return bool(found.wiki_titles or found.descriptors or (found.details and found.objects))


def site_from_page(page: Page) -> str | None:
    """The site of a page without a known URL: its canonical URL, its site name, then its content."""
    if page.root is None:
        from .whiskey_text import site_from_plain_text

        return site_from_plain_text(page.text)
    for href in _page_canonical_urls(page, page.root):
        host = (urlsplit(str(href)).hostname or "").lower()
        for suffix, site in SITES.items():
            if host == suffix or host.endswith("." + suffix):
                return site
    for value in _OG_SITE(page.root):
        for name, site in _SITE_NAMES.items():
            if name in str(value).lower():
                return site
    return site_from_text("\n".join(block_lines(page.root)))


def _extract_text(page: Page, b: RecordBuilder) -> str | None:
    from .whiskey_text import extract_text

    return extract_text(page, b)


def _sniff_text(text: str) -> bool:
    from .whiskey_text import sniff_text

    return sniff_text(text)


EXPECTED = ("title", "deck", "synopsis", "names", "releases")
"""Fields every title page of the family fills from its markup (films, series, games, comics and
manga alike: all our samples and the local wiki's title pages do); a page filling under half of
them (a redesign that renamed the header, info box and wiki text classes) gets a ``layout`` error
and the generic fallback tries it. ``kind`` is left out: the URL's item type gives it without any
markup."""

FAMILY = Family(
    name="whiskey",
    version=VERSION,
    sites=SITES,
    extract=extract,
    sniff=sniff,
    extract_text=_extract_text,
    sniff_text=_sniff_text,
    site_from_page=site_from_page,
    required=("title",),
    expected=EXPECTED,
)
