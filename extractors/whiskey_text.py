"""The Whiskey family (Anime Vice, Comic Vine, Giant Bomb) as plain text: a browser's or a web
archive's rendering of a page, without markup or URL.

The text is cut at the page's own section markers, the headings every page of the family shows:
"General Information", "Top Rated Lists", "Top Editors", the relation boxes ("Franchise",
"Similar", "Associations", "Characters", "Concepts" ...), "Characters & Voice Actors", the credits
line "Add a credit to T." and the sister-site footer "Mandatory Network" (the end of the page). A
trailing "Edit" on a heading is the box's edit control. What comes before the first marker is the
header: site navigation, the title line (when the rendering has one), the deck, the description.

Documented choices:

- Markers: a heading with its "Edit" control or of several words always counts; a one-word
  heading ("Characters", "Credits") counts alone between blank lines or at the head of a run of
  items, never inside a run of navigation words ("Overview / Characters / Credits / Images"), and
  inside General Information it is a row label first (see ``section_of``).
- Title: the page's own phrases that embed the item name ("Add a credit to T.", "about T's related
  movies") come first, then the first Name row of General Information (an edition's name, which
  can differ from the item name). A header line equal to the title is the ``h1``: what precedes it
  (navigation, box-art caption) is dropped.
- Deck: the first paragraph after the title line (the family renders the deck right under the
  title); the next paragraphs are the description. Runs of short link-like lines are navigation
  and dropped. A short paragraph without final punctuation followed by text is a section heading.
  Each line is a paragraph, except that a line continuing a sentence (hard-wrapped text) is joined.
- Info rows: "Label: value", "Label<TAB>value", a known label followed by its value ("Aliases X"),
  or a label line followed by its value line (a table rendered one cell per line). Lines after a
  row continue it only for aliases (one per line); under a one-value row, a further line is an
  unknown label (kept in ``extra`` with the value that follows it).
- Credits: the run of lines right after "Add a credit to T." (a blank line ends it); each line is
  "PERSON ROLE[ BIO]" (capitalized words, then a capitalized role), split where the longest known
  role (``normalize.roles``) starts. A line
  with no known role is dropped (an image caption such as "Original US Poster Art" sits nearby).
- Characters: one line per character ("Name[ Role]"); a line starting with a language ("Japanese
  Hiroshi Kamiya", "English: Jo Park") is a voice actor of the character above it.
- Nothing here has a URL, so ``person_url``, ``url`` ... are None and images (which need one) are
  left out; the page id is unknown. The site comes from the text (``whiskey.site_from_text``): the
  title line or copyright line, else voice actors mean Anime Vice, platform or developer rows Giant
  Bomb, issues or box office receipts Comic Vine.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from normalize.labels import normalize_label
from normalize.language import language_code
from normalize.roles import canonical_roles
from normalize.text import clean_text, join_paragraphs

from .records import Character, Section
from .whiskey import (
    _CHARACTER_HEADINGS,
    _CREDIT_HEADINGS,
    _EDITOR_HEADINGS,
    _ENTITY_HEADINGS,
    _FOOTER_HEADINGS,
    _LABELS,
    _LIST_HEADINGS,
    _RELATED_HEADINGS,
    _ROLE_WORD,
    InfoSummary,
    Row,
    apply_box,
    apply_rows,
    heading_key,
    heading_text,
    is_placeholder,
    make_credit,
    make_editor,
    make_list,
    not_title_by_info,
    parse_last_edited,
    placeholder_nouns,
    resolve_kind,
    row_tag,
    site_from_text,
    title_from_phrases,
    title_suffix,
)

if TYPE_CHECKING:
    from .builder import RecordBuilder
    from .page import Page

logger = logging.getLogger(__name__)

_BOILERPLATE = re.compile(
    r"^(?:the content below is entirely editable\.?|submissions can take several hours to be approved\.?|"
    r"save changes\s*cancel|save changes|cancel|edit|view full history|show all|see all|more|"
    r"add a new \w+(?: \w+)?|add (?:a|an) \w+(?: \w+)? to this \w+|last edited by .*)$",
    re.IGNORECASE,
)
_ADD_CREDIT_LINE = re.compile(r"^add\s+(?:a\s+)?credits?\s+(?:to|for)\s+.+", re.IGNORECASE)
_LABEL_COLON = re.compile(r"^(?P<label>[^:\t]{1,40}?)\s*:\s+(?P<value>.*)$")
_LIST_LINE = re.compile(r"^(?P<name>.*?)\s*(?P<summary>\ban?\s+list\s+of\s+\d[\d,.]*\s+\w+.*)$", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ":", ";", ",", '"', "”", ")", "…")
_KNOWN_LABELS = sorted(_LABELS, key=len, reverse=True)
_MULTILINE_TAGS = frozenset({"aliases"})
_HEADING_MAX_WORDS = 10
_NAV_MAX_WORDS = 4
_MAX_NAME_WORDS = 5
_MAX_ROLE_WORDS = 5
_MAX_LABEL_WORDS = 4
_MAX_HEADING_CHARS = 60
_MAX_BAD_SHARE = 0.05
_NAV_WORDS = frozenset({
    "overview", "images", "videos", "forums", "reviews", "user reviews", "articles", "news", "podcasts", "wiki",
    "home", "community", "sign in", "sign up", "log in", "login", "log out", "search", "history", "view history",
    "releases", "credits", "characters", "episodes", "issues", "games", "movies", "anime", "manga", "people",
    "shows", "new comics", "volumes", "series", "concepts", "locations", "objects", "teams", "companies",
})  # fmt: skip

_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("info", ("general information", "details", "game details", "movie details", "series details",
              "anime details", "volume details", "issue details")),
    ("characters", _CHARACTER_HEADINGS),
    ("lists", _LIST_HEADINGS),
    ("editors", _EDITOR_HEADINGS),
    ("footer", _FOOTER_HEADINGS),
    ("credits", _CREDIT_HEADINGS),
    ("box", _RELATED_HEADINGS + _ENTITY_HEADINGS),
)


def _section_kind(key: str) -> str | None:
    for name, vocabulary in _SECTIONS:
        if key in vocabulary:
            return name
    return None


def section_of(line: str, run: list[str] | None = None, index: int = 0, *, in_info: bool = False) -> str | None:
    """The section a line heads (in its run of lines), or None for an ordinary line.

    >>> [section_of(x) for x in ("General Information Edit", "Franchise Edit", "Top Rated Lists", "Memories")]
    ['info', 'box', 'lists', None]
    >>> section_of("Add a credit to Memories. (No voice actors.)"), section_of("Mandatory Network")
    ('add-credit', 'footer')
    >>> section_of("Characters", ["Overview", "Characters", "Credits"], 1), section_of("Characters", ["Characters"])
    (None, 'characters')
    """
    text = clean_text(line)
    if "\t" in line or not text:
        return None
    if _ADD_CREDIT_LINE.match(text):
        return "add-credit"
    if len(text) > _MAX_HEADING_CHARS:
        return None
    key = heading_key(text)
    kind = _section_kind(key)
    if kind is None:
        return None
    if heading_text(text) != text or len(key.split()) > 1:
        return kind
    run = run if run is not None else [line]
    if len(run) == 1:
        return kind
    if in_info:
        return None
    neighbours = [run[i] for i in (index - 1, index + 1) if 0 <= i < len(run)]
    if any(_is_nav(n) for n in neighbours):
        return None
    return kind if index == 0 else None


def _is_nav(line: str) -> bool:
    key = heading_key(line)
    return key in _NAV_WORDS or _section_kind(key) is not None


def _is_nav_run(run: list[str]) -> bool:
    """A run of short link-like lines (site or page navigation), not text."""
    return len(run) > 1 and all(
        len(line.split()) <= _NAV_MAX_WORDS and not line.endswith(_SENTENCE_END) for line in run
    )


@dataclass(slots=True)
class _Block:
    """The lines under one marker; ``runs`` are its blank-line separated groups."""

    kind: str
    heading: str
    runs: list[list[str]] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [line for run in self.runs for line in run]


def _runs(text: str) -> list[list[str]]:
    """Blank-line separated groups of cleaned lines; table cells (tabs) stay tab-separated."""
    runs: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = "\t".join(c for c in (clean_text(cell) for cell in raw.split("\t")) if c)
        if line:
            runs[-1].append(line)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def split_blocks(text: str) -> tuple[list[list[str]], list[_Block]]:
    """The header's runs (before the first marker) and the marked blocks after it."""
    header: list[list[str]] = []
    blocks: list[_Block] = []
    for run in _runs(text):
        if blocks and blocks[-1].kind == "footer":
            break
        target = blocks[-1].runs if blocks else header
        target.append([])
        for index, line in enumerate(run):
            kind = section_of(line, run, index, in_info=bool(blocks) and blocks[-1].kind == "info")
            if kind is not None:
                blocks.append(_Block(kind=kind, heading=heading_text(line), runs=[[]]))
                target = blocks[-1].runs
                if kind == "footer":
                    break
                continue
            if not _BOILERPLATE.match(line):
                target[-1].append(line)
    for block in blocks:
        block.runs = [r for r in block.runs if r]
    return [r for r in header if r], blocks


