"""The title record: one frozen, typed record per wiki page.

Field names are a contract (``docs/schema.md`` documents each one): exports, diffs and analysts'
code rely on them. Every parsed value that can fail keeps its raw text beside it, and every
problem met while extracting is listed in ``errors`` instead of being raised.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson

Status = Literal["ok", "partial", "not_title"]
Precision = Literal["year", "quarter", "month", "day"]

KINDS = ("film", "tv", "ova", "ona", "special", "music", "game", "manga", "novel", "comic", "other")
"""The values ``TitleRecord.kind`` may take."""

STATUSES: tuple[Status, ...] = ("ok", "partial", "not_title")

RECORD_SCHEMA_VERSION = 1
"""Bumped whenever a field is added, removed or changes meaning."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Name:
    """One name of the title (main, official, alias, synonym, short, original, edition)."""

    name: str
    lang: str | None = None
    """ISO 639-1 code (``en``, ``ja``, ``x-jat`` for romanized Japanese) or None when unknown."""
    type: str | None = None
    """``main``, ``official``, ``synonym``, ``short``, ``alias``, ``original``, ``edition``, ``translated``."""
    region: str | None = None
    """Country or region the name is used in, as shown (IMDb AKAs)."""
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """One release (an edition, a country's premiere, a volume) with its date."""

    name: str | None = None
    region: str | None = None
    date: str | None = None
    """ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a quarter is ``YYYY`` with precision ``quarter``."""
    precision: Precision | None = None
    raw: str | None = None
    """The date as shown on the page."""
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Credit:
    """A person credited on the title."""

    person: str
    person_url: str | None = None
    role: str | None = None
    """The role as shown ("Character Artist/Designer")."""
    roles: tuple[str, ...] = ()
    """Canonical roles (``character_designer``, ``director`` ...), see ``normalize.roles``."""
    note: str | None = None
    """A short bio or a comment shown with the credit."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Character:
    """A character, optionally with one actor (one row per actor and language)."""

    character: str | None = None
    character_url: str | None = None
    role: str | None = None
    """``main``, ``supporting`` ... as shown, lower-cased."""
    actor: str | None = None
    actor_url: str | None = None
    language: str | None = None
    """ISO 639-1 code of the actor's dub language."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UserList:
    """A user-made list that contains the title ("a list of 334 items by Obsidian609")."""

    name: str
    url: str | None = None
    item_count: int | None = None
    author: str | None = None
    author_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Related:
    """A link to another title: franchise, similar, association, sequel, adaptation ..."""

    relation: str
    """Lower-case relation as shown, spaces kept (``franchise``, ``similar``, ``side story``)."""
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Editor:
    """A top editor / contributor of the page."""

    name: str
    url: str | None = None
    contributions: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Image:
    url: str
    caption: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Money:
    """An amount such as a budget or box office, parsed by price-parser."""

    raw: str
    amount: float | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A headed part of the description or synopsis."""

    heading: str | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Extra:
    """An info-box label and value that maps to no field: nothing on the page is lost."""

    label: str
    value: str
    group: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry:
    """A page-version fact shown on the page ("Edited by X on 2021-11-04")."""

    action: str
    """``added`` or ``edited``."""
    user: str | None = None
    at: str | None = None
    """ISO date or date-time as shown."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractionError:
    """A problem met while extracting one field; the field is left empty."""

    field: str
    kind: str
    """``missing`` (required field absent), ``unparsed`` (raw value kept, parse failed),
    ``exception`` (the field's extractor raised), ``layout`` (page yields far fewer fields than its
    family should), ``input`` (unreadable bytes, truncated page)."""
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TitleRecord:
    """Everything a title page says, normalized. See docs/schema.md."""

    # identity and provenance
    record_id: str
    """``<site>:<page id>``."""
    site: str
    url: str | None = None
    canonical_url: str | None = None
    page_id: str | None = None
    fetched_at: datetime | None = None
    content_sha256: str | None = None
    extractor: str | None = None
    """The extractor family that made the record (``whiskey``, ``mediawiki``, ``generic`` ...)."""
    extractor_version: str | None = None
    status: Status = "ok"

    # what the title is
    title: str | None = None
    kind: str | None = None
    kind_raw: str | None = None
    deck: str | None = None
    synopsis: str | None = None
    """Plain text, paragraphs separated by a blank line."""
    synopsis_sections: tuple[Section, ...] = ()
    names: tuple[Name, ...] = ()
    aliases: tuple[str, ...] = ()

    # when and how long
    releases: tuple[Release, ...] = ()
    first_release_date: str | None = None
    first_release_precision: Precision | None = None
    end_date: str | None = None
    end_precision: Precision | None = None
    season: str | None = None
    """``winter``, ``spring``, ``summer`` or ``fall`` with the year in ``first_release_date``."""
    release_status: str | None = None
    """As shown ("Finished Airing", "Completed"), lower-cased."""
    broadcast: str | None = None
    episodes: int | None = None
    volumes: int | None = None
    chapters: int | None = None
    runtime_minutes: int | None = None
    """Per episode for series; the longest cut when several are given."""
    runtime_raw: str | None = None

    # ratings and money
    rating: str | None = None
    """Content rating as shown (``R``, ``PG-13``, ``R - 17+ (violence & profanity)``)."""
    score: float | None = None
    score_max: float | None = None
    score_count: int | None = None
    budget: Money | None = None
    box_office: Money | None = None

    # classification and companies
    genres: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    demographics: tuple[str, ...] = ()
    source: str | None = None
    """The source material ("Manga", "Original")."""
    studios: tuple[str, ...] = ()
    producers: tuple[str, ...] = ()
    licensors: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    developers: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    # people, links, community
    credits: tuple[Credit, ...] = ()
    characters: tuple[Character, ...] = ()
    lists: tuple[UserList, ...] = ()
    related: tuple[Related, ...] = ()
    top_editors: tuple[Editor, ...] = ()
    images: tuple[Image, ...] = ()

    # versions
    last_edited_at: str | None = None
    revision_id: str | None = None
    history: tuple[HistoryEntry, ...] = ()

    extra: tuple[Extra, ...] = ()
    errors: tuple[ExtractionError, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: tuples become lists, datetimes ISO strings in UTC (``Z``).

        The same dict as ``_jsonable(dataclasses.asdict(self))``, built directly: ``asdict``
        deep-copies every value, which cost a third of a page's parse on a synthetic page."""
        out: dict[str, Any] = _plain(self)
        return out

    def replace(self, **changes: Any) -> TitleRecord:
        return dataclasses.replace(self, **changes)


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(TitleRecord))


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready plain data (``_jsonable(dataclasses.asdict(value))`` without the copies).

    Strings, numbers and None are immutable and kept as they are (``asdict`` keeps them too; a
    ``str`` subclass becomes a plain ``str`` of the same value); tuples and lists become new lists,
    records and their parts new dicts in field order; a datetime becomes its ISO text. Anything
    else goes through ``asdict``'s own path (a deep copy), so the result is always the same."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        return [_plain(v) for v in value]
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {copy.deepcopy(k): _plain(v) for k, v in value.items()}
    return _jsonable(copy.deepcopy(value))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return format_timestamp(value)
    return value


