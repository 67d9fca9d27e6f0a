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
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from normalize.counts import parse_float, parse_int
from normalize.dates import PartialDate, parse_date, parse_season
from normalize.kinds import parse_kind
from normalize.language import language_code
from normalize.roles import canonical_roles
from normalize.runtime import parse_runtime
from normalize.text import clean_text

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

_CANONICAL = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
_H1 = etree.XPath("//h1")
_TITLES_TAB = etree.XPath("//*[@id='tab_2_pane']//div[contains(@class, 'g_definitionlist')]//tr")
_INFO_TAB = etree.XPath("//*[@id='tab_1_pane']//div[contains(@class, 'g_definitionlist')]//tr")
_ANY_DEFLIST = etree.XPath(
    "//div[contains(@class, 'g_definitionlist')][not(ancestor::form)]//tr[th]"
)
_DESC = etree.XPath("//div[contains(concat(' ', normalize-space(@class), ' '), ' desc ')]")
_STAFF_TABLES = etree.XPath("//table[contains(@class, 'stafflist')]")
_CHARLIST_GROUPS = etree.XPath("//*[@id='characterlist']//div[contains(@class, 'g_section')]")
_CHAR_BUBBLES = etree.XPath(".//div[contains(@class, 'g_bubble')][div[contains(@class, 'data')]]")
_CAST_ROWS = etree.XPath("//table[@id='castoverview']//tr")
_SIMILAR = etree.XPath("//*[@id='similaranime']//div[contains(@class, 'g_bubble')][.//div[@class='name']]")
_RELATIONS = etree.XPath(
    "//div[contains(@class, 'relations')][contains(@class, 'g_section')]"
    "//div[contains(@class, 'g_bubble')][.//div[@class='name']]"
)
_EP_ROWS = etree.XPath("//table[@id='eplist']/tbody/tr")
_DURATION_BOX = etree.XPath("//div[contains(@class, 'duration')]/div[@class='val']")
_IMAGE = etree.XPath("//img[@itemprop='image']")

_ID_PATH = re.compile(r"^/(?:anime/|a)(\d+)(?:/|$)")
_OTHER_PATH = re.compile(r"^/(?:(creator|character|group|club|user|tag|episode|song|collection)/|(cr|ch)\d)")
_FLAG = re.compile(r"\bi_audio_([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\b")
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
    canonical = _canonical(page) or ""
    return "anidb.net" in canonical or ("g_definitionlist" in page.text and "anidb" in page.text[:20000].lower())


def _canonical(page: Page) -> str | None:
    for href in _CANONICAL(page.root):
        text = clean_text(str(href))
        if text:
            return page.absolute(text)
    return None


def _text(el: HtmlElement | None) -> str:
    return clean_text(el.text_content()) if el is not None else ""


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
        for tr in rows:
            _read_title_row(b, tr)
    with b.field("title"):
        b.set("title", _h1_title(page))
    with b.field("infobox"):
        info = _INFO_TAB(page.root) or _ANY_DEFLIST(page.root)
        if not info:
            b.error("infobox", "layout", "no info table (div.g_definitionlist) found: the layout may have changed")
        for tr in info:
            _read_info_row(page, b, tr)
    with b.field("synopsis"):
        for node in _DESC(page.root)[:1]:
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
        for img in _IMAGE(page.root)[:1]:
            url = page.absolute(img.get("src") or img.get("data-src"))
            if url:
                b.add("images", Image(url=url, caption=clean_text(img.get("alt")) or None))
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


def _read_title_row(b: RecordBuilder, tr: HtmlElement) -> None:
    classes, label = _row_key(tr)
    td = _value_cell(tr)
    if td is None:
        return
    langs = _flags(td)
    if "romaji" in classes or label == "main title":
        named = td.xpath(".//*[@itemprop='name']")
        name = _text(named[0]) if named else _own_text(td)
        if name:
            b.add("names", Name(name=name, lang=langs[0] if langs else None, type="main"))
            b.set("title", name)
    elif "official" in classes or label == "official title":
        name = _label_text(td)
        if not name:
            return
        verified = "yes" in classes or bool(td.xpath(".//*[contains(@class, 'i_state_verified')]"))
        note = "verified" if verified else "unverified"
        lang_list: list[str | None] = [*langs] or [None]
        for lang in lang_list:
            b.add("names", Name(name=name, lang=lang, type="official", note=note))
    elif classes & {"syn", "short", "kana"} or label in ("synonym", "short", "kana"):
        name_type = "short" if ("short" in classes or label == "short") else "synonym"
        if "kana" in classes or label == "kana":
            for name in _split_names(td):
                b.add("names", Name(name=name, lang="ja", type="alias", note="kana"))
            return
        for name in _split_names(td):
            b.add("names", Name(name=name, lang=langs[0] if len(langs) == 1 else None, type=name_type))
            b.add("aliases", name)


