"""Loading a JSONL claim export into another instance (`flask import-claims`).

Articles are matched by URL or content hash, or created when the record carries
`article_text`; claims by article, offsets and quote; reviewers by name (created without a
password); propositions by event and statement. Importing the same file twice changes nothing.

Speed: each record is checked in full before it touches the session, so a refused record
changes nothing, and records are stored a batch at a time with the articles, claims,
reviewers and propositions they need kept in memory. The store only flushes: the command's
runner (app.unit_of_work.run_batches) commits each batch, and replays one that failed to
write one record at a time, so only the bad record is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from app.errors import DomainError, InvalidInput
from app.extensions import db
from app.models import Article, Assessment, Claim, User, article_events
from app.models._time import utcnow
from app.services.accounts import reviewer_named
from app.services.claims import history
from app.services.claims.propositions import proposition_stated
from app.services.claims.tagging import check_evidence_url, check_note
from app.services.corpus.articles import add_checked_article
from app.services.corpus.events import resolve_event
from app.services.corpus.fields import ArticleFields, check_article
from app.services.corpus.outlets import get_or_create_outlet
from app.services.exchange.importing import failure_reason
from app.text.normalize import content_hash, exact_text
from app.text.offsets import SpanError, check_span, context
from app.vocabulary import check_label

BATCH = 1000
# Who the history names for claims this command creates, and what of each it records.
IMPORTER = "flask import-claims"
HISTORY_FIELDS = (
    "article_id",
    "start",
    "end",
    "quote",
    "proposition_id",
    "adjudicated_label",
    "adjudication_note",
)
FAILURES = (DomainError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


@dataclass
class ClaimImportReport:
    claims_created: int = 0
    claims_matched: int = 0  # stored claims a record matched (changed, or already so)
    claims_unchanged: int = 0  # of those, the ones the record changed nothing of
    assessments: int = 0  # assessments written (created or changed)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (line, reason): not stored
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what became of it)

    def summary(self) -> str:
        return (
            f"{self.claims_created} claims created, {self.claims_matched} matched "
            f"({self.claims_unchanged} unchanged), {self.assessments} assessments written, "
            f"{len(self.failed)} failed"
        )

    def add(self, other: ClaimImportReport) -> None:
        self.claims_created += other.claims_created
        self.claims_matched += other.claims_matched
        self.claims_unchanged += other.claims_unchanged
        self.assessments += other.assessments
        self.failed += other.failed
        self.notes += other.notes


def _informed(record: dict) -> bool | None:
    """An exported claim's or assessment's `informed`, kept when it is a boolean (else
    unknown)."""
    value = record.get("informed")
    return value if isinstance(value, bool) else None


@dataclass
class _Article:
    """What the import needs of a stored article, as plain values that outlive a commit."""

    id: int
    text: str
    event_ids: list[int]
    revision: int = 1  # the current one, which the offsets checked against `text` point into
    # (start, end, quote, author id) -> the claim's id, or the queued claim awaiting its id
    claims: dict[tuple[int, int, str], int | _Queued] | None = None


@dataclass
class _Queued:
    """A new claim waiting for the batch insert: its row, and its assessments by reviewer id."""

    row: dict
    assessments: dict[int, dict]


@dataclass
class _Plan:
    """A checked record: everything needed to write it, nothing written yet."""

    record: dict
    article: _Article | None  # None: create it from `new_article`
    new_article: ArticleFields | None  # the record's article, checked, when it is not stored
    text: str
    start: int
    end: int
    quote: str
    assessments: list[dict]
    text_hash: str | None = None


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} has no name")
    return value.strip()


class ClaimStore:
    """Stores checked claim records a batch at a time, with the articles, claims, reviewers
    and propositions they need kept in memory between batches. Call it with a batch of
    (line number, record); it adds and flushes, and the entry point's runner commits."""

    def __init__(self) -> None:
        self.forget()

    def __call__(self, batch: list[tuple[int, dict]]) -> ClaimImportReport:
        """Store what passes the checks; a record that does not is in the outcome's failed
        list, by its line. A failure the checks did not foresee raises (the runner replays the
        batch one record at a time)."""
        outcome = ClaimImportReport()
        plans = []
        for number, record in batch:
            try:
                plans.append((number, self.check(record)))
            except FAILURES as exc:
                outcome.failed.append((number, failure_reason(exc)))
        self._load_matched(plans)
        for number, plan in plans:
            self.write(number, plan, outcome)
        self.flush()
        return outcome

    def _load_matched(self, plans: list[tuple[int, _Plan]]) -> None:
        """Read the stored claims this batch's records match, with their assessments, in
        two statements: write() then finds them in the session (one query per record, and
        one more for its assessments, made importing a file again 2.5 times slower than
        importing it the first time)."""
        names = {a.strip() for _n, plan in plans if isinstance(a := plan.record.get("author"), str)}
        if missing := sorted(names - self.users.keys()):
            for first in range(0, len(missing), 1000):
                rows = db.session.execute(
                    select(User.username, User.id).where(
                        User.username.in_(missing[first : first + 1000])
                    )
                )
                self.users.update({name: user_id for name, user_id in rows})
        ids = set()
        for _number, plan in plans:
            if plan.article is None:
                continue
            author = plan.record.get("author")
            author_id = self.users.get(author.strip()) if isinstance(author, str) else None
            if author and author_id is None:
                continue  # a reviewer not met yet: not stored, so neither is their claim
            found = self._claims_of(plan.article).get((plan.start, plan.end, plan.quote, author_id))
            if isinstance(found, int):
                ids.add(found)
        # Held here: the session's identity map keeps only weak references.
        self.matched = {}
        for first in range(0, len(ids), 1000):
            chunk = sorted(ids)[first : first + 1000]
            self.matched.update(
                (claim.id, claim)
                for claim in db.session.scalars(
                    select(Claim)
                    .where(Claim.id.in_(chunk))
                    .options(selectinload(Claim.assessments))
                )
            )

    def forget(self) -> None:
        """Drop every cached row: after a rollback they may no longer exist."""
        self.articles: dict[int, _Article] = {}
        self.by_url: dict[str, list[tuple[int, str]]] = {}
        self.by_hash: dict[str, int | None] = {}
        self.users: dict[str, int] = {}
        self.propositions: dict[tuple[tuple[int, ...], str], int] = {}
        self.queue: list[_Queued] = []
        self.last_text: tuple[str, str, str] | None = None  # (as read, as stored, its hash)
        self.matched: dict[int, Claim] = {}  # this batch's stored claims, read at once
        # Which line of the file first gave each claim, and each reviewer's label of a stored
        # claim by this import: what later records of the same claim are told against.
        self.first_line: dict[tuple, int] = {}
        self.given: dict[tuple, tuple[str, int]] = {}

    # -- reading (no writes)

    def _article(self, article_id: int) -> _Article:
        if article_id not in self.articles:
            text, revision = db.session.execute(
                select(Article.text, Article.revision).where(Article.id == article_id)
            ).one()
            events = db.session.scalars(
                select(article_events.c.event_id)
                .where(article_events.c.article_id == article_id)
                .order_by(article_events.c.event_id)
            ).all()
            self.articles[article_id] = _Article(article_id, text, list(events), revision)
        return self.articles[article_id]

    def _find_article(self, url: object, text_hash: object) -> _Article | None:
        candidates: list[tuple[int, str]] = []
        if isinstance(url, str) and url:
            if url not in self.by_url:
                self.by_url[url] = [
                    (row.id, row.content_hash)
                    for row in db.session.execute(
                        select(Article.id, Article.content_hash)
                        .where(Article.url == url)
                        .order_by(Article.id)
                    )
                ]
            candidates = self.by_url[url]
        if isinstance(text_hash, str) and text_hash:
            for article_id, candidate_hash in candidates:
                if candidate_hash == text_hash:
                    return self._article(article_id)
            if text_hash not in self.by_hash:
                self.by_hash[text_hash] = db.session.scalar(
                    select(Article.id)
                    .where(Article.content_hash == text_hash)
                    .order_by(Article.id)
                    .limit(1)
                )
            found = self.by_hash[text_hash]
            return self._article(found) if found is not None else None
        return self._article(candidates[0][0]) if candidates else None

    def check(self, record: dict) -> _Plan:
        """Every check a record must pass, before anything is written for it."""
        if not isinstance(record, dict):
            raise InvalidInput("expected a JSON object")
        assessments = record.get("assessments") or []
        if not isinstance(assessments, list):
            raise InvalidInput("assessments must be a list")
        reviewers: set[str] = set()
        for a in assessments:
            if not isinstance(a, dict):
                raise InvalidInput("each assessment must be an object")
            reviewer = _name(a.get("reviewer"), "an assessment's reviewer")
            if reviewer in reviewers:
                raise InvalidInput(f"{reviewer} assesses the claim twice")
            reviewers.add(reviewer)
            check_label(a.get("label"))
            check_note(a.get("note"))
            check_evidence_url(a.get("evidence_url"))
        if record.get("adjudicated_label"):
            check_label(record["adjudicated_label"])
            check_note(record.get("adjudication_note"))
            if record.get("adjudicated_by"):
                _name(record["adjudicated_by"], "the adjudicator")
        if record.get("author") is not None and record.get("author") != "":
            _name(record["author"], "the author")

        text, text_hash = self._text_and_hash(record)
        article = self._find_article(record.get("article_url"), text_hash)
        if article is None:
            if text is None:
                raise InvalidInput(
                    "article not found by URL or content hash, and the record has no "
                    "article_text (export with --include-text)"
                )
            titles = record.get("event_titles") or []
            if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
                raise InvalidInput("event_titles must be a list of titles")
            new_article = check_article(
                {
                    "outlet": record.get("outlet"),
                    "outlet_lean": record.get("outlet_lean"),
                    "title": record.get("article_title"),
                    "text": text,
                    "stance": record.get("stance"),
                    "url": record.get("article_url"),
                    "published": record.get("published"),
                    "events": titles,
                }
            )
            in_event = bool(titles)
        else:
            new_article = None
            text, in_event = article.text, bool(article.event_ids)
        start, end, quote = record.get("start"), record.get("end"), record.get("quote")
        try:
            check_span(text, start, end, quote)
        except SpanError as exc:
            raise InvalidInput(str(exc)) from None
        if record.get("proposition") and not in_event:
            raise InvalidInput("the claim has a proposition but its article is in no event")
        return _Plan(record, article, new_article, text, start, end, quote, assessments, text_hash)

    def _text_and_hash(self, record: dict) -> tuple[str | None, object]:
        """The record's article text as stored, and its hash. Every record of a document
        carries the same text (one string, read once): it is normalized and hashed once, not
        once a record (a third of an import's time went to hashing the same text again)."""
        text = record.get("article_text")
        if not isinstance(text, str) or not text:
            return None, record.get("article_content_hash")
        if self.last_text is None or self.last_text[0] != text:
            exact = exact_text(text)
            self.last_text = (text, exact, content_hash(exact))
        return self.last_text[1], self.last_text[2]

    # -- writing

    def _user(self, name: str) -> int:
        name = name.strip()
        if name not in self.users:
            self.users[name] = reviewer_named(name).id
        return self.users[name]

    def _proposition(self, article: _Article, statement: str) -> int:
        key = (tuple(article.event_ids), statement)
        if key not in self.propositions:
            self.propositions[key] = proposition_stated(article.event_ids, statement).id
        return self.propositions[key]

    def _create_article(self, checked: ArticleFields) -> _Article:
        """Store the record's article, checked once in check()."""
        outlet = get_or_create_outlet(checked.outlet, lean=checked.outlet_lean)  # type: ignore[arg-type]
        events = [resolve_event(t) for t in checked.events]  # type: ignore[arg-type]
        article = add_checked_article(checked, outlet, events)
        self.by_hash[article.content_hash] = article.id
        if article.url:
            self.by_url.setdefault(article.url, []).append((article.id, article.content_hash))
        self.articles[article.id] = _Article(article.id, article.text, [e.id for e in events])
        return self.articles[article.id]

    def _stored_since(self, plan: _Plan) -> _Article | None:
        """The article an earlier record of this batch stored after this one was checked:
        two annotators' files of one text give two documents, and the second must not try to
        store the article again (it failed the batch, which was then stored a record at a
        time: 8x slower)."""
        found = self.by_hash.get(plan.text_hash) if isinstance(plan.text_hash, str) else None
        return self._article(found) if found is not None else None

    def _claims_of(self, article: _Article) -> dict:
        if article.claims is None:
            article.claims = {
                (row.start, row.end, row.quote, row.author_id): row.id
                for row in db.session.execute(
                    select(Claim.id, Claim.start, Claim.end, Claim.quote, Claim.author_id).where(
                        Claim.article_id == article.id
                    )
                )
            }
        return article.claims

    def write(self, number: int, plan: _Plan, outcome: ClaimImportReport) -> None:
        """Queue the record's claim and assessments (flush() inserts the queue), or bring the
        stored claim it matches to what the record says.

        The rule for records that carry the same span: a claim is its article, span and
        author, so two records of one span by different authors are two claims (as they were
        where they came from), and records of one span by one author are one claim, whose
        assessments are theirs together. A reviewer's second, different label for one claim
        is not kept, and the record says so; nothing is dropped without a note."""
        record = plan.record
        article = plan.article or self._stored_since(plan)
        article = article or self._create_article(plan.new_article)  # type: ignore[arg-type]
        statement = record.get("proposition")
        proposition_id = self._proposition(article, str(statement)) if statement else None
        adjudication = self._adjudication(record)
        author = record.get("author")
        author_id = self._user(author) if author else None
        known = self._claims_of(article)
        key = (plan.start, plan.end, plan.quote, author_id)
        found = known.get(key)
        assessments = {self._user(a["reviewer"]): a for a in plan.assessments}
        if found is None:
            known[key] = self._queue(plan, article, author_id, proposition_id, adjudication)
            known[key].assessments.update(assessments)
            self.first_line[(article.id, key)] = number
            for reviewer_id, a in assessments.items():
                self.given[(article.id, key, reviewer_id)] = (a["label"], number)
            outcome.claims_created += 1
            outcome.assessments += len(assessments)
            return
        first = self.first_line.get((article.id, key))
        if isinstance(found, _Queued):  # the same claim again, in this batch
            outcome.notes.append((number, f"the same claim as line {first}: merged into it"))
            outcome.claims_matched += 1
            found.row["proposition_id"] = proposition_id or found.row["proposition_id"]
            if adjudication["adjudicated_label"]:
                found.row.update(adjudication)
            added = self._merge(found.assessments, assessments, number, outcome)
            outcome.assessments += added
            if not added:
                outcome.claims_unchanged += 1
            return
        claim = self.matched.get(found) or db.session.get(Claim, found)
        outcome.claims_matched += 1
        if first is not None:
            outcome.notes.append((number, f"the same claim as line {first}: merged into it"))
        if not self._change(claim, proposition_id, adjudication, assessments, number, outcome):
            outcome.claims_unchanged += 1

    def _merge(self, kept: dict, more: dict, number: int, outcome: ClaimImportReport) -> int:
        """Add a record's assessments to those a claim has in this batch; how many were new."""
        added = 0
        for reviewer_id, a in more.items():
            if reviewer_id not in kept:
                kept[reviewer_id] = a
                added += 1
            elif kept[reviewer_id]["label"] != a["label"]:
                outcome.notes.append(
                    (
                        number,
                        f"{a['reviewer']} labels this claim {kept[reviewer_id]['label']} on "
                        f"an earlier line: their {a['label']} here is not kept",
                    )
                )
        return added

    def _adjudication(self, record: dict) -> dict:
        """The claim's adjudication columns, as the record gives them."""
        adjudicated = record.get("adjudicated_label") or None
        by = record.get("adjudicated_by") if adjudicated else None
        return {
            "adjudicated_label": adjudicated,
            "adjudicated_by_id": self._user(by) if by else None,
            "adjudication_note": (record.get("adjudication_note") or None) if adjudicated else None,
        }

    def _queue(self, plan, article, author_id, proposition_id, adjudication) -> _Queued:
        """A new claim's row, queued for the batch insert (its assessments are added)."""
        prefix, suffix = context(plan.text, plan.start, plan.end)
        row = {
            "article_id": article.id,
            "start": plan.start,
            "end": plan.end,
            "quote": plan.quote,
            "prefix": prefix,
            "suffix": suffix,
            "author_id": author_id,
            "proposition_id": proposition_id,
            **adjudication,
            "informed": _informed(plan.record),
            "revision": article.revision,
        }
        queued = _Queued(row, {})
        self.queue.append(queued)
        return queued

    def _change(self, claim, proposition_id, adjudication, assessments, number, outcome) -> bool:
        """Bring a stored claim the record matches to what the record says, recorded like
        every other change (kept figures count on every change being in the history); a
        record that says what is stored changes nothing and writes no history. Whether it
        changed anything."""
        before = _state(claim)
        wanted = {"proposition_id": proposition_id, **adjudication}
        changed = {k: v for k, v in wanted.items() if getattr(claim, k) != v}
        for name, value in changed.items():
            setattr(claim, name, value)
        for reviewer_id, a in assessments.items():
            mark = (claim.article_id, (claim.start, claim.end, claim.quote, claim.author_id))
            given = self.given.get((*mark, reviewer_id))
            if given is not None and given[0] != a["label"]:
                outcome.notes.append(
                    (
                        number,
                        f"{a['reviewer']} labels this claim {given[0]} on line {given[1]}: "
                        f"their {a['label']} here is not kept",
                    )
                )
                continue
            self.given[(*mark, reviewer_id)] = (a["label"], number)
            values = {
                "label": a["label"],
                "note": a.get("note") or None,
                "evidence_url": a.get("evidence_url") or None,
                "informed": _informed(a),
            }
            existing = next((x for x in claim.assessments if x.reviewer_id == reviewer_id), None)
            if existing is None:
                claim.assessments.append(Assessment(reviewer_id=reviewer_id, **values))
            elif any(getattr(existing, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(existing, name, value)
            else:
                continue
            outcome.assessments += 1
            changed["assessments"] = True
        if not changed:
            return False
        after = _state(claim)
        entry = history.entry(
            None, "claim", "change", claim.id, claim.article_id, before=before, after=after
        )
        history.write([entry | {"username": IMPORTER}])
        return True

    def flush(self) -> None:
        """Insert the queued claims, then their assessments: two executemany statements
        where the ORM's unit of work spent most of the import's time."""
        if not self.queue:
            db.session.flush()
            return
        db.session.flush()  # users, propositions and matched claims first
        now = utcnow()
        ids = db.session.scalars(
            insert(Claim).returning(Claim.id, sort_by_parameter_order=True),
            [q.row | {"created_at": now} for q in self.queue],
        ).all()
        rows = [
            {
                "claim_id": claim_id,
                "reviewer_id": reviewer_id,
                "label": a["label"],
                "note": a.get("note") or None,
                "evidence_url": a.get("evidence_url") or None,
                "informed": _informed(a),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for claim_id, queued in zip(ids, self.queue, strict=True)
            for reviewer_id, a in queued.assessments.items()
        ]
        if rows:
            db.session.execute(insert(Assessment), rows)
        history.write(
            [
                history.entry(
                    None,
                    "claim",
                    "create",
                    claim_id,
                    queued.row["article_id"],
                    after={
                        **{k: queued.row[k] for k in HISTORY_FIELDS if k in queued.row},
                        "assessments": [
                            {"reviewer_id": reviewer_id, "label": a["label"]}
                            for reviewer_id, a in queued.assessments.items()
                        ],
                    },
                    at=now,
                    by=IMPORTER,
                )
                for claim_id, queued in zip(ids, self.queue, strict=True)
            ]
        )
        for claim_id, queued in zip(ids, self.queue, strict=True):
            article = self.articles.get(queued.row["article_id"])
            if article is not None and article.claims is not None:
                row = queued.row  # the key _claims_of and write() use: span and author
                article.claims[(row["start"], row["end"], row["quote"], row["author_id"])] = (
                    claim_id
                )
        self.queue.clear()


def _state(claim: Claim) -> dict:
    """What the history records of a claim the import changes."""
    state = {k: getattr(claim, k) for k in HISTORY_FIELDS}
    state["assessments"] = [
        {"reviewer_id": a.reviewer_id, "label": a.label} for a in claim.assessments
    ]
    return state
