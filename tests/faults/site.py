"""A generated wiki for the fault tests: index pages linking title pages in the Whiskey family's markup.

``build_site(root, titles=479, per_index=24)`` writes ``/`` (the home page), ``/browse/page/N/``
(index pages, each linking the next one and its share of the titles) and ``titles`` title pages,
each made from one of the title pages of ``samples/site/`` moved to its own URL
(``/memories-0007/4000-70007/``) with a name of its own (``Memories 7``), so every page is distinct.
Links to anything outside the generated site are cut (``href="#"``), so the only URLs a crawl meets
are the ones listed here. ``robots.txt`` allows everything.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from crawler.profiles import WHISKEY

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "samples" / "site"
_ENTITY = re.compile(r"^/([^/]+)/(\d{4})-(\d+)/$")
_HREF = re.compile(r'href="([^"]*)"')
_NAME = re.compile(r'<a class="wiki-title" href="[^"]*">([^<]+)</a>')


@dataclass(frozen=True, slots=True)
class Template:
    path: str
    slug: str
    type_id: str
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class GeneratedSite:
    root: Path
    home: str
    index_pages: tuple[str, ...]
    titles: tuple[str, ...]
    """URL paths of the title pages, in link order."""
    names: dict[str, str]
    """Title page path -> the title's name on that page."""

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.home, *self.index_pages, *self.titles)


def templates() -> list[Template]:
    """The Whiskey title pages of samples/site, in a stable order."""
    found = []
    for page in sorted(SAMPLE_SITE.glob("*/*/index.html")):
        path = f"/{page.parent.parent.name}/{page.parent.name}/"
        match = _ENTITY.match(path)
        if not match or WHISKEY.classify("http://127.0.0.1" + path).kind != "title":
            continue
        text = page.read_text(encoding="utf-8")
        title = _NAME.search(text)
        if title is None:
            continue
        found.append(Template(path, match.group(1), match.group(2), html.unescape(title.group(1)), text))
    if not found:
        raise RuntimeError(f"no Whiskey title pages in {SAMPLE_SITE}")
    return found


def title_page(template: Template, number: int, keep: set[str]) -> tuple[str, str, str]:
    """(path, name, html) of generated title ``number`` made from ``template``."""
    path = f"/{template.slug}-{number:04d}/{template.type_id}-{70000 + number}/"
    name = f"{template.name} {number}"
    text = template.text.replace(template.path, path)
    escaped = html.escape(template.name, quote=False)
    text = text.replace(escaped, html.escape(name, quote=False))
    if escaped != template.name:
        text = text.replace(template.name, name)

    def link(match: re.Match[str]) -> str:
        return match.group(0) if match.group(1) in keep else 'href="#"'

    return path, name, _HREF.sub(link, text)


def _page(title: str, links: list[tuple[str, str]]) -> str:
    items = "\n".join(f'    <li><a href="{href}">{html.escape(text)}</a></li>' for href, text in links)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
        f"  <title>{html.escape(title)} - Anime Vice</title>\n</head>\n<body class=\"wiki-page\">\n"
        f"<div id=\"site-main\" class=\"wiki-main\">\n  <h1>{html.escape(title)}</h1>\n  <ul class=\"editorial\">\n"
        f"{items}\n  </ul>\n</div>\n</body>\n</html>\n"
    )


def build_site(root: Path, *, titles: int = 479, per_index: int = 24) -> GeneratedSite:
    """Write the site under ``root`` (created) and describe it."""
    root.mkdir(parents=True, exist_ok=True)
    pool = templates()
    planned = [
        f"/{pool[n % len(pool)].slug}-{n:04d}/{pool[n % len(pool)].type_id}-{70000 + n}/" for n in range(titles)
    ]
    count = -(-titles // per_index)
    index_pages = [f"/browse/page/{k + 1}/" for k in range(count)]
    keep = {"/", *index_pages, *planned}
    names: dict[str, str] = {}
    for n in range(titles):
        path, name, text = title_page(pool[n % len(pool)], n, keep)
        assert path == planned[n]
        names[path] = name
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for k, page in enumerate(index_pages):
        share = planned[k * per_index : (k + 1) * per_index]
        links = [(p, names[p]) for p in share]
        if k + 1 < len(index_pages):
            links.append((index_pages[k + 1], "next page"))
        target = root / page.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_page(f"Browse titles, page {k + 1}", links), encoding="utf-8")
    home = [(index_pages[0], "Browse titles")] + [(p, f"page {i + 1}") for i, p in enumerate(index_pages)]
    (root / "index.html").write_text(_page("Generated wiki", home), encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    return GeneratedSite(root, "/", tuple(index_pages), tuple(planned), names)
