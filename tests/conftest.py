"""Shared fixtures: paths to the project's samples and to ../shared (when it exists)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SHARED_PAGES = SHARED / "pages"


def shared_page(name: str) -> Path:
    """A real page from ../shared/pages, or skip the test when ../shared is absent."""
    path = SHARED_PAGES / name
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is missing)")
    return path
