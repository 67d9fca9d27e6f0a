"""A crawl that really goes through a password-protected proxy (tests/faults/proxyserver.py, on
127.0.0.1): the pages come through it, the records land, and the password is nowhere on disk or in the
log; with a wrong password every URL ends as a 407 failure, not a crash."""

from __future__ import annotations

import base64
import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.localserver import LocalWikiServer
from crawler.proxy import parse_proxy
from tests.crawler.conftest import REPO, SITE, crawl_env, explain, jsonl, manifest, run_crawl

from .proxyserver import TestProxy

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

PASSWORD = "secret"  # noqa: S105 - the test proxy's password, looked for in every file
USER = "crawluser"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
"""The password as it travels in ``Proxy-Authorization``: no more welcome on disk than the password."""


def everything_written(out: Path, warc: Path) -> dict[str, bytes]:
    """Every file of the output and WARC folders, gunzipped (WARC, .jsonl.gz) where gzip."""
    files: dict[str, bytes] = {}
    for root in (out, warc):
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                files[str(path)] = data
    return files


def test_a_crawl_through_a_proxy_with_a_password(tmp_path: Path) -> None:
    out, warc = tmp_path / "out", tmp_path / "warc"
    with LocalWikiServer(SITE).start() as wiki, TestProxy(USER, PASSWORD).start() as proxy:
        proc = run_crawl(wiki.url, out, "--proxy", proxy.url_with(USER, PASSWORD), "--warc", str(warc),
                         "-s", "LOG_LEVEL=DEBUG", timeout=180)  # fmt: skip
        served = [e.path for e in wiki.stats.entries()]
    assert proc.returncode == 0, explain(proc)
    # the pages really went through the proxy: everything the site answered, the proxy forwarded
    assert proxy.rejected == []
    assert proxy.refused == []
    assert len(served) > 20
    assert sorted(p.split("?")[0] for p in proxy.forwarded) == sorted(served)
    m = manifest(out)
    records = jsonl(out / "records.jsonl")
    assert m["outcomes"]["record"] == len(records) >= 10
    assert m["seen"] == sum(m["outcomes"].values())
    # the log says a proxy is used, without its password
    assert f"http://***@127.0.0.1:{proxy.port}" in proc.stderr
    for name, text in {"stdout": proc.stdout, "stderr": proc.stderr}.items():
        assert PASSWORD not in text, name
        assert TOKEN not in text, name
    written = everything_written(out, warc)
    assert any(name.endswith(".parquet") for name in written)
    assert any(".warc" in name for name in written)
    for name, data in written.items():
        assert PASSWORD.encode() not in data, name
        assert TOKEN.encode() not in data, name
        assert b"Proxy-Authorization" not in data, name


def test_a_wrong_proxy_password_ends_as_407_failures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with LocalWikiServer(SITE).start() as wiki, TestProxy(USER, PASSWORD).start() as proxy:
        proc = run_crawl(wiki.url, out, "--proxy", proxy.url_with(USER, "wrong-" + PASSWORD), timeout=180)
        assert wiki.stats.requests == 0  # nothing got past the proxy
    assert proc.returncode == 1, explain(proc)  # finished, every URL failed
    assert proxy.rejected
    assert proxy.forwarded == []
    m = manifest(out)
    assert m["complete"]
    assert m["outcomes"]["failure"] == m["seen"] >= 1
    assert set(m["failures_by_reason"]) == {"HTTP 407 Proxy Authentication Required"}
    assert [f["status"] for f in jsonl(out / "failures.jsonl")] == [407] * m["seen"]
    assert "wrong-" + PASSWORD not in proc.stdout + proc.stderr
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".jsonl"):
            assert PASSWORD not in path.read_text(encoding="utf-8"), path


def test_the_proxy_option_is_checked_and_its_errors_redacted(tmp_path: Path) -> None:
    proc = run_crawl("http://127.0.0.1:9/", tmp_path / "out", "--proxy", "socks5://u:TOPSECRET@127.0.0.1:1")
    assert proc.returncode == 2
    assert "socks5://***@127.0.0.1:1" in proc.stderr
    assert "TOPSECRET" not in proc.stdout + proc.stderr
    assert parse_proxy("http://u:p@127.0.0.1:3128/x") == ("http://127.0.0.1:3128", b"Basic dTpw")
    with pytest.raises(ValueError, match="not a proxy URL"):
        parse_proxy("http://u:TOPSECRET@127.0.0.1:notaport")


def test_the_test_proxy_forwards_only_to_loopback() -> None:
    import http.client

    with TestProxy(USER, PASSWORD, max_requests=3).start() as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        auth = {"Proxy-Authorization": f"Basic {TOKEN}"}
        conn.request("GET", "http://example.org/", headers=auth)
        response = conn.getresponse()
        response.read()
        assert response.status == 403
        assert proxy.refused == ["http://example.org/"]
        conn.request("GET", "http://127.0.0.1:9/")  # no credentials
        response = conn.getresponse()
        response.read()
        assert response.status == 407
        conn.request("GET", "http://127.0.0.1:9/", headers=auth)  # a closed port: a 502, not a hang
        response = conn.getresponse()
        response.read()
        assert response.status == 502
        conn.request("GET", "http://127.0.0.1:9/", headers=auth)  # over the limit
        response = conn.getresponse()
        response.read()
        assert response.status == 503
        conn.close()


def test_a_bad_proxy_in_the_environment_is_a_usage_error(tmp_path: Path) -> None:
    """TITLECRAWL_PROXY is checked like --proxy: a clear, redacted message and exit 2, not a traceback."""
    env = {**crawl_env(), "TITLECRAWL_PROXY": "socks5://u:TOPSECRET@127.0.0.1:1"}
    cmd = [sys.executable, "-m", "titlecrawl.cli", "crawl", "http://127.0.0.1:9/", "-o", str(tmp_path / "out")]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2, explain(proc)
    assert "TITLECRAWL_PROXY" in proc.stderr
    assert "socks5://***@127.0.0.1:1" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "TOPSECRET" not in proc.stdout + proc.stderr
