"""Span agreement matches the literature: Krippendorff's own worked examples of alpha_u, a
second implementation written here from the definitions on random data, maximum matching
checked against brute force, and the rules for which articles and spans count."""

from __future__ import annotations

import itertools
import random

import pytest

from app.extensions import db
from app.models import Assignment
from app.services.claims.tagging import create_claim, put_assessment
from app.services.review.agreement import MIN_UNITS, Scope, compute
from app.services.review.spans import (
    OVERLAP_JACCARD,
    Continuum,
    alpha_u,
    disagreements,
    jaccard,
    joined,
    match_spans,
)
from tests.factories import make_article, make_event, make_outlet, make_user


def _units(pairs, shift=0, stretch=1):
    """DKPro's (offset, length) units as (start, end) spans."""
    return tuple(((o - shift) * stretch, (o - shift + n) * stretch) for o, n in pairs)


def test_krippendorff_2004_worked_example():
    """Content Analysis (2004), p. 254: two observers, continuum 150-450, categories c, k.
    Published: D_o(c) = 0.0144, D_e(c) = 0.0532, alpha_u(c) = 0.7286, alpha_u(k) = 1; and the
    two categories together 0.8591 (DKPro's test suite holds the same figures)."""
    c = Continuum(
        300,
        (
            _units([(225, 70), (370, 30)], 150),
            _units([(220, 80), (355, 20), (400, 20)], 150),
        ),
    )
    k = Continuum(300, (_units([(180, 60), (300, 50)], 150),) * 2)
    observed, expected = disagreements(c)
    assert observed == pytest.approx(0.0144, abs=1e-4)
    assert expected == pytest.approx(0.0532, abs=1e-4)
    assert alpha_u([c])[0] == pytest.approx(0.7286, abs=1e-4)
    assert alpha_u([k])[0] == pytest.approx(1.0)
    (o1, e1), (o2, e2) = disagreements(c), disagreements(k)
    assert 1 - (o1 + o2) / (e1 + e2) == pytest.approx(0.8591, abs=5e-4)


KRIPPENDORFF_1995 = {  # Sociological Methodology 25, p. 57: two coders, continuum of 24
    "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)], 0.03125, 0.553),
    "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)], 2.26736, -0.926),
    "C": (
        [(2, 6), (10, 2), (14, 4), (20, 2)],
        [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)],
        0.02777,
        0.679,
    ),
    "D": (
        [(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)],
        [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)],
        0.38715,
        0.066,
    ),
}


@pytest.mark.parametrize("category", sorted(KRIPPENDORFF_1995))
def test_krippendorff_1995_worked_example(category):
    """The published D_o exactly; alpha_u as published for a continuum stretched fine
    enough (the paper's expected disagreement approximates a continuous one)."""
    first, second, published_observed, published_alpha = KRIPPENDORFF_1995[category]
    small = Continuum(24, (_units(first), _units(second)))
    assert disagreements(small)[0] == pytest.approx(published_observed, abs=1e-5)
    stretch = 50_000
    fine = Continuum(24 * stretch, (_units(first, 0, stretch), _units(second, 0, stretch)))
    assert alpha_u([fine])[0] == pytest.approx(published_alpha, abs=0.02)


def alpha_u_by_definition(length: int, raters: list[list[tuple[int, int]]]) -> float:
    """alpha_u written from Krippendorff (2004, ch. 12) another way: each coder's continuum
    cut character by character, every ordered pair of coders and of segments compared."""

    def cut(units):
        owner = [None] * length
        for i, (start, end) in enumerate(units):
            for c in range(start, end):
                owner[c] = i
        out, c = [], 0
        while c < length:
            d = c
            while d < length and owner[d] == owner[c]:
                d += 1
            out.append((c, d, owner[c] is not None))
            c = d
        return out

    cuts = [cut(u) for u in raters]
    m = len(raters)
    observed = 0
    for i, j in itertools.permutations(range(m), 2):
        for b1, e1, u1 in cuts[i]:
            for b2, e2, u2 in cuts[j]:
                if u1 and u2 and b1 < e2 and b2 < e1:
                    observed += (b1 - b2) ** 2 + (e1 - e2) ** 2
                elif u1 and not u2 and b2 <= b1 and e1 <= e2:
                    observed += (e1 - b1) ** 2
                elif u2 and not u1 and b1 <= b2 and e2 <= e1:
                    observed += (e2 - b2) ** 2
    d_o = observed / (m * (m - 1) * length**2)
    units = [e - b for c in cuts for b, e, u in c if u]
    gaps = [e - b for c in cuts for b, e, u in c if not u]
    n = len(units)
    total = 0.0
    for unit in units:
        total += (n - 1) * (2 * unit**3 - 3 * unit**2 + unit) / 3
        total += unit**2 * sum(g - unit + 1 for g in gaps if g >= unit)
    d_e = (2 / length) * total / (m * length * (m * length - 1) - sum(u * (u - 1) for u in units))
    return 1 - d_o / d_e


def _random_units(rng: random.Random, length: int) -> list[tuple[int, int]]:
    units, pos = [], 0
    while True:
        pos += rng.randrange(0, 25)
        size = rng.randrange(1, 30)
        if pos + size > length or rng.random() < 0.1:
            return units
        units.append((pos, pos + size))
        pos += size


@pytest.mark.parametrize("seed", range(25))
def test_alpha_u_matches_a_second_implementation_on_random_data(seed):
    rng = random.Random(seed)
    length = rng.randrange(40, 300)
    raters = [_random_units(rng, length) for _ in range(rng.randrange(2, 6))]
    if not any(raters):
        raters[0] = [(0, 5)]
    value, _ = alpha_u([Continuum(length, tuple(tuple(r) for r in raters))])
    assert value == pytest.approx(alpha_u_by_definition(length, raters), abs=1e-9)


