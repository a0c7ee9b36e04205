"""Comparing outlets on one event: columns, propositions, the matrix, statistics, framing.

A page reads its event once, into an EventSnapshot, and hands that one value to every
computation it shows. Nothing here reads the event's articles, claims or assessments again,
so a page costs the same few statements however many articles and claims the event has.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from app.errors import InvalidInput
from app.extensions import db
from app.models import (
    Actor,
    Article,
    Assessment,
    Claim,
    Event,
    Outlet,
    Proposition,
    article_events,
)
from app.services.claims.visibility import ClaimPresenter
from app.text.framing import Term, log_odds, name_mentions, tokens
from app.text.numbers import numbers_disagree
from app.text.similarity import most_similar, sentences
from app.vocabulary import NO_FINAL_LABEL, labels

STANCE_ORDER = ("favourable", "mixed", "neutral", "unknown", "critical", "hostile")


@dataclass(frozen=True)
class EventSnapshot:
    """One event as read once: its articles (by date, each with its outlet and its claims
    with their assessments, reviewers and authors), its propositions and its actors.

    Read-only by contract: computations take it and return new values.
    """

    event: Event
    articles: tuple[Article, ...]
    propositions: tuple[Proposition, ...]
    actors: tuple[Actor, ...] | None  # None: not read (only framing needs them)
    # Claims the reader may not see the labels of (blind mode): left out of everything
    # computed from this snapshot.
    hidden: frozenset[int] = frozenset()

    def claims(self, article: Article) -> list[Claim]:
        """The article's claims that this snapshot's reader may see."""
        if not self.hidden:
            return article.claims
        return [c for c in article.claims if c.id not in self.hidden]

    def hidden_claims(self, article: Article) -> list[Claim]:
        """The article's claims whose labels blind mode hides from this reader: counted, so
        that a page says what it hides instead of calling it an omission."""
        if not self.hidden:
            return []
        return [c for c in article.claims if c.id in self.hidden]

    @cached_property
    def outlets(self) -> list[Outlet]:
        """The outlets covering the event, by name."""
        unique = {a.outlet_id: a.outlet for a in self.articles}
        return sorted(unique.values(), key=lambda o: o.name.lower())

    @cached_property
    def texts_by_outlet(self) -> dict[str, str]:
        """Each outlet's articles as one text (by outlet name, names sorted), for the
        computations that read words: framing, name counts, actor suggestions."""
        texts: dict[str, list[str]] = defaultdict(list)
        for article in self.articles:
            texts[article.outlet.name].append(article.text)
        return {name: "\n".join(texts[name]) for name in sorted(texts, key=str.lower)}

    @cached_property
    def actor_names(self) -> list[str]:
        """Every name and alias of the event's actors."""
        return [name for actor in self.actors or () for name in actor.names]

    def articles_by_outlet(self) -> list[tuple[Outlet, list[Article]]]:
        """The articles grouped by outlet; outlets by name, articles by date."""
        groups: dict[int, list[Article]] = defaultdict(list)
        for article in self.articles:
            groups[article.outlet_id].append(article)
        return [(o, groups[o.id]) for o in self.outlets]


def load_snapshots(
    events: Iterable[Event], reader: ClaimPresenter | None = None, *, actors: bool = False
) -> list[EventSnapshot]:
    """Snapshots of the events, read with the same few statements however many events,
    articles and claims there are. `actors`: read the events' actors too (for framing).
    `reader`: whose eyes (the claim presenter); in a blind event a reviewer's snapshot
    leaves out the claims blind mode hides from them. None: every claim (for computations
    that show no labels)."""
    events = list(events)
    ids = [e.id for e in events]
    if not ids:
        return []
    rows = db.session.execute(
        select(article_events.c.event_id, Article)
        .join(article_events, article_events.c.article_id == Article.id)
        .where(article_events.c.event_id.in_(ids))
        .options(
            undefer(Article.overlap),  # k, for the claims' final labels
            selectinload(Article.outlet).selectinload(Outlet.aliases),  # the outlet JSON's
            selectinload(Article.claims)
            .selectinload(Claim.assessments)
            .selectinload(Assessment.reviewer),
            selectinload(Article.claims).selectinload(Claim.author),
        )
        .order_by(Article.published.nulls_last(), Article.id)
    ).all()
    articles: dict[int, list[Article]] = defaultdict(list)
    for event_id, article in rows:
        articles[event_id].append(article)
    propositions: dict[int, list[Proposition]] = defaultdict(list)
    for proposition in db.session.scalars(
        select(Proposition).where(Proposition.event_id.in_(ids)).order_by(Proposition.id)
    ):
        propositions[proposition.event_id].append(proposition)
    by_event: dict[int, list[Actor]] = defaultdict(list)
    if actors:
        for actor in db.session.scalars(
            select(Actor)
            .where(Actor.event_id.in_(ids))
            .options(selectinload(Actor.aliases))
            .order_by(Actor.name, Actor.id)
        ):
            by_event[actor.event_id].append(actor)
    ids = {a.id for group in articles.values() for a in group}
    hidden = reader.hidden(ids) if reader is not None else frozenset()
    return [
        EventSnapshot(
            e,
            tuple(articles[e.id]),
            tuple(propositions[e.id]),
            tuple(by_event[e.id]) if actors else None,
            hidden,
        )
        for e in events
    ]


