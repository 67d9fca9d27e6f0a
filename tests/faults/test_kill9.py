"""kill -9 at random points of a crawl, a dataset export and a re-extraction: after a rerun nothing is
lost, nothing is doubled, and every file on disk reads back.

Each test runs the work once uninterrupted (the reference), then again in a child process killed with
SIGKILL at a point drawn from the seed, then reruns it, and compares the record sets.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from tests.crawler.conftest import REPO, crawl_env, explain, jsonl, manifest, run_crawl, start_crawl
from tests.exports.factories import memories

from .faultserver import FaultServer
from .site import build_site

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

SEEDS = [11, 29, 47]


def kill(proc: subprocess.Popen[str], sig: int = signal.SIGKILL) -> str:
    if proc.poll() is None:
        proc.send_signal(sig)
    return proc.communicate(timeout=60)[0] or ""


def wait_for_lines(path: Path, count: int, proc: subprocess.Popen[str], limit: float = 60) -> None:
    """Until ``path`` has ``count`` lines or the process ends."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists() and path.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.02)


def check_files(out: Path) -> None:
    """Every Parquet file opens; no temporary file is where a reader looks; every JSON line parses."""
    for path in out.rglob("*.parquet"):
        pq.ParquetFile(path).metadata  # noqa: B018 - raises on a torn file
    for path in out.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            json.loads(line)
    visible_tmp = [p for p in out.rglob("*.tmp") if not p.name.startswith(".") and p.parent.name != out.name]
    assert not visible_tmp, visible_tmp


def dataset_keys(out: Path) -> list[tuple[str, str]]:
    table = ds.dataset(out / "titles", format="parquet", partitioning="hive").to_table(
        columns=["record_id", "content_sha256"]
    )
    return sorted(zip(table["record_id"].to_pylist(), table["content_sha256"].to_pylist(), strict=True))


