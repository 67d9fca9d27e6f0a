"""``titlecrawl extract``: .html / .htm / .txt files, gzip by magic number, ``--url`` and ``--site``,
one JSON record per input in input order."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from titlecrawl.cli import main

from .conftest import SAMPLES, SHARED

MEMORIES = SAMPLES / "title" / "animevice-memories" / "page.html"
GAME = SAMPLES / "title" / "giantbomb-starfall-tactics" / "page.html"
URL = "https://www.animevice.com/memories/4000-1001/"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    rc = main(["extract", *args])
    out = capsys.readouterr().out
    return rc, [json.loads(line) for line in out.splitlines()]


def test_formats_and_gzip_in_input_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    htm = tmp_path / "memories.htm"
    shutil.copy(MEMORIES, htm)
    gz = tmp_path / "game.html.gz"
    gz.write_bytes(gzip.compress(GAME.read_bytes()))
    hidden_gz = tmp_path / "memories-copy.html"  # gzip under a plain name: found by its magic number
    hidden_gz.write_bytes(gzip.compress(MEMORIES.read_bytes()))
    rc, records = _run(capsys, str(gz), str(htm), str(hidden_gz))
    assert rc == 0
    assert [r["title"] for r in records] == ["Starfall Tactics", "Memories", "Memories"]
    assert [r["site"] for r in records] == ["giantbomb", "animevice", "animevice"]
    assert records[1]["content_sha256"] == records[2]["content_sha256"]  # the page's bytes, not the gzip's


def test_url_and_site_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"  # no meta.json beside it
    shutil.copy(MEMORIES, page)
    _rc, [bare] = _run(capsys, str(page))
    assert (bare["url"], bare["record_id"]) == (None, "animevice:4000-1001")
    _rc, [with_url] = _run(capsys, str(page), "--url", URL)
    assert (with_url["url"], with_url["record_id"]) == (URL, "animevice:4000-1001")
    _rc, [forced] = _run(capsys, str(page), "--site", "comicvine")
    assert (forced["site"], forced["record_id"], forced["title"]) == ("comicvine", "comicvine:4000-1001", "Memories")


def test_gzipped_text_rendering(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = SHARED / "seed" / "memories-page.txt"
    if not seed.is_file():
        pytest.skip("../shared/seed is not available")
    gz = tmp_path / "memories-page.txt.gz"
    gz.write_bytes(gzip.compress(seed.read_bytes()))
    rc, [record] = _run(capsys, str(gz))
    assert rc == 0
    assert (record["title"], record["runtime_minutes"], record["rating"]) == ("Memories", 115, "R")
    assert len(record["credits"]) == 11  # type: ignore[arg-type]


def test_sub_pages_given_together_merge_and_the_same_page_twice_does_not(
    capsys: pytest.CaptureFixture[str],
) -> None:
    imdb = SAMPLES / "title" / "imdb-ferrymans-lantern-2014"
    expected = json.loads((imdb / "expected.json").read_text(encoding="utf-8"))
    pages = [str(imdb / n) for n in ("page.html", "fullcredits.html", "releaseinfo.html")]
    rc, records = _run(capsys, *pages, str(MEMORIES), str(MEMORIES))
    assert rc == 0
    assert [r["record_id"] for r in records] == [expected["record_id"], "animevice:4000-1001", "animevice:4000-1001"]
    assert records[0] == expected  # the three sub-pages, merged: the sample's record


def test_records_stream_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each record is printed before the next input is read (a long batch shows progress)."""
    from titlecrawl.commands import extract as command

    printed: list[str] = []
    seen_when_read: list[int] = []
    real = command.read_input

    def spy(path: Path) -> bytes:
        seen_when_read.append(len(printed))
        return real(path)

    class Out:
        def write(self, data: bytes) -> None:
            printed.append(data.decode())

        def flush(self) -> None:
            pass

    class Stdout:
        buffer = Out()

    monkeypatch.setattr(command, "read_input", spy)
    monkeypatch.setattr("sys.stdout", Stdout())
    assert main(["extract", str(GAME), str(MEMORIES), str(GAME)]) == 0
    assert len(printed) == 3
    assert seen_when_read == [0, 0, 1]  # record 1 was out before input 3 was read
