"""Full-text search of articles, and "where else" a claim's wording appears.

Each database searches with its own engine (app/models/search.py): PostgreSQL a `tsvector`
with a GIN index, SQLite FTS5. This module is the only one that writes either: every path
that stores an article or changes its title, text or stance calls `index_articles`.

A query ranks at most RANKED matches (those passing the filters): past that, the answer says
so, and a narrower query or a filter ranks the rest. It keeps a search over a corpus where
every article says "the" as fast as one for a rare name.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (
    Float,
    and_,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy import table as sql_table
from sqlalchemy import text as sql_text
from sqlalchemy.orm import selectinload

from app.errors import InvalidInput
from app.extensions import db
from app.models import SEARCH_TABLE, Article, Claim, User, limits
from app.services.claims.final_label import final_label_condition
from app.services.claims.visibility import presenter_for
from app.services.corpus.index import dialect
from app.services.corpus.lists import article_conditions
from app.text import search as search_text
from app.text.search import FACET_MARK, Query, Snippet
from app.vocabulary import check_label_filter, check_stance

RANKED = 1000  # matches ranked per query; past that, "1,000+"
PAGE = 20
MAX_PAGE = 100
_CURSOR = re.compile(r"(-?\d+(?:\.\d+)?(?:e-?\d+)?)_(\d{1,10})")


# --- keeping the index in step -------------------------------------------------------------


# --- the match, in each engine's terms ------------------------------------------------------


def _match(query: Query, facets: Sequence[str] = ()):
    """(the WHERE clause that finds `query`, its relevance score: higher is better, the
    index's article id, the index as a FROM clause; a caller that filters joins articles).
    On SQLite, `facets` (SearchFilters.facets) narrow the match inside FTS5; the filters' own
    clauses still decide."""
    if dialect() == "postgresql":
        index = sql_table(SEARCH_TABLE, column("article_id"), column("document"))
        parts = []
        if query.words:
            parts.append(func.plainto_tsquery("simple", " ".join(query.words)))
        parts += [func.phraseto_tsquery("simple", p) for p in query.phrases]
        tsquery = parts[0]
        for part in parts[1:]:
            tsquery = tsquery.op("&&")(part)
        matched = index.c.document.op("@@")(tsquery)
        score = func.ts_rank_cd(index.c.document, tsquery).cast(Float)
        return matched, score, index.c.article_id, index
    index = sql_table(SEARCH_TABLE, column("rowid"))
    fts = literal_column(SEARCH_TABLE)
    terms = " ".join('"' + term.replace('"', '""') + '"' for term in (*query.words, *query.phrases))
    expression = " AND ".join([terms, *(f'facets : "{facet}"' for facet in facets)])
    matched = fts.op("MATCH")(bindparam("fts_query", expression))
    # bm25 is lower for better matches; a title match weighs four times a text match, and
    # the facets nothing.
    score = -func.bm25(fts, 4.0, 1.0, 0.0)
    return matched, score, index.c.rowid, index


def outlet_facet(outlet_id: int) -> str:
    """The token SQLite's index holds for an article of this outlet (FACETS_SQL)."""
    return f"{FACET_MARK}o{outlet_id}"


def event_facet(event_id: int) -> str:
    return f"{FACET_MARK}e{event_id}"


def stance_facet(stance: str) -> str:
    return f"{FACET_MARK}s{stance.encode().hex()}"


# --- article search -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search. Each edge parses the types; the rules are checked here."""

    outlet: int | None = None
    event: int | None = None
    stance: str | None = None
    published_from: date | None = None
    published_to: date | None = None
    label: str | None = None  # an article with a claim of this final label

    def __post_init__(self) -> None:
        if self.stance is not None:
            check_stance(self.stance)
        if self.label is not None:
            check_label_filter(self.label)
        if self.published_from and self.published_to and self.published_to < self.published_from:
            raise InvalidInput("The date range ends before it starts (to is before from).")

    def clauses(self, viewer: User | None) -> list:
        found = article_conditions(
            Article.id,
            outlet=self.outlet,
            event=self.event,
            published_from=self.published_from,
            published_to=self.published_to,
        )
        if self.stance is not None:
            found.append(Article.stance == self.stance)
        if self.label is not None:
            claim = [Claim.article_id == Article.id, final_label_condition(self.label)]
            if (visible := presenter_for(viewer).condition()) is not None:
                claim.append(visible)
            # A subquery that stops at the article's first such claim: as EXISTS, PostgreSQL
            # made it a semi-join that judged every claim of the first thousand articles
            # (22,700 claims, not 3,000: 83 -> 56 ms).
            first = select(literal(1)).where(*claim).correlate(Article).limit(1)
            found.append(first.scalar_subquery().is_not(None))
        return found

    def facets(self) -> list[str]:
        """The filters an article's index entry names (app/models/search.py)."""
        found = []
        if self.outlet is not None:
            found.append(outlet_facet(self.outlet))
        if self.event is not None:
            found.append(event_facet(self.event))
        if self.stance is not None:
            found.append(stance_facet(self.stance))
        return found

    def active(self) -> bool:
        return any(getattr(self, name) is not None for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    snippet: Snippet
    title_marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchPage:
    query: Query
    hits: list[Hit]
    matches: int  # up to RANKED
    more_than_ranked: bool
    next_cursor: str | None = None
    filters: SearchFilters = field(default_factory=SearchFilters)


def parse_query(raw: object) -> Query:
    """The query string, checked: text, at most MAX_QUERY characters, with a word in it."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput('Type a word or a "quoted phrase" to search for.', field="q")
    if len(raw) > search_text.MAX_QUERY:
        raise InvalidInput(
            f"The query is {len(raw):,} characters; at most {search_text.MAX_QUERY} are searched.",
            field="q",
        )
    query = search_text.parse_query(raw)
    if query.empty:
        raise InvalidInput(f"{raw!r} holds no word to search for.", field="q")
    return query


def parse_cursor(raw: str | None) -> tuple[float, int] | None:
    """The `after` of a next-page link: the last hit's score and article id."""
    if raw is None or raw == "":
        return None
    found = _CURSOR.fullmatch(raw)
    if not found or int(found[2]) > limits.MAX_ID:
        raise InvalidInput(f"{raw[:40]!r} is not a page of these results.", field="after")
    return float(found[1]), int(found[2])


def search_articles(
    query: Query,
    filters: SearchFilters,
    viewer: User | None,
    after: tuple[float, int] | None = None,
    limit: int = PAGE,
) -> SearchPage:
    """One page of articles matching `query` and `filters`, best first, each with the
    snippet of its text that holds the most of the query's words."""
    matched, score, ident, index = _match(query, filters.facets())
    candidates = (
        select(Article.id.label("id"), score.label("score"))
        .select_from(index.join(Article, Article.id == ident))
        .where(matched, *filters.clauses(viewer))
        .limit(RANKED + 1)
        .cte("candidates")
    )
    stmt = select(
        candidates.c.id,
        candidates.c.score,
        select(func.count()).select_from(candidates).scalar_subquery(),
    )
    if after is not None:
        last_score, last_id = after
        stmt = stmt.where(
            or_(
                candidates.c.score < last_score,
                and_(candidates.c.score == last_score, candidates.c.id > last_id),
            )
        )
    rows = db.session.execute(
        stmt.order_by(candidates.c.score.desc(), candidates.c.id).limit(limit + 1)
    ).all()
    total = rows[0][2] if rows else 0
    page = rows[:limit]
    articles = {
        a.id: a
        for a in db.session.scalars(
            select(Article)
            .where(Article.id.in_([r[0] for r in page]))
            .options(selectinload(Article.outlet), selectinload(Article.events))
        )
    }
    hits = []
    for ident, value, _ in page:
        article = articles[ident]
        title = search_text.snippet(article.title, query, width=len(article.title) + 1)
        hits.append(Hit(article, value, search_text.snippet(article.text, query), title.marks))
    cursor = f"{page[-1][1]!r}_{page[-1][0]}" if len(rows) > limit else None
    return SearchPage(
        query,
        hits,
        min(total, RANKED),
        total > RANKED,
        cursor,
        filters,
    )


# --- where else ------------------------------------------------------------------------------

SIMILAR = 80  # rapidfuzz's partial ratio, out of 100, for a passage to count as similar
CANDIDATES = 16  # articles per query: the six rarest words, then the three rarest
POOL = 200  # matches ranked for each looser query: where else is a starting point


@dataclass(frozen=True)
class Passage:
    """Wording like a claim's, in an article: offsets into its text, and how alike (100:
    the same words)."""

    article: Article
    start: int
    end: int
    similarity: float
    claims: list[Claim]

    @property
    def quote(self) -> str:
        return self.article.text[self.start : self.end]


def where_else(claim: Claim, viewer: User | None, limit: int = PAGE) -> list[Passage]:
    """Where the corpus says what `claim` quotes, or nearly: the same wording first, then
    similar passages, across every outlet and event. Its own span is left out."""
    folded_quote = search_text.fold(claim.quote)
    words = _rarest(search_text.query_from_passage(claim.quote, most=64).words, 6)
    if not words:
        return []
    found: dict[int, float] = {}
    # Articles with the passage's six rarest words (every article with its exact wording is
    # among them), then with its three rarest (a passage that rewords the rest), each best
    # ranked first. The text itself says which hold the exact wording. A phrase query for the
    # whole wording cost five times as much: PostgreSQL read the lists of its common words.
    for query in (Query(words), Query(words[:3])):
        for ident in _best_matches(query, CANDIDATES, pool=POOL):
            found.setdefault(ident, 0)
    if not found:
        return []
    articles = db.session.scalars(
        select(Article)
        .where(Article.id.in_(list(found)))
        .options(selectinload(Article.outlet), selectinload(Article.events))
    ).all()
    passages: list[tuple[Article, int, int, float]] = []
    for article in articles:
        for start, end, similarity in _alike(article.text, claim.quote, folded_quote):
            if article.id == claim.article_id and start < claim.end and claim.start < end:
                continue
            passages.append((article, start, end, similarity))
    passages.sort(key=lambda p: (-p[3], p[0].id, p[1]))
    passages = passages[:limit]
    return [
        Passage(article, start, end, similarity, claims)
        for (article, start, end, similarity), claims in zip(
            passages, _claims_over(passages, viewer), strict=True
        )
    ]


COMMON_TTL = 600.0  # seconds a worker trusts what it read of the index's common words
_common: tuple[float, dict[str, float]] = (-COMMON_TTL, {})


def _common_words() -> dict[str, float]:
    """The index's most common words and the share of articles holding each, as
    PostgreSQL's statistics of the tsvector column keep them (ANALYZE: up to 1,000 words).
    Read once per worker every COMMON_TTL seconds; SQLite keeps none, so there it is empty."""
    global _common
    read_at, words = _common
    if time.monotonic() - read_at < COMMON_TTL:
        return words
    words = {}
    if dialect() == "postgresql":
        row = db.session.execute(
            sql_text(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = :table AND attname = 'document'"
            ),
            {"table": SEARCH_TABLE},
        ).first()
        if row is not None and row[0]:
            words = dict(zip(row[0], row[1], strict=False))
    _common = (time.monotonic(), words)
    return words


def _rarest(words: Sequence[str], most: int) -> tuple[str, ...]:
    """The `most` words that tell a passage apart best: those the fewest articles hold (any
    word the statistics do not list as common), the longest first among equals. Asking for
    a passage's commonest words matched most of the corpus and took as long."""
    common = _common_words()
    ranked = sorted(words, key=lambda w: (common.get(w, 0.0), -len(w)))
    return tuple(ranked[:most])


def _best_matches(query: Query, count: int, pool: int) -> list[int]:
    """The ids of the `count` best-ranked of the query's first `pool` matches."""
    matched, score, ident, index = _match(query)
    candidates = (
        select(ident.label("id"), score.label("score"))
        .select_from(index)  # the ids alone: no article row is read for a match not kept
        .where(matched)
        .limit(pool)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(candidates.c.id)
            .order_by(candidates.c.score.desc(), candidates.c.id)
            .limit(count)
        )
    )


def _alike(text: str, quote: str, folded_quote: str) -> list[tuple[int, int, float]]:
    """Passages of `text` worded like `quote`: every exact occurrence, else its most alike
    stretch if it is alike enough."""
    folded = search_text.fold(text)
    positions = search_text.offset_map(text)

    def original(start: int, end: int) -> tuple[int, int]:
        return (start, end) if positions is None else (positions[start], positions[end])

    exact = [original(m.start(), m.end()) for m in re.finditer(re.escape(folded_quote), folded)]
    if exact:
        return [(s, e, 100.0) for s, e in exact]
    from rapidfuzz import fuzz  # when a passage is compared, not at every worker's start

    alignment = fuzz.partial_ratio_alignment(folded_quote, folded, score_cutoff=SIMILAR)
    if alignment is None:
        return []
    start, end = original(alignment.dest_start, alignment.dest_end)
    return [(start, end, round(alignment.score, 1))]


def _claims_over(
    passages: Sequence[tuple[Article, int, int, float]], viewer: User | None
) -> list[list[Claim]]:
    """For each passage, the claims already made on it (with their propositions), so a
    reviewer can link the two."""
    ids = {p[0].id for p in passages}
    if not ids:
        return []
    # Only the claims over the passages: reading every claim of their articles, with its
    # assessments, was a third of the time.
    over = or_(
        *(
            and_(Claim.article_id == article.id, Claim.start < end, Claim.end > start)
            for article, start, end, _ in passages
        )
    )
    claims = db.session.scalars(
        select(Claim)
        .where(over, or_(Claim.anchor.is_(None), Claim.anchor != "orphan"))
        .options(selectinload(Claim.proposition), selectinload(Claim.assessments))
    ).all()
    hidden = presenter_for(viewer).hidden(ids)
    by_article: dict[int, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    return [
        [
            c
            for c in by_article.get(article.id, [])
            if c.start < end and start < c.end and c.id not in hidden
        ]
        for article, start, end, _ in passages
    ]
