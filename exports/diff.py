"""Field-level differences between two versions of a title record. Pure: no I/O, no clock.

``diff_records(old, new)`` compares two records (``TitleRecord`` or their ``to_dict()`` form) and
returns ``Change`` objects, in field order:

- scalar fields: ``changed`` (old -> new), ``added`` (was empty) or ``removed`` (now empty);
- list fields: items are matched by identity (a credit by person + role, a release by name + region,
  a user list by url, falling back to its name ...), then reported as ``added``, ``removed`` or
  ``changed`` (same identity, other attributes differ: ``fields`` names them);
- text fields (``synopsis``, ``deck``): paragraphs are matched, and an ``edited`` paragraph carries
  word-level ``spans`` (difflib over whitespace-separated words); whole paragraphs are ``added`` /
  ``removed``.

Formatting never shows: strings are compared with white space collapsed, text word by word, and
list order is ignored (only membership and item contents count). Provenance fields and version
metadata (``fetched_at``, ``content_sha256``, ``revision_id``, ``errors`` ...) are left out by default;
see ``DEFAULT_IGNORED``.

>>> old = {"record_id": "animevice:4000-1", "title": "Memories", "aliases": ["Magnetic Rose", "Stink bomb"]}
>>> new = {"record_id": "animevice:4000-1", "title": "Memories", "aliases": ["Magnetic Rose"]}
>>> [(c.field, c.change, c.key) for c in diff_records(old, new)]
[('aliases', 'removed', 'Stink bomb')]
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import logging
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from extractors.records import FIELD_NAMES, TitleRecord, format_timestamp

logger = logging.getLogger(__name__)

ChangeKind = Literal["added", "removed", "changed", "edited"]

IDENTITY_FIELDS: tuple[str, ...] = ("record_id", "site", "url", "page_id")
"""Say which page a record is; never reported as changes (a diff is between versions of one page)."""

PROVENANCE_FIELDS: tuple[str, ...] = ("fetched_at", "content_sha256", "extractor", "extractor_version")
"""Say how and when a version was captured and extracted, not what the page says."""

VERSION_FIELDS: tuple[str, ...] = ("revision_id", "last_edited_at", "history", "top_editors")
"""Change with every edit by definition; the versions table lists them."""

NOISY_FIELDS: tuple[str, ...] = ("errors", "synopsis_sections")
"""``errors`` follow the extractor more than the page (``status`` still shows a page turning partial);
``synopsis_sections`` repeats ``synopsis`` cut by headings, which would report every edit twice."""

DEFAULT_IGNORED: frozenset[str] = frozenset(
    IDENTITY_FIELDS + PROVENANCE_FIELDS + VERSION_FIELDS + NOISY_FIELDS
)

TEXT_FIELDS: tuple[str, ...] = ("synopsis", "deck")
"""Compared paragraph by paragraph, then word by word."""

LIST_IDENTITY: dict[str, tuple[tuple[str, ...], ...]] = {
    "names": (("name", "lang"),),
    "releases": (("name", "region"),),
    "credits": (("person", "role"),),
    "characters": (("character", "actor"),),
    "lists": (("url",), ("name",)),
    "related": (("url",), ("title",)),
    "top_editors": (("name",),),
    "images": (("url",),),
    "synopsis_sections": (("heading",),),
    "extra": (("label", "group"),),
    "history": (("action", "user", "at"),),
    "errors": (("field", "kind"),),
}
"""How items of a list of objects are matched: the first alternative whose attributes are not all empty
(a user list by url, or by name when it has no url)."""

CONTEXT_WORDS = 5
"""Words of unchanged text kept before and after each changed span."""

_SPACE = re.compile(r"[\s\u00a0\u200b\u3000]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_PAIR_SIMILARITY = 0.4


@dataclass(frozen=True, slots=True)
class Span:
    """One changed run of words inside an edited paragraph."""

    op: Literal["replace", "insert", "delete"]
    old: str
    new: str
    before: str
    """Up to ``CONTEXT_WORDS`` unchanged words before the span (old text)."""
    after: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "old": self.old, "new": self.new, "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class Change:
    """One field-level change between two versions of a record."""

    field: str
    change: ChangeKind
    key: str | None = None
    """Which item of a list (``"Koji Morimoto / Director"``) or paragraph (``"paragraph 2"``) changed."""
    old: Any = None
    new: Any = None
    fields: dict[str, tuple[Any, Any]] = dataclasses.field(default_factory=dict)
    """For a ``changed`` list item: attribute -> (old, new), only the attributes that differ."""
    spans: tuple[Span, ...] = ()
    """For an ``edited`` paragraph: the changed runs of words."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field,
            "change": self.change,
            "key": self.key,
            "old": self.old,
            "new": self.new,
        }
        if self.fields:
            out["fields"] = {name: [a, b] for name, (a, b) in self.fields.items()}
        if self.spans:
            out["spans"] = [s.to_dict() for s in self.spans]
        return out


