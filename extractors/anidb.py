"""AniDB anime pages (``anidb.net/anime/112``, ``/a112``, ``animedb.pl?show=anime&aid=112``).

The info box has been a ``div.g_definitionlist`` table since the late 2000s: each ``tr`` carries a
class naming its field (``romaji``, ``official``, ``syn``, ``short``, ``type``, ``year``, ``season``,
``tags``, ``rating``, ``owner``, ``editor``) and a ``th.field`` label. Rows are read by class first
and by label second, so renamed labels ("Categories" before "Tags") still land. ``#tab_2_pane``
holds every title (official titles one per row with ``i_audio_xx`` language flags and a verified
mark), ``#tab_1_pane`` the main facts; the staff table (``table.stafflist``) merges people under
one credit with ``rowspan``; the cast (``#characterlist``) is grouped under ``h6`` headings.

Decisions: the page id is the numeric anime id (``112``); official titles give one ``Name`` per
flagged language with ``note`` ``verified`` / ``unverified``; synonyms and short titles are names
and aliases; tags are ``tags`` (AniDB has no separate genre list); the "Animation Work" / "Work"
credits are the studios; "Added by / Edited by ... on <date>" are ``history`` entries and the last
one is ``last_edited_at``; similar anime are ``related`` with relation ``similar`` (rejected
suggestions left out).

``expected`` (the layout-drift check): title, names, kind, first release date, tags, credits,
synopsis.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from normalize.counts import parse_float, parse_int
from normalize.dates import PartialDate, parse_date, parse_season
from normalize.kinds import parse_kind
from normalize.language import language_code
from normalize.roles import canonical_roles
from normalize.runtime import parse_runtime
from normalize.text import clean_text as _clean_text_slow

from .page import element_text
from .records import Character, Credit, HistoryEntry, Image, Name, Related, Section
from .registry import Family

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)


def _extra(b: RecordBuilder, label: str, value: str, group: str | None) -> None:
    """An info-box label / value that maps to no field (kept in ``record.extra``)."""
    b.extra(label, value, group)  # noqa: S610 - RecordBuilder.extra, not Django's QuerySet.extra

SITE = "anidb"

_CANONICAL = etree.XPath(
    "/html/head/link[@rel='canonical']/@href | /html/head/meta[@property='og:url']/@content"
)
_CANONICAL_ANYWHERE = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
_OG_IMAGE = etree.XPath("/html/head/meta[@property='og:image']/@content")
_H1 = etree.XPath("//h1")
# ``id()`` uses the parser's id table: free, where ``//*[@id=...]`` walks every element.
_TITLES_TAB = etree.XPath("id('tab_2_pane')//table//tr")
_INFO_TAB = etree.XPath("id('tab_1_pane')//table//tr")
_ANY_DEFLIST = etree.XPath(
    "//div[contains(@class, 'g_definitionlist')][not(ancestor::form)]//tr[th]"
)
_DESC = etree.XPath("id('layout-main')/div/div[@itemprop='description']")
_DESC_ANYWHERE = etree.XPath("//div[contains(concat(' ', normalize-space(@class), ' '), ' desc ')]")
_STAFF_TABLES = etree.XPath("id('stafflist')//table[contains(@class, 'stafflist')]")
_STAFF_OVERVIEW = etree.XPath("id('staffoverview') | //table[contains(@class, 'stafflist')]")
_CHARLIST_GROUPS = etree.XPath("id('characterlist')//div[contains(@class, 'g_section')]")
_CHAR_BUBBLES = etree.XPath(".//div[contains(@class, 'g_bubble')][div[contains(@class, 'data')]]")
_BUBBLE_NAME = etree.XPath("./div[@class='data']/div[contains(@class, 'name')]")
_BUBBLE_SEIYUU = etree.XPath("./div[@class='data']/div[@class='info']/div[contains(@class, 'seiyuu')]")
_CAST_ROWS = etree.XPath("id('castoverview')//tr")
_SIMILAR = etree.XPath("id('similaranime')//div[contains(@class, 'g_bubble')][.//div[@class='name']]")
_RELATIONS = etree.XPath(
    "//div[contains(@class, 'relations')][contains(@class, 'g_section')]"
    "//div[contains(@class, 'g_bubble')][.//div[@class='name']]"
)
_EP_ROWS = etree.XPath("id('eplist')/tbody/tr")
_DURATION_BOX = etree.XPath("id('userstats')//div[contains(@class, 'duration')]/div[@class='val']")
_IMAGE_FAST = etree.XPath("id('layout-main')/div/div[contains(@class, 'info')]/div[@class='block']/div[@class='image']//img")
_IMAGE = etree.XPath("//img[@itemprop='image']")

# Small relative queries, compiled once (``el.xpath(str)`` recompiles on every call).
_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
_VERIFIED = etree.XPath(".//*[contains(@class, 'i_state_verified')]")
_LABELS = etree.XPath(".//label")
_NAME_ITEMS = etree.XPath("./label | ./span[not(contains(@class, 'icons'))]")
_TAGNAMES = etree.XPath(".//*[contains(@class, 'tagname')]")
_ANY_A = etree.XPath(".//a")
_LINKS = etree.XPath(".//a[@href]")
_EP_COUNT = etree.XPath(".//*[@itemprop='numberOfEpisodes']")
_START = etree.XPath(".//*[@itemprop='startDate' or @itemprop='datePublished']")
_END = etree.XPath(".//*[@itemprop='endDate']")
_HREFS = etree.XPath(".//a/@href")
_RATING_VALUE = etree.XPath(".//*[@itemprop='ratingValue']")
_VALUE = etree.XPath(".//*[contains(@class, 'value')]")
_BEST = etree.XPath(".//meta[@itemprop='bestRating']/@content")
_RATING_COUNT = etree.XPath(".//*[@itemprop='ratingCount']")
_DATE = etree.XPath(".//*[contains(@class, 'date')]")
_USER_LINKS = etree.XPath(".//a[contains(@href, '/user/')]")
_CAST_ACTOR = etree.XPath("./td[contains(@class, 'creator')]//a[@href]")
_CAST_CHAR = etree.XPath("./td[contains(@class, 'character')]//a[@href]")
_NAME_LINK = etree.XPath(".//div[@class='name']//a[@href]")
_RELATION_LABEL = etree.XPath(".//*[contains(@class, 'relation')]")
_EP_KIND = etree.XPath("./td[contains(@class, 'eid')]//abbr/@title")
_EP_DURATION = etree.XPath("./td[contains(@class, 'duration')]")

_ID_PATH = re.compile(r"^/(?:anime/|a)(\d+)(?:/|$)")
_OTHER_PATH = re.compile(r"^/(?:(creator|character|group|club|user|tag|episode|song|collection)/|(cr|ch)\d)")
_FLAG = re.compile(r"\bi_audio_([A-Za-z]{1,3}(?:-[A-Za-z0-9]+)?)\b")
_ROLE_JA = re.compile(r"\s*\(([^()]*)\)\s*$")
_EN_ROLE = re.compile(r"^(.*?)\s*(?:\([^()]*\))?\s*:?\s*$")
_STUDIO_CREDITS = frozenset({"animation work", "work"})
_RELATION_WORDS = (
    "sequel", "prequel", "same setting", "alternative setting", "alternative version", "side story",
    "parent story", "summary", "full story", "character", "other",
)  # fmt: skip


def page_id_from_url(url: str | None) -> tuple[str | None, str | None]:
    """(kind of page, id) from an AniDB URL.

    >>> page_id_from_url("https://anidb.net/anime/112")
    ('anime', '112')
    >>> page_id_from_url("https://anidb.net/a112")
    ('anime', '112')
    >>> page_id_from_url("https://anidb.net/perl-bin/animedb.pl?show=anime&aid=112")
    ('anime', '112')
    >>> page_id_from_url("https://anidb.net/creator/40")
    ('creator', None)
    """
    if not url:
        return None, None
    parts = urlsplit(url)
    found = _ID_PATH.match(parts.path)
    if found:
        return "anime", found.group(1)
    query = parse_qs(parts.query)
    if query.get("show") == ["anime"] and query.get("aid"):
        return "anime", query["aid"][0]
    if query.get("show") and query["show"][0] in ("creator", "character"):
        return query["show"][0], None
    other = _OTHER_PATH.match(parts.path)
    if other:
        return {"cr": "creator", "ch": "character"}.get(other.group(2) or "", other.group(1)), None
    return None, None


def sniff(page: Page) -> bool:
    if not page.contains("anidb") and "anidb" not in page.head(20000).lower():
        return False  # a substring test first: the canonical query may walk the whole tree
    canonical = _canonical(page) or ""
    return "anidb.net" in canonical or (page.contains("g_definitionlist") and "anidb" in page.head(20000).lower())


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


def _text(el: HtmlElement | None) -> str:
    return clean_text(element_text(el)) if el is not None else ""


def _classes(el: HtmlElement) -> set[str]:
    return set(str(el.get("class") or "").split())


def extract(page: Page, b: RecordBuilder) -> str | None:
    canonical = _canonical(page)
    kind, page_id = page_id_from_url(page.url)
    if page_id is None and kind is None:
        kind, page_id = page_id_from_url(canonical)
    b.set("canonical_url", canonical)
    if kind not in (None, "anime"):
        b.not_title(f"{kind} page")
        with b.field("title"):
            b.set("title", _h1_title(page))
        return page_id

    with b.field("names"):
        rows = _TITLES_TAB(page.root) or _INFO_TAB(page.root)
        names: list[Name] = []
        aliases: list[str] = []
        for tr in rows:
            _read_title_row(b, tr, names, aliases)
        add_unique(b, "names", names)
        add_unique(b, "aliases", aliases)
    with b.field("title"):
        if b.get("title") is None:
            b.set("title", _h1_title(page))
    with b.field("infobox"):
        info = _INFO_TAB(page.root) or _ANY_DEFLIST(page.root)
        if not info:
            b.error("infobox", "layout", "no info table (div.g_definitionlist) found: the layout may have changed")
        for tr in info:
            _read_info_row(page, b, tr)
    with b.field("synopsis"):
        for node in (_DESC(page.root) or _DESC_ANYWHERE(page.root))[:1]:
            text = _fragment_text(node)
            if text:
                if b.get("synopsis") is None:
                    b.values["synopsis"] = text
                b.add("synopsis_sections", Section(heading=None, text=text))
    with b.field("credits"):
        _read_staff(page, b)
    with b.field("characters"):
        _read_cast(page, b)
    with b.field("related"):
        _read_related(page, b)
    with b.field("runtime_minutes"):
        _episode_runtime(page, b)
    with b.field("images"):
        og = [str(u) for u in _OG_IMAGE(page.root)]
        imgs = [] if og else (_IMAGE_FAST(page.root) or _IMAGE(page.root))[:1]
        src = og[0] if og else (imgs[0].get("src") or imgs[0].get("data-src") if imgs else None)
        url = _absolute(page, src)
        if url:
            b.add("images", Image(url=url, caption=b.get("title")))
    return page_id


def _h1_title(page: Page) -> str | None:
    for h1 in _H1(page.root):
        text = _text(h1)
        if text:
            return re.sub(r"^(?:Anime|Character|Creator|Group|Collection|Club)\s*:\s*", "", text) or None
    return None


# -- titles ---------------------------------------------------------------------------------------
def _row_key(tr: HtmlElement) -> tuple[set[str], str]:
    ths = [c for c in tr if c.tag == "th"]
    return _classes(tr), _text(ths[0]).lower() if ths else ""


def _value_cell(tr: HtmlElement) -> HtmlElement | None:
    for cell in tr:
        if cell.tag == "td":
            return cell
    return None


def _read_title_row(b: RecordBuilder, tr: HtmlElement, names: list[Name], aliases: list[str]) -> None:
    """One row of the titles table into ``names`` / ``aliases`` (added once, deduplicated)."""
    classes, label = _row_key(tr)
    td = _value_cell(tr)
    if td is None:
        return
    langs = _flags(td)
    if "romaji" in classes or label == "main title":
        named = _ITEMPROP_NAME(td)
        name = _text(named[0]) if named else _own_text(td)
        if name:
            names.append(Name(name=name, lang=langs[0] if langs else None, type="main"))
            b.set("title", name)
    elif "official" in classes or label == "official title":
        name = _label_text(td)
        if not name:
            return
        verified = "yes" in classes or bool(_VERIFIED(td))
        note = "verified" if verified else "unverified"
        lang_list: list[str | None] = [*langs] or [None]
        names.extend(Name(name=name, lang=lang, type="official", note=note) for lang in lang_list)
    elif classes & {"syn", "short", "kana"} or label in ("synonym", "short", "kana"):
        name_type = "short" if ("short" in classes or label == "short") else "synonym"
        if "kana" in classes or label == "kana":
            names.extend(Name(name=name, lang="ja", type="alias", note="kana") for name in _split_names(td))
            return
        for name in _split_names(td):
            names.append(Name(name=name, lang=langs[0] if len(langs) == 1 else None, type=name_type))
            aliases.append(name)


def _flags(td: HtmlElement) -> list[str]:
    """Language codes of the ``i_audio_xx`` flag icons inside an element, in order."""
    out: list[str] = []
    for span in td.iter("span"):
        cls = span.get("class")
        if not cls or "i_audio_" not in cls:
            continue
        found = _FLAG.search(cls)
        if found:
            code = _lang_code(found.group(1))
            if code and code not in out:
                out.append(code)
    return out


def _lang_code(flag: str) -> str | None:
    """AniDB flag codes: ISO 639-1 (``en``, ``pt-BR``, ``zh-Hans``) or transcriptions (``x-jat``)."""
    if flag.startswith("x-"):
        return flag.lower()
    return language_code(flag) or flag


def _label_text(td: HtmlElement) -> str:
    labels = _LABELS(td)
    return _text(labels[0]) if labels else _own_text(td)


def _own_text(td: HtmlElement) -> str:
    """The cell's text without its icon spans and the ``(a112)`` short link."""
    parts = [td.text or ""]
    for child in td:
        if "icons" not in _classes(child) and "shortlink" not in _classes(child):
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return clean_text(re.sub(r"\(\s*\)", "", " ".join(parts)))


