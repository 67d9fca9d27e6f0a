"""Records to Arrow tables, column by column, and Parquet files written atomically in row groups.

``TitleBatch`` reads each record's values into per-column Python lists as it is added (one
generated function of plain attribute reads and appends, no ``asdict``), turns every chunk of them
into the ``titles`` table with one ``pa.array`` per column, and derives the flat tables from it with
Arrow compute (no Python at all).
``AtomicParquetFile`` streams row groups to a hidden temporary file beside the target and renames it
into place on ``commit()``, so a reader never sees a half-written file.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime
from functools import cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extractors.records import TitleRecord

from .schemas import (
    ALIASES,
    DATE,
    FAILURES,
    FLAT,
    GENRE_KINDS,
    GENRES,
    ITEM_FIELDS,
    STRING,
    STRINGS,
    TABLES,
    TIMESTAMP,
    TITLES,
    with_metadata,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

logger = logging.getLogger(__name__)

COMPRESSION = "zstd"
"""Default Parquet codec, at zstd's default level (1). Measured on the export benchmark (10,000-record
row groups): the dataset is 1.8x smaller than with ``snappy`` for ~6 microseconds more CPU per record
(about 10% of the writer's time); zstd level 3 costs another ~25% of writing for 1% less. Pass
``compression="snappy"`` to the writers when CPU matters more than disk."""
COMPRESSIONS = ("zstd", "snappy", "lz4", "gzip", "brotli", "none")

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
        # not record_id / content_sha256: they come in runs (a record's items), which zstd squeezes
        # smaller and faster from plain values than dictionary encoding does (measured: 8.7 vs 9.0 MB)
        _columns.add("run_id")
_DICTIONARY["credits"].update(("person", "person_url"))
_DICTIONARY["characters"].update(("character", "actor"))
_NO_STATISTICS = {
    *("synopsis", "deck", "synopsis_sections.text", "extra.value", "errors.message", "credits.note"),
    *("note", "images.caption", "settings_json", "manifest_json", "reason"),
    "content_sha256",
}
"""Long free text, and ``content_sha256`` (random hex: a row group's min and max span nearly all
hashes): min/max statistics cost time and prune nothing."""

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
_REQUIRED_GETTER = attrgetter("record_id", "site", "status")
_DIRECT_GETTER = attrgetter(*_DIRECT)
_NESTED = tuple(ITEM_FIELDS)

# Per column: (column name, record attribute, Arrow type read) for the direct fields.
_GETTER: dict[str, Callable[[Any], Any]] = {name: attrgetter(name) for name in _DIRECT}
for _kind, _fields in ITEM_FIELDS.items():
    _GETTER[_kind] = attrgetter(_kind)
    for _field in _fields:
        _GETTER.setdefault(_field.name, attrgetter(_field.name))
for _name in ("first_release_date", "end_date", "budget", "box_office", "last_edited_at"):
    _GETTER[_name] = attrgetter(_name)

_TITLES_SCHEMA = with_metadata(TITLES, "titles")

CHUNK_RECORDS = 2_000
"""Records are turned into Arrow every this many, so few Python objects are kept alive. Each chunk
has a fixed cost (~200 Arrow calls: a column's ``pa.array``, date parsing, the flat tables' keys):
measured on the export benchmark under load, 2,000 took ~5% less writer CPU than 1,000 for 13 MB
more peak memory; 5,000 was no faster and held 50 MB more."""

GENRES_BLOCK = 1_000
"""The ``genres`` table lists, for each block of this many records of a row group, their genres, then
their themes, tags and demographics (the order of the files since the first version, when records
were converted 1,000 at a time; kept when the chunk size changed, so that the rows are the same)."""

_DATE_CACHE: dict[str | None, date | None] = {None: None}
_DATE_CACHE_MAX = 100_000
_ISO_PERIOD = r"^(?:[1-9]\d{3}|0[1-9]\d\d|00[1-9]\d|000[1-9])(?:-\d\d){0,2}$"
"""``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (year 1 or later, ASCII digits): vectorized conversion."""


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


def _string_lists(values: list[Any], name: str) -> list[Any]:
    """A ``list<string>`` column's values with a str made null (Arrow would split the text into
    characters); the check runs in C (``map``), not per value in Python."""
    if str not in set(map(type, values)):
        return values
    logger.warning("%s: a text where a list of strings belongs was written as null", name)
    return [None if value.__class__ is str else value for value in values]


def _array(values: list[Any], type_: pa.DataType, name: str) -> pa.Array:
    if values and values[0] is None and values.count(None) == len(values):  # first: count() is not free
        return _nulls(len(values), type_)
    if type_ == STRINGS:
        return _string_list_array(values, name)
    return to_array(values, type_, name)


def _string_list_array(values: list[Any], name: str) -> pa.Array:
    """A ``list<string>`` column: when every value is a tuple or list, one ``pa.array`` call (faster
    than converting the flattened strings and building the lists from their lengths; a chunk where
    every value is the empty tuple gets a cached column); otherwise leniently."""
    if values and values[0] == () and values.count(()) == len(values):
        return _empty_lists(len(values), "strings", _EMPTY_STRINGS)
    if set(map(type, values)) <= {tuple, list}:
        try:
            return pa.array(values, STRINGS)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            pass  # an item is not a string: nulled one by one below
    return to_array(_string_lists(values, name), STRINGS, name)


_EMPTY_STRINGS = pa.array([], STRING)


def _attribute(objects: list[Any], attr: str, name: str) -> list[Any]:
    """One attribute of every object, read in C (``map`` + ``attrgetter``); None where one lacks it."""
    try:
        return list(map(_GETTER[attr], objects))
    except AttributeError:
        logger.warning("%s: a record holds values that are not %s items; read leniently", name, name)
        return [getattr(obj, attr, None) for obj in objects]


def _dates(iso: pa.Array) -> pa.Array:
    """ISO periods (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) as the date32 of their first day.

    Vectorized (a regex check, padding to a day and Arrow's strict cast); a chunk holding any other
    text or an impossible day falls back to ``iso_to_date`` value by value.
    """
    n = len(iso)
    if iso.null_count == n:
        return pa.nulls(n, DATE)
    periods = pc.match_substring_regex(iso, _ISO_PERIOD)
    if pc.sum(periods).as_py() == n - iso.null_count:
        length = pc.binary_length(iso)
        day = pc.if_else(
            pc.equal(length, 4),
            pc.binary_join_element_wise(iso, "-01-01", ""),
            pc.if_else(pc.equal(length, 7), pc.binary_join_element_wise(iso, "-01", ""), iso),
        )
        try:
            return pc.cast(day, DATE)
        except pa.ArrowInvalid:  # 1995-02-30 and the like
            pass
    cache = _DATE_CACHE
    return pa.array([cache[v] if v in cache else iso_to_date(v) for v in iso.to_pylist()], type=DATE)


def _offsets(counts: list[int]) -> pa.Array:
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.array(offsets, type=pa.int32())


_EMPTY_ITEMS = {kind: pa.array([], pa.struct(fields)) for kind, fields in ITEM_FIELDS.items()}
_EMPTY_CACHE: dict[tuple[str, pa.DataType, int], pa.Array] = {}


def _cached_empty(key: tuple[str, pa.DataType, int], make: Callable[[], pa.Array]) -> pa.Array:
    """An all-null or all-empty column of ``key``'s length, made once: Arrow arrays are immutable, and
    most columns of a chunk (``characters``, ``licensors`` ...) are empty for every record."""
    try:
        return _EMPTY_CACHE[key]
    except KeyError:
        if len(_EMPTY_CACHE) >= 256:
            _EMPTY_CACHE.clear()
        array = _EMPTY_CACHE[key] = make()
        return array


def _nulls(n: int, type_: pa.DataType) -> pa.Array:
    return _cached_empty(("null", type_, n), lambda: pa.nulls(n, type_))


def _empty_lists(n: int, kind: str, values: pa.Array) -> pa.Array:
    """``n`` empty lists of ``values``' type (``kind`` names the cache entry)."""
    return _cached_empty(("empty", values.type, n), lambda: pa.ListArray.from_arrays(_offsets([0] * n), values))


def _nested_column(records: list[Any], kind: str) -> pa.ListArray:
    """One ``list<struct>`` column (``credits``, ``names`` ...) of the records, built column-wise:
    every item of every record in one list, then one C-level pass per item field (the lenient path,
    for a chunk ``_ColumnReader`` could not read)."""
    lists = list(map(_GETTER[kind], records))
    if not set(map(type, lists)) <= {tuple, list}:
        logger.warning("%s: a record holds a value that is not a list of %s; written as no items", kind, kind)
        lists = [value if isinstance(value, tuple | list) else () for value in lists]
    counts = list(map(len, lists))
    if not any(counts):  # no record of the chunk has any: no item to read
        return _empty_lists(len(counts), kind, _EMPTY_ITEMS[kind])
    items = list(chain.from_iterable(lists))
    read: dict[str, list[Any]] = {}

    def values(attr: str) -> list[Any]:
        if attr not in read:
            read[attr] = _attribute(items, attr, kind)
        return read[attr]

    return _build_nested(kind, counts, values)


def _nested_from(read: dict[str, list[Any]], kind: str) -> pa.ListArray:
    """One ``list<struct>`` column from the values a ``_ColumnReader`` gathered."""
    counts = list(map(len, read[kind]))
    if not any(counts):
        return _empty_lists(len(counts), kind, _EMPTY_ITEMS[kind])
    return _build_nested(kind, counts, lambda attr: read[f"{kind}.{attr}"])


def _build_nested(kind: str, counts: list[int], values: Callable[[str], list[Any]]) -> pa.ListArray:
    """The ``list<struct>`` column of ``kind`` from the item counts per record and each item
    attribute's values over all the items (``date`` is made from ``date_iso``)."""
    fields = ITEM_FIELDS[kind]
    children = []
    for field in fields:
        if field.name == "date":
            children.append(pa.array([], DATE))  # placeholder, set from date_iso below
        else:
            attr = "date" if field.name == "date_iso" else field.name
            children.append(_array(values(attr), field.type, f"{kind}.{field.name}"))
    if kind == "releases":
        names = [f.name for f in fields]
        children[names.index("date")] = _dates(children[names.index("date_iso")])
    struct = pa.StructArray.from_arrays(children, fields=fields)
    return pa.ListArray.from_arrays(_offsets(counts), struct)


# Record attributes a ``_ColumnReader`` reads, by column: the direct fields, the raw values of the
# derived ones, and for each nested kind its item sequences and each item attribute.
_ITEM_ATTRS = {
    kind: tuple(dict.fromkeys("date" if f.name == "date_iso" else f.name for f in fields if f.name != "date"))
    for kind, fields in ITEM_FIELDS.items()
}
_RECORD_ATTRS = (*_DIRECT, "first_release_date", "end_date", "budget", "box_office", "last_edited_at")


def _reader_source() -> str:
    """Python source of the column reader: ``make()`` returns ``(add, columns)``; ``add(record)``
    appends each of the record's values (and of its nested items) to its column's list, and
    ``columns()`` returns the lists by column name. Plain attribute reads and ``list.append`` in
    one function, specialized by the interpreter (``c.append(v)``, not a bound ``append``: 20% faster): about half the time of one ``map(attrgetter)``
    pass per column over a chunk, and each record is read as it arrives, while still in cache."""
    names = list(_RECORD_ATTRS)
    body = [f"        c{i}.append(r.{attr})" for i, attr in enumerate(_RECORD_ATTRS)]
    for kind, attrs in _ITEM_ATTRS.items():
        first = len(names)
        names += [kind, *(f"{kind}.{attr}" for attr in attrs)]
        body += [f"        items = r.{kind}", f"        c{first}.append(items)", "        if items:"]
        body.append("            for x in items:")
        body += [f"                c{first + 1 + k}.append(x.{attr})" for k, attr in enumerate(attrs)]
    lines = ["def make():"]
    lines += [f"    c{i} = []" for i in range(len(names))]
    lines += ["    def add(r):", *body, "    def columns():"]
    lines.append("        return {" + ", ".join(f"{name!r}: c{i}" for i, name in enumerate(names)) + "}")
    lines.append("    return add, columns")
    return "\n".join(lines) + "\n"


_READER_SOURCE = _reader_source()
_namespace: dict[str, Any] = {}
exec(compile(_READER_SOURCE, "<exports.parquet column reader>", "exec"), _namespace)  # noqa: S102
_make_reader: Callable[[], tuple[Callable[[Any], None], Callable[[], dict[str, list[Any]]]]]
_make_reader = _namespace["make"]


class _ColumnReader:
    """The Python values of a chunk's records, column by column, read one record at a time.

    A record of an unexpected shape (an attribute missing, a nested value that is not a tuple or
    list of items, anything raising) marks the chunk: ``columns()`` is then None and the chunk is read
    column by column leniently instead (``_nested_column``, ``_attribute``), with their warnings.
    """

    def __init__(self) -> None:
        self._add, self._columns = _make_reader()
        self.ok = True

    def add(self, record: Any) -> None:
        if self.ok:
            try:
                self._add(record)
            except Exception:  # noqa: BLE001 -- the lenient path reads the chunk again and says what is wrong
                self.ok = False

    def columns(self) -> dict[str, list[Any]] | None:
        if not self.ok:
            return None
        read = self._columns()
        for kind in _NESTED:
            if not set(map(type, read[kind])) <= {tuple, list}:
                return None
        return read


class TitleBatch:
    """Records collected for the ``titles`` table and the flat tables derived from it.

    ``add()`` checks the record and appends its values (and its nested items') to the chunk's
    column lists (``_ColumnReader``); every ``CHUNK_RECORDS`` records the chunk is turned into one
    Arrow record batch, one ``pa.array`` per column, so memory holds compact Arrow data rather than
    Python objects. A chunk holding a record of an unexpected shape is read again column by column
    (``map`` + ``attrgetter``, leniently, with warnings).
    """

    def __init__(self, run_id: str | None = None, *, flat: bool = False) -> None:
        self.run_id = run_id
        self.flat = flat
        self._chunks: list[pa.RecordBatch] = []
        self.rows = 0
        """Records added since the last ``clear()`` (also ``len()``)."""
        self._pending: list[TitleRecord] = []
        self._reader = _ColumnReader()

    def __len__(self) -> int:
        return self.rows

    def add(self, record: TitleRecord) -> None:
        """Add one record; ValueError when it lacks the non-null ``record_id``, ``site``, ``status``."""
        try:
            record_id, site, status = _REQUIRED_GETTER(record)
            if record.__class__ is not TitleRecord:
                _DIRECT_GETTER(record)  # an object of another class must have every field
        except AttributeError as exc:
            raise ValueError(f"not a title record: {record!r:.200}") from exc
        if not (
            record_id.__class__ is str and record_id and site.__class__ is str and status.__class__ is str
        ):
            raise ValueError(f"a title record needs record_id, site and status strings: {record!r:.200}")
        self._pending.append(record)
        self._reader.add(record)
        self.rows += 1
        if len(self._pending) >= CHUNK_RECORDS:
            self._convert()

    def clear(self) -> None:
        self._chunks.clear()
        self.rows = 0
        self._pending = []
        self._reader = _ColumnReader()

    def _convert(self) -> None:
        """Turn the pending records into one Arrow record batch of the ``titles`` schema."""
        records = self._pending
        n = len(records)
        if not n:
            return
        read = self._reader.columns()
        columns: dict[str, pa.Array] = {
            name: _array(read[name] if read else list(map(_GETTER[name], records)), TITLES.field(name).type, name)
            for name in _DIRECT
        }
        for name in ("first_release_date", "end_date"):
            values = read[name] if read else list(map(_GETTER[name], records))
            columns[f"{name}_iso"] = iso = _array(values, STRING, name)
            columns[name] = _dates(iso)
        for prefix in ("budget", "box_office"):
            money = read[prefix] if read else list(map(_GETTER[prefix], records))
            for attr, type_ in (("amount", pa.float64()), ("currency", STRING), ("raw", STRING)):
                columns[f"{prefix}_{attr}"] = (
                    _nulls(n, type_)
                    if money.count(None) == n
                    else to_array([getattr(m, attr, None) for m in money], type_, f"{prefix}.{attr}")
                )
        edited = read["last_edited_at"] if read else list(map(_GETTER["last_edited_at"], records))
        if edited.count(None) == n:
            columns["last_edited_at_iso"] = _nulls(n, STRING)
            columns["last_edited_at"] = _nulls(n, TIMESTAMP)
        else:
            columns["last_edited_at_iso"] = to_array(edited, STRING, "last_edited_at")
            columns["last_edited_at"] = pa.array([parse_timestamp(v) for v in edited], type=TIMESTAMP)
        columns["run_id"] = _nulls(n, STRING) if self.run_id is None else pa.repeat(self.run_id, n)
        for kind in _NESTED:
            columns[kind] = _nested_from(read, kind) if read else _nested_column(records, kind)
        titles = pa.RecordBatch.from_arrays([columns[f.name] for f in TITLES], schema=_TITLES_SCHEMA)
        self._chunks.append(titles)
        self._pending = []
        self._reader = _ColumnReader()

    def titles_table(self) -> pa.Table:
        """Everything added since the last ``clear()`` as rows of the ``titles`` table."""
        self._convert()
        return pa.Table.from_batches(self._chunks, schema=_TITLES_SCHEMA)

    def tables(self) -> Iterator[tuple[str, pa.Table]]:
        """The ``titles`` table, then (when made with ``flat=True``) every flat table.

        The flat tables are derived one at a time as they are asked for, so a caller that writes
        each before asking for the next holds at most one of them in memory.
        """
        self._convert()
        yield "titles", pa.Table.from_batches(self._chunks, schema=_TITLES_SCHEMA)
        if self.flat:
            for name, schema in _FLAT_SCHEMAS.items():
                chunks = self._chunks
                if name == "genres":  # its rows go kind by kind within each block of records
                    chunks = [c.slice(i, GENRES_BLOCK) for c in chunks for i in range(0, c.num_rows, GENRES_BLOCK)]
                yield name, pa.Table.from_batches([flat_batch(c, name) for c in chunks], schema=schema)


_FLAT_SCHEMAS: dict[str, pa.Schema] = {
    **{kind: with_metadata(schema, kind) for kind, schema in FLAT.items()},
    "aliases": with_metadata(ALIASES, "aliases"),
    "genres": with_metadata(GENRES, "genres"),
}


def flat_batches(titles: pa.RecordBatch) -> Iterator[tuple[str, pa.RecordBatch]]:
    """The rows of the flat tables (names ... related, aliases, genres) of a ``titles`` batch."""
    return ((name, flat_batch(titles, name)) for name in _FLAT_SCHEMAS)


def _without_nulls(batch: pa.RecordBatch, column: str) -> pa.RecordBatch:
    # a null in a list of strings (a record built so) is no alias / genre: no row
    values = batch.column(column)
    return batch.filter(pc.is_valid(values)) if values.null_count else batch


def flat_batch(titles: pa.RecordBatch, name: str) -> pa.RecordBatch:
    """The rows of one flat table (``credits``, ``aliases``, ``genres`` ...) of a ``titles`` batch,
    made with Arrow compute from the nested columns (no Python per row)."""
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

    schema = _FLAT_SCHEMAS[name]
    if name in FLAT:
        lists = titles.column(name)
        key_arrays, count = keys(lists)
        return pa.RecordBatch.from_arrays(
            [*key_arrays, *lists.flatten().flatten(), run_column(count)], schema=schema
        )
    if name == "aliases":
        aliases = titles.column("aliases")
        key_arrays, count = keys(aliases)
        batch = pa.RecordBatch.from_arrays([*key_arrays, aliases.flatten(), run_column(count)], schema=schema)
        return _without_nulls(batch, "alias")
    parts = []
    for field, kind in GENRE_KINDS.items():
        lists = titles.column(field)
        key_arrays, count = keys(lists)
        parts.append([*key_arrays, pa.repeat(kind, count), lists.flatten(), run_column(count)])
    batch = pa.RecordBatch.from_arrays(
        [pa.concat_arrays([part[i] for part in parts]) for i in range(len(GENRES))], schema=schema
    )
    return _without_nulls(batch, "name")


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
def writer_options(table: str, compression: str = COMPRESSION) -> dict[str, Any]:
    """Parquet options of a table: dictionary encoding only where values repeat, statistics but not
    on long text (both cost time on unique text and shrink nothing) nor on the items nested in
    ``titles``; ``compression`` is the codec."""
    if compression not in COMPRESSIONS:
        raise ValueError(f"compression must be one of {', '.join(COMPRESSIONS)}, not {compression!r}")
    sink = pa.BufferOutputStream()
    pq.write_table(TABLES[table].empty_table(), sink)
    schema = pq.ParquetFile(pa.BufferReader(sink.getvalue())).schema
    paths = [schema.column(i).path for i in range(len(schema))]
    return {
        "compression": compression,
        "use_dictionary": [p for p in paths if _plain_path(p) in _DICTIONARY[table]],
        # no min/max on the items nested in titles either: readers prune on top-level columns, and the
        # flat tables carry the items' statistics
        "write_statistics": [
            p
            for p in paths
            if _plain_path(p) not in _NO_STATISTICS and (table != "titles" or ".list.element." not in p)
        ],
    }


class AtomicParquetFile:
    """One Parquet file streamed in row groups to a hidden temporary name, renamed on ``commit()``."""

    def __init__(self, path: Path, schema: pa.Schema, table: str, *, compression: str = COMPRESSION) -> None:
        options = writer_options(table, compression)
        self.path = path
        self.tmp = temp_path(path)
        self.rows = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(self.tmp, schema, **options)

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
