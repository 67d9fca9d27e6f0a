"""``Page.absolute``'s shortcut for root-relative paths gives exactly what ``urljoin`` gives."""

from __future__ import annotations

import itertools
import random
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
]  # fmt: skip


@pytest.mark.parametrize("base", BASES)
def test_same_as_urljoin(base: str) -> None:
    for href in HREFS:
        assert _join(base, href) == urljoin(base, href), (base, href)


def test_random_paths() -> None:
    rng = random.Random(8)
    pieces = ["/", "a", "B", "0", ".", "..", "-", "_", "~", "%", "%2F", ":", "@", "!", "$", "&", "'", "(", ")",
              "*", "+", ",", ";", "=", "?", "#", " ", "\u00e9", "\\", "//"]  # fmt: skip
    bases = ["https://host/x/y", "http://127.0.0.1:8000/", "https://Host:1/a?b#c"]
    for _ in range(5_000):
        href = "/" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        for base in bases:
            assert _join(base, href) == urljoin(base, href), (base, href)


def test_every_short_combination() -> None:
    for n in range(1, 5):
        for combo in itertools.product(["/", ".", "a", "?"], repeat=n):
            href = "/" + "".join(combo)
            assert _join("https://h/x", href) == urljoin("https://h/x", href), href
