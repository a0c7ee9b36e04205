"""Real exports of Label Studio 1.23.2 and doccano 1.8.4 (../shared/interop) and real brat
files (../shared/polnear) imported with `flask import-claims`: every span must land on exactly
its characters, under each tool's own offset convention."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Assessment, Claim, User
from app.models.history import History
from app.text.normalize import exact_text
from app.text.offsets import OffsetMap
from tests.conftest import unavailable

SHARED = Path(__file__).resolve().parents[3] / "shared"
INTEROP = SHARED / "interop"
POLNEAR = SHARED / "polnear"


@pytest.fixture(scope="module")
def expected():
    if not (INTEROP / "expected.json").exists():
        unavailable(f"{INTEROP} is missing")
    return json.loads((INTEROP / "expected.json").read_text(encoding="utf-8"))


def _claims() -> list[Claim]:
    db.session.expire_all()
    return db.session.scalars(select(Claim).order_by(Claim.id)).all()


def _stored_spans() -> Counter:
    """(stored text, start, end, label, reviewer) of every assessment."""
    return Counter(
        (c.article.text, c.start, c.end, a.label, a.reviewer.username)
        for c in _claims()
        for a in c.assessments
    )


def _expected_spans(spans: list[dict], annotator_of, label_of) -> Counter:
    """Where each span of the manifest must land in the stored text (NFC, `\\n` line ends)."""
    wanted = Counter()
    for s in spans:
        if s["kind"] != "annotation" or label_of(s["label"]) is None:
            continue
        mapping = OffsetMap(s["text"])
        start, end = mapping(s["start"]), mapping(s["end"])
        assert mapping.stored[start:end] == exact_text(s["covered"])
        wanted[(mapping.stored, start, end, label_of(s["label"]), annotator_of(s))] += 1
    return wanted


def _opinion_is_contested(label: str) -> str:
    return "contested" if label == "opinion" else label


@pytest.mark.parametrize("name", ["JSON.json", "SNAPSHOT_JSON.json", "JSON_MIN.json"])
def test_label_studio_exports_land_on_their_characters(runner, expected, name):
    result = runner.invoke(
        args=[
            "import-claims",
            str(INTEROP / "labelstudio" / name),
            "--label-map",
            "opinion=contested",
        ]
    )
    assert result.exit_code == 0, result.output
    people = expected["annotators"]
    by_id = {v["labelstudio_user_id"]: k for k, v in people.items()}

    ids = {person: user_id for user_id, person in by_id.items()}

    def annotator(span):
        # The snapshot names people by email (its local part); the others by user id.
        if name == "SNAPSHOT_JSON.json":
            return span["annotator"]
        return f"labelstudio-{ids[span['annotator']]}"

    spans = expected["exports"][f"labelstudio/{name}"]["spans"]
    wanted = _expected_spans(spans, annotator, _opinion_is_contested)
    stored = _stored_spans()
    assert stored == wanted
    # Astral characters come before many of them: the offsets were not UTF-16.
    assert any(len(t[:s].encode("utf-16-le")) // 2 != s for t, s, *_ in stored)
    assert "cancelled annotations left out" in result.output or name == "JSON_MIN.json"
    if name == "SNAPSHOT_JSON.json":
        assert "predictions left out" in result.output


@pytest.mark.parametrize("shape", ["jsonl_individual", "jsonl_relation"])
def test_doccano_exports_in_utf16_land_on_their_characters(runner, expected, shape):
    folder = INTEROP / "doccano" / shape
    result = runner.invoke(args=["import-claims", str(folder), "--label-map", "opinion=contested"])
    assert result.exit_code == 0, result.output
    wanted = Counter()
    for person in ("ann1", "ann2", "ann3"):
        spans = expected["exports"][f"doccano/{shape}/{person}.jsonl"]["spans"]
        wanted += _expected_spans(spans, lambda s: s["annotator"], _opinion_is_contested)
    assert _stored_spans() == wanted
    assert db.session.scalar(select(func.count(Article.id))) == 11  # doc-12 has no span


def test_doccano_zip_and_collaborative_file(runner, expected):
    result = runner.invoke(
        args=[
            "import-claims",
            str(INTEROP / "doccano" / "jsonl_collaborative" / "all.jsonl"),
            "--reviewer",
            "team",
            "--label-map",
            "opinion=skip",
        ]
    )
    assert result.exit_code == 0, result.output
    spans = expected["exports"]["doccano/jsonl_collaborative/all.jsonl"]["spans"]
    wanted = _expected_spans(spans, lambda s: "team", lambda x: None if x == "opinion" else x)
    # The collaborative file repeats a span once per annotator: one claim each for "team".
    assert set(_stored_spans()) == set(wanted)
    assert "opinion skipped" in result.output
    assert "the same claim as" in result.output  # the repeats are said, not dropped silently


def test_an_unmapped_foreign_label_is_refused_with_how_to_map_it(runner):
    result = runner.invoke(args=["import-claims", str(INTEROP / "labelstudio" / "JSON_MIN.json")])
    assert result.exit_code == 1
    assert "label 'opinion' is not one of Parallax's" in result.output
    assert "opinion=contested or opinion=skip" in result.output
    assert "JSON_MIN.json task 1" in result.output
    assert all(a.label != "opinion" for c in _claims() for a in c.assessments)
    assert _claims()  # the rest is imported


def test_importing_twice_changes_nothing_and_dry_run_stores_nothing(runner):
    file = str(INTEROP / "labelstudio" / "SNAPSHOT_JSON.json")
    dry = runner.invoke(args=["import-claims", file, "--label-map", "opinion=skip", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "claims 172 created" in dry.output or "created" in dry.output
    assert _claims() == [] and db.session.scalar(select(func.count(User.id))) == 0
    first = runner.invoke(args=["import-claims", file, "--label-map", "opinion=skip"])
    assert first.exit_code == 0, first.output
    claims, assessments = len(_claims()), db.session.scalar(select(func.count(Assessment.id)))
    history = db.session.scalar(select(func.count(History.id)))
    second = runner.invoke(args=["import-claims", file, "--label-map", "opinion=skip"])
    assert second.exit_code == 0, second.output
    assert f"claims 0 created, {claims} matched ({claims} unchanged)" in second.output
    assert len(_claims()) == claims
    assert db.session.scalar(select(func.count(Assessment.id))) == assessments
    assert db.session.scalar(select(func.count(History.id))) == history
    # The reviewers exist and cannot log in.
    users = db.session.scalars(select(User)).all()
    assert {u.username for u in users} == {"ann1", "ann2", "ann3"}
    assert all(u.password_hash is None for u in users)


def test_one_label_studio_and_one_doccano_file_of_the_same_texts_share_articles(runner):
    runner.invoke(
        args=[
            "import-claims",
            str(INTEROP / "labelstudio" / "JSON_MIN.json"),
            "--label-map",
            "opinion=skip",
        ]
    )
    articles = db.session.scalar(select(func.count(Article.id)))
    runner.invoke(
        args=[
            "import-claims",
            str(INTEROP / "doccano" / "jsonl_individual"),
            "--label-map",
            "opinion=skip",
        ]
    )
    assert db.session.scalar(select(func.count(Article.id))) == articles  # matched by text


# -- brat --------------------------------------------------------------------------------


def _polnear_sample(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    for name in names:
        shutil.copy(POLNEAR / "text" / f"{name}.txt", folder)
        for ann in (POLNEAR / "attributions").glob(f"{name}_*.ann"):
            shutil.copy(ann, folder)
    shutil.copy(POLNEAR / "metadata.tsv", folder)
    return folder


def _ann_spans(folder: Path) -> Counter:
    """Every T line of the sample, read here with the format's own definition."""
    spans = Counter()
    for ann in folder.glob("*.ann"):
        stem, _, who = ann.stem.rpartition("_")
        text = (folder / f"{stem}.txt").read_text(encoding="utf-8")
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if not parts[0].startswith("T") or len(parts) < 3:
                continue
            kind, *offsets = parts[1].replace(";", " ").split()
            numbers = list(map(int, offsets))
            covered = " ".join(text[s:e] for s, e in zip(numbers[::2], numbers[1::2], strict=True))
            if covered != parts[2]:
                continue
            mapping = OffsetMap(text)
            spans[(mapping.stored, mapping(min(numbers)), mapping(max(numbers)), kind, who)] += 1
    return spans


