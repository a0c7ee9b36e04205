"""How far reviewers agree: on labels (Krippendorff's alpha, Cohen's kappa, percent
agreement, the confusion of labels) and on spans (which passages each marked), for an event,
an outlet or the whole corpus.

Definitions, so that a number can be checked by hand:

- A **unit** is a claim with two or more assessments; its **pairable values** are those
  assessments. Claims with one assessment say nothing about agreement and are left out.
- **Krippendorff's alpha** (nominal, missing values allowed) is computed by the
  `krippendorff` package. Its 95% interval is a bootstrap over units (BOOTSTRAP resamples
  with replacement, percentile interval, a fixed seed so the page does not change on
  reload), from the same coincidence matrices.
- **Cohen's kappa** for each pair of reviewers, over the claims both assessed, is
  (p_o - p_e) / (1 - p_e): p_o the share of claims they labelled alike, p_e the chance of
  that from each one's label shares. Computed here, not with scikit-learn's
  `cohen_kappa_score` (which the tests compare it with, and the textbook example): importing
  scikit-learn cost each server process 110 MB and 1.3 s for these few lines.
- **Percent agreement** is the share of pairs of assessments of one claim that give it the
  same label.
- The **confusion matrix** counts, for every ordered pair of assessments of one claim, the
  first label against the second (the coincidence counts alpha is built from, unweighted).
- **Span agreement** (which passages each reviewer marked) is Krippendorff's unitizing
  alpha per label and pairwise span F1 with maximum one-to-one matching: see
  `services/review/spans.py` for both definitions. A reviewer *took part* in an article when
  they were assigned it, marked it done or tagged a claim there; two reviewers are compared
  over the articles both took part in, and one who left an article empty counts zero spans
  there. A reviewer's spans of an article count as *independent* when they made every one of
  them without seeing another reviewer's (their own claims, created while no one else's was
  drawn: `claims.informed`); by default an article is compared only among the reviewers whose
  spans there are independent, and the others are counted as left out.
- **Independence**: by default only *uninformed* assessments count, those given while the
  reviewer could not see another label of the claim (the first one, or any in a blind event
  before the reviewer's own); `informed=True` counts all of them.
- **Agreement with the final label**, per reviewer: over the claims where a final label
  exists without them (an adjudication, or every other reviewer of the claim agreeing), the
  share where theirs is the same.

- **Scopes**: an event's figures are its own. The corpus and an outlet pool events; their
  label alpha is shown per event first, and the pooled figure says that it pools.
- **n** is always the units a figure rests on: claims for label figures (claims with two or
  more assessments; for a pair, the claims both assessed), articles for span figures.
- **Blind mode**: a reviewer's figures leave out the claims whose labels blind mode hides
  from them, and the articles holding such claims from span figures; the page says how many.

A statistic over fewer than MIN_UNITS units (label figures) or MIN_UNITS spans (span
figures) is not shown as a number, and neither is its confusion matrix: it says so.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select, true

from app.extensions import db
from app.models import Article, Assessment, Assignment, Claim, Event, User, article_events
from app.services.claims.visibility import hidden_condition, presenter_for
from app.services.review import spans
from app.vocabulary import labels as configured_labels

if TYPE_CHECKING:
    import numpy as np

# numpy, krippendorff and scikit-learn are imported where they are used: together they
# doubled the app's start-up time and memory, and most requests never compute agreement.

MIN_UNITS = 10
BOOTSTRAP = spans.BOOTSTRAP  # resamples, for label and span figures alike


@dataclass(frozen=True)
class Statistic:
    """A figure, or the reason there is none; `n` is what it was computed over."""

    value: float | None
    n: int
    low: float | None = None
    high: float | None = None
    reason: str | None = None


@dataclass(frozen=True)
class PairKappa:
    first: str
    second: str
    kappa: Statistic
    percent: Statistic


@dataclass(frozen=True)
class SpanPair:
    """Two reviewers' spans over the articles both took part in (`article_ids`)."""

    first: str
    second: str
    articles: int
    first_spans: int
    second_spans: int
    exact: int
    overlap: int
    exact_f1: float | None
    overlap_f1: float | None
    only_first: int
    only_second: int
    reason: str | None = None
    article_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class LabelSpans:
    """Krippendorff's alpha_u of one label; `alpha.n`: the articles it rests on."""

    label: str
    spans: int
    alpha: Statistic


