"""The worked queries of docs/dataset.md and README run, in pandas and in DuckDB, and give the same
answers: on a dataset made for them, and (the README's, as printed) on the real ``titlecrawl demo``
output, where they must give what the README says they give."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from exports.dataset import DatasetWriter
from exports.schemas import TABLES
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


# -- the README's queries on the real demo output -------------------------------------------------


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``titlecrawl demo -o DIR``: the sample wiki served on 127.0.0.1, crawled and recrawled."""
    out = tmp_path_factory.mktemp("demo") / "demo-out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TITLECRAWL_", "SCRAPY_"))}
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, "-m", "titlecrawl.cli", "demo", "-o", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    return out, proc.stdout


@pytest.mark.slow
def test_make_demo_writes_the_dataset_and_prints_pandas_lines_read_back(demo_out: tuple[Path, str]) -> None:
    out, printed = demo_out
    records = [line for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines() if line]
    titles = pd.read_parquet(out / "titles")
    # the first crawl wrote every record; the recrawl (all 304s) added none, only its run and failures
    assert sorted(titles["record_id"]) == sorted(json.loads(line)["record_id"] for line in records)
    assert len(pd.read_parquet(out / "runs")) == 2
    for table in TABLES:
        assert list(pd.read_parquet(out / table, dtype_backend="pyarrow").columns) == [
            *TABLES[table].names,
            "crawl_date",
        ]
    assert f"Read back with pandas: pd.read_parquet('{out}/titles') ({len(titles)} rows)" in printed
    shown = printed.split("Read back with pandas", 1)[1]
    for record_id, title in titles[["record_id", "title"]].itertuples(index=False):
        assert re.search(rf"^\s*{re.escape(record_id)}\s+{re.escape(title)}\b", shown, re.MULTILINE), record_id
    assert "Credits per person across titles" in shown


def _readme_claims() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("On the demo's output the first gives", 1)[1].split("\n## ", 1)[0]


@pytest.mark.slow
def test_the_readme_queries_give_on_the_demo_output_what_the_readme_says(demo_out: tuple[Path, str]) -> None:
    out, _printed = demo_out
    answers: dict[str, dict[str, pd.DataFrame]] = {}
    for (name, reader), code in _blocks(README).items():
        scope: dict[str, Any] = {"OUTDIR": str(out)}
        exec(code, scope)  # noqa: S102 (the README's own examples, run as printed)
        answers.setdefault(name, {})[reader] = scope["result"]
    assert sorted(answers) == sorted(EXPECTED)
    for name, both in answers.items():
        assert _rows(both["pandas"]) == _rows(both["duckdb"]), f"{name}: pandas and DuckDB differ on the demo"
    claims = _readme_claims()

    people = dict(_rows(answers["credits-per-person"]["pandas"]))
    count = re.match(r"\s*(\d+) people \(([^)]*) are credited on two titles each", claims)
    assert count, "README: 'On the demo's output the first gives N people (A, B and C are credited ...'"
    assert len(people) == int(count.group(1))
    named = re.split(r",\s+|\s+and\s+", count.group(2))
    assert sorted(p for p, n in people.items() if n == 2) == sorted(named)
    assert set(people.values()) == {1, 2}

    years = dict(_rows(answers["releases-per-year"]["pandas"]))
    span = re.search(r"the second (\d+) releases over (\d+)\s+years from (\d+) to (\d+) \(two in (\d+) and in (\d+)\)", claims)
    assert span, "README: 'the second N releases over Y years from A to B (two in C and in D)'"
    total, n_years, first, last, two_a, two_b = map(int, span.groups())
    assert (sum(years.values()), len(years), min(years), max(years)) == (total, n_years, first, last)
    assert sorted(y for y, n in years.items() if n == 2) == [two_a, two_b]
    assert max(years.values()) == 2

    printed_table = re.search(r"```\n( +record_id +title +runtime_raw\n.*?)```", claims, re.DOTALL)
    assert printed_table, "README: the printed result of the third query"
    lines = printed_table.group(1).rstrip("\n").splitlines()
    assert "`result.to_string(index=False)` of the DuckDB query" in claims
    assert answers["missing-runtime"]["duckdb"].to_string(index=False).splitlines() == lines
