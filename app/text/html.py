"""HTML in: the main text for claims to point into, and the page's metadata."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import bleach
import lxml.html
from lxml.etree import ParserError

# Elements whose content is never article text: bleach's strip would keep their inner text.
DROPPED_WHOLE = (
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "button",
    "select",
    "textarea",
    "canvas",
    "video",
    "audio",
)


def _drop_non_content(html: str) -> str:
    try:
        root = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return ""
    for element in root.iter(*DROPPED_WHOLE):
        element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


# When the precision-first extraction keeps less than this share of what the recall-first one
# keeps, it has most likely dropped the article (a reprint notice kept instead of the story):
# the recall-first text is used. Both skip menus and comments; recall keeps more paragraphs
# at the article's edges.
PRECISION_MIN_SHARE = 0.5


def parse(html: str) -> lxml.html.HtmlElement | None:
    """The page parsed once, for every extraction and the metadata (trafilatura copies a
    tree before it changes it); None when it is not HTML at all."""
    import trafilatura  # with its date and URL parsers: for the workers that import pages

    return trafilatura.load_html(html)


def _extract(html: str | lxml.html.HtmlElement, **options) -> str:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True, **options)
    if not text:
        return ""
    # trafilatura puts one paragraph per line; a blank line between reads better.
    return "\n\n".join(line for line in text.split("\n") if line.strip())


def html_to_text(html: str, tree: lxml.html.HtmlElement | None = None) -> str:
    """The page's main text, boilerplate dropped; falls back to all visible text. `tree`:
    the page as `parse` gave it, when the caller has it.

    Precision first (menus, related links and bylines stay out); but when that keeps less
    than PRECISION_MIN_SHARE of the recall-first extraction, it lost the article, and the
    recall-first text is taken.
    """
    page = tree if tree is not None else parse(html)
    precise = "" if page is None else _extract(page, favor_precision=True, fast=True)
    if page is not None and len(precise) < 2000:  # short: not a fragment of a longer article?
        recall = _extract(page, favor_recall=True)
        if len(precise) < PRECISION_MIN_SHARE * len(recall):
            precise = recall
    if precise:
        return precise
    return bleach.clean(_drop_non_content(html), tags=[], strip=True, strip_comments=True)


# A listing (a blog's front page, an archive): several post blocks, each with its own
# headline and date, none of them most of the page's text.
_POST_BLOCKS = (
    "//article"
    " | //div[contains(concat(' ', normalize-space(@class), ' '), ' post ')]"
    " | //div[contains(concat(' ', normalize-space(@class), ' '), ' hentry ')]"
)
LISTING_MIN_POSTS = 3
LISTING_MAX_SHARE = 0.6  # of the posts' text in the largest: above it, one article and extras


@dataclass(frozen=True)
class HtmlPost:
    title: str
    text: str
    published: str | None  # as the page's <time datetime> or date text gives it


def _paragraphs(block: lxml.html.HtmlElement, heading: lxml.html.HtmlElement) -> str:
    """A post block's text, paragraph by paragraph, without its headline."""
    pieces = []
    for el in block.iter("p", "li", "blockquote", "h4", "h5", "h6"):
        if el is heading or any(a is heading for a in el.iterancestors()):
            continue
        if any(a.tag in ("p", "li", "blockquote") for a in el.iterancestors()):
            continue  # nested: its text is in its parent's
        text = " ".join(el.text_content().split())
        if text:
            pieces.append(text)
    return "\n\n".join(pieces)


def html_posts(tree: lxml.html.HtmlElement | None) -> list[HtmlPost]:
    """The posts of a listing page, in page order; [] for a page that is one article."""
    if tree is None:
        return []
    blocks = tree.xpath(_POST_BLOCKS)
    blocks = [b for b in blocks if not any(a in blocks for a in b.iterancestors())]
    posts = []
    for block in blocks:
        heading = next(iter(block.xpath(".//h1|.//h2|.//h3")), None)
        stamp = next(iter(block.xpath(".//time")), None)
        if heading is None or stamp is None:
            continue
        title = " ".join(heading.text_content().split())
        text = _paragraphs(block, heading)
        if title and text:
            when = stamp.get("datetime") or " ".join(stamp.text_content().split()) or None
            posts.append(HtmlPost(title, text, when))
    if len(posts) < LISTING_MIN_POSTS:
        return []
    sizes = [len(p.text) for p in posts]
    if max(sizes) > LISTING_MAX_SHARE * sum(sizes):
        return []
    return posts


WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_AUTHOR_JUNK = re.compile(
    rf"\b(?:{WEEKDAYS}|{MONTHS}|published|updated|posted|staff|wire services?)\b\.?"
    r"|\b\d{1,4}(?:[:/.-]\d{1,4})*(?:\s*(?:am|pm))?\b",
    re.IGNORECASE,
)
# "By" in the languages of the pages seen: only at the start of a byline.
_LEADING_BY = re.compile(r"^(?:by|por|par|von|door|di|av)\s+", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—•·:-]\s+|\s+-\s+")


def _site_words(*names: str | None) -> set[str]:
    """The words a site is known by: its name and its domain's name (www. and TLD off)."""
    words: set[str] = set()
    for name in names:
        if not name:
            continue
        if "://" in name:
            host = urlsplit(name).hostname or ""
            parts = [p for p in host.split(".") if p not in {"www", "m", "amp"}]
            name = " ".join(parts[:-1]) if len(parts) > 1 else " ".join(parts)
        words.add(_squash(name))
    return {w for w in words if w}


def _squash(text: str) -> str:
    return re.sub(r"[^\w]+", "", text.casefold())


def _names_site(part: str, sites: set[str]) -> bool:
    squashed = _squash(part)
    return bool(squashed) and any(
        squashed == site or (len(squashed) > 3 and (squashed in site or site in squashed))
        for site in sites
    )


def clean_title(title: str | None, *site_names: str | None) -> str | None:
    """The title without the site's name that pages append (" – TechCrunch", " | MoreBikes")
    or prepend; a part that does not name the site is kept."""
    if not title:
        return title
    sites = _site_words(*site_names)
    pieces, pos = [], 0
    for separator in _TITLE_SEPARATORS.finditer(title):
        pieces.append((pos, separator.start()))
        pos = separator.end()
    pieces.append((pos, len(title)))
    lo, hi = 0, len(pieces) - 1
    while hi > lo and _names_site(title[pieces[hi][0] : pieces[hi][1]], sites):
        hi -= 1
    while lo < hi and _names_site(title[pieces[lo][0] : pieces[lo][1]], sites):
        lo += 1
    return title[pieces[lo][0] : pieces[hi][1]].strip()


def clean_author(author: str | None, *site_names: str | None) -> str | None:
    """The people's names only: dates, weekdays, "Published"/"Updated", a leading "By" and
    the site's staff line that bylines carry are dropped ("Mike Wuerthele; Malcolm Owen
    Monday; November" -> "Mike Wuerthele; Malcolm Owen"; "JERUSALEM POST STAFF" -> None).
    A byline that is only the site's name is kept: a blog's author is often its name."""
    if not author:
        return None
    sites = _site_words(*site_names)
    names = []
    for part in re.split(r"\s*[;|]\s*|\s+and\s+|,\s*(?=[A-Z])", author):
        part = _LEADING_BY.sub("", part.strip())
        stripped = _AUTHOR_JUNK.sub(" ", part)
        had_junk = stripped != part
        part = " ".join(stripped.replace(",", " ").split()).strip(" .-–—:")
        if not part or not re.search(r"[^\W\d_]", part):
            continue
        if had_junk and _names_site(part, sites):
            continue  # "<Site> staff", "<Site> wire services Published"
        names.append(part)
    return "; ".join(dict.fromkeys(names)) or None


# Where a page states its own address, most trusted first: the canonical link, Open Graph,
# Twitter's card, JSON-LD (an article's `mainEntityOfPage` or `url`), microdata; `<base>` only
# resolves a relative one (it names a site, not a page).
_URL_PATHS = (
    "//link[@rel='canonical']/@href",
    "//meta[@property='og:url' or @name='og:url']/@content",
    "//meta[@name='twitter:url' or @property='twitter:url']/@content",
    "//meta[@itemprop='url']/@content",
    "//link[@itemprop='url']/@href",
)


_PAGE_TYPES = ("Article", "NewsArticle", "BlogPosting", "Report", "WebPage", "ScholarlyArticle")


def _ld_urls(block: str) -> list[str]:
    """The page's own address in a JSON-LD block: an article's (or web page's)
    `mainEntityOfPage` or `url`, never its publisher's or its logo's."""
    try:
        data = json.loads(block)
    except ValueError:
        return []
    items = data if isinstance(data, list) else [data]
    items += [x for item in list(items) if isinstance(item, dict) for x in item.get("@graph") or []]
    urls = []
    for item in items:
        if not isinstance(item, dict):
            continue
        kinds = item.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not any(isinstance(k, str) and k.endswith(_PAGE_TYPES) for k in kinds):
            continue
        main = item.get("mainEntityOfPage")
        if isinstance(main, dict):
            main = main.get("@id") or main.get("url")
        urls += [u for u in (main, item.get("url")) if isinstance(u, str)]
    return urls


def _absolute(candidate: str, base: str | None) -> str | None:
    candidate = candidate.strip()
    if not candidate:
        return None
    if urlsplit(candidate).scheme in ("http", "https"):
        return candidate
    if base and candidate.startswith("/"):
        return urljoin(base, candidate)
    return None


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


