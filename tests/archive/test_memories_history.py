"""The *Memories* edit history (samples/history/memories): exactly the intended changes, and nothing
for formatting-only captures, from page files, from a dataset, and through WARC capture."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from exports.diff import Change, diff_records
from exports.reextract import reextract
from exports.warc import WarcCaptureWriter
from extractors import extract_title
from titlecrawl.cli import main

HISTORY = Path(__file__).resolve().parents[2] / "samples" / "history" / "memories"
RECORD_ID = "animevice:4000-1001"
FORMATTING = ("v1-whitespace", "v1-attribute-order", "v1-ad-block")
PROVENANCE = ("fetched_at", "content_sha256")

US_OLD = {
    "name": "Memories",
    "region": None,
    "date": "2004-02-24",
    "precision": "day",
    "raw": "Feb. 24, 2004",
    "note": None,
}
US_NEW = {**US_OLD, "date": "2004-06-08", "raw": "Jun. 8, 2004"}
TANAKA = {
    "person": "Eiko Tanaka",
    "person_url": "https://www.animevice.com/eiko-tanaka/4040-112/",
    "role": "Producer",
    "roles": ["producer"],
    "note": "Co-founder of Studio 4°C, which animated Magnetic Rose.",
}
STINK_BOMB_OLD = "whom the canny Japanese everyman effortlessly outwits. A well-made but lightweight comedy."
STINK_BOMB_NEW = (
    "whom the canny Japanese everyman outwits without ever knowing it. A well-made black comedy, "
    "lighter than the other two parts."
)


def _record(version: str) -> dict[str, Any]:
    folder = HISTORY / version
    meta = json.loads((folder / "meta.json").read_text())
    fetched_at = datetime.fromisoformat(meta["fetched_at"])
    return extract_title((folder / "page.html").read_bytes(), meta["url"], fetched_at=fetched_at).to_dict()


def _summary(changes: list[Change]) -> list[tuple[str, str, str | None]]:
    return [(c.field, c.change, c.key) for c in changes]


def test_the_history_is_a_clean_extraction() -> None:
    for version in ("v1", "v2", "v3", *FORMATTING):
        record = _record(version)
        assert record["record_id"] == RECORD_ID
        assert record["status"] == "ok", (version, record["errors"])


def test_v2_adds_a_credit_and_corrects_the_us_release_date() -> None:
    changes = diff_records(_record("v1"), _record("v2"))
    assert _summary(changes) == [
        ("releases", "changed", "Memories"),
        ("credits", "added", "Eiko Tanaka / Producer"),
    ]
    release, credit = changes
    assert (release.old, release.new) == (US_OLD, US_NEW)
    assert release.fields == {"date": ("2004-02-24", "2004-06-08"), "raw": ("Feb. 24, 2004", "Jun. 8, 2004")}
    assert credit.new == TANAKA


def test_v3_edits_a_synopsis_paragraph_and_removes_an_alias() -> None:
    changes = diff_records(_record("v2"), _record("v3"))
    assert _summary(changes) == [
        ("synopsis", "edited", "paragraph 2"),
        ("aliases", "removed", "Stink bomb"),
    ]
    synopsis, alias = changes
    assert synopsis.old.endswith(STINK_BOMB_OLD)
    assert synopsis.new.endswith(STINK_BOMB_NEW)
    assert [(s.op, s.old, s.new) for s in synopsis.spans] == [
        ("replace", "effortlessly outwits.", "outwits without ever knowing it."),
        ("replace", "but lightweight comedy.", "black comedy, lighter than the other two parts."),
    ]
    assert (alias.old, alias.new) == ("Stink bomb", None)


def test_v1_to_v3_is_exactly_the_four_edits() -> None:
    assert _summary(diff_records(_record("v1"), _record("v3"))) == [
        ("synopsis", "edited", "paragraph 2"),
        ("aliases", "removed", "Stink bomb"),
        ("releases", "changed", "Memories"),
        ("credits", "added", "Eiko Tanaka / Producer"),
    ]


@pytest.mark.parametrize("variant", FORMATTING)
def test_formatting_only_edits_diff_to_nothing(variant: str) -> None:
    old, new = _record("v1"), _record(variant)
    assert old["content_sha256"] != new["content_sha256"]  # the bytes did change
    assert diff_records(old, new) == []
    # and the records agree field for field, errors and sections included
    assert {k: v for k, v in old.items() if k not in PROVENANCE} == {
        k: v for k, v in new.items() if k not in PROVENANCE
    }


def test_the_history_through_warc_a_dataset_and_the_changes_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # capture every version as a crawl would, re-extract the WARC, then diff inside the dataset
    with WarcCaptureWriter(tmp_path / "warc") as writer:
        for folder in sorted(HISTORY.iterdir(), key=lambda p: p.name):
            if not (folder / "meta.json").is_file():
                continue
            meta = json.loads((folder / "meta.json").read_text())
            writer.write_exchange(
                meta["url"],
                {"User-Agent": "titlecrawl-test"},
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                (folder / "page.html").read_bytes(),
                datetime.fromisoformat(meta["fetched_at"]),
                record_id=RECORD_ID,
            )
    out = tmp_path / "out"
    manifest, stats = reextract([tmp_path / "warc"], out, jobs=2, progress=False)
    assert (stats.records, manifest["counts"]) == (6, {"ok": 6})
    versions = ds.dataset(out / "versions").to_table().to_pylist()
    assert [v["version"] for v in versions if v["record_id"] == RECORD_ID] == [1, 2, 3, 4, 5, 6]

    assert (
        main(
            [
                "diff",
                "--dataset",
                str(out),
                "--record",
                RECORD_ID,
                "--from",
                "2026-09-30",
                "--to",
                "2026-10-01",
            ]
        )
        == 1
    )
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["field"], r["change"], r["key"]) for r in rows] == [
        ("releases", "changed", "Memories"),
        ("credits", "added", "Eiko Tanaka / Producer"),
    ]
    assert (rows[0]["old_fetched_at"], rows[0]["new_fetched_at"]) == (
        "2026-09-22T12:00:00Z",
        "2026-10-01T12:00:00Z",
    )

    assert main(["diff", "--dataset", str(out), "--since", "2026-09-01"]) == 0
    changes = ds.dataset(out / "changes", partitioning="hive").to_table().to_pylist()
    got = sorted((str(r["crawl_date"]), r["field"], r["change"], r["key"]) for r in changes)
    # the three formatting-only captures (09-08, 09-15, 09-22) add nothing
    assert got == [
        ("2026-10-01", "credits", "added", "Eiko Tanaka / Producer"),
        ("2026-10-01", "releases", "changed", "Memories"),
        ("2026-11-01", "aliases", "removed", "Stink bomb"),
        ("2026-11-01", "synopsis", "edited", "paragraph 2"),
    ]


def test_text_format_reads_as_one_line_per_change(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["diff", "--format", "text", str(HISTORY / "v1" / "page.html"), str(HISTORY / "v3" / "page.html")]
    )
    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        "animevice:4000-1001  2026-09-01T12:00:00Z -> 2026-11-01T12:00:00Z",
        (
            '  synopsis  edited   paragraph 2: "effortlessly outwits." -> "outwits without ever knowing it."; '
            '"but lightweight comedy." -> "black comedy, lighter than the other tw…"'
        ),
        "  aliases   removed  Stink bomb",
        "  releases  changed  Memories: date 2004-02-24 -> 2004-06-08, raw Feb. 24, 2004 -> Jun. 8, 2004",
        "  credits   added    Eiko Tanaka / Producer",
    ]


def test_html_report_of_the_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import lxml.html

    report = tmp_path / "memories.html"
    v1, v3 = (str(HISTORY / v / "page.html") for v in ("v1", "v3"))
    assert main(["diff", v1, v3, "--html", str(report)]) == 1
    capsys.readouterr()
    doc = lxml.html.document_fromstring(report.read_text(encoding="utf-8"))
    rows = {
        (r.xpath("string(td[@class='field'])"), r.xpath("string(td[@class='key'])")): r
        for r in doc.xpath("//table[@class='changes']/tbody/tr")
    }
    assert set(rows) == {
        ("synopsis", "paragraph 2"),
        ("aliases", "Stink bomb"),
        ("releases", "Memories"),
        ("credits", "Eiko Tanaka / Producer"),
    }
    synopsis = rows[("synopsis", "paragraph 2")]
    assert synopsis.xpath("td[@class='old']//del/text()") == [
        "effortlessly outwits.",
        "but lightweight comedy.",
    ]
    assert synopsis.xpath("td[@class='new']//ins/text()") == [
        "outwits without ever knowing it.",
        "black comedy, lighter than the other two parts.",
    ]
    release = rows[("releases", "Memories")]
    assert release.xpath("td[@class='new']//dd[@class='diff']/text()") == ["2004-06-08", "Jun. 8, 2004"]
    assert "4 changes in 1 page" in doc.text_content()