def _split_names(td: HtmlElement) -> list[str]:
    """Synonym / short rows list several names separated by ", " (or one per line / per span)."""
    items = [_text(el) for el in _NAME_ITEMS(td)]
    items = [i for i in items if i]
    if items:
        return items
    return [p.strip() for p in _own_text(td).split(", ") if p.strip()]


# -- info rows ------------------------------------------------------------------------------------
def _read_info_row(page: Page, b: RecordBuilder, tr: HtmlElement) -> None:
    classes, label = _row_key(tr)
    td = _value_cell(tr)
    if td is None or not label:
        return
    value = _own_text(td)
    with b.field(label):
        if classes & {"romaji", "official", "syn", "short", "kana"} or label in (
            "main title", "official title", "synonym", "short", "kana",
        ):
            if not b.get("names"):
                title_names: list[Name] = []
                title_aliases: list[str] = []
                _read_title_row(b, tr, title_names, title_aliases)
                add_unique(b, "names", title_names)
                add_unique(b, "aliases", title_aliases)
        elif "type" in classes or label == "type":
            _read_type(b, td, value)
        elif "year" in classes or label in ("year", "aired", "date"):
            _read_year(b, td, value)
        elif "season" in classes or label == "season":
            _read_season(b, tr, td, value)
        elif classes & {"tags", "categories"} or label in ("tags", "categories", "genres"):
            names = [_text(s) for s in _TAGNAMES(td)]
            if not names:
                names = [_text(a) for a in _ANY_A(td) if not _text(a).startswith("[")]
            b.add("tags", *[n for n in names if n])
        elif "rating" in classes or label == "rating":
            _read_rating(b, td, value)
        elif "owner" in classes or label == "added by":
            _read_history(b, td, "added")
        elif "editor" in classes or label == "edited by":
            _read_history(b, td, "edited")
        elif "resources" in classes or label == "resources":
            names = [_text(a) for a in _LINKS(td)]
            _extra(b, _label_of(tr), ", ".join(n for n in names if n), "Info")
        elif value:
            _extra(b, _label_of(tr), value, "Info")