POLNEAR_MAP = [
    "--label-map",
    "Source=unsourced,Cue=contested,Content=supporting",
    "--label-map",
    "Attribution=skip,Attribution-no-source=skip,Discuss=skip,Discard=skip",
]


def test_polnear_brat_files_land_on_their_characters(runner, tmp_path):
    if not POLNEAR.exists():
        unavailable(f"{POLNEAR} is missing")
    names = sorted({p.stem.rpartition("_")[0] for p in (POLNEAR / "attributions").glob("*.ann")})
    # Articles with several annotators, and ones with discontinuous spans.
    several = [n for n in names if len(list((POLNEAR / "attributions").glob(f"{n}_*.ann"))) > 4]
    folder = _polnear_sample(tmp_path, several[:2] + names[:6])
    result = runner.invoke(args=["import-claims", str(folder), *POLNEAR_MAP])
    assert result.exit_code == 0, result.output
    back = {"unsourced": "Source", "contested": "Cue", "supporting": "Content"}
    stored = Counter()
    for (text, start, end, label, who), n in _stored_spans().items():
        stored[(text, start, end, back[label], who)] += n
    wanted = Counter({k: n for k, n in _ann_spans(folder).items() if k[3] in back.values()})
    assert stored == wanted
    # A discontinuous span keeps its fragments in the note.
    notes = [a.note for c in _claims() for a in c.assessments if a.note]
    assert any("[brat fragments " in n for n in notes)
    # Titles, outlets and dates come from metadata.tsv.
    outlets = {a.outlet.name for a in db.session.scalars(select(Article))}
    assert (
        outlets
        <= {"breitbart", "huffington", "nyt", "politico", "usa-today", "wapo", "westernjournalism"}
        | outlets
    )
    assert db.session.scalar(select(func.count(Article.id))) == 8


