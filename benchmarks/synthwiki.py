"""A synthetic wiki of N title pages in the real families' markup, deterministic by seed.

    .venv/bin/python benchmarks/synthwiki.py write DIR [--pages 10000] [--seed 1]   # a folder of files
    .venv/bin/python benchmarks/synthwiki.py check [--pages 200]                    # extract and verify

Every title page is made from one of our sample pages (``samples/title/*/page.html``): two thirds
from the seed family (Anime Vice, Comic Vine, Giant Bomb), a sixth MediaWiki (Wikipedia, Fandom), the
rest MyAnimeList, AniDB, ANN, aniSearch, Anime-Planet, IMDb and generic fan sites. Each page gets its
own id (in its URL and wherever the sample's id appears), its own title, credited people and a first
synopsis sentence, so every page extracts to a distinct record. Real pages weigh 50-300 KB, most of it
navigation, inline scripts and styles: each page is padded with such boilerplate up to a size drawn
between 60 and 300 KB (mean about 190 KB). The sample's own links are made absolute on the real host,
so a crawl of the synthetic wiki never follows them (they are off-site) and never contacts them.

Discovery: ``/`` links to ``/titles/page-K/`` index pages of 100 titles each; ``/robots.txt`` closes
``/search`` and names ``/sitemap.xml``, a sitemap index of ``/sitemaps/titles-K.xml`` sitemaps (at most
50,000 title pages each, the protocol's limit), every URL with its ``<lastmod>``, as real wikis publish
them (Giant Bomb, Comic Vine, Fandom). ``SynthWiki(pages, seed).get(path)`` renders any page on the fly (what
``benchmarks/synthserver.py`` serves); ``write(DIR)`` lays the same site out as files.
Crawl it with ``--profile generic``: every page is extracted and the registry picks each page's family
from its markup, as for pages of a site it does not know.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "samples" / "title"
PER_INDEX = 100
VERSION = 1
"""Bumped when the generator's output changes (part of every ETag)."""
LAST_MODIFIED = "Sun, 01 Nov 2026 12:00:00 GMT"
LASTMOD = "2026-11-01T12:00:00+00:00"
"""``LAST_MODIFIED`` as a sitemap ``<lastmod>``: no page changed since."""
SITEMAP_URLS = 50_000
"""URLs per sitemap file (the sitemap protocol's limit)."""
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MIN_KB, MAX_KB, MODE_KB = 60, 300, 220

