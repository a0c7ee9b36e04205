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


def _post(n: int, words: int) -> str:
    return (
        f'<article class="post"><h2><a href="/p/{n}">Post number {n}</a></h2>'
        f'<time datetime="2016-09-0{n}">September {n}</time>'
        f"<p>{'Port workers talked. ' * words}</p><p>Second paragraph of post {n}.</p></article>"
    )


def test_a_listing_of_posts_is_split_and_an_article_page_is_not():
    from app.text.html import html_posts

    listing = parse(f"<html><body>{''.join(_post(n, 20) for n in (1, 2, 3))}</body></html>")
    posts = html_posts(listing)
    assert [p.title for p in posts] == ["Post number 1", "Post number 2", "Post number 3"]
    assert posts[1].published == "2016-09-02"
    assert posts[2].text.endswith("Second paragraph of post 3.")
    assert "Post number" not in posts[0].text  # the headline is the title, not the text
    # One long article with two short teasers below it is an article page.
    article = parse(f"<html><body>{_post(1, 200)}{_post(2, 5)}{_post(3, 5)}</body></html>")
    assert html_posts(article) == []


def test_importing_a_listing_page_stores_each_post(runner, tmp_path):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Article

    page = tmp_path / "blog.html"
    page.write_text(f"<html><body>{''.join(_post(n, 20) for n in (1, 2, 3))}</body></html>")
    result = runner.invoke(args=["import", str(page), "--outlet", "Blog"])
    assert result.exit_code == 0, result.output
    titles = db.session.scalars(select(Article.title).order_by(Article.id)).all()
    assert titles == ["Post number 1", "Post number 2", "Post number 3"]


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}{BODY[6:-7]}</body></html>"


def test_share_buttons_give_the_page_they_share():
    body = (
        '<a href="https://www.facebook.com/sharer.php?u=https%3A%2F%2Fa.example%2Fs%2F7">f</a>'
        '<a href="https://twitter.com/home?status=Strike%20-%20https://a.example/s/7">t</a>'
    )
    assert page_url(parse(_page("", body))) == "https://a.example/s/7"
    mail = '<a href="mailto:?subject=Strike&amp;body=https://a.example/s/8">mail</a>'
    assert page_url(parse(_page("", mail))) == "https://a.example/s/8"


def test_what_the_page_states_outranks_its_share_buttons():
    body = '<a href="https://www.linkedin.com/shareArticle?url=https://a.example/s/9?utm=x">in</a>'
    head = '<link rel="canonical" href="https://a.example/s/9">'
    assert page_url(parse(_page(head, body))) == "https://a.example/s/9"


def test_a_link_that_only_looks_like_sharing_is_not_taken():
    body = '<a href="https://a.example/share?u=https://b.example/other">x</a>'
    assert page_url(parse(_page("", body))) is None


def test_a_browsers_saved_from_mark_names_the_page():
    raw = "<!DOCTYPE html>\n<!-- saved from url=(0025)https://a.example/s/10 -->\n" + _page("", "")
    assert page_url(parse(raw), raw) == "https://a.example/s/10"
    assert html_metadata(parse(raw), raw)["url"] == "https://a.example/s/10"


def test_a_relative_canonical_alone_is_resolved_against_the_sites_icon():
    head = (
        '<link rel="shortcut icon" href="https://www.a.example/favicon.ico">'
        '<link rel="stylesheet" href="https://fonts.example/css">'
        '<link rel="canonical" href="/content/strike-11">'
    )
    assert page_url(parse(_page(head, ""))) == "https://www.a.example/content/strike-11"
