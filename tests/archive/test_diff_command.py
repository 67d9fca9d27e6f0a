"""``titlecrawl diff``: page files, record JSON, dataset versions and the ``changes`` table."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from exports.reextract import reextract
from exports.versions import CHANGES
from exports.warc import WarcCaptureWriter
from extractors import extract_title
from titlecrawl.cli import main

from .pages import page

URL = "https://myanimelist.net/anime/1001/Memories"
V1 = page(1001, "Memories", "Dec 23, 1995", "Three short stories by Katsuhiro Otomo.")
V2 = page(1001, "Memories", "Dec 23, 1995", "Three short stories based on works by Katsuhiro Otomo.")
V3 = page(1001, "Memories", "Dec 24, 1995", "Three short stories based on works by Katsuhiro Otomo.")
AKIRA = page(1002, "Akira", "Jul 16, 1988", "Neo-Tokyo, 2019.")
TIMES = [datetime(2026, m, 1, 8, tzinfo=UTC) for m in (9, 10, 11)]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, object]], str]:
    code = main(["diff", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def _save(folder: Path, body: bytes, fetched_at: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "page.html").write_bytes(body)
    (folder / "meta.json").write_text(json.dumps({"url": URL, "fetched_at": fetched_at}))
    return folder / "page.html"


def _dataset(tmp_path: Path) -> Path:
    with WarcCaptureWriter(tmp_path / "warc") as writer:
        for body, when in zip((V1, V2, V3), TIMES, strict=True):
            writer.write_exchange(URL, None, 200, {"Content-Type": "text/html"}, body, when)
        writer.write_exchange(
            "https://myanimelist.net/anime/1002/Akira",
            None,
            200,
            {"Content-Type": "text/html"},
            AKIRA,
            TIMES[0],
        )
    out = tmp_path / "out"
    reextract([tmp_path / "warc"], out, jobs=1, progress=False)
    return out


def test_two_page_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _save(tmp_path / "v1", V1, "2026-09-01T08:00:00Z")
    new = _save(tmp_path / "v3", V3, "2026-11-01T08:00:00Z")
    code, rows, _ = _run(capsys, str(old), str(new))
    assert code == 1
    assert [(r["field"], r["change"], r["old"], r["new"]) for r in rows if r["field"] != "synopsis"] == [
        ("first_release_date", "changed", "1995-12-23", "1995-12-24"),
        (
            "extra",
            "changed",
            {"label": "Aired", "value": "Dec 23, 1995", "group": "Information"},
            {"label": "Aired", "value": "Dec 24, 1995", "group": "Information"},
        ),
    ]
    (synopsis,) = [r for r in rows if r["field"] == "synopsis"]
    assert synopsis["change"] == "edited"
    assert synopsis["spans"] == [
        {
            "op": "insert",
            "old": "",
            "new": "based on works",
            "before": "Three short stories",
            "after": "by Katsuhiro Otomo.",
        }
    ]
    assert rows[0]["record_id"] == "myanimelist:anime/1001"
    assert rows[0]["old_fetched_at"] == "2026-09-01T08:00:00Z"
    assert rows[0]["new_fetched_at"] == "2026-11-01T08:00:00Z"
    code, rows, _ = _run(capsys, str(old), str(old))
    assert (code, rows) == (0, [])


def test_record_json_sides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = extract_title(V1, URL, fetched_at=TIMES[0]).to_dict()
    new = extract_title(V2, URL, fetched_at=TIMES[1]).to_dict()
    other = extract_title(AKIRA, "https://myanimelist.net/anime/1002/Akira").to_dict()
    (tmp_path / "old.json").write_text(json.dumps(old, indent=2))
    (tmp_path / "all.jsonl").write_text("\n".join(json.dumps(r) for r in (other, new)) + "\n")
    code, rows, _ = _run(
        capsys, str(tmp_path / "old.json"), str(tmp_path / "all.jsonl"), "--record", "myanimelist:anime/1001"
    )
    assert code == 1
    assert [r["field"] for r in rows] == ["synopsis"]
    code, rows, _ = _run(capsys, json.dumps(new), str(tmp_path / "old.json"))
    assert [(r["field"], r["old_fetched_at"], r["new_fetched_at"]) for r in rows] == [
        ("synopsis", "2026-10-01T08:00:00Z", "2026-09-01T08:00:00Z")
    ]
    code, rows, err = _run(capsys, str(tmp_path / "old.json"), str(tmp_path / "all.jsonl"))
    assert code == 2
    assert "2 records; name one with --record" in err


def test_two_versions_in_a_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _dataset(tmp_path)
    base = ["--dataset", str(out), "--record", "myanimelist:anime/1001"]
    # default: the latest version against the one before it
    code, rows, _ = _run(capsys, *base)
    assert code == 1
    assert {r["field"] for r in rows} == {"first_release_date", "extra"}
    assert (rows[0]["old_fetched_at"], rows[0]["new_fetched_at"]) == (
        "2026-10-01T08:00:00Z",
        "2026-11-01T08:00:00Z",
    )
    # by capture time: a date means the version current on that day
    code, rows, _ = _run(capsys, *base, "--from", "2026-09-15", "--to", "2026-10-01")
    assert [r["field"] for r in rows] == ["synopsis"]
    # by version number and by content hash prefix
    sha3 = extract_title(V3, URL).content_sha256 or ""
    code, rows, _ = _run(capsys, *base, "--from", "1", "--to", sha3[:10])
    assert [r["field"] for r in rows] == ["synopsis", "first_release_date", "extra"]
    code, _, err = _run(capsys, *base, "--to", "2026-08-01")
    assert code == 2
    assert "no version captured by then" in err
    code, _, err = _run(capsys, "--dataset", str(out), "--record", "myanimelist:anime/1002")
    assert code == 2
    assert "only one version" in err


def test_since_writes_the_changes_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _dataset(tmp_path)
    report = tmp_path / "changes.html"
    code, _, err = _run(capsys, "--dataset", str(out), "--since", "2026-10-01", "--html", str(report))
    assert code == 0
    assert "3 changes in 2 version pairs since 2026-10-01" in err
    table = ds.dataset(out / "changes", format="parquet", partitioning="hive").to_table()
    assert table.schema.field("new_fetched_at").type == pa.timestamp("us", tz="UTC")
    assert [(f.name, f.type) for f in table.schema][: len(CHANGES)] == [(f.name, f.type) for f in CHANGES]
    assert table.schema.metadata[b"titlecrawl.table"] == b"changes"
    rows = sorted(table.to_pylist(), key=lambda r: (r["new_fetched_at"], r["field"]))
    assert [(r["field"], r["change"], r["old"], r["new"], str(r["crawl_date"])) for r in rows] == [
        (
            "synopsis",
            "edited",
            "Three short stories by Katsuhiro Otomo.",
            "Three short stories based on works by Katsuhiro Otomo.",
            "2026-10-01",
        ),
        (
            "extra",
            "changed",
            '{"label":"Aired","value":"Dec 23, 1995","group":"Information"}',
            '{"label":"Aired","value":"Dec 24, 1995","group":"Information"}',
            "2026-11-01",
        ),
        ("first_release_date", "changed", "1995-12-23", "1995-12-24", "2026-11-01"),
    ]
    assert all(r["record_id"] == "myanimelist:anime/1001" for r in rows)
    assert (rows[2]["old_fetched_at"], rows[2]["new_fetched_at"]) == (TIMES[1], TIMES[2])
    assert json.loads(rows[1]["detail"]) == {"fields": {"value": ["Dec 23, 1995", "Dec 24, 1995"]}}
    assert json.loads(rows[0]["detail"])["spans"][0]["new"] == "based on works"
    html = report.read_text(encoding="utf-8")
    assert "3 changes in 1 page (2 pairs of versions)" in html
    assert "<ins>based on works</ins>" in html
    # a rerun replaces the partitions instead of adding rows; a later --since keeps earlier days
    assert main(["diff", "--dataset", str(out), "--since", "2026-10-01"]) == 0
    assert main(["diff", "--dataset", str(out), "--since", "2026-11-01"]) == 0
    again = ds.dataset(out / "changes", format="parquet", partitioning="hive").to_table()
    assert again.num_rows == table.num_rows
    versions = ds.dataset(out / "versions").to_table().to_pylist()
    assert [(v["record_id"], v["version"]) for v in versions] == [
        ("myanimelist:anime/1001", 1),
        ("myanimelist:anime/1001", 2),
        ("myanimelist:anime/1001", 3),
        ("myanimelist:anime/1002", 1),
    ]


def test_bad_arguments_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, str(tmp_path / "nope.html"), str(tmp_path / "nope2.html"))[0] == 2
    assert _run(capsys, "a", "b", "--include", "no_such_field")[0] == 2
    assert _run(capsys, "--dataset", str(tmp_path))[0] == 2
    assert _run(capsys, "only-one")[0] == 2