@functools.lru_cache(maxsize=4096)
def _roles(role: str) -> tuple[str, ...]:
    return canonical_roles(role)


def split_credit(line: str) -> tuple[str, str, str | None] | None:
    """"PERSON ROLE[ BIO]" -> (person, role, bio), split where the longest known role starts.

    >>> split_credit("Tensai Okamura Director He's the creator of Darker than Black.")
    ('Tensai Okamura', 'Director', "He's the creator of Darker than Black.")
    >>> split_credit("Hirotsugu Kawasaki Character Artist/Designer")
    ('Hirotsugu Kawasaki', 'Character Artist/Designer', None)
    >>> split_credit("just some words") is None
    True
    """
    words = line.split()
    for i in range(1, min(len(words), _MAX_NAME_WORDS + 1)):
        person = words[:i]
        if not all(w[:1].isupper() or not w[:1].isalpha() for w in person):
            break
        if not words[i][:1].isupper():  # roles are shown capitalized ("Key Animator", "Music")
            continue
        for j in range(min(len(words), i + _MAX_ROLE_WORDS), i, -1):
            role = " ".join(words[i:j])
            roles = _roles(role)
            if roles and "other" not in roles:
                return " ".join(person), role, " ".join(words[j:]) or None
    return None


def _row(line: str, group: str, last: Row | None) -> Row | None:
    """The row a line starts, or None when it continues the last row."""
    multiline = last is not None and _tag(last) in _MULTILINE_TAGS and bool(last.lines)
    if "\t" in line:
        label, _, value = line.partition("\t")
        return Row(label=label, text=clean_text(value), lines=[clean_text(value)] if value.strip() else [],
                   group=group)
    if _is_label_line(line):
        return Row(label=line, text="", group=group)
    lowered = line.lower()
    for label in _KNOWN_LABELS:
        if not lowered.startswith(label):
            continue
        after = line[len(label) :]
        colon = after.lstrip().startswith(":")
        if (after and not after[0].isspace() and after[0] != ":") or (multiline and not colon):
            continue
        value = clean_text(after.lstrip().removeprefix(":"))
        return Row(label=line[: len(label)], text=value, lines=[value] if value else [], group=group)
    m = _LABEL_COLON.match(line)
    if m and not multiline and len(m["label"].split()) <= _MAX_LABEL_WORDS and m["label"][:1].isupper():
        value = clean_text(m["value"])
        return Row(label=m["label"], text=value, lines=[value] if value else [], group=group)
    return None


