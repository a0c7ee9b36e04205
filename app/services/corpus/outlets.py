"""Outlets: finding one by name or alias, creating one, its other names."""

from __future__ import annotations

from sqlalchemy import func, select

from app.capabilities import may, refusal
from app.errors import Conflict, Forbidden, InvalidInput, OutletExists
from app.extensions import db
from app.models import Outlet, OutletAlias, limits
from app.services.corpus.fields import check_string, check_text, check_url


def outlet_named(name: str) -> Outlet | None:
    """The outlet of this name in any case (`nyt` is `NYT`), the exact spelling first, else
    the outlet with this alias. The database folds the case: SQLite folds ASCII letters
    only, PostgreSQL all."""
    outlet = db.session.scalar(
        select(Outlet)
        .where(func.lower(Outlet.name) == func.lower(name))
        .order_by((Outlet.name == name).desc(), Outlet.id)
        .limit(1)
    )
    if outlet is None:
        outlet = db.session.scalar(
            select(Outlet)
            .join(OutletAlias, OutletAlias.outlet_id == Outlet.id)
            .where(func.lower(OutletAlias.alias) == func.lower(name))
            .limit(1)
        )
    return outlet


def get_or_create_outlet(name: str, **fields: str | None) -> Outlet:
    """The outlet with this name (in any case); created with `fields` if new. Flushes, does
    not commit."""
    name = check_string("outlet", name, limits.OUTLET_NAME, required=True)  # type: ignore[assignment]
    outlet = outlet_named(name)
    if outlet is None:
        outlet = Outlet(name=name, **fields)
        db.session.add(outlet)
        db.session.flush()
    return outlet


def outlet_for(ref: object, user: object | None) -> Outlet:
    """The outlet an article names by id or by name. A name no outlet has creates one, for
    whoever may manage outlets (`user` None: the command line, which may); anyone else is
    told which outlets there are to choose from."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        outlet = db.session.get(Outlet, ref)
        if outlet is None:
            raise InvalidInput(f"No outlet {ref}.")
        return outlet
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput("outlet must be an outlet id or name.")
    name = check_string("outlet", ref, limits.OUTLET_NAME, required=True)
    if (found := outlet_named(name)) is not None:  # type: ignore[arg-type]
        return found
    if user is not None and not may(user, "manage_outlets"):
        raise Forbidden(f"No outlet is named {name!r}. {refusal(user, 'manage_outlets')}")
    return get_or_create_outlet(name)  # type: ignore[arg-type]


def create_outlet(
    *,
    name: object,
    homepage_url: object = None,
    country: object = None,
    lean: object = None,
    description: object = None,
    aliases: object = None,
) -> Outlet:
    """A new outlet; names are unique."""
    name = check_string("name", name, limits.OUTLET_NAME, required=True)
    if (same := outlet_named(name)) is not None:
        raise OutletExists(f"An outlet named {same.name!r} already exists.")
    description = check_text("description", description)
    outlet = Outlet(
        name=name,
        homepage_url=check_url("homepage_url", homepage_url),
        country=check_string("country", country, limits.OUTLET_COUNTRY),
        lean=check_string("lean", lean, limits.OUTLET_LEAN),
        description=description or None,
    )
    db.session.add(outlet)
    db.session.flush()
    if aliases:
        set_aliases(outlet, aliases)
    return outlet


def set_aliases(outlet: Outlet, aliases: object) -> Outlet:
    """Replace the outlet's other names. An alias may not be another outlet's name or alias
    (in any case): it must name one outlet. Flushes, does not commit."""
    if not isinstance(aliases, list):
        raise InvalidInput("aliases must be a list of names.")
    wanted: dict[str, str] = {}
    for alias in aliases:
        alias = check_string("alias", alias, limits.OUTLET_NAME, required=True)
        if alias.lower() != outlet.name.lower():  # type: ignore[union-attr]
            wanted.setdefault(alias.lower(), alias)  # type: ignore[union-attr]
    for alias in wanted.values():
        other = outlet_named(alias)
        if other is not None and other.id != outlet.id:
            raise Conflict(f"{alias!r} already names the outlet {other.name!r}.")
    outlet.aliases = [
        next((a for a in outlet.aliases if a.alias == alias), None) or OutletAlias(alias=alias)
        for alias in wanted.values()
    ]
    db.session.flush()
    return outlet