def format_timestamp(value: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``; naive datetimes are taken as UTC."""
    from datetime import UTC

    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


_NESTED: dict[str, type] = {
    "names": Name,
    "releases": Release,
    "credits": Credit,
    "characters": Character,
    "lists": UserList,
    "related": Related,
    "top_editors": Editor,
    "images": Image,
    "synopsis_sections": Section,
    "extra": Extra,
    "history": HistoryEntry,
    "errors": ExtractionError,
}


def record_from_dict(data: dict[str, Any]) -> TitleRecord:
    """Rebuild a record from ``to_dict()`` output (JSON Lines, a record JSON file)."""
    from datetime import UTC

    kwargs: dict[str, Any] = {}
    known = set(FIELD_NAMES)
    for key, value in data.items():
        if key not in known:
            continue
        if key in _NESTED and value is not None:
            cls = _NESTED[key]
            items = []
            for item in value:
                item = dict(item)
                if cls is Credit and "roles" in item:
                    item["roles"] = tuple(item["roles"] or ())
                items.append(cls(**item))
            kwargs[key] = tuple(items)
        elif key in ("budget", "box_office") and value is not None:
            kwargs[key] = Money(**value)
        elif key == "fetched_at" and isinstance(value, str):
            parsed = datetime.fromisoformat(value)
            kwargs[key] = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        elif isinstance(value, list):
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    return TitleRecord(**kwargs)


_VOLATILE = ("fetched_at", "content_sha256")
"""Fetch metadata: left out of a record's fingerprint."""


def record_fingerprint(data: dict[str, Any]) -> str:
    """SHA-256 of a record's JSON (``to_dict()``) without its fetch metadata: equal when nothing extracted changed."""
    stable = {k: v for k, v in data.items() if k not in _VOLATILE}
    return hashlib.sha256(orjson.dumps(stable, option=orjson.OPT_SORT_KEYS)).hexdigest()
