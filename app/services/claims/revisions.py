"""Revisions of an article's text, and its claims following them.

A new text makes a new revision; the old text is kept (ArticleRevision) and every claim is
placed on the new text by `app.text.anchoring` (kept, anchored, moved or orphan). Nothing is
deleted: an orphan keeps its offsets into the revision it was last found in, and a reviewer
re-attaches it to a passage of the current text. Each claim that changed place is recorded in
the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update

from app.capabilities import require_owner
from app.errors import DuplicateArticle, InvalidSpan, StaleRevision
from app.extensions import db
from app.models import Article, ArticleRevision, Claim, User, limits
from app.models._time import utcnow
from app.services.claims import history
from app.services.corpus import index
from app.services.corpus.articles import find_duplicate
from app.services.corpus.fields import check_string
from app.text import anchoring
from app.text.normalize import content_hash
from app.text.offsets import SpanError, check_span, context
from app.vocabulary import MOVED, ORPHAN


@dataclass
class Revised:
    """What a new text did: the revision it made (None: the text was the same) and where each
    claim went, by claim id."""

    article: Article
    revision: int | None = None
    kept: list[int] = field(default_factory=list)
    anchored: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)
    still_orphaned: list[int] = field(default_factory=list)  # orphans before, and still

    def summary(self) -> dict:
        return {
            "revision": self.revision,
            "kept": len(self.kept),
            "anchored": len(self.anchored),
            "moved": self.moved,
            "orphaned": self.orphaned,
            "still_orphaned": len(self.still_orphaned),
        }


def revise(
    article: Article,
    text: str,
    *,
    user: User | None,
    note: str | None = None,
    expected_revision: int | None = None,
) -> Revised:
    """Make `text` (already checked and normalized) the article's current revision and move
    its claims onto it. `expected_revision`: see `expect`. The same text changes nothing.
    Raises DuplicateArticle if another article of the outlet has this text. Flushes, does
    not commit."""
    lock(article, expected_revision)
    note = check_string("note", note, limits.REVISION_NOTE)
    outcome = Revised(article)
    if text == article.text:
        return outcome
    new_hash = content_hash(text)
    existing = find_duplicate(article.outlet, new_hash)
    if existing is not None and existing != article.id:
        raise DuplicateArticle(existing, article.outlet.name)
    old_text, number, now = article.text, article.revision, utcnow()
    _keep_text_of_current(article)
    db.session.add(
        ArticleRevision(
            article_id=article.id,
            number=number + 1,
            text=None,
            content_hash=new_hash,
            length=len(text),
            note=note,
            created_by_id=user.id if user else None,
            created_at=now,
        )
    )
    _follow(article, old_text, text, number + 1, user, outcome)
    article.text, article.content_hash = text, new_hash
    article.revision = number + 1
    db.session.flush()
    index.index_article(article)
    # The claims were updated in bulk, past the session: what it holds of them is stale.
    for held in list(db.session.identity_map.values()):
        if isinstance(held, Claim) and held.article_id == article.id:
            db.session.expire(held)
    db.session.expire(article, ["claims"])
    outcome.revision = number + 1
    return outcome


def lock(article: Article, expected_revision: int | None = None) -> None:
    """Lock the article's row (PostgreSQL) and read it afresh, then `expect`: a concurrent
    revision waits for this one and is then told (StaleRevision) that the article moved on,
    and a claim being created on it (which holds a share lock) lands on the text it read.
    SQLite has no row locks: a write that changes nothing takes its one writer's lock first
    (waiting for another writer to commit), so the read afresh sees the winner's revision."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(Article).where(Article.id == article.id).values(revision=Article.revision)
        )
    db.session.refresh(article, with_for_update=True)
    expect(article, expected_revision)


def expect(article: Article, expected_revision: int | None) -> None:
    """StaleRevision unless `expected_revision` (when given) is the article's current one:
    someone revised it since the caller read it."""
    if expected_revision is not None and expected_revision != article.revision:
        raise StaleRevision(
            f"Article {article.id} is at revision {article.revision}, not "
            f"{expected_revision}: it was revised meanwhile. Read it again.",
            article.revision,
        )


def _keep_text_of_current(article: Article) -> None:
    """The current revision's row, with its text now that it stops being current; made for an
    article never revised before (revision 1, as created)."""
    row = db.session.scalar(
        select(ArticleRevision).where(
            ArticleRevision.article_id == article.id,
            ArticleRevision.number == article.revision,
        )
    )
    if row is None:
        db.session.add(
            ArticleRevision(
                article_id=article.id,
                number=article.revision,
                text=article.text,
                content_hash=article.content_hash,
                length=len(article.text),
                created_at=article.created_at,  # revision 1: as created
            )
        )
    else:
        row.text = article.text


