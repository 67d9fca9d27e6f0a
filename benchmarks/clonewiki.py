"""A bigger local wiki made from ``samples/site``: its title pages cloned under new ids, listed on index pages.

``build_wiki(target, titles=500)`` copies ``samples/site`` into ``target`` and adds ``titles`` title
pages, each a copy of one of the sample's title pages with its path and id replaced (so its record
id, canonical URL and links are its own), reachable from ``/generated/`` (50 links per page, with
``rel=next`` pagination) which the home page links to. It returns the URL paths of every title page
that makes a record: the sample's and the clones.

    python -m benchmarks.clonewiki /tmp/wiki 1000 && titlecrawl serve /tmp/wiki --port 8000
"""

from __future__ import annotations

import argparse
import logging
import shutil
from pathlib import Path

logger = logging.getLogger(__name__)

SITE = Path(__file__).resolve().parents[1] / "samples" / "site"
SOURCES: tuple[tuple[str, str], ...] = (
    ("memories", "4000-1001"),
    ("hollow-bell", "4000-1005"),
    ("night-ferry", "4000-1012"),
    ("grid-wardens", "3030-90041"),
    ("outpost-nine", "3030-90040"),
    ("starfall-tactics", "3030-90001"),
    ("lantern-harbor", "4075-90260"),
    ("paper-kite-circuit", "4075-90250"),
    ("skyward-relay", "4075-90200"),
    ("skyward", "4050-90240"),
    ("the-iron-lantern", "4025-90100"),
)
"""The sample wiki's title pages that make a record (slug, type-id)."""
PER_PAGE = 50
FIRST_ID = 500_000


def _listing(number: int, links: list[tuple[str, str]], last: bool) -> str:
    items = "\n".join(f'        <li><a href="{path}">{name}</a></li>' for path, name in links)
    nxt = "" if last else f'\n      <div class="paginate"><a rel="next" href="/generated/page/{number + 1}/">Next</a></div>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Generated titles, page {number} - Anime Vice</title>
<meta property="og:site_name" content="Anime Vice"></head>
<body class="browse-page"><div id="wrapper"><div id="site-main" class="wiki-main"><div class="browse">
      <h1>Generated titles</h1>
      <ul class="editorial river">
{items}
      </ul>{nxt}
</div></div></div></body>
</html>
"""


def build_wiki(target: Path, titles: int = 500) -> list[str]:
    """Write the wiki into ``target`` (replaced); return the paths of its record-making title pages."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SITE, target)
    sources = [(slug, tid, (SITE / slug / tid / "index.html").read_text(encoding="utf-8")) for slug, tid in SOURCES]
    paths = [f"/{slug}/{tid}/" for slug, tid in SOURCES]
    links: list[tuple[str, str]] = []
    for i in range(titles):
        slug, tid, html = sources[i % len(sources)]
        type_id = tid.split("-", 1)[0]
        new_tid = f"{type_id}-{FIRST_ID + i}"
        new_slug = f"{slug}-{i}"
        page = html.replace(f"/{slug}/{tid}/", f"/{new_slug}/{new_tid}/").replace(tid, new_tid)
        out = target / new_slug / new_tid / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
        path = f"/{new_slug}/{new_tid}/"
        paths.append(path)
        links.append((path, f"{slug.replace('-', ' ').title()} {i}"))
    pages = [links[i : i + PER_PAGE] for i in range(0, len(links), PER_PAGE)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        folder = target / "generated" if number == 1 else target / "generated" / "page" / str(number)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(_listing(number, chunk, number == len(pages)), encoding="utf-8")
    home = target / "index.html"
    text = home.read_text(encoding="utf-8")
    home.write_text(text.replace('<li><a href="/titles/">A-Z</a></li>',
                                 '<li><a href="/titles/">A-Z</a></li>\n        <li><a href="/generated/">More</a></li>', 1),
                    encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("target", type=Path)
    parser.add_argument("titles", type=int, nargs="?", default=500)
    args = parser.parse_args(argv)
    paths = build_wiki(args.target, args.titles)
    print(f"wrote {args.target}: {len(paths)} title pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
