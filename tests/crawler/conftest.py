"""Helpers for the crawler tests: a copy of the sample wiki, a server on 127.0.0.1, crawls in subprocesses.

Scrapy's Twisted reactor cannot restart inside one process, so every crawl runs as a real
``titlecrawl crawl`` (or ``scrapy crawl``) child process against a server this process starts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.localserver import LocalWikiServer
from crawler.profiles import WHISKEY

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "samples" / "site"
FAST = [
    "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s", "LOGSTATS_INTERVAL=0",
]  # fmt: skip
"""Settings that make a crawl of 127.0.0.1 fast (the polite defaults are for real sites)."""
CRAWL_TIMEOUT = 90


def site_pages(root: Path) -> dict[str, str]:
    """URL path -> profile kind ('title' / 'listing') of every page file of a site folder (drafts excluded)."""
    pages: dict[str, str] = {}
    for index in sorted(root.rglob("index.html")):
        rel = index.parent.relative_to(root).as_posix()
        path = "/" if rel == "." else f"/{rel}/"
        if path.startswith("/drafts/"):
            continue
        pages[path] = WHISKEY.classify("http://127.0.0.1" + path).kind
    return pages


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A private copy of samples/site that a test may change."""
    target = tmp_path / "site"
    shutil.copytree(SITE, target)
    return target


@pytest.fixture
def wiki(site_copy: Path) -> Iterator[LocalWikiServer]:
    with LocalWikiServer(site_copy).start() as server:
        yield server


def crawl_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TITLECRAWL_", "SCRAPY_"))}
    env["PYTHONPATH"] = str(REPO)
    return env


def run_crawl(url: str, out: Path, *extra: str, timeout: float = CRAWL_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """``titlecrawl crawl URL -o OUT`` with fast settings (``extra`` after them, so it wins)."""
    cmd = [sys.executable, "-m", "titlecrawl.cli", "crawl", url, "-o", str(out), *FAST, *extra]
    return subprocess.run(cmd, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=timeout,
                          check=False)


def start_crawl(url: str, out: Path, *extra: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "titlecrawl.cli", "crawl", url, "-o", str(out), *FAST, *extra]
    return subprocess.Popen(cmd, cwd=REPO, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return data


def jsonl(path: Path) -> list[dict[str, Any]]:
    """The complete lines of a JSON Lines file; a last line without its newline (a crawl still writing
    it, or killed while writing it) is left out."""
    if not path.exists():
        return []
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1].decode("utf-8")
    return [json.loads(line) for line in complete.splitlines() if line.strip()]


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-6000:]}"
