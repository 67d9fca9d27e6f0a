"""Sub-pages of one title in a crawl: MyAnimeList ``/characters``, IMDb ``/fullcredits`` and
``/releaseinfo`` make ONE merged record per title (crawler/titleparts.py), on a local copy of the
samples served from 127.0.0.1; the same records again from the crawl's WARC (exports/reextract.py)."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow.dataset as ds
import pytest

from crawler.localserver import LocalWikiServer
from exports.reextract import reextract
from tests.crawler.conftest import REPO, explain, jsonl, manifest, run_crawl, start_crawl

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

SAMPLES = REPO / "samples" / "title"
SITES = {
    "myanimelist": ["myanimelist-kaze-no-tsugi-no-eki-tv", "myanimelist-hoshikuzu-ressha-film-2024"],
    "imdb": ["imdb-ferrymans-lantern-2014", "imdb-harbor-of-stars-2024"],
}
IGNORED = ("url", "fetched_at", "content_sha256")
"""Fields that differ from the samples' expected records by nature: where and when it was fetched."""


def build_site(root: Path, profile: str) -> dict[str, dict[str, Any]]:
    """The samples' pages at their own URL paths (``a/b/index.html``), a home page linking each title's
    main page; returns the expected (merged, reviewed) record of each title by record id."""
    expected: dict[str, dict[str, Any]] = {}
    links = []
    for name in SITES[profile]:
        folder = SAMPLES / name
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        pages = {"page.html": meta["url"], **meta.get("subpages", {})}
        for file, url in pages.items():
            target = root / urlsplit(url).path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((folder / file).read_bytes())
        links.append(f'<li><a href="{urlsplit(meta["url"]).path}">{name}</a></li>')
        if profile == "myanimelist" and "subpages" in meta:  # a sub-page that is not there: a failure, and
            # maybe the title's last page to end (the merged record is written then)
            links.append(f'<li><a href="{urlsplit(meta["url"]).path}/moreinfo">more info</a></li>')
        record = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        record["_origin"] = "{0.scheme}://{0.netloc}".format(urlsplit(meta["url"]))
        record["_parts"] = len(pages)
        expected[record["record_id"]] = record
    (root / "index.html").write_text(f"<html><body><ul>{''.join(links)}</ul></body></html>", encoding="utf-8")
    return expected


def comparable(record: dict[str, Any], local: str, origin: str) -> dict[str, Any]:
    """A crawled record with the local server's origin written as the sample's (links the page gave
    relative), without the fetch fields."""
    text = json.dumps(record, ensure_ascii=False).replace(local.rstrip("/"), origin)
    return {k: v for k, v in json.loads(text).items() if k not in IGNORED}


def titles_rows(out: Path) -> list[tuple[str, str]]:
    table = ds.dataset(out / "titles", format="parquet", partitioning="hive").to_table(
        columns=["record_id", "content_sha256"]
    )
    return sorted(zip(table["record_id"].to_pylist(), table["content_sha256"].to_pylist(), strict=True))