def _is_label_line(line: str) -> bool:
    """A line that is only a known label ("Release Date", "Genre:")."""
    return "\t" not in line and len(line.split()) <= _MAX_LABEL_WORDS and row_tag(line) is not None


def _tag(row: Row) -> str | None:
    return row_tag(row.label)


def _paragraphs(run: list[str]) -> list[str]:
    """One paragraph per line, joining a line that continues the previous one's sentence."""
    out: list[str] = []
    for line in run:
        if out and not out[-1].endswith(_SENTENCE_END) and line[:1].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _is_heading(paragraph: str, following: bool) -> bool:
    return (
        following
        and len(paragraph.split()) <= _HEADING_MAX_WORDS
        and not paragraph.endswith(_SENTENCE_END)
    )


def _actor_line(line: str) -> tuple[str | None, str | None]:
    """("Japanese Hiroshi Kamiya" | "English: Jo Park" | "Jo Park (English)") -> (actor, language)."""
    m = re.match(r"^(?P<lang>[A-Z][a-z]+(?: \([^)]*\))?)\s*:?\s+(?P<actor>\S.*)$", line)
    if m and language_code(m["lang"]):
        return clean_text(m["actor"]), language_code(m["lang"])
    m = re.match(r"^(?P<actor>.+?)\s*\((?P<lang>[^)]+)\)$", line)
    if m and language_code(m["lang"]):
        return clean_text(m["actor"]), language_code(m["lang"])
    return None, None


