"""Explicit Arrow schemas of the Parquet dataset's tables (documented in ``docs/dataset.md``).

Every table is built from the record contract (``extractors/records.py``). Bump ``SCHEMA_VERSION``
whenever any schema here changes, record the new fingerprint in ``exports/schema_fingerprint.json``
and document the version and columns in ``docs/schema.md`` and ``docs/dataset.md``;
``tests/exports/test_schemas.py`` enforces it.

>>> TABLES["credits"].names[:4]
['record_id', 'content_sha256', 'position', 'person']
>>> str(TABLES["titles"].field("first_release_date").type)
'date32[day]'
"""

from __future__ import annotations

import hashlib
import logging

import pyarrow as pa

from extractors.records import RECORD_SCHEMA_VERSION

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
"""Version of the dataset's table schemas, written to every file's metadata."""

META_SCHEMA_VERSION = b"titlecrawl.schema_version"
META_RECORD_SCHEMA_VERSION = b"titlecrawl.record_schema_version"
META_TABLE = b"titlecrawl.table"

STRING = pa.string()
INT32 = pa.int32()
INT64 = pa.int64()
FLOAT64 = pa.float64()
DATE = pa.date32()
TIMESTAMP = pa.timestamp("us", tz="UTC")
STRINGS = pa.list_(pa.string())
COUNTS = pa.map_(pa.string(), pa.int64())


def _fields(*pairs: tuple[str, pa.DataType]) -> list[pa.Field]:
    return [pa.field(name, type_) for name, type_ in pairs]


# The fields of each nested item, in the order of the record's dataclass (typed dates added).
# The titles table holds them as list<struct>; the flat tables as columns beside the keys.
ITEM_FIELDS: dict[str, list[pa.Field]] = {
    "names": _fields(
        ("name", STRING), ("lang", STRING), ("type", STRING), ("region", STRING), ("note", STRING)
    ),
    "releases": _fields(
        ("name", STRING),
        ("region", STRING),
        ("date", DATE),
        ("date_iso", STRING),
        ("precision", STRING),
        ("raw", STRING),
        ("note", STRING),
    ),
    "credits": _fields(
        ("person", STRING), ("person_url", STRING), ("role", STRING), ("roles", STRINGS), ("note", STRING)
    ),
    "characters": _fields(
        ("character", STRING),
        ("character_url", STRING),
        ("role", STRING),
        ("actor", STRING),
        ("actor_url", STRING),
        ("language", STRING),
    ),
    "lists": _fields(
        ("name", STRING), ("url", STRING), ("item_count", INT32), ("author", STRING), ("author_url", STRING)
    ),
    "related": _fields(("relation", STRING), ("title", STRING), ("url", STRING)),
    "top_editors": _fields(("name", STRING), ("url", STRING), ("contributions", INT32)),
    "images": _fields(("url", STRING), ("caption", STRING)),
    "synopsis_sections": _fields(("heading", STRING), ("text", STRING)),
    "history": _fields(("action", STRING), ("user", STRING), ("at", STRING)),
    "extra": _fields(("label", STRING), ("value", STRING), ("group", STRING)),
    "errors": _fields(("field", STRING), ("kind", STRING), ("message", STRING)),
}


def item_list_type(kind: str) -> pa.DataType:
    """``list<struct<...>>`` of one nested kind (``credits``, ``names`` ...)."""
    return pa.list_(pa.struct(ITEM_FIELDS[kind]))


STRING_LISTS = (
    "aliases",
    "genres",
    "themes",
    "tags",
    "demographics",
    "studios",
    "producers",
    "licensors",
    "publishers",
    "developers",
    "platforms",
    "countries",
    "languages",
)
"""Record fields that are tuples of strings: ``list<string>`` in the titles table."""

TITLES = pa.schema(
    [
        pa.field("record_id", STRING, nullable=False),
        pa.field("site", STRING, nullable=False),
        *_fields(
            ("url", STRING),
            ("canonical_url", STRING),
            ("page_id", STRING),
            ("fetched_at", TIMESTAMP),
            ("content_sha256", STRING),
            ("extractor", STRING),
            ("extractor_version", STRING),
        ),
        pa.field("status", STRING, nullable=False),
        *_fields(
            ("title", STRING),
            ("kind", STRING),
            ("kind_raw", STRING),
            ("deck", STRING),
            ("synopsis", STRING),
            ("synopsis_sections", item_list_type("synopsis_sections")),
            ("names", item_list_type("names")),
            ("aliases", STRINGS),
            ("releases", item_list_type("releases")),
            ("first_release_date", DATE),
            ("first_release_date_iso", STRING),
            ("first_release_precision", STRING),
            ("end_date", DATE),
            ("end_date_iso", STRING),
            ("end_precision", STRING),
            ("season", STRING),
            ("release_status", STRING),
            ("broadcast", STRING),
            ("episodes", INT32),
            ("volumes", INT32),
            ("chapters", INT32),
            ("runtime_minutes", INT32),
            ("runtime_raw", STRING),
            ("rating", STRING),
            ("score", FLOAT64),
            ("score_max", FLOAT64),
            ("score_count", INT64),
            ("budget_amount", FLOAT64),
            ("budget_currency", STRING),
            ("budget_raw", STRING),
            ("box_office_amount", FLOAT64),
            ("box_office_currency", STRING),
            ("box_office_raw", STRING),
            ("genres", STRINGS),
            ("themes", STRINGS),
            ("tags", STRINGS),
            ("demographics", STRINGS),
            ("source", STRING),
            ("studios", STRINGS),
            ("producers", STRINGS),
            ("licensors", STRINGS),
            ("publishers", STRINGS),
            ("developers", STRINGS),
            ("platforms", STRINGS),
            ("countries", STRINGS),
            ("languages", STRINGS),
            ("credits", item_list_type("credits")),
            ("characters", item_list_type("characters")),
            ("lists", item_list_type("lists")),
            ("related", item_list_type("related")),
            ("top_editors", item_list_type("top_editors")),
            ("images", item_list_type("images")),
            ("last_edited_at", TIMESTAMP),
            ("last_edited_at_iso", STRING),
            ("revision_id", STRING),
            ("history", item_list_type("history")),
            ("extra", item_list_type("extra")),
            ("errors", item_list_type("errors")),
            ("run_id", STRING),
        ),
    ]
)

