"""docs/schema.md's example record is what the extractor makes of the Memories sample, value for value."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from extractors.__main__ import extract_sample, record_json

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DOCS = ROOT / "docs" / "schema.md"
SAMPLE = ROOT / "samples" / "title" / "animevice-memories"


def _example() -> tuple[str, dict[str, Any]]:
    text = SCHEMA_DOCS.read_text(encoding="utf-8")
    section = text.split("## Example: *Memories* (Anime Vice)", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.DOTALL)
    assert block, "docs/schema.md: the Memories example has no JSON block"
    shown: dict[str, Any] = json.loads(block.group(1))
    return section, shown


def test_the_memories_example_shows_the_extractors_values() -> None:
    prose, shown = _example()
    extracted = record_json(extract_sample(SAMPLE))
    # the sample's expected.json is the record the docs point readers to: the same record
    assert extracted == json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
    for field, value in shown.items():
        assert field in extracted, f"docs/schema.md example: {field} is not a record field"
        actual = extracted[field]
        if isinstance(value, list) and value != actual:
            # a cut list: its first items exactly, and the prose says how many of how many
            assert value == actual[: len(value)], f"docs/schema.md example: {field} differs"
            assert re.search(rf"`{field}`\s+(shows\s+)?the\s+first\s+{len(value)}\s+of\s+{len(actual)}\b", prose), (
                f"docs/schema.md example: say that {field} shows the first {len(value)} of {len(actual)}"
            )
        else:
            assert value == actual, f"docs/schema.md example: {field} is {actual!r}, not {value!r}"


def test_the_example_leaves_out_only_what_it_says() -> None:
    prose, shown = _example()
    extracted = record_json(extract_sample(SAMPLE))
    left_out = {f for f in extracted if f not in shown}
    empty = {f for f in left_out if extracted[f] in (None, [], "")}
    assert left_out - empty == {"synopsis", "synopsis_sections"}, "name every non-empty field left out"
    assert f"`synopsis`, {len(extracted['synopsis']):,} characters" in prose
