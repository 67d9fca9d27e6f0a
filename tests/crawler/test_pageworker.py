"""The crawl process's hot paths: ``page_links`` (its caches give what resolving every href gives), ``QuietGC``."""

from __future__ import annotations

import orjson
import pytest

from crawler import pageworker
from crawler.pageworker import page_links
from crawler.profiles import SiteProfile, get_profile
from crawler.session import normalize_link, site_key
from extractors.page import Page, load_page

BASE = "http://127.0.0.1:8000/dir/page"
HREFS = [
    " /a/b ", "HTTP://127.0.0.1:8000/Up", "https://127.0.0.1:8000?x=1#f", "https://127.0.0.1:8000#top",
    "rel/ative", "../up", "//127.0.0.1:8000/proto", "http://user@127.0.0.1:8000/u", "http://www.127.0.0.1:8000/w",
    "http://xn--bcher-kva.example/", "http://b\u00fccher.example/", "http://127.0.0.1:99999/bad-port",
    "https://wiki.example/wiki/X", "https://wiki.example/wiki/Y", "/wiki/Special:Search", "#frag",
    "javascript:void(0)", "mailto:a@b.c", "http://127.0.0.1:8000/a/b", "/a/b", "", "/titles/page-2/?q=1",
    "http://127.0.0.1:8000/a/b#again", "https://127.0.0.1:8000/", "http://127.0.0.1:8000/%7Euser",
]  # fmt: skip


def page_with(hrefs: list[str], url: str = BASE) -> Page:
    anchors = "".join(f'<a href="{h}">x</a>' for h in hrefs)
    html = f'<html><head><link rel="next" href="/next/"><link rel="stylesheet" href="/s.css"></head><body>{anchors}</body></html>'
    return load_page(html.encode(), url, content_type="text/html; charset=utf-8")


def reference_links(page: Page, profile: SiteProfile, allowed: frozenset[str]) -> tuple[str, ...]:
    """The slow definition: resolve and check every href on its own."""
    assert page.root is not None
    assert page.url is not None
    out: dict[str, None] = {}
    for href in page.root.xpath("//a/@href | //link[@rel='next']/@href"):
        try:
            link = normalize_link(page.url, str(href))
            key = site_key(link) if link is not None else ""
        except ValueError:  # a bad port: no site of ours
            continue
        if link is not None and key in allowed and profile.classify(link).kind != "skip":
            out[link] = None
    return tuple(out)


@pytest.mark.parametrize("profile", ["generic", "mediawiki", "whiskey"])
@pytest.mark.parametrize(
    "allowed", [frozenset({"127.0.0.1:8000"}), frozenset({"127.0.0.1:8000", "wiki.example", "b\u00fccher.example"})]
)
def test_page_links_match_resolving_every_href(profile: str, allowed: frozenset[str]) -> None:
    prof = get_profile(profile)
    for url in (BASE, "https://127.0.0.1:8000/other/", "http://www.127.0.0.1:8000/"):
        page = page_with(HREFS, url)
        expected = reference_links(page, prof, allowed)
        assert page_links(page, prof, allowed) == expected, url
        assert page_links(page, prof, allowed) == expected, f"{url}, from the caches"


def test_page_links_keep_page_order_and_drop_duplicates() -> None:
    page = page_with(["/b", "/a", "http://127.0.0.1:8000/b", "/c#x", "/c"])
    got = page_links(page, get_profile("generic"), frozenset({"127.0.0.1:8000"}))
    assert got == (
        "http://127.0.0.1:8000/next/", "http://127.0.0.1:8000/b", "http://127.0.0.1:8000/a", "http://127.0.0.1:8000/c",
    )  # fmt: skip


