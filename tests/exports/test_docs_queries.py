"""The worked queries of docs/dataset.md run, in pandas and in DuckDB, and give the same answers."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from exports.dataset import DatasetWriter
from extractors.records import Credit, Release

from .factories import all_records, memories, partial_game

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "dataset.md"
README = ROOT / "README.md"


def _blocks(path: Path = DOCS) -> dict[tuple[str, str], str]:
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"<!-- query: (\S+) (pandas|duckdb) -->\n```python\n(.*?)```", text, re.DOTALL)
    return {(name, reader): code for name, reader, code in found}


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two nightly runs: the second has a new version of Memories and of the game."""
    out = tmp_path_factory.mktemp("dataset")
    with DatasetWriter(out, run_id="night-1", crawl_date=date(2026, 11, 1)) as writer:
        for record in all_records():
            writer.write(record)
    newer = memories(
        content_sha256="f" * 64,
        fetched_at=datetime(2026, 11, 2, 12, 0, tzinfo=UTC),
        credits=(*memories().credits, Credit(person="Koji Morimoto", role="Director", roles=("director",))),
        releases=(
            Release(name="Memories", date="2004-02-24", precision="day", raw="Feb. 24, 2004"),
            Release(name="メモリーズ", date="1996-12-23", precision="day", raw="Dec. 23, 1996"),
        ),
    )
    game = partial_game(
        content_sha256="9" * 64,
        fetched_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        runtime_minutes=40,
        runtime_raw="40 hours",
        status="ok",
        errors=(),
    )
    with DatasetWriter(out, run_id="night-2", crawl_date=date(2026, 11, 2)) as writer:
        writer.write(newer)
        writer.write(game)
    return out


def _rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    def plain(value: Any) -> Any:
        value = value.item() if hasattr(value, "item") else value
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else value

    return [tuple(plain(v) for v in row) for row in frame.itertuples(index=False)]


EXPECTED = {
    "credits-per-person": [
        ("Katsuhiro Otomo", 1),
        ("Koji Morimoto", 1),
        ("Satoshi Kon", 1),
        ("Tensai Okamura", 1),
    ],
    # latest versions only: the corrected 1996 date replaces 1995; the game's quarter counts in 2027
    "releases-per-year": [(1971, 1), (1996, 1), (2004, 1), (2027, 1)],
    # the game's first version had only "a long evening"; its latest has 40 minutes
    "missing-runtime": [("wikipedia:Harbor_Lights_(film)", "Harbor Lights", None)],
}


def test_the_docs_have_each_query_in_both_readers_and_the_readme_shows_the_same() -> None:
    assert sorted(_blocks()) == sorted((name, reader) for name in EXPECTED for reader in ("pandas", "duckdb"))
    assert _blocks(README) == _blocks(), "README's 'For analysts' queries must be those of docs/dataset.md"


@pytest.mark.parametrize("name", list(EXPECTED))
def test_worked_query(name: str, outdir: Path) -> None:
    answers = {}
    for reader in ("pandas", "duckdb"):
        scope: dict[str, Any] = {"OUTDIR": str(outdir)}
        exec(_blocks()[(name, reader)], scope)  # noqa: S102 (the docs' own examples)
        answers[reader] = _rows(scope["result"])
    assert answers["pandas"] == answers["duckdb"]
    assert answers["duckdb"] == EXPECTED[name]
