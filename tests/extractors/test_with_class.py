"""``mediawiki._with_class`` / ``_pi_row_elements`` (Python walks) find what the XPath class tests
they replaced found: same elements, same order, on every sample and real page and on class values
with every kind of white space."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from extractors.mediawiki import _has_class, _pi_parts, _pi_row_elements, _with_class
from extractors.page import load_page
from tests.conftest import page_id, title_pages

_NAME_SETS = (
    ("pi-data",),
    ("pi-data-label",),
    ("pi-data-value",),
    ("pi-header",),
    ("pi-title",),
    ("pi-image",),
    ("pi-data-label", "pi-smart-data-label"),
    ("pi-data-value", "pi-smart-data-value"),
    ("lightbox-caption", "gallerytext"),
    ("infobox-caption",),
    ("mw-parser-output",),
    ("reference",),
)


def reference(node: etree._Element, names: tuple[str, ...]) -> list[etree._Element]:
    query = " or ".join(_has_class(name) for name in names)
    return list(etree.XPath(f".//*[{query}]")(node))


def row_reference(node: etree._Element) -> list[etree._Element]:
    return list(
        etree.XPath(
            f".//*[{_has_class('pi-data')}] | .//table[{_has_class('pi-horizontal-group')}]"
            f" | .//*[{_has_class('pi-smart-group')}]"
        )(node)
    )


def same(a: list[etree._Element], b: list[etree._Element]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))



@pytest.mark.parametrize("path", title_pages(), ids=page_id)
def test_same_elements_on_every_page(path: Path) -> None:
    page = load_page(path.read_bytes(), None)
    if page.root is None:
        pytest.skip("not parsed")
    for names in _NAME_SETS:
        assert same(list(_with_class(page.root, *names)), reference(page.root, names)), names
    assert same(_pi_row_elements(page.root), row_reference(page.root))
    for aside in page.root.iter("aside"):
        parts = _pi_parts(aside)
        assert parts.title is next(iter(reference(aside, ("pi-title",))), None)
        assert same(parts.figures, [el for el in reference(aside, ("pi-image",)) if el.tag == "figure"])
        assert same(_pi_row_elements(aside), row_reference(aside))
        for names in _NAME_SETS:
            assert same(list(_with_class(aside, *names)), reference(aside, names)), names


_SPACES = [" ", "  ", "\t", "\n", "\r", "\r\n", "\u00a0", "\x0c", "\x0b", "\u3000", "\u2003"]


def _generated() -> str:
    """Class values built from the tokens and every kind of white space (XPath splits at four)."""
    tokens = ["pi-data", "pi-data-label", "pi-smart-group", "x", "pi-datax", "pi", "pi-horizontal-group", ""]
    divs = []
    n = 0
    for i, a in enumerate(tokens):
        for j, sep in enumerate(_SPACES):
            b = tokens[(i + j + 1) % len(tokens)]
            tag = "table" if n % 3 == 0 else "div"
            value = f"{sep}{a}{sep}{b}{_SPACES[(j + 3) % len(_SPACES)]}"
            divs.append(f'<{tag} class="{value}"><span class="{b}{sep}{a}">t</span></{tag}>')
            n += 1
    return "<html><body><aside>" + "".join(divs) + '<p class="">e</p><p>n</p></aside></body></html>'


def test_white_space_in_class_values() -> None:
    root = lxml.html.document_fromstring(_generated())
    for names in [*_NAME_SETS, ("x",), ("pi",), ("pi-horizontal-group",), ("pi-smart-group",)]:
        assert same(list(_with_class(root, *names)), reference(root, names)), names
    assert same(_pi_row_elements(root), row_reference(root))
    assert _pi_row_elements(root)  # the generated box does hold rows