class _Text:
    """Reads one plain-text rendering into a builder."""

    def __init__(self, page: Page, b: RecordBuilder) -> None:
        self.page = page
        self.b = b
        self.header, self.blocks = split_blocks(page.text)

    def run(self) -> str | None:
        b = self.b
        info = InfoSummary()
        with b.field("info"):
            info = apply_rows(b, self.rows())
        with b.field("title"):
            title = title_from_phrases(self.page.text)
            if title is None and info.names:
                title = info.names[0].name
            b.set("title", title)
        with b.field("synopsis"):
            self.header_text(b.get("title"))
        for block in self.blocks:
            with b.field(block.kind if block.kind != "box" else "related"):
                self.block(block)
        with b.field("history"):
            entry = parse_last_edited(self.page.text)
            if entry is not None:
                b.add("history", entry)
                b.set("last_edited_at", entry.at)
        with b.field("kind"):
            found = next((t for t in map(title_suffix, self.page.text.splitlines()[:40]) if t), None)
            boxes = " ".join(line for block in self.blocks if block.kind == "box" for line in block.lines)
            resolve_kind(b, b.site, None, found[1] if found else None, placeholder_nouns(boxes))
        not_title_by_info(b, info, None, b.site)
        if not any(block.kind in ("info", "add-credit") for block in self.blocks):
            b.not_title("no wiki item in the text (no General Information, no credits)")
        return None

    def rows(self) -> list[Row]:
        """Info rows of every General Information block (see the module doc)."""
        rows: list[Row] = []
        for block in self.blocks:
            if block.kind != "info":
                continue
            last: Row | None = None
            for line in block.lines:
                if last is not None and not last.lines and not _is_label_line(line):
                    last.lines.append(line)  # the value line under a label line
                    last.text = line
                    continue
                row = _row(line, block.heading, last)
                if row is not None:
                    rows.append(row)
                    last = row
                    continue
                if last is None or is_placeholder(line):
                    continue
                if not last.lines or _tag(last) in _MULTILINE_TAGS:
                    last.lines.append(line)
                    last.text = " ".join(last.lines)
                else:  # a further line under a one-value row: an unknown label, its value follows
                    last = Row(label=line, text="", group=block.heading)
                    rows.append(last)
        return rows

    def header_text(self, title: str | None) -> None:
        """Deck and description from the lines before the first marker."""
        paragraphs: list[str] = []
        for run in self.header:
            if not _is_nav_run(run):
                paragraphs += _paragraphs(run)
        if title is not None and title in paragraphs:
            cut = len(paragraphs) - 1 - paragraphs[::-1].index(title)
            paragraphs = paragraphs[cut + 1 :]
        paragraphs = [p for p in paragraphs if not is_placeholder(p) and title_suffix(p) is None]
        if not paragraphs:
            return
        self.b.set("deck", paragraphs[0])
        sections: list[tuple[str | None, list[str]]] = [(None, [])]
        rest = paragraphs[1:]
        for i, para in enumerate(rest):
            if _is_heading(para, following=i + 1 < len(rest)):
                sections.append((para, []))
            else:
                sections[-1][1].append(para)
        self.b.set("synopsis", join_paragraphs([p for _, paras in sections for p in paras]))
        for heading, paras in sections:
            if paras:
                self.b.add("synopsis_sections", Section(heading=heading, text=join_paragraphs(paras)))

    def block(self, block: _Block) -> None:
        b = self.b
        if block.kind in ("add-credit", "credits"):
            lines = block.runs[0] if block.kind == "add-credit" and block.runs else block.lines
            for line in lines:
                parts = split_credit(line)
                if parts is not None:
                    b.add("credits", make_credit(parts[0], None, parts[1], parts[2]))
                else:
                    logger.debug("not a credit line: %r", line)
        elif block.kind == "characters":
            self.characters(block.lines)
        elif block.kind == "lists":
            self.lists(block.lines)
        elif block.kind == "editors":
            for line in block.lines:
                name, _, rest = line.partition(" ")
                b.add("top_editors", make_editor(name, None, rest))
        elif block.kind == "box":
            creators = normalize_label(block.heading) in _CREDIT_HEADINGS
            items = []
            for line in block.lines:
                name, _, rest = line.partition(", ") if creators else (line, "", "")
                items.append((name, None, rest))
            apply_box(b, block.heading, items)

    def characters(self, lines: list[str]) -> None:
        current: tuple[str, str | None] | None = None
        found: list[Character] = []
        for line in lines:
            if is_placeholder(line):
                continue
            actor, lang = _actor_line(line)
            if actor is not None and current is not None:
                name, role = current
                found = [c for c in found if c.character != name or c.actor is not None]
                found.append(Character(character=name, role=role, actor=actor, language=lang))
                continue
            words = line.split()
            role = None
            if len(words) > 1 and _ROLE_WORD.match(words[-1]):
                role = words[-1].lower()
                line = " ".join(words[:-1])
            current = (line, role)
            found.append(Character(character=line, role=role))
        self.b.add("characters", *found)

    def lists(self, lines: list[str]) -> None:
        name: str | None = None
        for line in lines:
            m = _LIST_LINE.match(line)
            if m is None:
                name = line
                continue
            list_name = clean_text(m["name"]) or name
            name = None
            if list_name:
                self.b.add("lists", make_list(list_name, None, m["summary"], []))


