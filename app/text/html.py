"""HTML in: the main text for claims to point into, and a sanitized copy for display."""

from __future__ import annotations

import bleach
import lxml.html
import trafilatura
from lxml.etree import ParserError

ALLOWED_TAGS = [
    "p",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "b",
    "i",
    "a",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "q",
    "cite",
    "abbr",
    "time",
    "sub",
    "sup",
    "hr",
]
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "time": ["datetime"]}


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


def sanitize_html(html: str) -> str:
    """Keep structure and links; drop scripts, styles, handlers, iframes and tracking."""
    cleaned = bleach.clean(
        _drop_non_content(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=["http", "https", "mailto"],
        strip=True,
        strip_comments=True,
    )
    return bleach.linkify(cleaned, callbacks=[bleach.callbacks.nofollow], skip_tags=["pre"])


def html_to_text(html: str) -> str:
    """The page's main text, boilerplate dropped; falls back to all visible text."""
    text = trafilatura.extract(
        html, include_comments=False, include_tables=True, favor_precision=True
    )
    if text:
        # trafilatura puts one paragraph per line; a blank line between reads better.
        return "\n\n".join(line for line in text.split("\n") if line.strip())
    return bleach.clean(_drop_non_content(html), tags=[], strip=True, strip_comments=True)


def html_metadata(html: str) -> dict[str, str | None]:
    """Title, author and date when the page states them."""
    # extensive=False: a copyright year in the footer is not a publication date.
    meta = trafilatura.extract_metadata(html, extensive=False)
    if meta is None:
        return {"title": None, "author": None, "date": None}
    return {"title": meta.title, "author": meta.author, "date": meta.date}
