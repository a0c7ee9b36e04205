"""The final-label filter (SQL, services/export.final_label_condition) against the final label
each record states (Python, services/export.iter_claim_records): the same claims, for every label,
over every kind of claim: unassessed, one assessment, agreeing, disagreeing, adjudicated."""

from __future__ import annotations

import itertools

from sqlalchemy import delete, select

from app.extensions import db
from app.models import Assessment, Claim
from app.services.claims.final_label import final_label_condition
from app.services.claims.tagging import adjudicate, create_claim, put_assessment
from app.services.exchange.export import ClaimFilters, iter_claim_records
from app.vocabulary import NO_FINAL_LABEL, labels
from tests.factories import make_article, make_user


def test_the_sql_filter_and_the_records_agree_on_every_claim(app):
    rana, omid, ada = make_user("reviewer"), make_user("reviewer"), make_user("admin")
    words = [f"word{i}" for i in range(200)]
    article = make_article(text=" ".join(words))
    place = iter(range(0, len(words) * 8, 8))
    first, second = labels()[0], labels()[1]
    # (rana's label, omid's label or None, the adjudication or None)
    kinds = [
        *[
            (a, b, adj)
            for a, b in itertools.product(labels(), (None, *labels()))
            for adj in (None, first)
        ],
        (second, second, second),
    ]
    for mine, theirs, ruling in kinds:
        start = next(place)
        quote = article.text[start : start + 6]
        claim = create_claim(article, rana, start=start, end=start + 6, quote=quote, label=mine)
        if theirs:
            put_assessment(claim, omid, label=theirs)
        if ruling:
            adjudicate(claim, ada, ruling)
    # A claim every assessment of which was withdrawn has no final label either.
    start = next(place)
    bare = create_claim(
        article,
        rana,
        start=start,
        end=start + 6,
        quote=article.text[start : start + 6],
        label=first,
    )
    db.session.execute(delete(Assessment).where(Assessment.claim_id == bare.id))
    db.session.flush()

    records = {r["claim_id"]: r["final_label"] for r in iter_claim_records(ClaimFilters())}
    assert None in records.values() and len(set(records.values())) == len(labels()) + 1
    for label in (*labels(), NO_FINAL_LABEL):
        found = set(db.session.scalars(select(Claim.id).where(final_label_condition(label))))
        expected = {
            i
            for i, final in records.items()
            if final == (None if label == NO_FINAL_LABEL else label)
        }
        assert found == expected, label
