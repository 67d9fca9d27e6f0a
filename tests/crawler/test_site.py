"""The sample wiki in samples/site: built from the current samples, every followed link resolves."""

from __future__ import annotations

import subprocess
import sys

from defusedxml import ElementTree

from crawler.localserver import read_redirects

from .conftest import SITE, site_pages


def test_site_is_built_from_the_current_samples() -> None:
    proc = subprocess.run([sys.executable, str(SITE / "_build.py"), "--check"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr + proc.stdout


def test_site_has_the_pages_a_crawl_meets() -> None:
    pages = site_pages(SITE)
    kinds = list(pages.values())
    assert kinds.count("title") >= 10
    assert kinds.count("listing") >= 20  # home, index, categories and their pages, people, characters
    assert "/titles/page/2/" in pages
    assert "/anime/page/2/" in pages
    assert "/lost-signal/4000-1999/" not in pages  # linked from the A-Z index: a 404
    assert read_redirects(SITE) == {"/old-memories/": ("/memories/4000-1001/", 301)}
    assert "Disallow: /drafts/" in (SITE / "robots.txt").read_text()
    root = ElementTree.fromstring((SITE / "sitemap.xml").read_bytes())
    locs = [el.text for el in root.iter() if el.tag.endswith("loc")]
    assert "/night-ferry/4000-1012/" in locs  # only the sitemap links it
    assert all(loc in pages for loc in locs)
