"""``text_of``'s shortcut for childless elements gives what its XPath gives, on every element."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from extractors.page import _TEXT_NODES, load_page, text_of
from normalize.text import clean_text
from tests.conftest import SAMPLES, SHARED_PAGES


def reference(node: lxml.html.HtmlElement) -> str:
    return clean_text("".join(_TEXT_NODES(node)))


def _pages() -> list[Path]:
    pages = sorted((SAMPLES / "title").glob("*/page.htm*"))
    if SHARED_PAGES.is_dir():
        pages += sorted(SHARED_PAGES.glob("*.htm*"))[:6]
    return pages


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name if p.parent.name == "pages" else p.parent.name)
def test_every_element_of_a_page(path: Path) -> None:
    root = load_page(path.read_bytes(), None).root
    assert root is not None
    for node in root.iter(lxml.etree.Element):
        assert text_of(node) == reference(node)


def test_edge_cases() -> None:
    root = lxml.html.fromstring(
        "<html><head><style>p { x: 1 }</style><script>var a = 1;</script><title> T  </title></head>"
        "<body><p>a<!-- c -->b</p><p>x &amp; y&#160;z</p><p></p><svg><style>s</style><text>t</text></svg>"
        "<noscript>n</noscript><textarea> w </textarea><span>Caf\u00e9\u200b!</span></body></html>"
    )
    checked = 0
    for node in root.iter(lxml.etree.Element):
        assert text_of(node) == reference(node), lxml.html.tostring(node)
        checked += 1
    assert checked >= 15
    assert text_of(None) == ""
    script = next(root.iter("script"))
    assert text_of(script) == ""
    assert text_of(next(root.iter("title"))) == "T"
