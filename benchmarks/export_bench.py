"""Export benchmark: synthetic records shaped like real ones to the Parquet dataset and JSON Lines.

    .venv/bin/python benchmarks/export_bench.py [--records 100000] [--out DIR] [--repeat N]
        [--writers parquet-dataset,jsonl] [--compression zstd|snappy]

Each writer runs in a fresh subprocess, so its peak memory (``ru_maxrss``) is its own. Records are
generated lazily (10 credits, 2 releases, a 2 KB synopsis, names, aliases, genres, a list, an
error) and never collected. Prints records per second (generation included, and net of the time to
generate the records alone, in CPU time and in wall time), bytes on disk and peak RSS. With
``--repeat N`` each writer runs N times and the run with the least writer CPU time is shown (the
least disturbed by other processes on a loaded machine).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.records import (
    Credit,
    ExtractionError,
    Name,
    Release,
    TitleRecord,
    UserList,
)
from normalize.roles import canonical_roles

WRITERS = ("generate-only", "parquet-dataset", "parquet-file", "jsonl", "jsonl.gz")
PREBUILT = "parquet-dataset-prebuilt"
"""Not in the default list: the dataset writer over 5,000 records built beforehand, written again
and again (a fresh run each time) up to ``--records``; no generation inside the clock at all."""
PREBUILT_RECORDS = 5_000

_TEXT = """salvage ship corona responds distress signal graveyard space debris derelict station opera
singer memories illusion crew member laboratory accident chemical weapon city cannon artillery family
routine war propaganda anthology film animation studio director composer"""
_WORDS = _TEXT.split()
_ROLES = tuple(
    (raw, canonical_roles(raw))
    for raw in ("Director", "Screenplay", "Character Artist/Designer", "Music", "Animation Director")
)
"""Credits' roles as shown and as ``normalize.roles`` makes them (Character Artist/Designer gives
two canonical roles, as the extractors write it)."""


def _corpus(rng: random.Random, size: int = 1 << 20) -> str:
    """About ``size`` characters of random words, to cut synopses from."""
    return " ".join(rng.choice(_WORDS) for _ in range(size // 7))


def synopsis(rng: random.Random, corpus: str, size: int = 2048) -> str:
    """``size`` characters of the corpus from a random place, in four paragraphs."""
    start = rng.randrange(len(corpus) - size)
    text = corpus[start : start + size]
    return "\n\n".join(text[i : i + size // 4] for i in range(0, size, size // 4))


def records(count: int, seed: int = 7) -> Iterator[TitleRecord]:
    """``count`` synthetic records, one at a time."""
    rng = random.Random(seed)
    corpus = _corpus(rng)
    fetched = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    for i in range(count):
        day = date(1970, 1, 1) + timedelta(days=rng.randrange(20_000))
        later = day + timedelta(days=rng.randrange(3_000))
        credits = tuple(
            Credit(
                person=f"Person {rng.randrange(50_000)}",
                person_url=f"https://www.animevice.test/person/4040-{rng.randrange(50_000)}/",
                role=_ROLES[k % len(_ROLES)][0],
                roles=_ROLES[k % len(_ROLES)][1],
                note="A short biography line shown with the credit." if k % 3 == 0 else None,
            )
            for k in range(10)
        )
        yield TitleRecord(
            record_id=f"animevice:4000-{i}",
            site="animevice",
            url=f"https://www.animevice.test/title/4000-{i}/",
            page_id=f"4000-{i}",
            fetched_at=fetched + timedelta(seconds=i),
            content_sha256=f"{rng.getrandbits(256):064x}",
            extractor="whiskey",
            extractor_version="whiskey/1",
            status="partial" if i % 10 == 0 else "ok",
            title=f"Title {i}",
            kind="film" if i % 2 else "tv",
            kind_raw="Movie" if i % 2 else "TV Series",
            deck="Three short stories about salvage, accidents and artillery.",
            synopsis=synopsis(rng, corpus),
            names=(
                Name(name=f"Title {i}", lang="en", type="main"),
                Name(name=f"タイトル{i}", lang="ja", type="original"),
            ),
            aliases=(f"Alias {i}", f"Other alias {i}"),
            releases=(
                Release(
                    name=f"Title {i}",
                    region="Japan",
                    date=day.isoformat(),
                    precision="day",
                    raw=f"{day:%b. %d, %Y}",
                ),
                Release(
                    name=f"Title {i} (US)",
                    region="United States",
                    date=f"{later:%Y-%m}",
                    precision="month",
                    raw=f"{later:%B %Y}",
                ),
            ),
            first_release_date=day.isoformat(),
            first_release_precision="day",
            episodes=None if i % 2 else rng.randrange(1, 60),
            runtime_minutes=rng.randrange(20, 180),
            runtime_raw="115 (mins)",
            rating="R",
            score=round(rng.uniform(1, 10), 2),
            score_max=10.0,
            score_count=rng.randrange(100_000),
            genres=("Science Fiction", "Drama"),
            themes=("Space",),
            studios=("Studio 4°C",),
            credits=credits,
            lists=(
                UserList(
                    name="Seen and Watched",
                    url=f"https://www.animevice.test/list/{i}/",
                    item_count=334,
                    author="Obsidian609",
                ),
            ),
            errors=(ExtractionError(field="score", kind="unparsed", message="raw: '8.x'"),)
            if i % 10 == 0
            else (),
        )


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _timed(items: Iterator[TitleRecord], spent: list[float]) -> Iterator[TitleRecord]:
    """The same records, adding the wall and CPU time spent making them to ``spent[0]``, ``spent[1]``."""
    wall, cpu = time.perf_counter, time.process_time
    while True:
        start, start_cpu = wall(), cpu()
        try:
            item = next(items)
        except StopIteration:
            spent[0] += wall() - start
            spent[1] += cpu() - start_cpu
            return
        spent[0] += wall() - start
        spent[1] += cpu() - start_cpu
        yield item


def child(writer: str, count: int, out: Path, compression: str = "zstd") -> dict[str, float]:
    """Run one writer in this process over lazily generated records.

    Returns wall and CPU seconds in all, the wall and CPU seconds spent generating the records (timed
    around each ``next()``), bytes on disk and peak RSS. Imports (pyarrow, and pandas, which pyarrow loads
    on its first conversion) happen before the clocks start: a one-time cost, not a per-record one.
    """
    import pyarrow as pa

    from exports.dataset import DatasetWriter, write_parquet_file
    from exports.json import JsonLinesWriter

    pa.array([0])
    if writer == PREBUILT:
        return _prebuilt(count, out, compression)
    # the default codec is not passed, so this script also measures versions without the option
    codec: dict[str, Any] = {} if compression == "zstd" else {"compression": compression}
    spent = [0.0, 0.0]
    source = _timed(records(count), spent)
    start, cpu = time.perf_counter(), time.process_time()
    if writer == "generate-only":
        for _record in source:
            pass
    elif writer == "parquet-dataset":
        with DatasetWriter(out, run_id="bench", crawl_date=date(2026, 11, 1), **codec) as dataset:
            for record in source:
                dataset.write(record)
    elif writer == "parquet-file":
        write_parquet_file(source, out, **codec)
    else:
        with JsonLinesWriter(out) as jsonl:
            for record in source:
                jsonl.write(record)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "generating": spent[0],
        "generating_cpu": spent[1],
        "bytes": _size(out) if out.exists() else 0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _writer_cpu(run: dict[str, float]) -> float:
    return run["cpu_seconds"] - run["generating_cpu"]


def _prebuilt(count: int, out: Path, compression: str) -> dict[str, float]:
    """``PREBUILT``: writer time alone, over records made before the clocks start."""
    from exports.dataset import DatasetWriter

    codec: dict[str, Any] = {} if compression == "zstd" else {"compression": compression}
    built = list(records(min(count, PREBUILT_RECORDS)))
    seconds = cpu_seconds = 0.0
    written = size = 0
    while written < count:
        folder = out / f"run-{written}"
        start, cpu = time.perf_counter(), time.process_time()
        with DatasetWriter(folder, run_id="bench", crawl_date=date(2026, 11, 1), **codec) as dataset:
            for record in built[: count - written]:
                dataset.write(record)
        seconds += time.perf_counter() - start
        cpu_seconds += time.process_time() - cpu
        written += min(len(built), count - written)
        size += _size(folder)
        shutil.rmtree(folder)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "generating": 0.0,
        "generating_cpu": 0.0,
        "bytes": size,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _machine() -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import pyarrow

    return (
        f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, pyarrow {pyarrow.__version__}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--out", type=Path, help="keep the outputs here (default: a temporary folder)")
    parser.add_argument(
        "--writers", default=",".join(WRITERS), help=f"comma-separated, from {(*WRITERS, PREBUILT)}"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per writer; the least writer CPU is shown")
    parser.add_argument("--compression", default="zstd", help="Parquet codec (zstd, snappy, lz4 ...)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.records, args.out, args.compression)))
        return 0

    base = args.out or Path(tempfile.mkdtemp(prefix="export-bench-"))
    targets = {
        "generate-only": base / "none",
        "parquet-dataset": base / "dataset",
        "parquet-file": base / "titles.parquet",
        "jsonl": base / "records.jsonl",
        "jsonl.gz": base / "records.jsonl.gz",
        PREBUILT: base / "prebuilt",
    }
    print(f"before: {_machine()}")
    results: dict[str, dict[str, float]] = {}
    try:
        for writer in args.writers.split(","):
            target = targets[writer]
            cmd = [sys.executable, __file__, "--child", writer, "--records", str(args.records)]
            cmd += ["--out", str(target), "--compression", args.compression]
            for _ in range(max(1, args.repeat)):
                if target.is_dir():
                    shutil.rmtree(target)
                proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
                run = json.loads(proc.stdout.strip().splitlines()[-1])
                best = results.get(writer)
                if best is None or _writer_cpu(run) < _writer_cpu(best):
                    results[writer] = run
    finally:
        if args.out is None:
            shutil.rmtree(base, ignore_errors=True)
    print(f"after:  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    n = args.records
    print(
        f"{n:,} records, one fresh process per writer, one thread each, Parquet {args.compression}, "
        f"best of {max(1, args.repeat)} run(s) by writer CPU time"
    )
    header = (
        "writer",
        "wall s",
        "CPU s",
        "writer CPU s",
        "writer CPU rec/s",
        "writer rec/s",
        "with gen rec/s",
        "MB on disk",
        "peak RSS MB",
    )
    print(f"{header[0]:<16}" + "".join(f"{h:>17}" for h in header[1:]))
    for writer, r in results.items():
        writing = r["seconds"] - r["generating"]
        writing_cpu = r["cpu_seconds"] - r["generating_cpu"]
        mine = writer != "generate-only"
        cells = [
            f"{r['seconds']:.2f}",
            f"{r['cpu_seconds']:.2f}",
            f"{writing_cpu:.2f}" if mine else "-",
            f"{n / writing_cpu:,.0f}" if mine and writing_cpu > 0 else "-",
            f"{n / writing:,.0f}" if mine and writing > 0 else "-",
            f"{n / r['seconds']:,.0f}",
            f"{r['bytes'] / 1e6:.1f}" if writer != "generate-only" else "-",
            f"{r['peak_mb']:.0f}",
        ]
        print(f"{writer:<16}" + "".join(f"{c:>17}" for c in cells))
    print(
        "writer CPU rec/s: records / (process CPU time - CPU time spent generating the records, timed around"
        " each next()); writer rec/s: the same with wall time (inflated by other processes under load)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