def _flags(td: HtmlElement) -> list[str]:
    out: list[str] = []
    for span in td.xpath(".//span[contains(@class, 'i_audio_')]"):
        found = _FLAG.search(str(span.get("class") or ""))
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
    labels = td.xpath(".//label")
    return _text(labels[0]) if labels else _own_text(td)


def _own_text(td: HtmlElement) -> str:
    """The cell's text without its icon spans and the ``(a112)`` short link."""
    parts = [td.text or ""]
    for child in td:
        if "icons" not in _classes(child) and "shortlink" not in _classes(child):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return clean_text(re.sub(r"\(\s*\)", "", " ".join(parts)))


def _split_names(td: HtmlElement) -> list[str]:
    """Synonym / short rows list several names separated by ", " (or one per line / per span)."""
    items = [_text(el) for el in td.xpath("./label | ./span[not(contains(@class, 'icons'))]")]
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
                _read_title_row(b, tr)
        elif "type" in classes or label == "type":
            _read_type(b, td, value)
        elif "year" in classes or label in ("year", "aired", "date"):
            _read_year(b, td, value)
        elif "season" in classes or label == "season":
            _read_season(b, tr, td, value)
        elif classes & {"tags", "categories"} or label in ("tags", "categories", "genres"):
            names = [_text(s) for s in td.xpath(".//*[contains(@class, 'tagname')]")]
            if not names:
                names = [_text(a) for a in td.xpath(".//a") if not _text(a).startswith("[")]
            b.add("tags", *[n for n in names if n])
        elif "rating" in classes or label == "rating":
            _read_rating(b, td, value)
        elif "owner" in classes or label == "added by":
            _read_history(b, td, "added")
        elif "editor" in classes or label == "edited by":
            _read_history(b, td, "edited")
        elif "resources" in classes or label == "resources":
            names = [_text(a) for a in td.xpath(".//a[@href]")]
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
    counted = td.xpath(".//*[@itemprop='numberOfEpisodes']")
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
        return PartialDate(iso, "day")
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        return PartialDate(iso, "month")
    if re.fullmatch(r"\d{4}", iso):
        return PartialDate(iso, "year")
    return None


def _read_year(b: RecordBuilder, td: HtmlElement, value: str) -> None:
    """``20.07.2001``, ``03.01.2020 until 27.03.2020``, ``2020 till ?``; ISO ``content`` when given."""
    start_el = td.xpath(".//*[@itemprop='startDate' or @itemprop='datePublished']")
    end_el = td.xpath(".//*[@itemprop='endDate']")
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
    href = " ".join(str(h) for h in tr.xpath(".//a/@href"))
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
    found = td.xpath(".//*[@itemprop='ratingValue']") or td.xpath(".//*[contains(@class, 'value')]")
    raw = _text(found[0]) if found else value.split(" ")[0]
    score = parse_float(raw)
    if score is None:
        if raw and raw.upper() != "N/A":
            b.unparsed("score", raw, "score")
        return
    b.set("score", score)
    best = td.xpath(".//meta[@itemprop='bestRating']/@content")
    b.set("score_max", parse_float(str(best[0])) if best else 10.0)
    count = td.xpath(".//*[@itemprop='ratingCount']")
    if count:
        b.set("score_count", parse_int(count[0].get("content") or _text(count[0])))
    else:
        votes = re.search(r"\(([\d,]+)\)", value)
        b.set("score_count", parse_int(votes.group(1)) if votes else None)


def _read_history(b: RecordBuilder, td: HtmlElement, action: str) -> None:
    """``<i>hidden</i> on <span class="date">2021-11-04<span class="time"> 04:48</span></span>``."""
    date_el = td.xpath(".//*[contains(@class, 'date')]")
    raw = _text(date_el[0]) if date_el else _own_text(td).rpartition(" on ")[2]
    match = re.search(r"(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,2}:\d{2}))?", raw)
    at = None
    if match:
        at = match.group(1) + (f"T{match.group(2).zfill(5)}" if match.group(2) else "")
    elif raw:
        b.unparsed("history", raw, "date")
    users = [_text(a) for a in td.xpath(".//a[contains(@href, '/user/')]")]
    user = users[0] if users else None
    b.add("history", HistoryEntry(action=action, user=user, at=at))
    if at and (b.get("last_edited_at") is None or at > b.get("last_edited_at")):
        b.set("last_edited_at", at, overwrite=True)


