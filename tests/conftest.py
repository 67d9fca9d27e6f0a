"""Shared fixtures: paths to the project's samples and to ../shared (when it exists)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SHARED_PAGES = SHARED / "pages"


def title_pages(family: str = "") -> list[Path]:
    """Our samples' title pages and the real pages of ``../shared/pages`` (when there), optionally of
    one family only (a sample folder or real file name starting with ``family``)."""
    pages = sorted(p for p in (SAMPLES / "title").glob("*/page.htm*") if p.parent.name.startswith(family))
    if SHARED_PAGES.is_dir():
        pages += sorted(SHARED_PAGES.glob(f"{family}*.htm*"))
    return pages


def page_id(path: Path) -> str:
    """A test id for a page of ``title_pages``: the real page's file name, else the sample's folder."""
    return path.name if path.parent.name == "pages" else path.parent.name


def shared_page(name: str) -> Path:
    """A real page from ../shared/pages, or skip the test when ../shared is absent."""
    path = SHARED_PAGES / name
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is missing)")
    return path


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _refuse_off_machine(address: object) -> None:
    if isinstance(address, tuple) and address and str(address[0]) not in _LOOPBACK:
        raise ConnectionRefusedError(f"tests may only connect to 127.0.0.1, not {address[0]!r}")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection a test's own process opens off this machine fails at once (the URLs of real
    sites in tests are strings to classify or to stamp on records, never fetched)."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        _refuse_off_machine(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _refuse_off_machine(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