def check_merged(out: Path, server: LocalWikiServer, expected: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    records = jsonl(out / "records.jsonl")
    assert Counter(r["record_id"] for r in records) == Counter(dict.fromkeys(expected, 1)), "one record per title"
    for record in records:
        want = expected[record["record_id"]]
        got = comparable(record, server.url, want["_origin"])
        assert got == {k: v for k, v in want.items() if k not in (*IGNORED, "_origin", "_parts")}, record["record_id"]
    return records


def reconciles(m: dict[str, Any]) -> None:
    outcomes = m["outcomes"]
    assert m["seen"] == sum(outcomes.get(k, 0) for k in ("record", "unchanged", "not_title", "failure"))
    assert m["pending"] == 0


@pytest.fixture(params=sorted(SITES))
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    profile: str = request.param
    root = tmp_path / "site"
    root.mkdir()
    expected = build_site(root, profile)
    with LocalWikiServer(root).start() as server:
        yield profile, root, server, expected


def test_a_crawl_writes_one_merged_record_per_title_and_reextraction_the_same(site: Any, tmp_path: Path) -> None:
    profile, _root, server, expected = site
    out, warc = tmp_path / "out", tmp_path / "warc"
    proc = run_crawl(server.url, out, "--profile", profile, "--warc", str(warc))
    assert proc.returncode in (0, 1), explain(proc)  # MAL's film sample links a characters page that is not there
    records = check_merged(out, server, expected)
    m = manifest(out)
    reconciles(m)
    # every page fetched had its own outcome (sub-pages too, under each of their ?ref_= URLs); the
    # records written are one per title
    fetched = [e.path for e in server.stats.entries() if e.status == 200 and e.path != "/"]
    assert any(p.rstrip("/").endswith(("/characters", "/fullcredits", "/releaseinfo")) for p in fetched), fetched
    assert m["outcomes"]["record"] + m["outcomes"].get("unchanged", 0) == len(fetched)
    assert titles_rows(out) == sorted((r["record_id"], r["content_sha256"]) for r in records)
    # the merged record is a version of its own: not the main page's bytes
    with sqlite3.connect(out / "state.sqlite") as db:
        pages = dict(db.execute("SELECT url, content_sha256 FROM pages").fetchall())
    for record in records:
        merged = expected[record["record_id"]]["_parts"] > 1
        assert (record["content_sha256"] in pages.values()) is not merged, record["record_id"]

    # re-extracted from the WARC: the very same merged records
    _manifest, stats = reextract([warc], tmp_path / "again", jobs=1, progress=False)
    again = {r["record_id"]: r for r in jsonl(tmp_path / "again" / "records.jsonl")}
    assert again == {r["record_id"]: r for r in records}
    assert stats.records == len(expected)

    # a recrawl of the unchanged site adds nothing
    proc = run_crawl(server.url, out, "--profile", profile)
    assert proc.returncode in (0, 1), explain(proc)
    assert len(jsonl(out / "records.jsonl")) == len(records)
    reconciles(manifest(out))


def test_a_changed_sub_page_makes_one_new_merged_version(site: Any, tmp_path: Path) -> None:
    profile, root, server, expected = site
    out = tmp_path / "out"
    proc = run_crawl(server.url, out, "--profile", profile)
    assert proc.returncode in (0, 1), explain(proc)
    first = check_merged(out, server, expected)
    sub = next(p for p in sorted(root.rglob("index.html")) if p.parent.name in ("characters", "fullcredits"))
    html = sub.read_text(encoding="utf-8")
    person = next(c["person"] for r in first for c in r["credits"] if c["person"] in html)
    sub.write_text(html.replace(person, person + " Jr."), encoding="utf-8")
    time.sleep(1.1)  # a new Last-Modified second

    proc = run_crawl(server.url, out, "--profile", profile)
    assert proc.returncode in (0, 1), explain(proc)
    m = manifest(out)
    reconciles(m)
    assert m["outcomes"]["record"] == 1  # the sub-page; the main page came back 304
    records = jsonl(out / "records.jsonl")
    assert len(records) == len(first) + 1
    new, old = records[-1], next(r for r in first if r["record_id"] == records[-1]["record_id"])
    assert new["content_sha256"] != old["content_sha256"]
    assert new["synopsis"] == old["synopsis"]  # the main page's part is kept
    assert new["title"] == old["title"]
    assert person + " Jr." in {c["person"] for c in new["credits"]}
    assert titles_rows(out) == sorted((r["record_id"], r["content_sha256"]) for r in records)


@pytest.mark.parametrize("after", [2, 3, 5])
def test_killed_with_a_title_half_in_then_resumed(tmp_path: Path, after: int) -> None:
    root = tmp_path / "site"
    root.mkdir()
    expected = build_site(root, "imdb")
    out, job = tmp_path / "out", tmp_path / "job"
    args = ("--profile", "imdb", "--job-dir", str(job), "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    with LocalWikiServer(root, delay=0.3).start() as server:
        proc = start_crawl(server.url, out, *args)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and server.stats.statuses[200] < after:
            time.sleep(0.02)
        time.sleep(0.1)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        server.delay = 0.0
        resumed = run_crawl(server.url, out, *args)
        assert resumed.returncode in (0, 1), explain(resumed)
        check_merged(out, server, expected)
    m = manifest(out)
    assert m["complete"]
    reconciles(m)
    assert sorted(titles_rows(out)) == sorted((r["record_id"], r["content_sha256"]) for r in jsonl(out / "records.jsonl"))


def test_merge_parts_is_order_free_and_a_version_of_its_own() -> None:
    from datetime import UTC, datetime

    from extractors.merge import merge_parts
    from extractors.records import Credit, TitleRecord

    t1, t2 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    main = TitleRecord(record_id="imdb:tt1", site="imdb", url="http://h/title/tt1/", content_sha256="a" * 64,
                       fetched_at=t1, title="Main", credits=(Credit(person="P"),))
    credits = TitleRecord(record_id="imdb:tt1", site="imdb", url="http://h/title/tt1/fullcredits",
                          content_sha256="b" * 64, fetched_at=t2, title="Sub",
                          credits=(Credit(person="P"), Credit(person="Q")))  # fmt: skip
    merged = merge_parts([credits, main])
    assert merged == merge_parts([main, credits])
    assert (merged.url, merged.title, merged.fetched_at) == ("http://h/title/tt1/", "Main", t2)
    assert [c.person for c in merged.credits] == ["P", "Q"]
    assert merged.content_sha256 not in ("a" * 64, "b" * 64)
    assert merge_parts([main]) is main
    assert merge_parts([main, main]) is main  # the same page twice is one part


def test_subpage_rules_of_the_profiles() -> None:
    from crawler.profiles import IMDB, MYANIMELIST

    assert IMDB.classify("http://127.0.0.1:1/title/tt1900123/fullcredits/?ref_=tt_ov_st_sm").kind == "title"
    assert IMDB.classify("http://127.0.0.1:1/title/tt1900123/releaseinfo").kind == "title"
    assert IMDB.classify("http://127.0.0.1:1/title/tt10770450/fullcredits/cast/").kind == "skip"
    key = IMDB.title_key("http://127.0.0.1:1/title/tt1900123/")
    assert key == IMDB.title_key("http://127.0.0.1:1/title/tt1900123/releaseinfo?ref_=x") is not None
    assert key != IMDB.title_key("http://127.0.0.1:2/title/tt1900123/")  # another site
    mal = "https://myanimelist.net/anime/90001/Kaze_no_Tsugi_no_Eki"
    assert MYANIMELIST.title_key(mal) == MYANIMELIST.title_key(mal + "/characters") == "myanimelist.net|anime/90001"
    assert MYANIMELIST.title_key("https://myanimelist.net/manga/90001") != MYANIMELIST.title_key(mal)
    assert MYANIMELIST.title_key("https://myanimelist.net/people/1/X") is None
