"""The schemas, their version, fingerprint and data dictionary move together."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pyarrow as pa
import pytest

import exports.dataset
import exports.parquet
import exports.schemas
from exports.schemas import SCHEMA_VERSION, TABLES, fingerprint, short_type

ROOT = Path(__file__).resolve().parents[2]
FINGERPRINTS = ROOT / "exports" / "schema_fingerprint.json"
DOCS = ROOT / "docs" / "dataset.md"
SCHEMA_DOCS = ROOT / "docs" / "schema.md"
HOW_TO_UPDATE = (
    "A table schema in exports/schemas.py changed. Bump SCHEMA_VERSION there, add "
    '"<new version>": "<fingerprint>" to exports/schema_fingerprint.json (keep the old entries), and '
    "update docs/schema.md (the version and short fingerprint and the table of columns in 'In the "
    "Parquet dataset') and docs/dataset.md (the version and short fingerprint at the top, the "
    "'Schema versions' table and the table's columns). The current fingerprint is {fp}."
)


def test_the_schema_fingerprint_is_recorded_for_the_current_version() -> None:
    recorded = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))
    current = fingerprint()
    assert recorded.get(str(SCHEMA_VERSION)) == current, HOW_TO_UPDATE.format(fp=current)
    assert max(int(v) for v in recorded) == SCHEMA_VERSION, (
        "SCHEMA_VERSION must be the newest recorded version"
    )
    assert len(set(recorded.values())) == len(recorded), "each version must have its own schemas"


def test_the_docs_name_the_current_version_and_fingerprint() -> None:
    text = DOCS.read_text(encoding="utf-8")
    short = fingerprint()[:12]
    assert f"Dataset schema version: **{SCHEMA_VERSION}** (fingerprint `{short}`)" in text, (
        HOW_TO_UPDATE.format(fp=fingerprint())
    )
    assert re.search(rf"^\| {SCHEMA_VERSION} \| `{short}` \|", text, re.MULTILINE), (
        "add the version to 'Schema versions'"
    )


def test_docs_schema_md_names_the_current_version_and_fingerprint_and_links_the_dictionary() -> None:
    text = SCHEMA_DOCS.read_text(encoding="utf-8")
    section = text.split("## In the Parquet dataset", 1)[1].split("\n## ", 1)[0]
    short = fingerprint()[:12]
    assert f"Dataset schema version: **{SCHEMA_VERSION}** (fingerprint `{short}`)" in section, (
        HOW_TO_UPDATE.format(fp=fingerprint())
    )
    assert "[dataset.md](dataset.md)" in section, "docs/schema.md must link the data dictionary"


def test_docs_schema_md_lists_every_table_and_its_columns() -> None:
    section = SCHEMA_DOCS.read_text(encoding="utf-8").split("## In the Parquet dataset", 1)[1]
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| (.*) \|$", section, re.MULTILINE)
    documented = {name: re.findall(r"`(\w+)`", columns) for name, columns in rows}
    assert list(documented) == list(TABLES), HOW_TO_UPDATE.format(fp=fingerprint())
    for name, schema in TABLES.items():
        assert documented[name] == schema.names, f"docs/schema.md, table {name}: " + HOW_TO_UPDATE.format(
            fp=fingerprint()
        )


def test_the_guard_fails_when_a_schema_changes_without_the_version_and_docs() -> None:
    """The guard above, run against a changed schema: it must notice."""
    recorded = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))
    changed = dict(TABLES)
    changed["credits"] = TABLES["credits"].append(pa.field("credited_as", pa.string()))
    digest = fingerprint(changed)
    assert digest != fingerprint()
    assert recorded.get(str(SCHEMA_VERSION)) != digest
    for path in (DOCS, SCHEMA_DOCS):
        assert f"(fingerprint `{digest[:12]}`)" not in path.read_text(encoding="utf-8")


def _documented_tables(text: str) -> dict[str, list[tuple[str, str]]]:
    """``### `table` `` sections -> [(column, type as documented)] from their markdown tables."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        heading = re.match(r"^### `(\w+)`\s*$", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        if line.startswith("#"):
            current = None
            continue
        row = re.match(r"^\| `(\w+)` \| `([^`]+)`( not null)? \|", line)
        if current is not None and row:
            current.append((row.group(1), row.group(2) + (row.group(3) or "")))
    return tables


def test_the_data_dictionary_documents_every_column_with_its_type() -> None:
    documented = _documented_tables(DOCS.read_text(encoding="utf-8"))
    assert list(documented) == list(TABLES)
    for name, schema in TABLES.items():
        expected = [(f.name, short_type(f.type) + ("" if f.nullable else " not null")) for f in schema]
        assert documented[name] == expected, f"docs/dataset.md, table {name}"


def test_the_struct_fields_of_nested_columns_are_named_in_the_docs() -> None:
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").split("### `titles`")[1].split("### ")[0].splitlines():
        row = re.match(r"^\| `(\w+)` \| `list<struct>` \| (.*)\|$", line)
        if row:
            rows[row.group(1)] = row.group(2)
    nested = [f for f in TABLES["titles"] if short_type(f.type) == "list<struct>"]
    assert sorted(rows) == sorted(f.name for f in nested)
    for field in nested:
        for child in field.type.value_type:
            assert f"`{child.name}`" in rows[field.name], f"titles.{field.name}: document {child.name}"


@pytest.mark.parametrize(
    "module", [exports.schemas, exports.parquet, exports.dataset], ids=lambda m: m.__name__
)
def test_module_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
