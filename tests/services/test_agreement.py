"""Agreement figures are right: Krippendorff's worked example, and second implementations
written here from the definitions, on random data with missing values."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from app.extensions import db
from app.services.claims.tagging import adjudicate, create_claim, put_assessment
from app.services.review import agreement
from app.services.review.agreement import (
    MIN_UNITS,
    Scope,
    alpha_from_coincidences,
    compute,
    label_alpha,
    pair_kappa,
    unit_coincidences,
)
from tests.factories import make_article, make_event, make_outlet, make_user

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, values 1-5, missing data. Nominal alpha = 0.743.
WORKED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def units_of(table: list[list[int | None]]) -> list[list[int]]:
    columns = zip(*table, strict=True)
    units = [[v - 1 for v in column if v is not None] for column in columns]
    return [u for u in units if len(u) >= 2]


def alpha_by_definition(units: list[list[int]]) -> float:
    """Nominal alpha from its definition, pair by pair: 1 - D_o / D_e."""
    n = sum(len(u) for u in units)
    observed = sum(
        sum(a != b for a, b in itertools.permutations(u, 2)) / (len(u) - 1) for u in units
    )
    values = [v for u in units for v in u]
    expected = sum(a != b for a, b in itertools.permutations(values, 2)) / (n - 1)
    return 1 - observed / expected


def kappa_by_definition(a: list[int], b: list[int]) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    expected = sum((a.count(c) / n) * (b.count(c) / n) for c in set(a) | set(b))
    return (observed - expected) / (1 - expected)


def test_krippendorffs_worked_nominal_example_gives_0_743():
    units = units_of(WORKED)
    assert len(units) == 11  # the twelfth unit has one value: not pairable
    result = label_alpha(units, 5)
    assert round(result.value, 3) == 0.743
    assert result.n == 11  # n is the units (the paper's n.. = 40 pairable values is `values`)
    assert result.low < result.value < result.high
    # The coincidence route the bootstrap uses gives the same figure on the whole data.
    whole = alpha_from_coincidences(unit_coincidences(units, 5).sum(axis=0)[None, :], 5)
    assert whole[0] == pytest.approx(0.743421, abs=1e-6)
    assert alpha_by_definition(units) == pytest.approx(0.743421, abs=1e-6)


@pytest.mark.parametrize("seed", range(8))
def test_alpha_and_kappa_match_second_implementations_on_random_data(seed):
    rng = random.Random(seed)
    k = rng.randint(2, 5)
    reviewers = rng.randint(2, 6)
    table = []
    truth = [rng.randrange(k) for _ in range(60)]
    for _ in range(reviewers):
        table.append(
            [
                None if rng.random() < 0.3 else (t if rng.random() < 0.6 else rng.randrange(k)) + 1
                for t in truth
            ]
        )
    units = units_of(table)
    result = label_alpha(units, k)
    assert result.value == pytest.approx(alpha_by_definition(units), abs=1e-9)
    a_b = [(x - 1, y - 1) for x, y in zip(table[0], table[1], strict=True) if x and y]
    first, second = [x for x, _ in a_b], [y for _, y in a_b]
    kappa = pair_kappa(first, second, k)
    assert kappa.value == pytest.approx(kappa_by_definition(first, second), abs=1e-9)
    from sklearn.metrics import cohen_kappa_score  # a second implementation, tests only

    expected = cohen_kappa_score(first, second, labels=list(range(k)))
    assert kappa.value == pytest.approx(float(expected), abs=1e-12)


def test_cohens_kappa_textbook_example_gives_0_4():
    """50 proposals read by two editors: 20 both yes, 15 both no, 5 and 10 split; p_o = 0.7,
    p_e = 0.5, kappa = 0.4 (the example Cohen's kappa is usually taught with)."""
    first = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    second = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert pair_kappa(first, second, 2).value == pytest.approx(0.4, abs=1e-12)


def test_too_few_units_say_so_instead_of_a_number():
    units = units_of(WORKED)[: MIN_UNITS - 1]
    result = label_alpha(units, 5)
    assert result.value is None and "too few" in result.reason
    assert label_alpha([[0, 0]] * 20, 3).reason == "every assessment has the same label"
    assert pair_kappa([1] * 12, [1] * 12, 3).value is None


def test_an_events_figures_from_the_database(app):
    event = make_event("Agreement")
    article = make_article(make_outlet("Agree Times"), text="w " * 400, events=[event])
    reviewers = [make_user("reviewer", name) for name in ("ana", "ben", "cai")]
    labels = ["supporting", "contested", "unsourced"]
    rng = random.Random(3)
    table = {name.username: [] for name in reviewers}
    claims = []
    for i in range(14):
        start = 2 * i * 10
        author = reviewers[i % 2]
        truth = rng.randrange(3)
        claim = create_claim(
            article, author, start=start, end=start + 1, quote="w", label=labels[truth]
        )
        claims.append(claim)
        table[author.username].append(truth)
        for other in reviewers:
            if other is author:
                continue
            given = truth if rng.random() < 0.7 else rng.randrange(3)
            if i % 5 == 4 and other.username == "cai":
                table["cai"].append(None)
                continue
            put_assessment(claim, other, label=labels[given])
            table[other.username].append(given)
        for name in table:
            if len(table[name]) < len(claims):
                table[name].append(None)
    admin = make_user("admin", "ada")
    adjudicate(claims[0], admin, "contested")
    db.session.commit()

    # Nothing here is blind: every later assessment was informed, and only counts when asked.
    assert compute(Scope(event_id=event.id)).units == 0
    result = compute(Scope(event_id=event.id, informed=True))
    assert (result.claims, result.units) == (14, 14)
    units = [[table[name][i] for name in table if table[name][i] is not None] for i in range(14)]
    assert result.alpha.value == pytest.approx(alpha_by_definition(units), abs=1e-9)
    pairs = sum(math.comb(len(u), 2) for u in units)
    agreeing = sum(a == b for u in units for a, b in itertools.combinations(u, 2))
    assert result.percent.value == pytest.approx(agreeing / pairs)
    ana_ben = next(p for p in result.kappas if (p.first, p.second) == ("ana", "ben"))
    assert ana_ben.kappa.value == pytest.approx(
        kappa_by_definition(table["ana"], table["ben"]), abs=1e-9
    )
    # Ana and Ben each created 7 claims and assessed the other's 7 (seeing them): counting
    # every span, each marked all 14 passages; only independent ones, no article is compared.
    pairs = {(p.first, p.second): p for p in result.spans}
    assert (pairs["ana", "ben"].exact, pairs["ana", "ben"].exact_f1) == (14, 1.0)
    assert compute(Scope(event_id=event.id)).spans == []
    assert np.array(result.confusion).sum() == sum(len(u) * (len(u) - 1) for u in units)
    cai = next(r for r in result.reviewers if r.reviewer == "cai")
    assert cai.assessed == sum(v is not None for v in table["cai"])
    # The whole corpus holds the same claims; an outlet with none has nothing to say.
    assert compute(Scope(informed=True)).alpha == result.alpha
    empty = compute(Scope(outlet_id=make_outlet("Quiet").id))
    assert (empty.claims, empty.alpha.value) == (0, None)


def test_bootstrap_interval_is_reproducible():
    units = units_of(WORKED)
    assert label_alpha(units, 5) == label_alpha(units, 5)
    assert agreement.BOOTSTRAP >= 1000
