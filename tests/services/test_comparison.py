"""Matrix, statistics, comparison and suggestions, with hand-computed expectations."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Claim, Event, Outlet, Proposition
from app.services.claims.propositions import create_proposition
from app.services.compare.comparison import (
    build_comparison,
    build_matrix,
    framing,
    load_snapshot,
    load_snapshots,
    outlet_events,
    outlet_stats,
    suggestions,
)
from app.services.exchange.seeds import load_demo, seed
from tests.claim_set import tag
from tests.factories import make_article, make_event, make_outlet, make_user
from tests.services.test_seeds import SEEDS


@pytest.fixture
def small_event(app):
    """A, B and C cover the event. P1: A (supporting, "24 killed"), B (contested, "dozens").
    P2: A only. C states neither."""
    user = make_user("reviewer", "rana")
    event = make_event("Attack")
    a = make_article(
        make_outlet("A"),
        text="A rocket attack left 24 killed. Aid came later.",
        events=[event],
        stance="favourable",
    )
    b = make_article(
        make_outlet("B"),
        text="Dozens died in the attack, officials said.",
        events=[event],
        stance="hostile",
    )
    c = make_article(make_outlet("C"), text="The camp was quiet on Sunday.", events=[event])
    a1 = tag(a, user, "A rocket attack left 24 killed.", "supporting")
    a2 = tag(a, user, "Aid came later.", "supporting")
    b1 = tag(b, user, "Dozens died in the attack", "contested")
    p1 = create_proposition(
        event, user, statement="The attack killed people", claims=[a1.id, b1.id]
    )
    p2 = create_proposition(event, user, statement="Aid arrived", claims=[a2.id])
    return {"event": event, "a": a, "b": b, "c": c, "p1": p1, "p2": p2}


def test_matrix_marks_omissions_and_conflicts(small_event):
    matrix = build_matrix(load_snapshot(small_event["event"]))
    assert [o.name for o in matrix.outlets] == ["A", "B", "C"]
    row1, row2 = matrix.rows
    a, b, c = (small_event[k].outlet_id for k in "abc")
    assert row1.cells[c] is None and row1.cells[a] and row1.cells[b]
    assert row1.cells[b].labels == ["contested"]
    assert row1.labels_differ and row1.numbers_conflict and row1.reporting == 2
    assert row2.cells[b] is None and row2.cells[c] is None
    assert not row2.labels_differ and not row2.numbers_conflict and row2.reporting == 1
    assert [
        r.proposition.statement
        for r in build_matrix(load_snapshot(small_event["event"]), "omitted").rows
    ] == ["Aid arrived", "The attack killed people"]


def test_outlet_statistics_count_labels_unique_and_omitted(small_event):
    stats = {s.outlet.name: s for s in outlet_stats([load_snapshot(small_event["event"])])}
    assert stats["A"].counts == {"supporting": 2, "contested": 0, "unsourced": 0, "disputed": 0}
    assert stats["A"].share("supporting") == 1.0
    assert (stats["A"].unique, stats["A"].omitted) == (1, 0)
    assert (stats["B"].unique, stats["B"].omitted) == (0, 1)
    assert (stats["C"].unique, stats["C"].omitted, stats["C"].total) == (0, 2, 0)
    (only_b,) = outlet_stats(
        load_snapshots(outlet_events(small_event["b"].outlet)), small_event["b"].outlet
    )
    assert only_b.counts["contested"] == 1 and only_b.omitted == 1


def test_comparison_groups_columns_by_stance_and_lists_claims_per_proposition(small_event):
    result = build_comparison(load_snapshot(small_event["event"]))
    assert [a.outlet.name for a in result.articles] == ["A", "C", "B"]  # fav, unknown, hostile
    p1 = small_event["p1"].id
    assert set(result.claims_by_proposition[p1]) == {small_event["a"].id, small_event["b"].id}
    chosen = build_comparison(
        load_snapshot(small_event["event"]), [small_event["b"].id, small_event["a"].id]
    )
    assert [a.outlet.name for a in chosen.articles] == ["B", "A"]


@pytest.fixture
def seeded(app):
    seed(SEEDS)
    load_demo(SEEDS)
    return db.session.scalar(select(Event).where(Event.title.like("Last Camp Liberty%")))


def test_demo_set_is_honest_in_shape_and_loaded_once(seeded):
    claims = db.session.scalars(select(Claim)).all()
    assert len(claims) >= 15
    # None: the four claims the second coder disagrees on and no one has decided yet.
    assert {c.final_label for c in claims} == {"supporting", "contested", "unsourced", None}
    assert sum(c.final_label is None for c in claims) == 4
    assert all(c.article.text[c.start : c.end] == c.quote for c in claims)
    assert all(c.author.username == "demo" for c in claims)
    propositions = db.session.scalars(select(Proposition)).all()
    assert len(propositions) >= 4
    spanning = [p for p in propositions if len({c.article.outlet_id for c in p.claims}) >= 3]
    assert len(spanning) >= 2
    again = load_demo(SEEDS)
    assert (again.claims, again.unchanged) == (0, len(claims))


def test_seed_without_demo_loads_no_claims(runner):
    result = runner.invoke(args=["seed", "--no-demo"])
    assert result.exit_code == 0 and "Demo" not in result.output
    assert db.session.scalar(select(func.count(Claim.id))) == 0


def test_suggestions_find_the_other_outlets_sentences(seeded):
    user = make_user("reviewer", "rana")
    article = next(a for a in seeded.articles if a.outlet.name == "The Media Express")
    claim = tag(
        article,
        user,
        "The 280 remaining residents left from Baghdad, Iraq for Albania",
        "unsourced",
    )
    found = suggestions(claim, limit=6)
    outlets = {s.article.outlet.name for s in found}
    assert {"Breitbart News", "Track Persia"} <= outlets
    assert any("280" in s.quote and "Albania" in s.quote for s in found)
    for s in found:
        assert s.article.text[s.start : s.end] == s.quote


def test_framing_shows_outlets_name_the_group_differently(app):
    seed(SEEDS)
    events = db.session.scalars(select(Event)).all()
    texts = {}
    for event in events:
        result = framing(load_snapshot(event, actors=True))
        group = next(
            n for n in result.actors if n.actor.name == "People's Mojahedin Organization of Iran"
        )
        for name in result.outlets:
            texts[name] = {v: c[name] for v, c in group.names.items()}
    assert texts["Nejat Society"]["MKO"] > texts["Nejat Society"]["PMOI"]
    assert texts["The Media Express"]["Iranian Resistance"] > 0
    assert texts["Nejat Society"]["cult"] > 0 and texts["The Media Express"].get("cult", 0) == 0
    assert db.session.scalar(select(func.count(Outlet.id))) == 5
