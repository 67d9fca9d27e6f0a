"""Headless Chromium for the report tests: skipped when absent, a failure when CI requires it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
REQUIRE_ENV = "TITLECRAWL_REQUIRE_BROWSER"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)


class Browser:
    """Run headless Chromium on local files only."""

    def __init__(self, binary: str, profile: Path) -> None:
        self.binary = binary
        self.profile = profile

    def dump_dom(self, page: Path, *, timeout: float = 90) -> str:
        """The DOM after the page loaded and its scripts (if any were allowed) ran, serialized."""
        proc = subprocess.run(
            [
                self.binary,
                *FLAGS,
                f"--user-data-dir={self.profile}",
                "--virtual-time-budget=2000",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0 or "<html" not in proc.stdout:
            raise AssertionError(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")
        return proc.stdout


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Browser:
    binary = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if binary is None:
        message = "headless chromium is not installed (apt-get install chromium)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{message}, and {REQUIRE_ENV}=1 requires it")
        pytest.skip(message)
    return Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