# A page's share buttons carry its address: the parameter each service reads it from.
_SHARERS = {
    "facebook.com": ("u",),
    "twitter.com": ("url", "status", "text"),
    "x.com": ("url", "text"),
    "linkedin.com": ("url",),
    "xing.com": ("url", "sc_p"),
    "pinterest.com": ("url",),
    "reddit.com": ("url",),
    "tumblr.com": ("url", "canonicalUrl"),
    "telegram.me": ("url",),
    "t.me": ("url",),
    "wa.me": ("text",),
    "api.whatsapp.com": ("text",),
    "getpocket.com": ("url",),
}
_HTTP_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
# The mark a browser leaves on a page it saved: <!-- saved from url=(0047)https://... -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)


def _shared_url(href: str) -> str | None:
    """The address a share link shares, when `href` is one (Facebook's sharer, a tweet's
    intent, a mail's body...)."""
    parts = urlsplit(href.strip())
    if parts.scheme == "mailto":
        names: tuple[str, ...] = ("body",)
    else:
        host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
        names = _SHARERS.get(host, ())
    if not names:
        return None
    query = parse_qs(parts.query)
    for name in names:
        for value in query.get(name, []):
            if found := _HTTP_IN_TEXT.search(value):
                return found.group(0)
    return None


def _site_origin(tree: lxml.html.HtmlElement) -> str | None:
    """The site's own origin, from the head's icon link or, else, the origin most of its
    links name: what a relative canonical is resolved against when nothing else is absolute."""
    icons = tree.xpath("//head/link[contains(@rel, 'icon')]/@href")
    hrefs = icons or tree.xpath("//head/link/@href")
    origins: dict[str, int] = {}
    for href in hrefs:
        parts = urlsplit(href.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            origins[origin] = origins.get(origin, 0) + 1
            if icons:
                return origin
    return max(origins, key=origins.get) if origins else None  # type: ignore[arg-type]


def page_url(tree: lxml.html.HtmlElement, raw: str | None = None) -> str | None:
    """The page's own address, from the first signal that gives an absolute one: what the
    page states (_URL_PATHS, JSON-LD), the address a browser that saved it wrote in it (`raw`:
    the page as read), then what its share buttons share. A relative canonical is resolved
    against the others, else against the site's origin. A signal naming only the site's home
    page is passed over when another names a page on it (a site-wide canonical template)."""
    base = next(iter(tree.xpath("//base/@href")), None)
    candidates: list[str] = [c for path in _URL_PATHS for c in tree.xpath(path)]
    for block in tree.xpath("//script[@type='application/ld+json']/text()")[:5]:
        candidates += _ld_urls(block)
    if raw is not None and (saved := _SAVED_FROM.search(raw[:4096])):
        candidates.append(saved.group(1))
    shared = [u for href in tree.xpath("//a/@href")[:2000] if (u := _shared_url(href))]
    candidates += sorted(set(shared), key=shared.index)[:3]
    base = base if base and urlsplit(base).scheme in ("http", "https") else None
    base = base or next(
        (c for c in candidates if urlsplit(c.strip()).scheme in ("http", "https")), None
    )
    if base is None and any(c.strip().startswith("/") for c in candidates):
        base = _site_origin(tree)
    urls = [u for c in candidates if (u := _absolute(c, base))]
    if not urls:
        return None
    return next((u for u in urls if not _is_root(u)), urls[0])


def html_metadata(
    html: str | lxml.html.HtmlElement, raw: str | None = None
) -> dict[str, str | None]:
    """Title, author, date and the page's own URL (page_url) when stated; the site's name is
    taken off titles and bylines. `html` may be the tree `parse` gave; `raw`, the page as
    read, for what the parser leaves out (a saved page's mark)."""
    # extensive=False: a copyright year in the footer is not a publication date.
    import trafilatura

    meta = trafilatura.extract_metadata(html, extensive=False)
    tree = html if isinstance(html, lxml.html.HtmlElement) else None
    text = raw if raw is not None else html if isinstance(html, str) else None
    found = page_url(tree, text) if tree is not None else None
    if meta is None:
        return {"title": None, "author": None, "date": None, "url": found}
    url = meta.url if meta.url and urlsplit(meta.url).scheme in ("http", "https") else None
    # trafilatura falls back on <base>, which names a site, not a page: a home page it
    # gives only when the page says so itself (page_url).
    url = found or (url if url and not _is_root(url) else None)
    return {
        "title": clean_title(meta.title, meta.sitename, url),
        "author": clean_author(meta.author, meta.sitename, url),
        "date": meta.date,
        "url": url,
    }
