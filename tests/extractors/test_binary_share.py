"""``page._binary_share``'s ASCII path counts exactly what the regular expression counts."""

from __future__ import annotations

import random

from extractors.page import _NOT_TEXT, _binary_share


def _former(text: str) -> float:
    sample = text[:4000]
    return len(_NOT_TEXT.findall(sample)) / len(sample) if sample else 0.0


def test_same_share_as_the_regex() -> None:
    rng = random.Random(6)
    texts = ["", "\x00", "\t\n\r\x0c\x0b", "plain <html>", "\x7f\x1f\x0e\x0d", "x" * 5000 + "\x00" * 10,
             "\ufffd" + "a" * 10, "é\x01"]  # fmt: skip
    for _ in range(3000):
        alphabet = [chr(c) for c in range(128)] if rng.random() < 0.8 else [chr(c) for c in range(300)] + ["\ufffd"]
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.choice((1, 5, 40, 4100)))))
    for text in texts:
        assert _binary_share(text) == _former(text), repr(text[:50])
