"""Records to Arrow tables, column by column, and Parquet files written atomically in row groups.

``TitleBatch`` collects records as column lists (one ``attrgetter`` call per record and per nested
item, no ``asdict``) and turns them into the ``titles`` table and the flat tables derived from it.
``AtomicParquetFile`` streams row groups to a hidden temporary file beside the target and renames it
into place on ``commit()``, so a reader never sees a half-written file.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime
from functools import cache
from itertools import compress
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schemas import (
    ALIASES,
    FAILURES,
    FLAT,
    GENRE_KINDS,
    GENRES,
    ITEM_FIELDS,
    TABLES,
    TIMESTAMP,
    TITLES,
    with_metadata,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from extractors.records import TitleRecord

logger = logging.getLogger(__name__)

COMPRESSION = "zstd"

_ITEM_LABELS = (
    "names.lang",
    "names.type",
    "names.region",
    "releases.region",
    "releases.precision",
    "credits.role",
    "credits.roles",
    "characters.role",
    "characters.language",
    "related.relation",
    "errors.field",
    "errors.kind",
    "extra.label",
    "extra.group",
    "history.action",
)
_DICTIONARY: dict[str, set[str]] = {
    "titles": {
        *("site", "status", "extractor", "extractor_version", "kind", "kind_raw", "season", "release_status"),
        *("first_release_precision", "end_precision", "rating", "source", "budget_currency"),
        *("box_office_currency", "run_id", "genres", "themes", "tags", "demographics", "studios"),
        *("producers", "licensors", "publishers", "developers", "platforms", "countries", "languages"),
        *_ITEM_LABELS,
    },
    "aliases": set(),
    "genres": {"kind", "name"},
    "failures": {"reason"},
    "runs": set(),
}
for _kind in FLAT:
    _DICTIONARY[_kind] = {label.split(".", 1)[1] for label in _ITEM_LABELS if label.startswith(_kind + ".")}
for _name, _columns in _DICTIONARY.items():
    if _name not in ("titles", "runs"):
        _columns.update(("record_id", "content_sha256", "run_id"))
_DICTIONARY["credits"].update(("person", "person_url"))
_DICTIONARY["characters"].update(("character", "actor"))
_NO_STATISTICS = {
    *("synopsis", "deck", "synopsis_sections.text", "extra.value", "errors.message", "credits.note"),
    *("note", "images.caption", "settings_json", "manifest_json", "reason"),
}
"""Long free text: min/max statistics cost time and prune nothing."""

# Record fields read as they are (their Parquet column has the same name and meaning).
_DIRECT = tuple(
    field.name
    for field in TITLES
    if field.name not in ITEM_FIELDS
    and not field.name.startswith(
        ("first_release_date", "end_date", "budget_", "box_office_", "last_edited_at")
    )
    and field.name != "run_id"
)
_DIRECT_STRUCT = pa.struct([TITLES.field(name).with_nullable(True) for name in _DIRECT])
_DIRECT_GETTER = attrgetter(*_DIRECT)
_STATUS = _DIRECT.index("status")
_DIRECT_LISTS = tuple(i for i, name in enumerate(_DIRECT) if pa.types.is_list(TITLES.field(name).type))
# Record fields turned into several columns (dates, money, the edit time).
_DERIVED = ("first_release_date", "end_date", "budget", "box_office", "last_edited_at")
_DERIVED_GETTER = attrgetter(*_DERIVED)

_NESTED = tuple(ITEM_FIELDS)
_NESTED_GETTER = attrgetter(*_NESTED)


def _item_attrs(fields: list[pa.Field]) -> tuple[str, ...]:
    # a release's ``date_iso`` is read from ``date``; ``date`` is converted after
    return tuple("date" if f.name == "date_iso" else f.name for f in fields)


def _read_struct(fields: list[pa.Field]) -> pa.StructType:
    # the struct as read from the items: a release's ``date`` still ISO text
    return pa.struct([f.with_type(pa.string()) if f.name == "date" else f for f in fields])


_ITEM_ATTRS = {kind: _item_attrs(fields) for kind, fields in ITEM_FIELDS.items()}
_KINDS = tuple(range(len(_NESTED)))
_GETTERS: tuple[Callable[[Any], Any], ...] = tuple(attrgetter(*_ITEM_ATTRS[kind]) for kind in _NESTED)
_READ_STRUCTS = {kind: _read_struct(fields) for kind, fields in ITEM_FIELDS.items()}
_ITEM_LISTS = {
    kind: tuple(i for i, f in enumerate(fields) if pa.types.is_list(f.type))
    for kind, fields in ITEM_FIELDS.items()
}

_TITLES_SCHEMA = with_metadata(TITLES, "titles")

CHUNK_RECORDS = 1_000
"""Records are turned into Arrow every this many, so few Python objects are kept alive."""

_DATE_CACHE: dict[str | None, date | None] = {None: None}
_DATE_CACHE_MAX = 100_000


def iso_to_date(text: str | None) -> date | None:
    """The first day of an ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` period; None if not one.

    >>> iso_to_date("1995"), iso_to_date("1995-12"), iso_to_date("1995-12-23")
    (datetime.date(1995, 1, 1), datetime.date(1995, 12, 1), datetime.date(1995, 12, 23))
    >>> iso_to_date("Dec. 1995") is None, iso_to_date("1995-13") is None
    (True, True)
    """
    if text is None:
        return None
    try:
        return _DATE_CACHE[text]
    except KeyError:
        pass
    value: date | None = None
    parts = text.split("-") if isinstance(text, str) else []
    if 1 <= len(parts) <= 3 and len(parts[0]) == 4 and all(p.isascii() and p.isdigit() for p in parts):
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        try:
            value = date(numbers[0], numbers[1], numbers[2])
        except ValueError:
            value = None
    if len(_DATE_CACHE) >= _DATE_CACHE_MAX:
        _DATE_CACHE.clear()
        _DATE_CACHE[None] = None
    _DATE_CACHE[text] = value
    return value


def parse_timestamp(text: str | datetime | None) -> datetime | None:
    """An ISO date or date-time as a UTC datetime (a date is its midnight; naive means UTC).

    >>> parse_timestamp("2021-11-04")
    datetime.datetime(2021, 11, 4, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_timestamp("2021-11-04T10:30:00+02:00")
    datetime.datetime(2021, 11, 4, 8, 30, tzinfo=datetime.timezone.utc)
    >>> parse_timestamp("last Tuesday") is None
    True
    """
    if text is None:
        return None
    if isinstance(text, datetime):
        value = text
    else:
        try:
            value = datetime.fromisoformat(str(text).strip())
        except ValueError:
            return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_array(values: Sequence[Any], type_: pa.DataType, name: str) -> pa.Array:
    """``pa.array`` with an explicit type; a value that does not fit becomes null with a warning.

    A record built with a wrong type (a str in an int field) must not lose the whole batch.
    """
    try:
        return pa.array(values, type=type_)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        pass
    fixed: list[Any] = []
    bad = 0
    for value in values:
        try:
            pa.scalar(value, type=type_)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            bad += 1
            value = None
        fixed.append(value)
    logger.warning("column %s: %d value(s) not of type %s were written as null", name, bad, type_)
    return pa.array(fixed, type=type_)


def struct_array(rows: list[tuple[Any, ...]], type_: pa.StructType, name: str) -> pa.StructArray:
    """Tuples as a struct array (converted in C++); a bad value is nulled column by column."""
    try:
        return pa.array(rows, type=type_)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        pass
    columns = list(zip(*rows, strict=True)) if rows else [()] * type_.num_fields
    children = [
        to_array(values, field.type, f"{name}.{field.name}")
        for values, field in zip(columns, type_, strict=True)
    ]
    return pa.StructArray.from_arrays(children, fields=list(type_))


def _read_items_leniently(kind: str, items: Any) -> list[tuple[Any, ...]]:
    """Items of a record built with wrong types: a non-sequence is no item, a missing attribute None."""
    logger.warning("%s: a record holds values that are not %s items; read leniently", kind, kind)
    if not isinstance(items, tuple | list):
        return []
    return [tuple(getattr(item, attr, None) for attr in _ITEM_ATTRS[kind]) for item in items]


def _checked_lists(rows: list[tuple[Any, ...]], indexes: tuple[int, ...], name: str) -> list[tuple[Any, ...]]:
    """Rows where a str stands in a list-of-strings position get null there (Arrow would split the
    text into characters); the check runs column by column in C (``map``), not per record."""
    if not any(str in set(map(type, map(itemgetter(i), rows))) for i in indexes):
        return rows
    logger.warning("%s: a text where a list of strings belongs was written as null", name)
    return [
        tuple(None if i in indexes and value.__class__ is str else value for i, value in enumerate(row))
        for row in rows
    ]


def _offsets(counts: list[int]) -> pa.Array:
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.array(offsets, type=pa.int32())


def _dates(iso: pa.Array) -> pa.Array:
    cache = _DATE_CACHE
    return pa.array([cache[v] if v in cache else iso_to_date(v) for v in iso.to_pylist()], type=pa.date32())


class TitleBatch:
    """Records collected for the ``titles`` table and the flat tables derived from it.

    ``add()`` reads each record with one ``attrgetter`` call (and one per nested item); every
    ``CHUNK_RECORDS`` records the rows are converted to an Arrow record batch, so memory holds
    compact Arrow data rather than Python objects.
    """

    def __init__(self, run_id: str | None = None, *, flat: bool = False) -> None:
        self.run_id = run_id
        self.flat = flat
        self._chunks: list[pa.RecordBatch] = []
        self._flat: dict[str, list[pa.RecordBatch]] = {name: [] for name in _FLAT_SCHEMAS} if flat else {}
        self._rows = 0
        self._direct: list[tuple[Any, ...]] = []
        self._derived: list[tuple[Any, ...]] = []
        self._counts: list[tuple[int, ...]] = []
        """Per record, how many items of each nested kind it has (in ``_NESTED`` order)."""
        self._items: list[list[tuple[Any, ...]]] = [[] for _ in _NESTED]
        """Per nested kind, the rows of all pending records' items."""

    def __len__(self) -> int:
        return self._rows

    def add(self, record: TitleRecord) -> None:
        """Add one record; ValueError when it lacks the non-null ``record_id``, ``site``, ``status``."""
        try:
            direct = _DIRECT_GETTER(record)
        except AttributeError as exc:
            raise ValueError(f"not a title record: {record!r:.200}") from exc
        if not (
            isinstance(direct[0], str)
            and direct[0]
            and isinstance(direct[1], str)
            and isinstance(direct[_STATUS], str)
        ):
            raise ValueError(f"a title record needs record_id, site and status strings: {record!r:.200}")
        self._direct.append(direct)
        self._derived.append(_DERIVED_GETTER(record))
        # nested items are read at once, so the caller's objects can be freed right away; only the
        # kinds the record has are visited (``compress`` skips the empty ones in C)
        nested = _NESTED_GETTER(record)
        try:
            counts = tuple(map(len, nested))
        except TypeError:
            nested = tuple(items if isinstance(items, tuple | list) else () for items in nested)
            counts = tuple(map(len, nested))
        for k in compress(_KINDS, counts):
            rows = self._items[k]
            before = len(rows)
            try:
                rows.extend(map(_GETTERS[k], nested[k]))
            except (TypeError, AttributeError):
                del rows[before:]
                rows.extend(_read_items_leniently(_NESTED[k], nested[k]))
                counts = (*counts[:k], len(rows) - before, *counts[k + 1 :])
        self._counts.append(counts)
        self._rows += 1
        if len(self._direct) >= CHUNK_RECORDS:
            self._convert()

    def clear(self) -> None:
        self._chunks.clear()
        for batches in self._flat.values():
            batches.clear()
        self._rows = 0
        self._reset_pending()

    def _reset_pending(self) -> None:
        self._direct = []
        self._derived = []
        self._counts = []
        self._items = [[] for _ in _NESTED]

    def _nested_column(self, k: int) -> pa.Array:
        """One ``list<struct>`` column of the pending rows (nested kind number ``k``)."""
        kind = _NESTED[k]
        rows = _checked_lists(self._items[k], _ITEM_LISTS[kind], kind)
        struct = struct_array(rows, _READ_STRUCTS[kind], kind)
        if kind == "releases":
            fields = ITEM_FIELDS[kind]
            children = [struct.field(f.name) for f in fields]
            children[[f.name for f in fields].index("date")] = _dates(struct.field("date"))
            struct = pa.StructArray.from_arrays(children, fields=fields)
        return pa.ListArray.from_arrays(_offsets(list(map(itemgetter(k), self._counts))), struct)

    def _convert(self) -> None:
        """Turn the pending rows into one Arrow record batch of the ``titles`` schema."""
        n = len(self._direct)
        if not n:
            return
        direct = struct_array(_checked_lists(self._direct, _DIRECT_LISTS, "titles"), _DIRECT_STRUCT, "titles")
        columns: dict[str, pa.Array] = {name: direct.field(name) for name in _DIRECT}
        first, end, budget, box_office, edited = (list(values) for values in zip(*self._derived, strict=True))
        columns["first_release_date_iso"] = iso = to_array(first, pa.string(), "first_release_date")
        columns["first_release_date"] = _dates(iso)
        columns["end_date_iso"] = iso = to_array(end, pa.string(), "end_date")
        columns["end_date"] = _dates(iso)
        for prefix, money in (("budget", budget), ("box_office", box_office)):
            columns[f"{prefix}_amount"] = to_array(
                [getattr(m, "amount", None) for m in money], pa.float64(), f"{prefix}.amount"
            )
            columns[f"{prefix}_currency"] = to_array(
                [getattr(m, "currency", None) for m in money], pa.string(), f"{prefix}.currency"
            )
            columns[f"{prefix}_raw"] = to_array(
                [getattr(m, "raw", None) for m in money], pa.string(), f"{prefix}.raw"
            )
        columns["last_edited_at_iso"] = iso = to_array(edited, pa.string(), "last_edited_at")
        columns["last_edited_at"] = pa.array([parse_timestamp(v) for v in edited], type=TIMESTAMP)
        columns["run_id"] = pa.nulls(n, pa.string()) if self.run_id is None else pa.repeat(self.run_id, n)
        for k, kind in enumerate(_NESTED):
            columns[kind] = self._nested_column(k)
        titles = pa.RecordBatch.from_arrays([columns[f.name] for f in TITLES], schema=_TITLES_SCHEMA)
        self._chunks.append(titles)
        if self.flat:
            for name, batch in flat_batches(titles):
                self._flat[name].append(batch)
        self._reset_pending()

    def titles_table(self) -> pa.Table:
        """Everything added since the last ``clear()`` as rows of the ``titles`` table."""
        self._convert()
        return pa.Table.from_batches(self._chunks, schema=_TITLES_SCHEMA)

    def tables(self) -> Iterator[tuple[str, pa.Table]]:
        """The ``titles`` table, then (when made with ``flat=True``) every flat table."""
        self._convert()
        yield "titles", pa.Table.from_batches(self._chunks, schema=_TITLES_SCHEMA)
        for name, batches in self._flat.items():
            yield name, pa.Table.from_batches(batches, schema=_FLAT_SCHEMAS[name])


_FLAT_SCHEMAS: dict[str, pa.Schema] = {
    **{kind: with_metadata(schema, kind) for kind, schema in FLAT.items()},
    "aliases": with_metadata(ALIASES, "aliases"),
    "genres": with_metadata(GENRES, "genres"),
}


def flat_batches(titles: pa.RecordBatch) -> Iterator[tuple[str, pa.RecordBatch]]:
    """The rows of the flat tables (names ... related, aliases, genres) of a ``titles`` batch."""
    record_id = titles.column("record_id")
    sha = titles.column("content_sha256")
    run_ids = titles.column("run_id")
    run_value = run_ids[0].as_py() if len(run_ids) else None

    def keys(lists: pa.ListArray) -> tuple[list[pa.Array], int]:
        parents = pc.list_parent_indices(lists)
        starts = np.asarray(lists.offsets)[:-1]
        parent_np = np.asarray(parents)
        position = np.arange(len(parent_np), dtype=np.int32) - (starts[parent_np] - starts[0])
        return [record_id.take(parents), sha.take(parents), pa.array(position, pa.int32())], len(parent_np)

    def run_column(count: int) -> pa.Array:
        return pa.nulls(count, pa.string()) if run_value is None else pa.repeat(run_value, count)

    for kind in FLAT:
        lists = titles.column(kind)
        key_arrays, count = keys(lists)
        yield (
            kind,
            pa.RecordBatch.from_arrays(
                [*key_arrays, *lists.flatten().flatten(), run_column(count)], schema=_FLAT_SCHEMAS[kind]
            ),
        )

    def without_nulls(batch: pa.RecordBatch, column: str) -> pa.RecordBatch:
        # a null in a list of strings (a record built so) is no alias / genre: no row
        values = batch.column(column)
        return batch.filter(pc.is_valid(values)) if values.null_count else batch

    aliases = titles.column("aliases")
    key_arrays, count = keys(aliases)
    batch = pa.RecordBatch.from_arrays(
        [*key_arrays, aliases.flatten(), run_column(count)], schema=_FLAT_SCHEMAS["aliases"]
    )
    yield "aliases", without_nulls(batch, "alias")

    parts = []
    for field, kind in GENRE_KINDS.items():
        lists = titles.column(field)
        key_arrays, count = keys(lists)
        parts.append([*key_arrays, pa.repeat(kind, count), lists.flatten(), run_column(count)])
    batch = pa.RecordBatch.from_arrays(
        [pa.concat_arrays([part[i] for part in parts]) for i in range(len(GENRES))],
        schema=_FLAT_SCHEMAS["genres"],
    )
    yield "genres", without_nulls(batch, "name")


def failures_table(rows: list[tuple[str, int | None, str, datetime | None]], run_id: str | None) -> pa.Table:
    """Rows of (url, status, reason, fetched_at) as the ``failures`` table."""
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    arrays = [
        to_array(values, field.type, field.name) for values, field in zip(columns, FAILURES, strict=False)
    ]
    arrays.append(pa.nulls(len(rows), pa.string()) if run_id is None else pa.repeat(run_id, len(rows)))
    return pa.Table.from_arrays(arrays, schema=with_metadata(FAILURES, "failures"))


def temp_path(path: Path) -> Path:
    """The hidden temporary name of ``path``: readers skip it (pyarrow and pandas ignore names
    starting with ``.``; it does not end in ``.parquet``, so DuckDB globs skip it too)."""
    return path.with_name(f".{path.name}.tmp")


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _plain_path(path: str) -> str:
    return path.replace(".list.element", "").replace(".key_value", "")


@cache
def writer_options(table: str) -> dict[str, Any]:
    """Parquet options of a table: dictionary encoding only where values repeat, statistics but not
    on long text (both cost time on unique text and shrink nothing)."""
    sink = pa.BufferOutputStream()
    pq.write_table(TABLES[table].empty_table(), sink)
    schema = pq.ParquetFile(pa.BufferReader(sink.getvalue())).schema
    paths = [schema.column(i).path for i in range(len(schema))]
    return {
        "compression": COMPRESSION,
        "use_dictionary": [p for p in paths if _plain_path(p) in _DICTIONARY[table]],
        "write_statistics": [p for p in paths if _plain_path(p) not in _NO_STATISTICS],
    }


class AtomicParquetFile:
    """One Parquet file streamed in row groups to a hidden temporary name, renamed on ``commit()``."""

    def __init__(self, path: Path, schema: pa.Schema, table: str) -> None:
        self.path = path
        self.tmp = temp_path(path)
        self.rows = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(self.tmp, schema, **writer_options(table))

    def write(self, table: pa.Table) -> None:
        if self._writer is None:
            raise ValueError(f"{self.path} is already closed")
        if table.num_rows:
            self._writer.write_table(table)
            self.rows += table.num_rows

    def commit(self) -> None:
        """Close the file, flush it to disk and rename it into place (atomically)."""
        if self._writer is None:
            return
        self._writer.close()
        self._writer = None
        fd = os.open(self.tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.tmp.replace(self.path)

    def discard(self) -> None:
        """Drop the temporary file; the target (if any) is left as it was."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self.tmp.unlink(missing_ok=True)
