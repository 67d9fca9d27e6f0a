"""Small title pages of our own in MyAnimeList's markup, for the archive tests."""

from __future__ import annotations


def page(anime_id: int, title: str, aired: str, plot: str) -> bytes:
    """A small title page of our own in MyAnimeList's markup (its canonical link names the page)."""
    slug = title.replace(" ", "_")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} - MyAnimeList.net</title>
<link rel="canonical" href="https://myanimelist.net/anime/{anime_id}/{slug}"></head>
<body><div id="contentWrapper"><h1 class="h1"><span itemprop="name">{title}</span></h1>
<div id="content"><table><tr><td class="borderClass" width="225">
<h2>Information</h2>
<div><span class="dark_text">Type:</span> <a href="https://myanimelist.net/topanime.php?type=movie">Movie</a></div>
<div class="spaceit"><span class="dark_text">Aired:</span> {aired}</div>
<div><span class="dark_text">Duration:</span> 1 hr. 53 min.</div>
</td><td valign="top"><h2>Synopsis</h2><span itemprop="description">{plot}</span></td></tr></table></div></div>
</body></html>""".encode()
