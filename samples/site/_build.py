"""Build the local sample wiki in ``samples/site/`` (run from anywhere: ``python samples/site/_build.py``).

The site is a small wiki in the Whiskey family's markup (Anime Vice / Comic Vine / Giant Bomb), made
from our reviewed samples plus pages written here, with every kind of page a crawl meets:

- the title pages of the Whiskey samples (``samples/title/{animevice,comicvine,giantbomb}-*``),
  copied verbatim to their URL path (``/memories/4000-1001/``), and a few more titles written here
  (the samples' related titles, and one reachable only through the sitemap);
- a page for every person, character, company, concept, location, franchise and platform those
  titles link to (followed by a crawl, never title records);
- a home page, an A-Z index and category pages with pagination (``/anime/page/2/``), and the
  sections the samples' menus link to;
- a redirect (``/old-memories/`` -> ``/memories/4000-1001/`` in ``_redirects``), a link to a page
  that does not exist (404), ``robots.txt`` disallowing ``/drafts/`` (linked from the home page),
  ``sitemap.xml`` and ``404.html``.

The served files are committed, so ``titlecrawl serve samples/site`` needs nothing else; rerun this
script after changing a sample (the output is deterministic); ``--check`` only reports whether the
folder is up to date. Files whose name starts with ``_``
are never served. The sitemap's ``<loc>``s are root-relative: the site is served from whatever
port is free, and titlecrawl resolves them against the sitemap's own URL.

At the end it checks the link graph as the crawler's ``whiskey`` profile sees it: every followed
link must resolve to a file, except the one deliberate 404 and the robots-disallowed ``/drafts/``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html

SITE = Path(__file__).resolve().parent
REPO = SITE.parents[1]
sys.path.insert(0, str(REPO))
from crawler.profiles import WHISKEY  # noqa: E402 - the crawler's own view of which links it follows

SAMPLES = REPO / "samples" / "title"
WHISKEY_PREFIXES = ("animevice-", "comicvine-", "giantbomb-")
PAGE_SIZE = 4
"""Entries per page of the category pages (the A-Z index has 6, people and characters 12)."""
ORIGIN = "http://localwiki.invalid"

ENTITY = re.compile(r"^/([^/]+)/(\d{4})-(\d+)/$")
BRANDS = {
    "animevice": ("Anime Vice", "https://www.animevice.com"),
    "comicvine": ("Comic Vine", "https://comicvine.gamespot.com"),
    "giantbomb": ("Giant Bomb", "https://www.giantbomb.com"),
}
ENTITY_KINDS = {
    "4040": "Person", "3040": "Person", "4005": "Character", "3005": "Character",
    "4010": "Company", "3010": "Company", "4015": "Concept", "3015": "Concept",
    "4020": "Location", "3035": "Location", "3025": "Franchise", "3045": "Platform",
    "4060": "Team", "3055": "Object", "4055": "Object",
}  # fmt: skip
MISSING_TITLE = "/lost-signal/4000-1999/"
REDIRECTS = {"/old-memories/": "/memories/4000-1001/"}
DISALLOWED = "/drafts/"


@dataclass
class Title:
    path: str
    name: str
    site: str
    category: str
    html: str = ""
    in_sitemap_only: bool = False


@dataclass
class Entity:
    path: str
    name: str
    type_id: str
    site: str
    referrers: list[str] = field(default_factory=list)


# -- titles written here (own content) ---------------------------------------------------------------
EXTRA_TITLES = [
    {
        "path": "/skyward/4050-90240/", "site": "animevice", "category": "manga", "name": "Skyward",
        "kind": "Manga", "deck": "A serialized manga about a small-town gliding club, the source of Skyward Relay.",
        "story": [
            "Skyward follows three high-school students who rebuild a wrecked training glider and enter it in a "
            "regional relay, where each leg is flown by a different member of the club.",
            "The manga ran for six volumes and ends with the club's first complete relay.",
        ],
        "rows": [("Name", "Skyward"), ("Release Date", "Apr. 2, 2019"), ("Volumes", "6")],
        "credits": [("/taro-kiyosu/4040-90224/", "Taro Kiyosu", "Writer")],
        "relations": [("Franchise", [("/skyward-relay/4075-90200/", "Skyward Relay")])],
    },
    {
        "path": "/paper-kite-circuit/4075-90250/", "site": "animevice", "category": "anime",
        "name": "Paper Kite Circuit",
        "kind": "TV Series", "deck": "Kite fighters from rival harbor towns meet in a season-long tournament.",
        "story": [
            "Two harbor towns settle their old feud once a year with a kite-fighting circuit. This year the "
            "youngest flyer on either side builds her kites from shop receipts and borrowed string.",
        ],
        "rows": [("Name", "Paper Kite Circuit"), ("Release Date", "Oct. 5, 2021"), ("Episodes", "12"),
                 ("Runtime", "24 (mins)")],
        "credits": [("/aoi-tanabe/4040-90211/", "Aoi Tanabe", "Director")],
        "relations": [("Similar", [("/skyward-relay/4075-90200/", "Skyward Relay")])],
    },
    {
        "path": "/outpost-nine/3030-90040/", "site": "giantbomb", "category": "games", "name": "Outpost Nine",
        "kind": "Game", "deck": "A base-building strategy game set on a frozen mining moon.",
        "story": [
            "Players run a mining outpost through a long winter, trading ore for supplies and deciding which "
            "modules to keep heated when the power runs short.",
        ],
        "rows": [("Name", "Outpost Nine"), ("Release Date", "Mar. 14, 2024"), ("Platform", "PC")],
        "credits": [],
        "relations": [("Similar Games", [("/starfall-tactics/3030-90001/", "Starfall Tactics")])],
    },
    {
        "path": "/grid-wardens/3030-90041/", "site": "giantbomb", "category": "games", "name": "Grid Wardens",
        "kind": "Game", "deck": "Turn-based tactics on a city's failing power grid.",
        "story": [
            "A crew of line workers keeps a storm-struck city lit, one substation at a time, while rival crews "
            "reroute the power for themselves.",
        ],
        "rows": [("Name", "Grid Wardens"), ("Release Date", "Sep. 30, 2025"), ("Platform", "PC")],
        "credits": [],
        "relations": [("Similar Games", [("/starfall-tactics/3030-90001/", "Starfall Tactics")])],
    },
    {
        "path": "/lantern-harbor/4075-90260/", "site": "animevice", "category": "anime", "name": "Lantern Harbor",
        "kind": "TV Series", "deck": "A lighthouse keeper's apprentice logs the ships that never reach port.",
        "story": [
            "On a foggy island the last lighthouse still keeps a paper logbook. Its new apprentice starts to "
            "notice entries for ships that no harbor has heard of.",
            "Each episode follows one entry in the logbook to its end.",
        ],
        "rows": [("Name", "Lantern Harbor"), ("Release Date", "Jan. 9, 2023"), ("Episodes", "10"),
                 ("Runtime", "23 (mins)"), ("Rating", "PG-13")],
        "credits": [("/aoi-tanabe/4040-90211/", "Aoi Tanabe", "Series Composition"),
                    ("/yoko-kanno/4040-109/", "Yoko Kanno", "Music")],
        "relations": [],
    },
    {
        "path": "/hollow-bell/4000-1005/", "site": "animevice", "category": "anime", "name": "Hollow Bell",
        "kind": "Movie", "deck": "A bell founder's daughter casts one last bell for a flooded temple.",
        "story": [
            "When the valley is dammed, the temple's bell is to be melted down. The founder's daughter decides "
            "to cast a new one that can be heard from under the water.",
        ],
        "rows": [("Name", "Hollow Bell"), ("Release Date", "Aug. 11, 2017"), ("Runtime", "96 (mins)"),
                 ("Rating", "PG")],
        "credits": [("/koji-morimoto/4040-104/", "Koji Morimoto", "Director")],
        "relations": [("Similar", [("/memories/4000-1001/", "Memories")])],
    },
    {
        "path": "/night-ferry/4000-1012/", "site": "animevice", "category": "anime", "name": "Night Ferry",
        "kind": "Movie", "deck": "The last crossing of a river ferry, told by its passengers. (Listed only in the "
        "sitemap.)",
        "story": ["Seven passengers share the final night crossing before a bridge replaces the ferry."],
        "rows": [("Name", "Night Ferry"), ("Release Date", "Nov. 3, 2020"), ("Runtime", "88 (mins)")],
        "credits": [("/satoshi-kon/4040-108/", "Satoshi Kon", "Writer")],
        "relations": [],
        "sitemap_only": True,
    },
]  # fmt: skip


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def chrome(site: str, title: str, body: str, *, canonical: str | None = None, body_class: str = "") -> str:
    """A page in the site's frame: header menu, footer, canonical link."""
    brand, host = BRANDS[site]
    canon = f'\n  <link rel="canonical" href="{esc(host + canonical)}">' if canonical else ""
    og = f'\n  <meta property="og:url" content="{esc(host + canonical)}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{esc(title)} - {brand}</title>
  <meta property="og:site_name" content="{brand}">{og}{canon}
