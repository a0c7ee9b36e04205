"""Streaming the claim set: filters, one record per claim, batches of claims at a time.

Claims are read in keyset batches (id > last, LIMIT n) with their assessments, so memory
stays flat whatever the size of the export.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import and_, any_, bindparam, exists, func, select

from app.errors import InvalidInput
from app.extensions import db
from app.models import (
    Article,
    ArticleRevision,
    Assessment,
    Claim,
    Event,
    Outlet,
    Proposition,
    User,
    article_events,
    article_overlap,
)
from app.services.claims.final_label import final_label_condition
from app.services.claims.visibility import presenter_for
from app.services.corpus.lists import article_conditions
from app.vocabulary import check_label_filter, final_label

BATCH = 4000  # claims a query: fewer round trips (1000 -> 4000: about 7% of a PostgreSQL export)


@dataclass(frozen=True)
class ClaimFilters:
    """Which claims to export. The edges parse the types (the API's ExportQuery, the CLI's
    options); the rules that need the app (known labels, a date range in order) are checked
    here, once, on creation."""

    event: int | None = None
    outlet: int | None = None
    article: int | None = None
    label: str | None = None  # final label, or NO_FINAL_LABEL for claims without one
    reviewer: str | None = None
    published_from: date | None = None
    published_to: date | None = None
    include_text: bool = False
    # Only articles with ids in this range, both ends included (the document formats' groups).
    articles: tuple[int, int] | None = field(default=None, compare=False, repr=False)
    # Whose export: a reviewer's leaves out the claims blind mode hides from them.
    viewer: User | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.label is not None:
            check_label_filter(self.label)
        if self.published_from and self.published_to and self.published_to < self.published_from:
            raise InvalidInput("to is before from.")

    def describe(self) -> str:
        """Filters as a file-name fragment: event-2_label-supporting."""
        parts = []
        for name in ("event", "outlet", "article", "label", "reviewer"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}-{value}")
        if self.published_from or self.published_to:
            parts.append(f"{self.published_from or ''}..{self.published_to or ''}")
        safe = "_".join(parts)
        return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in safe)


def _where(filters: ClaimFilters) -> list:
    clauses = article_conditions(
        Claim.article_id,
        outlet=filters.outlet,
        event=filters.event,
        published_from=filters.published_from,
        published_to=filters.published_to,
    )
    if filters.article is not None:
        clauses.append(Claim.article_id == filters.article)
    if filters.articles is not None:
        clauses.append(Claim.article_id.between(*filters.articles))
    if filters.reviewer is not None:
        clauses.append(
            exists().where(
                Assessment.claim_id == Claim.id,
                Assessment.reviewer_id == User.id,
                User.username == filters.reviewer,
            )
        )
    if filters.label is not None:
        clauses.append(final_label_condition(filters.label))
    if (visible := presenter_for(filters.viewer).condition()) is not None:
        clauses.append(visible)
    return clauses


def count_claims(filters: ClaimFilters) -> int:
    stmt = select(func.count(Claim.id)).join(Article, Article.id == Claim.article_id)
    return db.session.scalar(stmt.where(*_where(filters))) or 0


# A record's fields after its article's, in the record's order (SPEC §6).
CLAIM_FIELDS = dict.fromkeys(
    (
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "final_label",
        "final_label_source",
        "assessment_count",
        "k",
        "adjudicated_label",
        "adjudicated_by",
        "adjudication_note",
        "assessments",
        "proposition_id",
        "proposition",
        "author",
        "created_at",
        "revision",
        "revision_hash",
        "revision_at",
        "anchor",
        "informed",
    )
)

ARTICLE_CACHE = 2000  # articles whose fields are kept while streaming (bounded memory)
READ_AHEAD = 500  # a dense run of articles is read this many ids at a time


class _ArticleFields:
    """The part of each record that comes from its article, read a batch of articles at a
    time through statements built once per export. A dense run of article ids is read as one
    range, the same statement every batch (PostgreSQL plans it once); outlets and event titles
    are read once each and kept."""

    def __init__(self, include_text: bool, connection) -> None:
        self.include_text, self.connection = include_text, connection
        columns = [
            Article.id,
            Article.title,
            Article.url,
            Article.content_hash,
            Article.revision,
            # When the current revision came: its row's time, or the article's for revision 1.
            _utc_text(func.coalesce(ArticleRevision.created_at, Article.created_at)),
            Article.outlet_id,
            Article.stance,
            Article.published,
            article_overlap(Article.id),  # k: how many assessments a final label wants
        ]
        if include_text:
            columns.append(Article.text)
        self.articles = select(*columns).outerjoin(
            ArticleRevision,
            and_(
                ArticleRevision.article_id == Article.id,
                ArticleRevision.number == Article.revision,
            ),
        )
        self.links = select(article_events.c.article_id, article_events.c.event_id).order_by(
            article_events.c.article_id, article_events.c.event_id
        )
        in_range = bindparam("low"), bindparam("high")
        self.articles_in_range = self.articles.where(Article.id.between(*in_range))
        self.links_in_range = self.links.where(article_events.c.article_id.between(*in_range))
        self.outlets: dict[int, tuple[str, str | None]] = {}
        self.events: dict[int, str] = {}

    def read(self, ids: set[int], current: dict[int, tuple]) -> dict[int, dict]:
        """A record for each of the articles `ids` (and any others in their range), by id,
        with its article's fields filled in and its claim's empty, in the record's order;
        `current` gets each one's current revision (number, content hash, time)."""
        low, high = min(ids), max(ids)
        if high - low < 2 * len(ids):
            # The next claims are most likely on the articles that follow: one read for
            # READ_AHEAD of them instead of one per batch of claims (50 articles). Not with
            # the texts, which may be a megabyte each.
            ahead = 0 if self.include_text else READ_AHEAD
            bounds = {"low": low, "high": max(high, low + ahead - 1)}
            rows = self.connection.execute(self.articles_in_range, bounds).all()
            links = self.connection.execute(self.links_in_range, bounds).all()
        else:
            rows = self.connection.execute(self.articles.where(Article.id.in_(ids))).all()
            links = self.connection.execute(
                self.links.where(article_events.c.article_id.in_(ids))
            ).all()
        _fill(self.events, {e for _, e in links}, Event.id, Event.title, self.connection)
        missing = {row[6] for row in rows} - self.outlets.keys()
        if missing:
            for outlet_id, name, lean in self.connection.execute(
                select(Outlet.id, Outlet.name, Outlet.lean).where(Outlet.id.in_(missing))
            ):
                self.outlets[outlet_id] = (name, lean)
        events: dict[int, list[int]] = defaultdict(list)
        for article_id, event_id in links:
            events[article_id].append(event_id)
        fields = {}
        for row in rows:
            article_id = row[0]
            event_ids = events.get(article_id, [])
            outlet, lean = self.outlets[row[6]]
            fields[article_id] = {
                "claim_id": None,
                "event_ids": event_ids,
                "event_titles": [self.events[e] for e in event_ids],
                "article_id": article_id,
                "article_title": row[1],
                "article_url": row[2],
                "article_content_hash": row[3],
                "outlet": outlet,
                "outlet_lean": lean,
                "stance": row[7],
                "published": row[8].isoformat() if row[8] else None,
                **CLAIM_FIELDS,
            }
            current[article_id] = (row[4], row[3], row[5], row[9])
            if self.include_text:
                fields[article_id]["article_text"] = row[10]  # last, as it always has been
        return fields