def test_one_reviewers_overlapping_spans_of_a_label_are_joined():
    assert joined([(5, 9), (0, 3), (2, 6), (9, 12), (0, 3)]) == [(0, 9), (9, 12)]


def max_matching_by_brute_force(a, b) -> int:
    a, b = sorted(set(a)), sorted(set(b))
    if len(a) > len(b):
        a, b = b, a
    best = 0
    for chosen in itertools.permutations(range(len(b)), len(a)):
        ok = sum(jaccard(x, b[j]) >= OVERLAP_JACCARD for x, j in zip(a, chosen, strict=True))
        best = max(best, ok)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_overlap_matching_is_a_maximum_one_to_one_matching(seed):
    rng = random.Random(seed)

    def some():
        out = []
        for _ in range(rng.randrange(0, 6)):
            start = rng.randrange(0, 60)
            out.append((start, start + rng.randrange(1, 20)))
        return out + out[: rng.randrange(0, 2)]  # sometimes a duplicate

    a, b = some(), some()
    n_a, n_b, exact, overlap = match_spans(a, b)
    assert (n_a, n_b) == (len(set(a)), len(set(b)))
    assert exact == len(set(a) & set(b)) <= overlap
    assert overlap == max_matching_by_brute_force(a, b)


def test_greedy_largest_overlap_first_is_not_maximum():
    # Greedy would pair (0, 10) with (1, 11) first, leaving (0, 8) without a partner.
    first = [(0, 10), (2, 12)]
    second = [(1, 11), (0, 8)]
    assert match_spans(first, second)[3] == 2


def _claims(article, user, spans, label="supporting"):
    return [
        create_claim(article, user, start=s, end=e, quote=article.text[s:e], label=label)
        for s, e in spans
    ]


def test_three_reviewers_who_marked_the_same_claims_agree_fully_when_informed_counts(app):
    event = make_event("Spans")
    article = make_article(make_outlet("Span Times"), text="word " * 200, events=[event])
    ana, ben, cai = (make_user("reviewer", n) for n in ("ana", "ben", "cai"))
    claims = _claims(article, ana, [(i * 20, i * 20 + 4) for i in range(8)])
    for claim in claims:
        put_assessment(claim, ben, label="supporting")
        put_assessment(claim, cai, label="supporting")
    db.session.commit()

    everything = compute(Scope(event_id=event.id, informed=True))
    assert [(p.first, p.second, p.exact_f1, p.overlap_f1) for p in everything.spans] == [
        ("ana", "ben", 1.0, 1.0),
        ("ana", "cai", 1.0, 1.0),
        ("ben", "cai", 1.0, 1.0),
    ]
    supporting = next(u for u in everything.unitizing if u.label == "supporting")
    assert supporting.alpha.value == pytest.approx(1.0)
    # Ben and Cai saw Ana's spans: their marking is not independent, and is left out.
    independent = compute(Scope(event_id=event.id))
    assert independent.spans == [] and independent.span_left_out == 2


def test_an_assigned_article_left_empty_counts_as_zero_spans(app):
    event = make_event("Empty")
    outlet = make_outlet("Empty Times")
    first = make_article(outlet, text="alpha beta gamma delta " * 30, events=[event])
    second = make_article(outlet, text="one two three four five " * 30, events=[event])
    untouched = make_article(outlet, text="nobody reads this one " * 30, events=[event])
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    _claims(first, ana, [(i * 23, i * 23 + 5) for i in range(6)])
    _claims(second, ben, [(i * 25, i * 25 + 3) for i in range(6)])
    _claims(untouched, ana, [(0, 6)])
    db.session.add_all(
        [Assignment(article=first, reviewer=ben), Assignment(article=second, reviewer=ana)]
    )
    db.session.commit()

    (pair,) = compute(Scope(event_id=event.id)).spans
    # Both took part in `first` and `second` (assigned, or tagged): ben left `first` empty,
    # ana `second`. `untouched` was ana's alone and is not compared.
    assert pair.article_ids == (first.id, second.id)
    assert (pair.first_spans, pair.second_spans, pair.exact, pair.exact_f1) == (6, 6, 0, 0.0)


def test_too_few_spans_show_no_f1_and_too_few_units_no_confusion(app):
    event = make_event("Few")
    article = make_article(make_outlet("Few Times"), text="some words here " * 20, events=[event])
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    _claims(article, ana, [(0, 4)])
    db.session.add(Assignment(article=article, reviewer=ben))
    db.session.commit()
    result = compute(Scope(event_id=event.id))
    (pair,) = result.spans
    assert pair.exact_f1 is None and "too few" in pair.reason
    assert result.confusion == [] and result.alpha.value is None
    assert all(u.alpha.value is None and u.spans < MIN_UNITS for u in result.unitizing)


def test_a_pooled_scope_shows_each_event_and_says_it_pools(app):
    outlet = make_outlet("Pool Times")
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    events = [make_event(f"Event {i}") for i in range(2)]
    for n, event in enumerate(events):
        article = make_article(outlet, text=f"text {n} " * 50, events=[event])
        for claim in _claims(article, ana, [(i * 7, i * 7 + 4) for i in range(3 + n)]):
            put_assessment(claim, ben, label="contested")
    db.session.commit()
    corpus = compute(Scope(informed=True))
    assert corpus.pooled and not compute(Scope(event_id=events[0].id)).pooled
    assert [(row.title, row.units) for row in corpus.events] == [("Event 0", 3), ("Event 1", 4)]
    assert corpus.units == 7