</head>
<body class="{body_class}">
<div id="wrapper">
  <header id="site-header" class="site-header">
    <a class="site-logo" href="/">{brand}</a>
    <nav class="site-nav">
      <ul>
        <li><a href="/titles/">A-Z</a></li>
        <li><a href="/anime/">Anime</a></li>
        <li><a href="/manga/">Manga</a></li>
        <li><a href="/movies/">Movies</a></li>
        <li><a href="/games/">Games</a></li>
        <li><a href="/characters/">Characters</a></li>
        <li><a href="/people/">People</a></li>
        <li><a href="/forums/">Forums</a></li>
      </ul>
    </nav>
  </header>
  <div id="site-main" class="wiki-main">
{body}
  </div>
  <footer id="site-footer" class="site-footer">
    <div class="footer-network">
      <h4>Network</h4>
      <ul>
        <li><a href="https://www.giantbomb.com/">Giant Bomb</a></li>
        <li><a href="https://www.comicvine.com/">Comic Vine</a></li>
      </ul>
    </div>
    <p class="legal">A local sample wiki for titlecrawl. <a href="/terms-of-use/">Terms of Use</a> |
      <a href="/privacy-policy/">Privacy Policy</a></p>
  </footer>
</div>
</body>
</html>
"""


def render_title(spec: dict[str, object]) -> str:
    path, name, site = str(spec["path"]), str(spec["name"]), str(spec["site"])
    story = "\n".join(f"          <p>{esc(p)}</p>" for p in spec["story"])  # type: ignore[attr-defined]
    rows = "\n".join(
        f'            <tr><th>{esc(label)}</th><td><div class="wiki-item-display"><span>{esc(value)}</span>'
        f"</div></td></tr>"
        for label, value in [*([("Type", str(spec["kind"]))] if spec["kind"] else []), *spec["rows"]]  # type: ignore[misc]
    )
    credits = "\n".join(
        f'          <li class="credit-item"><a class="credit-person" href="{href}">{esc(who)}</a> '
        f'<span class="credit-role">{esc(role)}</span></li>'
        for href, who, role in spec["credits"]  # type: ignore[attr-defined]
    )
    credit_block = (
        f'      <section class="wiki-credits">\n        <h2>Credits</h2>\n        <ul class="credit-list">\n'
        f"{credits}\n        </ul>\n      </section>\n"
        if credits
        else ""
    )
    relations = ""
    for heading, items in spec["relations"]:  # type: ignore[attr-defined]
        lis = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in items)
        relations += (
            f'      <div class="wiki-details-object">\n        <h3>{esc(heading)}</h3>\n'
            f'        <ul class="wiki-relation">{lis}</ul>\n      </div>\n'
        )
    body = f"""    <div class="wiki-hdr">
      <h1 class="entry-title"><a class="wiki-title" href="{path}">{esc(name)}</a></h1>
      <p class="wiki-descriptor">{esc(str(spec["deck"]))}</p>
    </div>
    <nav class="sub-nav"><ul><li class="on"><a href="{path}">Overview</a></li>
      <li><a href="{path}forums/">Forums</a></li></ul></nav>
    <div class="primary-content">
      <section class="wiki-overview">
        <div class="wiki-item-display js-toc-content" data-field="description">
{story}
        </div>
      </section>
{credit_block}    </div>
    <aside class="secondary-content">
      <div class="wiki-details">
        <h3>General Information</h3>
        <table class="table">
          <tbody>
{rows}
          </tbody>
        </table>
      </div>
{relations}    </aside>"""
    return chrome(site, name, body, canonical=path, body_class="wiki-page")


def render_entity(entity: Entity, titles: dict[str, Title]) -> str:
    kind = ENTITY_KINDS.get(entity.type_id, "Thing")
    rows = [("Name", entity.name)]
    if kind == "Person":
        rows.append(("Gender", "Unknown"))
    refs = "".join(
        f'<li><a href="{ref}">{esc(titles[ref].name)}</a></li>' for ref in entity.referrers if ref in titles
    )
    heading = {"Person": "Credits", "Character": "Appearances"}.get(kind, "Titles")
    table = "".join(f"<tr><th>{esc(a)}</th><td>{esc(b)}</td></tr>" for a, b in rows)
    body = f"""    <div class="wiki-hdr">
      <h1 class="entry-title"><a class="wiki-title" href="{entity.path}">{esc(entity.name)}</a></h1>
      <p class="wiki-descriptor">{esc(kind)} in this wiki's titles.</p>
    </div>
    <aside class="secondary-content">
      <div class="wiki-details"><h3>General Information</h3><table class="table"><tbody>{table}</tbody></table></div>
      <div class="wiki-details-object"><h3>{heading}</h3><ul class="wiki-relation">{refs}</ul></div>
    </aside>"""
    return chrome(entity.site, f"{entity.name} ({kind})", body, canonical=entity.path,
                  body_class=f"wiki-page wiki-{entity.type_id}")


def render_listing(heading: str, intro: str, links: list[tuple[str, str]], *, prev: str | None = None,
                   nxt: str | None = None, extra: str = "") -> str:
    items = "\n".join(f'        <li><a href="{href}">{esc(text)}</a></li>' for href, text in links)
    pager = ""
    if prev or nxt:
        parts = []
        if prev:
            parts.append(f'<a rel="prev" href="{prev}">Previous</a>')
        if nxt:
            parts.append(f'<a rel="next" href="{nxt}">Next</a>')
        pager = f'\n      <div class="paginate">{" ".join(parts)}</div>'
    body = f"""    <div class="browse">
      <h1>{esc(heading)}</h1>
      <p>{esc(intro)}</p>
      <ul class="editorial river">
{items}
      </ul>{pager}
{extra}    </div>"""
    return chrome("animevice", heading, body, body_class="browse-page")


def paginate(base: str, heading: str, intro: str, links: list[tuple[str, str]], *,
             extra: str = "", size: int = PAGE_SIZE) -> dict[str, str]:
    pages = [links[i : i + size] for i in range(0, len(links), size)] or [[]]
    out = {}
    for n, chunk in enumerate(pages, 1):
        path = base if n == 1 else f"{base}page/{n}/"
        prev = None if n == 1 else (base if n == 2 else f"{base}page/{n - 1}/")
        nxt = f"{base}page/{n + 1}/" if n < len(pages) else None
        title = heading if n == 1 else f"{heading} (page {n})"
        out[path] = render_listing(title, intro, chunk, prev=prev, nxt=nxt, extra=extra if n == 1 else "")
    return out


# -- reading the samples ---------------------------------------------------------------------------
def sample_titles() -> list[Title]:
    out = []
    for folder in sorted(SAMPLES.iterdir()):
        if not folder.name.startswith(WHISKEY_PREFIXES) or not (folder / "page.html").is_file():
            continue
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        path = urlsplit(meta["url"]).path
        page = (folder / "page.html").read_text(encoding="utf-8")
        root = lxml.html.fromstring(page)
        name = " ".join(root.xpath("string(//h1//a[contains(@class,'wiki-title')])").split()) or folder.name
        site = folder.name.split("-", 1)[0]
        type_id = ENTITY.match(path).group(2)  # type: ignore[union-attr]
        category = {"giantbomb": "games"}.get(site) or ("movies" if type_id == "4025" else "anime")
        out.append(Title(path=path, name=name, site=site, category=category, html=page))
    return out


def page_links(page: str) -> list[tuple[str, str]]:
    """(root-relative path, link text) of every on-site link of a page."""
    root = lxml.html.fromstring(page)
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        absolute = urljoin(ORIGIN + "/", href)
        if not absolute.startswith(ORIGIN + "/"):
            continue
        out.append((urlsplit(absolute).path, " ".join(a.text_content().split())))
    return out


# -- building ----------------------------------------------------------------------------------------
def build() -> dict[str, str]:
    """Every served file: path -> text."""
    titles: dict[str, Title] = {t.path: t for t in sample_titles()}
    for spec in EXTRA_TITLES:
        t = Title(path=str(spec["path"]), name=str(spec["name"]), site=str(spec["site"]),
                  category=str(spec["category"]), html=render_title(spec),
                  in_sitemap_only=bool(spec.get("sitemap_only")))
        titles.setdefault(t.path, t)
    for t in list(titles.values()):  # a related title no sample or spec covers: a short stub page
        for path, text in page_links(t.html):
            m = ENTITY.match(path)
            if m and m.group(2) not in ENTITY_KINDS and path not in titles and path != MISSING_TITLE:
                spec = {"path": path, "site": t.site, "category": t.category, "name": text or m.group(1),
                        "kind": "", "deck": f"A title related to {t.name}.", "story": [f"Related to {t.name}."],
                        "rows": [("Name", text or m.group(1))], "credits": [],
                        "relations": [("Similar", [(t.path, t.name)])]}
                titles[path] = Title(path=path, name=str(spec["name"]), site=t.site, category=t.category,
                                     html=render_title(spec))
    entities: dict[str, Entity] = {}
    sections: set[str] = set()
    for t in titles.values():
        for path, text in page_links(t.html):
            m = ENTITY.match(path)
            if m and m.group(2) in ENTITY_KINDS:
                ent = entities.setdefault(path, Entity(path, text or m.group(1).replace("-", " ").title(),
                                                       m.group(2), t.site))
                if t.path not in ent.referrers:
                    ent.referrers.append(t.path)
            elif re.fullmatch(r"/[a-z0-9-]+/", path):
                sections.add(path)
    files: dict[str, str] = {}
    for t in titles.values():
        files[t.path] = t.html
    for e in entities.values():
        files[e.path] = render_entity(e, titles)

    listed = sorted((t for t in titles.values() if not t.in_sitemap_only), key=lambda t: t.name.lower())
    az = [(t.path, t.name) for t in listed]
    az.insert(len(az) // 2, (MISSING_TITLE, "Lost Signal"))  # a title page that was deleted: 404
    files.update(paginate("/titles/", "Titles A-Z", "Every title in the wiki, alphabetically.", az, size=6))
    categories = {
        "/anime/": ("Anime", "anime"), "/manga/": ("Manga", "manga"), "/movies/": ("Movies", "movies"),
        "/games/": ("Games", "games"),
    }
    for base, (heading, cat) in categories.items():
        links = [(t.path, t.name) for t in listed if t.category == cat]
        files.update(paginate(base, heading, f"{heading} in the wiki.", links))
    people = sorted((e for e in entities.values() if ENTITY_KINDS[e.type_id] == "Person"), key=lambda e: e.name)
    chars = sorted((e for e in entities.values() if ENTITY_KINDS[e.type_id] == "Character"), key=lambda e: e.name)
    files.update(paginate("/people/", "People", "People credited in the wiki's titles.",
                          [(e.path, e.name) for e in people], size=12))
    files.update(paginate("/characters/", "Characters", "Characters of the wiki's titles.",
                          [(e.path, e.name) for e in chars], size=12))
    followed = {p for p in sections if WHISKEY.classify(ORIGIN + p).kind != "skip"}
    for section in sorted(followed - set(files) - {"/"}):
        name = section.strip("/").replace("-", " ").title()
        files[section] = render_listing(name, f"The {name} page of the sample wiki.", [("/", "Home")])
    featured = [(t.path, t.name) for t in listed[:6]]
    home_extra = (
        '      <div class="module">\n        <h3>Around the wiki</h3>\n        <ul>\n'
        '          <li><a href="/old-memories/">Memories (an old link that redirects)</a></li>\n'
        f'          <li><a href="{DISALLOWED}">Drafts (closed to crawlers by robots.txt)</a></li>\n'
        '          <li><a href="/titles/">All titles A-Z</a></li>\n'
        "        </ul>\n      </div>\n"
    )
    files["/"] = render_listing("Welcome to the sample wiki", "Recently edited titles.", featured, extra=home_extra)
    files[DISALLOWED] = render_listing("Drafts", "Unfinished pages.", [("/untitled-draft/4000-1900/", "Untitled")])
    files["/404.html"] = render_listing("Page not found", "There is no page at this address.", [("/", "Home")])
    files["/robots.txt"] = (
        "# The sample wiki's robots.txt: crawlers keep out of the drafts.\n"
        "User-agent: *\n"
        f"Disallow: {DISALLOWED}\n"
    )
    files["/_redirects"] = "".join(f"{src} {dst} 301\n" for src, dst in REDIRECTS.items())
    sitemap_urls = [t.path for t in sorted(titles.values(), key=lambda t: t.path)] + ["/titles/"]
    files["/sitemap.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(f"  <url><loc>{esc(u)}</loc></url>\n" for u in sitemap_urls)
        + "</urlset>\n"
    )
    return files


def file_for(path: str) -> Path:
    rel = path.lstrip("/")
    if not rel or rel.endswith("/"):
        rel += "index.html"
    return SITE / rel


def write(files: dict[str, str]) -> None:
    keep = {SITE / "_build.py"}
    for child in SITE.iterdir():
        if child not in keep:
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for path, text in sorted(files.items()):
        target = file_for(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def check(files: dict[str, str]) -> list[str]:
    """Walk the site as the whiskey profile does; return problems (dead links other than the deliberate one)."""
    problems = []
    start = ["/", *re.findall(r"<loc>([^<]+)</loc>", files["/sitemap.xml"])]
    seen: set[str] = set()
    queue = list(start)
    kinds: dict[str, int] = {}
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if path.startswith(DISALLOWED):
            kinds["robots-disallowed"] = kinds.get("robots-disallowed", 0) + 1
            continue
        target = REDIRECTS.get(path, path)
        if target != path:
            kinds["redirect"] = kinds.get("redirect", 0) + 1
            queue.append(target)
            continue
        if path not in files:
            kinds["missing (404)"] = kinds.get("missing (404)", 0) + 1
            if path != MISSING_TITLE:
                problems.append(f"dead link: {path}")
            continue
        decision = WHISKEY.classify(ORIGIN + path)
        label = "title" if decision.kind == "title" else decision.reason
        kinds[label] = kinds.get(label, 0) + 1
        for link, _text in page_links(files[path]):
            if WHISKEY.classify(ORIGIN + link).kind != "skip" and link not in seen:
                queue.append(link)
    print(f"{len(seen)} URLs reachable: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    return problems


def stale(files: dict[str, str]) -> list[str]:
    """Differences between what would be built and what is in the folder."""
    on_disk = {
        "/" + p.relative_to(SITE).as_posix().removesuffix("index.html"): p
        for p in SITE.rglob("*")
        if p.is_file() and p.name != "_build.py"
    }
    wanted = {path if not path.endswith("/") else path: text for path, text in files.items()}
    diffs = [f"missing: {p}" for p in sorted(set(wanted) - set(on_disk))]
    diffs += [f"not built by _build.py: {p}" for p in sorted(set(on_disk) - set(wanted))]
    diffs += [f"differs: {p}" for p in sorted(set(wanted) & set(on_disk))
              if on_disk[p].read_text(encoding="utf-8") != wanted[p]]
    return diffs


def main() -> int:
    files = build()
    if "--check" in sys.argv[1:]:
        diffs = stale(files)
        for diff in diffs:
            print(diff, file=sys.stderr)
        if diffs:
            print("samples/site is out of date: run python samples/site/_build.py", file=sys.stderr)
        return 1 if diffs or check(files) else 0
    write(files)
    problems = check(files)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"wrote {len(files)} files to {SITE}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
