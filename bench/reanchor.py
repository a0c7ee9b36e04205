"""Re-anchor 1,000 claims of a long article after an edit: how long it takes.

    python -m bench.reanchor [--claims 1000] [--paragraphs 400] [--stored sqlite|postgresql]
                             [--api]

The article has `paragraphs` paragraphs of about 500 characters; the edit inserts a lead,
rewrites a sentence in every tenth paragraph and deletes every fiftieth. Printed: the median
of five runs, and how many claims were kept, anchored, moved and orphaned.

With --stored, the article and its claims are stored in a fresh database and each run is a
whole revision as `PUT /api/v1/articles/<id>` makes it (services.revisions.revise and the
commit: the old text kept, every claim updated, the history written), alternating between
the two texts. With --api as well, each run is the request itself: `PUT
/api/v1/articles/<id>` with a bearer token through the app (authentication, validation, the
response with its re-anchoring summary), the issue's measure.
"""

from __future__ import annotations

import argparse
import collections
import random
import statistics
import time

from app.text.anchoring import Reanchorer
from app.text.offsets import context

WORDS = [
    "residents",
    "camp",
    "liberty",
    "officials",
    "said",
    "plan",
    "relocation",
    "albania",
    "iraq",
    "buses",
    "airport",
    "group",
    "statement",
    "week",
    "month",
    "government",
    "refugees",
    "agency",
    "process",
    "families",
    "road",
    "night",
    "dark",
]


def build(paragraphs: int, rng: random.Random) -> list[str]:
    return [
        " ".join(rng.choice(WORDS) for _ in range(80)).capitalize() + "." for _ in range(paragraphs)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--paragraphs", type=int, default=400)
    parser.add_argument("--stored", choices=["sqlite", "postgresql"])
    parser.add_argument("--api", action="store_true", help="through PUT (needs --stored)")
    args = parser.parse_args()
    rng = random.Random(1)
    paras = build(args.paragraphs, rng)
    old = "\n\n".join(paras)
    claims = []
    for _ in range(args.claims):
        start = rng.randrange(0, len(old) - 60)
        end = start + rng.randrange(10, 60)
        prefix, suffix = context(old, start, end)
        claims.append((start, end, old[start:end], prefix, suffix))
    edited = []
    for i, p in enumerate(paras):
        if i % 50 == 0:
            continue
        if i % 10 == 0:
            p = p.replace(" said ", " told reporters ", 1)
        edited.append(p)
    new = "Update, 9 September: the last group has left.\n\n" + "\n\n".join(edited)
    if args.stored:
        stored(args.stored, old, new, claims, api=args.api)
        return
    times, counts = [], collections.Counter()
    for _ in range(5):
        started = time.perf_counter()
        engine = Reanchorer(old, new)
        counts = collections.Counter(engine.anchor(*c).status for c in claims)
        times.append(time.perf_counter() - started)
    print(
        f"{args.claims} claims on {len(old):,} characters: median {statistics.median(times):.3f} s "
        f"(5 runs); " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )


def stored(kind: str, old: str, new: str, claims: list[tuple], api: bool = False) -> None:
    import tempfile

    from sqlalchemy import insert

    from app import create_app
    from app.extensions import db
    from app.models import Article, Assessment, Claim, Outlet, User
    from app.services.accounts import create_token
    from app.services.claims.revisions import revise
    from bench.race import database

    with tempfile.TemporaryDirectory() as folder:
        url, drop = database(kind, folder)
        try:
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "reanchor"})
            with app.app_context():
                db.create_all()
                user = User(username="rana", role="admin")
                article = Article(outlet=Outlet(name="Bench"), title="Long", text=old)
                article.content_hash = "0" * 64
                db.session.add_all([user, article])
                db.session.flush()
                ids = db.session.scalars(
                    insert(Claim).returning(Claim.id, sort_by_parameter_order=True),
                    [
                        {
                            "article_id": article.id,
                            "start": c[0],
                            "end": c[1],
                            "quote": c[2],
                            "prefix": c[3],
                            "suffix": c[4],
                        }
                        for c in claims
                    ],
                ).all()
                db.session.execute(
                    insert(Assessment),
                    [{"claim_id": i, "reviewer_id": user.id, "label": "supporting"} for i in ids],
                )
                db.session.commit()
                token = create_token("rana")
                db.session.commit()
                article_id = article.id
                times, summary = [], {}
                for run in range(5):
                    text = new if run % 2 == 0 else old
                    started = time.perf_counter()
                    if api:
                        summary_now = _put(app, token, article_id, text, run + 1)
                    else:
                        summary_now = revise(article, text, user=user).summary()
                        db.session.commit()
                    times.append(time.perf_counter() - started)
                    if run == 0:
                        summary = summary_now
                db.session.remove()
                db.engine.dispose()
        finally:
            drop()
    print(
        f"{len(claims)} stored claims on {len(old):,} characters ({kind}"
        f"{', PUT' if api else ''}): median "
        f"{statistics.median(times):.3f} s a revision (5 runs, max {max(times):.3f} s); first: "
        f"kept {summary['kept']}, anchored {summary['anchored']}, "
        f"moved {len(summary['moved'])}, orphaned {len(summary['orphaned'])}"
    )


def _put(app, token: str, article_id: int, text: str, revision: int) -> dict:
    """One revision as a client makes it; its re-anchoring summary."""
    from app.extensions import db

    db.session.remove()  # the request has its own session, as in the server
    response = app.test_client().put(
        f"/api/v1/articles/{article_id}",
        json={"text": text, "revision": revision},
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code != 200:
        raise SystemExit(f"PUT -> {response.status_code}: {response.get_data(as_text=True)[:300]}")
    return response.get_json()["reanchored"]


if __name__ == "__main__":
    main()
