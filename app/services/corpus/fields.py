"""The one validator of an article's fields, and of the strings and dates inside them.

The API, the Add article page, `flask import` (every file type), `flask import-claims` and
the seeds all pass an article through `check_article` before anything is written. Limits
are the columns' own (`app.models.limits`), so SQLite refuses what PostgreSQL would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import bleach

from app.errors import InvalidInput
from app.models import limits
from app.text.dates import parse_date
from app.text.html import html_to_text
from app.text.normalize import content_hash, exact_text, normalize_text
from app.text.storable import text_problem
from app.vocabulary import check_stance


def check_string(name: str, value: object, limit: int, *, required: bool = False) -> str | None:
    """A trimmed string of at most `limit` characters; None for an absent or empty optional."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string, got {value!r}.")
    value = check_text(name, value).strip()
    if len(value) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters ({len(value)}).")
    return value


def derived_title(title: str | None) -> str | None:
    """A title taken from a page, a file name or a first line, cut at a word to fit the title
    column: unlike a title someone typed, which is refused when too long, nobody chose it."""
    if title is None or len(title) <= limits.ARTICLE_TITLE:
        return title
    return title[: limits.ARTICLE_TITLE - 1].rsplit(" ", 1)[0] + "…"


FIRST_LINE_TITLE = 120  # characters of a first line that make a title


def check_text(name: str, value: object) -> str | None:
    """A string of any length that can be stored (app.text.storable), kept as given."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string, got {type(value).__name__}.")
    if problem := text_problem(value):
        raise InvalidInput(f"{name}: the value {problem}.")
    return value


# What a record's source_html keeps: the structure of an article, no script, no style, no
# attribute but a link's address (bleach drops everything else).
SOURCE_TAGS = frozenset(
    {"a", "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
     "em", "strong", "b", "i", "q", "cite", "figure", "figcaption", "table", "thead", "tbody",
     "tr", "th", "td", "pre", "code", "span", "div", "section", "article", "header", "footer",
     "time", "abbr", "sup", "sub"}
)  # fmt: skip


def sanitized_html(html: str | None) -> str | None:
    """A record's source HTML as it may be kept: sanitized by bleach (SPEC §2)."""
    if not html:
        return None
    return bleach.clean(
        html, tags=SOURCE_TAGS, attributes={"a": ["href"]}, protocols=["http", "https"], strip=True
    )


def check_id(name: str, value: object) -> int:
    """An id the columns can hold: 1 to 2147483647."""
    if not _is_id(value) or not 1 <= value <= limits.MAX_ID:  # type: ignore[operator]
        raise InvalidInput(f"{name} must be an id from 1 to {limits.MAX_ID}, got {value!r}.")
    return value  # type: ignore[return-value]


def check_url(name: str, value: object) -> str | None:
    """An absolute http(s) URL within the column's limit: anything else could become a script
    link in a page."""
    url = check_string(name, value, limits.URL)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"{name} must be an http(s) URL, got {url!r}.")
    return url


def check_date(name: str, value: object) -> date | None:
    """A date (YYYY-MM-DD, or any shape `parse_date` reads); None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise InvalidInput(f"{name} must be a date (YYYY-MM-DD), got {value!r}.")
    return parsed


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class ArticleFields:
    """One article's fields, checked: its columns, and how to find its outlet and events."""

    title: str
    text: str  # normalized: claim offsets point into this
    content_hash: str
    stance: str
    author: str | None = None
    url: str | None = None
    published: date | None = None
    source_html: str | None = None
    outlet: int | str | None = None  # an id, or the name of an outlet that may not exist yet
    outlet_lean: str | None = None
    events: list[int | str] = field(default_factory=list)  # ids, or titles
    # Claims that came with the record, offsets into `submitted` (the text as sent).
    claims: list | None = None
    submitted: str | None = None
    notes: list[str] = field(default_factory=list)  # what was assumed, to tell the user

    def row(self) -> dict:
        """The article table's columns."""
        return {
            "title": self.title,
            "text": self.text,
            "content_hash": self.content_hash,
            "stance": self.stance,
            "author": self.author,
            "url": self.url,
            "published": self.published,
            "source_html": self.source_html,
        }


