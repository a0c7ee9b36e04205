"""How far reviewers agree on *where* the claims are: Krippendorff's unitizing alpha per label,
and pairwise span F1 with one-to-one maximum matching. Plain data in, figures out; the
database is read by `agreement.compute`.

Definitions, so that a number can be recomputed from an export:

- An article is a **continuum** of code points [0, L). A reviewer's **spans** on it are the
  claims they tagged there: each claim they assessed, labelled with their own label. Two
  spans of one reviewer with the same offsets count once (the first label, by claim id).
- **Krippendorff's alpha_u** (Krippendorff 1995, 2004 ch. 12; as DKPro Statistics'
  `KrippendorffAlphaUnitizingAgreement` computes it) is computed per label. For one label
  on one article, each reviewer who took part divides the continuum into their spans of the
  label and the gaps between them (overlapping spans of one reviewer with one label are
  joined first: alpha_u needs them apart). The observed disagreement D_o sums, over every
  pair of reviewers and every pair of their overlapping segments, the squared differences
  of begins and ends of two overlapping spans, or the squared length of a span lying inside
  the other's gap; divided by R(R-1)L^2/2. The expected disagreement D_e is Krippendorff's
  closed form over all unitizations with the same spans and gaps. Over several articles,
  alpha_u = 1 - sum(L^2 D_o) / sum(L^2 D_e): D_o weighs the articles as one continuum
  would; each article's own alpha_u is listed too. The 95% interval is a bootstrap over
  articles (BOOTSTRAP resamples, a fixed seed).
- **Span F1** for two reviewers: on each article, their spans are paired one to one so that
  as many pairs as possible match (a maximum matching, scipy's `linear_sum_assignment`,
  needed only where a span could pair with more than one: elsewhere each pair is alone):
  *exact* when the offsets are identical, *overlap* when the spans' Jaccard similarity
  (shared code points over covered code points) is at least OVERLAP_JACCARD. F1 =
  2 x matched / (spans of the one + spans of the other), summed over the articles compared.
  Labels do not matter here; alpha_u weighs them.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

OVERLAP_JACCARD = 0.5
BOOTSTRAP = 2000
SEED = 0

Span = tuple[int, int]


# -- Krippendorff's alpha_u --------------------------------------------------------------


def joined(spans: Iterable[Span]) -> list[Span]:
    """One reviewer's spans of one label, sorted, with overlapping ones joined (touching
    ones stay apart: they are two units with no gap between them)."""
    out: list[list[int]] = []
    for start, end in sorted(set(spans)):
        if end <= start:
            continue
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _segments(units: list[Span], length: int) -> list[tuple[int, int, bool]]:
    """The continuum cut into (begin, end, is_unit) by one reviewer's units."""
    out, pos = [], 0
    for start, end in units:
        if start > pos:
            out.append((pos, start, False))
        out.append((start, end, True))
        pos = end
    if pos < length:
        out.append((pos, length, False))
    return out


def _delta(first: tuple[int, int, bool], second: tuple[int, int, bool]) -> int:
    """Krippendorff's squared distance between two overlapping segments of two reviewers."""
    (b1, e1, unit1), (b2, e2, unit2) = first, second
    if unit1 and unit2:
        return (b1 - b2) ** 2 + (e1 - e2) ** 2
    if unit1 and b2 <= b1 and e1 <= e2:  # a unit inside the other's gap
        return (e1 - b1) ** 2
    if unit2 and b1 <= b2 and e2 <= e1:
        return (e2 - b2) ** 2
    return 0


def observed_sum(raters: Sequence[list[Span]], length: int) -> int:
    """Sum of squared distances over every pair of reviewers and every pair of their
    overlapping segments (each unordered pair of reviewers once)."""
    cut = [_segments(units, length) for units in raters]
    total = 0
    for i in range(len(cut)):
        for j in range(i + 1, len(cut)):
            a, b = cut[i], cut[j]
            x = y = 0
            while x < len(a) and y < len(b):
                if a[x][1] > b[y][0] and b[y][1] > a[x][0]:
                    total += _delta(a[x], b[y])
                if a[x][1] <= b[y][1]:
                    x += 1
                else:
                    y += 1
    return total


def expected_parts(raters: Sequence[list[Span]], length: int) -> tuple[float, float]:
    """(numerator, denominator) of D_e: Krippendorff's expected disagreement over all
    unitizations of the continuum with the same units and gaps."""
    units = [e - s for spans in raters for s, e in spans]
    gaps = sorted(
        e - s for spans in raters for s, e, is_unit in _segments(spans, length) if not is_unit
    )
    # Sums of the gaps from each one on, so that the gaps a unit fits in are summed at once.
    from_here = list(itertools.accumulate(reversed(gaps), initial=0))[::-1]
    n = len(units)
    total = 0.0
    for unit in units:
        within = (n - 1) * (2 * unit**3 - 3 * unit**2 + unit) / 3
        first = bisect.bisect_left(gaps, unit)  # the gaps at least as long as the unit
        fits = from_here[first] - (unit - 1) * (len(gaps) - first)  # sum of (gap - unit + 1)
        total += within + unit**2 * fits
    r = len(raters)
    denominator = r * length * (r * length - 1) - sum(u * (u - 1) for u in units)
    return 2 * total / length, float(denominator)


