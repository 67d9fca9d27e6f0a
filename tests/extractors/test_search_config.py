"""``mediawiki._search_config`` finds what ``pattern.search`` finds, for every configuration pattern."""

from __future__ import annotations

import random

import pytest

from extractors.mediawiki import (
    _CATEGORIES_JS,
    _NAMESPACE,
    _PAGE_NAME,
    _REVISION,
    _REVISION_ANY,
    _bytes_pattern,
    _search_config,
)
from tests.conftest import shared_page

PATTERNS = [_REVISION, _REVISION_ANY, _NAMESPACE, _PAGE_NAME, _CATEGORIES_JS]
PAGES = [
    "wikipedia__billy-jack-1971-film.html",
    "wikipedia__list-of-films-featuring-time-loops-2024-skin.html",
    "fandom__wookieepedia-the-high-republic-into-the-dark-novel.html",
]


def _same(text: str) -> None:
    data = text.encode("utf-8")
    for pattern in PATTERNS:
        expected, found = pattern.search(text), _search_config(text, pattern)
        assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))
        # The same pattern on the page's UTF-8 bytes (an undecoded page) finds the same groups.
        in_bytes = _search_config(data, _bytes_pattern(pattern))
        assert (in_bytes and tuple(g.decode("utf-8") for g in in_bytes.groups())) == (expected and expected.groups())


@pytest.mark.parametrize("name", PAGES)
def test_real_pages(name: str) -> None:
    _same(shared_page(name).read_text(encoding="utf-8"))


def test_generated_texts() -> None:
    rng = random.Random(9)
    pieces = ['"wgCurRevisionId"', '"wgRevisionId"', '"wgNamespaceNumber"', '"wgPageName"', '"wgCategories"',
              ":", " ", "12", "-3", '"X_y"', '"a\\"b"', "[", "]", '"c1",', '"c2"', ",", "x", '"wg', "\n",
              "é", "\u00a0", "\u2028", "\u0663", '"夜"']  # fmt: skip
    for _ in range(20000):
        _same("".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))))
