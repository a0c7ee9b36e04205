"""Cleaning scraped page text: drop site chrome, split archive pages into their posts.

Scraped text carries navigation menus, share-button rows, comment counters, "Recent Posts"
lists, pingbacks and copyright footers. The rules here recognise those by their shape (bullets,
runs of network names, counters, repeated short lines), never by one site's exact lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

from app.text.dates import parse_date
from app.text.normalize import normalize_text

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE = (
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}/\d{1,2}/\d{4})"
)
DATE_LINE = re.compile(rf"^\s*(?:\w{{3,9}},?\s+)?({_DATE})\s*$", re.IGNORECASE)
# "July 25, 2012 0 comments", "3 Comments", "No comments": the counter under each post.
COMMENT_COUNTER = re.compile(
    rf"^\s*(?:({_DATE})\s*[|·•-]?\s*)?(?:\d+|no)\s+(?:comments?|responses?|replies)\s*$",
    re.IGNORECASE,
)
_NETWORKS = (
    "facebook|twitter|x|pinterest|whatsapp|telegram|skype|e-?mail|linkedin|reddit|tumblr|"
    "print|share|tweet|instagram|youtube|vk|pocket|messenger|flipboard|mix|copy link|threads"
)
SHARE_LINE = re.compile(
    rf"^\s*(?:share(?: this| on)?:?\s*)?(?:(?:{_NETWORKS})[\s|,/·]*){{1,}}$", re.IGNORECASE
)
BULLET = re.compile(r"^\s*(?:[•·▪▸►»◦‣∙]|[*+-](?=\s))\s*")
# Lines that are chrome when they stand at the page's edges (before the article's first
# paragraph or after its last), never inside it: account and paywall prompts, ad skips.
EDGE_PHRASES = re.compile(
    r"^\s*(?:support (?:the |us|our )[\w ’'.-]{0,40}|sign in(?: .{0,30})?|my account|"
    r"(?:click to )?skip (?:the )?ad(?:vert(?:isement)?)?|advertisement|close|open menu|"
    r"(?:sign|log) ?(?:in|up|out)|register|donate|newsletters?|subscribe(?: .{0,30})?|"
    r"become a (?:member|subscriber|supporter)|show more|view all|see all)\s*$",
    re.IGNORECASE,
)
NAV_WORDS = 3  # a menu entry: a few words, no sentence
COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s|copyright\b)|all rights reserved", re.IGNORECASE)
# Phrases that are site chrome whenever they stand alone on a line.
CHROME_PHRASES = re.compile(
    r"^\s*(?:back to top|scroll to top|skip to (?:main )?content|newer posts?|older posts?|"
    r"next post|previous post|read more|continue reading|load more|share this:?|like this:?|"
    r"%d bloggers like this:?|loading\.\.\.|subscribe(?: now)?|sign up|log ?in|menu|search|"
    r"follow us|related|tags?:.*|posted in .*|filed under .*)\s*$",
    re.IGNORECASE,
)
FOLLOW_PROMO = re.compile(
    r"^\s*follow\s+.{1,60}\s+on\s+(?:twitter|facebook|instagram|x)\b", re.IGNORECASE
)
# Headings that open a block of links to other posts.
LINK_LIST_HEADING = re.compile(
    r"^\s*(?:recent|popular|related|latest|trending|more|most read)\s+"
    r"(?:posts|articles|stories|news|entries)\s*:?\s*$",
    re.IGNORECASE,
)
# Lines after which nothing belongs to the article: the comment section and its kin.
TAIL_START = re.compile(
    r"^\s*(?:comments?|leave a (?:reply|comment)|post a comment|add a comment|"
    r"\d+\s+(?:trackbacks?|pingbacks?)(?:\s*/\s*(?:trackbacks?|pingbacks?))?|"
    r"(?:trackbacks?|pingbacks?)(?:\s*/\s*(?:trackbacks?|pingbacks?))?|"
    r"join the discussion|discussion|responses)\s*:?\s*$",
    re.IGNORECASE,
)
ABOUT_OUTLET = re.compile(r"^\s*[Aa]bout\s+(?:[Tt]he\s+)?[A-Z][\w&.'’ -]{1,40}$")

LONG_LINE_WORDS = 20  # a line this long is prose, not chrome
MIN_POST_CHARS = 200  # an archive segment shorter than this is not a post


@dataclass(frozen=True)
class Post:
    """One article found in a page: its title and date when the page gave them, and its text."""

    title: str | None
    published: date | None
    text: str


def _words(line: str) -> int:
    return len(line.split())


def _is_chrome(line: str, repeated: set[str]) -> bool:
    """A line that belongs to the site around the article, never to the article."""
    stripped = line.strip()
    if not stripped:
        return False
    if BULLET.match(line) and _words(stripped) <= 8:
        return True  # menu entries and link lists
    return bool(
        SHARE_LINE.match(stripped)
        or COPYRIGHT.search(stripped)
        and _words(stripped) < LONG_LINE_WORDS
        or CHROME_PHRASES.match(stripped)
        or FOLLOW_PROMO.match(stripped)
        or stripped in repeated
    )


def _repeated_short_lines(lines: list[str]) -> set[str]:
    """Short lines printed three or more times: site names, menu headings."""
    counts: dict[str, int] = {}
    for line in lines:
        s = line.strip()
        if s and _words(s) <= 6 and not BULLET.match(line) and not DATE_LINE.match(s):
            counts[s] = counts.get(s, 0) + 1
    return {s for s, n in counts.items() if n >= 3}


def _drop_link_lists(lines: list[str]) -> list[str]:
    """Drop "Recent Posts"-style headings and the short lines and dates listed under them."""
    out: list[str] = []
    skipping = False
    for line in lines:
        s = line.strip()
        if LINK_LIST_HEADING.match(s):
            skipping = True
            continue
        if skipping:
            if not s or BULLET.match(line) or DATE_LINE.match(s) or _words(s) < 12:
                continue
            skipping = False
        out.append(line)
    return out


def _cut_tail(lines: list[str]) -> list[str]:
    """Cut the comment section, pingbacks and "About us" box that follow the article."""
    for i, line in enumerate(lines):
        if TAIL_START.match(line.strip()) and i > 0:
            return lines[:i]
    # An "About <Outlet>" heading followed by at most two paragraphs closes the page.
    paragraphs_after = 0
    for i in range(len(lines) - 1, 0, -1):
        s = lines[i].strip()
        if ABOUT_OUTLET.match(s) and _words(s) <= 6:
            return lines[:i]
        if s and _words(s) >= LONG_LINE_WORDS:
            paragraphs_after += 1
            if paragraphs_after > 2:
                break
    return lines


def _dedupe_adjacent_paragraphs(text: str) -> str:
    """Photo captions are often scraped twice in a row; keep one."""
    paragraphs = text.split("\n\n")
    kept = [p for i, p in enumerate(paragraphs) if i == 0 or p.strip() != paragraphs[i - 1].strip()]
    return "\n\n".join(kept)


def _is_prose(line: str) -> bool:
    return _words(line) >= LONG_LINE_WORDS


def _always_chrome(line: str) -> bool:
    """Chrome wherever it stands: share rows, copyright lines, "Back to top"."""
    stripped = line.strip()
    return bool(
        stripped
        and (
            SHARE_LINE.match(stripped)
            or COPYRIGHT.search(stripped)
            and _words(stripped) < LONG_LINE_WORDS
            or CHROME_PHRASES.match(stripped)
            or FOLLOW_PROMO.match(stripped)
            or COMMENT_COUNTER.match(stripped)
        )
    )


def _nav_like(line: str) -> bool:
    s = line.strip()
    return bool(s) and (
        bool(BULLET.match(line))
        and _words(s) <= 8
        or _words(s) <= NAV_WORDS
        and not s.endswith((".", "!", "?", ":", "”", '"'))
    )


def _edge_chrome(lines: list[str]) -> set[int]:
    """The lines at the page's edges (before the first paragraph of prose, after the last)
    whose shape says site: runs of 3 or more short or bulleted lines (menus, footers, link
    lists), and account, paywall and ad prompts. Inside the article nothing is
    removed for its shape alone: a recipe's repeated subheadings, a feature list, a
    transcript's speaker names and a poem's refrain all stay. A text without prose has no
    edges, and keeps all of them."""
    prose = [i for i, line in enumerate(lines) if _is_prose(line)]
    if not prose:
        return set()
    first, last = prose[0], prose[-1]
    edge = [i for i in range(len(lines)) if i < first or i > last]
    drop: set[int] = set()
    run: list[int] = []  # short lines in a row (blank lines between them allowed)
    previous = None
    for i in edge:
        stripped = lines[i].strip()
        broken = previous is None or i != previous + 1 or (stripped and not _nav_like(lines[i]))
        if broken:
            if len(run) >= 3:
                drop.update(run)
            run = []
        if stripped and _nav_like(lines[i]):
            run.append(i)
        previous = i
    if len(run) >= 3:
        drop.update(run)
    drop.update(i for i in edge if EDGE_PHRASES.match(lines[i].strip()))
    return drop


def clean_text(raw: str) -> str:
    """The article text of one scraped page, without the site around it: chrome that is
    chrome anywhere goes (share rows, copyright lines), and chrome by shape only at the
    page's edges (_edge_chrome); then the comment section and the "About us" box."""
    text = normalize_text(raw)
    lines = _drop_link_lists(text.split("\n"))
    at_edges = _edge_chrome(lines)
    lines = [ln for i, ln in enumerate(lines) if i not in at_edges and not _always_chrome(ln)]
    lines = _cut_tail(lines)
    return _dedupe_adjacent_paragraphs(normalize_text("\n".join(lines)))


