"""End to end: ``titlecrawl crawl --warc`` of the sample wiki on 127.0.0.1, read back with warcio,
then re-extracted into the very records the crawl wrote."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.localserver import LocalWikiServer
from exports.json import read_json_lines
from exports.reextract import reextract
from exports.warc import OPEN_SUFFIX, RECORD_ID_HEADER
from tests.crawler.conftest import SITE, explain, run_crawl

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


@pytest.fixture
def wiki() -> Iterator[LocalWikiServer]:
    with LocalWikiServer(SITE).start() as server:
        yield server


def _read(paths: list[Path], base: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Every response (path, status, record id, date, decoded body) and request path, digests checked."""
    responses: list[dict[str, Any]] = []
    requests: list[str] = []
    for path in paths:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh, check_digests=True):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response":
                    body = record.content_stream().read()
                    assert record.digest_checker.passed is not False, record.digest_checker.problems
                    responses.append({
                        "path": uri.removeprefix(base.rstrip("/")),
                        "url": uri,
                        "status": int(record.http_headers.get_statuscode()),
                        "record_id": record.rec_headers.get_header(RECORD_ID_HEADER),
                        "date": record.rec_headers.get_header("WARC-Date"),
                        "sha256": hashlib.sha256(body).hexdigest(),
                    })  # fmt: skip
                elif record.rec_type == "request":
                    requests.append(uri.removeprefix(base.rstrip("/")))
    return responses, requests


def test_crawl_with_warc_captures_every_exchange_and_reextracts_to_the_same_records(
    wiki: LocalWikiServer, tmp_path: Path
) -> None:
    out, warc = tmp_path / "out", tmp_path / "warc"
    proc = run_crawl(wiki.url, out, "--warc", str(warc), "--warc-max-bytes", "60000")
    assert proc.returncode == 0, explain(proc)
    files = sorted(warc.iterdir())
    assert len(files) > 1  # rotated
    assert all(f.name.endswith(".warc.gz") for f in files), [f.name for f in files]
    assert not any(f.name.endswith(OPEN_SUFFIX) for f in files)

    responses, requests = _read(files, wiki.url)
    served = [e.path for e in wiki.stats.entries()]
    # every request the server answered is in the WARC once, as a response and its request
    assert Counter(r["path"] for r in responses) == Counter(served)
    assert Counter(requests) == Counter(served)
    statuses = {r["path"]: r["status"] for r in responses}
    assert statuses["/robots.txt"] == 200
    assert statuses["/old-memories/"] == 301
    assert statuses["/lost-signal/4000-1999/"] == 404

    # each record the crawl wrote is in the WARC with its record id, time and exact bytes
    records = read_json_lines(out / "records.jsonl")
    assert len(records) >= 10
    by_id = {r["record_id"]: r for r in responses if r["record_id"]}
    assert set(by_id) == {r["record_id"] for r in records}
    for record in records:
        captured = by_id[record["record_id"]]
        assert captured["url"] == record["url"]
        assert captured["sha256"] == record["content_sha256"]
        assert captured["date"] == record["fetched_at"]
    # nothing else carries a record id: index, person and character pages, robots.txt, the sitemap
    assert sum(1 for r in responses if r["record_id"]) == len(records)

    # re-extracted without the network: the crawl's records, field for field
    _manifest, stats = reextract([warc], tmp_path / "again", jobs=2, progress=False)
    again = {r["record_id"]: r for r in read_json_lines(tmp_path / "again" / "records.jsonl")}
    assert again == {r["record_id"]: r for r in records}
    assert stats.failures == 1  # the 404, as the crawl's own failures list it
    assert stats.outcomes["not_title"] > 0


def test_a_recrawl_adds_its_own_files_with_the_304s(wiki: LocalWikiServer, tmp_path: Path) -> None:
    out, warc = tmp_path / "out", tmp_path / "warc"
    first = run_crawl(wiki.url, out, "--warc", str(warc))
    assert first.returncode == 0, explain(first)
    before = {f: f.read_bytes() for f in warc.iterdir()}
    wiki.stats.reset()
    second = run_crawl(wiki.url, out, "--warc", str(warc))
    assert second.returncode == 0, explain(second)
    files = sorted(warc.iterdir())
    new = [f for f in files if f not in before]
    assert len(new) == 1
    assert all(f.read_bytes() == data for f, data in before.items())  # earlier captures untouched
    responses, _ = _read(new, wiki.url)
    assert Counter(r["path"] for r in responses) == Counter(e.path for e in wiki.stats.entries())
    not_modified = [r for r in responses if r["status"] == 304]
    assert not_modified
    assert all(r["sha256"] == hashlib.sha256(b"").hexdigest() for r in not_modified)
    assert not any(r["record_id"] for r in not_modified)
