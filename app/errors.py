"""One error type per domain failure. Blueprints map them to HTTP status in one place."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses. `code` is the stable machine-readable name; `status` the
    HTTP status that pages and the API both answer with."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422


class UnknownStance(InvalidInput):
    code = "unknown_stance"


class UnknownRole(InvalidInput):
    code = "unknown_role"


class UnknownLabel(InvalidInput):
    code = "unknown_label"


class InvalidSpan(InvalidInput):
    """Offsets out of range or empty, or a quote that is not text[start:end]."""

    code = "invalid_span"


class Forbidden(DomainError):
    """The user's role or ownership does not allow this change."""

    code = "forbidden"
    status = 403


class StaleVersion(DomainError):
    """The assessment changed since the caller read it.

    `current` is the assessment as the caller's session holds it, or None when a concurrent
    write was only found at flush time; `claim_id` and `reviewer_id` then say which one to
    read again once the unit of work has been rolled back.
    """

    code = "stale_version"
    status = 409

    def __init__(
        self,
        message: str,
        current: object = None,
        *,
        claim_id: int | None = None,
        reviewer_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.current = current
        self.claim_id = claim_id
        self.reviewer_id = reviewer_id


class Conflict(DomainError):
    """The write collided with another one at the database (a unique row already stored)."""

    code = "conflict"
    status = 409


class StaleRevision(DomainError):
    """The article was revised since the caller read it; `current` is its revision now."""

    code = "stale_revision"
    status = 409

    def __init__(self, message: str, current: int) -> None:
        super().__init__(message, current={"revision": current})


class DuplicateArticle(DomainError):
    code = "duplicate_article"
    status = 409

    def __init__(self, existing_id: int, outlet: str) -> None:
        super().__init__(
            f"{outlet} already has an article with this text (article {existing_id}).",
            existing_id=existing_id,
        )
        self.existing_id = existing_id


class NameTaken(DomainError):
    """A name that must be unique is taken (409 already_exists); the subclass says what."""

    code = "already_exists"
    status = 409


class UserExists(NameTaken):
    """A user of that name exists."""


class OutletExists(NameTaken):
    """An outlet of that name (or alias) exists."""


class ActorExists(NameTaken):
    """The event has an actor of that name."""


class NotFound(DomainError):
    code = "not_found"
    status = 404


class SeedManifestError(DomainError):
    """The seed manifest is missing or malformed; the message names the file and the field."""

    code = "bad_manifest"
