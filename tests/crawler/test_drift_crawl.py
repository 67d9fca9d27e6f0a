"""Layout drift end to end: a crawl's manifest counts flagged pages per site, and a recrawl after
the site's redesign warns loudly (manifest ``drift_warnings``, the log) and still gives records
through the generic fallback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.localserver import LocalWikiServer

from .conftest import SITE, explain, jsonl, manifest, run_crawl

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

COPIES = 11
"""Extra copies of the Memories page: with the sample wiki's own Anime Vice titles, enough pages of
one site for the drift check (``extractors.drift.MIN_PAGES``)."""

# The redesign: the classes the whiskey extractor keys on are renamed.
_RENAMES = [("wiki-", "pg-"), ("data-field", "data-key"), ("entry-title", "pg-heading"), ("credit-", "staff-")]


def _build(root: Path) -> list[Path]:
    """A copy of the sample wiki with ``COPIES`` more Anime Vice films linked from the home page."""
    page = (SITE / "memories" / "4000-1001" / "index.html").read_text(encoding="utf-8")
    links = []
    made = []
    for n in range(COPIES):
        path = f"/memories-{n}/4000-{3000 + n}/"
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True)
        target.write_text(page.replace("/memories/4000-1001/", path).replace(">Memories<", f">Memories {n}<"))
        made.append(target)
        links.append(f'<a href="{path}">Memories {n}</a>')
    home = root / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace("</body>", "".join(links) + "</body>"))
    return made


def _redesign(pages: list[Path]) -> None:
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for old, new in _RENAMES:
            html = html.replace(old, new)
        page.write_text(html)


def test_a_redesign_raises_the_drift_alarm_in_the_crawl_manifest(
    wiki: LocalWikiServer, site_copy: Path, tmp_path: Path
) -> None:
    copies = _build(site_copy)
    out = tmp_path / "out"
    first = run_crawl(wiki.url, out)
    assert first.returncode == 0, explain(first)
    before = manifest(out)
    animevice = before["layout"]["animevice"]
    assert animevice["family"] == "whiskey"
    assert animevice["pages"] >= COPIES + 1
    assert (animevice["layout"], animevice["fallback"]) == (0, 0)
    assert before["drift_warnings"] == []

    _redesign(copies)
    second = run_crawl(wiki.url, out)
    assert second.returncode == 0, explain(second)
    after = manifest(out)
    # Only the redesigned pages changed, so only they are records of this run: all flagged.
    assert after["layout"]["animevice"] == {"family": "whiskey", "pages": COPIES, "layout": COPIES,
                                            "fallback": COPIES}  # fmt: skip
    assert after["layout_errors_per_family"] == {"whiskey": COPIES}
    assert len(after["drift_warnings"]) == 1
    warning = after["drift_warnings"][0]
    assert re.match(rf"LAYOUT DRIFT on animevice \(whiskey\): {COPIES} of {COPIES} pages \(100%\)", warning), warning
    assert "up from 0 of" in warning
    assert "LAYOUT DRIFT on animevice" in second.stderr + second.stdout  # loud: in the log too

    records = {r["title"]: r for r in jsonl(out / "records.jsonl") if r["record_id"].startswith("animevice:4000-3")}
    redesigned = records["Memories 3"]
    assert redesigned["extractor"] == "generic"
    assert {e["kind"] for e in redesigned["errors"]} >= {"layout", "fallback"}
    assert redesigned["status"] == "partial"
    assert [r["date"] for r in redesigned["releases"]] == ["2004-02-24", "1995-12-23"]
    assert redesigned["runtime_minutes"] == 115
