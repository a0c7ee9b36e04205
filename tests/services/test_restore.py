"""A deleted claim restored is the claim that was deleted, field by field: every column of the
claim and of each assessment (notes, evidence, versions, `informed`, times, the adjudication
and its note, the proposition, a moved or orphaned anchor)."""

from __future__ import annotations

import random

from sqlalchemy import inspect, select

from app.extensions import db
from app.models import Assessment, Claim
from app.services.claims.propositions import create_proposition
from app.services.claims.restore import restore_claim
from app.services.claims.tagging import (
    adjudicate,
    create_claim,
    delete_claim,
    put_assessment,
    update_claim,
)
from app.vocabulary import MOVED, ORPHAN
from tests.factories import make_article, make_event, make_user

WORDS = [
    "the",
    "port",
    "said",
    "on",
    "tuesday",
    "that",
    "workers",
    "accepted",
    "the",
    "offer",
    "after",
    "weeks",
    "of",
    "talks",
]


def record(claim_id: int) -> dict:
    """Every column of the claim and of its assessments (by reviewer), as stored."""
    db.session.expire_all()
    claim = db.session.get(Claim, claim_id)

    def columns(row) -> dict:
        return {a.key: getattr(row, a.key) for a in inspect(type(row)).column_attrs}

    assessments = db.session.scalars(
        select(Assessment).where(Assessment.claim_id == claim_id).order_by(Assessment.id)
    )
    return {"claim": columns(claim), "assessments": [columns(a) for a in assessments]}


def differences(before: dict, after: dict) -> list:
    found = [
        (k, v, after["claim"][k]) for k, v in before["claim"].items() if after["claim"][k] != v
    ]
    for a, b in zip(before["assessments"], after["assessments"], strict=False):
        found += [(f"assessment {a['id']} {k}", v, b[k]) for k, v in a.items() if b[k] != v]
    return found


def test_delete_then_restore_gives_back_every_field(app):
    rng = random.Random(11)
    admin = make_user("admin", "ada")
    reviewers = [make_user("reviewer", f"r{i}") for i in range(4)]
    event = make_event("Port strike")
    text = " ".join(rng.choice(WORDS) for _ in range(400))
    article = make_article(text=text, events=[event])
    proposition = create_proposition(event, admin, statement="The strike ended.")
    checked = 0
    for round_ in range(40):
        author = rng.choice(reviewers)
        start = rng.randrange(0, len(text) - 30)
        end = start + rng.randint(1, 25)
        claim = create_claim(
            article,
            author,
            start=start,
            end=end,
            quote=text[start:end],
            label=rng.choice(["supporting", "contested", "unsourced"]),
            note=rng.choice([None, f"note {round_} – “quoted”"]),
            evidence_url=rng.choice([None, "https://example.org/evidence"]),
        )
        for other in rng.sample([r for r in reviewers if r is not author], rng.randint(0, 3)):
            put_assessment(claim, other, label=rng.choice(["supporting", "contested"]))
        if rng.random() < 0.5:
            update_claim(claim, author, label="unsourced", note="changed my mind")
        if rng.random() < 0.4:
            adjudicate(claim, admin, "contested", rng.choice([None, "the statement is theirs"]))
        if rng.random() < 0.4:
            update_claim(claim, admin, proposition=proposition.id)
        if rng.random() < 0.3:
            claim.anchor = rng.choice([MOVED, ORPHAN])
        db.session.commit()
        before = record(claim.id)
        claim_id = claim.id
        delete_claim(claim, rng.choice([author, admin]))
        db.session.commit()
        assert db.session.get(Claim, claim_id) is None
        restore_claim(claim_id, admin)
        db.session.commit()
        after = record(claim_id)
        assert after == before, f"round {round_}: {differences(before, after)}"
        checked += 1
    assert checked == 40