def load_snapshot(
    event: Event, reader: ClaimPresenter | None = None, *, actors: bool = False
) -> EventSnapshot:
    """The snapshot of one event, as `reader` may see it (None: every claim)."""
    return load_snapshots([event], reader, actors=actors)[0]


def outlet_events(outlet: Outlet) -> list[Event]:
    """The events the outlet's articles cover."""
    return list(
        db.session.scalars(
            select(Event)
            .join(article_events, article_events.c.event_id == Event.id)
            .join(Article, Article.id == article_events.c.article_id)
            .where(Article.outlet_id == outlet.id)
            .distinct()
            .order_by(Event.id)
        )
    )


# Columns the compare page opens with when no one chose: more do not fit side by side. A
# 500-article event opens on a few, one of each stance in turn; the matrix shows them all.
DEFAULT_COLUMNS = 8


def choose_columns(
    articles: list[Article], ids: list[int] | None, most: int | None = None
) -> list[Article]:
    """The reader's choice and order of columns; by default all, grouped by stance, or at
    `most` that many: the first of each stance, then the second of each, and so on."""
    if ids:
        by_id = {a.id: a for a in articles}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise InvalidInput(f"Articles {unknown} are not part of this event.")
        return [by_id[i] for i in dict.fromkeys(ids)]
    rank = {s: i for i, s in enumerate(STANCE_ORDER)}
    ordered = sorted(
        articles, key=lambda a: (rank.get(a.stance, len(rank)), a.outlet.name.lower(), a.id)
    )
    if most is None or len(ordered) <= most:
        return ordered
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        groups[article.stance].append(article)
    turns = itertools.zip_longest(*groups.values())
    in_turn = [a.id for turn in turns for a in turn if a is not None]
    picked = set(in_turn[:most])
    return [a for a in ordered if a.id in picked]