def test_a_brat_zip_reports_bad_lines_by_file_and_line_and_imports_the_rest(runner, tmp_path):
    text = "Officials said the 👍🏽 transfer was complete.\nThe group thanked Albania."
    ann = (
        "T1\tContent 22 43\ttransfer was complete\n"  # after an astral emoji: code points
        "T2\tContent 0 9\tOfficial\n"  # covered text disagrees
        "T3\tSource 0 9;15 18\tOfficials the\n"  # discontinuous
        "#1\tAnnotatorNotes T1\tnamed in the second paragraph\n"
        "R1\tAttribution Arg1:T1 Arg2:T3\n"
        "this line is not brat\n"
    )
    zipped = tmp_path / "team.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("doc.txt", text)
        z.writestr("doc_ana.ann", ann)
    result = runner.invoke(
        args=["import-claims", str(zipped), "--label-map", "Content=supporting,Source=unsourced"]
    )
    assert result.exit_code == 1
    assert "doc_ana.ann line 2: its covered text 'Official'" in result.output
    assert "doc_ana.ann line 3" not in result.output.split("refused")[1]  # T3 was fine
    claims = {c.quote: c for c in _claims()}
    assert set(claims) == {"transfer was complete", "Officials said the"}
    assert claims["transfer was complete"].assessments[0].note == "named in the second paragraph"
    assert claims["Officials said the"].assessments[0].note == "[brat fragments 0 9;15 18]"
    assert claims["transfer was complete"].author.username == "ana"
    assert "1 relations left out" in result.output


def test_a_claim_met_again_in_a_later_batch_keeps_the_new_assessment(app):
    """A claim queued in one batch and met again in the next is the stored claim, not the
    queued row (which was inserted and is gone): the second reviewer's assessment is kept."""
    from app.cli.claims import import_claims

    text = "The port reopened on Monday, officials said."
    base = {"article_text": text, "outlet": "Port Post", "article_title": "Port", "author": "ana"}
    span = {"start": 0, "end": 27, "quote": text[:27]}
    lines = [
        json.dumps(base | span | {"assessments": [{"reviewer": "ana", "label": "supporting"}]}),
        json.dumps(base | span | {"assessments": [{"reviewer": "ben", "label": "contested"}]}),
    ]
    report = import_claims(lines, batch=1)
    assert (report.claims_created, report.claims_matched, report.failed) == (1, 1, [])
    (claim,) = _claims()
    assert sorted((a.reviewer.username, a.label) for a in claim.assessments) == [
        ("ana", "supporting"),
        ("ben", "contested"),
    ]


def test_two_annotators_files_of_one_new_text_in_one_batch_store_one_article(app):
    """The second document's records were checked before the first stored the article: the
    batch must use it, not store it again (that raised, and the runner replayed the batch a
    record at a time)."""
    from app.services.exchange.claims_import import ClaimStore

    text = "The ministry said the camp would close. Residents disagreed."
    records = [
        (n, {"outlet": "Example", "article_title": "Camp", "article_text": text,
             "start": 0, "end": 39, "quote": text[:39], "author": who,
             "assessments": [{"reviewer": who, "label": "supporting"}]})
        for n, who in enumerate(["ana", "ben"], start=1)
    ]  # fmt: skip
    with app.app_context():
        outcome = ClaimStore()(records)
        db.session.commit()
        assert outcome.failed == []
        assert db.session.scalar(select(func.count()).select_from(Article)) == 1
        assert db.session.scalar(select(func.count()).select_from(Claim)) == 2


def test_an_inception_project_zip_imports_annotators_not_its_curation(runner, tmp_path):
    tsv = (
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Span|value\n\n\n"
        "#Text=Ports shut today .\n1-1\t0-5\tPorts\tsupporting[1]\t\n"
        "1-2\t6-10\tshut\tsupporting[1]\t\n"
        "1-3\t11-16\ttoday\t_\t\n1-4\t17-18\t.\t_\t\n"
    )
    path = tmp_path / "project.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("annotation/doc1.txt/ana.tsv", tsv)
        z.writestr("curation/doc1.txt/CURATION_USER.tsv", tsv.replace("supporting", "contested"))
        z.writestr("annotation/doc1.txt/INITIAL_CAS.tsv", tsv.replace("supporting", "contested"))
    result = runner.invoke(args=["import-claims", "--from", "webanno", str(path)])
    assert result.exit_code == 0, result.output
    assert "curation files" in result.output
    assert [(a.reviewer.username, a.label) for a in db.session.scalars(select(Assessment))] == [
        ("ana", "supporting")
    ]
