"""Re-extraction from WARC (ours and warcio's), WET and folders of saved pages, into the dataset."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from exports import reextract as reextract_module
from exports.json import read_json_lines
from exports.reextract import Capture, Skip, expand_inputs, iter_captures, iter_warc, reextract
from exports.warc import FAST_GZIP, WarcCaptureWriter
from extractors import extract_title
from titlecrawl.cli import main

from .pages import page

T1 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
BASE = "http://127.0.0.1:8765"


MEMORIES_V1 = page(1001, "Memories", "Dec 23, 1995", "Three short stories by Katsuhiro Otomo.")
MEMORIES_V2 = page(1001, "Memories", "Dec 23, 1995", "Three short stories based on works by Katsuhiro Otomo.")
AKIRA = page(1002, "Akira", "Jul 16, 1988", "Neo-Tokyo, 2019: a biker gang and a secret project.")


def _write_capture(directory: Path) -> list[Path]:
    """A small crawl: pages, a second version, gzip transfer, robots.txt, a redirect, a 404, an image."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    with WarcCaptureWriter(directory, max_bytes=4_000) as writer:
        writer.write_exchange(
            f"{BASE}/robots.txt",
            None,
            200,
            {"Content-Type": "text/plain"},
            b"User-agent: *\nDisallow: /private/\n",
            T1,
        )
        writer.write_exchange(
            f"{BASE}/memories/",
            {"Accept": "text/html"},
            200,
            html,
            MEMORIES_V1,
            T1,
            record_id="generic:memories",
        )
        writer.write_exchange(
            f"{BASE}/akira/", None, 200, {**html, "Content-Encoding": "gzip"}, gzip.compress(AKIRA), T1
        )
        writer.write_exchange(f"{BASE}/old-akira", None, 301, {"Location": f"{BASE}/akira/"}, b"", T1)
        writer.write_exchange(f"{BASE}/missing/", None, 404, html, b"<html><h1>Not found</h1></html>", T1)
        writer.write_exchange(
            f"{BASE}/poster.jpg", None, 200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff", T1
        )
        writer.write_exchange(f"{BASE}/memories/", None, 200, html, MEMORIES_V2, T2)
        writer.write_exchange(f"{BASE}/akira/", None, 200, html, AKIRA, T2)  # same content again
    assert len(writer.paths) > 1  # rotation happened: the run spans several files
    return writer.paths


def _titles(outdir: Path) -> list[dict[str, object]]:
    table = ds.dataset(outdir / "titles", format="parquet", partitioning="hive").to_table()
    return sorted(
        table.drop_columns(["crawl_date"]).to_pylist(), key=lambda r: (r["record_id"], r["fetched_at"])
    )


def test_warc_capture_is_reextracted_into_the_dataset(tmp_path: Path) -> None:
    _write_capture(tmp_path / "warc")
    manifest, stats = reextract([tmp_path / "warc"], tmp_path / "out", jobs=2, progress=False)
    records = read_json_lines(tmp_path / "out" / "records.jsonl")
    got = [(r["url"], r["fetched_at"], r["content_sha256"]) for r in records]
    assert got == [
        (f"{BASE}/memories/", "2026-10-01T08:00:00Z", hashlib.sha256(MEMORIES_V1).hexdigest()),
        (f"{BASE}/akira/", "2026-10-01T08:00:00Z", hashlib.sha256(AKIRA).hexdigest()),
        (f"{BASE}/memories/", "2026-11-01T08:00:00Z", hashlib.sha256(MEMORIES_V2).hexdigest()),
    ]
    # each record is exactly what the extractor makes of the capture's bytes, URL and time
    expected = extract_title(MEMORIES_V1, f"{BASE}/memories/", fetched_at=T1).to_dict()
    assert records[0] == expected
    assert records[0]["extractor_version"]
    assert stats.duplicates == 1  # /akira/ captured twice with the same content: one version
    assert stats.failures == 1  # the 404, as a crawl would list it
    assert stats.skipped == 3  # robots.txt, the redirect, the image
    assert manifest["counts"]["failure"] == 1
    assert (tmp_path / "out" / "manifest.json").is_file()
    failures = ds.dataset(tmp_path / "out" / "failures", partitioning="hive").to_table().to_pylist()
    assert [(f["url"], f["status"]) for f in failures] == [(f"{BASE}/missing/", 404)]
    assert len(_titles(tmp_path / "out")) == 3
    versions = ds.dataset(tmp_path / "out" / "versions").to_table().to_pylist()
    memories = [v for v in versions if v["url"] == f"{BASE}/memories/"]
    assert [(v["version"], v["fetched_at"]) for v in memories] == [(1, T1), (2, T2)]