def _utc_text(column):
    """A timestamp as ISO 8601 UTC text ("2016-09-09T10:00:00.000000Z"), written by the
    database: parsing each into a datetime only to print it again cost a fifth of an export."""
    if db.engine.dialect.name == "sqlite":  # stored as "YYYY-MM-DD HH:MM:SS.ffffff", in UTC
        return func.replace(column, " ", "T").concat("Z")
    return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')


def _fill(cache: dict[int, str], ids: set, column_id, column_value, connection) -> dict[int, str]:
    """Add to `cache` the values of the ids it lacks (user names, proposition statements)."""
    missing = {i for i in ids if i is not None} - cache.keys()
    if missing:
        cache.update(
            connection.execute(select(column_id, column_value).where(column_id.in_(missing))).all()
        )
    return cache


def _fill_revisions(cache: dict, rows, current: dict, connection) -> None:
    """Add to `cache` the hash and time of the earlier revisions that orphans point into."""
    wanted = {
        (row[1], row[11])
        for row in rows
        if row[11] != current[row[1]][0] and (row[1], row[11]) not in cache
    }
    if not wanted:
        return
    for article_id, number, text_hash, at in connection.execute(
        select(
            ArticleRevision.article_id,
            ArticleRevision.number,
            ArticleRevision.content_hash,
            _utc_text(ArticleRevision.created_at),
        ).where(ArticleRevision.article_id.in_({a for a, _ in wanted}))
    ):
        if (article_id, number) in wanted:
            cache[(article_id, number)] = (text_hash, at)