def _label_of(tr: HtmlElement) -> str:
    ths = [c for c in tr if c.tag == "th"]
    return _text(ths[0]) if ths else ""


def _read_type(b: RecordBuilder, td: HtmlElement, value: str) -> None:
    """``Movie``, ``TV Series, 12 episodes``, ``OVA, 2 episodes``."""
    kind_raw, _, rest = value.partition(",")
    kind_raw = kind_raw.strip()
    b.set("kind_raw", kind_raw)
    kind = parse_kind(kind_raw)
    if kind is None and kind_raw.lower() not in ("unknown", ""):
        b.unparsed("kind", kind_raw, "kind")
    b.set("kind", kind)
    counted = _EP_COUNT(td)
    raw_count = _text(counted[0]) if counted else rest
    if raw_count.strip():
        episodes = parse_int(raw_count)
        if episodes is None and not re.search(r"unknown|\?", raw_count, re.IGNORECASE):
            b.unparsed("episodes", raw_count, "episode count")
        b.set("episodes", episodes)


def _partial_from_iso(iso: str | None) -> PartialDate | None:
    if not iso:
        return None
    iso = iso.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return PartialDate(iso=iso, precision="day")
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        return PartialDate(iso=iso, precision="month")
    if re.fullmatch(r"\d{4}", iso):
        return PartialDate(iso=iso, precision="year")
    return None