KEY_FIELDS = [
    pa.field("record_id", STRING, nullable=False),
    pa.field("content_sha256", STRING),
    pa.field("position", INT32, nullable=False),
]
"""The record version a flat row belongs to, and its place in the record's list (page order)."""

RUN_ID_FIELD = pa.field("run_id", STRING)

FLAT_KINDS = ("names", "releases", "credits", "characters", "lists", "related")
"""Nested kinds that also get a flat table of their own."""

FLAT: dict[str, pa.Schema] = {
    kind: pa.schema([*KEY_FIELDS, *ITEM_FIELDS[kind], RUN_ID_FIELD]) for kind in FLAT_KINDS
}

ALIASES = pa.schema([*KEY_FIELDS, pa.field("alias", STRING, nullable=False), RUN_ID_FIELD])

GENRE_KINDS = {"genres": "genre", "themes": "theme", "tags": "tag", "demographics": "demographic"}
"""Record field -> the ``kind`` value of its rows in the ``genres`` table."""

GENRES = pa.schema(
    [
        *KEY_FIELDS,
        pa.field("kind", STRING, nullable=False),
        pa.field("name", STRING, nullable=False),
        RUN_ID_FIELD,
    ]
)

FAILURES = pa.schema(
    [
        pa.field("url", STRING, nullable=False),
        pa.field("status", INT32),
        pa.field("reason", STRING),
        pa.field("fetched_at", TIMESTAMP),
        RUN_ID_FIELD,
    ]
)

RUNS = pa.schema(
    [
        pa.field("run_id", STRING, nullable=False),
        *_fields(
            ("started_at", TIMESTAMP),
            ("finished_at", TIMESTAMP),
            ("outcomes", COUNTS),
            ("errors_per_field", COUNTS),
            ("pages_per_minute", FLOAT64),
            ("settings_json", STRING),
            ("manifest_json", STRING),
        ),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "titles": TITLES,
    **FLAT,
    "aliases": ALIASES,
    "genres": GENRES,
    "failures": FAILURES,
    "runs": RUNS,
}
"""Every table of the dataset, by folder name."""


def with_metadata(schema: pa.Schema, table: str) -> pa.Schema:
    """The schema carrying the versions and table name in its (file) metadata."""
    return schema.with_metadata(
        {
            META_SCHEMA_VERSION: str(SCHEMA_VERSION).encode(),
            META_RECORD_SCHEMA_VERSION: str(RECORD_SCHEMA_VERSION).encode(),
            META_TABLE: table.encode(),
        }
    )


def short_type(type_: pa.DataType) -> str:
    """The type as the data dictionary writes it (``list<struct>``, ``timestamp[us, UTC]`` ...).

    >>> short_type(TIMESTAMP), short_type(STRINGS), short_type(item_list_type("names"))
    ('timestamp[us, UTC]', 'list<string>', 'list<struct>')
    >>> short_type(COUNTS), short_type(DATE)
    ('map<string, int64>', 'date32')
    """
    if pa.types.is_timestamp(type_):
        return f"timestamp[{type_.unit}, {type_.tz}]" if type_.tz else f"timestamp[{type_.unit}]"
    if pa.types.is_date32(type_):
        return "date32"
    if pa.types.is_list(type_):
        value = type_.value_type
        return "list<struct>" if pa.types.is_struct(value) else f"list<{short_type(value)}>"
    if pa.types.is_map(type_):
        return f"map<{short_type(type_.key_type)}, {short_type(type_.item_type)}>"
    return str(type_)


def fingerprint(tables: dict[str, pa.Schema] | None = None) -> str:
    """SHA-256 of every table's schema (names, types, nullability, order); metadata excluded.

    ``tables`` defaults to ``TABLES``, the dataset's.
    """
    digest = hashlib.sha256()
    for name, schema in (TABLES if tables is None else tables).items():
        digest.update(f"table {name}\n".encode())
        for field in schema:
            digest.update(f"{field.name} {field.type} {'null' if field.nullable else 'not null'}\n".encode())
    return digest.hexdigest()