def record_keys(lines: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((r["record_id"], r["content_sha256"]) for r in lines)


# -- (a) a crawl with --job-dir ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_wiki(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("wiki")
    build_site(root, titles=80, per_index=10)
    with FaultServer(root).start() as server:  # no faults: a server quiet about clients killed mid-request
        ref = tmp_path_factory.mktemp("ref") / "out"
        proc = run_crawl(server.url, ref, "--profile", "whiskey")
        assert proc.returncode == 0, explain(proc)
        yield server, record_keys(jsonl(ref / "records.jsonl"))


@pytest.mark.parametrize("seed", SEEDS)
def test_crawl_killed_then_stopped_then_resumed(small_wiki: Any, tmp_path: Path, seed: int) -> None:
    server, reference = small_wiki
    rng = random.Random(seed)
    out, job = tmp_path / "out", tmp_path / "job"
    args = ("--profile", "whiskey", "--job-dir", str(job), "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
    # kill -9 after a random number of records, then SIGTERM (a clean stop that writes the dataset so far)
    # after some more, then let the resumed job finish
    first, second = sorted(rng.sample(range(1, 70), 2))
    proc = start_crawl(server.url, out, *args)
    wait_for_lines(out / "records.jsonl", first, proc)
    time.sleep(rng.uniform(0, 0.2))
    kill(proc)
    lines = (out / "records.jsonl").read_bytes().count(b"\n") if (out / "records.jsonl").exists() else 0
    proc = start_crawl(server.url, out, *args)
    wait_for_lines(out / "records.jsonl", lines + second - first, proc)  # new records of this session
    time.sleep(rng.uniform(0, 0.2))
    output = kill(proc, signal.SIGTERM)
    assert proc.returncode in (0, 3), output
    if not manifest(out)["complete"]:  # else the job ended before the signal landed: nothing to resume
        resumed = run_crawl(server.url, out, *args)
        assert resumed.returncode == 0, explain(resumed)

    m = manifest(out)
    assert m["complete"]
    assert m["pending"] == 0
    records = jsonl(out / "records.jsonl")
    assert record_keys(records) == reference  # nothing lost, nothing twice
    assert m["outcomes"]["record"] == len(reference)
    assert dataset_keys(out) == reference  # the dataset holds every record once, across the sessions
    check_files(out)


def test_resumed_job_export_keeps_the_records_of_its_first_session(small_wiki: Any, tmp_path: Path) -> None:
    """The known bug: a stopped-then-resumed job wrote the dataset twice under one run id, the second
    export (only the records since the first) replacing the first's files."""
    server, reference = small_wiki
    out, job = tmp_path / "out", tmp_path / "job"
    args = ("--profile", "whiskey", "--job-dir", str(job), "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
    proc = start_crawl(server.url, out, *args)
    wait_for_lines(out / "records.jsonl", 20, proc)
    output = kill(proc, signal.SIGTERM)
    assert proc.returncode == 3, output
    stopped = manifest(out)
    assert 0 < stopped["dataset"]["records"] < len(reference)
    assert len(dataset_keys(out)) == stopped["dataset"]["records"]
    resumed = run_crawl(server.url, out, *args)
    assert resumed.returncode == 0, explain(resumed)
    assert manifest(out)["run_id"] == stopped["run_id"]
    assert dataset_keys(out) == record_keys(jsonl(out / "records.jsonl")) == reference


# -- (b) a dataset export ------------------------------------------------------------------------------
EXPORT = textwrap.dedent(
    """
    import sys
    from datetime import date
    sys.path.insert(0, sys.argv[2])
    from exports.dataset import DatasetWriter
    from tests.exports.factories import memories

    writer = DatasetWriter(sys.argv[1], run_id="export", crawl_date=date(2026, 11, 1), batch_size=40)
    writer.rows_per_file = 300
    with writer:
        for i in range(int(sys.argv[3])):
            writer.write(memories(record_id=f"animevice:4000-{i}", content_sha256=f"{i:064x}"))
            if i % 100 == 0:
                print(i, flush=True)
    print("DONE", flush=True)
    """
)
EXPORT_RECORDS = 1200


def run_export(out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", EXPORT, str(out), str(REPO), str(EXPORT_RECORDS)],
        cwd=REPO, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@pytest.mark.parametrize("seed", SEEDS)
def test_export_killed_then_rerun(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    out = tmp_path / "out"
    proc = run_export(out)
    assert proc.stdout is not None
    target = str(100 * rng.randint(0, EXPORT_RECORDS // 100 - 1))
    for line in proc.stdout:  # kill it after a random number of records (or while it closes)
        if line.strip() in (target, "DONE"):
            break
    time.sleep(rng.uniform(0.0, 0.1))
    kill(proc)
    for path in out.rglob("*.parquet"):  # whatever the kill left is whole
        pq.ParquetFile(path).metadata  # noqa: B018
    rerun = run_export(out)
    output = rerun.communicate(timeout=240)[0]
    assert rerun.returncode == 0, output
    assert "DONE" in output, output
    expected = sorted((f"animevice:4000-{i}", f"{i:064x}") for i in range(EXPORT_RECORDS))
    assert dataset_keys(out) == expected
    credits = ds.dataset(out / "credits", format="parquet", partitioning="hive").count_rows()
    assert credits == EXPORT_RECORDS * len(memories().credits)  # the flat tables: every row once
    assert not list(out.rglob(".*.tmp"))  # the rerun removed what the killed writer left
    check_files(out)


# -- (c) a re-extraction -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str]]]:
    root = tmp_path_factory.mktemp("pages")
    build_site(root, titles=150, per_index=30)
    ref = tmp_path_factory.mktemp("rx-ref")
    proc = reextract(root, ref)
    assert proc.returncode == 0, explain(proc)
    return root, record_keys(jsonl(ref / "records.jsonl"))


def reextract(root: Path, out: Path, *, wait: bool = True) -> Any:
    cmd = [sys.executable, "-m", "titlecrawl.cli", "reextract", str(root), "-o", str(out), "-j", "1",
           "--no-progress", "--run-id", "rx"]
    if wait:
        return subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=240,
                              check=False)
    return subprocess.Popen(cmd, cwd=REPO, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


@pytest.mark.parametrize("seed", SEEDS)
def test_reextract_killed_then_rerun(pages: tuple[Path, list[tuple[str, str]]], tmp_path: Path, seed: int) -> None:
    root, reference = pages
    rng = random.Random(seed)
    out = tmp_path / "out"
    proc = reextract(root, out, wait=False)
    wait_for_lines(out / "records.jsonl.tmp", rng.randint(1, 120), proc)  # its records so far
    time.sleep(rng.uniform(0.0, 0.2))
    kill(proc)
    check_files(out)
    rerun = reextract(root, out)
    assert rerun.returncode == 0, explain(rerun)
    assert record_keys(jsonl(out / "records.jsonl")) == reference
    assert dataset_keys(out) == reference
    assert not list(out.rglob(".*.tmp"))
    assert not (out / "records.jsonl.tmp").exists()
    check_files(out)


# A crawl (no --job-dir) killed in the middle of its dataset export: right after the titles table's file
# is committed, before the flat tables' files are.
KILLED_IN_EXPORT = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, sys.argv[1])
    import exports.dataset as dataset
    from titlecrawl.cli import main

    commit = dataset.DatasetWriter._commit

    def commit_then_die(self, table):
        commit(self, table)
        if table == "titles":
            os.kill(os.getpid(), signal.SIGKILL)

    dataset.DatasetWriter._commit = commit_then_die
    sys.argv = ["titlecrawl", *sys.argv[2:]]
    sys.exit(main())
    """
)


def test_crawl_killed_in_the_middle_of_its_export(small_wiki: Any, tmp_path: Path) -> None:
    server, reference = small_wiki
    out = tmp_path / "out"
    cmd = [sys.executable, "-c", KILLED_IN_EXPORT, str(REPO), "crawl", server.url, "-o", str(out),
           "--profile", "whiskey"]
    proc = subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == -signal.SIGKILL, explain(proc)
    assert record_keys(jsonl(out / "records.jsonl")) == reference
    assert dataset_keys(out) == reference  # the titles file made it; the flat tables' files did not
    assert not list((out / "credits").rglob("*.parquet"))
    assert (out / ".records.jsonl.export-pending.json").exists()

    again = run_crawl(server.url, out, "--profile", "whiskey")  # a new run: every page is a 304
    assert again.returncode == 0, explain(again)
    assert manifest(out)["outcomes"]["record"] == 0
    assert dataset_keys(out) == reference  # written again by the new run, the killed run's files gone
    credits = ds.dataset(out / "credits", format="parquet", partitioning="hive").to_table(columns=["record_id"])
    with_credits = [r["record_id"] for r in jsonl(out / "records.jsonl") if r["credits"]]
    assert with_credits
    assert set(credits["record_id"].to_pylist()) == set(with_credits)
    assert not (out / ".records.jsonl.export-pending.json").exists()
    check_files(out)