def _read_year(b: RecordBuilder, td: HtmlElement, value: str) -> None:
    """``20.07.2001``, ``03.01.2020 until 27.03.2020``, ``2020 till ?``; ISO ``content`` when given."""
    start_el = _START(td)
    end_el = _END(td)
    pieces = re.split(r"\s+(?:till|until|to|-)\s+", value, maxsplit=1)
    start = _partial_from_iso(start_el[0].get("content")) if start_el else None
    end = _partial_from_iso(end_el[0].get("content")) if end_el else None
    if start is None and pieces[0].strip() and pieces[0].strip() != "?":
        start = parse_date(pieces[0], day_first=True)
        if start is None:
            b.unparsed("first_release_date", value, "date")
    if end is None and len(pieces) > 1 and pieces[1].strip() not in ("", "?"):
        end = parse_date(pieces[1], day_first=True)
        if end is None:
            b.unparsed("end_date", value, "date")
    if start is not None:
        b.set("first_release_date", start.iso)
        b.set("first_release_precision", start.precision)
    if end is not None and (start is None or end.iso != start.iso or len(pieces) > 1):
        b.set("end_date", end.iso)
        b.set("end_precision", end.precision)
    _extra(b, "Year", value, "Info")


def _read_season(b: RecordBuilder, tr: HtmlElement, td: HtmlElement, value: str) -> None:
    """``Summer 2001``; ``Winter 2019/20`` (its year from the ``/anime/season/2020/winter`` link)."""
    href = " ".join(str(h) for h in _HREFS(tr))
    linked = re.search(r"/season/(\d{4})/(winter|spring|summer|fall|autumn)", href)
    season = parse_season(value)
    if season is None and linked:
        season = (linked.group(2).replace("autumn", "fall"), int(linked.group(1)))
    if season is None:
        b.unparsed("season", value, "season")
        return
    b.set("season", season[0])
    _extra(b, "Season", value, "Info")


