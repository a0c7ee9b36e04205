"""The house, read from the code: who may import whom, who may commit, how long a function
may grow, and that the seed story stays data.

Floors, bottom up: text (pure), errors, capabilities and vocabulary; models; formats;
services, themselves on floors (accounts and corpus; claims; review and compare; exchange);
web, api and cli; the app package that puts them together. No import runs back up, no two
modules import each other (outside TYPE_CHECKING), and a package's __init__ that registers its
modules is not also the base those modules import.
"""

import ast
import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Actor, Article, Assessment, Claim, Event, Outlet, User
from app.services import accounts
from app.services.claims import propositions, tagging
from app.services.corpus import actors, events, outlets
from tests.factories import make_article, make_event, make_outlet, make_user

APP = Path(__file__).resolve().parents[1] / "app"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# What each room may import from the app (besides itself).
BASE = {"errors", "capabilities", "vocabulary", "config"}
ENTRY = BASE | {"extensions", "models", "services", "text", "formats", "interop", "unit_of_work"}
ALLOWED = {
    "text": set(),
    "errors": set(),
    "extensions": set(),
    "capabilities": {"errors"},
    "vocabulary": {"capabilities", "errors", "text"},
    "config": {"capabilities", "vocabulary", "errors"},
    "models": {"extensions", "errors", "capabilities", "vocabulary", "config"},
    "formats": {"text", "vocabulary", "interop"},
    # Other tools' files read into documents: no database, no app.
    "interop": {"text"},
    "services": BASE | {"extensions", "models", "text", "formats", "interop"},
    # The entry points: a command, a page, an API call.
    "cli": ENTRY,
    "web": ENTRY | {"api", "routing"},
    "api": ENTRY | {"routing", "workers"},
    "unit_of_work": BASE | {"extensions"},
    "routing": {"models"},
    # Server processes (gunicorn's workers): Flask only.
    "workers": set(),
}
# The services' own floors: a group imports only the groups below it.
SERVICE_FLOORS = {"corpus": 1, "accounts": 2, "claims": 2, "review": 3, "compare": 3, "exchange": 4}
LONGEST_FUNCTION = 80