def test_same_capture_reextracted_twice_gives_identical_records(tmp_path: Path) -> None:
    _write_capture(tmp_path / "warc")
    reextract([tmp_path / "warc"], tmp_path / "a", jobs=2, progress=False)
    reextract([tmp_path / "warc"], tmp_path / "b", jobs=1, progress=False)
    first = (tmp_path / "a" / "records.jsonl").read_bytes()
    assert first == (tmp_path / "b" / "records.jsonl").read_bytes()
    assert _titles(tmp_path / "a") == _titles(tmp_path / "b")
    # into the same folder again: the run replaces itself, no duplicated rows
    reextract([tmp_path / "warc"], tmp_path / "a", jobs=2, progress=False)
    assert len(_titles(tmp_path / "a")) == 3
    assert (tmp_path / "a" / "records.jsonl").read_bytes() == first


def test_warc_written_by_warcio_directly(tmp_path: Path) -> None:
    path = tmp_path / "other-tool.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(AKIRA), AKIRA)
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                f"{BASE}/akira/",
                "response",
                payload=io.BytesIO(chunked),
                length=len(chunked),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2026-10-01T08:00:00Z"},
            )
        )
        writer.write_record(
            writer.create_warc_record(
                f"{BASE}/memories/",
                "resource",
                payload=io.BytesIO(MEMORIES_V1),
                length=len(MEMORIES_V1),
                warc_content_type="text/html",
                warc_headers_dict={"WARC-Date": "2026-11-01T08:00:00Z"},
            )
        )
        writer.write_record(
            writer.create_revisit_record(f"{BASE}/akira/", "sha1:X", f"{BASE}/akira/", "2026-10-01T08:00:00Z")
        )
    items = list(iter_captures([path]))
    captures = [i for i in items if isinstance(i, Capture)]
    assert [(c.url, c.fetched_at, c.body) for c in captures] == [
        (f"{BASE}/akira/", T1, AKIRA),
        (f"{BASE}/memories/", T2, MEMORIES_V1),
    ]
    assert [s.reason for s in items if isinstance(s, Skip)] == ["revisit record (no body)"]
    reextract([path], tmp_path / "out", jobs=1, progress=False)
    records = read_json_lines(tmp_path / "out" / "records.jsonl")
    assert records[0] == extract_title(AKIRA, f"{BASE}/akira/", fetched_at=T1).to_dict()


def test_wet_conversion_records_are_read_as_text(tmp_path: Path) -> None:
    text = "Memories\n\nDirected by: Koji Morimoto\nRelease date: 23 December 1995\n\nThree short stories.\n"
    path = tmp_path / "crawl.warc.wet.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.wet.gz", {"software": "test"}))
        writer.write_record(
            writer.create_warc_record(
                f"{BASE}/memories/",
                "conversion",
                payload=io.BytesIO(text.encode()),
                length=len(text.encode()),
                warc_content_type="text/plain",
                warc_headers_dict={"WARC-Date": "2026-10-01T08:00:00Z"},
            )
        )
    (capture,) = list(iter_captures([path]))
    assert isinstance(capture, Capture)
    assert capture.content_type == "text/plain; charset=utf-8"
    reextract([path], tmp_path / "out", jobs=1, progress=False)
    (record,) = read_json_lines(tmp_path / "out" / "records.jsonl")
    assert record["url"] == f"{BASE}/memories/"
    assert record["fetched_at"] == "2026-10-01T08:00:00Z"
    assert record["content_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert (
        record
        == extract_title(
            text.encode(), f"{BASE}/memories/", fetched_at=T1, content_type="text/plain; charset=utf-8"
        ).to_dict()
    )


def test_folders_of_saved_pages(tmp_path: Path) -> None:
    root = tmp_path / "saved"
    (root / "memories").mkdir(parents=True)
    (root / "memories" / "page.html").write_bytes(MEMORIES_V1)
    (root / "memories" / "meta.json").write_text(
        json.dumps({"url": f"{BASE}/memories/", "fetched_at": "2026-10-01T08:00:00Z"})
    )
    (root / "akira.htm.gz").write_bytes(gzip.compress(AKIRA))
    (root / "akira.htm.gz.meta.json").write_text(json.dumps({"url": f"{BASE}/akira/"}))
    (root / "notes.txt").write_text("Akira\n\nRelease date: 16 July 1988\n", encoding="utf-8")
    (root / "style.css").write_text("h1{}")
    (root / "broken.html.gz").write_bytes(b"\x1f\x8b" + b"not gzip at all")
    os.utime(root / "notes.txt", (T2.timestamp(), T2.timestamp()))
    assert [p.relative_to(root).as_posix() for p in expand_inputs([root])] == [
        "akira.htm.gz",
        "broken.html.gz",
        "memories/page.html",
        "notes.txt",
    ]
    manifest, stats = reextract([root], tmp_path / "out", jobs=2, progress=False)
    records = read_json_lines(tmp_path / "out" / "records.jsonl")
    assert [(r["url"], r["content_sha256"]) for r in records] == [
        (f"{BASE}/akira/", hashlib.sha256(AKIRA).hexdigest()),
        (f"{BASE}/memories/", hashlib.sha256(MEMORIES_V1).hexdigest()),
        (None, hashlib.sha256(b"Akira\n\nRelease date: 16 July 1988\n").hexdigest()),
    ]
    assert records[1]["fetched_at"] == "2026-10-01T08:00:00Z"
    assert records[2]["fetched_at"] == "2026-11-01T08:00:00Z"  # no sidecar: the file's time
    assert stats.failures == 1
    assert manifest["failures"] == 1
    failures = ds.dataset(tmp_path / "out" / "failures", partitioning="hive").to_table().to_pylist()
    assert failures[0]["url"].endswith("broken.html.gz")