def _read_rating(b: RecordBuilder, td: HtmlElement, value: str) -> None:
    found = _RATING_VALUE(td) or _VALUE(td)
    raw = _text(found[0]) if found else value.split(" ")[0]
    score = parse_float(raw)
    if score is None:
        if raw and raw.upper() != "N/A":
            b.unparsed("score", raw, "score")
        return
    b.set("score", score)
    best = _BEST(td)
    b.set("score_max", parse_float(str(best[0])) if best else 10.0)
    count = _RATING_COUNT(td)
    if count:
        b.set("score_count", parse_int(count[0].get("content") or _text(count[0])))
    else:
        votes = re.search(r"\(([\d,]+)\)", value)
        b.set("score_count", parse_int(votes.group(1)) if votes else None)


def _read_history(b: RecordBuilder, td: HtmlElement, action: str) -> None:
    """``<i>hidden</i> on <span class="date">2021-11-04<span class="time"> 04:48</span></span>``."""
    date_el = _DATE(td)
    raw = _text(date_el[0]) if date_el else _own_text(td).rpartition(" on ")[2]
    match = re.search(r"(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,2}:\d{2}))?", raw)
    at = None
    if match:
        at = match.group(1) + (f"T{match.group(2).zfill(5)}" if match.group(2) else "")
    elif raw:
        b.unparsed("history", raw, "date")
    users = [_text(a) for a in _USER_LINKS(td)]
    user = users[0] if users else None
    b.add("history", HistoryEntry(action=action, user=user, at=at))
    if at and (b.get("last_edited_at") is None or at > b.get("last_edited_at")):
        b.set("last_edited_at", at, overwrite=True)


