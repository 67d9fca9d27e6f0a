"""``script_language``'s ASCII path and cached ``_script`` give what the character loop gives."""

from __future__ import annotations

import random

from normalize.language import _RANGES, script_language


def _script_former(char: str) -> str | None:
    code = ord(char)
    for first, last, script in _RANGES:
        if first <= code <= last:
            return script
    if char.isalpha():
        return "latin" if code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0xFF21 <= code <= 0xFF5A else "other"
    return None


def _former(text: str, default: str | None = "en", han_default: str = "ja") -> str | None:
    counts: dict[str, int] = {}
    for char in text:
        if char.isascii():
            if char.isalpha():
                counts["latin"] = counts.get("latin", 0) + 1
            continue
        script = _script_former(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    if "kana" in counts:
        return "ja"
    if "hangul" in counts:
        return "ko"
    if "han" in counts:
        return han_default
    others = {k: v for k, v in counts.items() if k not in ("latin", "other")}
    if others:
        return max(others, key=lambda k: others[k])
    return default if "latin" in counts else None


def test_every_ascii_character_and_generated_names() -> None:
    rng = random.Random(8)
    texts = ["", " ", "1995", "Memories", "メモリーズ", "Éclair", "Воспоминания 2", "x\u0301", "ǅ", "\uff21"]
    texts += [chr(c) for c in range(128)]
    pools = [[chr(c) for c in range(128)], [chr(c) for c in range(0x2000)] + ["あ", "漢", "한", "\U00020000"]]
    for _ in range(20000):
        pool = rng.choice(pools)
        texts.append("".join(rng.choice(pool) for _ in range(rng.randrange(1, 12))))
    for text in texts:
        for default in ("en", None, "latin"):
            assert script_language(text, default=default) == _former(text, default), repr(text)
        assert script_language(text, han_default="zh") == _former(text, han_default="zh"), repr(text)
