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
  scikit-learn's `cohen_kappa_score`.
- **Percent agreement** is the share of pairs of assessments of one claim that give it the
  same label.
- The **confusion matrix** counts, for every ordered pair of assessments of one claim, the
  first label against the second (the coincidence counts alpha is built from, unweighted).
- **Span agreement** compares the claims two reviewers each created on the same article:
  *exact* when the offsets are identical; *overlap* when the spans share at least one
  character, paired one to one, the largest overlap first. F1 = 2 * matched / (spans of the
  one + spans of the other), summed over the articles both tagged. This is the
  exact/overlap matching of the span-agreement literature (DKPro Agreement's unitizing
  studies); gamma (Mathet et al. 2015), which also weighs positional dissimilarity, is not
  computed.
- **Independence**: by default only *uninformed* assessments count, those given while the
  reviewer could not see another label of the claim (the first one, or any in a blind event
  before the reviewer's own); `informed=True` counts all of them.
- **Agreement with the final label**, per reviewer: over the claims where a final label
  exists without them (an adjudication, or every other reviewer of the claim agreeing), the
  share where theirs is the same.

A statistic over fewer than MIN_UNITS units is not shown as a number: it says so.
"""

from __future__ import annotations

import itertools
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select, true

from app.extensions import db
from app.models import Article, Assessment, Claim, User, article_events
from app.services.claims.visibility import presenter_for
from app.vocabulary import labels as configured_labels

if TYPE_CHECKING:
    import numpy as np

# numpy, krippendorff and scikit-learn are imported where they are used: together they
# doubled the app's start-up time and memory, and most requests never compute agreement.

MIN_UNITS = 10
BOOTSTRAP = 2000
SEED = 0


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

    values = sum(len(u) for u in units)
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
    per_unit = unit_coincidences(units, k)
    rng = np.random.default_rng(SEED)
    weights = rng.multinomial(len(units), np.full(len(units), 1 / len(units)), size=BOOTSTRAP)
    replicates = alpha_from_coincidences(weights @ per_unit, k)
    replicates = replicates[np.isfinite(replicates)]
    low, high = (float(x) for x in np.percentile(replicates, [2.5, 97.5]))
    return Statistic(value, values, low, high)


def percent_agreement(units: list[list[int]]) -> Statistic:
    if len(units) < MIN_UNITS:
        return too_few(len(units))
    pairs = agreeing = 0
    for unit in units:
        for a, b in itertools.combinations(unit, 2):
            pairs += 1
            agreeing += a == b
    return Statistic(agreeing / pairs, pairs)


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
    import numpy as np
    from sklearn.metrics import cohen_kappa_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        kappa = float(cohen_kappa_score(first, second, labels=list(range(k))))
    if not np.isfinite(kappa):
        return Statistic(None, len(first), reason="undefined: no variation to agree on")
    return Statistic(kappa, len(first))


def match_spans(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> tuple[int, int]:
    """(exact matches, overlap matches) between two reviewers' spans of one article; each span
    is matched at most once, the largest overlaps first."""
    exact = len(set(first) & set(second))
    overlaps = sorted(
        (
            (min(a_end, b_end) - max(a_start, b_start), i, j)
            for i, (a_start, a_end) in enumerate(first)
            for j, (b_start, b_end) in enumerate(second)
            if min(a_end, b_end) > max(a_start, b_start)
        ),
        reverse=True,
    )
    used_first: set[int] = set()
    used_second: set[int] = set()
    for _, i, j in overlaps:
        if i not in used_first and j not in used_second:
            used_first.add(i)
            used_second.add(j)
    return exact, len(used_first)


# -- reading a scope -------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which claims: those of an event, of an outlet, or (both None) the whole corpus;
    `viewer`: a reviewer's figures leave out the claims blind mode hides from them;
    `informed`: count assessments given while other labels were visible too (by default
    only independent ones count)."""

    event_id: int | None = None
    outlet_id: int | None = None
    viewer: User | None = field(default=None, compare=False)
    informed: bool = False

    def where(self, stmt):
        stmt = presenter_for(self.viewer).where(stmt)
        if self.event_id is not None:
            stmt = stmt.join(article_events, article_events.c.article_id == Claim.article_id)
            stmt = stmt.where(article_events.c.event_id == self.event_id)
        if self.outlet_id is not None:
            stmt = stmt.join(Article, Article.id == Claim.article_id)
            stmt = stmt.where(Article.outlet_id == self.outlet_id)
        return stmt


def compute(scope: Scope) -> Agreement:
    labels = list(configured_labels())
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
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

    # Each reviewer's claims, so that a pair reads only the claims both assessed.
    by_reviewer: dict[str, dict[int, int]] = defaultdict(dict)
    for claim_id, given in by_claim.items():
        for reviewer, label in given.items():
            by_reviewer[reviewer][claim_id] = label
    reviewers = sorted(by_reviewer)
    kappas = []
    for first, second in itertools.combinations(reviewers, 2):
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

    per_reviewer = []
    for reviewer in reviewers:
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
        per_reviewer.append(ReviewerRow(reviewer, len(by_reviewer[reviewer]), compared, statistic))

    return Agreement(
        labels=labels,
        claims=len(by_claim),
        units=len(units),
        values=sum(len(u) for u in units),
        alpha=label_alpha(units, k),
        percent=percent_agreement(units),
        confusion=confusion(units, k),
        kappas=kappas,
        spans=_span_pairs(scope),
        reviewers=per_reviewer,
    )


def _reference(
    adjudicated: str | None, given: dict[str, int], reviewer: str, index: dict[str, int]
) -> int | None:
    """The final label as others decided it: the adjudication, else the one label every
    other reviewer gave (when there is at least one other)."""
    if adjudicated is not None and adjudicated in index:
        return index[adjudicated]
    others = {label for name, label in given.items() if name != reviewer}
    return others.pop() if len(others) == 1 else None


def _span_pairs(scope: Scope) -> list[SpanPair]:
    rows = db.session.execute(
        scope.where(
            select(Claim.article_id, User.username, Claim.start, Claim.end)
            .join(User, User.id == Claim.author_id)
            .where(Claim.anchor.is_distinct_from("orphan"))
        )
    ).all()
    spans: dict[int, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for article_id, author, start, end in rows:
        spans[article_id][author].append((start, end))
    totals: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for by_author in spans.values():
        for first, second in itertools.combinations(sorted(by_author), 2):
            a, b = by_author[first], by_author[second]
            exact, overlap = match_spans(a, b)
            total = totals[(first, second)]
            total.update(articles=1, first=len(a), second=len(b), exact=exact, overlap=overlap)
    pairs = []
    for (first, second), t in sorted(totals.items()):
        both = t["first"] + t["second"]
        pairs.append(
            SpanPair(
                first,
                second,
                t["articles"],
                t["first"],
                t["second"],
                t["exact"],
                t["overlap"],
                2 * t["exact"] / both if both else None,
                2 * t["overlap"] / both if both else None,
                t["first"] - t["overlap"],
                t["second"] - t["overlap"],
            )
        )
    return pairs