# -- staff ----------------------------------------------------------------------------------------
def _read_staff(page: Page, b: RecordBuilder) -> None:
    tables = _STAFF_TABLES(page.root)
    full = [t for t in tables if t.get("id") != "staffoverview"]
    for table in full or tables:
        credit_raw = ""
        remaining = 0
        for tr in table.xpath("./tbody/tr | ./tr"):
            cells = [c for c in tr if c.tag == "td"]
            if not cells:
                continue
            credit_cells = [c for c in cells if "credit" in _classes(c)]
            if credit_cells:
                credit_raw = _text(credit_cells[0]).rstrip(":").strip()
                remaining = parse_int(credit_cells[0].get("rowspan") or "1") or 1
            elif remaining <= 0 and len(cells) >= 3:
                credit_raw, remaining = _text(cells[0]).rstrip(":").strip(), 1
            remaining -= 1
            names = [c for c in cells if "name" in _classes(c) or "creator" in _classes(c)]
            comments = [c for c in cells if "comment" in _classes(c)]
            note = _text(comments[0]) if comments else ""
            for cell in names[:1]:
                for a in cell.xpath(".//a[@href]"):
                    _add_credit(page, b, a, credit_raw, note)


def _add_credit(page: Page, b: RecordBuilder, a: HtmlElement, credit_raw: str, note: str) -> None:
    person = _text(a)
    if not person:
        return
    role = credit_raw or None
    b.add(
        "credits",
        Credit(
            person=person,
            person_url=page.absolute(a.get("href")),
            role=role,
            roles=canonical_roles(role) if role else (),
            note=note or None,
        ),
    )
    english = _ROLE_JA.sub("", credit_raw).strip().lower()
    if english in _STUDIO_CREDITS:
        b.add("studios", person)


# -- cast -----------------------------------------------------------------------------------------
def _read_cast(page: Page, b: RecordBuilder) -> None:
    groups = _CHARLIST_GROUPS(page.root)
    found = False
    for group in groups:
        heads = group.xpath("./h6 | ./h3 | ./h4")
        role = _text(heads[0]).lower() if heads else None
        for bubble in _CHAR_BUBBLES(group):
            names = bubble.xpath(".//div[contains(@class, 'name')][@itemprop='character' or not(@itemprop)]")
            if not names:
                continue
            name_div = names[0]
            named = name_div.xpath(".//*[@itemprop='name']")
            character = _text(named[0]) if named else _text(name_div)
            links = name_div.xpath(".//a[@href]")
            url = page.absolute(links[0].get("href")) if links else None
            actors = bubble.xpath(".//div[contains(@class, 'seiyuu')]//a[@href]")
            found = True
            if not actors:
                b.add("characters", Character(character=character or None, character_url=url, role=role))
            for a in actors:
                flags = _flags(a.getparent()) if a.getparent() is not None else []
                b.add(
                    "characters",
                    Character(
                        character=character or None,
                        character_url=url,
                        role=role,
                        actor=_text(a),
                        actor_url=page.absolute(a.get("href")),
                        language=flags[0] if flags else None,
                    ),
                )
    if found:
        return
    for tr in _CAST_ROWS(page.root):
        actor = tr.xpath("./td[contains(@class, 'creator')]//a[@href]")
        char = tr.xpath("./td[contains(@class, 'character')]//a[@href]")
        if not char:
            continue
        b.add(
            "characters",
            Character(
                character=_text(char[0]),
                character_url=page.absolute(char[0].get("href")),
                actor=_text(actor[0]) if actor else None,
                actor_url=page.absolute(actor[0].get("href")) if actor else None,
            ),
        )


# -- related, similar -----------------------------------------------------------------------------
def _read_related(page: Page, b: RecordBuilder) -> None:
    for bubble in _RELATIONS(page.root):
        a = bubble.xpath(".//div[@class='name']//a[@href]")
        if not a:
            continue
        rel_nodes = bubble.xpath(".//*[contains(@class, 'relation')]")
        relation = _text(rel_nodes[0]).lower() if rel_nodes else ""
        if not relation:
            info = _text(bubble).lower()
            relation = next((w for w in _RELATION_WORDS if w in info), "related")
        b.add("related", Related(relation=relation.rstrip(":"), title=_text(a[0]), url=page.absolute(a[0].get("href"))))
    for bubble in _SIMILAR(page.root):
        if "rejected" in _classes(bubble):
            continue
        a = bubble.xpath(".//div[@class='name']//a[@href]")
        if a and _text(a[0]):
            b.add("related", Related(relation="similar", title=_text(a[0]), url=page.absolute(a[0].get("href"))))


# -- running time ---------------------------------------------------------------------------------
def _episode_runtime(page: Page, b: RecordBuilder) -> None:
    """A film's running time (Statistics), or a series' usual regular-episode length (episode list)."""
    durations: list[tuple[int, str]] = []
    for tr in _EP_ROWS(page.root):
        kind = tr.xpath("./td[contains(@class, 'eid')]//abbr/@title")
        if kind and "regular" not in str(kind[0]).lower():
            continue
        cell = tr.xpath("./td[contains(@class, 'duration')]")
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
            chunks.append(child.text_content())
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
)
