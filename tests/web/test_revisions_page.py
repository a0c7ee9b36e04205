"""The revisions page: every revision of an article's text, a word diff against the one
before, escaped."""

from __future__ import annotations

from app.extensions import db
from app.services.claims.revisions import revise
from app.services.claims.tagging import create_claim
from app.text.diffing import EQUAL, INSERT, readable, word_diff
from tests.factories import login, make_article, make_event, make_outlet, make_user

TEXT = "Critics called the camp a prison.\n\nThe group thanked the United Nations."
XSS = '<script>alert("x")</script>'


def test_each_revision_is_shown_against_the_one_before_and_escaped(client):
    editor = make_user("reviewer", "rana")
    article = make_article(make_outlet("Diff Daily"), text=TEXT, title="Camp")
    revise(article, TEXT.replace("a prison", "a jail"), user=editor, note="wording fix")
    revise(article, TEXT.replace("a prison", "a jail") + "\n\n" + XSS, user=None)
    db.session.commit()
    login(client, make_user("researcher"))
    page = client.get(f"/articles/{article.id}/revisions").get_data(as_text=True)
    assert page.index("Revision 3") < page.index("Revision 2") < page.index("Revision 1")
    assert "<del>prison</del><ins>jail</ins>" in page
    assert "wording fix" in page and "rana" in page
    assert XSS not in page and "&lt;script&gt;" in page
    detail = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert f'href="/articles/{article.id}/revisions">revision 3</a>' in detail


def test_an_article_never_revised_has_one_revision(client):
    article = make_article(make_outlet("Diff Daily"), text=TEXT, title="Camp")
    db.session.commit()
    login(client, make_user("researcher"))
    page = client.get(f"/articles/{article.id}/revisions").get_data(as_text=True)
    assert "Revision 1" in page and "first stored" in page
    assert client.get("/articles/999999/revisions").status_code == 404


def test_a_word_diff_rebuilds_both_texts_and_cuts_long_unchanged_runs():
    old = "word " * 500 + "the camp a prison. " + "tail " * 500
    new = "word " * 500 + "the camp a jail, said critics. " + "tail " * 500
    diff = word_diff(old, new)
    assert "".join(t for op, t in diff if op != INSERT) == old
    assert "".join(t for op, t in diff if op != -1) == new
    pieces = readable(diff)
    assert sum(p.hidden for p in pieces) > 4000
    assert all(len(p.text) <= 160 for p in pieces if p.op == EQUAL)


def test_the_compare_page_draws_no_orphan(client):
    reviewer = make_user("reviewer", "rana")
    event = make_event("Camp closes")
    article = make_article(make_outlet("Diff Daily"), text=TEXT, title="Camp", events=[event])
    start = TEXT.index("United Nations")
    claim = create_claim(
        article, reviewer, start=start, end=start + 14, quote="United Nations", label="contested"
    )
    kept = create_claim(article, reviewer, start=0, end=7, quote="Critics", label="supporting")
    # Long enough that the orphan's old offsets fall inside the new text.
    revise(
        article, "Critics called the camp a prison. " + "Nothing else was said. " * 4, user=reviewer
    )
    db.session.commit()
    assert (claim.anchor, kept.anchor) == ("orphan", None)
    login(client, make_user("researcher"))
    page = client.get(f"/events/{event.id}/compare").get_data(as_text=True)
    assert f'data-claims="{kept.id}"' in page
    assert f'data-claims="{claim.id}"' not in page
