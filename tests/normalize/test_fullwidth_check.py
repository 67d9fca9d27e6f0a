"""The full-width test of ``counts`` and ``runtime`` (``max(text) >= U+FF00``) is the former
``any(ord(c) >= 0xFF00 for c in text)``, checked through both modules' results."""

from __future__ import annotations

import random
import unicodedata

from normalize import counts, runtime
from normalize.text import clean_text


def _counts_former(raw: str) -> str | None:
    text = clean_text(counts._SPACE_GROUP.sub("", raw))
    if any(ord(c) >= 0xFF00 for c in text):
        text = unicodedata.normalize("NFKC", text)
    return text or None


def test_counts_text_same_as_former() -> None:
    rng = random.Random(12)
    pool = ["1", "2", ",", ".", " ", "\u00a0", "\u202f", "k", "分", "\uff11", "\uff12", "\uff0c", "\ufeff", "\uffe5",
            "\uff00", "\ufeff", "é", "\U0001f600", "a"]  # fmt: skip
    texts = ["", " ", "１２３", "60,116 votes", "\uff00"]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randrange(1, 10))) for _ in range(20000)]
    for text in texts:
        assert counts._text(text) == _counts_former(text), repr(text)
        assert counts.parse_int(text) == counts.parse_int(_counts_former(text) or "")


def test_runtime_full_width() -> None:
    assert runtime.parse_runtime("１２０分") == runtime.parse_runtime("120分") == 120
    assert runtime.parse_runtime("120 min") == 120