# (sample, group, weight, URL path, replacements (old -> new, formatted with n, slug, uslug, title))
_SPECS: tuple[tuple[str, str, float, str, tuple[tuple[str, str], ...]], ...] = (
    ("animevice-memories", "whiskey", 3.0, "/{slug}/4000-{n}/",
     (("/memories/4000-1001", "/{slug}/4000-{n}"), ("4000-1001", "4000-{n}"))),
    ("animevice-skyward-relay", "whiskey", 3.0, "/{slug}/4075-{n}/",
     (("/skyward-relay/4075-90200", "/{slug}/4075-{n}"), ("4075-90200", "4075-{n}"))),
    ("comicvine-the-iron-lantern", "whiskey", 3.0, "/{slug}/4025-{n}/",
     (("/the-iron-lantern/4025-90100", "/{slug}/4025-{n}"), ("4025-90100", "4025-{n}"))),
    ("giantbomb-starfall-tactics", "whiskey", 3.0, "/{slug}/3030-{n}/",
     (("/starfall-tactics/3030-90001", "/{slug}/3030-{n}"), ("3030-90001", "3030-{n}"))),
    ("wikipedia-harbor-lights-film", "mediawiki", 1.0, "/wiki/{uslug}_(film)",
     (("Harbor_Lights_(2019_film)", "{uslug}_(film)"),)),
    ("wikipedia-tidebound-anime", "mediawiki", 1.0, "/wiki/{uslug}_(TV_series)",
     (("Tidebound_(TV_series)", "{uslug}_(TV_series)"),)),
    ("fandom-ember-trail-game", "mediawiki", 1.0, "/wiki/{uslug}", (("Ember_Trail", "{uslug}"),)),
    ("anidb-kiri-no-toshokan-tv", "other", 0.3, "/anime/{n}", (("99001", "{n}"),)),
    ("animeplanet-harbor-of-stars", "other", 0.3, "/anime/{slug}", (("harbor-of-stars", "{slug}"),)),
    ("anisearch-iron-tide-ova-2021", "other", 0.2, "/anime/{n},{slug}",
     (("15520,iron-tide", "{n},{slug}"), ("15520", "{n}"))),
    ("anisearch-lanterns-of-amberfall", "other", 0.2, "/anime/{n},{slug}",
     (("21874,lanterns-of-amberfall", "{n},{slug}"), ("21874", "{n}"))),
    ("ann-aozora-yuubinkyoku-tv", "other", 0.3, "/encyclopedia/anime/{n}", (("99901", "{n}"),)),
    ("imdb-ferrymans-lantern-2014", "other", 0.2, "/title/tt{n}/", (("tt1900123", "tt{n}"),)),
    ("imdb-harbor-of-stars-2024", "other", 0.2, "/title/tt{n}/", (("tt10770450", "tt{n}"),)),
    ("myanimelist-hoshikuzu-ressha-film-2024", "other", 0.2, "/anime/{n}/{uslug}",
     (("90100/Hoshikuzu_Ressha", "{n}/{uslug}"), ("90100", "{n}"))),
    ("myanimelist-kaze-no-tsugi-no-eki-tv", "other", 0.2, "/anime/{n}/{uslug}",
     (("90001/Kaze_no_Tsugi_no_Eki", "{n}/{uslug}"), ("90001", "{n}"))),
    ("generic-dtdd-fansite", "other", 0.1, "/films/{slug}.html", (("lantern-city", "{slug}"),)),
    ("generic-jsonld-ja", "other", 0.1, "/movie/{n}/", (("12345", "{n}"),)),
    ("generic-label-lines-de", "other", 0.1, "/filme/{slug}", (("der-leuchtturmwaerter", "{slug}"),)),
)  # fmt: skip

def _words(text: str) -> list[str]:
    return text.split()


_ADJ = _words(
    "Amber Azure Broken Crimson Distant Ember Faded Gilded Hidden Hollow Iron Last Lunar Midnight Neon "
    "Northern Pale Quiet Rusted Scarlet Silent Silver Sunken Twin Velvet Wandering White Wild Winter Golden "
    "Drifting Burning Frozen Gentle Hungry Lost Paper Restless Secret Stray"
)
_NOUN = _words(
    "Harbor Lantern Relay Signal Tide Archive Atlas Beacon Bridge Circuit Comet Compass Crown Engine Ferry "
    "Garden Horizon Kingdom Lighthouse Machine Meridian Orchard Outpost Parade Railway River Station "
    "Tower Voyage Wardens Whisper Academy Carnival Frontier Garrison Labyrinth Observatory Orbit Pilgrim"
)
_PLACE = _words(
    "Amberfall Kurose Veyra Takane Carrow Halden Islay Marrow Nightfall Oakridge Pellow Quarry Rainmoor "
    "Saltmarsh Tessaly Umber Vantor Westreach Yarrow Zephyr Aldmere Brightwater Coldharbor Dunmore Eastvale "
    "Fenwick Glasswell Highmoor Ironvale Juniper Kestrel Lowtide Mistral Northgate Oldport Pinecrest"
)
_GIVEN = _words(
    "Aki Ren Hana Daichi Mei Sho Yuki Taro Kenji Aoi Jun Mara Nell Silas Tobias Ada Sol Marcus Jessica "
    "Hiro Naoko Emi Kaito Rin Saki Tomo Yuna Haru Ilse Otto Clara Felix Ines Lukas"
)
_FAMILY = _words(
    "Tanabe Mori Mizuki Sakura Nakada Arata Kiyosu Oda Miyake Quill Carrow Greywater Wren Finch Benning "
    "Hale Lowell Kagami Okamura Kawasaki Nagashima Morimoto Ando Watanabe Kanno Ibara Rhee Dobbs Vesta "
    "Hollis Brandt Keller Moreau Lindqvist"
)
_SENTENCE_PARTS = (
    ("A retired", "A young", "An exiled", "A stubborn", "A runaway", "An old", "A nervous", "A gifted"),
    ("cartographer", "ferry pilot", "lighthouse keeper", "courier", "mechanic", "librarian", "archivist", "medic"),
    ("finds", "loses", "inherits", "steals", "repairs", "chases", "guards", "forgets"),
    ("a map", "a signal", "a key", "a train ticket", "a song", "a letter", "a compass", "a lantern"),
    ("that leads to", "that belongs to", "hidden in", "promised to", "stolen from", "meant for"),
)
_WORDS = _words(
    "account archive banner cache cookie consent display editor footer gallery header layout "
    "locale menu module network profile promo region render schema search session sidebar slot "
    "snippet social sponsor stream theme tracker user video widget wiki"
)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class Template:
    """A sample page prepared for variation."""

    name: str
    group: str
    weight: float
    path: str
    replacements: tuple[tuple[str, str], ...]
    html: str
    host: str
    title: str
    persons: tuple[str, ...]
    synopsis_head: str | None
    family: str


