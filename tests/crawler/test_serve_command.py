"""``titlecrawl serve DIR``: a real process on 127.0.0.1 with ETag / 304 answers, stopped by SIGTERM
or Ctrl-C with its summary; a missing folder is a one-line error."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from .conftest import REPO, SITE, crawl_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # 127.0.0.1 only
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_conditional_requests_and_stops_cleanly(stop: signal.Signals) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "titlecrawl.cli", "serve", str(SITE), "--port", "0"],
        cwd=REPO, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", first)
        assert found, first
        base = found.group(1)
        status, headers, body = _get(base + "memories/4000-1001/")
        assert status == 200
        assert b"Memories" in body
        assert headers.get("ETag")
        assert headers.get("Last-Modified")
        status, _headers, body = _get(base + "memories/4000-1001/", {"If-None-Match": headers["ETag"]})
        assert (status, body) == (304, b"")
        status, _headers, body = _get(base + "memories/4000-1001/", {"If-Modified-Since": headers["Last-Modified"]})
        assert (status, body) == (304, b"")
        assert _get(base + "no-such-page/")[0] == 404
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "served 4 requests (2 not modified)" in out
    assert "Traceback" not in err


def test_serve_a_missing_folder_is_a_one_line_error() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "titlecrawl.cli", "serve", "/no/such/wiki", "--port", "0"],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["titlecrawl serve: /no/such/wiki is not a folder"]