def test_progress_bar_shows_pages_per_second_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.html").write_bytes(MEMORIES_V1)
    (tmp_path / "bad.html.gz").write_bytes(b"\x1f\x8bxx")
    reextract([tmp_path / "p.html", tmp_path / "bad.html.gz"], tmp_path / "out", jobs=1, progress=True)
    err = capsys.readouterr().err
    assert "page/s" in err
    assert "errors=1" in err
    assert "reextract: 2page" in err


def test_reextract_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_capture(tmp_path / "warc")
    code = main(["reextract", str(tmp_path / "warc"), "-o", str(tmp_path / "out"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 0
    assert "8 pages: 3 records" not in err  # skipped captures are not pages
    assert "4 pages: 3 records" in err
    assert "1 already there, 3 skipped, 1 failures" in err
    assert main(["reextract", str(tmp_path / "nope.warc.gz"), "-o", str(tmp_path / "x")]) == 2


def test_pages_that_are_not_titles_are_counted_not_written(tmp_path: Path) -> None:
    person = (
        b'<html><head><link rel="canonical" href="https://myanimelist.net/people/7/Koji_Morimoto"></head>'
        b'<body><h1 class="h1">Morimoto, Koji</h1><span class="dark_text">Birthday:</span> Dec 26, 1959</body></html>'
    )
    with WarcCaptureWriter(tmp_path / "warc") as writer:
        writer.write_exchange(
            "https://myanimelist.net/people/7/Koji_Morimoto",
            None,
            200,
            {"Content-Type": "text/html"},
            person,
            T1,
        )
        writer.write_exchange(f"{BASE}/memories/", None, 200, {"Content-Type": "text/html"}, MEMORIES_V1, T1)
    _, stats = reextract([tmp_path / "warc"], tmp_path / "out", jobs=1, progress=False)
    assert (stats.records, stats.outcomes["not_title"]) == (1, 1)
    assert [r["record_id"] for r in read_json_lines(tmp_path / "out" / "records.jsonl")] == [
        "myanimelist:anime/1001"
    ]
    _, stats = reextract([tmp_path / "warc"], tmp_path / "all", jobs=1, progress=False, keep_not_title=True)
    records = read_json_lines(tmp_path / "all" / "records.jsonl")
    assert [(r["record_id"], r["status"]) for r in records] == [
        ("myanimelist:people/7", "not_title"),
        ("myanimelist:anime/1001", "ok"),
    ]


def test_both_cores_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``jobs=0`` (the command's default) starts one worker process per core, and with several
    batches in flight every worker gets work; the records are those of one inline worker."""
    import concurrent.futures

    import exports.reextract as module

    pids: set[int] = set()
    sizes: list[int] = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: Any) -> None:
            sizes.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            pids.update(self._processes or {})
            super().shutdown(wait=wait, cancel_futures=cancel_futures)

    monkeypatch.setattr(module, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    root = tmp_path / "saved"
    root.mkdir()
    for n in range(40):
        (root / f"m{n:02d}.html").write_bytes(MEMORIES_V1.replace(b"Memories", f"Memories {n}".encode()))
    reextract([root], tmp_path / "two", jobs=0, progress=False)
    reextract([root], tmp_path / "one", jobs=1, progress=False)
    assert sizes == [2]
    assert len(pids) == 2
    assert (tmp_path / "two" / "records.jsonl").read_bytes() == (tmp_path / "one" / "records.jsonl").read_bytes()


def _read_all(paths: list[Path]) -> list[Capture | Skip]:
    out: list[Capture | Skip] = []
    for path in paths:
        try:
            out.extend(iter_warc(path))
        except Exception as exc:  # noqa: BLE001 - compared between the two readers
            out.append(Skip(str(path), None, None, f"raised {type(exc).__name__}"))
    return out


def test_isal_inflate_reads_what_warcio_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write_capture(tmp_path / "warc")
    whole = paths[0].read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) - 40])  # a file cut inside its last record
    garbled = tmp_path / "garbled.warc.gz"
    garbled.write_bytes(whole[:300] + bytes(b ^ 0x5A for b in whole[300:340]) + whole[340:])
    inputs = [*paths, cut, garbled]
    assert FAST_GZIP  # isal is a dependency
    fast = _read_all(inputs)
    monkeypatch.setattr(reextract_module, "FAST_GZIP", False)  # warcio's own zlib reader
    assert fast == _read_all(inputs)
    assert sum(isinstance(c, Capture) for c in fast) >= 4
