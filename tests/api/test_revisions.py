"""Articles change and claims follow: PUT a new text, every claim is kept, found again,
moved with its words or orphaned (never deleted, never silently wrong)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, ArticleRevision, Assessment, Claim, History, User
from app.text.offsets import context
from tests.factories import make_outlet
from tests.services.test_export import load_validator

PARAGRAPHS = [
    "The last 280 residents of Camp Liberty left Iraq for Albania on 9 September 2016.",
    "Officials said the transfer was completed without incident.",
    "Critics called the camp a prison and said the move came years too late.",
    "The group thanked the United Nations for its help.",
]
TEXT = "\n\n".join(PARAGRAPHS)


@pytest.fixture(autouse=True)
def outlet(app):
    """The outlet the articles are added to (admins make outlets; curators add articles)."""
    return make_outlet("Revision Times")


def post_article(api, text=TEXT, outlet="Revision Times", title="Departure"):
    response = api.post("/articles", {"outlet": outlet, "title": title, "text": text})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def tag(api, article, quote, label="supporting", occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = article["text"].index(quote, start + 1)
    response = api.post(
        f"/articles/{article['id']}/claims",
        {"start": start, "end": start + len(quote), "quote": quote, "label": label},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def revise(api, article_id, text, **extra):
    return api.put(f"/articles/{article_id}", {"text": text, **extra})


def claim_of(api, claim_id):
    return api.get(f"/claims/{claim_id}").get_json()


def test_an_insertion_before_a_claim_moves_its_offsets_and_keeps_the_old_text(curator):
    article = post_article(curator)
    claim = tag(curator, article, "transfer was completed without incident")
    new_text = "UPDATED: a correction was added.\n\n" + TEXT
    response = revise(curator, article["id"], new_text, note="correction")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["revision"] == 2
    assert body["reanchored"] == {
        "revision": 2,
        "kept": 0,
        "anchored": 1,
        "moved": [],
        "orphaned": [],
        "still_orphaned": 0,
    }
    assert body["text"] == new_text
    after = claim_of(curator, claim["id"])
    assert after["start"] == claim["start"] + len("UPDATED: a correction was added.\n\n")
    assert new_text[after["start"] : after["end"]] == after["quote"] == claim["quote"]
    assert after["revision"] == 2
    assert after["anchor"] is None
    assert after["assessments"][0]["label"] == "supporting"
    revisions = curator.get(f"/articles/{article['id']}/revisions").get_json()
    assert [(r["number"], r["current"], r["note"]) for r in revisions] == [
        (1, False, None),
        (2, True, "correction"),
    ]
    assert revisions[1]["created_by"] == "cora"
    # A claim tagged now points into revision 2.
    assert tag(curator, body, "a correction was added")["revision"] == 2
    old = db.session.scalar(
        select(ArticleRevision.text).where(
            ArticleRevision.article_id == article["id"], ArticleRevision.number == 1
        )
    )
    assert old == TEXT


def test_an_edit_inside_a_claim_moves_it_with_its_words_and_flags_it(curator):
    article = post_article(curator)
    claim = tag(curator, article, "Critics called the camp a prison and said the move came")
    new_text = TEXT.replace("called the camp a prison", "called the camp a jail")
    body = revise(curator, article["id"], new_text).get_json()
    assert body["reanchored"]["moved"] == [claim["id"]]
    after = claim_of(curator, claim["id"])
    assert after["anchor"] == "moved"
    assert after["quote"] == "Critics called the camp a jail and said the move came"
    assert new_text[after["start"] : after["end"]] == after["quote"]
    # A curator confirms it: the flag goes, the place stays.
    confirmed = curator.post(
        f"/claims/{claim['id']}/anchor",
        {"start": after["start"], "end": after["end"], "quote": after["quote"]},
    )
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["anchor"] is None


def test_a_deleted_paragraph_orphans_its_claim_which_a_reviewer_reattaches(curator):
    article = post_article(curator)
    gone = tag(curator, article, "The group thanked the United Nations", label="contested")
    stays = tag(curator, article, "Officials said")
    new_text = "\n\n".join(PARAGRAPHS[:3])
    body = revise(curator, article["id"], new_text).get_json()
    assert body["reanchored"]["orphaned"] == [gone["id"]]
    assert body["reanchored"]["kept"] == 1
    orphan = claim_of(curator, gone["id"])
    # Nothing is deleted: the offsets, quote and context point into revision 1.
    assert orphan["anchor"] == "orphan"
    assert orphan["revision"] == 1
    assert (orphan["start"], orphan["end"], orphan["quote"]) == (
        gone["start"],
        gone["end"],
        gone["quote"],
    )
    assert orphan["assessments"][0]["label"] == "contested"
    assert claim_of(curator, stays["id"])["revision"] == 2
    listed = curator.get(f"/articles/{article['id']}").get_json()
    assert {c["id"]: c["anchor"] for c in listed["claims"]} == {
        gone["id"]: "orphan",
        stays["id"]: None,
    }
    # A wrong passage is refused and changes nothing.
    wrong = curator.post(f"/claims/{gone['id']}/anchor", {"start": 0, "end": 5, "quote": "Other"})
    assert wrong.status_code == 422
    assert claim_of(curator, gone["id"])["anchor"] == "orphan"
    start = new_text.index("years too late")
    reattached = curator.post(
        f"/claims/{gone['id']}/anchor",
        {"start": start, "end": start + 14, "quote": "years too late"},
    )
    assert reattached.status_code == 200, reattached.get_json()
    claim = reattached.get_json()
    assert (claim["anchor"], claim["revision"], claim["quote"]) == (None, 2, "years too late")
    assert claim["assessments"][0]["label"] == "contested"
    actions = db.session.scalars(
        select(History.action).where(History.claim_id == gone["id"]).order_by(History.id)
    ).all()
    assert actions == ["create", "reanchor", "reattach"]


def test_an_orphan_comes_back_when_its_words_return(curator):
    article = post_article(curator)
    gone = tag(curator, article, "The group thanked the United Nations")
    revise(curator, article["id"], "\n\n".join(PARAGRAPHS[:3]))
    assert claim_of(curator, gone["id"])["anchor"] == "orphan"
    body = revise(curator, article["id"], TEXT + "\n\nA new paragraph.").get_json()
    assert body["revision"] == 3
    back = claim_of(curator, gone["id"])
    assert (back["anchor"], back["revision"]) == (None, 3)
    assert body["text"][back["start"] : back["end"]] == back["quote"]


def test_a_repeated_quote_is_told_apart_by_its_context(curator):
    text = (
        "In Tirana, the minister said no.\n\n"
        "In Baghdad, the minister said no.\n\n"
        "In Paris, the minister said no."
    )
    article = post_article(curator, text)
    claim = tag(curator, article, "the minister said no", occurrence=1)  # Baghdad's
    # An insertion before all three, and the first one rewritten.
    new_text = "Summary first.\n\n" + text.replace(
        "In Tirana, the minister said no.", "Tirana: no."
    )
    revise(curator, article["id"], new_text)
    after = claim_of(curator, claim["id"])
    assert after["anchor"] is None
    assert new_text[after["start"] - len("In Baghdad, ") : after["start"]] == "In Baghdad, "


def test_emoji_and_rtl_around_an_edit_keep_code_point_offsets(curator):
    text = "👩‍👩‍👧 خبر فوری: شهردار گفت که طرح تصویب می‌شود. 🇮🇶 The vote is on Monday."
    article = post_article(curator, text)
    rtl = tag(curator, article, "طرح تصویب می‌شود")
    latin = tag(curator, article, "The vote is on Monday")
    new_text = text.replace("خبر فوری", "خبر فوری و مهم 🔥")
    body = revise(curator, article["id"], new_text).get_json()
    assert body["reanchored"]["orphaned"] == []
    for before in (rtl, latin):
        after = claim_of(curator, before["id"])
        assert new_text[after["start"] : after["end"]] == before["quote"] == after["quote"]


def test_same_text_changes_nothing_and_a_stale_revision_is_refused(curator, admin):
    article = post_article(curator)
    same = revise(curator, article["id"], TEXT)
    assert same.status_code == 200
    assert same.get_json()["reanchored"]["revision"] is None
    assert same.get_json()["revision"] == 1
    assert revise(curator, article["id"], TEXT + " More.", revision=1).status_code == 200
    stale = revise(admin, article["id"], TEXT + " Other.", revision=1)
    assert stale.status_code == 409
    assert stale.get_json()["error"] == "stale_revision"
    assert stale.get_json()["current"] == {"revision": 2}
    assert db.session.get(Article, article["id"]).text == TEXT + " More."


def test_metadata_changes_in_place_and_bad_input_changes_nothing(curator, researcher):
    article = post_article(curator)
    post_article(curator, "Another text entirely.", title="Other")
    response = curator.put(f"/articles/{article['id']}", {"title": "Departure (updated)"})
    assert response.status_code == 200
    assert response.get_json()["title"] == "Departure (updated)"
    assert response.get_json()["revision"] == 1
    for bad, status in (
        ({"text": "   "}, 422),
        ({"text": "Another text entirely."}, 409),  # another article of the outlet
        ({"stance": "sideways"}, 422),
        ({"url": "javascript:alert(1)"}, 422),
        ({"text": "x\u0000y"}, 422),
        ({"revision": 2**40}, 422),
    ):
        answer = curator.put(f"/articles/{article['id']}", bad)
        assert answer.status_code == status, (bad, answer.get_json())
    assert researcher.put(f"/articles/{article['id']}", {"text": "New."}).status_code == 403
    assert curator.put("/articles/999999", {"text": "New."}).status_code == 404
    stored = db.session.get(Article, article["id"])
    assert (stored.text, stored.revision) == (TEXT, 1)


@pytest.mark.parametrize("claims", [1000])
def test_a_thousand_claims_each_end_anchored_or_orphaned_never_wrong(curator, claims):
    words = [f"word{i}" for i in range(claims)]
    text = " ".join(words)
    article = post_article(curator, text)
    stored = db.session.get(Article, article["id"])
    cora = db.session.scalar(select(User).where(User.username == "cora"))
    at = 0
    for word in words:
        start = text.index(word + " " if word != words[-1] else word, at)
        prefix, suffix = context(text, start, start + len(word))
        claim = Claim(
            article=stored,
            start=start,
            end=start + len(word),
            quote=word,
            prefix=prefix,
            suffix=suffix,
        )
        claim.assessments.append(Assessment(reviewer=cora, label="supporting"))
        db.session.add(claim)
        at = start + len(word)
    db.session.commit()
    # Every tenth word removed, every seventh rewritten, a sentence put in front.
    new_words = []
    for i, word in enumerate(words):
        if i % 10 == 5:
            continue
        new_words.append(word.replace("word", "wurd") if i % 7 == 3 else word)
    new_text = "Inserted at the top. " + " ".join(new_words)
    body = revise(curator, article["id"], new_text).get_json()
    summary = body["reanchored"]
    total = summary["kept"] + summary["anchored"] + len(summary["moved"])
    assert total + len(summary["orphaned"]) == claims
    expected = {}
    for i, word in enumerate(words):
        if i % 10 == 5:
            expected[word] = ("orphan", word)
        elif i % 7 == 3:
            expected[word] = ("moved", word.replace("word", "wurd"))
        else:
            expected[word] = (None, word)
    by_quote = {}
    for claim in db.session.scalars(select(Claim).where(Claim.article_id == article["id"])):
        db.session.refresh(claim)
        if claim.anchor == "orphan":
            assert claim.revision == 1 and text[claim.start : claim.end] == claim.quote
            by_quote[claim.quote] = ("orphan", claim.quote)
        else:
            assert claim.revision == 2 and new_text[claim.start : claim.end] == claim.quote
            by_quote[claim.quote.replace("wurd", "word")] = (claim.anchor, claim.quote)
    assert by_quote == expected


def test_exports_carry_the_revision_each_claims_offsets_point_into(curator, researcher):
    article = post_article(curator)
    gone = tag(curator, article, "The group thanked the United Nations")
    stays = tag(curator, article, "Officials said")
    first_hash = article["content_hash"]
    revised = revise(curator, article["id"], "\n\n".join(PARAGRAPHS[:3])).get_json()
    db.session.commit()
    records = {
        r["claim_id"]: r
        for r in map(
            json.loads,
            researcher.get("/export/claims?format=jsonl").get_data(as_text=True).splitlines(),
        )
    }
    assert (records[gone["id"]]["revision"], records[gone["id"]]["anchor"]) == (1, "orphan")
    assert records[gone["id"]]["revision_hash"] == first_hash
    assert records[stays["id"]]["revision"] == 2
    assert records[stays["id"]]["revision_hash"] == revised["content_hash"] != first_hash
    assert records[stays["id"]]["anchor"] is None
    rows = list(
        csv.DictReader(
            io.StringIO(
                researcher.get("/export/claims?format=csv").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    by_id = {int(r["claim_id"]): r for r in rows}
    assert (by_id[gone["id"]]["revision"], by_id[gone["id"]]["anchor"]) == ("1", "orphan")
    assert by_id[stays["id"]]["revision_hash"] == revised["content_hash"]
    validator = load_validator()
    collection = researcher.get("/export/claims?format=w3c").get_json()
    for item in collection["first"]["items"]:
        assert validator.validate_annotation(item) == [], item["id"]
        assert item["target"]["state"]["type"] == "TimeState"
    items = {item["id"]: item for item in collection["first"]["items"]}
    flags = [
        b["value"]
        for b in items[f"urn:parallax:claim:{gone['id']}"]["body"]
        if b["purpose"] == "questioning"
    ]
    assert len(flags) == 1 and flags[0].startswith("anchor: orphan.")
    stays_bodies = items[f"urn:parallax:claim:{stays['id']}"]["body"]
    assert not [b for b in stays_bodies if b["purpose"] == "questioning"]
