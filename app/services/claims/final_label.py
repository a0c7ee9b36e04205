"""A claim's final label and where it comes from, in Python and in SQL."""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select

from app.models import Assessment, Claim, article_overlap
from app.vocabulary import NO_FINAL_LABEL


def final_label_condition(label: str):
    """True for a claim whose final label is `label` (NO_FINAL_LABEL: a claim without one),
    by vocabulary.final_label's rule: the adjudicated label, else the one label its
    assessments agree on once there are k of them. Correlated on Claim: one read of the
    claim's assessments (their least and greatest label, their count), not two."""
    agreed = (
        select(
            case(
                (
                    and_(
                        func.min(Assessment.label) == func.max(Assessment.label),
                        func.count() >= article_overlap(Claim.article_id),
                    ),
                    func.min(Assessment.label),
                )
            )
        )
        .where(Assessment.claim_id == Claim.id)
        .correlate(Claim)
        .scalar_subquery()
    )
    if label == NO_FINAL_LABEL:
        return and_(Claim.adjudicated_label.is_(None), agreed.is_(None))
    return or_(
        Claim.adjudicated_label == label, and_(Claim.adjudicated_label.is_(None), agreed == label)
    )