_HREF = re.compile(r'href="([^"]*)"')


def _absolute_links(text: str, base: str) -> str:
    """Every relative link made absolute on the sample's real host (off-site for the synthetic wiki)."""

    def fix(m: re.Match[str]) -> str:
        href = html.unescape(m.group(1))
        if not href or href.startswith(("#", "http://", "https://", "mailto:", "javascript:")):
            return m.group(0)
        return f'href="{html.escape(urljoin(base, href), quote=True)}"'

    return _HREF.sub(fix, text)


def load_templates(samples: Path = SAMPLES) -> tuple[Template, ...]:
    out = []
    for name, group, weight, path, replacements in _SPECS:
        folder = samples / name
        raw = (folder / "page.html").read_bytes().decode("utf-8")
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        url = str(expected["url"])
        persons = tuple(dict.fromkeys(
            str(c["person"]) for c in expected.get("credits") or () if c.get("person") and len(c["person"]) > 4
        ))  # fmt: skip
        synopsis = str(expected.get("synopsis") or "")
        head = synopsis.split("\n", 1)[0][:40]
        out.append(
            Template(
                name=name, group=group, weight=weight, path=path, replacements=replacements,
                html=_absolute_links(raw, url), host=urlsplit(url).hostname or "example.org",
                title=str(expected["title"]), persons=persons,
                synopsis_head=head if len(head) >= 20 and head in raw else None,
                family=str(expected["extractor"]),
            )
        )  # fmt: skip
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PagePlan:
    """Everything that tells one title page apart."""

    index: int
    template: Template
    number: int
    title: str
    size: int
    """Target size in bytes."""

    @property
    def path(self) -> str:
        return self.template.path.format(**self.fields)

    @property
    def fields(self) -> dict[str, object]:
        return {"n": self.number, "slug": _slug(self.title), "uslug": self.title.replace(" ", "_"),
                "title": self.title}  # fmt: skip