@dataclass(frozen=True)
class Continuum:
    """One article's spans of one label: each taking-part reviewer's list (maybe empty)."""

    length: int
    raters: tuple[tuple[Span, ...], ...]


def disagreements(continuum: Continuum) -> tuple[float, float] | None:
    """(D_o, D_e) of one article for one label, or None where alpha_u is undefined there
    (fewer than two reviewers, an empty text, or no span of the label at all)."""
    raters = [joined(spans) for spans in continuum.raters]
    length, r = continuum.length, len(raters)
    if r < 2 or length < 1 or not any(raters):
        return None
    observed = 2 * observed_sum(raters, length) / (r * (r - 1) * length**2)
    numerator, denominator = expected_parts(raters, length)
    if denominator <= 0:
        return None
    return observed, numerator / denominator


def alpha_u(continua: Sequence[Continuum]) -> tuple[float | None, list[tuple[float, float]]]:
    """alpha_u over several articles (D_o and D_e weighted by L^2) and the weighted parts
    of each article that counts, for a bootstrap."""
    parts = []
    for continuum in continua:
        d = disagreements(continuum)
        if d is not None:
            weight = continuum.length**2
            parts.append((weight * d[0], weight * d[1]))
    return _alpha(parts), parts


def _alpha(parts: Sequence[tuple[float, float]]) -> float | None:
    observed = sum(p[0] for p in parts)
    expected = sum(p[1] for p in parts)
    if expected <= 0:
        return None
    return 1.0 - observed / expected


def bootstrap_sums(rows, resamples: int = BOOTSTRAP):
    """Column sums of `rows` (units x figures) over `resamples` bootstrap resamples of the
    units (with replacement, a fixed seed so a page does not change on reload): one row per
    resample. Drawn a block at a time, so memory stays small however many units there are."""
    import numpy as np

    rows = np.asarray(rows, dtype=float)
    n = len(rows)
    rng = np.random.default_rng(SEED)
    out = np.empty((resamples, rows.shape[1]))
    block = 100
    for first in range(0, resamples, block):
        size = min(block, resamples - first)
        drawn = rng.integers(0, n, size=(size, n))
        drawn += np.arange(size)[:, None] * n  # one bincount for the whole block
        weights = np.bincount(drawn.ravel(), minlength=size * n).reshape(size, n)
        out[first : first + size] = weights @ rows
    return out


def bootstrap_interval(parts: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """95% percentile interval of alpha_u, resampling articles with replacement."""
    if len(parts) < 2:
        return None
    import numpy as np

    sums = bootstrap_sums(parts)
    ok = sums[:, 1] > 0
    replicates = 1.0 - sums[ok, 0] / sums[ok, 1]
    if not len(replicates):
        return None
    low, high = np.percentile(replicates, [2.5, 97.5])
    return float(low), float(high)


# -- span F1 ----------------------------------------------------------------------------


def jaccard(first: Span, second: Span) -> float:
    shared = min(first[1], second[1]) - max(first[0], second[0])
    if shared <= 0:
        return 0.0
    return shared / (max(first[1], second[1]) - min(first[0], second[0]))


def match_spans(first: Iterable[Span], second: Iterable[Span]) -> tuple[int, int, int, int]:
    """(spans of the one, of the other, exact matches, overlap matches) on one article:
    duplicates count once, each span is paired at most once, and as many pairs as possible
    are made (ties go to the closer overlaps)."""
    a, b = sorted(set(first)), sorted(set(second))
    exact = len(set(a) & set(b))
    if not a or not b:
        return len(a), len(b), exact, 0
    import numpy as np

    starts_a, ends_a = np.array(a).T[:, :, None]
    starts_b, ends_b = np.array(b).T[:, None, :]
    shared = np.minimum(ends_a, ends_b) - np.maximum(starts_a, starts_b)
    covered = np.maximum(ends_a, ends_b) - np.minimum(starts_a, starts_b)
    similarity = np.where(shared > 0, shared / np.maximum(covered, 1), 0.0)  # jaccard()
    eligible = similarity >= OVERLAP_JACCARD
    # Weight 1 per eligible pair, plus a tie-break below 1 in total: the most pairs first,
    # then the closest ones.
    if eligible.sum(axis=0).max() <= 1 and eligible.sum(axis=1).max() <= 1:
        # No span has two candidates: the eligible pairs are the matching. (SciPy's optimizer
        # costs a server process 52 MB and 0.9 s to import; most articles never need it.)
        return len(a), len(b), exact, int(eligible.sum())
    from scipy.optimize import linear_sum_assignment

    weights = eligible * (1.0 + similarity / (min(len(a), len(b)) + 1))
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return len(a), len(b), exact, int(eligible[rows, cols].sum())