# -- staff ----------------------------------------------------------------------------------------
def _read_staff(page: Page, b: RecordBuilder) -> None:
    """``table.stafflist`` rows: a ``td.credit`` (with ``rowspan``) then name and comment cells.

    A credit cell spans the rows of everyone under it; a row without one continues the credit
    above. Hot path (a film lists hundreds of people): ``find`` calls only, no per-row XPath.
    """
    tables = _STAFF_TABLES(page.root) or [
        t for t in _STAFF_OVERVIEW(page.root) if isinstance(t.tag, str) and t.tag == "table"
    ][:1]
    credits: list[Credit] = []
    studios: list[str] = []
    for table in tables:
        rows = _staff_rows_fast(table)
        if rows is None:
            rows = _staff_rows(table)
        last_credit = None
        roles: tuple[str, ...] = ()
        is_studio = False
        for credit_raw, person, href, note in rows:
            if credit_raw != last_credit:
                last_credit = credit_raw
                roles = _roles(credit_raw) if credit_raw else ()
                is_studio = _ROLE_JA.sub("", credit_raw).strip().lower() in _STUDIO_CREDITS
            credits.append(
                Credit(
                    person=person,
                    person_url=_absolute(page, href),
                    role=credit_raw or None,
                    roles=roles,
                    note=note,
                )
            )
            if is_studio:
                studios.append(person)
    add_unique(b, "credits", credits)
    add_unique(b, "studios", studios)


_StaffRow = tuple[str, str, str | None, str | None]
"""(credit as shown, person, person link, comment)."""


def _staff_rows(table: HtmlElement) -> list[_StaffRow]:
    """Row by row: a ``td.credit`` spans the rows below it; a row without one continues it."""
    out: list[_StaffRow] = []
    credit_raw = ""
    for tr in table.iter("tr"):
        cells = tr.findall("td")
        if not cells:
            continue
        if "credit" in (cells[0].get("class") or ""):
            credit_raw = _text(cells[0]).rstrip(":").strip()
            cells = cells[1:]
        if not cells:
            continue
        note = None
        if len(cells) > 1 and "comment" in (cells[1].get("class") or ""):
            note = clean_text(element_text(cells[1])) or None
        for a in cells[0].iter("a"):
            person = _link_text(a)
            if person:
                out.append((credit_raw, person, a.get("href"), note))
    return out


