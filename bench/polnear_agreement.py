"""Span agreement on real data: PolNeAR's 16 articles that 5-6 annotators marked
independently (../shared/polnear, brat standoff), loaded through `import-claims` into a fresh
SQLite instance whose labels are the corpus's span types, then measured by the agreement
page's own computation.

    python -m bench.polnear_agreement [--corpus ../shared/polnear]

Each text-bound Source, Cue and Content span becomes a claim by its annotator, labelled with
its type, made independently (`informed: false`); a discontinuous span counts fragment by
fragment. Every annotator of an article marks it done, so an annotator who marked nothing of a
type there counts as zero spans. Prints alpha_u per span type, span F1 per span type (pairs
of annotators, summed over the articles), and the same over all types; the corpus's published
figure is a token-wise Krippendorff's alpha of 75.4%.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import tempfile
from collections import Counter
from pathlib import Path

from app.text.offsets import OffsetMap

TYPES = ("source", "cue", "content")


def read_corpus(folder: Path) -> list[dict]:
    """The multi-annotator articles: name, text, outlet, title, and each annotator's spans
    as (start, end, type)."""
    articles = []
    with open(folder / "metadata.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            annotators = row["annotators"].split("|")
            if len(annotators) < 2:
                continue
            raw = (folder / "text" / f"{row['filename']}.txt").read_text(encoding="utf-8")
            # brat offsets index the file as it is; Parallax stores it NFC (one of these
            # articles has a decomposed accent), so each offset is mapped, as on import.
            where = OffsetMap(raw)
            text = where.stored
            marked = {}
            for annotator in annotators:
                path = folder / "attributions" / f"{row['filename']}_{annotator}.ann"
                marked[annotator] = [
                    (where(s), where(e), kind)
                    for s, e, kind in _spans(path.read_text(encoding="utf-8"), raw)
                    if where(s) is not None and where(e) is not None
                ]
            articles.append(
                {
                    "name": row["filename"],
                    "text": text,
                    "outlet": row["publisher"],
                    "title": row["title"],
                    "marked": marked,
                }
            )
    return articles


def _spans(ann: str, text: str) -> list[tuple[int, int, str]]:
    out = []
    for line in ann.splitlines():
        if not line.startswith("T") or "\t" not in line:
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        kind, _, where = parts[1].partition(" ")
        if kind.lower() not in TYPES:
            continue
        for fragment in where.split(";"):
            start, end = (int(x) for x in fragment.split())
            if 0 <= start < end <= len(text):
                out.append((start, end, kind.lower()))
    return out


def records(articles: list[dict]):
    for article in articles:
        for annotator, spans in article["marked"].items():
            for start, end, kind in spans:
                yield json.dumps(
                    {
                        "article_url": f"https://polnear.example/{article['name']}",
                        "article_title": article["title"],
                        "article_text": article["text"],
                        "outlet": article["outlet"],
                        "start": start,
                        "end": end,
                        "quote": article["text"][start:end],
                        "author": f"a{annotator}",
                        "informed": False,
                        "assessments": [
                            {"reviewer": f"a{annotator}", "label": kind, "informed": False}
                        ],
                    }
                )


def span_f1(articles: list[dict], kinds: tuple[str, ...]) -> tuple[float, float, int]:
    """Exact and overlap F1 over every pair of annotators of each article (the app's
    matching), for spans of the given types; and the spans counted."""
    from app.services.review.spans import match_spans

    total = Counter()
    for article in articles:
        for first, second in itertools.combinations(sorted(article["marked"]), 2):
            a = [(s, e) for s, e, k in article["marked"][first] if k in kinds]
            b = [(s, e) for s, e, k in article["marked"][second] if k in kinds]
            n_a, n_b, exact, overlap = match_spans(a, b)
            total.update(spans=n_a + n_b, exact=exact, overlap=overlap)
    both = total["spans"] or 1
    return 2 * total["exact"] / both, 2 * total["overlap"] / both, total["spans"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="../shared/polnear", type=Path)
    args = parser.parse_args()
    articles = read_corpus(args.corpus)

    from sqlalchemy import select

    from app import create_app
    from app.cli.claims import import_claims
    from app.extensions import db
    from app.models import Article, User
    from app.services.review.agreement import Scope, compute
    from app.services.review.assignments import mark_done

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/polnear.db",
                "SECRET_KEY": "polnear",
                "PARALLAX_LABELS": list(TYPES),
            }
        )
        with app.app_context():
            db.create_all()
            report = import_claims(list(records(articles)))
            print(report.summary())
            by_url = {a.url: a for a in db.session.scalars(select(Article))}
            users = {u.username: u for u in db.session.scalars(select(User))}
            for article in articles:
                stored = by_url[f"https://polnear.example/{article['name']}"]
                for annotator in article["marked"]:
                    name = f"a{annotator}"
                    if name not in users:  # marked nothing at all: still took part
                        users[name] = User(username=name, role="reviewer")
                        db.session.add(users[name])
                        db.session.flush()
                    mark_done(stored, users[name])
            db.session.commit()
            result = compute(Scope())

    print(
        f"{len(articles)} articles, {len(result.span_articles)} compared; "
        f"{result.span_left_out} markings left out as not independent"
    )
    print(
        f"{'type':<10} {'spans':>6} {'alpha_u':>8} {'95% interval':>18} "
        f"{'exact F1':>9} {'overlap F1':>11}"
    )
    for row in result.unitizing:
        exact, overlap, _ = span_f1(articles, (row.label,))
        a = row.alpha
        interval = f"[{a.low:.3f}, {a.high:.3f}]" if a.low is not None else ""
        value = f"{a.value:.3f}" if a.value is not None else a.reason
        print(
            f"{row.label:<10} {row.spans:>6} {value:>8} {interval:>18} {exact:>9.3f} "
            f"{overlap:>11.3f}"
        )
    exact, overlap, _ = span_f1(articles, TYPES)
    spans = sum(row.spans for row in result.unitizing)
    print(f"{'all types':<10} {spans:>6} {'':>8} {'':>18} {exact:>9.3f} {overlap:>11.3f}")
    pooled = [p for p in result.spans if p.exact_f1 is not None]
    print(
        f"the page's pairs (any type): {len(pooled)}; exact F1 "
        + ", ".join(f"{p.first}-{p.second} {p.exact_f1:.3f}" for p in pooled[:6])
    )
    print("published: token-wise Krippendorff's alpha 0.754 (Newell et al., LREC 2018)")


if __name__ == "__main__":
    main()
