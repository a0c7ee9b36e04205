"""Two people saving one assessment at the same moment: one wins, the other gets 409."""

import json
import threading
import urllib.error
import urllib.request

from sqlalchemy import func, select

from app.extensions import db
from app.models import Assessment
from app.services.accounts import create_token
from tests.api.conftest import TEXT, span
from tests.factories import make_user

ROUNDS = 5


def call(base: str, token: str, method: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base}/api/v1{path}",
        method=method,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, _body(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _body(error.read())


def _body(raw: bytes) -> dict:
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {"not_json": raw[:300].decode(errors="replace")}


def test_concurrent_edits_of_one_assessment_end_in_one_success_and_one_409(article, live_server):
    owner = make_user("reviewer", "rana")
    admin = make_user("admin", "ada")
    tokens = {"rana": create_token(owner.username), "ada": create_token(admin.username)}
    db.session.commit()
    status, claim = call(
        live_server, tokens["rana"], "POST", f"/articles/{article.id}/claims", span(TEXT, "Albania")
    )
    assert status == 201
    for round_no in range(ROUNDS):
        version = round_no + 1
        barrier = threading.Barrier(2)
        results: dict[str, tuple[int, dict]] = {}
        edits = {"rana": "contested", "ada": "unsourced"}

        def save(who: str, label: str, version=version, barrier=barrier, results=results):
            barrier.wait()
            results[who] = call(
                live_server,
                tokens[who],
                "PATCH",
                f"/claims/{claim['id']}",
                {"label": label, "version": version, "reviewer": "rana"},
            )

        threads = [threading.Thread(target=save, args=item) for item in edits.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        statuses = sorted(status for status, _ in results.values())
        assert statuses == [200, 409], results
        winner = next(who for who, (status, _) in results.items() if status == 200)
        loser_body = next(body for status, body in results.values() if status == 409)
        # The loser is told the winner's state; the stored state is the winner's edit.
        assert loser_body["current"]["label"] == edits[winner]
        assert loser_body["current"]["version"] == version + 1
        status, now = call(live_server, tokens["rana"], "PATCH", f"/claims/{claim['id']}", {})
        assert status == 422  # nothing to change: the GET below reads the state
        status, now = call(live_server, tokens["rana"], "GET", f"/claims/{claim['id']}", {})
        assert now["assessments"][0]["label"] == edits[winner]
        assert now["assessments"][0]["version"] == version + 1


DELETE_RACES = 12


def test_deleting_a_claim_while_reviewers_edit_it_answers_404_or_409_never_500(
    article, live_server
):
    """The author deletes a claim while two reviewers save their assessments of it. Each side
    gets its answer (the delete 204 or 404; an edit 200/201, 404 or 409), and nothing of the
    claim survives its delete."""
    make_user("reviewer", "rana")
    for name in ("omid", "sara"):
        make_user("reviewer", name)
    tokens = {name: create_token(name) for name in ("rana", "omid", "sara")}
    db.session.commit()
    for round_no in range(DELETE_RACES):
        status, claim = call(
            live_server,
            tokens["rana"],
            "POST",
            f"/articles/{article.id}/claims",
            span(TEXT, "Albania", label="supporting"),
        )
        assert status == 201, claim
        if round_no % 2:  # half the rounds: the reviewers edit an assessment they already have
            for name in ("omid", "sara"):
                call(
                    live_server,
                    tokens[name],
                    "PUT",
                    f"/claims/{claim['id']}/assessment",
                    {"label": "contested"},
                )
        barrier = threading.Barrier(3)
        results: dict[str, tuple[int, dict]] = {}

        def act(who: str, barrier=barrier, results=results, claim_id=claim["id"], n=round_no):
            barrier.wait()
            if who == "rana":
                results[who] = call(live_server, tokens[who], "DELETE", f"/claims/{claim_id}", {})
            else:
                results[who] = call(
                    live_server,
                    tokens[who],
                    "PUT",
                    f"/claims/{claim_id}/assessment",
                    {"label": "unsourced", "note": f"round {n}"},
                )

        threads = [threading.Thread(target=act, args=(who,)) for who in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert results["rana"][0] in (204, 404), results
        for name in ("omid", "sara"):
            assert results[name][0] in (200, 201, 404, 409), results
        status, _ = call(live_server, tokens["rana"], "GET", f"/claims/{claim['id']}", {})
        assert status == 404
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def _at_once(*calls) -> list[tuple[int, dict]]:
    """Run the calls in two threads released together; their answers, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call_):
        barrier.wait()
        results[i] = call_()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_revisions_of_the_same_revision_end_in_one_success_and_one_409(live_server):
    from app.models import Article, ArticleRevision
    from tests.factories import make_article

    article = make_article(text="The port reopened on Tuesday.")
    editor = make_user("curator", "cora")
    token = create_token(editor.username)
    db.session.commit()
    for round_no in range(ROUNDS):
        revision = round_no + 1
        texts = [f"The port reopened on Tuesday. Edit {round_no} {who}." for who in "ab"]
        results = _at_once(
            *(
                lambda text=text, revision=revision: call(
                    live_server,
                    token,
                    "PUT",
                    f"/articles/{article.id}",
                    {"text": text, "revision": revision},
                )
                for text in texts
            )
        )
        statuses = sorted(status for status, _ in results)
        assert statuses == [200, 409], results
        loser = next(body for status, body in results if status == 409)
        assert loser["error"] == "stale_revision" and loser["current"]["revision"] == revision + 1
        winner = next(body for status, body in results if status == 200)
        db.session.expire_all()
        stored = db.session.get(Article, article.id)
        assert (stored.revision, stored.text) == (revision + 1, winner["text"])
        count = db.session.scalar(
            select(func.count(ArticleRevision.id)).where(ArticleRevision.article_id == article.id)
        )
        assert count == revision + 1


def test_two_deletes_of_one_claim_end_in_one_204_and_one_404(article, live_server):
    owner = make_user("reviewer", "rana")
    token = create_token(owner.username)
    db.session.commit()
    for _ in range(ROUNDS * 2):
        status, claim = call(
            live_server, token, "POST", f"/articles/{article.id}/claims", span(TEXT, "Albania")
        )
        assert status == 201
        results = _at_once(
            *(
                lambda claim=claim: call(live_server, token, "DELETE", f"/claims/{claim['id']}", {})
                for _ in range(2)
            )
        )
        statuses = sorted(status for status, _ in results)
        assert statuses in ([204, 404], [204, 409]), results
