"""Claims that arrive with their article: a research corpus with span annotations comes in
one step (`POST /api/v1/articles` or a JSONL record with `claims`).

Offsets point into the record's own text as submitted; `OffsetMap` carries them through
the normalization the stored text gets (a BOM dropped, line ends, NFC). Each claim is
stored or refused on its own, with its index and the reason; the article and the other
claims are stored either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import DomainError, Forbidden, InvalidInput
from app.models import Article, User
from app.services.accounts import reviewer_named
from app.services.claims.tagging import create_claim
from app.text.offsets import OffsetMap

MAX_CLAIMS_PER_ARTICLE = 10_000


@dataclass
class AttachReport:
    created: list[int] = field(default_factory=list)  # claim ids
    refused: list[dict] = field(default_factory=list)  # {index, start, end, reason}


def attach_claims(
    article: Article,
    submitted: str,
    claims: object,
    *,
    default_reviewer: User,
    may_name_others: bool,
) -> AttachReport:
    """Store each claim of `claims` (offsets into `submitted`) on `article`.

    `default_reviewer` labels a claim that names no reviewer. A claim naming another
    reviewer is stored under that name (created without a password, as import-claims does)
    only when `may_name_others` (the command line, an admin).
    """
    report = AttachReport()
    if claims is None:
        return report
    if not isinstance(claims, list):
        report.refused.append({"index": None, "reason": "claims must be a list."})
        return report
    if len(claims) > MAX_CLAIMS_PER_ARTICLE:
        report.refused.append(
            {"index": None, "reason": f"more than {MAX_CLAIMS_PER_ARTICLE} claims in one record"}
        )
        return report
    mapping = OffsetMap(submitted)
    for index, claim in enumerate(claims):
        start = claim.get("start") if isinstance(claim, dict) else None
        end = claim.get("end") if isinstance(claim, dict) else None
        try:
            created = _attach_one(
                article, submitted, mapping, claim, default_reviewer, may_name_others
            )
        except DomainError as exc:
            report.refused.append(
                {"index": index, "start": start, "end": end, "reason": exc.message}
            )
            continue
        report.created.append(created)
    return report


def _attach_one(article, submitted, mapping, claim, default_reviewer, may_name_others) -> int:
    if not isinstance(claim, dict):
        raise InvalidInput("a claim must be an object with start, end and label.")
    start, end = claim.get("start"), claim.get("end")
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInput(f"{name} must be an integer (a code-point offset).")
    if not 0 <= start < end <= len(submitted):
        raise InvalidInput(
            f"span {start}-{end} does not fit the record's text ({len(submitted)} code points)."
        )
    quote = claim.get("quote")
    if quote is not None and submitted[start:end] != quote:
        raise InvalidInput(
            f"quote {quote!r} does not equal the text at {start}-{end}, which is "
            f"{submitted[start:end]!r}."
        )
    stored_start, stored_end = mapping(start), mapping(end)
    if stored_start is None or stored_end is None:
        raise InvalidInput(
            f"span {start}-{end} begins or ends inside a character that normalization "
            "joins (a letter and its accent, or \\r\\n)."
        )
    reviewer = default_reviewer
    name = claim.get("reviewer")
    if name is not None and name != default_reviewer.username:
        if not may_name_others:
            raise Forbidden("Only an admin can import claims in another reviewer's name.")
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("reviewer must be a user name.")
        reviewer = reviewer_named(name)
    stored = article.text
    created = create_claim(
        article,
        reviewer,
        start=stored_start,
        end=stored_end,
        quote=stored[stored_start:stored_end],
        label=claim.get("label"),
        note=claim.get("note"),
        evidence_url=claim.get("evidence_url"),
    )
    return created.id