@dataclass(frozen=True)
class SpanArticle:
    """An article span figures were computed on: who was compared there, and whose spans
    were left out as not independent."""

    article_id: int
    title: str
    reviewers: tuple[str, ...]
    spans: int
    left_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventRow:
    """One event's label figures, shown before a pooled scope's."""

    event_id: int
    title: str
    units: int
    alpha: Statistic
    percent: Statistic


@dataclass(frozen=True)
class ReviewerRow:
    reviewer: str
    assessed: int
    compared: int
    agreement: Statistic


@dataclass
class Agreement:
    labels: list[str]
    claims: int  # claims with at least one assessment
    units: int  # claims with two or more
    values: int  # pairable values: the assessments of those claims
    alpha: Statistic
    percent: Statistic
    confusion: list[list[int]]
    kappas: list[PairKappa] = field(default_factory=list)
    spans: list[SpanPair] = field(default_factory=list)
    reviewers: list[ReviewerRow] = field(default_factory=list)
    unitizing: list[LabelSpans] = field(default_factory=list)
    span_articles: list[SpanArticle] = field(default_factory=list)
    span_left_out: int = 0  # (article, reviewer) pairs left out as not independent
    events: list[EventRow] = field(default_factory=list)  # a pooled scope's events
    pooled: bool = False  # the figures pool several events
    hidden_claims: int = 0  # claims blind mode hides from the viewer, left out
    hidden_articles: int = 0  # their articles, left out of span figures


def too_few(n: int, what: str = "claims with two or more assessments") -> Statistic:
    return Statistic(None, n, reason=f"too few to say: {n} {what}, {MIN_UNITS} needed")


# -- the computations, on plain data ---------------------------------------------------


def unit_coincidences(units: list[list[int]], k: int) -> np.ndarray:
    """One row per unit: its k*k coincidence matrix, flattened (Krippendorff 2011, eq. 2):
    o_ck = sum over ordered pairs of its values (c, k) / (m_u - 1)."""
    import numpy as np

    rows = np.zeros((len(units), k * k))
    for i, values in enumerate(units):
        counts = np.bincount(values, minlength=k).astype(float)
        matrix = np.outer(counts, counts) - np.diag(counts)
        rows[i] = (matrix / (len(values) - 1)).ravel()
    return rows


def alpha_from_coincidences(o: np.ndarray, k: int) -> np.ndarray:
    """Nominal alpha from coincidence matrices (flattened, one per row): 1 - D_o / D_e."""
    import numpy as np

    o = o.reshape(-1, k, k)
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    off = ~np.eye(k, dtype=bool)
    observed = o[:, off].sum(axis=1)
    expected = (n_c[:, :, None] * n_c[:, None, :])[:, off].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 - (n - 1) * observed / expected


def label_alpha(units: list[list[int]], k: int) -> Statistic:
    """Krippendorff's alpha (nominal) over `units` (each the label indexes its reviewers
    gave one claim), with a bootstrap 95% interval."""
    if len(units) < MIN_UNITS:
        return too_few(len(units))
    import krippendorff
    import numpy as np

    width = max(len(u) for u in units)
    # The library's reliability data: one row per "coder slot", NaN where a unit has fewer.
    data = np.full((width, len(units)), np.nan)
    for j, unit in enumerate(units):
        data[: len(unit), j] = unit
    if len({v for u in units for v in u}) < 2:
        return Statistic(None, len(units), reason="every assessment has the same label")
    value = float(
        krippendorff.alpha(
            reliability_data=data, level_of_measurement="nominal", value_domain=list(range(k))
        )
    )
    replicates = alpha_from_coincidences(spans.bootstrap_sums(unit_coincidences(units, k)), k)
    replicates = replicates[np.isfinite(replicates)]
    low, high = (float(x) for x in np.percentile(replicates, [2.5, 97.5]))
    return Statistic(value, len(units), low, high)


def percent_agreement(units: list[list[int]]) -> Statistic:
    if len(units) < MIN_UNITS:
        return too_few(len(units))
    pairs = agreeing = 0
    for unit in units:
        for a, b in itertools.combinations(unit, 2):
            pairs += 1
            agreeing += a == b
    return Statistic(agreeing / pairs, len(units))


def confusion(units: list[list[int]], k: int) -> list[list[int]]:
    matrix = [[0] * k for _ in range(k)]
    for unit in units:
        for a, b in itertools.permutations(unit, 2):
            matrix[a][b] += 1
    return matrix