def _tuples(connection, statement, params: dict) -> list[tuple]:
    """The statement's rows as the driver gives them, without SQLAlchemy's Row objects (a
    quarter of an export's time). Only for columns the driver returns as they are meant to be
    read: numbers, text, and booleans that may come as 0 and 1."""
    result = connection.execute(statement, params)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


class _Batches:
    """The claims of an export a batch at a time (keyset: id > after), each batch with its
    assessments' rows, both as the driver's tuples.

    On PostgreSQL the next batch is asked for before this one's records are built: its two
    statements are sent at once in pipeline mode, on the same connection and in the same
    transaction, so the server reads the next claims and their assessments while the worker
    writes these (taking turns, the worker sat idle a quarter of an export). The assessments
    are asked for by the batch's claim ids as the server finds them (the claims statement
    again, as a subquery), with the highest of those ids beside each row: a claim that
    commits between the two statements can move that batch's end, and the assessments of
    any claims past it are then read as they would be without a pipeline.
    """

    def __init__(self, connection, filters: ClaimFilters, batch: int) -> None:
        self.connection = connection
        claims = select(
            Claim.id,
            Claim.article_id,
            Claim.start,
            Claim.end,
            Claim.quote,
            Claim.prefix,
            Claim.suffix,
            Claim.adjudicated_label,
            _utc_text(Claim.created_at),
            Claim.proposition_id,
            Claim.author_id,
            Claim.revision,
            Claim.anchor,
            Claim.adjudicated_by_id,
            Claim.adjudication_note,
            Claim.informed,
        )
        if filters.outlet is not None or filters.published_from or filters.published_to:
            claims = claims.join(Article, Article.id == Claim.article_id)
        # Built once, run with each batch's bounds: building and caching the statement anew
        # for every batch was a quarter of the query's time.
        self.claims = (
            claims.where(*_where(filters), Claim.id > bindparam("after"))
            .order_by(Claim.id)
            .limit(batch)
        )
        self.columns = select(
            Assessment.claim_id,
            Assessment.reviewer_id,
            Assessment.label,
            Assessment.note,
            Assessment.evidence_url,
            Assessment.version,
            _utc_text(Assessment.created_at),
            _utc_text(Assessment.updated_at),
            Assessment.informed,
        ).order_by(Assessment.claim_id)
        # A dense run of ids is one index range; a sparse (filtered) one is a list.
        self.between = self.columns.where(
            Assessment.claim_id.between(bindparam("first"), bindparam("last"))
        )
        self.pipelined = connection.dialect.name == "postgresql"
        if self.pipelined:
            ids = self.claims.with_only_columns(Claim.id).cte("batch_ids")
            ahead = self.columns.add_columns(select(func.max(ids.c.id)).scalar_subquery()).where(
                Assessment.claim_id == any_(func.array(select(ids.c.id).scalar_subquery()))
            )
            self.sql = {
                name: (str(compiled), compiled)
                for name, statement in (("claims", self.claims), ("assessments", ahead))
                for compiled in [statement.compile(dialect=connection.dialect)]
            }

    def read(self, after: int) -> tuple[list[tuple], list[tuple]]:
        rows = _tuples(self.connection, self.claims, {"after": after})
        return rows, self.assessments_of(rows)

    def assessments_of(self, rows: list[tuple]) -> list[tuple]:
        if not rows:
            return []
        first, last = rows[0][0], rows[-1][0]
        if last - first < 2 * len(rows):
            return _tuples(self.connection, self.between, {"first": first, "last": last})
        ids = [row[0] for row in rows]
        return _tuples(self.connection, self.columns.where(Assessment.claim_id.in_(ids)), {})

    @contextlib.contextmanager
    def ahead(self, after: int) -> Iterator[Callable[[], tuple[list[tuple], list[tuple]]]]:
        """Within the block, the call that returns the batch after `after`; leaving the
        block early reads and drops what the server sent."""
        if not self.pipelined:
            yield lambda: self.read(after)
            return
        raw = self.connection.connection.driver_connection
        with raw.pipeline(), raw.cursor() as claims, raw.cursor() as assessments:
            for cursor, name in ((claims, "claims"), (assessments, "assessments")):
                sql, compiled = self.sql[name]
                cursor.execute(sql, compiled.construct_params({"after": after}))

            def receive() -> tuple[list[tuple], list[tuple]]:
                rows = claims.fetchall()
                return rows, self.completed(rows, assessments.fetchall(), after)

            yield receive

    def completed(self, rows: list[tuple], asked: list[tuple], after: int) -> list[tuple]:
        """The assessments of `rows`, from the rows of the pipelined statement (each with
        the last claim id of its batch at its end): those of any claims past that id are
        read now."""
        upto = asked[0][-1] if asked else after
        found = [row[:-1] for row in asked]
        if rows and upto < rows[-1][0]:
            found += self.assessments_of([row for row in rows if row[0] > upto])
        return found