class SynthWiki:
    """The synthetic wiki: ``pages`` title pages plus the home page, index pages and robots.txt."""

    def __init__(self, pages: int = 10_000, seed: int = 1, samples: Path = SAMPLES,
                 sitemap_urls: int = SITEMAP_URLS) -> None:  # fmt: skip
        if pages < 1:
            raise ValueError("pages must be at least 1")
        if not 1 <= sitemap_urls <= SITEMAP_URLS:
            raise ValueError(f"sitemap_urls must be between 1 and {SITEMAP_URLS}")
        self.pages = pages
        self.seed = seed
        self.sitemap_urls = sitemap_urls
        self.templates = load_templates(samples)
        rng = random.Random(f"synthwiki:{seed}")
        self._adj, self._noun, self._place = ([*_ADJ], [*_NOUN], [*_PLACE])
        for words in (self._adj, self._noun, self._place):
            rng.shuffle(words)
        self._weights = [t.weight for t in self.templates]
        self._chunks = self._boilerplate(rng)

    # -- plans --------------------------------------------------------------------------
    def title_of(self, i: int) -> str:
        """A title unique to page ``i`` (mixed radix over three shuffled word lists)."""
        a, rest = i % len(self._adj), i // len(self._adj)
        b, rest = rest % len(self._noun), rest // len(self._noun)
        c, rest = rest % len(self._place), rest // len(self._place)
        title = f"{self._adj[a]} {self._noun[b]} of {self._place[c]}"
        return f"{title} {rest + 1}" if rest else title

    def plan(self, i: int) -> PagePlan:
        rng = random.Random(f"{self.seed}:{i}")
        template = rng.choices(self.templates, weights=self._weights)[0]
        size = int(rng.triangular(MIN_KB, MAX_KB, MODE_KB) * 1024)
        return PagePlan(index=i, template=template, number=1_000_000 + i, title=self.title_of(i), size=size)

    @cached_property
    def paths(self) -> dict[str, int]:
        """URL path -> page index of every title page."""
        return {self.plan(i).path: i for i in range(self.pages)}

    @property
    def index_pages(self) -> int:
        return (self.pages + PER_INDEX - 1) // PER_INDEX

    def etag(self, path: str) -> str:
        digest = hashlib.blake2b(f"{VERSION}:{self.seed}:{self.pages}:{path}".encode(), digest_size=8).hexdigest()
        return f'"{digest}"'

    # -- rendering ----------------------------------------------------------------------
    @property
    def sitemaps(self) -> int:
        return (self.pages + self.sitemap_urls - 1) // self.sitemap_urls

    def get(self, path: str, host: str | None = None) -> tuple[bytes, str] | None:
        """The body and content type at a URL path, or None (404). ``host`` (``127.0.0.1:PORT``): the
        sitemaps and robots.txt's ``Sitemap:`` line give absolute URLs on it (else root-relative ones)."""
        base = f"http://{host}" if host else ""
        if path == "/robots.txt":
            return (f"User-agent: *\nDisallow: /search\nSitemap: {base}/sitemap.xml\n".encode(),
                    "text/plain; charset=utf-8")  # fmt: skip
        if path == "/sitemap.xml":
            return self.sitemap_index(base).encode(), "application/xml"
        m = re.fullmatch(r"/sitemaps/titles-(\d+)\.xml", path)
        if m and 1 <= int(m.group(1)) <= self.sitemaps:
            return self.sitemap(int(m.group(1)), base).encode(), "application/xml"
        if path == "/":
            return self.home().encode(), "text/html; charset=utf-8"
        m = re.fullmatch(r"/titles/page-(\d+)/", path)
        if m and 1 <= int(m.group(1)) <= self.index_pages:
            return self.index(int(m.group(1))).encode(), "text/html; charset=utf-8"
        i = self.paths.get(path)
        if i is None:
            return None
        return self.page(i), "text/html; charset=utf-8"

    def sitemap_index(self, base: str = "") -> str:
        entries = "".join(f"<sitemap><loc>{html.escape(base)}/sitemaps/titles-{k}.xml</loc><lastmod>{LASTMOD}</lastmod></sitemap>\n"
                          for k in range(1, self.sitemaps + 1))  # fmt: skip
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_SITEMAP_NS}">\n{entries}</sitemapindex>\n'

    def sitemap(self, k: int, base: str = "") -> str:
        """Sitemap ``k``: title pages ``(k-1)*sitemap_urls ...``, each with its lastmod."""
        start = (k - 1) * self.sitemap_urls
        entries = "".join(
            f"<url><loc>{html.escape(base + self.plan(i).path)}</loc><lastmod>{LASTMOD}</lastmod></url>\n"
            for i in range(start, min(start + self.sitemap_urls, self.pages))
        )
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_SITEMAP_NS}">\n{entries}</urlset>\n'

    def home(self) -> str:
        items = "\n".join(
            f'<li><a href="/titles/page-{k}/">Titles, page {k}</a></li>' for k in range(1, self.index_pages + 1)
        )
        return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Synthetic wiki</title></head>"
                f"<body><h1>Synthetic wiki</h1><p>{self.pages} titles.</p><ul>\n{items}\n</ul></body></html>\n")  # fmt: skip

    def index(self, k: int) -> str:
        start = (k - 1) * PER_INDEX
        rows = []
        for i in range(start, min(start + PER_INDEX, self.pages)):
            plan = self.plan(i)
            rows.append(f'<li><a href="{html.escape(plan.path)}">{html.escape(plan.title)}</a></li>')
        nxt = f'<link rel="next" href="/titles/page-{k + 1}/">' if k < self.index_pages else ""
        return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Titles, page {k}</title>{nxt}</head>"
                f"<body><h1>Titles, page {k}</h1><ul>\n" + "\n".join(rows) + "\n</ul>"
                '<p><a href="/">Home</a></p></body></html>\n')  # fmt: skip

    def page(self, i: int) -> bytes:
        plan = self.plan(i)
        t = plan.template
        rng = random.Random(f"{self.seed}:{i}:text")
        text = t.html
        fields = plan.fields
        for old, new in t.replacements:
            text = text.replace(old, new.format(**fields))
        text = text.replace(t.title, plan.title)
        escaped = html.escape(t.title)
        if escaped != t.title:
            text = text.replace(escaped, html.escape(plan.title))
        for person in t.persons:
            text = text.replace(person, f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}")
        if t.synopsis_head:
            sentence = " ".join(rng.choice(part) for part in _SENTENCE_PARTS) + f" {plan.title}."
            text = text.replace(t.synopsis_head, f"{sentence} {t.synopsis_head}", 1)
        return self._pad(text, t.host, plan.size, i).encode("utf-8")

    # -- boilerplate --------------------------------------------------------------------
    def _boilerplate(self, rng: random.Random) -> dict[str, list[str]]:
        """Chunks of head scripts/styles, navigation and footer (``{HOST}`` stands for the real host)."""
        scripts, styles, navs, footers = [], [], [], []
        for k in range(60):
            config = {f"{rng.choice(_WORDS)}_{j}": {
                "id": rng.randrange(10**9), "enabled": rng.random() < 0.5,
                "label": " ".join(rng.choice(_WORDS) for _ in range(6)),
                "targets": [rng.choice(_WORDS) for _ in range(8)],
            } for j in range(14)}  # fmt: skip
            scripts.append(f"<script>window.__site_cfg_{k} = {json.dumps(config)};</script>\n")
            rules = "".join(
                f".{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{j}{{margin:{rng.randrange(40)}px;"
                f"color:#{rng.randrange(16**6):06x};display:{rng.choice(('block', 'flex', 'none'))}}}"
                for j in range(30)
            )
            styles.append(f"<style>{rules}</style>\n")
            links = "".join(
                f'<li class="gnav-item"><a href="https://{{HOST}}/{rng.choice(_WORDS)}/{rng.choice(_WORDS)}-{j}/" '
                f'data-track="{rng.choice(_WORDS)}">{rng.choice(_WORDS).title()} {rng.choice(_WORDS)}</a></li>'
                for j in range(25)
            )
            navs.append(f'<div class="gnav-col"><h4>{rng.choice(_WORDS).title()}</h4><ul>{links}</ul></div>\n')
            cols = "".join(
                f'<li><a href="https://{{HOST}}/{rng.choice(_WORDS)}/">{rng.choice(_WORDS).title()}</a> '
                f"<span>{' '.join(rng.choice(_WORDS) for _ in range(5))}</span></li>"
                for _ in range(20)
            )
            footers.append(f'<div class="gfoot-col"><ul>{cols}</ul></div>\n')
        return {"head": [s for pair in zip(scripts, styles, strict=True) for s in pair], "nav": navs, "foot": footers}

    def _pad(self, text: str, host: str, size: int, i: int) -> str:
        missing = size - len(text)
        if missing <= 0:
            return text
        parts: dict[str, list[str]] = {}
        for name, share in (("head", 0.55), ("nav", 0.25), ("foot", 0.20)):
            chunks = self._chunks[name]
            budget = missing * share
            picked: list[str] = []
            k = i  # start at a page-dependent chunk: pages differ in their boilerplate too
            while budget > 0:
                chunk = chunks[k % len(chunks)]
                picked.append(chunk)
                budget -= len(chunk)
                k += 1
            parts[name] = picked
        head = "".join(parts["head"])
        nav = ('<nav class="gnav" role="navigation">' + "".join(parts["nav"]) + "</nav>\n").replace("{HOST}", host)
        foot = ('<footer class="gfoot">' + "".join(parts["foot"]) + "</footer>\n").replace("{HOST}", host)
        text = text.replace("</head>", head + "</head>", 1) if "</head>" in text else head + text
        m = re.search(r"<body[^>]*>", text)
        text = text[: m.end()] + nav + text[m.end() :] if m else nav + text
        at = text.rfind("</body>")
        return text[:at] + foot + text[at:] if at >= 0 else text + foot

    # -- files --------------------------------------------------------------------------
    def urls(self, base: str) -> list[str]:
        return [urljoin(base, self.plan(i).path) for i in range(self.pages)]

    def write(self, folder: Path) -> int:
        """Lay the site out as files (``/a/b/`` -> ``a/b/index.html``); return the bytes written."""
        total = 0
        paths = ["/", "/robots.txt", "/sitemap.xml", *(f"/sitemaps/titles-{k}.xml" for k in range(1, self.sitemaps + 1)),
                 *(f"/titles/page-{k}/" for k in range(1, self.index_pages + 1)), *self.paths]  # fmt: skip
        for path in paths:
            found = self.get(path)
            if found is None:
                continue
            target = folder / path.lstrip("/")
            if path.endswith("/"):
                target = target / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(found[0])
            total += len(found[0])
        return total