def pair_kappa(first: list[int], second: list[int], k: int) -> Statistic:
    if len(first) < MIN_UNITS:
        return too_few(len(first), "claims both assessed")
    if len(set(first) | set(second)) < 2:
        return Statistic(None, len(first), reason="both gave every claim the same label")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    ones, others = Counter(first), Counter(second)
    expected = sum(ones[label] * others[label] for label in range(k)) / (n * n)
    if expected >= 1:
        return Statistic(None, n, reason="undefined: no variation to agree on")
    return Statistic((observed - expected) / (1 - expected), n)


# -- reading a scope -------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which claims: those of an event, of an outlet, or (both None) the whole corpus;
    `viewer`: a reviewer's figures leave out the claims blind mode hides from them;
    `informed`: count assessments given while other labels were visible too, and spans made
    while others' were drawn (by default only independent ones count)."""

    event_id: int | None = None
    outlet_id: int | None = None
    viewer: User | None = field(default=None, compare=False)
    informed: bool = False

    def articles(self, stmt, article_id):
        """`stmt` narrowed to the articles of the scope (`article_id`: its article column)."""
        if self.event_id is not None:
            stmt = stmt.join(article_events, article_events.c.article_id == article_id)
            stmt = stmt.where(article_events.c.event_id == self.event_id)
        if self.outlet_id is not None:
            if article_id is not Article.id:
                stmt = stmt.join(Article, Article.id == article_id)
            stmt = stmt.where(Article.outlet_id == self.outlet_id)
        return stmt

    def where(self, stmt):
        """`stmt` (selecting claims) narrowed to the scope's claims this viewer may count."""
        return self.articles(presenter_for(self.viewer).where(stmt), Claim.article_id)

    @property
    def pools(self) -> bool:
        return self.event_id is None


def compute(scope: Scope) -> Agreement:
    labels = list(configured_labels())
    index = {label: i for i, label in enumerate(labels)}
    rows = db.session.execute(
        scope.where(
            select(Claim.id, User.username, Assessment.label, Claim.adjudicated_label)
            .join(Assessment, Assessment.claim_id == Claim.id)
            .join(User, User.id == Assessment.reviewer_id)
            .where(true() if scope.informed else Assessment.informed.is_not(True))
        ).order_by(Claim.id, User.username)
    ).all()
    by_claim: dict[int, dict[str, int]] = defaultdict(dict)
    adjudicated: dict[int, str | None] = {}
    for claim_id, reviewer, label, adjudication in rows:
        if label in index:  # a label since removed from the configuration is left out
            by_claim[claim_id][reviewer] = index[label]
        adjudicated[claim_id] = adjudication
    units = [list(v.values()) for v in by_claim.values() if len(v) >= 2]
    by_reviewer = _by_reviewer(by_claim)  # each reviewer's labels, read by kappas and rows
    hidden = _hidden(scope)
    result = Agreement(
        labels=labels,
        claims=len(by_claim),
        units=len(units),
        values=sum(len(u) for u in units),
        alpha=label_alpha(units, len(labels)),
        percent=percent_agreement(units),
        confusion=confusion(units, len(labels)) if len(units) >= MIN_UNITS else [],
        kappas=_kappas(by_reviewer, len(labels)),
        reviewers=_reviewer_rows(by_reviewer, by_claim, adjudicated, index),
        pooled=scope.pools,
        hidden_claims=len(hidden[0]),
        hidden_articles=len(hidden[1]),
    )
    if scope.pools:
        result.events = _event_rows(by_claim, len(labels))
    _spans(scope, labels, hidden[1], result)
    return result


def _hidden(scope: Scope) -> tuple[set[int], set[int]]:
    """The claims (and their articles) of the scope whose labels the viewer may not see."""
    if scope.viewer is None or not presenter_for(scope.viewer).blind:
        return set(), set()
    found = db.session.execute(
        scope.articles(
            select(Claim.id, Claim.article_id).where(hidden_condition(scope.viewer)),
            Claim.article_id,
        )
    ).all()
    return {c for c, _ in found}, {a for _, a in found}