def _by_reviewer(assessment: dict) -> str:
    return assessment["reviewer"]


ARTICLES_A_GROUP = 200


def iter_documents(filters: ClaimFilters) -> Iterator[list[dict]]:
    """The same records (with their article's text) grouped by article, in article-id order:
    what the document formats (Label Studio, doccano, brat) write, one document at a time.
    Articles are read ARTICLES_A_GROUP at a time, so memory holds one group's claims."""
    article_ids = db.session.scalars(
        select(Claim.article_id)
        .join(Article, Article.id == Claim.article_id)
        .where(*_where(filters))
        .distinct()
        .order_by(Claim.article_id)
    ).all()
    for first in range(0, len(article_ids), ARTICLES_A_GROUP):
        group = tuple(article_ids[first : first + ARTICLES_A_GROUP])
        # A range, not a list: the statement is built once for every batch (and pipelined
        # on PostgreSQL), and the range holds no other article with matching claims.
        chosen = replace(filters, include_text=True, articles=(group[0], group[-1]))
        by_article: dict[int, list[dict]] = defaultdict(list)
        for record in iter_claim_records(chosen):
            by_article[record["article_id"]].append(record)
        for article_id in group:
            if by_article[article_id]:
                yield by_article.pop(article_id)


def iter_export(filters: ClaimFilters, by_document: bool) -> Iterator:
    """What a format writes: documents (by_document) or claim records."""
    return iter_documents(filters) if by_document else iter_claim_records(filters)


def iter_claim_records(filters: ClaimFilters, batch: int = BATCH) -> Iterator[dict]:
    """One export record per claim (SPEC §6), in claim-id order, streamed in batches.

    Per batch: one query for the claims, one for their assessments (both read in index order,
    without joins), and one each for the articles, users and propositions not seen yet.
    Rows are read through the Core connection (the ORM's per-row work was a third of the
    time), the claims and assessments as the driver's tuples (Row objects were a quarter).
    """
    connection = db.session.connection()
    records = _Records(connection, filters.include_text)
    batches = _Batches(connection, filters, batch)
    rows, assessment_rows = batches.read(0)
    while rows:
        assessments = records.prepare(rows, assessment_rows)
        # The next batch is on its way while this one is written.
        with batches.ahead(rows[-1][0]) as next_batch:
            yield from records.build(rows, assessments)
            rows, assessment_rows = next_batch()