_SIGNATURE = frozenset({"top rated lists", "top editors", "mandatory network", "characters & voice actors"})


def sniff_text(text: str) -> bool:
    """A text rendering of the family: "General Information" plus one of the platform's own marks
    (Top Rated Lists, Top Editors, the Mandatory Network footer, "Add a credit to T.", "Help us fill
    it in!"); generic headings such as "Adaptations" or "Lists" are not enough."""
    head = text[:200_000]
    signature = "help us fill it in" in head.lower()
    info = False
    for run in _runs(head):
        for index, line in enumerate(run):
            kind = section_of(line, run, index)
            if kind == "info":
                info = True
            elif kind == "add-credit" or (kind is not None and heading_key(line) in _SIGNATURE):
                signature = True
    return info and signature


def site_from_plain_text(text: str) -> str | None:
    """The site a text rendering comes from (see ``whiskey.site_from_text``); None when nothing tells."""
    return site_from_text(text)


def extract_text(page: Page, b: RecordBuilder) -> str | None:
    """Fill the builder from a plain-text rendering; the page id is unknown without a URL (None).

    Empty or binary input (see the page's ``input`` errors) is not read: garbage never becomes data.
    """
    if not _readable(page.text):
        logger.debug("not reading unreadable text (%d chars)", len(page.text))
        return None
    return _Text(page, b).run()


def _readable(text: str) -> bool:
    """Text with letters and at most 5% control or replacement characters in its first 4,000."""
    sample = text[:4000]
    if not any(ch.isalpha() for ch in sample):
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad <= len(sample) * _MAX_BAD_SHARE