def cleaning_preview(raw: str) -> list[tuple[str, bool]]:
    """Each line of the pasted text, and whether cleaning would remove it: what the Add
    article page shows, struck through, before anything is stored."""
    before = normalize_text(raw).split("\n")
    after = clean_text(raw).split("\n")
    lines: list[tuple[str, bool]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        for line in before[i1:i2]:
            lines.append((line, tag in ("delete", "replace")))
    return lines


def _head_title(text: str) -> tuple[str | None, str]:
    """Split a post's kicker/category and headline from its body.

    Archive pages print an optional short category line, then the headline, then the body.
    """
    paragraphs = [p.strip() for p in text.split("\n\n")]
    heads: list[str] = []
    for p in paragraphs[:3]:
        if "\n" in p or _words(p) >= LONG_LINE_WORDS or p.endswith((".", "”", '"')):
            break
        heads.append(p)
    if not heads:
        return None, text
    if len(heads) >= 2 and _words(heads[0]) <= 6:
        title, consumed = heads[1], 2  # heads[0] is the category
    else:
        title, consumed = heads[0], 1
    return title, "\n\n".join(paragraphs[consumed:])


def split_posts(raw: str) -> list[Post]:
    """The posts of a page. An archive page gives several; an article page gives one.

    A page is an archive when at least two substantial segments each end in a post footer
    (a comment counter, usually with the date, and the share row).
    """
    text = normalize_text(raw)
    lines = text.split("\n")
    repeated = _repeated_short_lines(lines)
    lines = _drop_link_lists(lines)

    segments: list[tuple[list[str], date | None]] = []
    current: list[str] = []
    for line in lines:
        counter = COMMENT_COUNTER.match(line)
        if counter:
            segments.append((current, parse_date(counter.group(1)) if counter.group(1) else None))
            current = []
        else:
            current.append(line)
    segments.append((current, None))

    posts: list[Post] = []
    for seg_lines, published in segments:
        kept = [ln for ln in seg_lines if not _is_chrome(ln, repeated)]
        body = _dedupe_adjacent_paragraphs(normalize_text("\n".join(_cut_tail(kept))))
        if len(body) < MIN_POST_CHARS:
            continue
        title, body = _head_title(body)
        posts.append(Post(title=title, published=published, text=normalize_text(body)))

    if len(posts) >= 2:
        return posts
    return [Post(title=None, published=None, text=clean_text(raw))]
