"""Label Studio and doccano exports: offsets in each tool's unit, and exact round trips
(export, import into an empty instance, export again: equal but for the ids)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Claim
from app.services.claims.tagging import create_claim, put_assessment
from tests.factories import make_article, make_event, make_outlet, make_user

TEXT = (
    "👍🏽 Dockworkers walked off the job at dawn.\n"
    "“We are not going back,” said Mara Lindqvist — 𝔘𝔫𝔦𝔬𝔫 steward.\n"
    "سازمان مجاهدین خلق ایران said nothing. The gates remain closed. 🇦🇱"
)


def _tag(article, user, quote, label, note=None):
    start = TEXT.index(quote)
    return create_claim(
        article, user, start=start, end=start + len(quote), quote=quote, label=label, note=note
    )


@pytest.fixture
def tagged(app):
    event = make_event("Harbour strike")
    article = make_article(
        make_outlet("Harbour Post"),
        text=TEXT,
        title="Strike",
        url="https://example.org/s",
        events=[event],
    )
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    claim = _tag(article, ana, "Dockworkers walked off the job", "supporting", note="named")
    put_assessment(claim, ben, label="contested")
    _tag(article, ben, "𝔘𝔫𝔦𝔬𝔫 steward", "unsourced")
    _tag(article, ana, "The gates remain closed. 🇦🇱", "contested")
    db.session.commit()
    return article


def _export(runner, fmt, path):
    result = runner.invoke(args=["export", "--format", fmt, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


def _empty_the_corpus():
    """Everything but the append-only history: an empty instance, as far as claims go."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "history":
            db.session.execute(table.delete())
    db.session.commit()


def _without_ids(fmt, text):
    if fmt == "labelstudio":
        tasks = json.loads(text)
        for t in tasks:
            t.pop("id")
            for a in t["annotations"]:
                for r in a["result"]:
                    r.pop("id")
        return tasks
    lines = [json.loads(line) for line in text.splitlines()]
    for line in lines:
        line.pop("doc_key")
    return lines


def test_label_studio_export_counts_code_points(runner, tagged, tmp_path):
    (task,) = json.loads(_export(runner, "labelstudio", tmp_path / "ls.json"))
    text = task["data"]["text"]
    regions = [r for a in task["annotations"] for r in a["result"]]
    for r in regions:
        assert text[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]
    # Label Studio refuses a completed_by naming a non-member: the names travel in the data.
    assert all("completed_by" not in a for a in task["annotations"])
    assert task["data"]["parallax_reviewers"] == ["ana", "ben"]


def test_doccano_export_counts_utf16_units(runner, tagged, tmp_path):
    lines = [json.loads(x) for x in _export(runner, "doccano", tmp_path / "d.jsonl").splitlines()]
    assert [x["annotator"] for x in lines] == ["ana", "ben"]
    text = lines[0]["text"]
    utf16 = text.encode("utf-16-le")
    spans = {
        utf16[2 * s : 2 * e].decode("utf-16-le"): label for x in lines for s, e, label in x["label"]
    }
    assert spans["𝔘𝔫𝔦𝔬𝔫 steward"] == "unsourced"
    assert spans["The gates remain closed. 🇦🇱"] == "contested"
    # Not code points: after the emoji, the two units differ.
    (start, _, _) = next(s for s in lines[0]["label"] if s[2] == "supporting")
    assert start == TEXT.index("Dockworkers") + 2  # 👍🏽 is two astral code points


@pytest.mark.parametrize("fmt", ["labelstudio", "doccano"])
def test_round_trip_is_exact(runner, tagged, tmp_path, fmt):
    first = _export(runner, fmt, tmp_path / "first")
    _empty_the_corpus()
    assert db.session.scalars(select(Claim)).all() == []
    result = runner.invoke(args=["import-claims", "--from", fmt, str(tmp_path / "first")])
    assert result.exit_code == 0, result.output
    second = _export(runner, fmt, tmp_path / "second")
    assert _without_ids(fmt, second) == _without_ids(fmt, first)
    # Importing it again changes nothing.
    again = runner.invoke(args=["import-claims", "--from", fmt, str(tmp_path / "first")])
    assert "claims 0 created" in again.output


def _brat_members(path) -> dict[str, str]:
    """The zip's files with article ids taken out of their names and the metadata's rows."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {
            re.sub(r"parallax-\d+", "parallax-N", name): re.sub(
                r"parallax-\d+", "parallax-N", z.read(name).decode("utf-8")
            )
            for name in z.namelist()
        }


def test_webanno_round_trip_is_exact(runner, tagged, tmp_path):
    runner.invoke(args=["export", "--format", "webanno", "-o", str(tmp_path / "first.zip")])
    first = _brat_members(tmp_path / "first.zip")
    assert sorted(first) == ["annotation/parallax-N/ana.tsv", "annotation/parallax-N/ben.tsv"]
    ben = first["annotation/parallax-N/ben.tsv"]
    assert ben.startswith("#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Claim|value\n\n\n#Text=")
    # "𝔘𝔫𝔦𝔬𝔫" is a token of 5 astral letters: 10 UTF-16 units.
    start16 = len(TEXT[: TEXT.index("𝔘𝔫𝔦𝔬𝔫")].encode("utf-16-le")) // 2
    assert f"\t{start16}-{start16 + 10}\t𝔘𝔫𝔦𝔬𝔫\tunsourced[" in ben
    _empty_the_corpus()
    result = runner.invoke(args=["import-claims", str(tmp_path / "first.zip")])
    assert result.exit_code == 0, result.output
    runner.invoke(args=["export", "--format", "webanno", "-o", str(tmp_path / "second.zip")])
    assert _brat_members(tmp_path / "second.zip") == first


def test_brat_round_trip_is_exact_and_keeps_fragments_and_notes(runner, tagged, tmp_path):
    # A claim imported from a discontinuous span is written with its fragments again.
    claim = db.session.scalars(select(Claim).where(Claim.quote.startswith("Dockworkers"))).one()
    start = claim.start
    claim.assessments[
        0
    ].note = f"named\n[brat fragments {start} {start + 11};{start + 19} {start + 22}]"
    db.session.commit()
    runner.invoke(args=["export", "--format", "brat", "-o", str(tmp_path / "first.zip")])
    first = _brat_members(tmp_path / "first.zip")
    ana = next(v for k, v in first.items() if k.endswith("_ana.ann"))
    assert f"T1\tsupporting {start} {start + 11};{start + 19} {start + 22}\tDockworkers off" in ana
    assert "#1\tAnnotatorNotes T1\tnamed" in ana
    _empty_the_corpus()
    result = runner.invoke(args=["import-claims", str(tmp_path / "first.zip")])
    assert result.exit_code == 0, result.output
    runner.invoke(args=["export", "--format", "brat", "-o", str(tmp_path / "second.zip")])
    assert _brat_members(tmp_path / "second.zip") == first
    article = db.session.scalars(select(Claim)).first().article
    assert (article.title, article.outlet.name, article.url) == (
        "Strike",
        "Harbour Post",
        "https://example.org/s",
    )
