"""One error type per domain failure. Blueprints map them to HTTP status in one place."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses. `code` is the stable machine-readable name."""

    code = "invalid"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    code = "invalid_input"


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


class StaleVersion(DomainError):
    """The assessment changed since the caller read it; carries the current state."""

    code = "stale_version"

    def __init__(self, message: str, current: object) -> None:
        super().__init__(message)
        self.current = current


class DuplicateArticle(DomainError):
    code = "duplicate_article"

    def __init__(self, existing_id: int, outlet: str) -> None:
        super().__init__(
            f"{outlet} already has an article with this text (article {existing_id}).",
            existing_id=existing_id,
        )
        self.existing_id = existing_id


class UserExists(DomainError):
    """A name that must be unique (user, outlet) is taken."""

    code = "already_exists"


class NotFound(DomainError):
    code = "not_found"


class SeedManifestError(DomainError):
    """The seed manifest is missing or malformed; the message names the file and the field."""

    code = "bad_manifest"
