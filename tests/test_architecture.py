"""The house, read from the code: who may import whom, and who may commit.

Floors, bottom up: text (pure) and models; formats; services; web, api and cli; the app
package that puts them together. No import runs back up, and a package's __init__ that
registers its modules is not also the base those modules import.
"""

import ast
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Actor, Article, Assessment, Claim, Event, Outlet, User
from app.services import accounts, actors, catalogue, claims, propositions
from tests.factories import make_article, make_event, make_outlet, make_user

APP = Path(__file__).resolve().parents[1] / "app"
# The bulk importers commit a batch at a time: the one documented exception.
BATCH_COMMITTERS = {"services/importing.py", "services/claims_import.py"}
# What each room may import from the app (besides itself).
ALLOWED = {
    "text": set(),
    "models": {"extensions"},
    "formats": {"text"},
    "services": {"config", "extensions", "models", "text", "formats"},
    "web": {"config", "extensions", "models", "services", "text", "formats", "api", "routing"},
    "api": {"config", "extensions", "models", "services", "text", "formats", "routing"},
}


def modules():
    for path in sorted(APP.rglob("*.py")):
        yield path.relative_to(APP).as_posix(), ast.parse(path.read_text())


def app_imports(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("app"))
    return found


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_no_import_runs_back_up(room):
    for name, tree in modules():
        if not name.startswith(f"{room}/"):
            continue
        for target in app_imports(tree):
            parts = target.split(".")
            if len(parts) < 2 or parts[1] == room:
                continue
            assert (
                parts[1] in ALLOWED[room] | {"__init__"}
                or not (APP / parts[1]).exists()
                and not (APP / f"{parts[1]}.py").exists()
            ), f"{name} imports {target}"


def test_api_modules_build_on_the_base_not_on_the_registrar():
    for name, tree in modules():
        if name.startswith("api/") and name != "api/__init__.py":
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module == "app.api":
                    pytest.fail(f"{name} imports from app.api; use app.api.base")


def test_services_flush_and_never_commit():
    for name, tree in modules():
        if not name.startswith("services/") or name in BATCH_COMMITTERS:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("commit", "rollback"):
                pytest.fail(f"{name} line {node.lineno} calls {node.attr}(): the caller owns it")


def test_a_service_call_is_undone_by_its_callers_rollback(app):
    """What services write stays in the caller's unit of work until the caller commits."""
    admin = make_user("admin")
    event = make_event("Departure")
    article = make_article(make_outlet("Lantern"), text="The group said 280 left.", events=[event])
    counts = {m: db.session.query(m).count() for m in (User, Outlet, Event, Claim, Actor)}
    accounts.create_user("omid", "reviewer", "a long password")
    catalogue.create_outlet(name="Courier")
    catalogue.create_event(title="Another")
    claim = claims.create_claim(article, admin, start=4, end=9, quote="group", label="supporting")
    claims.adjudicate(claim, admin, "contested")
    propositions.create_proposition(event, admin, statement="They left.", claims=[claim.id])
    actors.create_actor(event, admin, name="MEK", aliases=["PMOI"])
    db.session.rollback()
    assert {m: db.session.query(m).count() for m in counts} == counts
    assert db.session.query(Assessment).count() == 0
    assert db.session.query(Article).count() == 1
