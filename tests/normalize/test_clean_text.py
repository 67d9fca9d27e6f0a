"""``clean_text``'s split-and-join gives what the regular expression it replaced gave."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest

from normalize.text import clean_text

_SPACE = re.compile(r"[\s\u00a0\u200b\u3000]+")


def reference(value: str | None) -> str:
    """``clean_text`` as it was: whitespace runs to one space, NFC, strip."""
    if not value:
        return ""
    return unicodedata.normalize("NFC", _SPACE.sub(" ", value)).strip()


ALL_CHARS = [chr(c) for c in range(sys.maxunicode + 1)]
SPACES = [c for c in ALL_CHARS if _SPACE.fullmatch(c)]
PIECES = [
    *SPACES, "\u200b", "\u200c", "\ufeff", "a", "Z", "1", "é", "e\u0301", "\u0301", "\u0327", "A\u030a", "\u212b",
    "\u2000", "\u2001", "ｱ", "\u1100\u1161", "ﬁ", "x", "-", "[1]", "\x00", "\x1c", "\x85", "\u2028", "\U0001f600",
]


def test_the_whitespace_sets_agree() -> None:
    """``str.isspace`` plus U+200B is exactly the pattern's set (U+00A0 and U+3000 are spaces to both)."""
    assert set(SPACES) == {c for c in ALL_CHARS if c.isspace()} | {"\u200b"}


@pytest.mark.parametrize("value", [
    None, "", " ", "\u200b", "  Memories \n\t (1995)\u00a0 ", "a\u200bb", "\u200b x \u200b", "e\u0301 \u0301x",
    " \u0301", "\u2000a\u2001", "x\x1c\x1d\x1e\x1fy", "a\x85b\u2028c", "Å", "\u212b", "ﬁ ｱ", "one", "plain ascii",
])  # fmt: skip
def test_cases(value: str | None) -> None:
    assert clean_text(value) == reference(value)


def test_random_texts() -> None:
    rng = random.Random(6)
    for _ in range(30_000):
        value = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        assert clean_text(value) == reference(value), repr(value)


def test_str_subclass_gives_str() -> None:
    class Smart(str):
        pass

    got = clean_text(Smart("word"))
    assert got == "word"
    assert type(got) is str
