"""``Page.absolute``'s shortcut for root-relative paths gives exactly what ``urljoin`` gives."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from urllib.parse import urljoin

import pytest

from extractors.page import _join

BASES = [
    "http://127.0.0.1:8000/wiki/Page", "https://en.wikipedia.org/wiki/Billy_Jack", "HTTPS://Example.COM/a/b/c?q=1#f",
    "https://user:pw@host:8443/x/", "http:///no-host", "ftp://host/x", "https://host", "https://host?q", "//host/x",
    "/relative/base", "", "https://[::1]:8080/a", "https://host/a;p?q#f", "mailto:someone@example.com",
    "https://host/\u00e9t\u00e9", " https://host/a", "https://ho\tst/a",
]  # fmt: skip
HREFS = [
    "/", "/wiki/X", "/wiki/X_(film)", "/a/b/", "/a//b", "//other/x", "/a/./b", "/a/../b", "/a/.", "/a/..", "/.",
    "/..", "/a/.b", "/a/..b", "/a/b.", "/a?b", "/a#b", "/a;b", "/a b", "/a\tb", "/caf\u00e9", "/a%20b", "/a:b",
    "/a@b", "/~u/", "/a/b/c/../../d", "/a\\b", "/a[1]", "/%2e%2e/x", "relative", "", "?q", "#f", "http://x/y",
    "/index.php?title=X", "/wiki/Special:Search", "/a//", "//", "///x", "/a/b//",
    "https://www.animevice.com/wiki/X/3030-1/", "http://www.animevice.com/wiki/X/", "HTTPS://Host/x",
    "https://host", "https://host?q", "https://host/a?", "https://host/a#", "https://host/a?#f", "https://host/a;p",
    "https://host/a;", "https://host/a/../b", "https://host/a//b", "https://[::1]/x", "https://[::1/x", "https://h]/x",
    "https://ho st/x", "https://h\u00f6st/x", "https://host/\u00e9", "https:///x", "https:/x", "http:x",
    "https://u:p@host:8080/a/./b?q=1&r=2#frag?x", "https://host/a?b?c#d#e", "https://host:/x", "httpx://h/",
    "https://host/a b", " https://host/x", "https://host/a\tb", "https://host#f", "https://host/a%2Fb",
]  # fmt: skip


def outcome(join: Callable[[str, str], str], base: str, href: str) -> str:
    """The joined URL, or the error it raised."""
    try:
        return join(base, href)
    except ValueError as exc:
        return f"ValueError: {exc}"


def same(base: str, href: str) -> None:
    assert outcome(_join, base, href) == outcome(urljoin, base, href), (base, href)


@pytest.mark.parametrize("base", BASES)
def test_same_as_urljoin(base: str) -> None:
    for href in HREFS:
        same(base, href)


def test_random_paths() -> None:
    rng = random.Random(8)
    pieces = ["/", "a", "B", "0", ".", "..", "-", "_", "~", "%", "%2F", ":", "@", "!", "$", "&", "'", "(", ")",
              "*", "+", ",", ";", "=", "?", "#", " ", "\u00e9", "\\", "//"]  # fmt: skip
    bases = ["https://host/x/y", "http://127.0.0.1:8000/", "https://Host:1/a?b#c"]
    starts = ["/", "https://", "http://", "https://h", "http://h:1"]
    for _ in range(5_000):
        href = rng.choice(starts) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        for base in bases:
            same(base, href)


def test_every_short_combination() -> None:
    for n in range(1, 5):
        for combo in itertools.product(["/", ".", "a", "?", "#", ";"], repeat=n):
            for start in ("/", "https://h", "http://h/"):
                href = start + "".join(combo)
                for base in ("https://h/x", "http://h/x"):
                    same(base, href)


def test_refused_urls_raise_alike() -> None:
    for base, href in [("https://[::1/x", "/a"), ("https://h/x", "https://[::1/x"), ("https://[::1/x", "https://h/")]:
        assert outcome(urljoin, base, href).startswith("ValueError")
        same(base, href)
