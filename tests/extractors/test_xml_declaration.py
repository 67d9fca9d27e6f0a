"""``page._starts_with_xml_declaration`` is ``text.lstrip().startswith("<?xml")`` without the copy."""

from __future__ import annotations

import random
import sys

from extractors.page import _starts_with_xml_declaration, load_page

_SPACES = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]


def test_same_as_lstrip_over_generated_texts() -> None:
    rng = random.Random(4)
    pieces = ["<?xml", "<?xm", "<?XML", "<", "?xml", "<html>", "x", "\u200b", "\ufeff", ""]
    texts = ["", " ", "<?xml", " <?xml version='1.0'?><html/>", "\u3000<?xml", "\x85<?xml", "\u200b<?xml"]
    for _ in range(5000):
        prefix = "".join(rng.choice(_SPACES) for _ in range(rng.randrange(4)))
        texts.append(prefix + rng.choice(pieces) + rng.choice(pieces))
    for text in texts:
        assert _starts_with_xml_declaration(text) == text.lstrip().startswith("<?xml"), repr(text)


def test_declared_xhtml_page_still_parses() -> None:
    page = load_page("\n  <?xml version='1.0' encoding='utf-8'?>\n<html><body><h1>T</h1></body></html>")
    assert page.root is not None
    assert page.root.findtext(".//h1") == "T"