class _Records:
    """What the records of an export need besides their claims' rows, read a batch at a time
    and kept while the export streams: articles' fields (up to ARTICLE_CACHE), user names,
    proposition statements and the revisions claims point into."""

    def __init__(self, connection, include_text: bool) -> None:
        self.connection = connection
        self.article_fields = _ArticleFields(include_text, connection)
        self.articles: dict[int, dict] = {}
        self.users: dict[int, str] = {}
        self.statements: dict[int, str] = {}
        self.current: dict[int, tuple] = {}  # article id: its current revision
        self.old_revisions: dict[tuple[int, int], tuple[str, str]] = {}

    def prepare(self, rows: list[tuple], assessment_rows: list[tuple]) -> dict[int, list[dict]]:
        """Read what this batch's records need and do not have yet; its assessments by claim."""
        missing = {row[1] for row in rows} - self.articles.keys()
        if missing:
            if len(self.articles) + len(missing) > ARTICLE_CACHE:
                self.articles.clear()
                self.current.clear()
                missing = {row[1] for row in rows}
            self.articles.update(self.article_fields.read(missing, self.current))
        users = self.users
        _fill(
            users,
            {r[1] for r in assessment_rows} | {r[10] for r in rows} | {r[13] for r in rows},
            User.id,
            User.username,
            self.connection,
        )
        _fill(
            self.statements,
            {r[9] for r in rows},
            Proposition.id,
            Proposition.statement,
            self.connection,
        )
        _fill_revisions(self.old_revisions, rows, self.current, self.connection)
        assessments: dict[int, list[dict]] = defaultdict(list)
        for (
            claim_id,
            reviewer_id,
            label,
            note,
            url,
            version,
            created,
            updated,
            informed,
        ) in assessment_rows:
            assessments[claim_id].append(
                {
                    "reviewer": users[reviewer_id],
                    "label": label,
                    "note": note,
                    "evidence_url": url,
                    "version": version,
                    "informed": informed if informed is None else bool(informed),
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        return assessments

    def build(self, rows: list[tuple], assessments: dict[int, list[dict]]) -> Iterator[dict]:
        """The batch's records, one per claim row."""
        articles, current, old_revisions = self.articles, self.current, self.old_revisions
        users, statements = self.users, self.statements
        for (
            claim_id,
            article_id,
            start,
            end,
            quote,
            prefix,
            suffix,
            adjudicated,
            created,
            proposition_id,
            author_id,
            revision,
            anchor,
            adjudicated_by,
            adjudication_note,
            informed,
        ) in rows:
            claim_assessments = assessments.get(claim_id, [])
            if len(claim_assessments) > 1:
                claim_assessments.sort(key=_by_reviewer)
            k = current[article_id][3]
            final, source = final_label(adjudicated, [a["label"] for a in claim_assessments], k)
            # The revision the claim's offsets point into: its number, content hash and time.
            if revision == current[article_id][0]:
                _, revision_hash, revision_at, _ = current[article_id]
            else:
                revision_hash, revision_at = old_revisions.get((article_id, revision), (None, None))
            # A copy of the article's record, made to the record's size, then filled in: a
            # dict display of the 31 fields grew its table four times (a tenth of an export).
            record = articles[article_id].copy()
            record["claim_id"] = claim_id
            record["start"] = start
            record["end"] = end
            record["quote"] = quote
            record["prefix"] = prefix
            record["suffix"] = suffix
            record["final_label"] = final
            record["final_label_source"] = source
            record["assessment_count"] = len(claim_assessments)
            record["k"] = k
            record["adjudicated_label"] = adjudicated
            record["adjudicated_by"] = users.get(adjudicated_by)
            record["adjudication_note"] = adjudication_note
            record["assessments"] = claim_assessments
            record["proposition_id"] = proposition_id
            record["proposition"] = statements.get(proposition_id)
            record["author"] = users.get(author_id)
            record["created_at"] = created
            record["revision"] = revision
            record["revision_hash"] = revision_hash
            record["revision_at"] = revision_at
            record["anchor"] = anchor
            record["informed"] = informed if informed is None else bool(informed)
            yield record