def check(wiki: SynthWiki, count: int) -> list[str]:
    """Extract ``count`` pages: each must come out of its sample's family with its own record id and title."""
    from extractors import extract_title

    problems = []
    seen: dict[str, int] = {}
    for i in range(min(count, wiki.pages)):
        plan = wiki.plan(i)
        record = extract_title(wiki.page(i), "http://127.0.0.1:8000" + plan.path)
        if record.extractor != plan.template.family:
            problems.append(f"page {i} ({plan.template.name}): extracted by {record.extractor}")
        if record.status not in ("ok", "partial"):
            problems.append(f"page {i} ({plan.template.name}): {record.status}")
        if record.record_id in seen:
            problems.append(f"page {i} ({plan.template.name}): record id {record.record_id} of page {seen[record.record_id]}")
        seen[record.record_id] = i
        if record.title != plan.title:
            problems.append(f"page {i} ({plan.template.name}): title {record.title!r}, not {plan.title!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="write the site to a folder")
    w.add_argument("folder", type=Path)
    c = sub.add_parser("check", help="extract pages and check they are distinct records of the right family")
    for p in (w, c):
        p.add_argument("--pages", type=int, default=10_000)
        p.add_argument("--seed", type=int, default=1)
    c.add_argument("--count", type=int, default=200)
    args = parser.parse_args(argv)
    wiki = SynthWiki(args.pages, args.seed)
    started = time.perf_counter()
    if args.command == "write":
        total = wiki.write(args.folder)
        print(f"{wiki.pages} title pages, {wiki.index_pages} index pages, {total / 1e6:.0f} MB "
              f"in {time.perf_counter() - started:.1f} s -> {args.folder}")  # fmt: skip
        return 0
    problems = check(wiki, args.count)
    for line in problems:
        print(line)
    print(f"checked {min(args.count, wiki.pages)} pages: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
