import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import SeedManifestError
from app.extensions import db
from app.models import Article, Event, Outlet
from app.services.corpus.lists import events_page
from app.services.exchange.seeds import seed

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (Article, Outlet, Event))


def test_seed_loads_two_events_and_five_outlets(app):
    seed(SEEDS)
    coverage = {c.event.title: c for c in events_page().items}
    assert len(coverage) == 2
    assert sum(c.outlets for c in coverage.values()) >= 5
    assert coverage["Last Camp Liberty residents leave Iraq for Albania"].outlets >= 4


def test_archive_seed_becomes_separate_titled_articles(app):
    seed(SEEDS)
    nejat = db.session.scalar(select(Outlet).where(Outlet.name == "Nejat Society"))
    titles = [a.title for a in nejat.articles]
    assert len(titles) >= 8 and "UN puts forward roadmap for relocation of MKO" in titles
    assert all(a.published is not None for a in nejat.articles)


def test_single_article_does_not_repeat_its_headline_in_its_text(app):
    seed(SEEDS)
    article = db.session.scalar(
        select(Article).where(
            Article.title == "Last remaining residents of Camp Liberty leave Iraq"
        )
    )
    assert not article.text.startswith(article.title)


def test_seeding_twice_changes_nothing(app):
    seed(SEEDS)
    before = counts()
    report = seed(SEEDS)
    assert report.created == 0 and report.unchanged == before[0]
    assert counts() == before


def copy_seeds(tmp_path: Path, manifest: str | None) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    if manifest is None:
        (folder / "manifest.toml").unlink()
    else:
        (folder / "manifest.toml").write_text(manifest)
    return folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: None, "manifest not found"),
        (lambda m: m + "\n[[[broken", "not valid TOML"),
        (
            lambda m: m.replace('stance = "neutral"', 'stance = "sympathetic"'),
            "articles[2].stance: Unknown stance 'sympathetic'",
        ),
        (lambda m: m.replace('outlet = "Track Persia"\n', ""), "articles[2].outlet: missing"),
        (
            lambda m: m.replace('file = "004_9d3c6422fb3a97f6.txt"', 'file = "nope.txt"'),
            "articles[4].file: nope.txt not found",
        ),
        (
            lambda m: m.replace('events = ["liberty-to-albania-2016"]', 'events = ["nope"]', 1),
            "articles[0].events: unknown event key 'nope'",
        ),
    ],
)
def test_bad_manifest_names_the_file_and_the_field_and_loads_nothing(
    app, tmp_path, change, message
):
    folder = copy_seeds(tmp_path, change((SEEDS / "manifest.toml").read_text()))
    with pytest.raises(SeedManifestError) as excinfo:
        seed(folder)
    assert str(folder / "manifest.toml") in excinfo.value.message
    assert message in excinfo.value.message
    assert counts() == (0, 0, 0)


def test_the_demo_has_two_coders_who_disagree_and_a_curators_decision(app):
    from app.models import Claim, User
    from app.services.exchange.seeds import load_demo
    from app.services.review.adjudication import QueueFilters, queue
    from app.services.review.agreement import Scope, compute

    seed(SEEDS)
    first = load_demo(SEEDS)
    assert (first.claims, first.second_assessments, first.adjudications) == (19, 19, 1)
    again = load_demo(SEEDS)
    assert (again.claims, again.second_assessments, again.adjudications) == (0, 0, 0)
    result = compute(Scope())
    assert result.units == 19 and result.alpha.value is not None
    assert 0.2 < result.alpha.value < 0.9  # a non-trivial alpha, with its interval
    assert len(queue(QueueFilters()).claims) == 4  # five disagreements, one decided
    decided = db.session.scalar(select(Claim).where(Claim.adjudicated_label.is_not(None)))
    assert decided.adjudicated_by.role == "curator" and decided.adjudication_note
    assert db.session.scalar(select(User.role).where(User.username == "demo-second")) == (
        "reviewer"
    )
