"""Comparing outlets on one event: columns, propositions, the matrix, statistics, framing."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Article, Assessment, Claim, Event, Outlet, Proposition, article_events
from app.services.errors import InvalidInput
from app.text.framing import ACTOR_NAMES, Term, actor_mentions, log_odds, tokens
from app.text.numbers import numbers_disagree
from app.text.similarity import most_similar, sentences

STANCE_ORDER = ("favourable", "mixed", "neutral", "unknown", "critical", "hostile")


def event_articles(event: Event) -> list[Article]:
    """The event's articles with outlet, claims and assessments loaded in a few queries."""
    return list(
        db.session.scalars(
            select(Article)
            .join(article_events, article_events.c.article_id == Article.id)
            .where(article_events.c.event_id == event.id)
            .options(
                selectinload(Article.outlet),
                selectinload(Article.claims)
                .selectinload(Claim.assessments)
                .selectinload(Assessment.reviewer),
                selectinload(Article.claims).selectinload(Claim.author),
            )
            .order_by(Article.published.nulls_last(), Article.id)
        )
    )


def choose_columns(articles: list[Article], ids: list[int] | None) -> list[Article]:
    """The reader's choice and order of columns; by default all, grouped by stance."""
    if ids:
        by_id = {a.id: a for a in articles}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise InvalidInput(f"Articles {unknown} are not part of this event.")
        return [by_id[i] for i in dict.fromkeys(ids)]
    rank = {s: i for i, s in enumerate(STANCE_ORDER)}
    return sorted(
        articles, key=lambda a: (rank.get(a.stance, len(rank)), a.outlet.name.lower(), a.id)
    )


def label_counts(claims: list[Claim]) -> dict[str, int]:
    labels = [*current_app.config["PARALLAX_LABELS"], "disputed"]
    counts = Counter(c.final_label or "disputed" for c in claims)
    return {label: counts.get(label, 0) for label in labels}


@dataclass
class Comparison:
    event: Event
    articles: list[Article]
    propositions: list[Proposition]
    claims_by_proposition: dict[int, dict[int, list[Claim]]]  # proposition -> article -> claims
    outlet_labels: dict[str, dict[str, int]]


def build_comparison(event: Event, article_ids: list[int] | None = None) -> Comparison:
    """Columns, propositions with each article's claims, and per-outlet label counts."""
    articles = choose_columns(event_articles(event), article_ids)
    propositions = list(
        db.session.scalars(
            select(Proposition).where(Proposition.event_id == event.id).order_by(Proposition.id)
        )
    )
    by_prop: dict[int, dict[int, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    per_outlet: dict[str, list[Claim]] = defaultdict(list)
    for article in articles:
        per_outlet[article.outlet.name] += article.claims
        for claim in article.claims:
            if claim.proposition_id is not None:
                by_prop[claim.proposition_id][article.id].append(claim)
    return Comparison(
        event=event,
        articles=articles,
        propositions=propositions,
        claims_by_proposition={k: dict(v) for k, v in by_prop.items()},
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
        return sorted({c.final_label or "disputed" for c in self.claims})


@dataclass
class MatrixRow:
    proposition: Proposition
    cells: dict[int, Cell | None]  # outlet id -> cell, None when the outlet omits it
    labels_differ: bool
    numbers_conflict: bool

    @property
    def reporting(self) -> int:
        return sum(1 for c in self.cells.values() if c is not None)

    @property
    def flagged(self) -> bool:
        return self.labels_differ or self.numbers_conflict


@dataclass
class Matrix:
    event: Event
    outlets: list[Outlet]
    rows: list[MatrixRow] = field(default_factory=list)


def build_matrix(event: Event, sort: str = "proposition") -> Matrix:
    """Propositions x outlets covering the event. An empty cell is an omission: the outlet
    covers the event but none of its claims states the proposition."""
    articles = event_articles(event)
    outlets = sorted(
        {a.outlet.id: a.outlet for a in articles}.values(), key=lambda o: o.name.lower()
    )
    claims_by: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    for article in articles:
        for claim in article.claims:
            if claim.proposition_id is not None:
                claims_by[(claim.proposition_id, article.outlet_id)].append(claim)
    matrix = Matrix(event, outlets)
    for proposition in db.session.scalars(
        select(Proposition).where(Proposition.event_id == event.id).order_by(Proposition.id)
    ):
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

    def share(self, label: str) -> float:
        return self.counts[label] / self.total if self.total else 0.0


def outlet_stats(event: Event | None = None, outlet: Outlet | None = None) -> list[OutletStats]:
    """Per outlet: claims by final label with shares; propositions unique to it or omitted
    by it (within the event, or across the outlet's events)."""
    if event is not None:
        events = [event]
    elif outlet is not None:
        events = list(
            db.session.scalars(
                select(Event)
                .join(article_events, article_events.c.event_id == Event.id)
                .join(Article, Article.id == article_events.c.article_id)
                .where(Article.outlet_id == outlet.id)
                .distinct()
            )
        )
    else:
        events = []
    claims: dict[int, list[Claim]] = defaultdict(list)
    outlets: dict[int, Outlet] = {}
    unique: Counter = Counter()
    omitted: Counter = Counter()
    seen: set[int] = set()
    for ev in events:
        matrix = build_matrix(ev)
        for article in event_articles(ev):
            outlets[article.outlet_id] = article.outlet
            if article.id not in seen:
                seen.add(article.id)
                claims[article.outlet_id] += article.claims
        for row in matrix.rows:
            reporters = [oid for oid, cell in row.cells.items() if cell is not None]
            if len(reporters) == 1:
                unique[reporters[0]] += 1
            if reporters:
                for oid, cell in row.cells.items():
                    if cell is None:
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
                outlets.get(oid, outlet), counts, sum(counts.values()), unique[oid], omitted[oid]
            )
        )
    return result


@dataclass
class Framing:
    terms: dict[str, list[Term]]  # outlet name -> most distinctive words
    actors: dict[str, dict[str, dict[str, int]]]  # actor -> name -> outlet -> count
    outlets: list[str]


def framing(event: Event, top: int = 12) -> Framing:
    """Distinctive words per outlet (log-odds, informative Dirichlet prior) and actor names."""
    texts: dict[str, list[str]] = defaultdict(list)
    for article in event_articles(event):
        texts[article.outlet.name].append(article.text)
    names = sorted(texts, key=str.lower)
    counts = {name: Counter(w for t in texts[name] for w in tokens(t)) for name in names}
    terms = {
        name: [t for t in ranked if t.count >= 2][:top] for name, ranked in log_odds(counts).items()
    }
    actors: dict[str, dict[str, dict[str, int]]] = {}
    for actor, variants in ACTOR_NAMES.items():
        per_outlet = {name: actor_mentions("\n".join(texts[name]), variants) for name in names}
        actors[actor] = {
            variant: {name: per_outlet[name][variant] for name in names}
            for variant in variants
            if any(per_outlet[name][variant] for name in names)
        }
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
    for event in claim.article.events:
        for article in event_articles(event):
            if article.id == claim.article_id:
                continue
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
