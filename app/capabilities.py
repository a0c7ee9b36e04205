"""Who may do what: one table of capabilities and the roles that hold each.

Every route declares the capability it needs (`@requires(...)`) and one guard checks it
(app/web/access.py) before the view runs; services check the finer rules with `require` and
`may_change` (a reviewer's own claim, anyone's for an admin); templates read `may`, the
current user's capabilities, and scripts the page's `data-may` attribute. Nothing else tests a
role. Adding a role, or moving a capability between roles, is a change to this table and
nothing else: roles are not a database constraint (the table checks them at the edge).

What the table decides, for a newsroom and for a research project alike: reviewers annotate
(tag claims, assess anyone's, change and delete their own, link their own to propositions) and
bring in articles for the outlets and events that exist; curators do that, adjudicate, revise
articles and link anyone's claims; researchers read, compare and export; admins do
everything, including managing people, outlets, events, assignments and the codebook. Blind
mode hides other reviewers' labels from whoever lacks `see_blind_labels`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.errors import Forbidden

ROLES = ("admin", "curator", "reviewer", "researcher")

_EVERYONE = frozenset(ROLES)
_ANNOTATORS = frozenset({"admin", "curator", "reviewer"})
_CURATORS = frozenset({"admin", "curator"})
_ADMINS = frozenset({"admin"})

# capability: (the roles that hold it, what it lets one do, in the words of an error message)
CAPABILITIES: dict[str, tuple[frozenset[str], str]] = {
    "read": (_EVERYONE, "read the corpus, its comparisons and agreement figures"),
    "use_account": (_EVERYONE, "keep their own password, API tokens and logins"),
    "export": (_EVERYONE, "export claim sets"),
    "annotate": (_ANNOTATORS, "tag claims and change, move or delete their own"),
    "assess": (_ANNOTATORS, "assess claims and mark articles done"),
    "add_articles": (_ANNOTATORS, "add articles"),
    "adjudicate": (_CURATORS, "set a claim's final label"),
    "revise_articles": (_CURATORS, "change an article's text, title, date or stance"),
    "link_any_claim": (_CURATORS, "link other reviewers' claims to propositions"),
    "change_any_claim": (_ADMINS, "change, move or delete other reviewers' claims"),
    "restore_claims": (_ADMINS, "restore deleted claims"),
    "manage_outlets": (_ADMINS, "create outlets and change their names"),
    "manage_events": (_ADMINS, "create events and edit their actors"),
    "manage_assignments": (_ADMINS, "assign articles to reviewers and set blind mode"),
    "manage_codebook": (_ADMINS, "edit the codebook"),
    "import_claims": (_ADMINS, "import other tools' annotations as their annotators' claims"),
    "manage_users": (_ADMINS, "manage accounts"),
    "see_blind_labels": (
        frozenset({"admin", "curator", "researcher"}),
        "see labels blind mode hides",
    ),
}
# Accounts made for people a file names (imported claims, the demo claim set): they cannot log
# in until an admin sets them a password.
IMPORTED_REVIEWER_ROLE = "reviewer"
IMPORTED_ADJUDICATOR_ROLE = "curator"
# What an API token with the read scope may use: nothing that changes anything.
READ_ONLY = frozenset({"read", "export", "see_blind_labels"})

for _capability, (_roles, _) in CAPABILITIES.items():
    if not _roles <= _EVERYONE:
        raise RuntimeError(f"capability {_capability!r} names unknown roles {_roles - _EVERYONE}")


_BY_ROLE = {
    role: frozenset(c for c, (roles, _) in CAPABILITIES.items() if role in roles) for role in ROLES
}


def capabilities_of(role: str | None) -> frozenset[str]:
    """Everything a role may do (nothing for an unknown role or an anonymous visitor)."""
    return _BY_ROLE.get(role or "", frozenset())


def roles_with(capability: str) -> tuple[str, ...]:
    """The roles that hold `capability`, in ROLES' order."""
    holders = CAPABILITIES[capability][0]
    return tuple(role for role in ROLES if role in holders)


def may(user: object, capability: str) -> bool:
    """Whether `user` (any object with a role; None and anonymous hold nothing) may."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    if not getattr(user, "is_authenticated", True):
        return False
    return capability in capabilities_of(getattr(user, "role", None))


def require_owner(user: object, owner_id: int | None, any_capability: str, what: str) -> None:
    """Forbidden unless `user` made the thing (`what`: "claim") or holds `any_capability`."""
    if not may_change(user, owner_id, any_capability):
        holders = " and ".join(f"{r}s" for r in roles_with(any_capability))
        raise Forbidden(f"Only the {what}'s author may do this ({holders} may for anyone's).")


def refusal(user: object, capability: str) -> str:
    """Why `user` may not: "A reviewer may not set a claim's final label (admins and curators
    may)." The message every 403 gives."""
    role = getattr(user, "role", None) or "visitor"
    holders = " and ".join(f"{r}s" for r in roles_with(capability)) or "no one"
    article = "An" if role[:1] in "aeiou" else "A"
    return f"{article} {role} may not {CAPABILITIES[capability][1]} ({holders} may)."


def require(user: object, capability: str) -> None:
    """Forbidden (403), saying who may, unless `user` may."""
    if not may(user, capability):
        raise Forbidden(refusal(user, capability))


def may_change(user: object, owner_id: int | None, any_capability: str) -> bool:
    """Whether `user` may change a thing `owner_id` made: their own, or anyone's when they
    hold `any_capability`. (That they may change things of that kind at all, the route's
    capability says.)"""
    if may(user, any_capability):
        return True
    return owner_id is not None and owner_id == getattr(user, "id", None)


F = TypeVar("F", bound=Callable)


def requires(capability: str) -> Callable[[F], F]:
    """Declare what a route needs. Place it right under the route decorator: the access
    guard reads it before the view runs, and refuses (403) whoever lacks it."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")

    def mark(view: F) -> F:
        view.capability = capability  # type: ignore[attr-defined]
        return view

    return mark


def required_by(view: object) -> str | None:
    """The capability a view declared, or None."""
    return getattr(view, "capability", None)