def _by_reviewer(by_claim: dict[int, dict[str, int]]) -> dict[str, dict[int, int]]:
    """Each reviewer's labels by claim, from each claim's labels by reviewer."""
    by_reviewer: dict[str, dict[int, int]] = defaultdict(dict)
    for claim_id, given in by_claim.items():
        for reviewer, label in given.items():
            by_reviewer[reviewer][claim_id] = label
    return by_reviewer


def _kappas(by_reviewer: dict[str, dict[int, int]], k: int) -> list[PairKappa]:
    """Cohen's kappa and percent agreement of each pair, over the claims both assessed."""
    kappas = []
    for first, second in itertools.combinations(sorted(by_reviewer), 2):
        shared = sorted(by_reviewer[first].keys() & by_reviewer[second].keys())
        if not shared:
            continue
        a = [by_reviewer[first][c] for c in shared]
        b = [by_reviewer[second][c] for c in shared]
        same = sum(x == y for x, y in zip(a, b, strict=True))
        kappas.append(
            PairKappa(
                first,
                second,
                pair_kappa(a, b, k),
                Statistic(same / len(shared), len(shared))
                if len(shared) >= MIN_UNITS
                else too_few(len(shared), "claims both assessed"),
            )
        )
    return kappas


def _reviewer_rows(
    by_reviewer: dict[str, dict[int, int]],
    by_claim: dict[int, dict[str, int]],
    adjudicated: dict[int, str | None],
    index: dict,
) -> list[ReviewerRow]:
    rows = []
    for reviewer in sorted(by_reviewer):
        compared = agreeing = 0
        for claim_id, label in by_reviewer[reviewer].items():
            reference = _reference(adjudicated.get(claim_id), by_claim[claim_id], reviewer, index)
            if reference is not None:
                compared += 1
                agreeing += label == reference
        statistic = (
            Statistic(agreeing / compared, compared)
            if compared >= MIN_UNITS
            else too_few(compared, "claims with a final label from others")
        )
        rows.append(ReviewerRow(reviewer, len(by_reviewer[reviewer]), compared, statistic))
    return rows


def _reference(
    adjudicated: str | None, given: dict[str, int], reviewer: str, index: dict[str, int]
) -> int | None:
    """The final label as others decided it: the adjudication, else the one label every
    other reviewer gave (when there is at least one other)."""
    if adjudicated is not None and adjudicated in index:
        return index[adjudicated]
    others = {label for name, label in given.items() if name != reviewer}
    return others.pop() if len(others) == 1 else None


def _event_rows(by_claim: dict[int, dict[str, int]], k: int) -> list[EventRow]:
    """Label alpha event by event, for a scope that pools them (a claim of an article in two
    events counts in both)."""
    if not by_claim:
        return []
    ids = list(by_claim)
    membership: dict[int, list[int]] = defaultdict(list)
    titles: dict[int, str] = {}
    for chunk in range(0, len(ids), 5000):
        for claim_id, event_id, title in db.session.execute(
            select(Claim.id, Event.id, Event.title)
            .join(article_events, article_events.c.article_id == Claim.article_id)
            .join(Event, Event.id == article_events.c.event_id)
            .where(Claim.id.in_(ids[chunk : chunk + 5000]))
        ):
            membership[event_id].append(claim_id)
            titles[event_id] = title
    rows = []
    for event_id in sorted(membership, key=lambda e: (titles[e].casefold(), e)):
        units = [list(by_claim[c].values()) for c in membership[event_id]]
        units = [u for u in units if len(u) >= 2]
        rows.append(
            EventRow(
                event_id,
                titles[event_id],
                len(units),
                label_alpha(units, k),
                percent_agreement(units),
            )
        )
    return rows


# -- spans -----------------------------------------------------------------------------


@dataclass
class _ArticleSpans:
    length: int = 0
    title: str = ""
    taking_part: set[str] = field(default_factory=set)
    # reviewer -> {(start, end): label}, the first claim's label where one span repeats
    spans: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    informed: set[str] = field(default_factory=set)