def _follow(
    article: Article, old: str, new: str, number: int, user: User | None, outcome: Revised
) -> None:
    """Place every claim of the article on `new`; one UPDATE per claim that changed, one
    INSERT for their history."""
    rows = db.session.execute(
        select(
            Claim.id,
            Claim.start,
            Claim.end,
            Claim.quote,
            Claim.prefix,
            Claim.suffix,
            Claim.anchor,
            Claim.revision,
        ).where(Claim.article_id == article.id)
    ).all()
    reanchorer = anchoring.Reanchorer(old, new)
    changes: list[dict] = []
    records: list[dict] = []
    now = utcnow()
    for claim_id, start, end, quote, prefix, suffix, anchor, revision in rows:
        if anchor == ORPHAN:  # its offsets are into an older text: only its words bring it back
            found = reanchorer.find_again(quote, prefix, suffix)
            if found.status == anchoring.ORPHAN:
                outcome.still_orphaned.append(claim_id)
                continue
        else:
            found = reanchorer.anchor(start, end, quote, prefix, suffix)
        before = {"start": start, "end": end, "quote": quote, "revision": revision}
        if found.status == anchoring.ORPHAN:
            outcome.orphaned.append(claim_id)
            changes.append({"id": claim_id, "anchor": ORPHAN})
            records.append(_reanchored(user, claim_id, article.id, now, before, {"anchor": ORPHAN}))
            continue
        new_anchor = MOVED if found.status == anchoring.MOVED or anchor == MOVED else None
        {
            anchoring.KEPT: outcome.kept,
            anchoring.ANCHORED: outcome.anchored,
            anchoring.MOVED: outcome.moved,
        }[found.status].append(claim_id)
        new_prefix, new_suffix = context(new, found.start, found.end)
        changes.append(
            {
                "id": claim_id,
                "start": found.start,
                "end": found.end,
                "quote": found.quote,
                "prefix": new_prefix,
                "suffix": new_suffix,
                "revision": number,
                "anchor": new_anchor,
            }
        )
        if (found.start, found.end, found.quote) != (start, end, quote) or anchor != new_anchor:
            after = {
                "start": found.start,
                "end": found.end,
                "quote": found.quote,
                "revision": number,
                "anchor": new_anchor,
                "similarity": round(found.similarity, 3),
            }
            records.append(_reanchored(user, claim_id, article.id, now, before, after))
    # Bulk UPDATE by primary key: rows with the same keys go as one executemany.
    for keys in {tuple(sorted(c)) for c in changes}:
        db.session.execute(update(Claim), [c for c in changes if tuple(sorted(c)) == keys])
    history.write(records)


def _reanchored(user, claim_id, article_id, at, before, after) -> dict:
    return history.entry(
        user, "claim", "reanchor", claim_id, article_id, before=before, after=after, at=at
    )


def reattach(claim: Claim, user: User, *, start: object, end: object, quote: object) -> Claim:
    """Place a moved or orphaned claim (or any claim) on a passage of the current text, which
    a reviewer chose: its author, or anyone who may change any claim. Its labels stay; the old
    place is in the history."""
    require_owner(user, claim.author_id, "change_any_claim", "claim")
    article = claim.article
    try:
        check_span(article.text, start, end, quote)
    except SpanError as exc:
        raise InvalidSpan(str(exc)) from None
    before = {
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "revision": claim.revision,
        "anchor": claim.anchor,
    }
    claim.start, claim.end, claim.quote = start, end, quote  # type: ignore[assignment]
    claim.prefix, claim.suffix = context(article.text, start, end)  # type: ignore[arg-type]
    claim.revision, claim.anchor = article.revision, None
    db.session.flush()
    after = {"start": start, "end": end, "quote": quote, "revision": claim.revision}
    history.record(user, "claim", "reattach", claim, before=before, after=after)
    return claim


@dataclass(frozen=True)
class RevisionView:
    number: int
    content_hash: str
    length: int
    created_at: object
    created_by: str | None
    note: str | None
    current: bool


def revisions(article: Article) -> list[RevisionView]:
    """Every revision of the article, oldest first (one, as created, if never revised)."""
    rows = db.session.execute(
        select(ArticleRevision, User.username)
        .outerjoin(User, User.id == ArticleRevision.created_by_id)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.number)
    ).all()
    if not rows:
        return [
            RevisionView(
                1, article.content_hash, len(article.text), article.created_at, None, None, True
            )
        ]
    return [
        RevisionView(
            row.number,
            row.content_hash,
            row.length,
            row.created_at,
            username,
            row.note,
            row.number == article.revision,
        )
        for row, username in rows
    ]


def revised_at(article: Article):
    """When the current revision came; None for an article never revised."""
    if article.revision == 1:
        return None
    return db.session.scalar(
        select(ArticleRevision.created_at).where(
            ArticleRevision.article_id == article.id,
            ArticleRevision.number == article.revision,
        )
    )


def revision_text(article: Article, number: int) -> str | None:
    """The text of one revision of the article; None if it has no such revision."""
    if number == article.revision:
        return article.text
    return db.session.scalar(
        select(ArticleRevision.text).where(
            ArticleRevision.article_id == article.id, ArticleRevision.number == number
        )
    )