def modules():
    for path in sorted(APP.rglob("*.py")):
        yield path.relative_to(APP).as_posix(), ast.parse(path.read_text())


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:`."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.add(inner.lineno)
    return lines


def app_imports(tree: ast.Module, *, runtime_only: bool = False) -> set[str]:
    skip = _type_checking_only(tree) if runtime_only else set()
    found = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("app"))
    return found


def room(name: str) -> str:
    return name.split("/")[0].removesuffix(".py")


def known_module(dotted: str) -> str | None:
    """The app module (as a path under app/) that a dotted import names, or None."""
    parts = dotted.split(".")[1:]
    while parts:
        path = "/".join(parts)
        if (APP / f"{path}.py").exists():
            return f"{path}.py"
        if (APP / path / "__init__.py").exists():
            return f"{path}/__init__.py"
        parts.pop()
    return None


@pytest.mark.parametrize("floor", sorted(ALLOWED))
def test_no_import_runs_back_up(floor):
    for name, tree in modules():
        if room(name) != floor:
            continue
        for target in app_imports(tree):
            parts = target.split(".")
            if len(parts) < 2 or parts[1] == floor or known_module(target) is None:
                continue
            assert parts[1] in ALLOWED[floor] | {"__init__"}, f"{name} imports {target}"


def test_every_room_is_on_a_floor():
    rooms = {room(name) for name, _ in modules()} - {"__init__"}
    assert rooms <= set(ALLOWED), f"rooms without a floor: {rooms - set(ALLOWED)}"
    groups = {name.split("/")[1] for name, _ in modules() if name.startswith("services/")}
    groups = {g.removesuffix(".py") for g in groups} - {"__init__"}
    assert groups == set(SERVICE_FLOORS), f"service groups without a floor: {groups}"


def test_services_import_only_the_groups_below_theirs():
    for name, tree in modules():
        if not name.startswith("services/") or name == "services/__init__.py":
            continue
        group = name.split("/")[1].removesuffix(".py")
        for target in app_imports(tree):
            parts = target.split(".")
            if parts[:2] != ["app", "services"] or len(parts) < 3:
                continue
            other = parts[2]
            if other in (group, "__init__") or other not in SERVICE_FLOORS:
                continue
            assert SERVICE_FLOORS[other] < SERVICE_FLOORS[group], f"{name} imports {target}"


def test_no_two_modules_import_each_other():
    graph: dict[str, set[str]] = defaultdict(set)
    for name, tree in modules():
        for target in app_imports(tree, runtime_only=True):
            module = known_module(target)
            if module is not None and module != name and not name.endswith("__init__.py"):
                graph[name].add(module)
    # Any cycle, however long (Tarjan's strongly connected components, iteratively small).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    assert not cycles, f"import cycles: {cycles}"


def test_api_modules_build_on_the_base_not_on_the_registrar():
    for name, tree in modules():
        if name.startswith("api/") and name != "api/__init__.py":
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module == "app.api":
                    pytest.fail(f"{name} imports from app.api; use app.api.base")


def test_api_schemas_live_in_one_place_named_after_their_routes():
    """The rule for request and response shapes: app/api/schemas/<module>.py holds those of
    app/api/<module>.py (and the shared ones: fields, errors); no route module defines one."""
    for name, tree in modules():
        schemas = [
            node.name
            for node in tree.body
            if isinstance(node, ast.ClassDef)
            and any(
                getattr(b, "id", getattr(b, "attr", "")).endswith(("Schema", "In", "Query"))
                or getattr(b, "id", "") in ("Schema", "In")
                for b in node.bases
            )
        ]
        if name.startswith("api/schemas/"):
            stem = Path(name).stem
            assert stem in {"__init__", "fields", "errors"} or (APP / "api" / f"{stem}.py").exists()
        elif schemas:
            pytest.fail(f"{name} defines schemas {schemas}: they belong in app/api/schemas/")


def test_services_flush_and_never_commit():
    for name, tree in modules():
        if not name.startswith("services/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("commit", "rollback"):
                pytest.fail(f"{name} line {node.lineno} calls {node.attr}(): the caller owns it")


def test_no_function_is_longer_than_a_screen():
    long = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > LONGEST_FUNCTION:
                    long.append(f"{name}:{node.lineno} {node.name} ({length} lines)")
    assert not long, f"functions over {LONGEST_FUNCTION} lines: {long}"


def seed_names() -> set[str]:
    """The proper names of the seed story: its outlets, its actors and their capitalised
    aliases, and the places its event titles name ("Camp Liberty", "Iraq")."""
    manifest = tomllib.loads((SEEDS / "manifest.toml").read_text())
    names = {o["name"] for o in manifest.get("outlets", [])}
    for event in manifest.get("events", []):
        for actor in event.get("actors", []):
            names.add(actor["name"])
            names.update(a for a in actor.get("aliases", []) if a[:1].isupper())
        # Runs of capitalised words after the first: "Camp Liberty", "Iraq".
        runs = re.findall(r"(?:[A-Z][\w]+(?:'s)?\s?)+", event["title"].split(" ", 1)[-1])
        names.update(run.strip().removesuffix("'s") for run in runs)
    return {n for n in names if len(n) >= 3}


def test_the_seed_story_is_data_not_code():
    names = seed_names()
    assert len(names) > 10, names  # the manifest was read
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")
    found = []
    for path in sorted(APP.rglob("*")):
        if path.suffix not in (".py", ".html", ".js", ".css") or not path.is_file():
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if match := pattern.search(line):
                found.append(f"{path.relative_to(APP)}:{number} {match[0]!r}")
    assert not found, f"seed-story names in the app: {found}"


def test_a_service_call_is_undone_by_its_callers_rollback(app):
    """What services write stays in the caller's unit of work until the caller commits."""
    admin = make_user("admin")
    event = make_event("Departure")
    article = make_article(make_outlet("Lantern"), text="The group said 280 left.", events=[event])
    counts = {m: db.session.query(m).count() for m in (User, Outlet, Event, Claim, Actor)}
    accounts.create_user("omid", "reviewer", "a long password")
    outlets.create_outlet(name="Courier")
    events.create_event(title="Another")
    claim = tagging.create_claim(article, admin, start=4, end=9, quote="group", label="supporting")
    tagging.adjudicate(claim, admin, "contested")
    propositions.create_proposition(event, admin, statement="They left.", claims=[claim.id])
    actors.create_actor(event, admin, name="Kestrel party", aliases=["KP"])
    db.session.rollback()
    assert {m: db.session.query(m).count() for m in counts} == counts
    assert db.session.query(Assessment).count() == 0
    assert db.session.query(Article).count() == 1
