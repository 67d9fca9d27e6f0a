"""``generic.lines_of`` (its loop written out) gives what it gave before, on every element of every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from lxml.html import HtmlElement

from extractors.generic import (
    _ALWAYS_SKIPPED,
    _HIDDEN,
    _SECTION_SKIP_CLASSES,
    _SKIP_CLASSES,
    BLOCK_TAGS,
    SECTION_SKIP_TAGS,
    Line,
    is_skipped,
    lines_of,
)
from extractors.page import load_page
from normalize.text import clean_text, strip_footnotes
from tests.conftest import page_id, title_pages


def _classes(node: HtmlElement) -> set[str]:
    value = node.get("class")
    return set(value.split()) if value else set()


def reference_is_skipped(node: HtmlElement, *, running_text: bool = False) -> bool:
    """``is_skipped`` as it was (a set of class names per node)."""
    tag = node.tag
    if not isinstance(tag, str) or tag in _ALWAYS_SKIPPED:
        return True
    classes = _classes(node)
    if classes & _SKIP_CLASSES:
        return True
    style = node.get("style")
    if style and _HIDDEN.search(style):
        return True
    return running_text and (tag in SECTION_SKIP_TAGS or bool(classes & _SECTION_SKIP_CLASSES))


def reference_lines_of(element: HtmlElement | None, *, running_text: bool = False) -> list[Line]:
    """``lines_of`` as it was before its loop was written out (the event walk with helper calls)."""
    out: list[Line] = []
    if element is None:
        return out
    if len(element) == 0:  # a leaf (most info-box labels and values): no walk needed
        raw = element.text or ""
        text = clean_text(strip_footnotes(raw) if "[" in raw else raw)
        if text:
            out.append(Line(text=text, small=element.tag in ("small", "sub", "sup")))
        return out
    parts: list[str] = []
    small_flags: list[bool] = []
    links: list[tuple[str, str]] = []
    open_links: list[tuple[int, str | None]] = []
    small_depth = 0
    # The element whose subtree is being skipped: its next event is its own "end". Held by
    # reference, never by id(): lxml proxies are recreated, and a freed proxy's id is reused.
    skipping: HtmlElement | None = None

    def add(text: str | None) -> None:
        if text:
            parts.append(text)
            small_flags.append(small_depth > 0)

    def flush() -> None:
        nonlocal parts, small_flags, links
        raw = "".join(parts)
        text = clean_text(strip_footnotes(raw) if "[" in raw else raw)
        if text:
            small = False
            if any(small_flags):
                size = sum(len(p.strip()) for p in parts)
                small_size = sum(len(p.strip()) for p, s in zip(parts, small_flags, strict=True) if s)
                small = size > 0 and small_size == size
            out.append(Line(text=text, links=links, small=small))
        parts, small_flags, links = [], [], []
        for i, (_start, href) in enumerate(open_links):
            open_links[i] = (0, href)

    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            if node is not element and reference_is_skipped(node, running_text=running_text):
                skipping = node
                walker.skip_subtree()
                continue
            tag = node.tag
            if tag in BLOCK_TAGS or tag == "br":
                flush()
            if tag in ("small", "sub", "sup"):
                small_depth += 1
            elif tag == "a":
                open_links.append((len("".join(parts)), node.get("href")))
            add(node.text)
            continue
        # end
        if skipping is not None and node is skipping:
            skipping = None
        else:
            tag = node.tag
            if tag in ("small", "sub", "sup"):
                small_depth -= 1
            elif tag == "a" and open_links:
                start, href = open_links.pop()
                link_text = clean_text(strip_footnotes("".join(parts)[start:]))
                if link_text and href:
                    links.append((link_text, href))
            if tag in BLOCK_TAGS:
                flush()
        if node is not element:
            add(node.tail)
    flush()
    return out




_CELL_TAGS = ("td", "th", "dd", "dt", "li", "p", "span", "a", "small", "sup", "b", "i", "caption", "h2", "h3")



@pytest.mark.parametrize("path", title_pages(), ids=page_id)
def test_every_element_of_a_page(path: Path) -> None:
    root = load_page(path.read_bytes(), None).root
    assert root is not None
    # The cells and items lines_of reads (every element would take a minute: each walk is its subtree)
    for node in root.iter(*_CELL_TAGS):
        assert is_skipped(node) == reference_is_skipped(node)
        assert is_skipped(node, running_text=True) == reference_is_skipped(node, running_text=True)
        for running_text in (False, True):
            assert lines_of(node, running_text=running_text) == reference_lines_of(node, running_text=running_text)


def test_edge_cases() -> None:
    html = (
        "<div><p>One<sup class='reference'>[1]</sup> <a href='/a'>A<small>s</small></a><br>Two "
        "<span style='display: none'>hidden</span><small>small only</small></p><table><tr><td>T</td></tr></table>"
        "<a href='/x'><a href='/y'>nested</a></a><sub>x</sub><sup>y</sup>[2] end<aside>aside</aside>"
        "<span class='mw-editsection infobox'>e</span><figure>f</figure><a>no href</a><a href=''>empty</a></div>"
    )
    root = load_page(html.encode(), None).root
    assert root is not None
    for node in root.iter(etree.Element):
        for running_text in (False, True):
            assert lines_of(node, running_text=running_text) == reference_lines_of(node, running_text=running_text)
    assert lines_of(None) == []
