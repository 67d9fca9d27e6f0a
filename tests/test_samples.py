"""THE sample test: every ``samples/title/<slug>/`` folder gives exactly its hand-checked record.

A folder holds the page, ``meta.json`` (url, fetched_at, optional ``subpages`` of the same title,
merged into one record) and ``expected.json``: the whole record, errors included, so a new field,
a lost field or a new error all fail here. Review a change with
``python -m extractors rerun --diff samples/title/<slug>``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.__main__ import diff_fields, extract_sample, record_json

from .conftest import SAMPLES

SAMPLE_DIRS = sorted(p for p in (SAMPLES / "title").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", SAMPLE_DIRS, ids=lambda p: p.name)
def test_sample(case: Path) -> None:
    expected_path = case / "expected.json"
    assert expected_path.is_file(), f"{case.name} has no expected.json (write it by hand, see docstring)"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    got = record_json(extract_sample(case))
    assert got == expected, f"{case.name}: fields differ: {json.dumps(diff_fields(got, expected), ensure_ascii=False)}"


def test_every_sample_folder_is_complete() -> None:
    """A folder without its page or meta would silently drop out of the test above."""
    assert SAMPLE_DIRS, "no samples under samples/title"
    for case in SAMPLE_DIRS:
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        assert meta.get("url"), f"{case.name}: meta.json has no url"
        assert any((case / n).is_file() for n in ("page.html", "page.htm", "page.txt")), case.name
        for name in (meta.get("subpages") or {}):
            assert (case / name).is_file(), f"{case.name}: subpage {name} is missing"