def _spans(scope: Scope, labels: list[str], hidden_articles: set[int], result: Agreement):
    """Span figures of the scope into `result`: alpha_u per label, F1 per pair, and the
    articles they were computed on."""
    articles: dict[int, _ArticleSpans] = defaultdict(_ArticleSpans)
    taking_part = scope.articles(
        select(Assignment.article_id, User.username)
        .join(User, User.id == Assignment.reviewer_id)
        .where(or_(Assignment.assigned.is_(True), Assignment.done_at.is_not(None))),
        Assignment.article_id,
    )
    for article_id, reviewer in db.session.execute(taking_part):
        if article_id not in hidden_articles:
            articles[article_id].taking_part.add(reviewer)
    claims = scope.where(
        select(
            Claim.article_id,
            Claim.start,
            Claim.end,
            User.username,
            Assessment.label,
            Claim.author_id == Assessment.reviewer_id,
            Claim.informed,
        )
        .join(Assessment, Assessment.claim_id == Claim.id)
        .join(User, User.id == Assessment.reviewer_id)
        .where(Claim.anchor.is_distinct_from("orphan"))
        .order_by(Claim.id)
    )
    for article_id, start, end, reviewer, label, own, informed in db.session.execute(claims):
        if article_id in hidden_articles:
            continue
        article = articles[article_id]
        article.taking_part.add(reviewer)
        article.spans.setdefault(reviewer, {}).setdefault((start, end), label)
        if not own or informed:
            article.informed.add(reviewer)
    # Lengths and titles of the articles two or more reviewers took part in, and only those.
    shared = sorted(a for a, article in articles.items() if len(article.taking_part) >= 2)
    for chunk in range(0, len(shared), 5000):
        for article_id, title, length in db.session.execute(
            select(Article.id, Article.title, func.length(Article.text)).where(
                Article.id.in_(shared[chunk : chunk + 5000])
            )
        ):
            articles[article_id].length = length or 0
            articles[article_id].title = title or ""

    used: dict[int, list[str]] = {}
    for article_id in shared:
        article = articles[article_id]
        counted = sorted(
            r for r in article.taking_part if scope.informed or r not in article.informed
        )
        left_out = tuple(sorted(article.taking_part - set(counted)))
        result.span_left_out += len(left_out)
        if len(counted) >= 2:
            used[article_id] = counted
            n = sum(len(article.spans.get(r, {})) for r in counted)
            result.span_articles.append(
                SpanArticle(article_id, article.title, tuple(counted), n, left_out)
            )
    result.unitizing = [_label_spans(label, articles, used) for label in labels]
    result.spans = _span_pairs(articles, used)


def _label_spans(label: str, articles: dict[int, _ArticleSpans], used: dict) -> LabelSpans:
    continua = []
    count = 0
    for article_id, reviewers in used.items():
        article = articles[article_id]
        raters = tuple(
            tuple(span for span, given in article.spans.get(r, {}).items() if given == label)
            for r in reviewers
        )
        count += sum(len(r) for r in raters)
        continua.append(spans.Continuum(article.length, raters))
    if count < MIN_UNITS:
        reason = f"too few to say: {count} spans labelled {label}, {MIN_UNITS} needed"
        return LabelSpans(label, count, Statistic(None, len(continua), reason=reason))
    value, parts = spans.alpha_u(continua)
    if value is None:
        return LabelSpans(label, count, Statistic(None, len(parts), reason="undefined"))
    interval = spans.bootstrap_interval(parts) or (None, None)
    return LabelSpans(label, count, Statistic(value, len(parts), *interval))


def _span_pairs(articles: dict[int, _ArticleSpans], used: dict[int, list[str]]) -> list[SpanPair]:
    totals: dict[tuple[str, str], Counter] = defaultdict(Counter)
    compared: dict[tuple[str, str], list[int]] = defaultdict(list)
    for article_id, reviewers in used.items():
        article = articles[article_id]
        for first, second in itertools.combinations(reviewers, 2):
            a, b, exact, overlap = spans.match_spans(
                article.spans.get(first, {}), article.spans.get(second, {})
            )
            totals[(first, second)].update(first=a, second=b, exact=exact, overlap=overlap)
            compared[(first, second)].append(article_id)
    pairs = []
    for (first, second), t in sorted(totals.items()):
        both = t["first"] + t["second"]
        reason = None
        if both < MIN_UNITS:
            reason = f"too few to say: {both} spans, {MIN_UNITS} needed"
        ids = tuple(compared[(first, second)])
        pairs.append(
            SpanPair(
                first,
                second,
                len(ids),
                t["first"],
                t["second"],
                t["exact"],
                t["overlap"],
                2 * t["exact"] / both if reason is None else None,
                2 * t["overlap"] / both if reason is None else None,
                t["first"] - t["overlap"],
                t["second"] - t["overlap"],
                reason,
                ids,
            )
        )
    return pairs