_ST_STREAM = etree.XPath(
    ".//td/a/@href | .//td/a/text() | .//td[@class='comment']/text()", smart_strings=False
)
"""Every link (its href, then its text) and every comment of a staff table, in page order."""


def _is_href(item: str) -> bool:
    return item.startswith(("/", "http://", "https://"))


def _staff_rows_fast(table: HtmlElement) -> list[_StaffRow] | None:
    """The same rows read as one stream of strings: a credit link (``/creator/?credit=1``) starts
    a credit, person links after it belong to it, and a comment belongs to the person before it.
    No element per person; None when the stream does not line up (a link with nested markup)."""
    items = _ST_STREAM(table)
    out: list[_StaffRow] = []
    credit_raw: str | None = None
    i, n = 0, len(items)
    while i < n:
        item = items[i]
        if not _is_href(item):  # a comment
            note = clean_text(item)
            if note and out and out[-1][3] is None:
                out[-1] = (*out[-1][:3], note)
            i += 1
            continue
        if i + 1 >= n or _is_href(items[i + 1]):
            return None  # a link without its own text
        text = clean_text(items[i + 1])
        i += 2
        if "credit=" in item:
            credit_raw = text.rstrip(":").strip()
        elif credit_raw is None or not text:
            return None  # a person link whose name sits in nested markup
        else:
            out.append((credit_raw, text, item, None))
    return out or None


# -- cast -----------------------------------------------------------------------------------------
def _read_cast(page: Page, b: RecordBuilder) -> None:
    """``#characterlist``: groups headed by ``h6`` (main character, secondary cast, appears)."""
    found: list[Character] = []
    for group in _CHARLIST_GROUPS(page.root):
        heads = [h for h in group if h.tag in ("h6", "h3", "h4")]
        role = _text(heads[0]).lower() if heads else None
        for bubble in _CHAR_BUBBLES(group):
            direct = _BUBBLE_NAME(bubble)
            name_div = direct[0] if direct else next(
                (d for d in bubble.iter("div") if "name" in str(d.get("class") or "").split()), None
            )
            if name_div is None:
                continue
            named = name_div.find(".//span[@itemprop='name']")
            character = _text(named) if named is not None else _text(name_div)
            link = name_div.find(".//a[@href]")
            url = _absolute(page, link.get("href")) if link is not None else None
            direct = _BUBBLE_SEIYUU(bubble)
            seiyuu = direct[0] if direct else None
            actors = _seiyuu(seiyuu) if seiyuu is not None else []
            if not actors:
                found.append(Character(character=character or None, character_url=url, role=role))
            for actor, href, language in actors:
                found.append(
                    Character(
                        character=character or None,
                        character_url=url,
                        role=role,
                        actor=actor,
                        actor_url=_absolute(page, href),
                        language=language,
                    )
                )
    if not found:
        for tr in _CAST_ROWS(page.root):
            actor = _CAST_ACTOR(tr)
            char = _CAST_CHAR(tr)
            if char:
                found.append(
                    Character(
                        character=_text(char[0]),
                        character_url=_absolute(page, char[0].get("href")),
                        actor=_text(actor[0]) if actor else None,
                        actor_url=_absolute(page, actor[0].get("href")) if actor else None,
                    )
                )
    add_unique(b, "characters", found)