def check_body(fields: Mapping) -> tuple[str | None, str]:
    """The article's text as sent (or as extracted from "html") and as it is stored.
    InvalidInput when neither gives any text."""
    text = check_text("text", fields.get("text"))
    if not text and fields.get("html"):
        # The main text is kept; the page's HTML is not (nothing displays it, and
        # sanitizing it took two thirds of an HTML import).
        text = normalize_text(html_to_text(check_text("html", fields["html"])))
    # Stored as submitted (exact_text): what arrives cleaned (scraped files, HTML) was
    # cleaned by the importer; what a person or a corpus sent is kept to the character.
    normalized = exact_text(text or "")
    if not normalized.strip():
        raise InvalidInput('The article has no text (give "text" or "html").')
    return text, normalized


def check_article(
    fields: Mapping,
    *,
    outlet: int | str | None = None,
    events: list[int | str] | None = None,
    stance: str = "unknown",
    require_outlet: bool = True,
    derive_title: bool = False,
) -> ArticleFields:
    """Check one article record (text or html, title, stance, dates, URL, names, events).

    `outlet`, `events` and `stance` are the defaults for a record that does not give them.
    Raises InvalidInput naming the field and what is wrong; needs no database.
    """
    text, normalized = check_body(fields)
    source_html = sanitized_html(check_text("source_html", fields.get("source_html")))
    notes: list[str] = []
    raw_title = fields.get("title")
    if derive_title and (
        raw_title is None or (isinstance(raw_title, str) and not raw_title.strip())
    ):
        first = next((line.strip() for line in normalized.split("\n") if line.strip()), "")
        if len(first) > FIRST_LINE_TITLE:
            first = first[: FIRST_LINE_TITLE - 1].rsplit(" ", 1)[0] + "…"
        raw_title = derived_title(first)
        notes.append(f"no title: took {raw_title!r} from the first line")
    title = check_string("title", raw_title, limits.ARTICLE_TITLE, required=True)
    outlet_ref = fields.get("outlet") or outlet
    if _is_id(outlet_ref):
        outlet_ref = check_id("outlet", outlet_ref)
    else:
        outlet_ref = check_string("outlet", outlet_ref, limits.OUTLET_NAME)
        if outlet_ref is None and require_outlet:
            raise InvalidInput('No outlet: give one with --outlet or an "outlet" field.')
    refs = fields.get("events")
    checked_events: list[int | str] = []
    if refs is None:
        checked_events = list(events or [])
    else:
        for ref in refs if isinstance(refs, list) else [] if refs == "" else [refs]:
            if _is_id(ref):
                checked_events.append(check_id("events", ref))
                continue
            if not isinstance(ref, str) or not ref.strip():
                raise InvalidInput(f"events must be ids or titles, got {ref!r}.")
            checked_events.append(check_string("event title", ref, limits.EVENT_TITLE))
    return ArticleFields(
        title=title,  # type: ignore[arg-type]
        text=normalized,
        content_hash=content_hash(normalized),
        stance=check_stance(fields.get("stance") or stance),
        author=check_string("author", fields.get("author"), limits.AUTHOR),
        url=check_url("url", fields.get("url")),
        published=check_date("published", fields.get("published")),
        source_html=source_html,
        outlet=outlet_ref,
        outlet_lean=check_string("outlet_lean", fields.get("outlet_lean"), limits.OUTLET_LEAN),
        events=list(dict.fromkeys(checked_events)),
        claims=_check_claims(fields.get("claims"), text, fields),
        submitted=text if fields.get("claims") is not None else None,
        notes=notes,
    )


def _check_claims(claims: object, text: str | None, fields: Mapping) -> list | None:
    """The record's claims, to be stored with it; each is checked when it is stored."""
    if claims is None:
        return None
    if not isinstance(claims, list):
        raise InvalidInput("claims must be a list of {start, end, label, ...} objects.")
    if not fields.get("text"):
        raise InvalidInput("claims need the record's text (their offsets point into it).")
    return claims
