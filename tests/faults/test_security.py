"""Hostile input cannot escape the output folder, expand XML entities, or leak credentials."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from crawler.localserver import LocalWikiServer
from exports.dataset import DatasetWriter, write_dataset
from exports.reextract import reextract
from tests.crawler.conftest import REPO, SITE, crawl_env, explain, manifest, run_crawl
from tests.exports.factories import memories

from .faultserver import FaultServer

EVIL_IDS = ["../../evil", "/etc/evil", "a/../../evil", "evil\x00.parquet", "..", "x" * 5000, "c:\\evil"]


def files_under(root: Path) -> set[Path]:
    return set(root.rglob("*"))


def test_record_ids_never_name_a_file(tmp_path: Path) -> None:
    out = tmp_path / "a" / "out"
    before = files_under(tmp_path)
    records = [memories(record_id=rid, site=rid, content_sha256=f"{i:064x}") for i, rid in enumerate(EVIL_IDS)]
    assert write_dataset(records, out, run_id="r1", crawl_date=date(2026, 11, 1)) == len(EVIL_IDS)
    created = files_under(tmp_path) - before
    assert all(out in p.parents or p == out or p in out.parents for p in created), created
    assert not [p for p in created if "evil" in p.name or len(p.name) > 100]


@pytest.mark.parametrize("bad", ["../x", "a/b", "/abs", "x\x00", ""])
def test_run_ids_and_part_prefixes_are_checked(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="must be letters"):
        DatasetWriter(tmp_path, run_id=bad)
    with pytest.raises(ValueError, match="must be letters"):
        DatasetWriter(tmp_path, run_id="ok", part_prefix=bad)


def test_reextract_of_pages_with_hostile_urls_stays_in_its_folder(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    template = (SITE / "memories" / "4000-1001" / "index.html").read_text(encoding="utf-8")
    for n, evil in enumerate(["../../../evil/4000-1/", "/..%2f..%2fevil/4000-2/", "a/%00/evil/4000-3/"]):
        page = pages / f"p{n}.html"
        page.write_text(template.replace("/memories/4000-1001/", "/" + evil), encoding="utf-8")
        (pages / f"p{n}.html.meta.json").write_text(json.dumps({"url": f"https://www.animevice.com/{evil}"}))
    out = tmp_path / "out"
    before = files_under(tmp_path)
    _manifest, stats = reextract([pages], out, jobs=1, progress=False)
    assert stats.records == 3
    created = files_under(tmp_path) - before
    assert all(out == p or out in p.parents for p in created), created
    assert not [p for p in created if "evil" in p.name]


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/lol/4000-5/&lol9;</loc></url></urlset>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE urlset [ <!ENTITY secret SYSTEM "file://{secret}"> <!ENTITY remote SYSTEM "{remote}"> ]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>/leak/4000-6/&secret;</loc></url><url><loc>/remote/4000-7/&remote;</loc></url>
</urlset>
"""


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["billion-laughs", "external-entity"])
def test_sitemaps_are_parsed_without_entities(tmp_path: Path, kind: str) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-abc\n")
    out = tmp_path / "out"
    with FaultServer(tmp_path / "site").start() as sentinel:
        body = BOMB if kind == "billion-laughs" else XXE.format(secret=secret, remote=sentinel.url + "x").encode()
        (site / "sitemap.xml").write_bytes(body)
        with LocalWikiServer(site).start() as wiki:
            proc = run_crawl(wiki.url, out, timeout=120)
            assert proc.returncode == 0, explain(proc)
            paths = set(wiki.stats.paths)
        assert sentinel.hits == {}
    m = manifest(out)
    assert m["sitemaps"] == {"fetched": 0, "urls": 0, "failed": 1}
    assert "/sitemap.xml" in paths
    assert not [p for p in paths if "lol" in p or "leak" in p or "TOPSECRET" in p or "remote" in p]
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".jsonl"):
            assert "TOPSECRET" not in path.read_text(encoding="utf-8")
    assert "TOPSECRET" not in proc.stdout + proc.stderr


@pytest.mark.slow
def test_credentials_in_urls_and_proxies_never_reach_logs_or_manifests(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("http_proxy", "http://proxyuser:PROXY-SECRET-1@127.0.0.1:9/")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with LocalWikiServer(SITE).start() as wiki:
        start = wiki.url.replace("http://", "http://crawluser:URL-SECRET-2@")
        proc = run_crawl(start, out, "-s", "LOG_LEVEL=DEBUG", "--max-pages", "8", timeout=120)
    assert proc.returncode == 2, explain(proc)  # refused, with the URL redacted in the message
    assert "must not carry a user name or password: http://***@127.0.0.1:" in proc.stderr
    with LocalWikiServer(SITE).start() as wiki:  # the proxy's credentials, in a crawl that runs
        proc = run_crawl(wiki.url, out, "-s", "LOG_LEVEL=DEBUG", "--max-pages", "8", timeout=120)
    assert proc.returncode == 0, explain(proc)
    texts = [proc.stdout, proc.stderr]
    texts += [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file() and p.suffix in (".json", ".jsonl")]
    for text in texts:
        assert "PROXY-SECRET-1" not in text
        assert "URL-SECRET-2" not in text
    assert manifest(out)["seen"] == 8


@pytest.mark.slow
def test_scrapy_crawl_refuses_a_start_url_with_credentials(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "wiki", "-a", "start=http://bob:URL-SECRET-3@127.0.0.1:9/",
           "-s", f"TITLECRAWL_OUTDIR={tmp_path / 'out'}"]
    proc = subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode != 0
    assert "must not carry a user name or password: http://***@127.0.0.1:9/" in proc.stderr
    assert "URL-SECRET-3" not in proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()