def _seiyuu(div: HtmlElement) -> list[tuple[str, str | None, str | None]]:
    """(name, link, language) of each voice actor. Each sits in a ``span[itemprop=actor]``; its
    link is usually an ``a`` but AniDB also serves a broken ``<aprimary href=...>`` tag, so the
    name and link are read from whatever element carries them."""
    out: list[tuple[str, str | None, str | None]] = []
    holders = [s for s in div.iter("span") if s.get("itemprop") == "actor"] or list(div.iter("a"))
    for holder in holders:
        named = holder.find(".//span[@itemprop='name']")
        name = _text(named) if named is not None else _text(holder)
        if not name:
            continue
        href = holder.get("href") or next((el.get("href") for el in holder.iter() if el.get("href")), None)
        flags = _flags(holder)
        out.append((name, href, flags[0] if flags else None))
    return out


# -- related, similar -----------------------------------------------------------------------------
def _read_related(page: Page, b: RecordBuilder) -> None:
    found: list[Related] = []
    bubbles = _RELATIONS(page.root) if page.contains('class="g_section relations') else []
    for bubble in bubbles:
        a = _NAME_LINK(bubble)
        if not a:
            continue
        rel_nodes = _RELATION_LABEL(bubble)
        relation = _text(rel_nodes[0]).lower() if rel_nodes else ""
        if not relation:
            info = _text(bubble).lower()
            relation = next((w for w in _RELATION_WORDS if w in info), "related")
        found.append(
            Related(relation=relation.rstrip(":"), title=_text(a[0]), url=_absolute(page, a[0].get("href")))
        )
    for bubble in _SIMILAR(page.root):
        if "rejected" in _classes(bubble):
            continue
        a = _NAME_LINK(bubble)
        if a and _text(a[0]):
            found.append(Related(relation="similar", title=_text(a[0]), url=_absolute(page, a[0].get("href"))))
    add_unique(b, "related", found)


# -- running time ---------------------------------------------------------------------------------
def _episode_runtime(page: Page, b: RecordBuilder) -> None:
    """A film's running time (Statistics), or a series' usual regular-episode length (episode list)."""
    durations: list[tuple[int, str]] = []
    for tr in _EP_ROWS(page.root):
        kind = _EP_KIND(tr)
        if kind and "regular" not in str(kind[0]).lower():
            continue
        cell = _EP_DURATION(tr)
        raw = _text(cell[0]) if cell else ""
        minutes = parse_runtime(raw) if raw else None
        if minutes:
            durations.append((minutes, raw))
    box = _DURATION_BOX(page.root)
    total_raw = _text(box[0]) if box else ""
    if total_raw and (b.get("kind") == "film" or (not durations and b.get("episodes") == 1)):
        minutes = parse_runtime(total_raw)
        if minutes is None:
            b.unparsed("runtime_minutes", total_raw, "runtime")
        b.set("runtime_raw", total_raw)
        b.set("runtime_minutes", minutes)
        return
    if durations:
        common = Counter(m for m, _ in durations).most_common(1)[0][0]
        raw = next(r for m, r in durations if m == common)
        b.set("runtime_raw", raw)
        b.set("runtime_minutes", common)


def _link_text(a: HtmlElement) -> str:
    text = a.text
    if text and len(a) == 0:
        return clean_text(text)
    return _text(a)


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


def _fragment_text(node: HtmlElement) -> str:
    """A description block as text: one ``<br>`` breaks a line, two (or a block) a paragraph."""
    chunks: list[str] = [node.text or ""]
    for child in node:
        if not isinstance(child.tag, str) or child.tag in ("script", "style"):
            pass
        elif child.tag == "br":
            chunks.append("\n")
        elif child.tag in ("p", "div", "ul", "ol", "li", "blockquote"):
            chunks.append("\n\n" + _fragment_text(child) + "\n\n")
        else:
            chunks.append(element_text(child))
        chunks.append(child.tail or "")
    raw = "".join(chunks)
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", raw) if p.strip())


FAMILY = Family(
    name="anidb",
    version="1",
    sites={"anidb.net": SITE, "anidb.info": SITE},
    extract=extract,
    sniff=sniff,
    default_site=SITE,
    required=("title",),
    expected=("title", "names", "kind", "first_release_date", "tags", "credits", "synopsis"),
)
