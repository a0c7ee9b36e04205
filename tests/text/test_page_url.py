"""The page's own address: beyond canonical and og:url, and never a site's home page taken
for an article's address."""

from app.text.html import html_metadata, page_url, parse

BODY = (
    "<body><article><h1>Strike</h1><p>" + "Dockworkers walked out. " * 30 + "</p></article></body>"
)


def _url(head: str) -> str | None:
    return page_url(parse(f"<html><head>{head}</head>{BODY}</html>"))


def test_canonical_then_open_graph_then_twitter():
    assert _url('<link rel="canonical" href="https://a.example/s/1">') == "https://a.example/s/1"
    assert (
        _url('<meta property="og:url" content="https://a.example/s/2">') == "https://a.example/s/2"
    )
    assert (
        _url('<meta name="twitter:url" content="https://a.example/s/3">') == "https://a.example/s/3"
    )


def test_a_relative_canonical_is_resolved_against_another_signal():
    head = (
        '<link rel="canonical" href="/news/4"><meta property="og:url" content="https://a.example/">'
    )
    assert _url(head) == "https://a.example/news/4"


def test_json_ld_gives_the_article_address_not_the_publishers():
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"NewsArticle", "publisher": {"@type": "Organization", "url": "https://a.example/"}, '
        '"mainEntityOfPage": {"@type": "WebPage", "@id": "https://a.example/s/5"}}</script>'
    )
    assert _url(head) == "https://a.example/s/5"


def test_a_site_wide_home_canonical_gives_way_to_the_pages_own():
    head = (
        '<link rel="canonical" href="https://a.example/">'
        '<meta property="og:url" content="https://a.example/s/6">'
    )
    assert _url(head) == "https://a.example/s/6"


def test_a_base_alone_names_the_site_not_the_page():
    head = '<base href="https://a.example/">'
    assert _url(head) is None
    meta = html_metadata(parse(f"<html><head>{head}</head>{BODY}</html>"))
    assert meta["url"] is None


def test_a_home_page_that_says_it_is_one_keeps_its_address():
    assert _url('<link rel="canonical" href="https://a.example/">') == "https://a.example/"
