"""A crawl keeps ``OUTDIR/versions`` current: every distinct content of a page is a version, listed
per record id as soon as the run that fetched it ends, and ``titlecrawl diff --dataset`` compares
the two versions of a page edited between crawls."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from crawler.localserver import LocalWikiServer
from tests.crawler.conftest import REPO, SITE, crawl_env, explain, manifest, run_crawl

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

MEMORIES = "memories/4000-1001/index.html"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITE, target)
    return target


@pytest.fixture
def wiki(site: Path) -> Iterator[LocalWikiServer]:
    with LocalWikiServer(site).start() as server:
        yield server


def _versions(out: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ds.dataset(out / "versions").to_table().to_pylist()
    return rows


def test_each_crawl_refreshes_the_versions_table(wiki: LocalWikiServer, site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_crawl(wiki.url, out)
    assert first.returncode == 0, explain(first)
    m1 = manifest(out)
    records = m1["outcomes"]["record"]
    assert m1["files"]["versions"] == "versions/versions.parquet"
    assert "versions_error" not in m1
    v1 = _versions(out)
    assert len(v1) == records
    assert {r["version"] for r in v1} == {1}
    assert {r["run_id"] for r in v1} == {m1["run_id"]}

    page = site / MEMORIES
    page.write_text(page.read_text(encoding="utf-8").replace("115 (mins)", "113 (mins)"), encoding="utf-8")
    second = run_crawl(wiki.url, out)
    assert second.returncode == 0, explain(second)
    m2 = manifest(out)
    assert m2["outcomes"]["record"] == 1
    v2 = _versions(out)
    assert len(v2) == records + 1
    per_record = Counter(str(r["record_id"]) for r in v2)
    memories = sorted((r for r in v2 if str(r["record_id"]).endswith(":4000-1001")), key=lambda r: int(r["version"]))
    assert [(r["version"], r["run_id"]) for r in memories] == [(1, m1["run_id"]), (2, m2["run_id"])]
    assert memories[0]["content_sha256"] != memories[1]["content_sha256"]
    assert [n for n in per_record.values() if n > 1] == [2]

    # The crawl's dataset diffs like any other: exactly the edited runtime.
    record_id = str(memories[0]["record_id"])
    proc = subprocess.run(
        [sys.executable, "-m", "titlecrawl.cli", "diff", "--dataset", str(out), "--record", record_id],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # 1: there are changes
    changes = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [
        ("runtime_minutes", 115, 113), ("runtime_raw", "115 (mins)", "113 (mins)"),
    ]  # fmt: skip
