"""Bad input (issue 2): empty, binary, truncated, Shift_JIS without a charset, 5 MB, nested 10,000
deep, missing. Never a traceback: a record with its errors, or one line naming a file that is not a
page at all, and the other inputs still processed. Checked through ``extract_title`` and the CLI."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from extractors import extract_title
from titlecrawl.cli import main

from .conftest import ROOT, SAMPLES

if TYPE_CHECKING:
    from pathlib import Path

URL = "https://www.animevice.com/memories/4000-1001/"
MEMORIES = (SAMPLES / "title" / "animevice-memories" / "page.html").read_bytes()

SHIFT_JIS_PAGE = """<html><head><title>メモリーズ (Movie) - Anime Vice</title></head><body>
<h1 class="entry-title"><a class="wiki-title" href="/memories/4000-1001/">メモリーズ</a></h1>
<p class="wiki-descriptor">三つの短編からなるオムニバス映画。</p>
<div class="wiki-details"><h3>General Information</h3><table>
<tr><th>Name</th><td><span>メモリーズ</span></td></tr>
<tr><th>Release Date</th><td><span>Dec. 23, 1995</span></td></tr></table></div>
<div class="wiki-item-display js-toc-content"><p>大友克洋の原作による三つの物語。宇宙船コロナの乗組員が救難信号を受け取る。</p></div>
</body></html>"""


def _input_errors(record: object) -> list[str]:
    return [e.message for e in getattr(record, "errors", ()) if e.kind == "input"]


def _bad_files(folder: Path) -> dict[str, Path]:
    """Each bad page in its own folder, with a ``meta.json`` giving it its own URL (inputs of one
    title would be merged into one record by the CLI)."""
    rng = random.Random(7)
    filler = ("<p>" + "A sentence that pads the page out to several megabytes. " * 40 + "</p>\n").encode()
    files = {
        "empty": b"",
        "garbage": bytes(rng.randrange(256) for _ in range(20_000)),
        "truncated": MEMORIES[: len(MEMORIES) // 2],
        "shift_jis": SHIFT_JIS_PAGE.encode("shift_jis"),
        "big": MEMORIES.replace(b"</body>", filler * (5_200_000 // len(filler)) + b"</body>"),
        "deep": MEMORIES.replace(b'<div class="primary-content">',
                                 b'<div class="primary-content">' + b"<div>" * 10_000 + b"deep" + b"</div>" * 10_000),
    }
    paths = {}
    for i, (name, data) in enumerate(files.items()):
        (folder / name).mkdir()
        path = folder / name / "page.html"
        path.write_bytes(data)
        meta = {"url": f"https://www.animevice.com/{name}/4000-{9000 + i}/", "fetched_at": "2026-11-01T12:00:00Z"}
        (folder / name / "meta.json").write_text(json.dumps(meta))
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _bad_files(tmp_path_factory.mktemp("bad"))


def test_empty_input_is_a_record_with_an_input_error(bad: dict[str, Path]) -> None:
    record = extract_title(bad["empty"].read_bytes(), URL)
    assert record.status == "partial"
    assert "empty input" in _input_errors(record)
    assert record.title is None


def test_binary_garbage_never_becomes_data(bad: dict[str, Path]) -> None:
    record = extract_title(bad["garbage"].read_bytes(), URL)
    assert record.status == "partial"
    assert any("binary" in m for m in _input_errors(record))
    assert (record.title, record.deck, record.synopsis, record.credits) == (None, None, None, ())


def test_truncated_html_keeps_what_arrived(bad: dict[str, Path]) -> None:
    record = extract_title(bad["truncated"].read_bytes(), URL)
    assert record.status == "partial"
    assert any("truncated" in m for m in _input_errors(record))
    assert record.title == "Memories"
    assert (record.deck or "").startswith("Three short stories")
    assert 0 < len(record.credits) < 11


def test_shift_jis_without_charset_is_decoded(bad: dict[str, Path]) -> None:
    data = bad["shift_jis"].read_bytes()
    assert b"charset" not in data.lower()
    record = extract_title(data, URL)
    assert record.title == "メモリーズ"
    assert record.deck == "三つの短編からなるオムニバス映画。"
    assert [(n.name, n.lang) for n in record.names] == [("メモリーズ", "ja")]
    assert record.releases[0].date == "1995-12-23"
    assert record.status == "ok", record.errors


def test_five_megabyte_page_is_read_whole(bad: dict[str, Path]) -> None:
    data = bad["big"].read_bytes()
    assert len(data) > 5_000_000
    record = extract_title(data, URL)
    assert record.status == "ok", record.errors
    assert len(record.credits) == 11
    assert record.runtime_minutes == 115
    assert len(record.lists) == 3  # the sidebar after the 5 MB description is still read


def test_tags_nested_ten_thousand_deep(bad: dict[str, Path]) -> None:
    record = extract_title(bad["deep"].read_bytes(), URL)
    assert record.status == "partial"
    assert any("nested" in m for m in _input_errors(record))
    # libxml2 stops at depth 2048; the page after the deep block must not be lost.
    assert record.title == "Memories"
    assert len(record.credits) == 11
    assert [x.author for x in record.lists] == ["Obsidian609", "shels", "jlanzer"]


def test_cli_processes_every_input_and_names_the_missing_file(
    bad: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-page.html"
    order = ["empty", "garbage", "truncated", "shift_jis", "big", "deep"]
    paths = [str(bad[n]) for n in order[:3]] + [str(missing)] + [str(bad[n]) for n in order[3:]]
    rc = main(["extract", *paths])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert rc == 1
    assert len(records) == len(order)  # one record per readable input, in input order
    assert [r["title"] for r in records] == [None, None, "Memories", "メモリーズ", "Memories", "Memories"]
    err_lines = err.strip().splitlines()
    assert len(err_lines) == 1
    assert str(missing) in err_lines[0]
    assert "Traceback" not in err


@pytest.mark.slow
def test_cli_subprocess_never_prints_a_traceback(bad: dict[str, Path], tmp_path: Path) -> None:
    paths = [str(bad[n]) for n in ("empty", "garbage", "truncated", "shift_jis", "deep")]
    proc = subprocess.run(
        [sys.executable, "-m", "titlecrawl.cli", "extract", *paths, str(tmp_path / "missing.txt")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stdout.splitlines()) == len(paths)
    missing = tmp_path / "missing.txt"
    assert proc.stderr.strip().splitlines() == [f"titlecrawl extract: {missing}: No such file or directory"]