def stance_groups(articles: list[Article]) -> list[tuple[str, list[Article]]]:
    """The articles by stance, in the stances' order, as the column chooser lists them."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in choose_columns(articles, None):
        groups[article.stance].append(article)
    return list(groups.items())


def label_counts(claims: list[Claim]) -> dict[str, int]:
    counts = Counter(c.final_label or NO_FINAL_LABEL for c in claims)
    return {label: counts.get(label, 0) for label in (*labels(), NO_FINAL_LABEL)}


@dataclass
class Comparison:
    event: Event
    articles: list[Article]
    propositions: list[Proposition]
    claims_by_proposition: dict[int, dict[int, list[Claim]]]  # proposition -> article -> claims
    outlet_labels: dict[str, dict[str, int]]
    # proposition -> columns whose claim of it blind mode hides (and no visible one)
    hidden_by_proposition: dict[int, int] = field(default_factory=dict)


def build_comparison(
    snapshot: EventSnapshot, article_ids: list[int] | None = None, most: int | None = None
) -> Comparison:
    """Columns, propositions with each article's claims, and per-outlet label counts (of
    the columns shown)."""
    articles = choose_columns(list(snapshot.articles), article_ids, most)
    by_prop: dict[int, dict[int, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    hidden_by_prop: dict[int, set[int]] = defaultdict(set)
    per_outlet: dict[str, list[Claim]] = defaultdict(list)
    for article in articles:
        visible = snapshot.claims(article)
        per_outlet[article.outlet.name] += visible
        for claim in visible:
            if claim.proposition_id is not None:
                by_prop[claim.proposition_id][article.id].append(claim)
        for claim in snapshot.hidden_claims(article):
            if claim.proposition_id is not None:
                hidden_by_prop[claim.proposition_id].add(article.id)
    return Comparison(
        event=snapshot.event,
        articles=articles,
        propositions=list(snapshot.propositions),
        claims_by_proposition={k: dict(v) for k, v in by_prop.items()},
        hidden_by_proposition={
            k: len(v - set(by_prop.get(k, {}))) for k, v in hidden_by_prop.items()
        },
        outlet_labels={name: label_counts(claims) for name, claims in sorted(per_outlet.items())},
    )


@dataclass
class Cell:
    claims: list[Claim]

    @property
    def wording(self) -> str:
        return " … ".join(c.quote for c in self.claims)

    @property
    def labels(self) -> list[str]:
        return sorted({c.final_label or NO_FINAL_LABEL for c in self.claims})


@dataclass
class MatrixRow:
    proposition: Proposition
    cells: dict[int, Cell | None]  # outlet id -> cell, None when the outlet omits it
    labels_differ: bool
    numbers_conflict: bool
    # outlet id -> claims stating the proposition whose labels blind mode hides from the
    # reader: such a cell is "hidden until you assess", never an omission
    hidden: dict[int, int] = field(default_factory=dict)

    @property
    def reporting(self) -> int:
        """Outlets known to state it: with a visible claim, or one blind mode hides."""
        return sum(1 for o, c in self.cells.items() if c is not None or self.hidden.get(o))

    @property
    def hidden_outlets(self) -> int:
        return sum(1 for o, c in self.cells.items() if c is None and self.hidden.get(o))

    @property
    def flagged(self) -> bool:
        return self.labels_differ or self.numbers_conflict


@dataclass
class Matrix:
    event: Event
    outlets: list[Outlet]
    rows: list[MatrixRow] = field(default_factory=list)


def build_matrix(snapshot: EventSnapshot, sort: str = "proposition") -> Matrix:
    """Propositions x outlets covering the event. An empty cell is an omission: the outlet
    covers the event but none of its claims states the proposition."""
    outlets = snapshot.outlets
    claims_by: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    hidden_by: dict[tuple[int, int], int] = defaultdict(int)
    for article in snapshot.articles:
        for claim in snapshot.claims(article):
            if claim.proposition_id is not None:
                claims_by[(claim.proposition_id, article.outlet_id)].append(claim)
        for claim in snapshot.hidden_claims(article):
            if claim.proposition_id is not None:
                hidden_by[(claim.proposition_id, article.outlet_id)] += 1
    matrix = Matrix(snapshot.event, outlets)
    for proposition in snapshot.propositions:
        cells = {
            o.id: (
                Cell(claims_by[(proposition.id, o.id)])
                if claims_by.get((proposition.id, o.id))
                else None
            )
            for o in outlets
        }
        present = [c for c in cells.values() if c is not None]
        labels = {label for c in present for label in c.labels}
        matrix.rows.append(
            MatrixRow(
                proposition=proposition,
                cells=cells,
                labels_differ=len(present) > 1 and len(labels) > 1,
                numbers_conflict=numbers_disagree(c.wording for c in present),
                hidden={
                    o.id: hidden_by[(proposition.id, o.id)]
                    for o in outlets
                    if hidden_by.get((proposition.id, o.id))
                },
            )
        )
    keys = {
        "proposition": lambda r: r.proposition.id,
        "flagged": lambda r: (not r.flagged, r.proposition.id),
        "reporting": lambda r: (-r.reporting, r.proposition.id),
        "omitted": lambda r: (r.reporting, r.proposition.id),
    }
    if sort not in keys:
        raise InvalidInput(f"Unknown sort {sort!r}; expected one of {', '.join(keys)}.")
    matrix.rows.sort(key=keys[sort])
    return matrix


@dataclass
class OutletStats:
    outlet: Outlet
    counts: dict[str, int]
    total: int
    unique: int  # propositions only this outlet reports
    omitted: int  # propositions others report and this outlet does not
    hidden: int = 0  # claims whose labels blind mode hides from the reader (not counted above)

    def share(self, label: str) -> float:
        return self.counts[label] / self.total if self.total else 0.0


def outlet_stats(
    snapshots: Sequence[EventSnapshot], outlet: Outlet | None = None
) -> list[OutletStats]:
    """Per outlet (or for `outlet` alone): claims by final label with shares; propositions
    unique to it or omitted by it, within the events of `snapshots`."""
    claims: dict[int, list[Claim]] = defaultdict(list)
    outlets: dict[int, Outlet] = {}
    unique: Counter = Counter()
    omitted: Counter = Counter()
    hidden: Counter = Counter()
    seen: set[int] = set()
    for snapshot in snapshots:
        for article in snapshot.articles:
            outlets[article.outlet_id] = article.outlet
            if article.id not in seen:  # an article in two events counts once
                seen.add(article.id)
                claims[article.outlet_id] += snapshot.claims(article)
                hidden[article.outlet_id] += len(snapshot.hidden_claims(article))
        for row in build_matrix(snapshot).rows:
            # An outlet whose claim of the proposition blind mode hides states it too.
            reporters = [oid for oid, cell in row.cells.items() if cell or row.hidden.get(oid)]
            if len(reporters) == 1:
                unique[reporters[0]] += 1
            if reporters:
                for oid in row.cells:
                    if oid not in reporters:
                        omitted[oid] += 1
    ids = (
        [outlet.id]
        if outlet is not None
        else sorted(outlets, key=lambda i: outlets[i].name.lower())
    )
    result = []
    for oid in ids:
        counts = label_counts(claims.get(oid, []))
        result.append(
            OutletStats(
                outlets.get(oid, outlet),
                counts,
                sum(counts.values()),
                unique[oid],
                omitted[oid],
                hidden[oid],
            )
        )
    return result


@dataclass
class ActorNaming:
    """How each outlet names one actor: name -> outlet -> mentions (names no outlet used
    are left out)."""

    actor: Actor
    names: dict[str, dict[str, int]]


@dataclass
class Framing:
    terms: dict[str, list[Term]]  # outlet name -> most distinctive words
    actors: list[ActorNaming]  # the event's actors, by name; none when it has none
    outlets: list[str]


def framing(snapshot: EventSnapshot, top: int = 12) -> Framing:
    """Distinctive words per outlet (log-odds, informative Dirichlet prior), and how often
    each outlet uses each name of each of the event's actors."""
    joined = snapshot.texts_by_outlet
    names = list(joined)
    counts = {name: Counter(tokens(joined[name])) for name in names}
    terms = {
        name: [t for t in ranked if t.count >= 2][:top] for name, ranked in log_odds(counts).items()
    }
    if snapshot.actors is None:
        raise ValueError("framing needs a snapshot loaded with actors=True")
    actors = []
    for actor in snapshot.actors:
        per_outlet = {name: name_mentions(joined[name], actor.names) for name in names}
        used = {
            variant: {name: per_outlet[name][variant] for name in names}
            for variant in dict.fromkeys(actor.names)
            if any(per_outlet[name][variant] for name in names)
        }
        actors.append(ActorNaming(actor, used))
    return Framing(terms=terms, actors=actors, outlets=names)


@dataclass(frozen=True)
class Suggestion:
    article: Article
    start: int
    end: int
    quote: str
    score: float


def suggestions(claim: Claim, limit: int = 5) -> list[Suggestion]:
    """Passages in the other articles of the claim's events most like the claim (TF-IDF)."""
    candidates: list[tuple[Article, int, int, str]] = []
    seen_articles: set[int] = {claim.article_id}
    for snapshot in load_snapshots(claim.article.events):
        for article in snapshot.articles:
            if article.id in seen_articles:
                continue
            seen_articles.add(article.id)
            candidates += [(article, s.start, s.end, s.text) for s in sentences(article.text)]
    ranked = most_similar(claim.quote, [c[3] for c in candidates], limit=limit * 3)
    out, seen = [], set()
    for index, score in ranked:
        article, start, end, text = candidates[index]
        if (article.id, start) in seen:
            continue
        seen.add((article.id, start))
        out.append(Suggestion(article, start, end, text, round(score, 4)))
    return out[:limit]