def test_link_caches_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pageworker, "CACHE_SIZE", 5)
    monkeypatch.setattr(pageworker, "_FILTERS", {})
    hrefs = [f"https://elsewhere-{i}.example/x" for i in range(20)] + [f"/p{i}" for i in range(20)]
    page = page_with(hrefs)
    allowed = frozenset({"127.0.0.1:8000"})
    got = page_links(page, get_profile("generic"), allowed)
    assert got == reference_links(page, get_profile("generic"), allowed)
    (link_filter,) = pageworker._FILTERS.values()
    assert len(link_filter.absolute) <= 5
    assert len(link_filter.netlocs) <= 5
    assert all(len(rooted) <= 5 for rooted in link_filter.rooted_by_origin.values())


def test_quiet_gc_restores_the_collector() -> None:
    import gc

    from crawler.pipelines import GC_THRESHOLDS, QuietGC

    before = gc.get_threshold()
    quiet = QuietGC()
    quiet.start()
    try:
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
    finally:
        quiet.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    quiet.stop()  # idempotent
    assert gc.get_threshold() == before


def test_quiet_gc_of_two_crawls_in_one_process() -> None:
    import gc

    from crawler.pipelines import GC_THRESHOLDS, QuietGC

    before = gc.get_threshold()
    first, second = QuietGC(), QuietGC()
    first.start()
    second.start()
    first.stop()
    assert gc.get_threshold() == GC_THRESHOLDS  # the second crawl still runs
    second.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_record_from_a_worker_settles_like_the_record_object() -> None:
    from datetime import UTC, datetime

    from crawler.items import PageItem
    from crawler.pageworker import PageJob, process_page
    from crawler.pipelines import _record_parts
    from extractors import extract_title

    from .conftest import REPO

    sample = REPO / "samples" / "title" / "animevice-memories"
    url = "http://127.0.0.1:8000/memories/4000-1001/"  # a local mirror: the whiskey profile names the family
    body = (sample / "page.html").read_bytes()
    fetched = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    result = process_page(PageJob(body=body, url=url, content_type="text/html; charset=utf-8", fetched_at=fetched,
                                  profile="whiskey", allowed_sites=frozenset({"127.0.0.1:8000"}), extract=True))  # fmt: skip
    record = extract_title(body, url, fetched_at=fetched, site="whiskey", content_type="text/html; charset=utf-8")
    from_worker = PageItem(url=url, final_url=url, outcome="record", fetched_at=fetched,
                           record_json=result.record_json, record_summary=result.summary)  # fmt: skip
    from_object = PageItem(url=url, final_url=url, outcome="record", fetched_at=fetched, record=record)
    assert _record_parts(from_worker) == _record_parts(from_object)
    summary, line, data = _record_parts(from_worker)
    assert data == record.to_dict()
    assert line == orjson.dumps(data)  # the records journal's line
    assert summary.record_id == record.record_id


def test_imdb_tracking_parameters_are_dropped_from_followed_links() -> None:
    """IMDb's ``ref_`` only says which link was clicked: one sub-page is one URL, fetched once."""
    prof = get_profile("imdb")
    allowed = frozenset({"127.0.0.1:8000"})
    page = page_with(
        ["/title/tt0087544/fullcredits?ref_=tt_ov_st_sm", "/title/tt0087544/fullcredits/?ref_=tt_cl_sm",
         "/title/tt0087544/fullcredits?ref_=tt_ql_cl", "/title/tt0087544/releaseinfo?ref_=tt_dt_rdat",
         "/name/nm0594503/?ref_=tt_ov_dr", "/title/tt0087544/?ref_=nv_sr"],
        "http://127.0.0.1:8000/title/tt0087544/",
    )  # fmt: skip
    assert page_links(page, prof, allowed) == (
        "http://127.0.0.1:8000/title/tt0087544/fullcredits",
        "http://127.0.0.1:8000/title/tt0087544/fullcredits/",
        "http://127.0.0.1:8000/title/tt0087544/releaseinfo",
        "http://127.0.0.1:8000/name/nm0594503/",
        "http://127.0.0.1:8000/title/tt0087544/",
    )
    other = page_links(page, get_profile("generic"), allowed)  # other sites keep their query parameters
    assert "http://127.0.0.1:8000/title/tt0087544/fullcredits?ref_=tt_ov_st_sm" in other