@dataclass(frozen=True, slots=True)
class RecordDiff:
    """The changes between two versions of one record, with what identifies both sides."""

    record_id: str | None
    url: str | None
    old_fetched_at: str | None
    new_fetched_at: str | None
    old_content_sha256: str | None
    new_content_sha256: str | None
    changes: tuple[Change, ...]

    def rows(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per change, carrying the record's identity (the JSON Lines output)."""
        head = {"record_id": self.record_id, "url": self.url}
        tail = {"old_fetched_at": self.old_fetched_at, "new_fetched_at": self.new_fetched_at}
        return [{**head, **c.to_dict(), **tail} for c in self.changes]


# -- normalization ------------------------------------------------------------------------------


def _norm_text(value: str) -> str:
    return unicodedata.normalize("NFC", _SPACE.sub(" ", value)).strip()


def _canon(value: Any) -> Any:
    """A comparable form of a value: strings white-space collapsed, empty strings and lists as None."""
    if isinstance(value, str):
        text = _norm_text(value)
        return text or None
    if isinstance(value, list | tuple):
        items = tuple(_canon(v) for v in value)
        return items or None
    if isinstance(value, Mapping):
        return tuple(sorted((k, _canon(v)) for k, v in value.items()))
    return value


def _key_part(value: Any) -> str:
    return _norm_text(str(value)).casefold() if value is not None else ""


def _as_dict(record: TitleRecord | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(record, TitleRecord):
        return record.to_dict()
    return dict(record)


def _timestamp(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return format_timestamp(value)
    return str(value)


# -- scalars ------------------------------------------------------------------------------------


def _diff_scalar(name: str, old: Any, new: Any) -> list[Change]:
    a, b = _canon(old), _canon(new)
    if a == b:
        return []
    if a is None:
        return [Change(name, "added", old=None, new=new)]
    if b is None:
        return [Change(name, "removed", old=old, new=None)]
    return [Change(name, "changed", old=old, new=new)]


# -- lists --------------------------------------------------------------------------------------


def _item_identity(name: str, item: Any) -> tuple[str, tuple[str, ...]]:
    """(display key, match key) of one list item."""
    if not isinstance(item, Mapping):
        return _norm_text(str(item)), (_key_part(item),)
    alternatives = LIST_IDENTITY.get(name)
    if alternatives is None:
        alternatives = ((next(iter(item), ""),),)
    for attrs in alternatives:
        values = [item.get(a) for a in attrs]
        if any(_canon(v) is not None for v in values):
            shown = " / ".join(_norm_text(str(v)) for v in values if _canon(v) is not None)
            return shown, (attrs[0], *(_key_part(v) for v in values))
    shown = " / ".join(_norm_text(str(v)) for v in item.values() if _canon(v) is not None)
    return shown, ("*", *(_key_part(v) for v in item.values()))


def _diff_list(name: str, old: list[Any] | None, new: list[Any] | None) -> list[Change]:
    old_items, new_items = list(old or ()), list(new or ())
    # Within one identity (duplicated items) old and new items pair up in page order.
    unmatched: dict[tuple[str, ...], list[int]] = {}
    new_shown: list[str] = []
    for j, item in enumerate(new_items):
        shown, key = _item_identity(name, item)
        new_shown.append(shown)
        unmatched.setdefault(key, []).append(j)
    removed: list[Change] = []
    changed: list[Change] = []
    for item in old_items:
        shown, key = _item_identity(name, item)
        bucket = unmatched.get(key)
        if not bucket:
            removed.append(Change(name, "removed", key=shown, old=item))
            continue
        other = new_items[bucket.pop(0)]
        if isinstance(item, Mapping) and isinstance(other, Mapping):
            differing = {
                attr: (item.get(attr), other.get(attr))
                for attr in dict.fromkeys([*item, *other])
                if _canon(item.get(attr)) != _canon(other.get(attr))
            }
            if differing:
                changed.append(Change(name, "changed", key=shown, old=item, new=other, fields=differing))
    left = sorted(j for bucket in unmatched.values() for j in bucket)
    added = [Change(name, "added", key=new_shown[j], new=new_items[j]) for j in left]
    return removed + added + changed


# -- text ---------------------------------------------------------------------------------------


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    return [p for p in (_norm_text(chunk) for chunk in _PARAGRAPH_BREAK.split(text)) if p]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def word_spans(old: str, new: str, context: int = CONTEXT_WORDS) -> tuple[Span, ...]:
    """The changed runs of words between two paragraphs.

    >>> [s.to_dict() for s in word_spans("released in 1995 in Japan", "released in 1996 in Japan")]
    [{'op': 'replace', 'old': '1995', 'new': '1996', 'before': 'released in', 'after': 'in Japan'}]
    >>> word_spans("same  words", "same words")
    ()
    """
    a, b = old.split(), new.split()
    spans = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        spans.append(
            Span(
                op=op,  # type: ignore[arg-type]
                old=" ".join(a[i1:i2]),
                new=" ".join(b[j1:j2]),
                before=" ".join(a[max(0, i1 - context) : i1]),
                after=" ".join(a[i2 : i2 + context]),
            )
        )
    return tuple(spans)


def _pair_block(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair the paragraphs of one replaced block by similarity, keeping their order."""
    pairs: list[tuple[int | None, int | None]] = []
    j_next = 0
    for i, para in enumerate(old):
        best, best_score = None, _PAIR_SIMILARITY
        for j in range(j_next, len(new)):
            score = _similarity(para, new[j])
            if score >= best_score:
                best, best_score = j, score
        if best is None:
            pairs.append((i, None))
            continue
        pairs.extend((None, j) for j in range(j_next, best))
        pairs.append((i, best))
        j_next = best + 1
    pairs.extend((None, j) for j in range(j_next, len(new)))
    return pairs


def _diff_text(name: str, old: str | None, new: str | None) -> list[Change]:
    a, b = _paragraphs(old), _paragraphs(new)
    if [p.split() for p in a] == [p.split() for p in b]:
        return []
    if not a:
        return [Change(name, "added", old=None, new=new)]
    if not b:
        return [Change(name, "removed", old=old, new=None)]
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for i, j in _pair_block(a[i1:i2], b[j1:j2]):
            if i is not None and j is not None:
                spans = word_spans(a[i1 + i], b[j1 + j])
                if spans:
                    changes.append(
                        Change(
                            name,
                            "edited",
                            key=f"paragraph {i1 + i + 1}",
                            old=a[i1 + i],
                            new=b[j1 + j],
                            spans=spans,
                        )
                    )
            elif i is not None:
                changes.append(Change(name, "removed", key=f"paragraph {i1 + i + 1}", old=a[i1 + i]))
            elif j is not None:
                changes.append(Change(name, "added", key=f"paragraph {j1 + j + 1}", new=b[j1 + j]))
    return changes


# -- records ------------------------------------------------------------------------------------


def _differ(name: str, old: Any, new: Any) -> Callable[[str, Any, Any], list[Change]]:
    if name in TEXT_FIELDS:
        return _diff_text
    if isinstance(old, list | tuple) or isinstance(new, list | tuple):
        return _diff_list
    return _diff_scalar


def diff_fields(
    old: Mapping[str, Any], new: Mapping[str, Any], *, ignore: Collection[str] = DEFAULT_IGNORED
) -> list[Change]:
    """The changes between two records in ``to_dict()`` form, field by field in schema order."""
    names = [n for n in FIELD_NAMES if n not in ignore]
    names += sorted(n for n in {*old, *new} if n not in ignore and n not in FIELD_NAMES)
    changes: list[Change] = []
    for name in names:
        a, b = old.get(name), new.get(name)
        changes.extend(_differ(name, a, b)(name, a, b))
    return changes


def diff_records(
    old: TitleRecord | Mapping[str, Any],
    new: TitleRecord | Mapping[str, Any],
    *,
    ignore: Collection[str] = DEFAULT_IGNORED,
) -> list[Change]:
    """The field-level changes from ``old`` to ``new`` (see the module doc)."""
    return diff_fields(_as_dict(old), _as_dict(new), ignore=ignore)


def compare(
    old: TitleRecord | Mapping[str, Any],
    new: TitleRecord | Mapping[str, Any],
    *,
    ignore: Collection[str] = DEFAULT_IGNORED,
) -> RecordDiff:
    """``diff_records`` plus both sides' identity and capture times."""
    a, b = _as_dict(old), _as_dict(new)
    if a.get("record_id") and b.get("record_id") and a["record_id"] != b["record_id"]:
        logger.warning("comparing two different records: %s and %s", a["record_id"], b["record_id"])
    return RecordDiff(
        record_id=b.get("record_id") or a.get("record_id"),
        url=b.get("url") or a.get("url"),
        old_fetched_at=_timestamp(a.get("fetched_at")),
        new_fetched_at=_timestamp(b.get("fetched_at")),
        old_content_sha256=a.get("content_sha256"),
        new_content_sha256=b.get("content_sha256"),
        changes=tuple(diff_fields(a, b, ignore=ignore)),
    )


def version_pairs(versions: Iterable[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Consecutive (older, newer) pairs of one record's versions, ordered by capture time."""
    ordered = sorted(
        versions, key=lambda r: (_timestamp(r.get("fetched_at")) or "", r.get("content_sha256") or "")
    )
    return list(itertools.pairwise(ordered))
